// The worker's methods (WORKER-PROTOCOL.md, Messages): health, initialize, discover, executeStep,
// cleanup, shutdown. Reaches steps only through the registry and the executor.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "rpc/dispatcher.hpp"
#include "steps/scenario_context.hpp"
#include "steps/step_executor.hpp"
#include "steps/step_registry.hpp"

namespace zbserve::rpc {

struct WorkerOptions {
    bool step_timeouts = true;  // false while a debugger is attached
    int default_timeout_ms = 30000;
};

class WorkerService {
public:
    explicit WorkerService(WorkerOptions options = {});
    ~WorkerService();

    void bind(Dispatcher& dispatcher);
    bool shutdown_requested() const noexcept { return shutdown_; }
    // Releases everything the current scenario holds (used on shutdown and end of input).
    std::vector<std::string> release_all();
    const steps::StepRegistry& registry() const noexcept { return registry_; }

    Json health(const Json& params);
    Json initialize(const Json& params);
    Json discover(const Json& params);
    Json execute_step(const Json& params);
    Json cleanup(const Json& params);
    Json shutdown(const Json& params);

private:
    steps::StepRequest parse_step_request(const Json& params) const;
    steps::StepResult run_step(const steps::StepRequest& request);
    static Json to_json(const steps::StepResult& result);

    WorkerOptions options_;
    steps::StepRegistry registry_;
    std::unique_ptr<steps::StepExecutor> executor_;
    std::shared_ptr<steps::ScenarioContext> context_;
    bool has_scenario_ = false;
    std::string scenario_;
    std::atomic<bool> shutdown_{false};
};

}  // namespace zbserve::rpc
