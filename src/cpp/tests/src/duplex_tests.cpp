// Duplex channel (PROTOCOL.md section 8): both processing modes, threads sharing a client, the
// dispose paths, client sessions, and the bytes on the wire (a plain Reader/Writer pair plays the
// public 1.x peer).
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zerobuffer/duplex.hpp"
#include "zerobuffer/zerobuffer.hpp"

using namespace std::chrono_literals;
using namespace zerobuffer;
using namespace zerobuffer::duplex;

namespace {

const BufferConfig CONFIG(1024, 1024 * 1024);
constexpr auto PATIENCE = 10000ms;
const DuplexChannelFactory factory;

using Bytes = std::vector<std::uint8_t>;

void echo(const Frame& request, ResponseWriter& response) { response.write(request.data(), request.size()); }

Bytes bytes_of(const DuplexResponse& response) { return Bytes(response.data(), response.data() + response.size()); }

// One response as (request sequence, bytes); fails on timeout.
std::pair<std::uint64_t, Bytes> receive(DuplexClient& client) {
    DuplexResponse response = client.receive_response(PATIENCE);
    EXPECT_TRUE(response.valid()) << "no response within the timeout";
    return {response.sequence(), bytes_of(response)};
}

bool shm_exists(const std::string& name) { return std::filesystem::exists("/dev/shm/" + name); }

Bytes pattern(std::size_t size, std::uint64_t seed) {
    Bytes data(size);
    zbtest::fill_pattern(data.data(), size, seed);
    return data;
}

class DuplexModes : public ::testing::TestWithParam<ProcessingMode> {};

}  // namespace

TEST_P(DuplexModes, EchoReturnsEachRequestWithItsSequence) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start(echo, nullptr, GetParam());
    auto client = factory.create_client(channel, CONFIG);
    for (std::size_t size : {1u, 1024u, 100u * 1024u, 1u}) {
        Bytes data = pattern(size, size);
        std::uint64_t sequence = client->send_request(data);
        EXPECT_EQ(receive(*client), std::make_pair(sequence, data));
    }
    EXPECT_EQ(client->is_correlated(), std::optional<bool>(GetParam() == ProcessingMode::ThreadPool));
}

TEST_P(DuplexModes, ThreadsSharingAClientGetExactlyTheirResponses) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    ServerOptions options;
    options.mode = GetParam();
    server->start(
        [](const Frame& request, ResponseWriter& response) {
            std::this_thread::sleep_for(std::chrono::milliseconds(request.bytes()[1] % 5));
            response.write(request.data(), request.size());
        },
        nullptr, options);
    auto client = factory.create_client(channel, CONFIG);
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    std::vector<std::thread> threads;
    for (std::uint8_t t = 0; t < 5; ++t) {
        threads.emplace_back([&, t] {
            std::set<std::uint64_t> mine;
            for (std::uint8_t i = 0; i < 20; ++i) mine.insert(client->send_request(Bytes{t, i, 0xAB}));
            for (int i = 0; i < 20; ++i) {
                DuplexResponse response = client->receive_response(PATIENCE);
                if (!response.valid() || response.data()[0] != t || mine.erase(response.sequence()) != 1) {
                    std::lock_guard lock(failures_mutex);
                    failures.push_back("thread " + std::to_string(t) + " got sequence " + std::to_string(response.sequence()));
                }
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_TRUE(failures.empty()) << failures.front();
}

INSTANTIATE_TEST_SUITE_P(BothModes, DuplexModes, ::testing::Values(ProcessingMode::SingleThread, ProcessingMode::ThreadPool));

TEST(Duplex, ZeroCopyRequestKeepsItsPattern) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start(echo);
    auto client = factory.create_client(channel, CONFIG);
    void* buffer = nullptr;
    std::uint64_t sequence = client->acquire_request_buffer(4096, &buffer);
    zbtest::fill_pattern(static_cast<std::uint8_t*>(buffer), 4096, 7);
    client->commit_request();
    auto [answered, data] = receive(*client);
    EXPECT_EQ(answered, sequence);
    EXPECT_EQ(zbtest::find_pattern_mismatch(data.data(), data.size(), 7), -1);
}

TEST(Duplex, CorrelatedServerAnswersInReverseAndEveryResponseMatches) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    ServerOptions options;
    options.mode = ProcessingMode::ThreadPool;
    options.handlers = 10;
    server->start(
        [](const Frame& request, ResponseWriter& response) {
            std::this_thread::sleep_for(60ms * (11 - static_cast<int>(request.sequence())));
            response.write(request.data(), request.size());
        },
        nullptr, options);
    auto client = factory.create_client(channel, CONFIG);
    std::map<std::uint64_t, Bytes> sent;
    for (std::uint8_t i = 0; i < 10; ++i) {
        Bytes data(i + 1u, i);
        sent[client->send_request(data)] = data;
    }
    std::vector<std::uint64_t> order;
    for (int i = 0; i < 10; ++i) {
        auto [sequence, data] = receive(*client);
        EXPECT_EQ(sent[sequence], data);
        order.push_back(sequence);
    }
    std::vector<std::uint64_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    EXPECT_NE(order, sorted);
}

TEST(Duplex, SingleThreadServerHandlesOneRequestAtATimeInOrder) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start([](const Frame& request, ResponseWriter& response) {
        std::this_thread::sleep_for(300ms);
        response.write(request.data(), request.size());
    });
    auto client = factory.create_client(channel, CONFIG);
    auto started = std::chrono::steady_clock::now();
    std::vector<std::uint64_t> sent, received;
    for (std::uint8_t i = 0; i < 3; ++i) sent.push_back(client->send_request(Bytes{i}));
    for (int i = 0; i < 3; ++i) received.push_back(receive(*client).first);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 880ms);
    EXPECT_EQ(sent, received);
}

