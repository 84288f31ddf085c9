// Gives frames back to the ring in read order, whatever order their users finish in. The writer
// reuses the ring strictly in order, so releasing frame 2 while frame 1 is in use would let it
// overwrite frame 1. Thread-pool servers and shared clients finish frames out of order; they hold
// them here and each finish() releases the longest finished prefix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

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

    Entry& held(std::uint64_t ticket);  // mutex_ held; throws std::out_of_range
    void grow();                        // mutex_ held: ring_ full

    // Entries are allocated once and reused, and the ring of held ones grows only past its largest
    // size so far: holding and finishing frames allocates nothing in steady state (a deque would
    // allocate a block every few frames). Entries never move, so frame() addresses stay valid.
    std::mutex mutex_;
    std::vector<std::unique_ptr<Entry>> owned_;
    std::vector<Entry*> spare_;  // capacity >= owned_.size(): returning an entry never allocates
    std::vector<Entry*> ring_;   // held entries in ticket order, circular from first_
    std::size_t first_ = 0;
    std::size_t count_ = 0;
    std::uint64_t head_ = 0;  // ticket of ring_[first_]
    bool closed_ = false;
};

}  // namespace zerobuffer::duplex::detail
