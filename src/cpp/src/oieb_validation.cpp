#include "zerobuffer/detail/oieb_validation.hpp"

#include "zerobuffer/detail/oieb_access.hpp"
#include "zerobuffer/errors.hpp"

namespace zerobuffer::detail {

namespace {

[[noreturn]] void invalid(const std::string& buffer, const char* field, std::uint64_t value, const std::string& bound) {
    throw InvalidOiebException("buffer '" + buffer + "' has an invalid OIEB: " + field + " = " + std::to_string(value) +
                               ", " + bound);
}

}  // namespace

void validate_oieb(const Oieb& oieb, std::size_t mapping_size, const std::string& buffer) {
    Oieb& o = const_cast<Oieb&>(oieb);  // atomic_ref needs a non-const object; nothing is written
    const std::uint32_t oieb_size = load_acquire(o.oieb_size);
    if (oieb_size == 0) {
        throw BufferNotFoundException("buffer '" + buffer + "' is not ready (its reader is still creating it)");
    }
    if (oieb_size != OIEB_SIZE) invalid(buffer, "oieb_size", oieb_size, "expected " + std::to_string(OIEB_SIZE));
    if (o.version.major != PROTOCOL_VERSION.major) {
        throw ProtocolVersionMismatchException(
            "buffer '" + buffer + "' speaks protocol " + std::to_string(o.version.major) + "." +
            std::to_string(o.version.minor) + "." + std::to_string(o.version.patch) + ", this library speaks 1.0.0");
    }
    const std::uint64_t meta = o.metadata_size;
    const std::uint64_t payload = o.payload_size;
    if (meta % BLOCK_ALIGNMENT != 0) invalid(buffer, "metadata_size", meta, "must be a multiple of 64");
    if (payload == 0 || payload % BLOCK_ALIGNMENT != 0) {
        invalid(buffer, "payload_size", payload, "must be a non-zero multiple of 64");
    }
    // Compared piecewise so that no sum can wrap.
    const std::uint64_t room = mapping_size - OIEB_SIZE;  // mapping_size >= OIEB_SIZE is checked by the caller
    if (meta > room || payload != room - meta) {
        invalid(buffer, "payload_size", payload,
                "with metadata_size " + std::to_string(meta) + " must fill the " + std::to_string(mapping_size) +
                    "-byte mapping after the OIEB");
    }
    if (o.payload_write_pos > payload) {
        invalid(buffer, "payload_write_pos", o.payload_write_pos, "must be <= payload_size " + std::to_string(payload));
    }
    if (o.payload_read_pos > payload) {
        invalid(buffer, "payload_read_pos", o.payload_read_pos, "must be <= payload_size " + std::to_string(payload));
    }
    check_free_bytes(load_acquire(o.payload_free_bytes), payload, buffer);
    check_metadata_written(load_acquire(o.metadata_written_bytes), meta, buffer);
}

std::uint64_t check_free_bytes(std::uint64_t free_bytes, std::uint64_t payload_size, const std::string& buffer) {
    if (free_bytes > payload_size) {
        invalid(buffer, "payload_free_bytes", free_bytes, "must be <= payload_size " + std::to_string(payload_size));
    }
    return free_bytes;
}

std::uint64_t check_metadata_written(std::uint64_t written, std::uint64_t metadata_size, const std::string& buffer) {
    if (written != 0 && (written < METADATA_PREFIX_SIZE || written > metadata_size)) {
        invalid(buffer, "metadata_written_bytes", written,
                "must be 0 or between 8 and metadata_size " + std::to_string(metadata_size));
    }
    return written;
}

}  // namespace zerobuffer::detail