TEST(Duplex, MutableAndImmutableServersGiveTheSameXor) {
    std::string mutable_channel = zbtest::buffer_name("dxm"), immutable_channel = zbtest::buffer_name("dxi");
    auto mutable_server = factory.create_mutable_server(mutable_channel, CONFIG);
    mutable_server->start([](Frame& request) {
        auto* data = static_cast<std::uint8_t*>(request.data());
        for (std::size_t i = 0; i < request.size(); ++i) data[i] ^= 0xFF;
    });
    auto immutable_server = factory.create_immutable_server(immutable_channel, CONFIG);
    immutable_server->start([](const Frame& request, ResponseWriter& response) {
        auto* target = static_cast<std::uint8_t*>(response.get_buffer(request.size()));
        for (std::size_t i = 0; i < request.size(); ++i) target[i] = request.bytes()[i] ^ 0xFF;
        response.commit();
    });
    auto a = factory.create_client(mutable_channel, CONFIG);
    auto b = factory.create_client(immutable_channel, CONFIG);
    Bytes request = pattern(10 * 1024, 5);
    a->send_request(request);
    b->send_request(request);
    Bytes via_mutable = receive(*a).second, via_immutable = receive(*b).second;
    Bytes expected = request;
    for (auto& byte : expected) byte ^= 0xFF;
    EXPECT_EQ(via_mutable, expected);
    EXPECT_EQ(via_immutable, expected);
}

TEST(Duplex, OnInitGetsTheRequestMetadataOnceBeforeTheFirstRequest) {
    std::string channel = zbtest::buffer_name("dx");
    std::mutex mutex;
    std::vector<std::string> events;
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start(
        [&](const Frame& request, ResponseWriter& response) {
            {
                std::lock_guard lock(mutex);
                events.push_back("frame " + std::to_string(request.sequence()));
            }
            response.write(request.data(), request.size());
        },
        [&](const std::uint8_t* metadata, std::size_t size) {
            std::lock_guard lock(mutex);
            events.push_back("init " + std::string(reinterpret_cast<const char*>(metadata), size));
        });
    auto client = factory.create_client(channel, CONFIG);
    client->set_request_metadata("format=raw", 10);
    client->send_request(Bytes{1});
    client->send_request(Bytes{2});
    receive(*client);
    receive(*client);
    std::lock_guard lock(mutex);
    EXPECT_EQ(events, (std::vector<std::string>{"init format=raw", "frame 1", "frame 2"}));
}

