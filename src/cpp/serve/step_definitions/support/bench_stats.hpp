// The figures of the benchmark steps (STEPS.md "Benchmarks", WORKER-PROTOCOL.md "Measurements"): metric
// names carry their unit; percentiles are nearest-rank, as in the C# and Python workers. The clocks:
// CLOCK_MONOTONIC (steady_clock on Linux, system-wide, so a stamp from another process compares) and the
// process's CPU time (CLOCK_PROCESS_CPUTIME_ID: all threads, nanosecond resolution).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace zbserve::step_definitions::bench {

using Metrics = std::map<std::string, double>;

std::int64_t now_ns();
std::int64_t process_cpu_ns();
// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID).
std::int64_t thread_cpu_ns();

// CPU % of this process (user + system, every thread) over the wall time since construction.
class CpuMeter {
public:
    double elapsed_seconds() const;
    double cpu_percent() const;

private:
    std::int64_t wall0_ = now_ns();
    std::int64_t cpu0_ = process_cpu_ns();
};

// Nearest-rank percentile of sorted samples, p in (0, 100]; std::invalid_argument when empty or out of range.
double percentile(const std::vector<double>& sorted, double p);

// iterations (without prefix only), min_us, max_us, mean_us, p50_us, p90_us, p99_us, p999_us of
// nanosecond samples, each time name preceded by prefix (e.g. "roundtrip_").
Metrics latency(const std::vector<std::int64_t>& nanoseconds, const std::string& prefix = "");

// frame_bytes, frames, seconds, frames_per_s, gb_per_s (10^9 bytes) of frames over seconds.
Metrics rate(std::int64_t frames, std::size_t frame_bytes, double seconds);

// Three decimals: figures, not noise.
double round3(double value);

}  // namespace zbserve::step_definitions::bench
