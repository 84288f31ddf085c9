// zerobuffer-cpp bench: throughput (1 KiB / 64 KiB / 1 MiB frames, writer in another process) and
// 64-byte round trips over two buffers, each next to a same-run baseline (memcpy, and a two-process
// ping-pong over two named semaphores with plain blocking waits). The peer process is this executable re-run with a hidden command.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/zerobuffer.hpp"

namespace zbtool {

using namespace std::chrono;
using Json = nlohmann::ordered_json;

namespace {

constexpr std::size_t ROUNDTRIP_BYTES = 64;

struct Child {
    pid_t pid = -1;
    int stdout_fd = -1;
};

// Re-runs this executable with args; its stdout comes back through a pipe.
Child spawn_self(const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe(fds) != 0) throw ToolError("BenchFailed", "pipe failed");
    pid_t pid = ::fork();
    if (pid < 0) throw ToolError("BenchFailed", "fork failed");
    if (pid == 0) {
        ::dup2(fds[1], 1);
        ::close(fds[0]);
        ::close(fds[1]);
        std::vector<char*> argv;
        static char self[] = "zerobuffer-cpp";
        argv.push_back(self);
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv("/proc/self/exe", argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    return Child{pid, fds[0]};
}

void await_ready(const Child& child, const std::string& what) {
    char buf[6] = {};
    std::size_t got = 0;
    while (got < 6) {
        ssize_t n = ::read(child.stdout_fd, buf + got, 6 - got);
        if (n <= 0) throw ToolError("BenchFailed", what + " did not start");
        got += static_cast<std::size_t>(n);
    }
    if (std::memcmp(buf, "READY\n", 6) != 0) throw ToolError("BenchFailed", what + " did not print READY");
}

void finish(const Child& child, const std::string& what) {
    int status = 0;
    ::waitpid(child.pid, &status, 0);
    ::close(child.stdout_fd);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw ToolError("BenchFailed", what + " failed");
}

std::string unique(const std::string& what, const char* lead = "") {
    std::string name(lead);
    name += "zbbench-";
    name += std::to_string(::getpid());
    name += '-';
    name += what;
    return name;
}

struct Throughput {
    double frames_per_second;
    double gigabytes_per_second;
};

Throughput measure_throughput(std::size_t frame_bytes, std::uint64_t count, std::size_t payload) {
    std::string name = unique("tp-" + std::to_string(frame_bytes));
    zerobuffer::Reader reader(name, zerobuffer::BufferConfig(0, payload));
    Child writer = spawn_self({"_bench-writer", name, "--count", std::to_string(count), "--size", std::to_string(frame_bytes)});
    steady_clock::time_point start{};
    std::uint64_t checksum = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        zerobuffer::Frame frame = reader.read_frame(milliseconds(10000));
        if (!frame.valid()) throw ToolError("BenchFailed", "writer stopped after " + std::to_string(i) + " frames");
        if (i == 0) start = steady_clock::now();
        checksum += frame.bytes()[0] + frame.bytes()[frame.size() - 1];
    }
    double seconds = duration<double>(steady_clock::now() - start).count();
    finish(writer, "bench writer");
    (void)checksum;
    double frames = static_cast<double>(count - 1);  // the clock starts at the first frame
    return {frames / seconds, frames * static_cast<double>(frame_bytes) / seconds / 1e9};
}

Throughput measure_memcpy(std::size_t frame_bytes, std::uint64_t count, std::size_t payload) {
    std::vector<std::uint8_t> src(frame_bytes, 0x5A);
    std::vector<std::uint8_t> ring(payload);
    std::size_t pos = 0;
    auto start = steady_clock::now();
    for (std::uint64_t i = 0; i < count; ++i) {
        if (pos + frame_bytes > ring.size()) pos = 0;
        std::memcpy(ring.data() + pos, src.data(), frame_bytes);
        src[0] = static_cast<std::uint8_t>(i);
        pos += frame_bytes;
    }
    double seconds = duration<double>(steady_clock::now() - start).count();
    volatile std::uint8_t sink = ring[payload / 2];
    (void)sink;
    double frames = static_cast<double>(count);
    return {frames / seconds, frames * static_cast<double>(frame_bytes) / seconds / 1e9};
}

std::vector<double> measure_roundtrip(std::uint64_t count, std::uint64_t warmup) {
    std::string a = unique("rt-a"), b = unique("rt-b");
    zerobuffer::Reader replies(a, zerobuffer::BufferConfig(0, 64 * 1024));
    Child echo = spawn_self({"_bench-echo", a, b, "--count", std::to_string(count + warmup), "--mode", "zerobuffer"});
    await_ready(echo, "bench echo");
    zerobuffer::Writer requests(b);
    std::vector<std::uint8_t> message(ROUNDTRIP_BYTES, 7);
    std::vector<double> samples;
    samples.reserve(count);
    for (std::uint64_t i = 0; i < count + warmup; ++i) {
        auto t0 = steady_clock::now();
        requests.write_frame(message.data(), message.size());
        zerobuffer::Frame reply = replies.read_frame(milliseconds(5000));
        if (!reply.valid()) throw ToolError("BenchFailed", "no echo after " + std::to_string(i) + " round trips");
        auto t1 = steady_clock::now();
        if (i >= warmup) samples.push_back(duration<double, std::micro>(t1 - t0).count());
    }
    finish(echo, "bench echo");
    return samples;
}

std::vector<double> measure_pingpong(std::uint64_t count, std::uint64_t warmup) {
    const std::string ping = unique("sem-ping", "/");
    const std::string pong = unique("sem-pong", "/");
    zerobuffer::detail::NamedSemaphore s_ping, s_pong;
    zerobuffer::detail::NamedSemaphore::create(ping, s_ping);
    zerobuffer::detail::NamedSemaphore::create(pong, s_pong);
    std::vector<double> samples;
    try {
        Child echo = spawn_self({"_bench-echo", ping, pong, "--count", std::to_string(count + warmup), "--mode", "semaphore"});
        await_ready(echo, "semaphore echo");
        samples.reserve(count);
        auto far = steady_clock::now() + seconds(60);
        for (std::uint64_t i = 0; i < count + warmup; ++i) {
            auto t0 = steady_clock::now();
            s_ping.post();
            if (!s_pong.wait_until(far, /*spin=*/false)) throw ToolError("BenchFailed", "semaphore echo stopped");
            auto t1 = steady_clock::now();
            if (i >= warmup) samples.push_back(duration<double, std::micro>(t1 - t0).count());
        }
        finish(echo, "semaphore echo");
    } catch (...) {
        zerobuffer::detail::NamedSemaphore::unlink(ping);
        zerobuffer::detail::NamedSemaphore::unlink(pong);
        throw;
    }
    zerobuffer::detail::NamedSemaphore::unlink(ping);
    zerobuffer::detail::NamedSemaphore::unlink(pong);
    return samples;
}

double percentile(std::vector<double> samples, double fraction) {
    if (samples.empty()) return 0;
    std::sort(samples.begin(), samples.end());
    auto index = static_cast<std::size_t>(fraction * static_cast<double>(samples.size() - 1) + 0.5);
    return samples[std::min(index, samples.size() - 1)];
}

double round_to(double v, int digits) {
    double scale = 1;
    for (int i = 0; i < digits; ++i) scale *= 10;
    return static_cast<double>(static_cast<long long>(v * scale + 0.5)) / scale;
}

// "ratio" means "times better than the baseline" in every language's bench (ratio > 1: ZeroBuffer did
// better): value / baseline for throughput, baseline / value for round-trip latency.
double better_ratio(const char* measure, double value, double baseline_value) {
    const bool latency = std::string_view(measure) == "roundtrip";
    const double numerator = latency ? baseline_value : value;
    const double denominator = latency ? value : baseline_value;
    return denominator > 0 ? numerator / denominator : 0.0;
}

Json record(const char* measure, std::size_t frame_bytes, double value, const std::string& unit, const char* baseline,
            double baseline_value) {
    Json r;
    r["measure"] = measure;
    r["frameBytes"] = frame_bytes;
    r["value"] = round_to(value, 4);
    r["unit"] = unit;
    r["baseline"] = baseline;
    r["baselineValue"] = round_to(baseline_value, 4);
    r["ratio"] = round_to(better_ratio(measure, value, baseline_value), 4);
    return r;
}

}  // namespace

int cmd_bench(const Args& args) {
    const bool quick = args.has_flag("--quick");
    const std::uint64_t total_bytes = quick ? (std::uint64_t{64} << 20) : (std::uint64_t{1} << 30);
    const std::size_t payload = quick ? (std::size_t{16} << 20) : (std::size_t{64} << 20);
    Json records = Json::array();
    std::printf("%-10s %10s %16s %16s %9s\n", "measure", "frame", "zerobuffer", "baseline", "ratio");
    for (std::size_t frame_bytes : {std::size_t{1024}, std::size_t{64 * 1024}, std::size_t{1024 * 1024}}) {
        std::uint64_t count = std::max<std::uint64_t>(total_bytes / frame_bytes, 64);
        Throughput zb = measure_throughput(frame_bytes, count, payload);
        Throughput base = measure_memcpy(frame_bytes, count, payload);
        records.push_back(record("throughput", frame_bytes, zb.frames_per_second, "frames/s", "memcpy", base.frames_per_second));
        records.push_back(record("throughput", frame_bytes, zb.gigabytes_per_second, "GB/s", "memcpy", base.gigabytes_per_second));
        std::printf("%-10s %10zu %11.3f GB/s %11.3f GB/s %9.3f\n", "throughput", frame_bytes, zb.gigabytes_per_second,
                    base.gigabytes_per_second, better_ratio("throughput", zb.gigabytes_per_second, base.gigabytes_per_second));
        std::printf("%-10s %10zu %10.0f fr/s %10.0f fr/s\n", "", frame_bytes, zb.frames_per_second, base.frames_per_second);
    }
    const std::uint64_t rounds = quick ? 5000 : 50000;
    const std::uint64_t warmup = quick ? 500 : 2000;
    auto rt = measure_roundtrip(rounds, warmup);
    auto pp = measure_pingpong(rounds, warmup);
    for (auto [label, fraction] : {std::pair{"p50", 0.50}, std::pair{"p99", 0.99}}) {
        double value = percentile(rt, fraction);
        double base = percentile(pp, fraction);
        records.push_back(record("roundtrip", ROUNDTRIP_BYTES, value, std::string("us ") + label, "sem-pingpong", base));
        std::printf("%-10s %10zu %11.2f us %-3s %8.2f us %9.3f\n", "roundtrip", ROUNDTRIP_BYTES, value, label, base,
                    better_ratio("roundtrip", value, base));
    }
    std::fflush(stdout);
    if (auto path = args.get("--json")) {
        std::ofstream out(*path);
        out << records.dump(2) << '\n';
        if (!out) throw ToolError("BenchFailed", "cannot write " + *path);
    }
    return 0;
}

int cmd_bench_writer(const Args& args) {
    if (args.positional.size() != 1) throw UsageError("_bench-writer <name>");
    auto count = static_cast<std::uint64_t>(args.get_int("--count", std::nullopt));
    auto size = static_cast<std::size_t>(args.get_int("--size", std::nullopt));
    zerobuffer::Writer writer(args.positional[0]);
    writer.set_write_timeout(milliseconds(10000));
    std::vector<std::uint8_t> data(size, 0x5A);
    for (std::uint64_t i = 0; i < count; ++i) {
        data[0] = static_cast<std::uint8_t>(i);
        writer.write_frame(data.data(), data.size());
    }
    return 0;
}

int cmd_bench_echo(const Args& args) {
    if (args.positional.size() != 2) throw UsageError("_bench-echo <reply> <request>");
    auto count = static_cast<std::uint64_t>(args.get_int("--count", std::nullopt));
    const std::string mode = args.get("--mode").value_or("zerobuffer");
    const std::string& reply_name = args.positional[0];
    const std::string& request_name = args.positional[1];
    if (mode == "semaphore") {
        zerobuffer::detail::NamedSemaphore ping, pong;
        if (!zerobuffer::detail::NamedSemaphore::open(reply_name, ping) ||
            !zerobuffer::detail::NamedSemaphore::open(request_name, pong)) {
            throw ToolError("BenchFailed", "semaphores missing");
        }
        emit_line("READY");
        auto far = steady_clock::now() + seconds(60);
        for (std::uint64_t i = 0; i < count; ++i) {
            if (!ping.wait_until(far, /*spin=*/false)) return 1;
            pong.post();
        }
        return 0;
    }
    zerobuffer::Reader requests(request_name, zerobuffer::BufferConfig(0, 64 * 1024));
    zerobuffer::Writer replies(reply_name);
    emit_line("READY");
    for (std::uint64_t i = 0; i < count; ++i) {
        zerobuffer::Frame frame = requests.read_frame(milliseconds(10000));
        if (!frame.valid()) return 1;
        replies.write_frame(frame.data(), frame.size());
    }
    // Stay until the other side has read the last reply (closing removes nothing it needs, but
    // our reader's buffer must outlive the other side's last write).
    return 0;
}

}  // namespace zbtool
