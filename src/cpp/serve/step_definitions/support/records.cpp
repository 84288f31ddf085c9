#include "step_definitions/support/records.hpp"

#include <cstring>

namespace zbserve::step_definitions {

// Fields are stored in host order, which is little-endian on every platform the workers run on.
std::uint64_t write_record(zerobuffer::Writer& writer, std::size_t fields) {
    std::uint64_t sequence = 0;
    auto* data = static_cast<std::uint8_t*>(writer.get_frame_buffer(fields * RECORD_FIELD_SIZE, sequence));
    for (std::size_t i = 0; i < fields; ++i) {
        const std::uint64_t value = record_field(sequence, i);
        std::memcpy(data + i * RECORD_FIELD_SIZE, &value, RECORD_FIELD_SIZE);
    }
    writer.commit_frame();
    return sequence;
}

std::optional<WrongField> find_wrong_field(const std::uint8_t* data, std::size_t size, std::uint64_t sequence) {
    for (std::size_t i = 0; i < size / RECORD_FIELD_SIZE; ++i) {
        std::uint64_t value = 0;
        std::memcpy(&value, data + i * RECORD_FIELD_SIZE, RECORD_FIELD_SIZE);
        if (value != record_field(sequence, i)) return WrongField{i, value};
    }
    return std::nullopt;
}

}  // namespace zbserve::step_definitions
