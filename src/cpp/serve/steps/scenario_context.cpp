#include "steps/scenario_context.hpp"

#include "logging/log_capture.hpp"
#include "steps/step_types.hpp"

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

std::exception_ptr BackgroundWork::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

ScenarioContext::~ScenarioContext() { dispose(); }

std::string ScenarioContext::buffer_name(const std::string& feature_name) const {
    return run_id_.empty() ? feature_name : run_id_ + "-" + feature_name;
}

zerobuffer::Reader& ScenarioContext::reader() {
    auto it = readers_.find(current_reader_);
    if (it == readers_.end()) throw AssertionFailed("this worker has no reader: no buffer was created in this scenario");
    return *it->second;
}

std::shared_ptr<zerobuffer::Writer> ScenarioContext::writer() {
    auto it = writers_.find(current_writer_);
    if (it == writers_.end()) {
        throw AssertionFailed("this worker has no writer: no buffer was connected to in this scenario");
    }
    return it->second;
}

void ScenarioContext::add_reader(const std::string& name, std::unique_ptr<zerobuffer::Reader> reader) {
    readers_[name] = std::move(reader);
    current_reader_ = name;
    last_sequence = 0;
}

void ScenarioContext::add_writer(const std::string& name, std::shared_ptr<zerobuffer::Writer> writer) {
    writers_[name] = std::move(writer);
    current_writer_ = name;
}

void ScenarioContext::drop_writer(const std::string& name) { writers_.erase(name); }

BackgroundWork& ScenarioContext::latest_background() {
    if (background.empty()) throw AssertionFailed("no background work was started in this scenario");
    return *background.back();
}

std::vector<std::string> ScenarioContext::dispose() {
    std::vector<std::string> released;
    for (auto& work : background) work->cancel();
    for (auto& work : background) {
        work->join();
        released.push_back("background:" + work->description());
    }
    background.clear();
    for (auto& [name, writer] : writers_) {
        if (writer.use_count() > 1) log_warning("writer of '" + name + "' is still used elsewhere while disposing");
        released.push_back("writer:" + name);
    }
    writers_.clear();
    for (auto& entry : readers_) released.push_back("reader:" + entry.first);
    readers_.clear();
    current_reader_.clear();
    current_writer_.clear();
    last_sequence = 0;
    write_timeout.reset();
    return released;
}

}  // namespace zbserve::steps
