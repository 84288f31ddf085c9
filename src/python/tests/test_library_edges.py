"""Edge cases of the library's private building blocks: patterns, semaphores, shared memory,
lock files, liveness, stale cleanup and frames (paths the round-trip tests never reach)."""

from __future__ import annotations

import os
import stat
import struct
import subprocess
import sys
import threading
import time
from typing import Iterator

import pytest

from conftest import unique_name
from zerobuffer import _layout as L
from zerobuffer._pattern import Pattern, first_mismatch
from zerobuffer._posix import NamedSemaphore
from zerobuffer._resources import LockFile, SharedMemory, ensure_lock_dir, pid_alive
from zerobuffer._stale import cleanup_stale_buffers, recorded_pids, remove_buffer_objects
from zerobuffer.errors import ZeroBufferException
from zerobuffer.frame import Frame


# --- test patterns -------------------------------------------------------------------------------

def test_pattern_grows_past_its_initial_size_and_keeps_the_ramp_formula() -> None:
    pattern = Pattern(16)

    frame = bytes(pattern.frame(300, 1000))

    assert frame == bytes((300 + i) & 0xFF for i in range(1000))
    assert pattern.matches(7, memoryview(bytes((7 + i) & 0xFF for i in range(5000))))
    assert not pattern.matches(8, memoryview(bytes((7 + i) & 0xFF for i in range(5000))))


def test_pattern_metadata_is_the_zero_sequence_ramp() -> None:
    assert bytes(Pattern(4).metadata(600)) == bytes(i & 0xFF for i in range(600))


def test_first_mismatch_reports_equal_differing_and_shorter_inputs() -> None:
    assert first_mismatch(memoryview(b"abcdef"), memoryview(b"abcdef")) == -1
    assert first_mismatch(memoryview(b"abcXef"), memoryview(b"abcdef")) == 3
    assert first_mismatch(memoryview(b"abc"), memoryview(b"abcdef")) == 3


# --- named semaphores ----------------------------------------------------------------------------

@pytest.fixture
def semaphore() -> Iterator[NamedSemaphore]:
    name = unique_name("sem")
    sem = NamedSemaphore(name, create=True)
    yield sem
    sem.close()
    NamedSemaphore.unlink(name)


def test_wait_without_timeout_blocks_until_another_thread_posts(semaphore: NamedSemaphore) -> None:
    delay = 0.2
    poster = threading.Timer(delay, semaphore.post)
    started = time.monotonic()
    poster.start()
    try:
        assert semaphore.wait(None) is True
    finally:
        poster.join()
    assert time.monotonic() - started >= delay * 0.9


def test_wait_with_zero_timeout_polls_once(semaphore: NamedSemaphore) -> None:
    assert semaphore.wait(0) is False
    semaphore.post()
    assert semaphore.wait(0) is True


def test_value_counts_posts_and_waits(semaphore: NamedSemaphore) -> None:
    assert semaphore.value() == 0
    semaphore.post()
    semaphore.post()
    assert semaphore.value() == 2
    assert semaphore.wait(1.0)
    assert semaphore.value() == 1


def test_semaphore_close_twice_is_harmless_and_unlink_of_missing_is_false() -> None:
    name = unique_name("sem")
    sem = NamedSemaphore(name, create=True)
    sem.close()
    sem.close()
    assert NamedSemaphore.unlink(name) is True
    assert NamedSemaphore.unlink(name) is False


# --- shared memory -------------------------------------------------------------------------------

def test_shared_memory_buf_after_close_names_the_object() -> None:
    name = unique_name("shm")
    shm = SharedMemory(name, create_size=4096)
    try:
        assert shm.created and shm.size == 4096
        shm.close()
        shm.close()
        with pytest.raises(ValueError, match=name):
            _ = shm.buf
    finally:
        assert SharedMemory.unlink(name) is True
    assert SharedMemory.unlink(name) is False


def test_empty_shared_memory_has_no_mapping() -> None:
    name = unique_name("shm")
    shm = SharedMemory(name, create_size=0)
    try:
        with pytest.raises(ValueError, match="closed or empty"):
            _ = shm.buf
    finally:
        shm.close()
        SharedMemory.unlink(name)


def test_opening_a_missing_shared_memory_is_file_not_found_naming_it() -> None:
    name = unique_name("shm")
    with pytest.raises(FileNotFoundError, match=name):
        SharedMemory(name)


def test_creating_an_existing_shared_memory_is_file_exists() -> None:
    name = unique_name("shm")
    first = SharedMemory(name, create_size=64)
    try:
        with pytest.raises(FileExistsError):
            SharedMemory(name, create_size=64)
    finally:
        first.close()
        SharedMemory.unlink(name)


# --- lock directory and lock files ---------------------------------------------------------------

def test_lock_directory_is_created_sticky_and_world_writable_whatever_the_umask(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "nested", "locks")
    old = os.umask(0o077)
    try:
        ensure_lock_dir(path)
        ensure_lock_dir(path)  # already there: nothing to do
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o1777


def test_lock_directory_that_cannot_be_made_is_a_typed_error_naming_it(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "x" * 300)  # longer than NAME_MAX
    with pytest.raises(ZeroBufferException, match="create lock directory '.*x{300}'"):
        ensure_lock_dir(path)


