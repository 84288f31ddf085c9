"""Protocol cases of PROTOCOL.md §3-§5 within one process (real shm and semaphores)."""

from __future__ import annotations

import os
import stat
import struct
import threading
import time
from datetime import timedelta

import pytest

from conftest import leftovers, unique_name
from zerobuffer import (BufferConfig, BufferFullException, BufferNotFoundException,
                        FrameTooLargeException, InvalidBufferNameException, InvalidConfigException,
                        InvalidFrameSizeException, InvalidOiebException, MetadataAlreadyWrittenException,
                        MetadataTooLargeException, ProtocolVersionMismatchException, Reader,
                        ReaderAlreadyConnectedException, SequenceError, SequenceErrorException,
                        WriterAlreadyConnectedException, WriterDeadException, Writer)
from zerobuffer import _layout as L
from zerobuffer._pattern import Pattern
from zerobuffer._resources import SharedMemory
from zerobuffer.diagnostics import inspect_buffer

PATTERN = Pattern(64 * 1024)


def oieb(name: str) -> dict[str, object]:
    return inspect_buffer(name)


def poke(name: str, offset: int, fmt: str, *values: object) -> None:
    """Write into a live buffer through a second mapping (simulated corruption)."""
    shm = SharedMemory(name)
    try:
        struct.pack_into(fmt, shm.buf, offset, *values)
    finally:
        shm.close()


def peek(name: str, offset: int, length: int) -> bytes:
    shm = SharedMemory(name)
    try:
        return bytes(shm.buf[offset: offset + length])
    finally:
        shm.close()


def write_pattern(writer: Writer, size: int) -> int:
    view = writer.get_frame_buffer(size)
    sequence = writer.pending_sequence or 0
    view[:] = PATTERN.frame(sequence, size)
    writer.commit_frame()
    return sequence


def read_check(reader: Reader, sequence: int, size: int) -> None:
    frame = reader.read_frame(2.0)
    assert frame is not None, f"no frame (expected {sequence})"
    with frame:
        assert (frame.sequence, frame.size) == (sequence, size)
        assert PATTERN.matches(sequence, frame.data)


def test_layout_and_creation(name: str) -> None:
    with Reader(name, BufferConfig(100, 1000)) as reader:
        state = oieb(name)
        assert state["oieb_size"] == 128 and state["version"] == "1.0.0"
        assert state["metadata_size"] == 128 and state["payload_size"] == 1024
        assert state["payload_free_bytes"] == 1024 and state["metadata_free_bytes"] == 128
        assert state["reader_pid"] == os.getpid() and state["writer_pid"] == 0
        assert os.fstat(os.open(f"/dev/shm/{name}", os.O_RDONLY)).st_size == 128 + 128 + 1024
        for path in (f"/dev/shm/{name}", f"/dev/shm/sem.sem-w-{name}", f"/dev/shm/sem.sem-r-{name}"):
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
        assert reader.payload_size == 1024
    assert leftovers(name) == []


def test_simple_roundtrip_and_metadata(name: str) -> None:
    with Reader(name, BufferConfig(1024, 10240)) as reader, Writer(name) as writer:
        assert reader.get_metadata() is None
        assert writer.is_reader_connected() and reader.is_writer_connected()
        writer.set_metadata(PATTERN.metadata(100))
        metadata = reader.get_metadata()
        assert metadata is not None and bytes(metadata) == bytes(PATTERN.metadata(100))
        metadata.release()
        state = oieb(name)
        assert state["metadata_written_bytes"] == 108 and state["metadata_free_bytes"] == 1024 - 108
        assert write_pattern(writer, 1024) == 1
        read_check(reader, 1, 1024)
        assert oieb(name)["payload_free_bytes"] == 10240


@pytest.mark.parametrize("meta_size, length, error", [
    (1024, 1017, MetadataTooLargeException), (1024, 2048, MetadataTooLargeException),
    (0, 1, MetadataTooLargeException), (0, 0, MetadataTooLargeException)])
