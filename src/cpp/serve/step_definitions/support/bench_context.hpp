// The benchmark state of one scenario in one worker: the benchmark writing started last (its work lives in
// the step context's background list, which cleanup stops), the figures each role's last measuring step
// returned (for "should have measured") and the reader's last throughput (the wrap-around baseline).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "step_definitions/support/bench_stats.hpp"
#include "step_definitions/support/bench_writer.hpp"
#include "steps/scenario_context.hpp"

namespace zbserve::step_definitions::bench {

class BenchContext : public steps::ScenarioService {
public:
    explicit BenchContext(steps::ScenarioContext& /*context*/) {}

    struct Pending {
        steps::BackgroundWork* work;
        std::shared_ptr<WriterOutcome> outcome;
    };

    void start(steps::BackgroundWork* work, std::shared_ptr<WriterOutcome> outcome) { pending_.push_back({work, std::move(outcome)}); }
    // The benchmark writing started last and not joined, or AssertionFailed.
    Pending current() const;
    void joined(const Pending& done);

    void record(const std::string& role, const Metrics& metrics) { last_metrics_[role] = metrics; }
    // AssertionFailed when the role has measured nothing in this scenario.
    const Metrics& last_metrics(const std::string& role) const;

    std::optional<Metrics> last_throughput;

    std::vector<std::string> release() override;

private:
    std::vector<Pending> pending_;
    std::map<std::string, Metrics> last_metrics_;
};

inline BenchContext& bench_of(steps::ScenarioContext& ctx) { return ctx.service<BenchContext>(); }

}  // namespace zbserve::step_definitions::bench
