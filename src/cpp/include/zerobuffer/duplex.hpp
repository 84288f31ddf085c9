// The duplex channel (request/response over two buffers), PROTOCOL.md section 8.
#pragma once

#include "zerobuffer/duplex/channel.hpp"
#include "zerobuffer/duplex/client.hpp"
#include "zerobuffer/duplex/factory.hpp"
#include "zerobuffer/duplex/response.hpp"
#include "zerobuffer/duplex/server.hpp"