TEST(Duplex, SmallResponseRingMakesTheServerWaitForTheClient) {
    std::string channel = zbtest::buffer_name("dx");
    std::atomic<int> answered{0};
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start([&](const Frame& request, ResponseWriter& response) {
        auto* target = static_cast<std::uint8_t*>(response.get_buffer(request.size() * 2));
        std::memcpy(target, request.data(), request.size());
        std::memcpy(target + request.size(), request.data(), request.size());
        response.commit();
        ++answered;
    });
    auto client = factory.create_client(channel, BufferConfig(1024, 10 * 1024));
    client->send_request(Bytes(4096));
    client->send_request(Bytes(4096));
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(answered.load(), 1);  // the second 8 KiB response does not fit yet
    EXPECT_EQ(receive(*client).second.size(), 8192u);
    EXPECT_EQ(receive(*client).second.size(), 8192u);
    EXPECT_EQ(answered.load(), 2);
}

TEST(Duplex, StoppingWithPendingRequestsFailsThemAndFreesTheName) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start([](const Frame& request, ResponseWriter& response) {
        if (request.sequence() <= 3) response.write(request.data(), request.size());
    });
    auto client = factory.create_client(channel, CONFIG);
    for (std::uint8_t i = 0; i < 5; ++i) client->send_request(Bytes{i});
    for (int i = 0; i < 3; ++i) receive(*client);
    server->stop();
    EXPECT_FALSE(server->is_running());
    EXPECT_FALSE(shm_exists(request_name(channel)));
    EXPECT_THROW(client->receive_response(PATIENCE), WriterDeadException);
    EXPECT_FALSE(client->is_server_connected());
    client.reset();
    EXPECT_FALSE(shm_exists(response_name(channel)));

    auto again = factory.create_immutable_server(channel, CONFIG);
    again->start(echo);
    auto next = factory.create_client(channel, CONFIG);
    std::uint64_t sequence = next->send_request(Bytes{42});
    EXPECT_EQ(receive(*next), std::make_pair(sequence, Bytes{42}));
}

TEST(Duplex, ServerDropsAGoneClientAndServesTheNextOne) {
    std::string channel = zbtest::buffer_name("dx");
    std::atomic<bool> started{false};
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start([&](const Frame& request, ResponseWriter& response) {
        if (request.bytes()[0] == 1) {
            started = true;
            std::this_thread::sleep_for(500ms);  // the client leaves meanwhile
        }
        response.write(request.data(), request.size());
    });
    auto first = factory.create_client(channel, CONFIG);
    first->send_request(Bytes{1});
    first->send_request(Bytes{1});  // left in the ring: must not reach the next client
    while (!started) std::this_thread::sleep_for(1ms);
    first.reset();
    auto second = factory.create_client(channel, CONFIG);
    std::uint64_t sequence = second->send_request(Bytes{2});
    EXPECT_EQ(receive(*second), std::make_pair(sequence, Bytes{2}));
    EXPECT_TRUE(server->is_running());
}

TEST(Duplex, ReceiveTimesOutWithAnInvalidResponse) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start([](const Frame&, ResponseWriter&) {});
    auto client = factory.create_client(channel, CONFIG);
    client->send_request(Bytes{1});
    auto started = std::chrono::steady_clock::now();
    EXPECT_FALSE(client->receive_response(300ms).valid());
    EXPECT_GE(std::chrono::steady_clock::now() - started, 290ms);
}

TEST(Duplex, InvalidNamesAndMissingServersAreRefused) {
    EXPECT_THROW(factory.create_client("../evil"), InvalidBufferNameException);
    EXPECT_THROW(factory.create_immutable_server(std::string(192, 'a'), CONFIG), InvalidBufferNameException);
    EXPECT_THROW(factory.create_client(zbtest::buffer_name("dxnone")), BufferNotFoundException);
}

// -- wire format -------------------------------------------------------------------------------

TEST(DuplexWire, MetadataRecordIsZbduplexVersion1WithTheCorrelatedFlag) {
    auto record = metadata_record::encode(true);
    const std::uint8_t expected[16] = {'Z', 'B', 'D', 'U', 'P', 'L', 'E', 'X', 1, 0, 0, 0, 1, 0, 0, 0};
    EXPECT_EQ(std::memcmp(record.data(), expected, 16), 0);
    EXPECT_TRUE(metadata_record::is_correlated(record.data(), record.size()));
    auto plain = metadata_record::encode(false);
    EXPECT_FALSE(metadata_record::is_correlated(plain.data(), plain.size()));
    std::uint8_t v2[16];
    std::memcpy(v2, expected, 16);
    v2[8] = 2;
    EXPECT_FALSE(metadata_record::is_correlated(v2, 16));
    EXPECT_FALSE(metadata_record::is_correlated(nullptr, 0));
}

