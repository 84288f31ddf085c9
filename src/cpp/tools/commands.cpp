// read / write / inspect: the cross-language command-line interface (same lines in every language).
#include "commands.hpp"
#include "pattern_table.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "zerobuffer/inspect.hpp"
#include "zerobuffer/zerobuffer.hpp"

namespace zbtool {

using Json = nlohmann::ordered_json;
using namespace std::chrono;

void emit_line(const std::string& json_text) {
    std::fwrite(json_text.data(), 1, json_text.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

namespace {

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

double round6(double s) { return static_cast<double>(static_cast<long long>(s * 1e6 + 0.5)) / 1e6; }

std::size_t size_arg(const Args& args, const std::string& name, long long fallback) {
    long long v = args.get_int(name, fallback);
    return static_cast<std::size_t>(v);
}

std::string single_name(const Args& args, const char* command) {
    if (args.positional.size() != 1) throw UsageError(std::string(command) + " needs exactly one buffer name");
    return args.positional[0];
}

}  // namespace

int cmd_read(const Args& args) {
    std::string name = single_name(args, "read");
    long long count = args.get_int("--count", std::nullopt);
    zerobuffer::BufferConfig config(size_arg(args, "--metadata-size", 1024), size_arg(args, "--payload-size", 1048576));
    milliseconds timeout(args.get_int("--timeout-ms", 5000));

    zerobuffer::Reader reader(name, config);
    emit_line("READY");
    std::uint64_t total = 0;
    std::optional<steady_clock::time_point> started;
    PatternTable pattern(config.payload_size);
    for (long long i = 0; i < count; ++i) {
        zerobuffer::Frame frame = reader.read_frame(timeout);
        if (!frame.valid()) {
            throw ToolError("Timeout", "no frame within " + std::to_string(timeout.count()) + " ms in buffer '" + name +
                                           "' after " + std::to_string(i) + " of " + std::to_string(count) + " frames");
        }
        if (!started) started = steady_clock::now();
        auto expected = static_cast<std::uint64_t>(i + 1);
        if (frame.sequence() != expected) {
            throw ToolError("SequenceError", "expected sequence " + std::to_string(expected) + ", got " +
                                                 std::to_string(frame.sequence()));
        }
        if (std::memcmp(frame.data(), pattern.frame(frame.sequence()), frame.size()) != 0) {
            std::size_t at = 0;
            const auto* bytes = frame.bytes();
            while (at < frame.size() && bytes[at] == static_cast<std::uint8_t>((frame.sequence() + at) & 0xFF)) ++at;
            throw ToolError("PatternMismatch", "frame " + std::to_string(frame.sequence()) + " (" +
                                                   std::to_string(frame.size()) +
                                                   " bytes) differs from the pattern at byte " + std::to_string(at));
        }
        total += frame.size();
    }
    double seconds = started ? duration<double>(steady_clock::now() - *started).count() : 0.0;
    auto md = reader.get_metadata();
    Json out{{"frames", count},
             {"bytes", total},
             {"seconds", round6(seconds)},
             {"metadata", std::string(md.begin(), md.end())}};
    emit_line(dump(out));
    return 0;
}

int cmd_write(const Args& args) {
    std::string name = single_name(args, "write");
    long long count = args.get_int("--count", std::nullopt);
    long long size = args.get_int("--size", std::nullopt);
    if (size <= 0) throw ToolError("InvalidFrameSize", "--size must be > 0, got " + std::to_string(size));
    milliseconds timeout(args.get_int("--timeout-ms", 5000));

    zerobuffer::Writer writer(name);
    writer.set_write_timeout(timeout);
    if (auto md = args.get("--metadata")) writer.set_metadata(md->data(), md->size());
    PatternTable pattern(static_cast<std::size_t>(size));
    auto start = steady_clock::now();
    for (long long i = 0; i < count; ++i) {
        std::uint64_t sequence = 0;
        void* dst = writer.get_frame_buffer(static_cast<std::size_t>(size), sequence);
        std::memcpy(dst, pattern.frame(sequence), static_cast<std::size_t>(size));
        writer.commit_frame();
    }
    double seconds = duration<double>(steady_clock::now() - start).count();
    emit_line(dump(Json{{"frames", count}, {"bytes", count * size}, {"seconds", round6(seconds)}}));
    return 0;
}

int cmd_inspect(const Args& args) {
    std::string name = single_name(args, "inspect");
    zerobuffer::BufferSnapshot s = zerobuffer::inspect_buffer(name);
    const zerobuffer::Oieb& o = s.oieb;
    // ordered_json keeps the PROTOCOL.md section 2 field order.
    nlohmann::ordered_json out;
    out["oieb_size"] = o.oieb_size;
    out["version"] = std::to_string(o.version.major) + "." + std::to_string(o.version.minor) + "." +
                     std::to_string(o.version.patch);
    out["metadata_size"] = o.metadata_size;
    out["metadata_free_bytes"] = o.metadata_free_bytes;
    out["metadata_written_bytes"] = o.metadata_written_bytes;
    out["payload_size"] = o.payload_size;
    out["payload_free_bytes"] = o.payload_free_bytes;
    out["payload_write_pos"] = o.payload_write_pos;
    out["payload_read_pos"] = o.payload_read_pos;
    out["payload_written_count"] = o.payload_written_count;
    out["payload_read_count"] = o.payload_read_count;
    out["writer_pid"] = o.writer_pid;
    out["reader_pid"] = o.reader_pid;
    out["reader_alive"] = s.reader_alive;
    out["writer_alive"] = s.writer_alive;
    emit_line(out.dump());
    return 0;
}

}  // namespace zbtool
