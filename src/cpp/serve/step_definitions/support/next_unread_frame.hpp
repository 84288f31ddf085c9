// Where the reader of a buffer looks next, for the steps that corrupt that frame's header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace zbserve::step_definitions {

// The ring offset of the header the reader reads next (PROTOCOL.md §4, reader step 2): at read_pos,
// unless the tail is too short for a header (implicit wrap) or holds a wrap marker; then at 0.
// AssertionFailed when every written frame was read (nothing to corrupt).
std::size_t next_unread_frame_offset(const std::string& buffer);

// A field of a frame header (PROTOCOL.md §4).
enum class HeaderField { payload_size, sequence };

// Where an edit of the next unread frame landed and what the field held before.
struct HeaderEdit {
    std::size_t offset;
    std::uint64_t previous;
};

// Writes one header field of the frame the reader reads next, through the diagnostics API, and logs it.
HeaderEdit set_next_unread_frame_field(const std::string& buffer, HeaderField field, std::uint64_t value);

}  // namespace zbserve::step_definitions
