#include "step_definitions/support/client_thread.hpp"

#include <exception>

namespace zbserve::step_definitions {

ClientThread::ClientThread() : thread_([this] { loop(); }) {}

ClientThread::~ClientThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ClientThread::run(const std::function<void()>& op) {
    if (std::this_thread::get_id() == thread_.get_id()) {
        op();
        return;
    }
    std::mutex done_mutex;
    std::condition_variable done_cv;
    bool done = false;
    std::exception_ptr error;
    {
        std::lock_guard lock(mutex_);
        work_.emplace_back([&] {
            try {
                op();
            } catch (...) {
                error = std::current_exception();
            }
            std::lock_guard done_lock(done_mutex);
            done = true;
            done_cv.notify_all();
        });
    }
    cv_.notify_all();
    std::unique_lock done_lock(done_mutex);
    done_cv.wait(done_lock, [&] { return done; });
    if (error) std::rethrow_exception(error);
}

void ClientThread::loop() {
    while (true) {
        std::function<void()> item;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stopping_ || !work_.empty(); });
            if (work_.empty()) return;
            item = std::move(work_.front());
            work_.pop_front();
        }
        item();
    }
}

}  // namespace zbserve::step_definitions
