// DuplexResponse: what DuplexClient::receive_response hands back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace zerobuffer::duplex {

namespace detail {
class OrderedRelease;
}

// One response: sequence() is the request sequence it answers, data() the handler's bytes, in place
// in the response ring (zero-copy). Invalid on timeout. Move-only; its ring space goes back when it
// is destroyed or release()d. Release responses before destroying their client.
class DuplexResponse {
public:
    DuplexResponse() noexcept = default;
    DuplexResponse(std::shared_ptr<detail::OrderedRelease> owner, std::uint64_t ticket,
                   const std::uint8_t* data, std::size_t size, std::uint64_t sequence) noexcept;
    DuplexResponse(DuplexResponse&& other) noexcept;
    DuplexResponse& operator=(DuplexResponse&& other) noexcept;
    DuplexResponse(const DuplexResponse&) = delete;
    DuplexResponse& operator=(const DuplexResponse&) = delete;
    ~DuplexResponse() { release(); }

    std::uint64_t sequence() const noexcept { return sequence_; }
    const std::uint8_t* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool valid() const noexcept { return owner_ != nullptr; }
    bool is_valid() const noexcept { return valid(); }
    explicit operator bool() const noexcept { return valid(); }

    void release() noexcept;

private:
    std::shared_ptr<detail::OrderedRelease> owner_;
    std::uint64_t ticket_ = 0;
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    std::uint64_t sequence_ = 0;
};

}  // namespace zerobuffer::duplex