def test_metadata_too_large(meta_size: int, length: int, error: type) -> None:
    name = unique_name()
    with Reader(name, BufferConfig(meta_size, 10240)) as reader, Writer(name) as writer:
        with pytest.raises(error):
            writer.set_metadata(bytes(length))
        assert reader.get_metadata() is None


def test_metadata_exact_fit_once_and_empty() -> None:
    name = unique_name()
    with Reader(name, BufferConfig(1024, 10240)) as reader, Writer(name) as writer:
        writer.set_metadata(PATTERN.metadata(1016))
        with pytest.raises(MetadataAlreadyWrittenException):
            writer.set_metadata(b"x")
        view = reader.get_metadata()
        assert view is not None and len(view) == 1016
        view.release()
    other = unique_name()
    with Reader(other, BufferConfig(64, 10240)) as reader:
        with Writer(other) as writer:
            writer.set_metadata(b"")
        with Writer(other) as second:  # once per buffer, whichever writer instance tries
            with pytest.raises(MetadataAlreadyWrittenException):
                second.set_metadata(b"late")
        view = reader.get_metadata()
        assert view is not None and len(view) == 0


def test_wrap_marker(name: str) -> None:
    with Reader(name, BufferConfig(0, 1024)) as reader, Writer(name) as writer:
        write_pattern(writer, 600)           # total 616
        read_check(reader, 1, 600)
        write_pattern(writer, 500)           # 408 left at the end < 516: marker at 616
        assert peek(name, L.OIEB_SIZE + 616, 16) == bytes(16)
        state = oieb(name)
        assert state["payload_write_pos"] == 516 and state["payload_written_count"] == 3
        read_check(reader, 2, 500)
        state = oieb(name)
        assert state["payload_read_count"] == 3 and state["payload_read_pos"] == 516
        assert state["payload_free_bytes"] == 1024


@pytest.mark.parametrize("tail", range(1, 16))
def test_implicit_wrap_tails(tail: int) -> None:
    name = unique_name("tail")
    with Reader(name, BufferConfig(0, 1024)) as reader, Writer(name) as writer:
        first = 1024 - tail - 16
        write_pattern(writer, first)
        read_check(reader, 1, first)
        poke(name, L.OIEB_SIZE + 1024 - tail, f"{tail}s", b"\xAA" * tail)  # must stay untouched
        write_pattern(writer, 100)
        assert peek(name, L.OIEB_SIZE + 1024 - tail, tail) == b"\xAA" * tail
        state = oieb(name)
        assert state["payload_written_count"] == 2 and state["payload_write_pos"] == 116
        read_check(reader, 2, 100)
        state = oieb(name)
        assert state["payload_read_count"] == 2 and state["payload_free_bytes"] == 1024


def test_exact_fit_keeps_write_pos_below_payload_size(name: str) -> None:
    with Reader(name, BufferConfig(0, 1024)) as reader, Writer(name) as writer:
        for sequence in (1, 2, 3):
            write_pattern(writer, 1008)
            assert oieb(name)["payload_write_pos"] == 0
            read_check(reader, sequence, 1008)
            assert oieb(name)["payload_read_pos"] == 0


def test_zero_and_oversized_frames_fail_at_once(name: str) -> None:
    with Reader(name, BufferConfig(0, 1024)), Writer(name) as writer:
        started = time.monotonic()
        with pytest.raises(InvalidFrameSizeException):
            writer.write_frame(b"")
        with pytest.raises(FrameTooLargeException):
            writer.write_frame(bytes(1009))
        assert time.monotonic() - started < 0.5
        writer.write_frame(bytes(1008))


def test_buffer_full_after_write_timeout(name: str) -> None:
    with Reader(name, BufferConfig(0, 1024)), Writer(name) as writer:
        writer.write_timeout = 0.2  # type: ignore[assignment]  # seconds are accepted too
        assert writer.write_timeout == timedelta(milliseconds=200)
        writer.write_frame(bytes(1000))
        started = time.monotonic()
        with pytest.raises(BufferFullException):
            writer.write_frame(bytes(100))
        assert 0.15 < time.monotonic() - started < 2.0


