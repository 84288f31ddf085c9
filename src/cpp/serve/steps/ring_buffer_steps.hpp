#pragma once

#include "steps/step_registry.hpp"

namespace zbserve::steps {

// Registers every step phrase of features/STEPS.md.
void register_ring_buffer_steps(StepRegistry& registry);

}  // namespace zbserve::steps
