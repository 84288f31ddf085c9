// DuplexClient: sends requests to <channel>_request and reads responses from <channel>_response.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zerobuffer/config.hpp"
#include "zerobuffer/duplex/response.hpp"

namespace zerobuffer::duplex {

// The client end of a channel (PROTOCOL.md section 8); safe to share between threads. Sends go
// through one lock. One waiting thread at a time reads the response ring and files each response
// under the thread that sent its request, so threads never get each other's responses.
class DuplexClient {
public:
    // Response buffer when the caller passes none: 4 KiB metadata, 256 MiB payload (as 1.x).
    static BufferConfig default_response_config() { return BufferConfig(4096, 256u * 1024 * 1024); }

    // Connects to the server's _request (BufferNotFoundException without a server), then creates
    // _response.
    explicit DuplexClient(const std::string& channel, std::optional<BufferConfig> response_config = std::nullopt);
    ~DuplexClient();
    DuplexClient(const DuplexClient&) = delete;
    DuplexClient& operator=(const DuplexClient&) = delete;

    const std::string& channel_name() const noexcept;
    bool is_server_connected() const;
    // Empty before the first response, then whether the server is correlated.
    std::optional<bool> is_correlated() const;

    // Copies size bytes as a request; returns its sequence.
    std::uint64_t send_request(const void* data, std::size_t size);
    std::uint64_t send_request(const std::vector<std::uint8_t>& data) { return send_request(data.data(), data.size()); }
    // Zero-copy: reserve size bytes at *buffer (other threads' sends wait), fill them, commit_request().
    std::uint64_t acquire_request_buffer(std::size_t size, void** buffer);
    void commit_request();
    // The metadata the server's on_init receives (once per channel, before the first request).
    void set_request_metadata(const void* data, std::size_t size);

    // Waits up to timeout for the response to one of this thread's requests; invalid on timeout.
    // WriterDeadException: the server stopped or died with requests pending; ReaderDeadException:
    // the server is gone before it ever answered.
    DuplexResponse receive_response(std::chrono::milliseconds timeout);

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace zerobuffer::duplex
