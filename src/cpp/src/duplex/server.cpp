#include "zerobuffer/duplex/server.hpp"

#include <cstring>
#include <stdexcept>
#include <utility>

#include "duplex/response_session.hpp"
#include "duplex/server_core.hpp"

namespace zerobuffer::duplex {

// -- ResponseWriter --------------------------------------------------------------------------------

void ResponseWriter::write(const void* data, std::size_t size) {
    void* target = get_buffer(size);
    std::memcpy(target, data, size);
    commit();
}

void* ResponseWriter::get_buffer(std::size_t size) {
    if (session_ == nullptr) throw std::logic_error("the response writer is used outside its handler call");
    if (responded_ || reserved_) {
        throw std::logic_error("request " + std::to_string(sequence_) + " already has a response; a handler answers once");
    }
    void* target = session_->reserve(size, sequence_);
    reserved_ = true;
    return target;
}

void ResponseWriter::commit() {
    if (!reserved_ || session_ == nullptr) throw std::logic_error("commit without get_buffer");
    reserved_ = false;
    responded_ = true;
    session_->commit();
}

void ResponseWriter::begin(detail::ResponseSession* session, std::uint64_t sequence) noexcept {
    session_ = session;
    sequence_ = sequence;
    reserved_ = false;
    responded_ = false;
}

void ResponseWriter::end() {
    // An uncommitted reservation is sent as is rather than left holding the write lock.
    if (reserved_) commit();
    session_ = nullptr;
}

// -- servers ---------------------------------------------------------------------------------------

DuplexServer::DuplexServer(const std::string& channel, const BufferConfig& config) : channel_(channel), config_(config) {
    validate_channel_name(channel);
}

DuplexServer::~DuplexServer() { stop(); }

bool DuplexServer::is_running() const noexcept { return core_ != nullptr; }

void DuplexServer::stop() { core_.reset(); }

void DuplexServer::start_core(RequestHandler handler, InitHandler on_init, const ServerOptions& options) {
    if (!handler) throw std::invalid_argument("a duplex server needs a handler");
    if (options.handlers < 1) throw std::invalid_argument("at least one handler is needed");
    if (options.response_write_timeout.count() <= 0) throw std::invalid_argument("response_write_timeout must be positive");
    if (core_) throw std::logic_error("duplex server '" + channel_ + "' is already running");
    core_ = std::make_unique<detail::ServerCore>(channel_, config_, std::move(handler), std::move(on_init), options);
}

void ImmutableDuplexServer::start(RequestHandler handler, InitHandler on_init, ProcessingMode mode) {
    ServerOptions options;
    options.mode = mode;
    start(std::move(handler), std::move(on_init), options);
}

void ImmutableDuplexServer::start(RequestHandler handler, InitHandler on_init, const ServerOptions& options) {
    start_core(std::move(handler), std::move(on_init), options);
}

void MutableDuplexServer::start(MutableRequestHandler handler, InitHandler on_init, ProcessingMode mode) {
    ServerOptions options;
    options.mode = mode;
    start(std::move(handler), std::move(on_init), options);
}

void MutableDuplexServer::start(MutableRequestHandler handler, InitHandler on_init, const ServerOptions& options) {
    if (!handler) throw std::invalid_argument("a duplex server needs a handler");
    start_core(
        [transform = std::move(handler)](const Frame& request, ResponseWriter& response) {
            // The frame lives in the request ring, which the server may write: transform in place.
            Frame& mutable_request = const_cast<Frame&>(request);
            transform(mutable_request);
            response.write(request.data(), request.size());
        },
        std::move(on_init), options);
}

}  // namespace zerobuffer::duplex
