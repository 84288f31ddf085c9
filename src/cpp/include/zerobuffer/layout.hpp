// Wire layout of protocol v1 (PROTOCOL.md section 2): the 128-byte OIEB, frame headers, alignment.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zerobuffer {

constexpr std::size_t BLOCK_ALIGNMENT = 64;
constexpr std::uint32_t OIEB_SIZE = 128;
constexpr std::size_t FRAME_HEADER_SIZE = 16;
constexpr std::size_t METADATA_PREFIX_SIZE = 8;

struct ProtocolVersion {
    std::uint8_t major;
    std::uint8_t minor;
    std::uint8_t patch;
    std::uint8_t reserved;

    constexpr ProtocolVersion(std::uint8_t maj = 1, std::uint8_t min = 0, std::uint8_t pat = 0) noexcept
        : major(maj), minor(min), patch(pat), reserved(0) {}
    // Same major version: the wire format is compatible.
    constexpr bool is_compatible_with(const ProtocolVersion& other) const noexcept { return major == other.major; }
};

static_assert(sizeof(ProtocolVersion) == 4);

constexpr ProtocolVersion PROTOCOL_VERSION{1, 0, 0};

// Operation Info Exchange Block at offset 0 of the shared memory. Little-endian; this
// implementation only targets little-endian hosts (static_assert in the sources).
struct Oieb {
    std::uint32_t oieb_size;
    ProtocolVersion version;
    std::uint64_t metadata_size;
    std::uint64_t metadata_free_bytes;
    std::uint64_t metadata_written_bytes;
    std::uint64_t payload_size;
    std::uint64_t payload_free_bytes;
    std::uint64_t payload_write_pos;
    std::uint64_t payload_read_pos;
    std::uint64_t payload_written_count;
    std::uint64_t payload_read_count;
    std::uint64_t writer_pid;
    std::uint64_t reader_pid;
    std::uint64_t reserved[4];
};

static_assert(sizeof(Oieb) == OIEB_SIZE, "OIEB must be 128 bytes");
static_assert(offsetof(Oieb, metadata_size) == 0x08);
static_assert(offsetof(Oieb, payload_free_bytes) == 0x28);
static_assert(offsetof(Oieb, writer_pid) == 0x50);
static_assert(offsetof(Oieb, reader_pid) == 0x58);

struct FrameHeader {
    std::uint64_t payload_size;
    std::uint64_t sequence_number;  // the 1.x name; 0 together with payload_size 0 is a wrap marker
};

static_assert(sizeof(FrameHeader) == FRAME_HEADER_SIZE);

constexpr std::uint64_t align64(std::uint64_t n) noexcept {
    return (n + (BLOCK_ALIGNMENT - 1)) & ~static_cast<std::uint64_t>(BLOCK_ALIGNMENT - 1);
}

// Total mapping size for already aligned block sizes.
constexpr std::uint64_t total_size(std::uint64_t aligned_metadata, std::uint64_t aligned_payload) noexcept {
    return OIEB_SIZE + aligned_metadata + aligned_payload;
}

}  // namespace zerobuffer
