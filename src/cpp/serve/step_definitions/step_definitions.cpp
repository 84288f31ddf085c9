#include "step_definitions/step_definitions.hpp"

namespace zbserve::step_definitions {

void register_all(steps::StepRegistry& registry) {
    register_buffer_steps(registry);
    register_metadata_steps(registry);
    register_frame_writing_steps(registry);
    register_frame_reading_steps(registry);
    register_background_writing_steps(registry);
    register_background_reading_steps(registry);
    register_oieb_steps(registry);
    register_edge_case_steps(registry);
    register_race_steps(registry);
    register_process_steps(registry);
    register_duplex_steps(registry);
    register_synchronization_steps(registry);
    register_integrity_steps(registry);
    register_platform_steps(registry);
    register_compliance_steps(registry);
    register_corruption_steps(registry);
    register_stress_steps(registry);
    register_benchmark_steps(registry);
}

}  // namespace zbserve::step_definitions
