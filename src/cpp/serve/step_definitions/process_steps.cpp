// The worker process itself.
#include <unistd.h>

#include "worker_identity.hpp"
#include "step_definitions/step_definitions.hpp"

namespace zbserve::step_definitions {

void register_process_steps(steps::StepRegistry& registry) {
    registry.given("the '([^']+)' process is ready", [](steps::ScenarioContext&, const steps::StepArgs&, steps::StepResult& r) {
        r.data["pid"] = static_cast<int>(::getpid());
        r.data["platform"] = PLATFORM;
    });
}

}  // namespace zbserve::step_definitions
