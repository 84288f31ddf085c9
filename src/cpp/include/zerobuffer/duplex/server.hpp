// Duplex servers: own <channel>_request and answer into each client's <channel>_response.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "zerobuffer/config.hpp"
#include "zerobuffer/duplex/channel.hpp"
#include "zerobuffer/frame.hpp"

namespace zerobuffer::duplex {

namespace detail {
class ResponseSession;
class ServerCore;
}

// Where a handler writes its one response: adds the correlated prefix when the channel needs it and
// is safe while other handlers answer at the same time. Valid only during the handler call.
class ResponseWriter {
public:
    void write(const void* data, std::size_t size);
    // Zero-copy: reserve size bytes, fill them, then commit().
    void* get_buffer(std::size_t size);
    void commit();

    std::uint64_t request_sequence() const noexcept { return sequence_; }
    bool has_responded() const noexcept { return responded_; }

private:
    friend class detail::ServerCore;
    void begin(detail::ResponseSession* session, std::uint64_t sequence) noexcept;
    void end();

    detail::ResponseSession* session_ = nullptr;
    std::uint64_t sequence_ = 0;
    bool reserved_ = false;
    bool responded_ = false;
};

using RequestHandler = std::function<void(const Frame& request, ResponseWriter& response)>;
using MutableRequestHandler = std::function<void(Frame& request)>;
// Gets the request metadata once per client, before that client's first request is handled.
using InitHandler = std::function<void(const std::uint8_t* metadata, std::size_t size)>;

class DuplexServer {
public:
    virtual ~DuplexServer();
    DuplexServer(const DuplexServer&) = delete;
    DuplexServer& operator=(const DuplexServer&) = delete;

    const std::string& channel_name() const noexcept { return channel_; }
    bool is_running() const noexcept;
    // Ends the loop, drops the request frames in hand and removes _request, so a new server can take
    // the name. Pending requests get no response: their clients get WriterDeadException. Idempotent.
    void stop();

protected:
    DuplexServer(const std::string& channel, const BufferConfig& config);
    void start_core(RequestHandler handler, InitHandler on_init, const ServerOptions& options);

private:
    std::string channel_;
    BufferConfig config_;
    std::unique_ptr<detail::ServerCore> core_;
};

// A server whose handler writes new response bytes.
class ImmutableDuplexServer : public DuplexServer {
public:
    ImmutableDuplexServer(const std::string& channel, const BufferConfig& config) : DuplexServer(channel, config) {}
    void start(RequestHandler handler, InitHandler on_init = nullptr, ProcessingMode mode = ProcessingMode::SingleThread);
    void start(RequestHandler handler, InitHandler on_init, const ServerOptions& options);
};

// A server whose handler transforms each request in place; those bytes are copied once into the
// response ring (nothing allocated per request).
class MutableDuplexServer : public DuplexServer {
public:
    MutableDuplexServer(const std::string& channel, const BufferConfig& config) : DuplexServer(channel, config) {}
    void start(MutableRequestHandler handler, InitHandler on_init = nullptr, ProcessingMode mode = ProcessingMode::SingleThread);
    void start(MutableRequestHandler handler, InitHandler on_init, const ServerOptions& options);
};

}  // namespace zerobuffer::duplex