TEST(DuplexWire, InOrderServerAnswersAPlainV1ClientWithBareFrames) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start([](const Frame& request, ResponseWriter& response) {
        Bytes out(request.bytes(), request.bytes() + request.size());
        out.push_back(0xEE);
        response.write(out.data(), out.size());
    });
    Writer requests(request_name(channel));
    Reader responses(response_name(channel), CONFIG);
    for (std::uint8_t s = 1; s <= 3; ++s) {
        requests.write_frame(Bytes(10, s));
        Frame frame = responses.read_frame(PATIENCE);
        ASSERT_TRUE(frame.valid());
        Bytes expected(10, s);
        expected.push_back(0xEE);
        EXPECT_EQ(frame.sequence(), s);
        EXPECT_EQ(Bytes(frame.bytes(), frame.bytes() + frame.size()), expected);
    }
    EXPECT_TRUE(responses.get_metadata().empty());
}

TEST(DuplexWire, CorrelatedServerWritesTheRecordAndPrefixesTheRequestSequence) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    ServerOptions options;
    options.correlated = true;
    server->start(echo, nullptr, options);
    Writer requests(request_name(channel));
    Reader responses(response_name(channel), CONFIG);
    requests.write_frame(Bytes{1, 2, 3});
    Frame frame = responses.read_frame(PATIENCE);
    ASSERT_TRUE(frame.valid());
    Bytes metadata = responses.get_metadata();
    EXPECT_TRUE(metadata_record::is_correlated(metadata.data(), metadata.size()));
    EXPECT_EQ(Bytes(frame.bytes(), frame.bytes() + frame.size()), (Bytes{1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3}));
}

TEST(DuplexWire, ClientWorksAgainstAPlainV1Server) {
    std::string channel = zbtest::buffer_name("dx");
    Reader requests(request_name(channel), CONFIG);
    auto client = factory.create_client(channel, CONFIG);
    Writer responses(response_name(channel));
    std::uint64_t sequence = client->send_request(Bytes{5, 6});
    {
        Frame request = requests.read_frame(PATIENCE);
        ASSERT_TRUE(request.valid());
        EXPECT_EQ(request.sequence(), sequence);
        responses.write_frame(Bytes{5, 6, 7});
    }
    EXPECT_EQ(receive(*client), std::make_pair(sequence, (Bytes{5, 6, 7})));
}

TEST(DuplexWire, ClientUnwrapsACorrelatedPeerThatAnswersOutOfOrder) {
    std::string channel = zbtest::buffer_name("dx");
    Reader requests(request_name(channel), CONFIG);
    auto client = factory.create_client(channel, CONFIG);
    Writer responses(response_name(channel));
    auto record = metadata_record::encode(true);
    responses.set_metadata(record.data(), record.size());
    client->send_request(Bytes{1});
    client->send_request(Bytes{2});
    responses.write_frame(Bytes{2, 0, 0, 0, 0, 0, 0, 0, 20});
    responses.write_frame(Bytes{1, 0, 0, 0, 0, 0, 0, 0, 10});
    EXPECT_EQ(receive(*client), std::make_pair(std::uint64_t{2}, Bytes{20}));
    EXPECT_EQ(receive(*client), std::make_pair(std::uint64_t{1}, Bytes{10}));
}

TEST(Duplex, ServesClientsOneAfterAnother) {
    std::string channel = zbtest::buffer_name("dx");
    auto server = factory.create_immutable_server(channel, CONFIG);
    server->start(echo);
    for (std::uint8_t round = 1; round <= 3; ++round) {
        auto client = factory.create_client(channel, CONFIG);
        for (std::uint8_t i = 0; i < 3; ++i) {
            std::uint64_t sequence = client->send_request(Bytes{round, i});
            EXPECT_EQ(receive(*client), std::make_pair(sequence, (Bytes{round, i})));
        }
    }
}
