#include "step_definitions/support/bench_writer.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "steps/step_errors.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"

namespace zbserve::step_definitions::bench {

namespace {

// Sleep while the next frame is further away than this; closer, spin (a sleep overshoots by ~60 us).
constexpr std::int64_t SPIN_BELOW_NS = 200'000;
constexpr std::chrono::milliseconds PROBE_SLICE{50};

void wait_until(std::int64_t deadline, const steps::BackgroundWork& self) {
    std::int64_t remaining;
    while ((remaining = deadline - now_ns()) > 0 && !self.cancel_requested()) {
        if (remaining > SPIN_BELOW_NS) std::this_thread::sleep_for(std::chrono::nanoseconds(remaining - SPIN_BELOW_NS));
    }
}

struct ProbePair {
    zerobuffer::detail::NamedSemaphore ping;
    zerobuffer::detail::NamedSemaphore pong;
    std::string ping_name;
    std::string pong_name;
    ~ProbePair() {
        zerobuffer::detail::NamedSemaphore::unlink(ping_name);
        zerobuffer::detail::NamedSemaphore::unlink(pong_name);
    }
};

}  // namespace

void check_size(std::size_t size) {
    if (size < STAMP_BYTES) {
        throw steps::AssertionFailed("benchmark frames carry an 8-byte timestamp: size " + std::to_string(size) + " is too small");
    }
}

std::vector<std::uint8_t> source(std::size_t size) {
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(i);
    return bytes;
}

void write_stamped(zerobuffer::Writer& writer, const std::vector<std::uint8_t>& source, std::int64_t stamp) {
    std::uint64_t sequence = 0;
    auto* frame = static_cast<std::uint8_t*>(writer.get_frame_buffer(source.size(), sequence));
    std::memcpy(frame, source.data(), source.size());
    std::memcpy(frame, &stamp, STAMP_BYTES);  // little-endian on every target
    writer.commit_frame();
}

std::int64_t stamp_of(const zerobuffer::Frame& frame) {
    std::int64_t stamp = 0;
    std::memcpy(&stamp, frame.data(), STAMP_BYTES);
    return stamp;
}

std::string ping_name(const std::string& buffer) { return "/bench-ping-" + buffer; }
std::string pong_name(const std::string& buffer) { return "/bench-pong-" + buffer; }

Body timed(std::shared_ptr<zerobuffer::Writer> writer, std::size_t size, double seconds, std::shared_ptr<WriterOutcome> out) {
    return [writer, size, seconds, out](steps::BackgroundWork& self) {
        const auto bytes = source(size);
        CpuMeter cpu;
        const std::int64_t end = now_ns() + static_cast<std::int64_t>(seconds * 1e9);
        std::int64_t frames = 0;
        for (std::int64_t now; (now = now_ns()) < end && !self.cancel_requested();) {
            write_stamped(*writer, bytes, now);
            self.progress = static_cast<std::uint64_t>(++frames);
        }
        write_stamped(*writer, bytes, 0);
        out->metrics = rate(frames, size, cpu.elapsed_seconds());
        out->metrics["cpu_pct"] = round3(cpu.cpu_percent());
    };
}

Body paced(std::shared_ptr<zerobuffer::Writer> writer, std::size_t size, std::uint64_t rate_hz, double seconds,
           std::shared_ptr<WriterOutcome> out) {
    return [writer, size, rate_hz, seconds, out](steps::BackgroundWork& self) {
        const auto bytes = source(size);
        CpuMeter cpu;
        const std::int64_t interval = 1'000'000'000 / static_cast<std::int64_t>(std::max<std::uint64_t>(rate_hz, 1));
        const std::int64_t start = now_ns();
        const std::int64_t end = start + static_cast<std::int64_t>(seconds * 1e9);
        std::int64_t next = start;
        std::int64_t frames = 0;
        while (next < end && !self.cancel_requested()) {
            wait_until(next, self);
            const std::int64_t now = now_ns();
            write_stamped(*writer, bytes, now);
            self.progress = static_cast<std::uint64_t>(++frames);
            next = std::max(next + interval, now);
        }
        write_stamped(*writer, bytes, 0);
        const double elapsed = cpu.elapsed_seconds();
        out->metrics = rate(frames, size, elapsed);
        out->metrics["cpu_pct"] = round3(cpu.cpu_percent());
        out->metrics["target_hz"] = static_cast<double>(rate_hz);
        out->metrics["rate_hz"] = round3(static_cast<double>(frames) / elapsed);
    };
}

Body probes(std::shared_ptr<zerobuffer::Writer> writer, std::uint64_t count, std::size_t size,
            std::shared_ptr<WriterOutcome> out) {
    auto pair = std::make_shared<ProbePair>();
    pair->ping_name = ping_name(writer->name());
    pair->pong_name = pong_name(writer->name());
    zerobuffer::detail::NamedSemaphore::create(pair->ping_name, pair->ping);
    zerobuffer::detail::NamedSemaphore::create(pair->pong_name, pair->pong);
    return [writer, count, size, out, pair](steps::BackgroundWork& self) mutable {
        auto held = std::move(pair);  // unlinks the pair when the body ends, however it ends
        const auto bytes = source(size);
        CpuMeter cpu;
        const std::uint64_t pongs = std::min(count, BASELINE_PING_PONGS);
        for (std::uint64_t i = 0; i < pongs + count; ++i) {
            const std::int64_t give_up = now_ns() + PROBE_TIMEOUT.count() * 1'000'000;
            bool probed = false;
            while (!probed && now_ns() < give_up) {
                if (self.cancel_requested()) return;
                probed = held->ping.wait_until(std::chrono::steady_clock::now() + PROBE_SLICE, false);
            }
            if (!probed) {
                throw std::runtime_error("no latency probe " + std::to_string(i + 1) + " of " + std::to_string(pongs + count) +
                                         " on '" + held->ping_name + "' within 5000 ms");
            }
            if (i < pongs) {
                held->pong.post();
            } else {
                write_stamped(*writer, bytes, now_ns());
                self.progress = i + 1 - pongs;
            }
        }
        out->metrics = Metrics{{"frame_bytes", static_cast<double>(size)},
                               {"frames", static_cast<double>(count)},
                               {"seconds", round3(cpu.elapsed_seconds())},
                               {"cpu_pct", round3(cpu.cpu_percent())}};
    };
}

}  // namespace zbserve::step_definitions::bench
