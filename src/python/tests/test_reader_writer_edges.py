"""Reader and Writer edge cases: argument validation, use after close, half-created buffers,
stale semaphores, exported views at commit, and frames outstanding when the reader closes."""

from __future__ import annotations

import struct
from datetime import timedelta
from typing import Iterator

import pytest

from conftest import leftovers, unique_name
from zerobuffer import (BufferConfig, BufferNotFoundException, Reader, Writer,
                        ZeroBufferException)
from zerobuffer import _names
from zerobuffer._posix import NamedSemaphore
from zerobuffer._resources import SharedMemory


@pytest.fixture
def pair() -> Iterator[tuple[Reader, Writer]]:
    reader = Reader(unique_name("rw"), BufferConfig(metadata_size=10, payload_size=4096))
    writer = Writer(reader.name)
    yield reader, writer
    writer.close()
    reader.close()


# --- reader --------------------------------------------------------------------------------------

def test_reader_refuses_a_config_of_the_wrong_type_before_creating_anything() -> None:
    name = unique_name("cfg")
    with pytest.raises(TypeError, match="BufferConfig"):
        Reader(name, {"payload_size": 1024})  # type: ignore[arg-type]
    assert leftovers(name) == []


def test_reader_reports_aligned_sizes_and_refuses_use_after_close() -> None:
    reader = Reader(unique_name("closed"), BufferConfig(metadata_size=10, payload_size=1000))
    assert reader.metadata_size == 64 and reader.payload_size == 1024
    assert reader.is_closed is False

    reader.close()
    reader.close()  # twice is harmless

    assert reader.is_closed is True
    with pytest.raises(ZeroBufferException, match="is closed"):
        reader.read_frame(timeout=0)


def test_stale_semaphore_posts_do_not_become_phantom_frames() -> None:
    name = unique_name("stalesem")
    stale = NamedSemaphore(_names.sem_write_name(name), create=True)
    stale.post()
    stale.post()
    stale.close()

    with Reader(name, BufferConfig(payload_size=1024)) as reader:
        assert reader.read_frame(timeout=0.05) is None
    assert leftovers(name) == []


def test_frames_outstanding_at_close_become_invalid_and_release_harmlessly(
        pair: tuple[Reader, Writer]) -> None:
    reader, writer = pair
    writer.write_frame(b"one")
    frame = reader.read_frame(timeout=5)
    assert frame is not None and frame.to_bytes() == b"one"

    reader.close()

    assert not frame.is_valid
    frame.dispose()  # the ring is gone: nothing to give back, no error


# --- writer --------------------------------------------------------------------------------------

def test_write_timeout_accepts_seconds_and_refuses_negative(pair: tuple[Reader, Writer]) -> None:
    _reader, writer = pair
    writer.write_timeout = 0.25
    assert writer.write_timeout == timedelta(milliseconds=250)
    with pytest.raises(ValueError, match="negative"):
        writer.write_timeout = timedelta(seconds=-1)
    assert writer.write_timeout == timedelta(milliseconds=250)


def test_frames_written_counts_commits_only(pair: tuple[Reader, Writer]) -> None:
    _reader, writer = pair
    assert writer.frames_written == 0
    writer.write_frame(b"a")
    writer.get_frame_buffer(4)
    assert writer.frames_written == 1 and writer.pending_sequence == 2
    writer.commit_frame()
    assert writer.frames_written == 2 and writer.pending_sequence is None


def test_commit_without_a_frame_buffer_and_negative_metadata_are_refused(
        pair: tuple[Reader, Writer]) -> None:
    _reader, writer = pair
    with pytest.raises(ZeroBufferException, match="commit_frame without get_frame_buffer"):
        writer.commit_frame()
    with pytest.raises(ValueError, match="metadata size must be >= 0"):
        writer.get_metadata_buffer(-1)


def test_writer_refuses_use_after_close(pair: tuple[Reader, Writer]) -> None:
    _reader, writer = pair
    writer.close()
    with pytest.raises(ZeroBufferException, match="writer of buffer .* is closed"):
        writer.write_frame(b"late")


def test_a_frame_still_pending_at_close_is_never_delivered(pair: tuple[Reader, Writer]) -> None:
    reader, writer = pair
    writer.get_frame_buffer(8)[:] = b"unsent!!"
    writer.close()
    assert reader.read_frame(timeout=0.05) is None


def test_commit_works_while_the_caller_still_exports_the_frame_view(pair: tuple[Reader, Writer]) -> None:
    reader, writer = pair
    view = writer.get_frame_buffer(4)
    view[:] = b"\x01\x00\x02\x00"
    pairs = struct.iter_unpack("<H", view)  # the caller holds a buffer export of the view

    writer.commit_frame()

    assert [value for (value,) in pairs] == [1, 2]
    frame = reader.read_frame(timeout=5)
    assert frame is not None and frame.to_bytes() == b"\x01\x00\x02\x00"
    frame.dispose()


def test_metadata_commit_works_while_the_caller_still_exports_the_view(pair: tuple[Reader, Writer]) -> None:
    reader, writer = pair
    view = writer.get_metadata_buffer(2)
    view[:] = b"\x07\x00"
    pairs = struct.iter_unpack("<H", view)

    writer.commit_metadata()

    assert [value for (value,) in pairs] == [7]
    metadata = reader.get_metadata()
    assert metadata is not None and bytes(metadata) == b"\x07\x00"
    metadata.release()


def test_writer_refuses_a_buffer_whose_reader_has_not_finished_creating_it() -> None:
    name = unique_name("half")
    shm = SharedMemory(name, create_size=64)  # smaller than the OIEB: still being sized
    try:
        with pytest.raises(BufferNotFoundException, match="still being created"):
            Writer(name)
    finally:
        shm.close()
        SharedMemory.unlink(name)


def test_writer_refuses_a_buffer_whose_semaphores_are_gone() -> None:
    with Reader(unique_name("nosem"), BufferConfig(payload_size=1024)) as reader:
        NamedSemaphore.unlink(_names.sem_write_name(reader.name))
        with pytest.raises(BufferNotFoundException, match="semaphores of buffer .* are missing"):
            Writer(reader.name)
        assert reader.is_writer_connected() is False  # the refused writer did not record itself
