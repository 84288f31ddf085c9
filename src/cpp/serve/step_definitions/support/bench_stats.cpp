#include "step_definitions/support/bench_stats.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <numeric>
#include <stdexcept>

namespace zbserve::step_definitions::bench {

namespace {
std::int64_t clock_ns(clockid_t id) {
    timespec t{};
    clock_gettime(id, &t);
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}
}  // namespace

std::int64_t now_ns() { return clock_ns(CLOCK_MONOTONIC); }
std::int64_t process_cpu_ns() { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }
std::int64_t thread_cpu_ns() { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }

double CpuMeter::elapsed_seconds() const { return static_cast<double>(now_ns() - wall0_) / 1e9; }

double CpuMeter::cpu_percent() const {
    const std::int64_t wall = now_ns() - wall0_;
    const std::int64_t cpu = process_cpu_ns() - cpu0_;
    return wall <= 0 ? 0.0 : 100.0 * static_cast<double>(cpu) / static_cast<double>(wall);
}

double round3(double value) { return std::round(value * 1000.0) / 1000.0; }

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) throw std::invalid_argument("no samples to take a percentile of");
    if (!(p > 0.0 && p <= 100.0)) throw std::invalid_argument("a percentile is in (0, 100], not " + std::to_string(p));
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

Metrics latency(const std::vector<std::int64_t>& nanoseconds, const std::string& prefix) {
    if (nanoseconds.empty()) throw std::invalid_argument("no latency samples");
    std::vector<double> micros;
    micros.reserve(nanoseconds.size());
    for (std::int64_t ns : nanoseconds) micros.push_back(static_cast<double>(ns) / 1000.0);
    std::sort(micros.begin(), micros.end());
    Metrics m;
    if (prefix.empty()) m["iterations"] = static_cast<double>(micros.size());
    m[prefix + "min_us"] = round3(micros.front());
    m[prefix + "max_us"] = round3(micros.back());
    m[prefix + "mean_us"] = round3(std::accumulate(micros.begin(), micros.end(), 0.0) / static_cast<double>(micros.size()));
    m[prefix + "p50_us"] = round3(percentile(micros, 50));
    m[prefix + "p90_us"] = round3(percentile(micros, 90));
    m[prefix + "p99_us"] = round3(percentile(micros, 99));
    m[prefix + "p999_us"] = round3(percentile(micros, 99.9));
    return m;
}

Metrics rate(std::int64_t frames, std::size_t frame_bytes, double seconds) {
    if (!(seconds > 0.0)) throw std::invalid_argument("a rate needs a positive interval");
    const double f = static_cast<double>(frames);
    return Metrics{
        {"frame_bytes", static_cast<double>(frame_bytes)},
        {"frames", f},
        {"seconds", round3(seconds)},
        {"frames_per_s", round3(f / seconds)},
        {"gb_per_s", round3(f * static_cast<double>(frame_bytes) / seconds / 1e9)},
    };
}

}  // namespace zbserve::step_definitions::bench
