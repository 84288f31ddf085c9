#include "steps/step_executor.hpp"

#include <algorithm>

namespace zbserve::steps {

// State shared by the executor and its thread; an abandoned thread keeps it alive by itself.
struct StepExecutor::Lane {
    std::mutex mutex;
    std::condition_variable cv;
    Job job;
    bool has_job = false;
    bool done = false;
    bool stop = false;
    bool running = true;
    StepResult result;
    std::thread thread;

    static void loop(std::shared_ptr<Lane> self) {
        std::unique_lock lock(self->mutex);
        while (true) {
            self->cv.wait(lock, [&] { return self->has_job || self->stop; });
            if (self->stop && !self->has_job) break;
            Job job = std::move(self->job);
            self->has_job = false;
            lock.unlock();
            StepResult result;
            try {
                result = job();
            } catch (const std::exception& e) {
                result = StepResult::failure("UnhandledException", e.what());
            } catch (...) {
                result = StepResult::failure("UnhandledException", "unknown exception");
            }
            lock.lock();
            self->result = std::move(result);
            self->done = true;
            self->cv.notify_all();
        }
        self->running = false;
    }
};

StepExecutor::StepExecutor() { start_lane(); }

StepExecutor::~StepExecutor() {
    {
        std::lock_guard lock(lane_->mutex);
        lane_->stop = true;
    }
    lane_->cv.notify_all();
    if (lane_->thread.joinable()) lane_->thread.join();
    for (auto& lane : abandoned_) {
        std::lock_guard lock(lane->mutex);
        lane->stop = true;
        lane->cv.notify_all();
    }
}

void StepExecutor::start_lane() {
    lane_ = std::make_shared<Lane>();
    lane_->thread = std::thread(&Lane::loop, lane_);
}

std::optional<StepResult> StepExecutor::run(Job job, std::optional<std::chrono::milliseconds> timeout,
                                            const std::atomic<bool>* stop) {
    using clock = std::chrono::steady_clock;
    // How often a wait looks at stop: the liveness rule leaves 2 s from end of input to exit.
    constexpr std::chrono::milliseconds stop_poll{50};
    std::unique_lock lock(lane_->mutex);
    lane_->job = std::move(job);
    lane_->has_job = true;
    lane_->done = false;
    lane_->cv.notify_all();
    auto finished = [&] { return lane_->done; };
    const auto deadline = timeout ? clock::now() + *timeout : clock::time_point::max();
    while (!finished()) {
        // Wait first: a step that ends within one poll interval is answered even when stop is set.
        auto wake = stop != nullptr ? std::min(deadline, clock::now() + stop_poll) : deadline;
        if (wake == clock::time_point::max()) {
            lane_->cv.wait(lock, finished);
        } else {
            lane_->cv.wait_until(lock, wake, finished);
        }
        if (finished()) break;
        if (clock::now() >= deadline || (stop != nullptr && *stop)) {
            // Abandon: the thread finishes the job whenever it can, then exits (stop is set).
            lane_->stop = true;
            lane_->thread.detach();
            lock.unlock();
            abandoned_.push_back(lane_);
            start_lane();
            return std::nullopt;
        }
    }
    return std::move(lane_->result);
}

int StepExecutor::abandoned_running() const {
    int n = 0;
    for (const auto& lane : abandoned_) {
        std::lock_guard lock(lane->mutex);
        if (lane->running) ++n;
    }
    return n;
}

}  // namespace zbserve::steps
