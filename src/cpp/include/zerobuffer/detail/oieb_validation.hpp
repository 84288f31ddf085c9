// The OIEB validation rule set of PROTOCOL.md §5, in one place for the reader and the writer
// (src/oieb_validation.cpp), pinned by testdata/oieb/validation-cases.json.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "zerobuffer/layout.hpp"

namespace zerobuffer::detail {

// The full check a writer makes at connect: BufferNotFound (oieb_size 0), ProtocolVersionMismatch,
// or InvalidOieb naming the field, its value and the bound. Counters are never checked (they wrap).
void validate_oieb(const Oieb& oieb, std::size_t mapping_size, const std::string& buffer);

// The parts an operation repeats for the one field it is about to use; each returns the value.
std::uint64_t check_free_bytes(std::uint64_t free_bytes, std::uint64_t payload_size, const std::string& buffer);
std::uint64_t check_metadata_written(std::uint64_t written, std::uint64_t metadata_size, const std::string& buffer);

}  // namespace zerobuffer::detail
