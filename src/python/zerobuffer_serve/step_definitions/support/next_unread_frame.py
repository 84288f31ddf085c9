"""Where the reader of a buffer looks next, for the steps that corrupt that frame's header."""

from __future__ import annotations

from zerobuffer import diagnostics
from zerobuffer._layout import FRAME_HEADER_SIZE

from ...steps.errors import StepAssertionError


def next_unread_frame_offset(name: str) -> int:
    """The ring offset of the header the reader reads next (PROTOCOL.md §4, reader step 2): at
    read_pos, unless the tail is too short for a header (implicit wrap) or holds a wrap marker; then
    at 0. AssertionFailed when every written frame was read (nothing to corrupt)."""
    oieb = diagnostics.inspect_buffer(name)
    written, read = oieb["payload_written_count"], oieb["payload_read_count"]
    offset, ring = oieb["payload_read_pos"], oieb["payload_size"]
    assert isinstance(offset, int) and isinstance(ring, int)
    if written == read:
        raise StepAssertionError(f"buffer '{name}': expected an unread frame to corrupt, but all {read} written "
                                 f"frames were read")
    if ring - offset < FRAME_HEADER_SIZE or diagnostics.frame_header(name, offset)[0] == 0:
        return 0
    return offset
