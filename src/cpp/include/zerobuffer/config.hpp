#pragma once

#include <cstddef>

namespace zerobuffer {

// Sizes requested by the reader; both are rounded up to 64 bytes in the shared memory.
struct BufferConfig {
    std::size_t metadata_size;
    std::size_t payload_size;

    BufferConfig(std::size_t meta = 1024, std::size_t payload = 1024 * 1024)
        : metadata_size(meta), payload_size(payload) {}
};

}  // namespace zerobuffer
