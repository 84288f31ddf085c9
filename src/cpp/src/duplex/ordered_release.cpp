#include "duplex/ordered_release.hpp"

#include <utility>

namespace zerobuffer::duplex::detail {

std::uint64_t OrderedRelease::hold(Frame&& frame) {
    std::lock_guard lock(mutex_);
    entries_.push_back(Entry{std::move(frame), false});
    return head_ + entries_.size() - 1;
}

Frame& OrderedRelease::frame(std::uint64_t ticket) {
    std::lock_guard lock(mutex_);
    return entries_.at(ticket - head_).frame;
}

void OrderedRelease::finish(std::uint64_t ticket) noexcept {
    std::lock_guard lock(mutex_);
    if (closed_ || ticket < head_ || ticket - head_ >= entries_.size()) return;
    entries_[ticket - head_].done = true;
    while (!entries_.empty() && entries_.front().done) {
        entries_.front().frame.release();
        entries_.pop_front();
        ++head_;
    }
}

void OrderedRelease::close() noexcept {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (Entry& entry : entries_) entry.frame.release();
    head_ += entries_.size();
    entries_.clear();
}

}  // namespace zerobuffer::duplex::detail