def test_wrap_requires_tail_plus_total(name: str) -> None:
    """Upstream bug 961910f: the wasted tail must count, or free underflows and unread frames are
    overwritten."""
    with Reader(name, BufferConfig(0, 1024)) as reader, Writer(name) as writer:
        writer.write_timeout = timedelta(milliseconds=200)
        write_pattern(writer, 384)  # 0..400
        read_check(reader, 1, 384)
        write_pattern(writer, 400)  # 400..816 unread; free 608, tail 208
        # A 400-byte frame needs 208 + 416 = 624 > 608: must wait, although free >= 416.
        with pytest.raises(BufferFullException):
            write_pattern(writer, 400)
        read_check(reader, 2, 400)
        write_pattern(writer, 400)
        read_check(reader, 3, 400)


def test_several_unreleased_frames(name: str) -> None:
    with Reader(name, BufferConfig(0, 10240)) as reader, Writer(name) as writer:
        for size in (100, 200, 300):
            write_pattern(writer, size)
        frames = [reader.read_frame(1.0) for _ in range(3)]
        assert [f.size for f in frames if f] == [100, 200, 300]
        assert oieb(name)["payload_free_bytes"] == 10240 - 648
        for frame in frames:
            assert frame is not None and PATTERN.matches(frame.sequence, frame.data)
            reader.release_frame(frame)
            assert not frame.is_valid
        assert oieb(name)["payload_free_bytes"] == 10240


def test_sequence_error_from_corruption(name: str) -> None:
    with Reader(name, BufferConfig(0, 10240)) as reader, Writer(name) as writer:
        write_pattern(writer, 64)
        poke(name, L.OIEB_SIZE + 8, "<Q", 7)
        with pytest.raises(SequenceError) as info:
            reader.read_frame(1.0)
        assert isinstance(info.value, SequenceErrorException) and info.value.kind == "SequenceError"
        assert (info.value.expected, info.value.got) == (1, 7)


@pytest.mark.parametrize("bad_size, error", [
    (10240, InvalidFrameSizeException), (1 << 63, InvalidFrameSizeException),
    ((1 << 64) - 1, InvalidFrameSizeException),
    (0, SequenceErrorException)])  # size 0 reads as a wrap marker; frame 1 at offset 0 is stale
def test_corrupt_frame_size_never_reads_outside(bad_size: int, error: type) -> None:
    name = unique_name("size")
    with Reader(name, BufferConfig(0, 10240)) as reader, Writer(name) as writer:
        write_pattern(writer, 64)
        write_pattern(writer, 64)
        read_check(reader, 1, 64)
        poke(name, L.OIEB_SIZE + 80, "<Q", bad_size)
        with pytest.raises(error):
            reader.read_frame(1.0)


@pytest.mark.parametrize("offset, fmt, value, error", [
    (L.OFF_OIEB_SIZE, "<I", 64, InvalidOiebException),
    (L.OFF_OIEB_SIZE, "<I", 0, BufferNotFoundException),
    (L.OFF_VERSION, "<B", 2, ProtocolVersionMismatchException),
    (L.OFF_PAYLOAD_SIZE, "<Q", 4096, InvalidOiebException),
    (L.OFF_METADATA_SIZE, "<Q", 1 << 62, InvalidOiebException),
    (L.OFF_WRITE_POS, "<Q", 1 << 40, InvalidOiebException),
])
def test_corrupt_oieb_is_detected_at_connect(offset: int, fmt: str, value: int, error: type) -> None:
    name = unique_name("oieb")
    with Reader(name, BufferConfig(0, 1024)):
        poke(name, offset, fmt, value)
        with pytest.raises(error):
            Writer(name)
        assert oieb(name)["writer_pid"] == 0  # a failed connect leaves no trace


def test_second_writer_rejected_and_no_trace(name: str) -> None:
    with Reader(name, BufferConfig(0, 10240)) as reader, Writer(name) as writer:
        with pytest.raises(WriterAlreadyConnectedException):
            Writer(name)
        assert oieb(name)["writer_pid"] == os.getpid()
        write_pattern(writer, 10)
        read_check(reader, 1, 10)


def test_second_reader_rejected(name: str) -> None:
    with Reader(name, BufferConfig(0, 1024)):
        with pytest.raises(ReaderAlreadyConnectedException):
            Reader(name, BufferConfig(0, 1024))
        assert os.path.exists(f"/dev/shm/{name}")


