// Multi-field records (features/STEPS.md "Record pattern"): field i of the record with sequence s is
// the little-endian 64-bit value (s << 32) | i; a field left from an older record has another sequence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "zerobuffer/writer.hpp"

namespace zbserve::step_definitions {

inline constexpr std::size_t RECORD_FIELD_SIZE = sizeof(std::uint64_t);

constexpr std::uint64_t record_field(std::uint64_t sequence, std::size_t index) {
    return (sequence << 32) | static_cast<std::uint32_t>(index);
}

// Stores the fields one by one, in order, straight into the ring (zero-copy); returns the sequence.
std::uint64_t write_record(zerobuffer::Writer& writer, std::size_t fields);

struct WrongField {
    std::size_t index;
    std::uint64_t value;
};
// The first field of data that is not the record's, if any.
std::optional<WrongField> find_wrong_field(const std::uint8_t* data, std::size_t size, std::uint64_t sequence);

}  // namespace zbserve::step_definitions
