// DuplexResponse is move-only and gives its ring space back exactly once: a moved-from response is
// empty, and assigning over a held response releases the old one first, so ordered release goes on.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zerobuffer/duplex.hpp"
#include "zerobuffer/zerobuffer.hpp"

using namespace std::chrono_literals;
using namespace zerobuffer::duplex;

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr auto PATIENCE = 20000ms;
const zerobuffer::BufferConfig CONFIG(1024, 64 * 1024);

void echo(const zerobuffer::Frame& request, ResponseWriter& response) { response.write(request.data(), request.size()); }

Bytes bytes_of(const DuplexResponse& response) { return Bytes(response.data(), response.data() + response.size()); }

}  // namespace

TEST(DuplexResponseEdges, MovesTransferTheResponseAndAssignmentReleasesTheOldOne) {
    const std::string channel = zbtest::buffer_name("dxmove");
    const DuplexChannelFactory factory;
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start(echo, nullptr, ProcessingMode::SingleThread);
    auto client = factory.create_client(channel, CONFIG);
    const Bytes a{'a'};
    const Bytes b{'b', 'b'};
    const std::uint64_t sequence_a = client->send_request(a);
    const std::uint64_t sequence_b = client->send_request(b);
    DuplexResponse first = client->receive_response(PATIENCE);
    DuplexResponse second = client->receive_response(PATIENCE);
    ASSERT_TRUE(first.valid() && second.valid());

    DuplexResponse moved(std::move(first));
    EXPECT_FALSE(first.valid());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
    EXPECT_EQ(first.data(), nullptr);
    EXPECT_EQ(first.size(), 0U);
    EXPECT_EQ(moved.sequence(), sequence_a);
    EXPECT_EQ(bytes_of(moved), a);

    moved = std::move(second);  // releases the response to a first
    EXPECT_FALSE(second.valid());  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(moved.sequence(), sequence_b);
    EXPECT_EQ(bytes_of(moved), b);
    moved.release();
    moved.release();  // a second release gives nothing back twice
    EXPECT_FALSE(moved);

    // Responses that (almost) fill the ring only flow if every earlier response went back in order.
    const Bytes big(40 * 1024, 0x42);
    for (int round = 0; round < 3; ++round) {
        client->send_request(big);
        DuplexResponse response = client->receive_response(PATIENCE);
        ASSERT_TRUE(response.valid()) << "round " << round << ": the response ring did not drain";
        EXPECT_EQ(bytes_of(response), big);
    }
    server->stop();
}
