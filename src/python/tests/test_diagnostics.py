"""The diagnostics API's test-only pieces: semaphore values, object checks, dead pids, abandoning."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from zerobuffer import BufferConfig, InvalidFrameSizeException, Reader, SequenceErrorException, Writer, diagnostics
from zerobuffer._resources import pid_alive
from zerobuffer._stale import remove_buffer_objects

from conftest import lock_dir


@pytest.fixture
def reader(name: str) -> Iterator[Reader]:
    created = Reader(name, BufferConfig(256, 4096))
    yield created
    created.close()


def test_semaphore_value_counts_posts_and_takes(reader: Reader) -> None:
    with Writer(reader.name) as writer:
        assert diagnostics.semaphore_value(reader.name, "written") == 0
        writer.write_frame(b"x" * 100)
        writer.write_frame(b"y" * 100)
        assert diagnostics.semaphore_value(reader.name, "written") == 2
        frame = reader.read_frame(1.0)
        assert frame is not None
        assert diagnostics.semaphore_value(reader.name, "written") == 1
        assert diagnostics.semaphore_value(reader.name, "freed") == 0
        frame.dispose()
        assert diagnostics.semaphore_value(reader.name, "freed") == 1


def test_existing_objects_and_lock_held(reader: Reader) -> None:
    assert diagnostics.existing_objects(reader.name) == {"shm": True, "sem-w": True, "sem-r": True, "lock": True}
    assert diagnostics.lock_file_held(reader.name) is True  # held by this very process's reader
    reader.close()
    assert diagnostics.existing_objects(reader.name) == {"shm": False, "sem-w": False, "sem-r": False,
                                                         "lock": False}
    assert diagnostics.lock_file_held(reader.name) is False


def test_dead_pid_names_no_process() -> None:
    pid = diagnostics.dead_pid()
    assert pid > 0 and pid != os.getpid()
    assert not pid_alive(pid)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_abandoned_reader_leaves_everything_but_its_lock(name: str) -> None:
    reader = Reader(name, BufferConfig(256, 4096))
    try:
        with Writer(name) as writer:
            writer.write_frame(b"z" * 64)
            frame = reader.read_frame(1.0)
            assert frame is not None
            before = diagnostics.oieb_image(name)
            diagnostics.abandon(reader)
            frame.dispose()  # a frame handed out before touches nothing afterwards
            assert diagnostics.oieb_image(name) == before  # no field reset, reader_pid still ours
            assert diagnostics.semaphore_value(name, "freed") == 0
            assert diagnostics.existing_objects(name) == {"shm": True, "sem-w": True, "sem-r": True,
                                                          "lock": True}
            assert not diagnostics.lock_file_held(name)
            reader.close()  # a no-op now: nothing is unlinked
            assert diagnostics.existing_objects(name)["shm"]
            assert diagnostics.inspect_buffer(name)["reader_pid"] == os.getpid()
    finally:
        remove_buffer_objects(name)
        os.unlink(os.path.join(lock_dir(), name + ".lock"))


def test_abandoned_writer_keeps_its_pid(reader: Reader) -> None:
    writer = Writer(reader.name)
    diagnostics.abandon(writer)
    writer.close()  # must not clear writer_pid
    assert diagnostics.inspect_buffer(reader.name)["writer_pid"] == os.getpid()
    with pytest.raises(Exception, match="closed"):
        writer.write_frame(b"a")


def test_frame_header_reads_what_the_writer_wrote(reader: Reader) -> None:
    with Writer(reader.name) as writer:
        writer.write_frame(b"a" * 100)
        writer.write_frame(b"b" * 30)
        assert diagnostics.frame_header(reader.name, 0) == (100, 1)
        assert diagnostics.frame_header(reader.name, 116) == (30, 2)


def test_write_frame_sequence_makes_the_reader_fail_with_both_numbers(reader: Reader) -> None:
    with Writer(reader.name) as writer:
        writer.write_frame(b"a" * 100)
        diagnostics.write_frame_sequence(reader.name, 0, 5)
        assert diagnostics.frame_header(reader.name, 0) == (100, 5)  # the size is left alone
        with pytest.raises(SequenceErrorException) as raised:
            reader.read_frame(1.0)
        assert (raised.value.expected, raised.value.got) == (1, 5)


@pytest.mark.parametrize("size", [0, 4096 - 16 + 1, 2**64 - 1])
def test_write_frame_payload_size_makes_the_reader_fail_naming_the_size(reader: Reader, size: int) -> None:
    with Writer(reader.name) as writer:
        writer.write_frame(b"a" * 100)
        diagnostics.write_frame_payload_size(reader.name, 0, size)
        assert diagnostics.frame_header(reader.name, 0) == (size, 1)  # the sequence is left alone
        with pytest.raises(InvalidFrameSizeException, match=str(size)):
            reader.read_frame(1.0)
        assert diagnostics.inspect_buffer(reader.name)["payload_read_pos"] == 0  # the reader did not advance


def test_frame_header_must_fit_the_ring(reader: Reader) -> None:
    for offset in (-1, 4096 - 15):
        with pytest.raises(ValueError, match="does not fit"):
            diagnostics.frame_header(reader.name, offset)
        with pytest.raises(ValueError, match="does not fit"):
            diagnostics.write_frame_sequence(reader.name, offset, 1)
        with pytest.raises(ValueError, match="does not fit"):
            diagnostics.write_frame_payload_size(reader.name, offset, 1)
    assert diagnostics.frame_header(reader.name, 4096 - 16) == (0, 0)


def test_object_files_are_0600_while_the_reader_lives_and_gone_after_close(reader: Reader) -> None:
    files = diagnostics.object_files(reader.name)
    assert [f["kind"] for f in files] == ["shared memory", "sem-w", "sem-r", "lock file"]
    assert [f["path"] for f in files] == [f"/dev/shm/{reader.name}", f"/dev/shm/sem.sem-w-{reader.name}",
                                          f"/dev/shm/sem.sem-r-{reader.name}",
                                          diagnostics.lock_file_path(reader.name)]
    assert all(f["exists"] and f["mode"] == 0o600 for f in files)
    assert len(diagnostics.objects_named_after(reader.name)) == 4
    reader.close()
    assert not any(f["exists"] or f["mode"] is not None for f in diagnostics.object_files(reader.name))
    assert diagnostics.objects_named_after(reader.name) == []


def test_object_files_refuse_an_invalid_name() -> None:
    from zerobuffer import InvalidBufferNameException
    with pytest.raises(InvalidBufferNameException):
        diagnostics.object_files("bad/name")


def test_layout_places_the_blocks_after_the_oieb_with_aligned_sizes(name: str) -> None:
    with Reader(name, BufferConfig(1, 4097)):
        lay = diagnostics.layout(name)
    assert lay["mapping_address"] % 64 == 0
    assert (lay["metadata_offset"], lay["metadata_size"]) == (128, 64)
    assert (lay["payload_offset"], lay["payload_size"]) == (192, 4160)
    assert lay["mapping_size"] == 128 + 64 + 4160
