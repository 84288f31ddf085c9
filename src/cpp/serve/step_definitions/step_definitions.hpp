// ZeroBuffer step definitions (features/STEPS.md), one file per feature area. The only code that
// sees both the ZeroBuffer library and the step registry; main() registers them.
#pragma once

#include "steps/scenario_context.hpp"
#include "steps/step_errors.hpp"
#include "steps/step_registry.hpp"

namespace zbserve::step_definitions {

// The step-layer names every area uses.
using steps::AssertionFailed;
using steps::ScenarioContext;
using steps::StepArgs;
using steps::StepResult;

void register_buffer_steps(steps::StepRegistry& registry);
void register_metadata_steps(steps::StepRegistry& registry);
void register_frame_writing_steps(steps::StepRegistry& registry);
void register_frame_reading_steps(steps::StepRegistry& registry);
void register_background_writing_steps(steps::StepRegistry& registry);
void register_background_reading_steps(steps::StepRegistry& registry);
void register_oieb_steps(steps::StepRegistry& registry);
void register_edge_case_steps(steps::StepRegistry& registry);
void register_race_steps(steps::StepRegistry& registry);
void register_process_steps(steps::StepRegistry& registry);
void register_duplex_steps(steps::StepRegistry& registry);
void register_synchronization_steps(steps::StepRegistry& registry);
void register_integrity_steps(steps::StepRegistry& registry);
void register_platform_steps(steps::StepRegistry& registry);
void register_compliance_steps(steps::StepRegistry& registry);
void register_corruption_steps(steps::StepRegistry& registry);
void register_stress_steps(steps::StepRegistry& registry);
void register_benchmark_steps(steps::StepRegistry& registry);

// Every area above, in this order (what main() registers).
void register_all(steps::StepRegistry& registry);

}  // namespace zbserve::step_definitions
