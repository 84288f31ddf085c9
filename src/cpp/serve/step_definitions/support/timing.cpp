#include "step_definitions/support/timing.hpp"

#include "steps/step_errors.hpp"

namespace zbserve::step_definitions {

void expect_waited(std::chrono::milliseconds elapsed, std::chrono::milliseconds timeout, const std::string& what,
                   steps::StepResult& r) {
    r.data["elapsedMs"] = elapsed.count();
    if (elapsed < timeout) {
        throw steps::AssertionFailed(what + " came after " + std::to_string(elapsed.count()) +
                                     " ms, before the " + std::to_string(timeout.count()) +
                                     " ms timeout: it did not wait");
    }
    if (elapsed > timeout + TIMING_SLACK) {
        throw steps::AssertionFailed(what + " came after " + std::to_string(elapsed.count()) + " ms, more than " +
                                     std::to_string(TIMING_SLACK.count()) + " ms past the " +
                                     std::to_string(timeout.count()) + " ms timeout");
    }
}

}  // namespace zbserve::step_definitions
