"""Byte layout of a v1 buffer (PROTOCOL.md §2): OIEB field offsets, frame header, alignment."""

from __future__ import annotations

import struct

OIEB_SIZE = 128
VERSION = (1, 0, 0, 0)
ALIGNMENT = 64
FRAME_HEADER_SIZE = 16
METADATA_PREFIX_SIZE = 8

# Byte offsets of the OIEB fields.
OFF_OIEB_SIZE = 0x00
OFF_VERSION = 0x04
OFF_METADATA_SIZE = 0x08
OFF_METADATA_FREE = 0x10
OFF_METADATA_WRITTEN = 0x18
OFF_PAYLOAD_SIZE = 0x20
OFF_PAYLOAD_FREE = 0x28
OFF_WRITE_POS = 0x30
OFF_READ_POS = 0x38
OFF_WRITTEN_COUNT = 0x40
OFF_READ_COUNT = 0x48
OFF_WRITER_PID = 0x50
OFF_READER_PID = 0x58

# Index of each u64 field in a memoryview of the OIEB cast to "Q" (offset // 8).
I_METADATA_SIZE = OFF_METADATA_SIZE // 8
I_METADATA_FREE = OFF_METADATA_FREE // 8
I_METADATA_WRITTEN = OFF_METADATA_WRITTEN // 8
I_PAYLOAD_SIZE = OFF_PAYLOAD_SIZE // 8
I_PAYLOAD_FREE = OFF_PAYLOAD_FREE // 8
I_WRITE_POS = OFF_WRITE_POS // 8
I_READ_POS = OFF_READ_POS // 8
I_WRITTEN_COUNT = OFF_WRITTEN_COUNT // 8
I_READ_COUNT = OFF_READ_COUNT // 8
I_WRITER_PID = OFF_WRITER_PID // 8
I_READER_PID = OFF_READER_PID // 8

FRAME_HEADER = struct.Struct("<QQ")  # payload_size, sequence
U64 = struct.Struct("<Q")
OIEB_STRUCT = struct.Struct("<I4B11Q32x")


def align64(value: int) -> int:
    """Round up to the next multiple of 64."""
    return (value + ALIGNMENT - 1) & ~(ALIGNMENT - 1)


def total_size(metadata_size: int, payload_size: int) -> int:
    """Size of the shared-memory object for the (unaligned) config sizes."""
    return OIEB_SIZE + align64(metadata_size) + align64(payload_size)


def payload_offset(metadata_size_aligned: int) -> int:
    """Offset of the payload ring in the mapping."""
    return OIEB_SIZE + metadata_size_aligned
