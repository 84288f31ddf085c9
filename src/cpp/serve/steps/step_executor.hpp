// Runs steps on a dedicated thread and waits with a deadline. A step that overruns is abandoned:
// its thread is detached (it finishes or blocks on its own) and a fresh thread serves later steps.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "steps/step_request.hpp"

namespace zbserve::steps {

class StepExecutor {
public:
    using Job = std::function<StepResult()>;

    StepExecutor();
    ~StepExecutor();
    StepExecutor(const StepExecutor&) = delete;
    StepExecutor& operator=(const StepExecutor&) = delete;

    // The job's result, or nullopt when it did not finish within timeout (nullopt timeout: wait
    // as long as it takes) or stop became true first. After nullopt, the job keeps running on an
    // abandoned thread.
    std::optional<StepResult> run(Job job, std::optional<std::chrono::milliseconds> timeout,
                                  const std::atomic<bool>* stop = nullptr);

    // How many threads were abandoned so far and are still running.
    int abandoned_running() const;

private:
    struct Lane;
    void start_lane();

    std::shared_ptr<Lane> lane_;
    std::vector<std::shared_ptr<Lane>> abandoned_;
};

}  // namespace zbserve::steps
