// STEPS.md "Degradation" (PROTOCOL.md terms): a buffer is degraded once its OIEB payload_free_bytes has
// stayed below 20 % of payload_size (utilisation above 80 %) in every sample for at least the window; it has
// recovered once, after that, free bytes stayed at or above 20 % for at least the window. Fed samples in
// time order; pure, so it is tested without a buffer.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

namespace zbserve::step_definitions::bench {

class DegradationDetector {
public:
    static constexpr double THRESHOLD = 0.8;

    explicit DegradationDetector(std::int64_t window_ns) : window_ns_(window_ns) {}

    static double utilization(std::uint64_t free_bytes, std::uint64_t payload_size) {
        return 1.0 - static_cast<double>(free_bytes) / static_cast<double>(payload_size);
    }

    void sample(std::int64_t at_ns, double utilization) {
        max_utilization_ = std::max(max_utilization_, utilization);
        if (recovered_at_) return;
        const bool degraded = degraded_at_.has_value();
        const bool condition = degraded ? utilization <= THRESHOLD : utilization > THRESHOLD;
        if (!condition) {
            holding_ = false;
            return;
        }
        if (!holding_) {
            holding_ = true;
            since_ns_ = at_ns;
        }
        if (at_ns - since_ns_ < window_ns_) return;
        (degraded ? recovered_at_ : degraded_at_) = at_ns;
        holding_ = false;
    }

    std::optional<std::int64_t> degraded_at() const { return degraded_at_; }
    std::optional<std::int64_t> recovered_at() const { return recovered_at_; }
    double max_utilization() const { return max_utilization_; }

private:
    std::int64_t window_ns_;
    // Whether the condition has held since since_ns_ (a plain pair: GCC misreads an optional here as
    // possibly uninitialized).
    bool holding_ = false;
    std::int64_t since_ns_ = 0;
    std::optional<std::int64_t> degraded_at_;
    std::optional<std::int64_t> recovered_at_;
    double max_utilization_ = 0.0;
};

}  // namespace zbserve::step_definitions::bench
