"""Reclaiming resources of dead buffers (PROTOCOL.md §5, reader step 2)."""

from __future__ import annotations

import logging
import os

from . import _layout as L
from . import _names
from ._posix import NamedSemaphore
from ._resources import LockFile, SharedMemory, pid_alive
from .errors import InvalidBufferNameException, PermissionDeniedException, ZeroBufferException

_log = logging.getLogger("zerobuffer")


def recorded_pids(name: str) -> tuple[int, int] | None:
    """(reader_pid, writer_pid) stored in the buffer's OIEB; None when there is no shm."""
    try:
        shm = SharedMemory(name)
    except FileNotFoundError:
        return None
    try:
        if shm.size < L.OIEB_SIZE:
            return (0, 0)
        reader, writer = L.U64.unpack_from(shm.buf, L.OFF_READER_PID)[0], \
            L.U64.unpack_from(shm.buf, L.OFF_WRITER_PID)[0]
        return (reader, writer)
    finally:
        shm.close()


def remove_buffer_objects(name: str) -> list[str]:
    """Unlink the shm and both semaphores of a buffer; returns what existed."""
    removed = []
    if SharedMemory.unlink(name):
        removed.append("/" + name)
    for sem in (_names.sem_write_name(name), _names.sem_read_name(name)):
        if NamedSemaphore.unlink(sem):
            removed.append("/" + sem)
    return removed


def cleanup_stale_buffers() -> list[str]:
    """For every unlocked lock file whose buffer records no live reader or writer, remove it all.

    Returns the names of the buffers reclaimed.
    """
    directory = _names.lock_dir()
    try:
        entries = os.listdir(directory)
    except FileNotFoundError:
        return []
    reclaimed = []
    for entry in entries:
        if not entry.endswith(".lock"):
            continue
        name = entry[: -len(".lock")]
        try:
            _names.validate_name(name)
        except InvalidBufferNameException:
            continue
        try:
            lock = LockFile.try_acquire(os.path.join(directory, entry), create=False)
        except PermissionDeniedException:
            continue  # another user's lock file: theirs to reclaim (PROTOCOL.md §5)
        if lock is None:
            continue  # a live reader holds it (or it just vanished)
        stale = False
        try:
            pids = recorded_pids(name)
            stale = pids is None or not (pid_alive(pids[0]) or pid_alive(pids[1]))
            if stale:
                removed = remove_buffer_objects(name)
                reclaimed.append(name)
                _log.info("reclaimed stale buffer '%s' (removed %s)", name, removed or "lock file only")
        except (OSError, ZeroBufferException) as exc:
            _log.warning("stale check of buffer '%s' failed: %s", name, exc)
        finally:
            lock.release(delete=stale)
    return reclaimed
