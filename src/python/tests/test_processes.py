"""Cross-process behaviour: crashes (SIGKILL), stale reclaim, live buffers, atomic counter."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import textwrap
import threading
import time
from datetime import timedelta

import pytest

from conftest import leftovers, lock_dir, spawn_python, unique_name, wait_line
from zerobuffer import (BufferConfig, Reader, ReaderAlreadyConnectedException, ReaderDeadException, SequenceError,
                        Writer, WriterDeadException)
from zerobuffer._posix import NamedSemaphore, atomic_load_u64, buffer_address
from zerobuffer._pattern import Pattern
from zerobuffer._resources import SharedMemory
from zerobuffer.diagnostics import inspect_buffer, write_region_bytes

PATTERN = Pattern(64 * 1024)

HOLD_READER = """
import sys, time
from zerobuffer import Reader, BufferConfig
reader = Reader(sys.argv[1], BufferConfig(1024, int(sys.argv[2])))
print("READY", flush=True)
time.sleep(60)
"""

HOLD_WRITER = """
import sys, time
from zerobuffer import Writer
writer = Writer(sys.argv[1])
for _ in range(int(sys.argv[2])):
    view = writer.get_frame_buffer(1024)
    seq = writer.pending_sequence
    view[:] = bytes(((seq + i) & 0xFF) for i in range(1024))
    writer.commit_frame()
