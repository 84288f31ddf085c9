"""The 16-byte record a correlated server writes into the ``_response`` metadata (PROTOCOL.md §8):
ASCII ``ZBDUPLEX``, u32 LE version = 1, u32 LE flags (bit 0 = correlated)."""

from __future__ import annotations

import struct
from typing import Optional

MAGIC = b"ZBDUPLEX"
VERSION = 1
CORRELATED_FLAG = 1
RECORD = struct.Struct("<8sII")
RECORD_SIZE = RECORD.size
# Every correlated response payload starts with the u64 LE sequence of the request it answers.
SEQUENCE_PREFIX = struct.Struct("<Q")
SEQUENCE_PREFIX_SIZE = SEQUENCE_PREFIX.size


def encode(correlated: bool) -> bytes:
    return RECORD.pack(MAGIC, VERSION, CORRELATED_FLAG if correlated else 0)


def is_correlated(metadata: Optional[memoryview | bytes]) -> bool:
    """True for a duplex record with the correlated flag; anything else means an in-order channel."""
    if metadata is None or len(metadata) < RECORD_SIZE:
        return False
    magic, version, flags = RECORD.unpack_from(metadata, 0)
    return magic == MAGIC and version == VERSION and bool(flags & CORRELATED_FLAG)
