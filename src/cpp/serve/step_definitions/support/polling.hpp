// STEPS.md "Polling phrases": check a state every 10 ms for up to 2000 ms.
#pragma once

#include <chrono>
#include <functional>

#include "steps/scenario_context.hpp"

namespace zbserve::step_definitions {

inline constexpr std::chrono::milliseconds POLL_INTERVAL{10};
inline constexpr std::chrono::milliseconds POLL_LIMIT{2000};

// Polls state() until it equals expected or POLL_LIMIT has passed; returns the last state seen.
// elapsed receives the time spent. Cancellation ends it with StepCancelled.
bool poll_for(steps::ScenarioContext& ctx, bool expected, const std::function<bool()>& state,
              std::chrono::milliseconds& elapsed);

}  // namespace zbserve::step_definitions