print("READY", flush=True)
time.sleep(60)
"""


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return spawn_python(f"import sys; sys.argv[1:] = {list(args)!r}\n" + textwrap.dedent(code))


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate()  # reap: a zombie is treated as dead, but do not rely on it here


def test_sem_open_four_argument_binding_create_and_open() -> None:
    sem_name = unique_name("sem")
    created = NamedSemaphore(sem_name, create=True)
    opened = NamedSemaphore(sem_name, create=False)
    try:
        with pytest.raises(FileExistsError):
            NamedSemaphore(sem_name, create=True)
        assert created.value() == 0 and not opened.wait(0)
        created.post()
        assert opened.value() == 1 and opened.wait(0.5)
        started = time.monotonic()
        assert not opened.wait(0.1)
        assert time.monotonic() - started >= 0.09
    finally:
        opened.close()
        created.close()
        assert NamedSemaphore.unlink(sem_name) and not NamedSemaphore.unlink(sem_name)
    with pytest.raises(FileNotFoundError):
        NamedSemaphore(unique_name("missing"), create=False)


def test_atomic_counter_under_contention_from_two_processes() -> None:
    shm_name = unique_name("atomic")
    shm = SharedMemory(shm_name, create_size=4096)
    rounds = 100_000
    code = f"""
    from zerobuffer._posix import atomic_fetch_add_u64, atomic_fetch_sub_u64, buffer_address
    from zerobuffer._resources import SharedMemory
    shm = SharedMemory({shm_name!r})
    address = buffer_address(shm.buf) + 0x28
    print("READY", flush=True)
    input()
    for _ in range({rounds}):
        atomic_fetch_add_u64(address, 3)
        atomic_fetch_sub_u64(address, 1)
    shm.close()
    """
    try:
        procs = [spawn_python(code, stdin=subprocess.PIPE) for _ in range(2)]
        for proc in procs:
            wait_line(proc)
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            _out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
        assert atomic_load_u64(buffer_address(shm.buf) + 0x28) == 2 * rounds * 2
    finally:
        shm.close()
        SharedMemory.unlink(shm_name)


def test_writer_sigkilled_reader_reads_rest_then_writer_dead() -> None:
    name = unique_name("wkill")
    with Reader(name, BufferConfig(1024, 10240)) as reader:
        writer = spawn(HOLD_WRITER, name, "3")
        wait_line(writer)
        assert reader.is_writer_connected()
        kill(writer)
        for sequence in (1, 2, 3):
            frame = reader.read_frame(1.0)
            assert frame is not None and frame.sequence == sequence
            assert PATTERN.matches(sequence, frame.data)
            frame.dispose()
        assert not reader.is_writer_connected()
        started = time.monotonic()
        with pytest.raises(WriterDeadException):
            reader.read_frame(0.5)
        assert time.monotonic() - started >= 0.45


def test_reader_sigkilled_writer_gets_reader_dead() -> None:
    name = unique_name("rkill")
    reader = spawn(HOLD_READER, name, "10240")
    wait_line(reader)
    try:
        with Writer(name) as writer:
            writer.write_timeout = timedelta(milliseconds=500)
            writer.write_frame(bytes(10224))  # fills the ring
            kill(reader)
            assert not writer.is_reader_connected()
            with pytest.raises(ReaderDeadException):
                writer.write_frame(bytes(1024))
        with pytest.raises(ReaderDeadException):
            Writer(name)  # the shm is still there, its reader is not
    finally:
        if reader.poll() is None:
            kill(reader)
        replacement = Reader(name, BufferConfig(1024, 10240))  # reclaims the stale buffer
        replacement.close()
    assert leftovers(name) == []


def test_stale_reclaim_after_sigkilled_reader() -> None:
    name = unique_name("stale")
    reader_proc = spawn(HOLD_READER, name, "10240")
    wait_line(reader_proc)
    kill(reader_proc)
    assert sorted(leftovers(name)) == sorted([f"/dev/shm/{name}", f"/dev/shm/sem.sem-w-{name}",
                                              f"/dev/shm/sem.sem-r-{name}", f"{lock_dir()}/{name}.lock"])
    with Reader(name, BufferConfig(1024, 20480)) as reader, Writer(name) as writer:
        assert inspect_buffer(name)["payload_size"] == 20480
        writer.write_frame(bytes(PATTERN.frame(1, 15000)))
        frame = reader.read_frame(1.0)
        assert frame is not None and frame.sequence == 1 and PATTERN.matches(1, frame.data)
        frame.dispose()
    assert leftovers(name) == []


def test_stale_cleanup_scans_other_buffers_too() -> None:
    dead, fresh = unique_name("dead"), unique_name("fresh")
    proc = spawn(HOLD_READER, dead, "1024")
    wait_line(proc)
    kill(proc)
    assert leftovers(dead)
    with Reader(fresh, BufferConfig(0, 1024)):
        assert leftovers(dead) == []


def test_live_buffer_never_taken_over() -> None:
    name = unique_name("live")
    owner = spawn(HOLD_READER, name, "10240")
    wait_line(owner)
    try:
        with pytest.raises(ReaderAlreadyConnectedException):
            Reader(name, BufferConfig(1024, 10240))  # refused by the lock
        os.unlink(f"{lock_dir()}/{name}.lock")  # a reader that keeps no lock file (foreign)
        with pytest.raises(ReaderAlreadyConnectedException):
            Reader(name, BufferConfig(1024, 10240))  # refused by the live reader_pid
        assert inspect_buffer(name)["reader_pid"] == owner.pid
        with Writer(name) as writer:  # the original buffer still works
            writer.write_frame(b"still here")
    finally:
        owner.terminate()
        owner.communicate()
        # SIGTERM skips close(): reclaim what the owner left, as the next reader would.
        Reader(name, BufferConfig(0, 1024)).close()
    assert leftovers(name) == []


def test_5000_frames_from_a_writer_process() -> None:
    name = unique_name("vol")
    code = """
    import sys
    from zerobuffer import Writer
    from zerobuffer._pattern import Pattern
    pattern = Pattern(1024)
    with Writer(sys.argv[1]) as writer:
        for _ in range(5000):
            view = writer.get_frame_buffer(1024)
            view[:] = pattern.frame(writer.pending_sequence, 1024)
            writer.commit_frame()
    """
    with Reader(name, BufferConfig(1024, 10240)) as reader:
        proc = spawn(code, name)
        for sequence in range(1, 5001):
            frame = reader.read_frame(5.0)
            assert frame is not None and frame.sequence == sequence and frame.size == 1024
            assert PATTERN.matches(sequence, frame.data)
            frame.dispose()
        _out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        state = inspect_buffer(name)
        assert state["payload_free_bytes"] == 10240
        written, read = int(str(state["payload_written_count"])), int(str(state["payload_read_count"]))
        assert written == read >= 5000


def test_a_new_writer_process_restarts_sequences_at_one() -> None:
    name = unique_name("restart")
    with Reader(name, BufferConfig(1024, 10240)) as reader:
        for _ in range(2):  # two writer processes, one after the other, each starting at 1
            writer = spawn(HOLD_WRITER, name, "2")
            wait_line(writer)
            for sequence in (1, 2):
                frame = reader.read_frame(1.0)
                assert frame is not None and frame.sequence == sequence
                frame.dispose()
            kill(writer)


def test_a_1_from_the_still_connected_writer_that_sent_the_previous_1_is_a_sequence_error() -> None:
    # With no writer connected the reader cannot tell who wrote a 1 and accepts it as a restart
    # (test_hardening.py); while the writer that sent the previous 1 is connected, a 1 is an error.
    name = unique_name("restart-same")
    with Reader(name, BufferConfig(1024, 10240)) as reader, Writer(name) as writer:
        writer.write_frame(b"x" * 16)
        writer.write_frame(b"y" * 16)
        first = reader.read_frame(1.0)
        assert first is not None and first.sequence == 1
        first.dispose()
        write_region_bytes(name, "payload", 32 + 8, (1).to_bytes(8, "little"))  # second frame's sequence
        with pytest.raises(SequenceError) as raised:
            reader.read_frame(1.0)
        assert (raised.value.expected, raised.value.got) == (2, 1)


def test_a_lock_held_briefly_without_a_live_reader_is_waited_for() -> None:
    # What another process's stale sweep does: flock the lock file for a moment, then let go.
    name = unique_name("brief-lock")
    os.makedirs(lock_dir(), exist_ok=True)
    path = os.path.join(lock_dir(), f"{name}.lock")
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    releaser = threading.Timer(0.1, os.close, (fd,))
    releaser.start()
    started = time.monotonic()
    try:
        with Reader(name, BufferConfig(1024, 10240)) as reader:
            assert time.monotonic() - started >= 0.09
            assert reader.name == name
    finally:
        releaser.join()
    assert leftovers(name) == []


def test_a_lock_held_for_good_without_a_live_reader_fails_after_the_retry() -> None:
    name = unique_name("held-lock")
    os.makedirs(lock_dir(), exist_ok=True)
    path = os.path.join(lock_dir(), f"{name}.lock")
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    started = time.monotonic()
    try:
        with pytest.raises(ReaderAlreadyConnectedException):
            Reader(name, BufferConfig(1024, 10240))
        assert 0.2 <= time.monotonic() - started < 2.0
    finally:
        os.close(fd)
        os.unlink(path)
