// bin/zerobuffer-cpp serve-echo / request: the duplex CLI pair the cross-language matrix drives,
// checked here against the coverage build too (summaries, both modes, argument validation).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "test_support.hpp"

using namespace std::chrono_literals;
using Json = nlohmann::json;

namespace {

std::string tool() { return zbtest::bin_dir() + "/zerobuffer-cpp"; }

// Starts serve-echo for count requests, runs request against it, and returns both summaries.
std::pair<Json, Json> echo_round_trip(const std::string& channel, const std::string& mode, int count, int size) {
    zbtest::ChildProcess server({tool(), "serve-echo", channel, "--mode", mode, "--count", std::to_string(count)});
    EXPECT_EQ(server.read_line(10000ms), "READY");
    auto client = zbtest::run_process({tool(), "request", channel, "--count", std::to_string(count), "--size",
                                       std::to_string(size), "--timeout-ms", "20000"},
                                      60000ms);
    EXPECT_EQ(client.exit_code, 0) << client.err;
    auto served = server.read_line(20000ms);
    EXPECT_EQ(server.wait(20000ms), 0);
    return {Json::parse(client.out), served ? Json::parse(*served) : Json()};
}

}  // namespace

TEST(DuplexCli, SingleThreadEchoAnswersEveryRequestUncorrelated) {
    std::string channel = zbtest::buffer_name("dxcli");
    auto [client, server] = echo_round_trip(channel, "single-thread", 20, 100);

    EXPECT_EQ(client["requests"], 20);
    EXPECT_EQ(client["bytes"], 2000);
    EXPECT_TRUE(client["seconds"].is_number());
    EXPECT_EQ(client["correlated"], false);
    EXPECT_EQ(server["requests"], 20);
    EXPECT_TRUE(zbtest::leftovers(channel).empty());
}

TEST(DuplexCli, ThreadPoolEchoIsCorrelated) {
    std::string channel = zbtest::buffer_name("dxcli-pool");
    auto [client, server] = echo_round_trip(channel, "thread-pool", 8, 4096);

    EXPECT_EQ(client["requests"], 8);
    EXPECT_EQ(client["correlated"], true);
    EXPECT_EQ(server["requests"], 8);
}

TEST(DuplexCli, BadArgumentsAreUsageOrKindErrors) {
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{tool(), "serve-echo"}, "error: Usage: serve-echo needs exactly one channel name"},
        {{tool(), "serve-echo", "x", "--mode", "both"}, "error: Usage: --mode must be single-thread or thread-pool"},
        {{tool(), "serve-echo", "x", "--count", "-1"}, "error: Usage: --count must be an integer from 0 to 2147483647, got '-1'"},
        {{tool(), "request", "x", "y", "--count", "1", "--size", "1"}, "error: Usage: request needs exactly one channel name"},
        {{tool(), "request", "x", "--count", "1", "--size", "0"}, "error: InvalidFrameSize: --size must be > 0, got 0"},
    };
    for (const auto& [args, expected] : cases) {
        auto r = zbtest::run_process(args, 10000ms);
        EXPECT_EQ(r.exit_code, 1) << expected;
        EXPECT_EQ(r.err.rfind(expected, 0), 0u) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
}

TEST(DuplexCli, RequestWithoutAServerNamesTheKind) {
    std::string channel = zbtest::buffer_name("dxcli-none");
    auto r = zbtest::run_process({tool(), "request", channel, "--count", "1", "--size", "8", "--timeout-ms", "200"}, 10000ms);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err.rfind("error: BufferNotFound: ", 0), 0u) << r.err;
    EXPECT_TRUE(zbtest::leftovers(channel).empty());
}
