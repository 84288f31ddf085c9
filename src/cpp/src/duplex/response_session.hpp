// The server's connection to one client's _response buffer.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "zerobuffer/writer.hpp"

namespace zerobuffer::duplex::detail {

// Handlers write through one lock (the Writer takes one frame at a time). Once the client is found
// gone the session stays ended and every further write throws ReaderDeadException, so the server
// moves on to the next client.
class ResponseSession {
public:
    ResponseSession(Writer writer, bool correlated, std::function<bool()> is_stopping);
    ~ResponseSession();

    bool correlated() const noexcept { return correlated_; }
    bool ended() const noexcept { return ended_.load(std::memory_order_acquire); }
    std::string end_reason() const;
    void end(const std::string& reason);
    // Ends the session when the client's response reader is gone; returns whether it lasts.
    bool check_client_alive();

    // Takes the write lock and reserves size handler bytes answering request_sequence; the lock is
    // held until commit() on the same thread.
    std::uint8_t* reserve(std::size_t size, std::uint64_t request_sequence);
    void commit();
    // Disconnects (the server stopped or the client is gone).
    void close() noexcept;

    // The server loop's bookkeeping.
    std::uint64_t last_request_sequence = 0;
    bool initialized = false;

private:
    void* reserve_with_retry(std::size_t total);
    [[noreturn]] void throw_ended() const;

    std::string buffer_;  // kept apart: the writer is moved out on close
    Writer writer_;
    bool correlated_;
    std::function<bool()> is_stopping_;
    std::mutex write_mutex_;
    mutable std::mutex reason_mutex_;
    std::string reason_;
    std::atomic<bool> ended_{false};
    bool closed_ = false;
};

}  // namespace zerobuffer::duplex::detail
