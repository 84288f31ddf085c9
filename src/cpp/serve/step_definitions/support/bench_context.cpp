#include "step_definitions/support/bench_context.hpp"

#include <algorithm>

#include "steps/step_errors.hpp"

namespace zbserve::step_definitions::bench {

BenchContext::Pending BenchContext::current() const {
    if (pending_.empty()) {
        throw steps::AssertionFailed(
            "no benchmark writing is in progress in this worker: no 'starts writing frames ... in the background' or "
            "'starts answering ... latency probes' step is pending");
    }
    return pending_.back();
}

void BenchContext::joined(const Pending& done) {
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.work == done.work; }),
                   pending_.end());
}

const Metrics& BenchContext::last_metrics(const std::string& role) const {
    auto found = last_metrics_.find(role);
    if (found == last_metrics_.end()) {
        throw steps::AssertionFailed("the '" + role + "' process has measured nothing yet in this scenario");
    }
    return found->second;
}

std::vector<std::string> BenchContext::release() {
    std::vector<std::string> released;
    for (const auto& p : pending_) released.push_back("benchmark:" + p.outcome->buffer);  // the work itself may be gone (stopped first)
    pending_.clear();
    last_metrics_.clear();
    last_throughput.reset();
    return released;
}

}  // namespace zbserve::step_definitions::bench
