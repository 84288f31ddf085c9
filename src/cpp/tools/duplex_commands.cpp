// serve-echo NAME and request NAME --count N --size B: try a duplex channel by hand. Same interface
// and output lines as the C# and Python tools.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "pattern_table.hpp"
#include "zerobuffer/duplex.hpp"
#include "zerobuffer/errors.hpp"

namespace zbtool {

namespace {

using Json = nlohmann::ordered_json;
using namespace zerobuffer::duplex;

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop.store(true); }

std::size_t non_negative(const Args& args, const std::string& name, std::optional<long long> fallback) {
    long long value = args.get_int(name, fallback);
    return static_cast<std::size_t>(value);
}

std::string channel_arg(const Args& args, const char* command) {
    if (args.positional.size() != 1) throw UsageError(std::string(command) + " needs exactly one channel name");
    return args.positional[0];
}

// Room for a few responses of size bytes (with header and prefix), at least 1 MiB.
std::size_t default_response_ring(std::size_t size) { return std::max<std::size_t>(1u << 20, 4 * (size + 64)); }

}  // namespace

int cmd_serve_echo(const Args& args) {
    std::string channel = channel_arg(args, "serve-echo");
    std::string mode = args.get("--mode").value_or("single-thread");
    if (mode != "single-thread" && mode != "thread-pool") throw UsageError("--mode must be single-thread or thread-pool");
    ServerOptions options;
    options.mode = mode == "thread-pool" ? ProcessingMode::ThreadPool : ProcessingMode::SingleThread;
    options.handlers = std::max<std::size_t>(1, non_negative(args, "--handlers", 4));
    std::size_t count = non_negative(args, "--count", 0);
    zerobuffer::BufferConfig config(non_negative(args, "--metadata-size", 1024), non_negative(args, "--payload-size", 1048576));

    std::atomic<std::size_t> answered{0};
    ::signal(SIGTERM, on_stop_signal);
    ::signal(SIGINT, on_stop_signal);
    ImmutableDuplexServer server(channel, config);
    server.start(
        [&](const zerobuffer::Frame& request, ResponseWriter& response) {
            response.write(request.data(), request.size());
            if (++answered == count) g_stop.store(true);
        },
        nullptr, options);
    emit_line("READY");
    while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    server.stop();  // a clean stop removes the request buffer
    emit_line(Json{{"requests", answered.load()}}.dump());
    return 0;
}

int cmd_request(const Args& args) {
    std::string channel = channel_arg(args, "request");
    std::size_t count = non_negative(args, "--count", std::nullopt);
    std::size_t size = non_negative(args, "--size", std::nullopt);
    if (size == 0) throw zerobuffer::InvalidFrameSizeException("--size must be > 0, got 0");
    std::chrono::milliseconds timeout(non_negative(args, "--timeout-ms", 5000));
    std::size_t ring = non_negative(args, "--payload-size", 0);
    if (ring == 0) ring = default_response_ring(size);

    DuplexClient client(channel, zerobuffer::BufferConfig(1024, ring));
    PatternTable pattern(size);
    auto started = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        void* buffer = nullptr;
        std::uint64_t sent = client.acquire_request_buffer(size, &buffer);
        std::memcpy(buffer, pattern.frame(sent), size);
        client.commit_request();
        DuplexResponse response = client.receive_response(timeout);
        if (!response.valid()) {
            throw ToolError("Timeout", "no response to request " + std::to_string(sent) + " within " +
                                           std::to_string(timeout.count()) + " ms on channel '" + channel + "'");
        }
        if (response.sequence() != sent) {
            throw ToolError("SequenceError", "request " + std::to_string(sent) + " was answered by a response for request " +
                                                 std::to_string(response.sequence()));
        }
        if (response.size() != size || std::memcmp(response.data(), pattern.frame(sent), size) != 0) {
            auto at = std::mismatch(response.data(), response.data() + std::min(size, response.size()), pattern.frame(sent)).first -
                      response.data();
            throw ToolError("PatternMismatch", "response " + std::to_string(sent) + " (" + std::to_string(response.size()) +
                                                   " bytes) differs from the " + std::to_string(size) +
                                                   "-byte request at byte " + std::to_string(at));
        }
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    emit_line(Json{{"requests", count},
                   {"bytes", count * size},
                   {"seconds", static_cast<double>(static_cast<long long>(seconds * 1e6 + 0.5)) / 1e6},
                   {"correlated", client.is_correlated().value_or(false)}}
                  .dump());
    return 0;
}

}  // namespace zbtool
