// Read-only look at a buffer's OIEB, for tools and tests (never changes the buffer).
#pragma once

#include <string>

#include "zerobuffer/layout.hpp"

namespace zerobuffer {

struct BufferSnapshot {
    Oieb oieb;
    bool reader_alive;
    bool writer_alive;
};

// Throws InvalidBufferName, BufferNotFound (missing or not yet published), PermissionDenied.
BufferSnapshot inspect_buffer(const std::string& name);

}  // namespace zerobuffer
