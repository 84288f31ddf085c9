// The per-scenario step context (STEPS.md "Per-scenario context"): one per worker, all roles.
// Generic: the scenario's identity, cancellation, background work, and per-scenario services (the
// step definitions keep their library state in one). Knows nothing of ZeroBuffer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <typeindex>
#include <utility>
#include <vector>

namespace zbserve::steps {

struct ScenarioInfo {
    std::string run_id;
    std::string role;
    std::string mode = "separate-process";
    std::string scenario;
    std::string feature;
};

// A thread started by a step that a later step joins; cancelled and joined on dispose.
class BackgroundWork {
public:
    using Body = std::function<void(BackgroundWork& self)>;
    BackgroundWork(std::string description, Body body);
    ~BackgroundWork();
    BackgroundWork(const BackgroundWork&) = delete;
    BackgroundWork& operator=(const BackgroundWork&) = delete;

    // True once the body has returned or thrown (within timeout).
    bool wait_for(std::chrono::milliseconds timeout);
    bool finished() const;
    void cancel() noexcept { cancel_requested_ = true; }
    bool cancel_requested() const noexcept { return cancel_requested_; }
    void join();
    std::exception_ptr error() const;
    const std::string& description() const noexcept { return description_; }
    // From the start to the end of the body (to now while it runs).
    std::chrono::duration<double, std::milli> elapsed() const;

    std::atomic<std::uint64_t> progress{0};
    std::atomic<std::uint64_t> last_sequence{0};
    std::atomic<std::uint64_t> last_size{0};  // of the frame last written or read
    std::uint64_t goal = 0;  // the progress that means "all done" (0: none stated)
    std::string role;        // the process whose step started it (simulateCrash stops a role's work)
    bool reads = false;      // a background read (joined by "should stop reading"), not a write

private:
    std::string description_;
    const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point ended_;
    std::atomic<bool> cancel_requested_{false};
    mutable std::mutex mutex_;
    std::condition_variable done_cv_;
    bool done_ = false;
    std::exception_ptr error_;
    std::thread thread_;
};

// Per-scenario state a step-definition area keeps; released after background work has stopped.
class ScenarioService {
public:
    virtual ~ScenarioService() = default;
    // Releases what it holds; returns what it released (e.g. "reader:<buffer>").
    virtual std::vector<std::string> release() = 0;
    // Abandons what steps of role hold as a killed process would leave it (simulateCrash); returns
    // what it abandoned. The role's background work has already stopped.
    virtual std::vector<std::string> crash(const std::string& /*role*/) { return {}; }
};

class ScenarioContext {
public:
    static constexpr std::chrono::milliseconds CLEANUP_JOIN{15000};

    explicit ScenarioContext(ScenarioInfo info = {}) : info_(std::move(info)) {}
    ~ScenarioContext();
    ScenarioContext(const ScenarioContext&) = delete;
    ScenarioContext& operator=(const ScenarioContext&) = delete;

    const ScenarioInfo& info() const noexcept { return info_; }
    const std::string& run_id() const noexcept { return info_.run_id; }

    // The scenario's one instance of T (constructed on first use as T(*this)).
    template <typename T>
    T& service() {
        std::lock_guard lock(services_mutex_);
        for (auto& [type, instance] : services_) {
            if (type == std::type_index(typeid(T))) return static_cast<T&>(*instance);
        }
        services_.emplace_back(std::type_index(typeid(T)), std::make_unique<T>(*this));
        return static_cast<T&>(*services_.back().second);
    }

    void cancel();
    bool cancelled() const noexcept { return cancelled_; }
    // Throws StepCancelled once the scenario is being released.
    void check_cancelled() const;
    // Sleeps, but wakes at once (throwing StepCancelled) when the scenario is cancelled.
    void sleep_for(std::chrono::milliseconds duration);

    std::vector<std::unique_ptr<BackgroundWork>> background;
    // The most recently started background work, or AssertionFailed.
    BackgroundWork& latest_background();

    // simulateCrash: stops role's background work (waiting up to join_limit), then lets every
    // service abandon what role holds. Returns what was stopped and abandoned.
    std::vector<std::string> crash(const std::string& role, std::chrono::milliseconds join_limit = CLEANUP_JOIN);

    // Cancels; waits for background work up to join_limit in all (work still running then is left
    // to finish on its own, its objects kept alive); releases every service. Returns what it released.
    std::vector<std::string> dispose(std::chrono::milliseconds join_limit = CLEANUP_JOIN);

    // Held by the step running on this context (an abandoned step keeps holding it).
    std::timed_mutex step_mutex;

private:
    ScenarioInfo info_;
    std::atomic<bool> cancelled_{false};
    std::mutex cancel_mutex_;
    std::condition_variable cancel_cv_;
    std::mutex services_mutex_;
    std::vector<std::pair<std::type_index, std::unique_ptr<ScenarioService>>> services_;
};

}  // namespace zbserve::steps
