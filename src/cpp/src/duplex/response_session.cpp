#include "duplex/response_session.hpp"

#include <cstring>
#include <utility>

#include "zerobuffer/duplex/channel.hpp"
#include "zerobuffer/errors.hpp"

namespace zerobuffer::duplex::detail {

ResponseSession::ResponseSession(Writer writer, bool correlated, std::function<bool()> is_stopping)
    : buffer_(writer.name()), writer_(std::move(writer)), correlated_(correlated), is_stopping_(std::move(is_stopping)) {}

ResponseSession::~ResponseSession() { close(); }

std::string ResponseSession::end_reason() const {
    std::lock_guard lock(reason_mutex_);
    return reason_;
}

void ResponseSession::end(const std::string& reason) {
    std::lock_guard lock(reason_mutex_);
    if (!ended_.load(std::memory_order_relaxed)) {
        reason_ = reason;
        ended_.store(true, std::memory_order_release);
    }
}

bool ResponseSession::check_client_alive() {
    std::lock_guard lock(write_mutex_);
    if (!ended() && !closed_ && !writer_.is_reader_connected()) end("its response reader is gone");
    return !ended();
}

std::uint8_t* ResponseSession::reserve(std::size_t size, std::uint64_t request_sequence) {
    write_mutex_.lock();
    try {
        if (closed_ || ended()) throw_ended();
        if (!writer_.is_reader_connected()) {
            end("its response reader is gone");
            throw_ended();
        }
        std::size_t prefix = correlated_ ? metadata_record::SEQUENCE_PREFIX_SIZE : 0;
        auto* frame = static_cast<std::uint8_t*>(reserve_with_retry(prefix + size));
        if (correlated_) std::memcpy(frame, &request_sequence, sizeof request_sequence);  // u64 LE
        return frame + prefix;
    } catch (...) {
        write_mutex_.unlock();
        throw;
    }
}

void ResponseSession::commit() {
    std::unique_lock lock(write_mutex_, std::adopt_lock);
    writer_.commit_frame();
}

void ResponseSession::close() noexcept {
    std::lock_guard lock(write_mutex_);
    if (closed_) return;
    closed_ = true;
    try {
        end("the server stopped");
    } catch (...) {
    }
    Writer gone = std::move(writer_);  // disconnects here: writer_pid = 0
}

void* ResponseSession::reserve_with_retry(std::size_t total) {
    // A full ring with a live client is back-pressure, not an error: keep waiting unless stopping.
    std::uint64_t sequence = 0;
    while (true) {
        try {
            return writer_.get_frame_buffer(total, sequence);
        } catch (const BufferFullException&) {
            if (is_stopping_()) throw;
        } catch (const ReaderDeadException&) {
            end("its response reader is gone");
            throw;
        }
    }
}

void ResponseSession::throw_ended() const {
    throw ReaderDeadException("response to the client of '" + buffer_ + "' failed: the client is gone (" +
                              end_reason() + ")");
}

}  // namespace zerobuffer::duplex::detail
