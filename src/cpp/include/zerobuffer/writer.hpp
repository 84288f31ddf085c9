// The writer connects to a buffer created by a reader and produces frames (PROTOCOL.md 4-5).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "zerobuffer/errors.hpp"

namespace zerobuffer {

class Writer {
public:
    static constexpr std::chrono::milliseconds DEFAULT_WRITE_TIMEOUT{5000};

    // Connects; throws InvalidBufferName, BufferNotFound, InvalidOieb, ProtocolVersionMismatch,
    // ReaderDead, WriterAlreadyConnected, PermissionDenied, ResourceExhausted.
    explicit Writer(const std::string& name);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    Writer(Writer&&) noexcept;
    Writer& operator=(Writer&&) noexcept;

    const std::string& name() const noexcept { return name_; }

    // Writes the metadata block once per buffer: MetadataTooLarge, MetadataAlreadyWritten.
    void set_metadata(const void* data, std::size_t size);
    void set_metadata(const std::vector<std::uint8_t>& data) { set_metadata(data.data(), data.size()); }
    // Zero-copy metadata: fill size bytes at the returned pointer, then commit_metadata().
    void* get_metadata_buffer(std::size_t size);
    void commit_metadata();

    // Copies one frame into the ring: InvalidFrameSize, FrameTooLarge, BufferFull, ReaderDead.
    void write_frame(const void* data, std::size_t size);
    void write_frame(const std::vector<std::uint8_t>& data) { write_frame(data.data(), data.size()); }

    // Zero-copy frame: reserves size bytes (same errors as write_frame) and returns where to put
    // them; sequence_number receives the frame's sequence. commit_frame() publishes it.
    void* get_frame_buffer(std::size_t size, std::uint64_t& sequence_number);
    void commit_frame();

    void set_write_timeout(std::chrono::milliseconds timeout);
    std::chrono::milliseconds get_write_timeout() const noexcept;

    bool is_reader_connected() const;

    std::uint64_t frames_written() const noexcept;
    std::uint64_t bytes_written() const noexcept;

private:
    friend void abandon(Writer& writer) noexcept;  // inspect.hpp (diagnostics)
    class Impl;
    std::unique_ptr<Impl> impl_;
    std::string name_;
};

}  // namespace zerobuffer
