// Timing assertions of the "… after waiting" / "… after the write timeout" phrases (STEPS.md).
#pragma once

#include <chrono>
#include <string>

#include "steps/step_request.hpp"

namespace zbserve::step_definitions {

// How far past its timeout a call may return on a loaded machine and still count as "after it".
inline constexpr std::chrono::milliseconds TIMING_SLACK{3000};

class Stopwatch {
public:
    std::chrono::milliseconds elapsed() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Records elapsedMs; AssertionFailed unless timeout <= elapsed <= timeout + TIMING_SLACK.
void expect_waited(std::chrono::milliseconds elapsed, std::chrono::milliseconds timeout, const std::string& what,
                   steps::StepResult& r);

}  // namespace zbserve::step_definitions
