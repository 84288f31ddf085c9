#include "duplex/ordered_release.hpp"

#include <stdexcept>
#include <utility>

namespace zerobuffer::duplex::detail {

std::uint64_t OrderedRelease::hold(Frame&& frame) {
    std::lock_guard lock(mutex_);
    Entry* entry;
    if (spare_.empty()) {
        owned_.push_back(std::make_unique<Entry>());
        spare_.reserve(owned_.size());
        entry = owned_.back().get();
    } else {
        entry = spare_.back();
        spare_.pop_back();
    }
    entry->frame = std::move(frame);
    entry->done = false;
    if (count_ == ring_.size()) grow();
    ring_[(first_ + count_) % ring_.size()] = entry;
    ++count_;
    return head_ + count_ - 1;
}

Frame& OrderedRelease::frame(std::uint64_t ticket) {
    std::lock_guard lock(mutex_);
    return held(ticket).frame;
}

void OrderedRelease::finish(std::uint64_t ticket) noexcept {
    std::lock_guard lock(mutex_);
    if (closed_ || ticket < head_ || ticket - head_ >= count_) return;
    ring_[(first_ + (ticket - head_)) % ring_.size()]->done = true;
    while (count_ > 0 && ring_[first_]->done) {
        Entry* entry = ring_[first_];
        entry->frame.release();
        spare_.push_back(entry);
        first_ = (first_ + 1) % ring_.size();
        --count_;
        ++head_;
    }
}

void OrderedRelease::close() noexcept {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (std::size_t i = 0; i < count_; ++i) {
        Entry* entry = ring_[(first_ + i) % ring_.size()];
        entry->frame.release();
        spare_.push_back(entry);
    }
    head_ += count_;
    count_ = 0;
    first_ = 0;
}

OrderedRelease::Entry& OrderedRelease::held(std::uint64_t ticket) {
    if (ticket < head_ || ticket - head_ >= count_) throw std::out_of_range("no held frame with that ticket");
    return *ring_[(first_ + (ticket - head_)) % ring_.size()];
}

void OrderedRelease::grow() {
    std::vector<Entry*> larger(ring_.empty() ? 8 : ring_.size() * 2);
    for (std::size_t i = 0; i < count_; ++i) larger[i] = ring_[(first_ + i) % ring_.size()];
    ring_.swap(larger);
    first_ = 0;
}

}  // namespace zerobuffer::duplex::detail
