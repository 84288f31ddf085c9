#include "steps/scenario_context.hpp"

#include <algorithm>
#include <iterator>

#include "logging/log_capture.hpp"
#include "steps/step_errors.hpp"

namespace zbserve::steps {

BackgroundWork::BackgroundWork(std::string description, Body body) : description_(std::move(description)) {
    thread_ = std::thread([this, body = std::move(body)] {
        std::exception_ptr error;
        try {
            body(*this);
        } catch (...) {
            error = std::current_exception();
        }
        std::lock_guard lock(mutex_);
        ended_ = std::chrono::steady_clock::now();
        error_ = error;
        done_ = true;
        done_cv_.notify_all();
    });
}

BackgroundWork::~BackgroundWork() {
    cancel();
    join();
}

bool BackgroundWork::wait_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return done_cv_.wait_for(lock, timeout, [this] { return done_; });
}

bool BackgroundWork::finished() const {
    std::lock_guard lock(mutex_);
    return done_;
}

void BackgroundWork::join() {
    if (thread_.joinable()) thread_.join();
}

std::chrono::duration<double, std::milli> BackgroundWork::elapsed() const {
    std::lock_guard lock(mutex_);
    return (done_ ? ended_ : std::chrono::steady_clock::now()) - started_;
}

std::exception_ptr BackgroundWork::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

ScenarioContext::~ScenarioContext() { dispose(); }

void ScenarioContext::cancel() {
    {
        std::lock_guard lock(cancel_mutex_);
        cancelled_ = true;
    }
    cancel_cv_.notify_all();
}

void ScenarioContext::check_cancelled() const {
    if (cancelled_) throw StepCancelled("scenario '" + info_.scenario + "' is being released");
}

void ScenarioContext::sleep_for(std::chrono::milliseconds duration) {
    std::unique_lock lock(cancel_mutex_);
    cancel_cv_.wait_for(lock, duration, [this] { return cancelled_.load(); });
    lock.unlock();
    check_cancelled();
}

BackgroundWork& ScenarioContext::latest_background() {
    if (background.empty()) throw AssertionFailed("no background work was started in this scenario");
    return *background.back();
}

namespace {

// Cancels the works, waits for them up to join_limit in all and destroys them; one still blocked in
// the library then is left to finish on its own (destroying it would join), with what it holds.
std::vector<std::string> stop_works(std::vector<std::unique_ptr<BackgroundWork>> works,
                                    std::chrono::milliseconds join_limit) {
    std::vector<std::string> stopped;
    auto deadline = std::chrono::steady_clock::now() + join_limit;
    for (auto& work : works) work->cancel();
    for (auto& work : works) {
        stopped.push_back("background:" + work->description());
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (!work->wait_for(std::max(left, std::chrono::milliseconds(0)))) {
            log_warning("background " + work->description() + " did not stop within " +
                        std::to_string(join_limit.count()) + " ms; leaving it running");
            static_cast<void>(work.release());
        }
    }
    return stopped;
}

}  // namespace

std::vector<std::string> ScenarioContext::crash(const std::string& role, std::chrono::milliseconds join_limit) {
    auto split = std::stable_partition(background.begin(), background.end(),
                                       [&](const std::unique_ptr<BackgroundWork>& work) { return work->role != role; });
    std::vector<std::unique_ptr<BackgroundWork>> crashed(std::make_move_iterator(split),
                                                         std::make_move_iterator(background.end()));
    background.erase(split, background.end());
    std::vector<std::string> abandoned = stop_works(std::move(crashed), join_limit);
    std::lock_guard lock(services_mutex_);
    for (auto& [type, service] : services_) {
        auto names = service->crash(role);
        abandoned.insert(abandoned.end(), names.begin(), names.end());
    }
    return abandoned;
}

std::vector<std::string> ScenarioContext::dispose(std::chrono::milliseconds join_limit) {
    cancel();
    std::vector<std::string> released = stop_works(std::move(background), join_limit);
    background.clear();
    std::vector<std::pair<std::type_index, std::unique_ptr<ScenarioService>>> services;
    {
        std::lock_guard lock(services_mutex_);
        services.swap(services_);
    }
    for (auto& [type, service] : services) {
        auto names = service->release();
        released.insert(released.end(), names.begin(), names.end());
    }
    return released;
}

}  // namespace zbserve::steps
