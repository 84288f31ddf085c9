// Gives frames back to the ring in read order, whatever order their users finish in. The writer
// reuses the ring strictly in order, so releasing frame 2 while frame 1 is in use would let it
// overwrite frame 1. Thread-pool servers and shared clients finish frames out of order; they hold
// them here and each finish() releases the longest finished prefix.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>

#include "zerobuffer/frame.hpp"

namespace zerobuffer::duplex::detail {

class OrderedRelease {
public:
    // Takes a frame just read; returns its ticket.
    std::uint64_t hold(Frame&& frame);
    // The held frame (its address is stable until it is finished).
    Frame& frame(std::uint64_t ticket);
    // Marks the frame done and releases the finished prefix. Idempotent; a no-op after close().
    void finish(std::uint64_t ticket) noexcept;
    // Releases every held frame now (before their reader goes away); later finishes do nothing.
    void close() noexcept;

private:
    struct Entry {
        Frame frame;
        bool done = false;
    };
    std::mutex mutex_;
    std::deque<Entry> entries_;
    std::uint64_t head_ = 0;  // ticket of entries_.front()
    bool closed_ = false;
};

}  // namespace zerobuffer::duplex::detail
