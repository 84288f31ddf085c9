// DuplexChannelFactory: creates both ends of a channel (PROTOCOL.md section 8).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "zerobuffer/config.hpp"
#include "zerobuffer/duplex/client.hpp"
#include "zerobuffer/duplex/server.hpp"

namespace zerobuffer::duplex {

class DuplexChannelFactory {
public:
    // config sizes the _request buffer the server creates.
    std::unique_ptr<ImmutableDuplexServer> create_immutable_server(const std::string& channel, const BufferConfig& config) const {
        return std::make_unique<ImmutableDuplexServer>(channel, config);
    }
    std::unique_ptr<MutableDuplexServer> create_mutable_server(const std::string& channel, const BufferConfig& config) const {
        return std::make_unique<MutableDuplexServer>(channel, config);
    }
    std::unique_ptr<DuplexClient> create_client(const std::string& channel,
                                                std::optional<BufferConfig> response_config = std::nullopt) const {
        return std::make_unique<DuplexClient>(channel, response_config);
    }
};

}  // namespace zerobuffer::duplex
