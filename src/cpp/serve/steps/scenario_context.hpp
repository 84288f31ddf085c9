// Per-scenario state of one worker (STEPS.md "Per-scenario context"): readers and writers by
// buffer name, the current ones, the reader's last consumed sequence, write timeout, background work.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "zerobuffer/reader.hpp"
#include "zerobuffer/writer.hpp"

namespace zbserve::steps {

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

    std::atomic<std::uint64_t> progress{0};
    std::atomic<std::uint64_t> last_sequence{0};

private:
    std::string description_;
    std::atomic<bool> cancel_requested_{false};
    mutable std::mutex mutex_;
    std::condition_variable done_cv_;
    bool done_ = false;
    std::exception_ptr error_;
    std::thread thread_;
};

class ScenarioContext {
public:
    explicit ScenarioContext(std::string run_id = {}) : run_id_(std::move(run_id)) {}
    ~ScenarioContext();
    ScenarioContext(const ScenarioContext&) = delete;
    ScenarioContext& operator=(const ScenarioContext&) = delete;

    // "<runId>-<name>" (just name without a run id).
    std::string buffer_name(const std::string& feature_name) const;
    const std::string& run_id() const noexcept { return run_id_; }

    // The current reader / writer, or AssertionFailed naming what is missing.
    zerobuffer::Reader& reader();
    std::shared_ptr<zerobuffer::Writer> writer();

    void add_reader(const std::string& name, std::unique_ptr<zerobuffer::Reader> reader);
    void add_writer(const std::string& name, std::shared_ptr<zerobuffer::Writer> writer);
    // Disposes the writer of name, if this context holds one.
    void drop_writer(const std::string& name);

    std::uint64_t last_sequence = 0;  // of the current reader
    std::optional<std::chrono::milliseconds> write_timeout;
    std::vector<std::unique_ptr<BackgroundWork>> background;
    // The most recently started background work, or AssertionFailed.
    BackgroundWork& latest_background();

    // Cancels and joins background work, then disposes writers and readers. Returns what it released.
    std::vector<std::string> dispose();

    // Held by the step running on this context (an abandoned step keeps holding it).
    std::timed_mutex step_mutex;

private:
    std::string run_id_;
    std::map<std::string, std::unique_ptr<zerobuffer::Reader>> readers_;
    std::map<std::string, std::shared_ptr<zerobuffer::Writer>> writers_;
    std::string current_reader_;
    std::string current_writer_;
};

}  // namespace zbserve::steps