def test_writer_without_reader(name: str) -> None:
    with pytest.raises(BufferNotFoundException):
        Writer(name)


def test_half_made_buffer_is_not_found(name: str) -> None:
    shm = SharedMemory(name, create_size=128 + 1024)
    try:
        with pytest.raises(BufferNotFoundException):
            Writer(name)
    finally:
        shm.close()
        SharedMemory.unlink(name)


@pytest.mark.parametrize("bad", ["bad/name", "../escape", "white space", "", ".hidden", "x" * 201,
                                 "ünicode"])
def test_invalid_names(bad: str) -> None:
    with pytest.raises(InvalidBufferNameException) as info:
        Reader(bad, BufferConfig(0, 1024))
    assert repr(bad) in str(info.value) and info.value.kind == "InvalidBufferName"
    with pytest.raises(InvalidBufferNameException):
        Writer(bad)


@pytest.mark.parametrize("meta, payload", [(0, 0), (-1, 1024), (0, -5), (1.5, 1024)])
def test_invalid_config(meta: object, payload: object) -> None:
    with pytest.raises(InvalidConfigException):
        BufferConfig(meta, payload)  # type: ignore[arg-type]


def test_writer_closed_then_reader_gets_remaining_then_writer_dead(name: str) -> None:
    with Reader(name, BufferConfig(0, 10240)) as reader:
        with Writer(name) as writer:
            write_pattern(writer, 10)
            write_pattern(writer, 10)
        read_check(reader, 1, 10)
        read_check(reader, 2, 10)
        assert not reader.is_writer_connected()
        with pytest.raises(WriterDeadException):
            reader.read_frame(0.1)


def test_no_frame_returns_none_while_writer_alive(name: str) -> None:
    with Reader(name, BufferConfig(0, 1024)) as reader, Writer(name):
        started = time.monotonic()
        assert reader.read_frame(0.2) is None
        assert time.monotonic() - started >= 0.18


def test_is_writer_connected_waits(name: str) -> None:
    with Reader(name, BufferConfig(0, 1024)) as reader:
        assert not reader.is_writer_connected()
        holder: list[Writer] = []
        timer = threading.Timer(0.1, lambda: holder.append(Writer(name)))
        timer.start()
        try:
            assert reader.is_writer_connected(timeout_ms=2000)
        finally:
            timer.join()
            for writer in holder:
                writer.close()


def test_5000_frames_through_10k_with_writer_thread(name: str) -> None:
    errors: list[BaseException] = []
    with Reader(name, BufferConfig(1024, 10240)) as reader:
        def produce() -> None:
            try:
                with Writer(name) as writer:
                    for _ in range(5000):
                        write_pattern(writer, 1024)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        thread = threading.Thread(target=produce)
        thread.start()
        for sequence in range(1, 5001):
            read_check(reader, sequence, 1024)
        thread.join(10)
        assert not errors
        assert oieb(name)["payload_free_bytes"] == 10240


def test_failed_creation_is_undone(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from zerobuffer import ResourceExhaustedException
    from zerobuffer import reader as reader_module
    real = reader_module.NamedSemaphore
    calls: list[str] = []

    class FailSecond(real):  # type: ignore[misc, valid-type]
        def __init__(self, sem_name: str, create: bool, mode: int = 0o600) -> None:
            calls.append(sem_name)
            if len(calls) == 2:
                raise ResourceExhaustedException(f"sem_open '{sem_name}' failed: simulated ENOSPC")
            super().__init__(sem_name, create, mode)

    monkeypatch.setattr(reader_module, "NamedSemaphore", FailSecond)
    with pytest.raises(ResourceExhaustedException):
        Reader(name, BufferConfig(0, 1024))
    assert len(calls) == 2 and leftovers(name) == []


def test_writer_never_unlinks(name: str) -> None:
    with Reader(name, BufferConfig(0, 1024)):
        before = sorted(leftovers(name))
        Writer(name).close()
        assert sorted(leftovers(name)) == before and len(before) == 4
