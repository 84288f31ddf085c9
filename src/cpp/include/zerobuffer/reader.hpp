// The reader creates and owns a buffer (PROTOCOL.md section 5) and consumes its frames.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "zerobuffer/config.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/frame.hpp"

namespace zerobuffer {

namespace duplex::detail {
class ServerCore;
}

class Reader {
public:
    static constexpr std::chrono::milliseconds DEFAULT_READ_TIMEOUT{5000};

    // Creates the buffer; throws InvalidBufferName, InvalidConfig, ReaderAlreadyConnected,
    // ResourceExhausted, PermissionDenied. Reclaims stale buffers first.
    Reader(const std::string& name, const BufferConfig& config);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    Reader(Reader&&) noexcept;
    Reader& operator=(Reader&&) noexcept;

    const std::string& name() const noexcept { return name_; }

    // Copy of the metadata; empty when none (or zero-length) was written.
    std::vector<std::uint8_t> get_metadata() const;
    // Zero-copy view of the metadata; nullptr when none was written.
    const void* get_metadata_raw() const;
    std::size_t get_metadata_size() const;
    template <typename T>
    const T* get_metadata_as() const {
        return get_metadata_size() < sizeof(T) ? nullptr : static_cast<const T*>(get_metadata_raw());
    }

    // Waits up to timeout for the next frame. Returns an invalid Frame when none arrived and the
    // writer may still come; throws WriterDead, SequenceError, InvalidFrameSize.
    Frame read_frame(std::chrono::milliseconds timeout = DEFAULT_READ_TIMEOUT);
    // Releases a frame early (the Frame destructor does the same).
    void release_frame(const Frame& frame) noexcept { frame.release(); }

    bool is_writer_connected() const;
    // Waits up to timeout_ms for a live writer.
    bool is_writer_connected(int timeout_ms) const;
    bool is_writer_connected(std::chrono::milliseconds timeout) const {
        return is_writer_connected(static_cast<int>(timeout.count()));
    }

    std::uint64_t frames_read() const noexcept;
    std::uint64_t bytes_read() const noexcept;

private:
    friend void abandon(Reader& reader) noexcept;  // inspect.hpp (diagnostics)
    friend class duplex::detail::ServerCore;
    // Lets the next frame restart at sequence 1 even from the writer process that sent the previous 1
    // (a duplex server whose client left: the next client may live in the same process). Cleared by
    // the next sequence 1. Not public API: only the duplex server needs it.
    void expect_sequence_restart() noexcept;

    class Impl;
    std::unique_ptr<Impl> impl_;
    std::string name_;
};

}  // namespace zerobuffer
