#include "step_definitions/support/polling.hpp"

namespace zbserve::step_definitions {

bool poll_for(steps::ScenarioContext& ctx, bool expected, const std::function<bool()>& state,
              std::chrono::milliseconds& elapsed) {
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + POLL_LIMIT;
    while (true) {
        bool seen = state();
        auto now = std::chrono::steady_clock::now();
        elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - start);
        if (seen == expected || now >= deadline) return seen;
        ctx.sleep_for(POLL_INTERVAL);
    }
}

}  // namespace zbserve::step_definitions
