#include "zerobuffer/duplex/response.hpp"

#include <utility>

#include "duplex/ordered_release.hpp"

namespace zerobuffer::duplex {

DuplexResponse::DuplexResponse(std::shared_ptr<detail::OrderedRelease> owner, std::uint64_t ticket,
                               const std::uint8_t* data, std::size_t size, std::uint64_t sequence) noexcept
    : owner_(std::move(owner)), ticket_(ticket), data_(data), size_(size), sequence_(sequence) {}

DuplexResponse::DuplexResponse(DuplexResponse&& other) noexcept
    : owner_(std::move(other.owner_)), ticket_(other.ticket_), data_(other.data_), size_(other.size_),
      sequence_(other.sequence_) {
    other.data_ = nullptr;
    other.size_ = 0;
}

DuplexResponse& DuplexResponse::operator=(DuplexResponse&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = std::move(other.owner_);
        ticket_ = other.ticket_;
        data_ = other.data_;
        size_ = other.size_;
        sequence_ = other.sequence_;
        other.data_ = nullptr;
        other.size_ = 0;
    }
    return *this;
}

void DuplexResponse::release() noexcept {
    if (owner_) {
        owner_->finish(ticket_);
        owner_.reset();
    }
}

}  // namespace zerobuffer::duplex
