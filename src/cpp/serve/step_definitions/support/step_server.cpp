#include "step_definitions/support/step_server.hpp"

#include "logging/log_capture.hpp"
#include "step_definitions/support/allocation_counter.hpp"
#include "zerobuffer/errors.hpp"

namespace zbserve::step_definitions {

namespace duplex = zerobuffer::duplex;

namespace {
constexpr std::size_t REQUEST_METADATA_SIZE = 4096;
}

void AllocationMeter::mark() noexcept {
    std::uint64_t now = thread_allocated_bytes();
    std::size_t count = count_.load();
    if (started_ && count < CAPACITY) {
        intervals_[count] = now - last_;
        count_.store(count + 1);
    }
    started_ = true;
    last_ = now;
}

std::vector<std::uint64_t> AllocationMeter::measured() const {
    std::size_t count = count_.load();
    if (count <= 1) return {};
    return {intervals_.begin() + 1, intervals_.begin() + static_cast<std::ptrdiff_t>(count)};
}

StepServer::StepServer(std::string feature_name, const std::string& channel, std::size_t payload_size,
                       DuplexHandler handler, bool mutable_server, const duplex::ServerOptions& options, AnswerPlan plan)
    : feature_name_(std::move(feature_name)), channel_(channel), handler_(handler), plan_(plan) {
    if (handler == DuplexHandler::Xor) meter_ = std::make_unique<AllocationMeter>();
    zerobuffer::BufferConfig config(REQUEST_METADATA_SIZE, payload_size);
    if (mutable_server) {
        if (handler == DuplexHandler::Double) {
            throw steps::StepArgumentError("a mutable server answers with the request bytes: it cannot double them");
        }
        auto server = std::make_unique<duplex::MutableDuplexServer>(channel, config);
        server->start([this](zerobuffer::Frame& request) { transform_in_place(request); }, nullptr, options);
        server_ = std::move(server);
    } else {
        auto server = std::make_unique<duplex::ImmutableDuplexServer>(channel, config);
        server->start([this](const zerobuffer::Frame& request, duplex::ResponseWriter& response) { answer(request, response); },
                      nullptr, options);
        server_ = std::move(server);
    }
}

StepServer::~StepServer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    server_.reset();
}

std::string StepServer::failure_kind() const {
    std::lock_guard lock(mutex_);
    return failure_kind_;
}

void StepServer::answer(const zerobuffer::Frame& request, duplex::ResponseWriter& response) {
    if (meter_) meter_->mark();
    last_request_size = request.size();
    ++handling;
    struct Leave {
        std::atomic<int>& counter;
        ~Leave() { --counter; }
    } leave{handling};
    if (!hold(request.sequence())) return;
    const auto* bytes = static_cast<const std::uint8_t*>(request.data());
    // The immutable xor builds a new vector on purpose: "returns new data" (catalogue 14.5).
    std::vector<std::uint8_t> copy;
    if (handler_ == DuplexHandler::Xor) {
        copy.assign(bytes, bytes + request.size());
        flip_in_place(copy.data(), copy.size());
    }
    ++writing;
    try {
        auto* target = static_cast<std::uint8_t*>(response.get_buffer(response_size(handler_, request.size())));
        if (handler_ == DuplexHandler::Xor) {
            std::copy(copy.begin(), copy.end(), target);
        } else {
            transform(handler_, bytes, request.size(), target);
        }
        response.commit();
        ++answered;
    } catch (const zerobuffer::ZeroBufferException& e) {
        {
            std::lock_guard lock(mutex_);
            if (failure_kind_.empty()) failure_kind_ = e.kind();
        }
        log_info("duplex server '" + channel_ + "': the response to request " + std::to_string(request.sequence()) +
                 " failed: " + e.what());
        --writing;
        batch_answered(request.sequence());
        throw;
    }
    --writing;
    batch_answered(request.sequence());
}

void StepServer::transform_in_place(zerobuffer::Frame& request) {
    if (meter_) meter_->mark();
    last_request_size = request.size();
    ++handling;
    if (hold(request.sequence()) && handler_ == DuplexHandler::Xor) {
        flip_in_place(static_cast<std::uint8_t*>(request.data()), request.size());
    }
    --handling;
}

bool StepServer::wait_stopping(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, duration, [this] { return stopping_; });
}

bool StepServer::hold(std::uint64_t sequence) {
    switch (plan_.kind) {
        case AnswerPlan::Kind::Fixed:
            return plan_.delay_ms == 0 || !wait_stopping(std::chrono::milliseconds(plan_.delay_ms));
        case AnswerPlan::Kind::UpTo:
            return !wait_stopping(std::chrono::milliseconds(plan_.delay_for(sequence)));
        case AnswerPlan::Kind::FirstOnly: {
            if (sequence <= plan_.count) return true;
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [this] { return stopping_; });
            return false;
        }
        case AnswerPlan::Kind::ReverseBatch:
            return hold_for_batch(sequence);
    }
    return true;
}

// Position p of n: wait until all n are in hand; the last then waits the delay, every other one
// until the n - p requests after it have been answered.
bool StepServer::hold_for_batch(std::uint64_t sequence) {
    std::uint64_t batch = (sequence - 1) / plan_.count;
    std::uint64_t position = (sequence - 1) % plan_.count + 1;
    {
        std::unique_lock lock(mutex_);
        ++batches_[batch].first;
        changed_.notify_all();
        changed_.wait(lock, [&] {
            auto [arrived, done] = batches_[batch];
            return stopping_ || (arrived >= plan_.count && done >= plan_.count - position);
        });
        if (stopping_) return false;
    }
    return position != plan_.count || !wait_stopping(std::chrono::milliseconds(plan_.delay_ms));
}

void StepServer::batch_answered(std::uint64_t sequence) {
    if (plan_.kind != AnswerPlan::Kind::ReverseBatch) return;
    {
        std::lock_guard lock(mutex_);
        ++batches_[(sequence - 1) / plan_.count].second;
    }
    changed_.notify_all();
}

}  // namespace zbserve::step_definitions
