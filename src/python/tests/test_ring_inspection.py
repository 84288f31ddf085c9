"""Continuous free bytes and ring entries (frame headers, wrap markers, implicit wraps) through the
diagnostics API."""

from __future__ import annotations

from typing import Iterator

import pytest

from zerobuffer import BufferConfig, Reader, Writer, diagnostics
from zerobuffer.diagnostics import RingEntry
from zerobuffer.errors import BufferFullException, BufferNotFoundException


@pytest.fixture
def reader(name: str) -> Iterator[Reader]:
    created = Reader(name, BufferConfig(1024, 10240))
    yield created
    created.close()


def _oieb(size: int, free: int, write_pos: int) -> dict[str, object]:
    return {"payload_size": size, "payload_free_bytes": free, "payload_write_pos": write_pos}


@pytest.mark.parametrize("free, write_pos, expected", [
    (10240, 0, 10240),    # empty at 0: the whole ring
    (4048, 6192, 4048),   # read_pos 0: only the tail
    (9064, 6192, 5016),   # write > read: the start (read_pos 5016) beats the tail
    (8192, 6192, 4144),   # write > read: the tail beats the start
    (1176, 5016, 1176),   # write < read: up to read_pos
    (0, 4128, 0),         # full
    (10240, 6192, 6192),  # empty, not at 0: the larger of tail and start
    (500, 10240, 500),    # write_pos left at payload_size: no tail
    (100, 6192, 100),     # unreleased frames: less than the tail
])
def test_continuous_free_bytes_follow_the_writer_rule(free: int, write_pos: int, expected: int) -> None:
    assert diagnostics.continuous_free_bytes(_oieb(10240, free, write_pos)) == expected


def _read_and_release(reader: Reader) -> None:
    frame = reader.read_frame(1.0)
    assert frame is not None
    frame.dispose()


def test_a_frame_of_exactly_the_continuous_free_bytes_fits_and_one_byte_more_does_not(reader: Reader) -> None:
    with Writer(reader.name) as writer:
        writer.write_timeout = 0.05
        for _ in range(3):
            writer.write_frame(b"\x01" * 2048)
        for _ in range(2):
            _read_and_release(reader)
        oieb = diagnostics.inspect_buffer(reader.name)
        assert (oieb["payload_write_pos"], oieb["payload_read_pos"]) == (6192, 4128)
        assert diagnostics.continuous_free_bytes(oieb) == 4128
        with pytest.raises(BufferFullException):
            writer.write_frame(b"\x01" * (4128 - 16 + 1))
        writer.write_frame(b"\x01" * (4128 - 16))
        assert diagnostics.continuous_free_bytes(diagnostics.inspect_buffer(reader.name)) == 0


def test_ring_entries_show_frames_wrap_markers_and_implicit_wraps(reader: Reader) -> None:
    with Writer(reader.name) as writer:
        writer.write_frame(b"\x01" * 10124)  # leaves a 100-byte tail
        _read_and_release(reader)
        writer.write_frame(b"\x02" * 200)  # wraps with a marker
        assert diagnostics.ring_entry_at(reader.name, 10140) == RingEntry(10140, "wrap_marker", 0, 0, 100)
        assert diagnostics.ring_entry_at(reader.name, 0) == RingEntry(0, "frame", 200, 2, 0)
        assert diagnostics.ring_entry_at(reader.name, 10232) == RingEntry(10232, "implicit_wrap", 0, 0, 8)
        assert diagnostics.ring_entry_at(reader.name, 10239) == RingEntry(10239, "implicit_wrap", 0, 0, 1)
        # Bytes inside the first frame's payload are not zeros: read as a (nonsense) header, as stored.
        assert diagnostics.ring_entry_at(reader.name, 100).kind == "frame"


def test_a_header_at_an_unaligned_offset_is_read_as_stored(reader: Reader) -> None:
    with Writer(reader.name) as writer:
        writer.write_frame(b"\x01" * 31)
        writer.write_frame(b"\x02")
        assert diagnostics.ring_entry_at(reader.name, 47) == RingEntry(47, "frame", 1, 2, 0)


def test_an_offset_outside_the_ring_or_a_missing_buffer_is_refused(reader: Reader) -> None:
    with pytest.raises(ValueError):
        diagnostics.ring_entry_at(reader.name, 10240)
    with pytest.raises(ValueError):
        diagnostics.ring_entry_at(reader.name, -1)
    with pytest.raises(BufferNotFoundException):
        diagnostics.ring_entry_at(reader.name + "-missing", 0)
