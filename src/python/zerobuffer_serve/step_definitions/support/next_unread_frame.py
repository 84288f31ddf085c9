"""Where the reader of a buffer looks next, for the steps that corrupt that frame's header."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from zerobuffer import diagnostics
from zerobuffer._layout import FRAME_HEADER_SIZE

from ...steps.errors import StepAssertionError

_log = logging.getLogger("zerobuffer_serve")


class HeaderField(enum.Enum):
    """A field of a frame header (PROTOCOL.md §4), by the name the step phrases use."""

    PAYLOAD_SIZE = "payload size"
    SEQUENCE = "sequence"


@dataclass(frozen=True)
class HeaderEdit:
    """Where an edit of the next unread frame landed and what the field held before."""

    buffer: str
    offset: int
    previous: int


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


def set_next_unread_frame_field(name: str, field: HeaderField, value: int) -> HeaderEdit:
    """Write one header field of the frame the reader reads next, through the diagnostics API."""
    offset = next_unread_frame_offset(name)
    size, sequence = diagnostics.frame_header(name, offset)
    if field is HeaderField.PAYLOAD_SIZE:
        previous = size
        diagnostics.write_frame_payload_size(name, offset, value)
    else:
        previous = sequence
        diagnostics.write_frame_sequence(name, offset, value)
    _log.info("set the %s of the frame at offset %d of '%s' from %d to %d", field.value, offset, name, previous, value)
    return HeaderEdit(name, offset, previous)
