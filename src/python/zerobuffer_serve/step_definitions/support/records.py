"""Multi-field records (features/STEPS.md "Record pattern"): field i of the record with sequence s is
the little-endian 64-bit value (s << 32) | i; a field left from an older record has another sequence."""

from __future__ import annotations

import struct
from typing import Optional

from zerobuffer import Writer

FIELD = struct.Struct("<Q")


def field_value(sequence: int, index: int) -> int:
    return ((sequence << 32) | index) & 0xFFFF_FFFF_FFFF_FFFF


def write_record(writer: Writer, fields: int) -> int:
    """Store the fields one by one, in order, straight into the ring (zero-copy); returns the sequence."""
    target = writer.get_frame_buffer(fields * FIELD.size)
    sequence = writer.pending_sequence or 0
    for i in range(fields):
        FIELD.pack_into(target, i * FIELD.size, field_value(sequence, i))
    writer.commit_frame()
    return sequence


def wrong_field(data: memoryview, sequence: int) -> Optional[tuple[int, int]]:
    """(index, value) of the first field that is not the record's, or None."""
    fields = len(data) // FIELD.size
    expected = struct.pack(f"<{fields}Q", *(field_value(sequence, i) for i in range(fields)))
    if data == expected:
        return None
    for i in range(fields):
        (value,) = FIELD.unpack_from(data, i * FIELD.size)
        if value != field_value(sequence, i):
            return i, value
    return None
