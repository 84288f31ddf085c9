// This process's resident memory (VmRSS of /proc/self/status) and open descriptors (entries of
// /proc/self/fd), and the rule that calls two samples flat (features/STEPS.md "Stress").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zbserve::step_definitions {

struct ResourceSample {
    std::int64_t rss_kib = 0;
    std::int64_t fds = 0;

    // The RSS growth a flat process may show: 2 MiB or 15 % of this sample, whichever is larger
    // (runtimes go on growing a little after any warm-up; a leak per frame, buffer or connection over
    // a stress round grows past it).
    std::int64_t allowed_growth_kib() const;
    // What is wrong with end measured against this baseline (empty when flat).
    std::vector<std::string> problems_at(const ResourceSample& end) const;
};

ResourceSample sample_resources();

// Sets the soft RLIMIT_NOFILE to soft (at most the hard limit, which is kept) until destroyed: how a
// stress step reaches the system's refusal quickly and at a known point.
class LoweredOpenFileLimit {
public:
    explicit LoweredOpenFileLimit(std::uint64_t soft);
    ~LoweredOpenFileLimit();
    LoweredOpenFileLimit(const LoweredOpenFileLimit&) = delete;
    LoweredOpenFileLimit& operator=(const LoweredOpenFileLimit&) = delete;
    std::uint64_t soft() const noexcept { return soft_; }

private:
    std::uint64_t previous_soft_;
    std::uint64_t hard_;
    std::uint64_t soft_;
};

}  // namespace zbserve::step_definitions
