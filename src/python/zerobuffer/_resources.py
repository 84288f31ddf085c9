"""Platform seam for the non-ctypes resources: shared memory, lock files and process liveness.

Shared memory uses CPython's ``_posixshmem`` (the module behind multiprocessing.shared_memory) plus
``mmap``; lock files use ``fcntl.flock``. Every OSError is converted by errors.from_os_error so the
message names the resource.
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import os
from typing import Optional

import _posixshmem  # type: ignore  # CPython's private module, no stubs

from .errors import from_os_error

_log = logging.getLogger("zerobuffer")


def pid_alive(pid: int) -> bool:
    """kill(pid, 0): success or EPERM means alive, ESRCH dead; 0 is "none".

    A killed process whose parent has not reaped it yet is a zombie: kill() still succeeds, but it
    will never touch the buffer again, so on Linux a zombie (state Z/X in /proc) counts as dead.
    """
    if pid <= 0 or pid > 0x7FFFFFFF:
        return False
    try:
        os.kill(pid, 0)
    except PermissionError:
        pass
    except ProcessLookupError:
        return False
    except OSError:
        return False
    return not _is_zombie(pid)


_STAT_HEAD = 128  # "<pid> (<comm>) <state>": pid <= 10 digits, comm <= 16 bytes


def _is_zombie(pid: int) -> bool:
    # Unbuffered and short: this runs before every duplex response, and a buffered open() would
    # allocate 8 KiB each time. The state follows the command name, which is at most 16 bytes.
    try:
        fd = os.open(f"/proc/{pid}/stat", os.O_RDONLY)
    except OSError:
        return False  # no procfs (or raced with exit): trust kill()
    try:
        fields = os.read(fd, _STAT_HEAD).rsplit(b")", 1)
    except OSError:
        return False
    finally:
        os.close(fd)
    return len(fields) == 2 and fields[1][1:2] in (b"Z", b"X")


class SharedMemory:
    """A mapped POSIX shared-memory object. close() unmaps; unlink() is separate."""

    _fd: int = -1
    _mmap: Optional[mmap.mmap] = None

    def __init__(self, name: str, create_size: Optional[int] = None) -> None:
        """Open ``/<name>``, or create it exclusively (0600) with ``create_size`` bytes.

        Raises FileExistsError / FileNotFoundError (as OSError subclasses) or typed errors.
        """
        self.name = name
        path = "/" + name
        try:
            if create_size is not None:
                self._fd = _posixshmem.shm_open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, mode=0o600)
                self.created = True
            else:
                self._fd = _posixshmem.shm_open(path, os.O_RDWR, mode=0)
                self.created = False
        except OSError as exc:
            raise from_os_error(exc, path, "shm_open") from None
        try:
            if create_size is not None:
                os.ftruncate(self._fd, create_size)  # fresh pages read as zero
                # Reserve every page now: tmpfs allocates lazily, so a ring larger than the free space of
                # /dev/shm would map fine and SIGBUS on first touch (ENOSPC -> ResourceExhausted).
                try:
                    if create_size > 0:  # a length of 0 is EINVAL; there is nothing to reserve
                        os.posix_fallocate(self._fd, 0, create_size)
                except OSError as exc:
                    raise from_os_error(exc, path, "posix_fallocate") from None  # cleaned up below
            self.size = os.fstat(self._fd).st_size
            self._mmap = mmap.mmap(self._fd, self.size) if self.size else None
        except OSError as exc:
            self.close()
            if create_size is not None:
                SharedMemory.unlink(name)
            raise from_os_error(exc, path, "size/map") from None
        except BaseException:
            self.close()
            if create_size is not None:
                SharedMemory.unlink(name)
            raise

    @property
    def buf(self) -> mmap.mmap:
        """The mapping (an mmap object, writable)."""
        if self._mmap is None:
            raise ValueError(f"shared memory '/{self.name}' is closed or empty")
        return self._mmap

    def close(self) -> None:
        """Unmap and close the descriptor; safe to call twice. Logs if views are still exported."""
        mm, self._mmap = self._mmap, None
        if mm is not None:
            try:
                mm.close()
            except BufferError:
                # A caller still holds a memoryview of a frame; the mapping goes with that view.
                _log.warning("shared memory '/%s': views still exported at close, unmapping later",
                             self.name)
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)

    @staticmethod
    def unlink(name: str) -> bool:
        """Remove ``/<name>``; False when it did not exist."""
        try:
            _posixshmem.shm_unlink("/" + name)
            return True
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise from_os_error(exc, "/" + name, "shm_unlink") from None

    def __del__(self) -> None:
        self.close()


def ensure_lock_dir(path: str) -> None:
    """Create the lock directory shared by every user's readers: mode 1777 (sticky, like /tmp)
    whatever the umask, set by whichever process creates it (PROTOCOL.md §5)."""
    parent = os.path.dirname(path.rstrip("/"))
    if parent:
        os.makedirs(parent, exist_ok=True)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        return
    except OSError as exc:
        raise from_os_error(exc, path, "create lock directory") from None
    try:
        os.chmod(path, 0o1777)  # after mkdir, so the umask cannot take bits away
    except OSError as exc:
        raise from_os_error(exc, path, "chmod lock directory") from None


class LockFile:
    """An exclusively flock-ed lock file. The kernel drops the lock when the process dies."""

    _fd: int = -1

    def __init__(self, fd: int, path: str) -> None:
        self._fd = fd
        self.path = path

    @classmethod
    def try_acquire(cls, path: str, create: bool) -> Optional["LockFile"]:
        """flock(LOCK_EX|LOCK_NB) on path; None if another holder has it (or it vanished)."""
        while True:
            try:
                flags = os.O_RDWR | (os.O_CREAT if create else 0)
                fd = os.open(path, flags | os.O_CLOEXEC, 0o600)
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise from_os_error(exc, path, "open lock file") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return None
            except OSError as exc:
                os.close(fd)
                raise from_os_error(exc, path, "flock") from None
            # The file may have been deleted (by its stale-cleaner) between open and flock; a lock
            # on an unlinked inode protects nothing, so retry on the current file.
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return cls(fd, path)
            os.close(fd)
            if not create:
                return None

    def release(self, delete: bool) -> None:
        """Optionally delete the file (while still locked), then unlock and close."""
        fd, self._fd = self._fd, -1
        if fd < 0:
            return
        if delete:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
        os.close(fd)

    def __del__(self) -> None:
        self.release(delete=False)