def test_lock_file_is_exclusive_and_missing_files_are_not_created(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "b.lock")
    assert LockFile.try_acquire(path, create=False) is None
    assert not os.path.exists(path)

    held = LockFile.try_acquire(path, create=True)
    assert held is not None
    try:
        assert LockFile.try_acquire(path, create=True) is None
    finally:
        held.release(delete=True)
    held.release(delete=True)  # second release is a no-op
    assert not os.path.exists(path)


def test_lock_file_in_a_missing_directory_is_none_but_unopenable_is_typed(tmp_path: object) -> None:
    assert LockFile.try_acquire(os.path.join(str(tmp_path), "nope", "b.lock"), create=True) is None
    with pytest.raises(ZeroBufferException, match="open lock file"):
        LockFile.try_acquire(str(tmp_path), create=False)  # a directory cannot be opened O_RDWR


# --- process liveness ----------------------------------------------------------------------------

@pytest.mark.parametrize("pid", [0, -1, 0x80000000])
def test_impossible_pids_are_not_alive(pid: int) -> None:
    assert pid_alive(pid) is False


def test_own_process_is_alive() -> None:
    assert pid_alive(os.getpid()) is True


def test_exited_child_is_dead_as_a_zombie_and_after_reaping() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    # Not reaped yet: the pid exists as a zombie, which must count as dead.
    while time.monotonic() < deadline and pid_alive(child.pid):
        time.sleep(0.02)
    assert pid_alive(child.pid) is False
    child.wait()
    assert pid_alive(child.pid) is False


# --- stale cleanup -------------------------------------------------------------------------------

def test_recorded_pids_of_missing_and_truncated_buffers() -> None:
    name = unique_name("stale")
    assert recorded_pids(name) is None
    shm = SharedMemory(name, create_size=L.OIEB_SIZE - 1)
    try:
        assert recorded_pids(name) == (0, 0)
    finally:
        shm.close()
        assert remove_buffer_objects(name) == ["/" + name]


def test_cleanup_reclaims_only_valid_unlocked_dead_buffers(
        tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    lock_dir = os.path.join(str(tmp_path), "locks")
    monkeypatch.setenv("ZEROBUFFER_LOCK_DIR", lock_dir)
    assert cleanup_stale_buffers() == []  # no lock directory yet
    ensure_lock_dir(lock_dir)

    dead = unique_name("dead")
    live = unique_name("live")
    for entry in (dead + ".lock", live + ".lock", ".hidden.lock", "notes.txt"):
        with open(os.path.join(lock_dir, entry), "w", encoding="ascii"):
            pass
    holder = LockFile.try_acquire(os.path.join(lock_dir, live + ".lock"), create=False)
    assert holder is not None
    try:
        assert cleanup_stale_buffers() == [dead]
    finally:
        holder.release(delete=True)

    # The dead buffer had no shm, so only its lock file goes; foreign entries stay untouched.
    assert sorted(os.listdir(lock_dir)) == [".hidden.lock", "notes.txt"]


# --- frames --------------------------------------------------------------------------------------

def test_released_frame_refuses_data_and_says_so() -> None:
    released: list[Frame] = []
    frame = Frame(memoryview(b"payload"), 5, released.append)
    assert frame.to_bytes() == b"payload"
    assert len(frame) == 7 and frame.is_valid

    frame.dispose()
    frame.dispose()

    assert released == [frame]  # the ring space is returned exactly once
    assert not frame.is_valid and frame.size == 7 and frame.sequence == 5
    assert repr(frame) == "Frame(sequence=5, size=7, valid=False)"
    with pytest.raises(ValueError, match="frame 5 was released"):
        _ = frame.data


def test_frame_whose_view_was_exported_still_returns_its_space() -> None:
    released: list[Frame] = []
    frame = Frame(memoryview(bytearray(b"abcd")), 1, released.append)
    pairs = struct.iter_unpack("<H", frame.data)  # holds a buffer export of the frame's view

    frame.dispose()

    assert released == [frame]
    assert [value for (value,) in pairs] == [0x6261, 0x6463]  # the exported buffer stays usable


# --- shared-memory exhaustion (PROTOCOL.md §6: posix_fallocate failures are ResourceExhausted) ----

def test_a_ring_larger_than_dev_shm_is_resource_exhausted_and_leaves_nothing() -> None:
    from conftest import leftovers
    from zerobuffer import BufferConfig, Reader, ResourceExhaustedException

    fs = os.statvfs("/dev/shm")
    total = fs.f_blocks * fs.f_frsize
    if total == 0:
        pytest.skip("/dev/shm reports no size limit")
    name = unique_name("shmfull")
    # 64 KiB more than the whole of /dev/shm: tmpfs refuses that posix_fallocate at once, without
    # allocating a page first (a size between free and total would allocate until it ran out).
    payload = (total // 64 + 1024) * 64

    with pytest.raises(ResourceExhaustedException, match="posix_fallocate"):
        Reader(name, BufferConfig(1024, payload))

    assert leftovers(name) == []
