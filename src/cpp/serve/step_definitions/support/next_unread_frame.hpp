// Where the reader of a buffer looks next, for the steps that corrupt that frame's header.
#pragma once

#include <cstddef>
#include <string>

namespace zbserve::step_definitions {

// The ring offset of the header the reader reads next (PROTOCOL.md §4, reader step 2): at read_pos,
// unless the tail is too short for a header (implicit wrap) or holds a wrap marker; then at 0.
// AssertionFailed when every written frame was read (nothing to corrupt).
std::size_t next_unread_frame_offset(const std::string& buffer);

}  // namespace zbserve::step_definitions
