#include "zerobuffer/duplex/client.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "duplex/ordered_release.hpp"
#include "zerobuffer/duplex/channel.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/logger.hpp"
#include "zerobuffer/reader.hpp"
#include "zerobuffer/writer.hpp"

namespace zerobuffer::duplex {

namespace {
// A reading thread gives others a chance (and notices a gone server) at least this often.
constexpr std::chrono::milliseconds RECEIVE_SLICE{100};

// A response read from the ring and filed for its owner; its frame is held in the OrderedRelease.
struct Pending {
    std::uint64_t ticket;
    const std::uint8_t* data;
    std::size_t size;
    std::uint64_t sequence;
};
}  // namespace

class DuplexClient::Impl {
public:
    Impl(const std::string& channel, const BufferConfig& response_config)
        : channel_(channel),
          // Request writer first: no server means BufferNotFound before anything of ours exists.
          requests_((validate_channel_name(channel), request_name(channel))),
          responses_(response_name(channel), response_config) {}

    ~Impl() {
        {
            std::unique_lock lock(route_mutex_);
            closed_ = true;
            route_cv_.wait(lock, [&] { return !reader_busy_; });  // the reader returns within a slice
            route_cv_.notify_all();
        }
        release_->close();  // before responses_ unmaps the ring
    }

    std::string channel_;
    Writer requests_;
    Reader responses_;
    std::mutex send_mutex_;
    std::thread::id sender_{};
    std::mutex route_mutex_;
    std::condition_variable route_cv_;
    std::unordered_map<std::uint64_t, std::thread::id> owners_;
    std::unordered_map<std::thread::id, std::deque<Pending>> ready_;
    bool reader_busy_ = false;
    bool closed_ = false;
    std::optional<bool> correlated_;
    std::shared_ptr<detail::OrderedRelease> release_ = std::make_shared<detail::OrderedRelease>();

    void require_open() const {
        if (closed_) throw std::logic_error("duplex client of '" + channel_ + "' is closed");
    }

    // Reads one response with route_mutex_ released (held by `lock` on entry and exit) and files it.
    void read_and_route(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds wait) {
        reader_busy_ = true;
        lock.unlock();
        std::optional<Pending> pending;
        std::exception_ptr failure;
        try {
            Frame frame = responses_.read_frame(wait);
            if (frame.valid()) {
                pending = decode(std::move(frame));
            } else if (!requests_.is_reader_connected()) {
                throw ReaderDeadException("the server of duplex channel '" + channel_ +
                                          "' is gone: its request buffer has no reader");
            }
        } catch (...) {
            failure = std::current_exception();
        }
        lock.lock();
        reader_busy_ = false;
        if (pending) {
            auto owner = owners_.find(pending->sequence);
            std::thread::id id = std::this_thread::get_id();
            if (owner != owners_.end()) {
                id = owner->second;
                owners_.erase(owner);
            }
            ready_[id].push_back(*pending);
        }
        route_cv_.notify_all();
        if (failure) std::rethrow_exception(failure);
    }

    Pending decode(Frame&& frame) {
        if (!correlated_) {
            std::vector<std::uint8_t> metadata = responses_.get_metadata();
            correlated_ = metadata_record::is_correlated(metadata.data(), metadata.size());
            zerobuffer::detail::log(LogLevel::Debug, "duplex client of '" + channel_ + "': " +
                                                         (*correlated_ ? "correlated" : "in-order") + " server");
        }
        std::uint64_t frame_sequence = frame.sequence();
        std::size_t size = frame.size();
        const auto* data = static_cast<const std::uint8_t*>(frame.data());
        std::uint64_t ticket = release_->hold(std::move(frame));
        if (!*correlated_) return Pending{ticket, data, size, frame_sequence};
        if (size < metadata_record::SEQUENCE_PREFIX_SIZE) {
            release_->finish(ticket);
            throw InvalidFrameSizeException("response " + std::to_string(frame_sequence) + " on duplex channel '" +
                                            channel_ + "' has " + std::to_string(size) +
                                            " bytes, fewer than the 8-byte request sequence of a correlated channel");
        }
        std::uint64_t sequence = 0;
        std::memcpy(&sequence, data, sizeof sequence);  // little-endian on every supported target
        return Pending{ticket, data + metadata_record::SEQUENCE_PREFIX_SIZE,
                       size - metadata_record::SEQUENCE_PREFIX_SIZE, sequence};
    }
};

DuplexClient::DuplexClient(const std::string& channel, std::optional<BufferConfig> response_config)
    : impl_(std::make_unique<Impl>(channel, response_config.value_or(default_response_config()))) {}

DuplexClient::~DuplexClient() = default;

const std::string& DuplexClient::channel_name() const noexcept { return impl_->channel_; }

bool DuplexClient::is_server_connected() const { return !impl_->closed_ && impl_->requests_.is_reader_connected(); }

std::optional<bool> DuplexClient::is_correlated() const {
    std::lock_guard lock(impl_->route_mutex_);
    return impl_->correlated_;
}

std::uint64_t DuplexClient::send_request(const void* data, std::size_t size) {
    void* target = nullptr;
    std::uint64_t sequence = acquire_request_buffer(size, &target);
    std::memcpy(target, data, size);
    commit_request();
    return sequence;
}

std::uint64_t DuplexClient::acquire_request_buffer(std::size_t size, void** buffer) {
    impl_->require_open();
    std::unique_lock send(impl_->send_mutex_);
    std::uint64_t sequence = 0;
    *buffer = impl_->requests_.get_frame_buffer(size, sequence);
    {
        // Filed before the commit, so a response that comes at once already has its owner.
        std::lock_guard route(impl_->route_mutex_);
        impl_->owners_[sequence] = std::this_thread::get_id();
    }
    impl_->sender_ = std::this_thread::get_id();
    send.release();  // held until commit_request on this thread
    return sequence;
}

void DuplexClient::commit_request() {
    if (impl_->sender_ != std::this_thread::get_id()) {
        throw std::logic_error("commit_request without acquire_request_buffer on this thread");
    }
    std::unique_lock send(impl_->send_mutex_, std::adopt_lock);
    impl_->sender_ = std::thread::id{};
    impl_->requests_.commit_frame();
}

void DuplexClient::set_request_metadata(const void* data, std::size_t size) {
    impl_->require_open();
    std::lock_guard send(impl_->send_mutex_);
    impl_->requests_.set_metadata(data, size);
}

DuplexResponse DuplexClient::receive_response(std::chrono::milliseconds timeout) {
    Impl& s = *impl_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    bool read_once = false;
    std::unique_lock lock(s.route_mutex_);
    auto& mine = s.ready_[std::this_thread::get_id()];
    while (true) {
        s.require_open();  // first: a response filed before the client closed points into a gone ring
        if (!mine.empty()) {
            Pending p = mine.front();
            mine.pop_front();
            return DuplexResponse(s.release_, p.ticket, p.data, p.size, p.sequence);
        }
        auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (remaining.count() <= 0 && read_once) return DuplexResponse();
        auto slice = std::clamp(remaining, std::chrono::milliseconds(0), RECEIVE_SLICE);
        if (s.reader_busy_) {
            s.route_cv_.wait_for(lock, std::max(slice, std::chrono::milliseconds(1)));
            continue;
        }
        read_once = true;
        s.read_and_route(lock, slice);
    }
}

}  // namespace zerobuffer::duplex
