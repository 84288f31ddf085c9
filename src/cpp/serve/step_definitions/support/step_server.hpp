// A duplex server started by a step (STEPS.md "Duplex channel"): the handler the phrase named, when
// it answers (the plan), and the counters later steps check. Every wait of a handler ends when the
// server is being stopped, so stopping never waits a delay out.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "step_definitions/support/duplex_handlers.hpp"
#include "zerobuffer/duplex.hpp"

namespace zbserve::step_definitions {

struct AnswerPlan {
    enum class Kind { Fixed, UpTo, ReverseBatch, FirstOnly } kind = Kind::Fixed;
    std::uint64_t delay_ms = 0;  // Fixed: every request; UpTo: the maximum; ReverseBatch: after the batch
    std::uint64_t count = 0;     // ReverseBatch: batch size; FirstOnly: requests answered

    // UpTo: (s * 37) mod (max + 1) ms for request s: 0..max, spread, deterministic.
    std::uint64_t delay_for(std::uint64_t sequence) const { return sequence * 37 % (delay_ms + 1); }
};

// Bytes the server's loop thread allocated per request, marked at every handler entry (one interval is
// one whole loop iteration); the first interval warms up and is not counted. Marking never allocates.
class AllocationMeter {
public:
    void mark() noexcept;
    std::vector<std::uint64_t> measured() const;

private:
    static constexpr std::size_t CAPACITY = 4096;
    std::array<std::uint64_t, CAPACITY> intervals_{};
    std::atomic<std::size_t> count_{0};
    std::uint64_t last_ = 0;
    bool started_ = false;
};

class StepServer {
public:
    StepServer(std::string feature_name, const std::string& channel, std::size_t payload_size, DuplexHandler handler,
               bool mutable_server, const zerobuffer::duplex::ServerOptions& options, AnswerPlan plan);
    ~StepServer();  // wakes held handlers, then stops the server (removes _request)
    StepServer(const StepServer&) = delete;
    StepServer& operator=(const StepServer&) = delete;

    const std::string& feature_name() const noexcept { return feature_name_; }
    const std::string& channel_name() const noexcept { return channel_; }
    const AllocationMeter* meter() const noexcept { return meter_.get(); }

    std::atomic<int> handling{0};
    std::atomic<int> writing{0};
    std::atomic<int> answered{0};
    std::atomic<std::size_t> last_request_size{0};
    std::string failure_kind() const;

private:
    void answer(const zerobuffer::Frame& request, zerobuffer::duplex::ResponseWriter& response);
    void transform_in_place(zerobuffer::Frame& request);
    bool hold(std::uint64_t sequence);
    bool hold_for_batch(std::uint64_t sequence);
    void batch_answered(std::uint64_t sequence);
    // Waits up to duration; true when the server is being stopped.
    bool wait_stopping(std::chrono::milliseconds duration);

    std::string feature_name_;
    std::string channel_;
    DuplexHandler handler_;
    AnswerPlan plan_;
    std::unique_ptr<AllocationMeter> meter_;
    mutable std::mutex mutex_;  // stopping_, batches, failure_kind_
    std::condition_variable changed_;
    bool stopping_ = false;
    std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> batches_;  // batch -> (arrived, answered)
    std::string failure_kind_;
    std::unique_ptr<zerobuffer::duplex::DuplexServer> server_;
};

}  // namespace zbserve::step_definitions
