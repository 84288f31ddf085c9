// The worker's methods (WORKER-PROTOCOL.md, Messages): health, initialize, discover, executeStep,
// cleanup, shutdown, simulateCrash. Reaches steps only through the registry (discover) and the invoker.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "rpc/dispatcher.hpp"
#include "rpc/params.hpp"
#include "steps/scenario_context.hpp"
#include "steps/step_invoker.hpp"
#include "steps/step_registry.hpp"

namespace zbserve::rpc {

class WorkerMethods {
public:
    WorkerMethods(const steps::StepRegistry& registry, steps::StepInvoker& invoker, params::StepDefaults defaults = {});
    ~WorkerMethods();

    void bind(Dispatcher& dispatcher);
    bool shutdown_requested() const noexcept { return shutdown_; }
    // Releases everything the current scenario holds, waiting up to join_limit for its threads.
    std::vector<std::string> release_all(std::chrono::milliseconds join_limit = steps::ScenarioContext::CLEANUP_JOIN);

    Json health(const Json& params);
    Json initialize(const Json& params);
    Json discover(const Json& params);
    Json execute_step(const Json& params);
    Json cleanup(const Json& params);
    Json shutdown(const Json& params);
    Json simulate_crash(const Json& params);

private:
    const steps::StepRegistry& registry_;
    steps::StepInvoker& invoker_;
    params::StepDefaults defaults_;
    std::shared_ptr<steps::ScenarioContext> context_;
    bool has_scenario_ = false;
    std::atomic<bool> shutdown_{false};
};

}  // namespace zbserve::rpc
