"""Reader: creates and owns a buffer, reads frames (PROTOCOL.md §4 reader, §5 reader)."""

from __future__ import annotations

import logging
import os
import time
import weakref
from typing import Optional

from . import _layout as L
from . import _names
from ._mapping import Mapping
from ._posix import NamedSemaphore, _sem_post_fast, _sem_trywait_fast
from ._resources import LockFile, SharedMemory, ensure_lock_dir, pid_alive
from ._validation import check_metadata_written
from ._stale import cleanup_stale_buffers, recorded_pids, remove_buffer_objects
from .config import BufferConfig
from .errors import (InvalidFrameSizeException, InvalidOiebException, ReaderAlreadyConnectedException,
                     SequenceErrorException, WriterDeadException, ZeroBufferException)
from .frame import Frame

_log = logging.getLogger("zerobuffer")
_LOCK_RETRY_SECONDS = 0.25

DEFAULT_READ_TIMEOUT = 5.0

_HEADER = L.FRAME_HEADER_SIZE
_HEADER_UNPACK = L.FRAME_HEADER.unpack_from
_U64_UNPACK = L.U64.unpack_from
_I_READ_POS = L.I_READ_POS
_I_READ_COUNT = L.I_READ_COUNT
_U64_MASK = (1 << 64) - 1


class Reader:
    """Creates the buffer ``name`` and reads the frames a Writer puts into it.

    The reader owns every OS object of the buffer and removes them on ``close()``. Not thread-safe:
    use one Reader from one thread at a time.
    """

    _mapping: Optional[Mapping] = None
    _shm: Optional[SharedMemory] = None
    _lock: Optional[LockFile] = None
    _sem_w: Optional[NamedSemaphore] = None
    _sem_r: Optional[NamedSemaphore] = None

    def __init__(self, name: str, config: Optional[BufferConfig] = None) -> None:
        """Create the buffer. Raises ReaderAlreadyConnectedException if a live reader owns it."""
        self.name = _names.validate_name(name)
        self.config = config if config is not None else BufferConfig()
        if not isinstance(self.config, BufferConfig):
            raise TypeError("config must be a BufferConfig")
        self._metadata_size = L.align64(self.config.metadata_size)
        self._payload_size = L.align64(self.config.payload_size)
        self._expected_sequence = 1
        # writer_pid seen with the last sequence 1: a new writer process may restart at 1 (as in C#).
        self._sequence_writer_pid = 0
        self._restart_expected = False
        self._read_pos = 0
        self._writer_seen = False
        # Frames handed out, by id, held weakly (a dropped frame releases itself); a dict of weak
        # references costs a third of a WeakSet per frame.
        self._outstanding: dict[int, "weakref.ref[Frame]"] = {}
        cleanup_stale_buffers()
        try:
            self._create()
        except BaseException:
            self._undo()
            raise
        _log.info("reader created buffer '%s' (metadata %d, payload %d)", self.name,
                  self._metadata_size, self._payload_size)

    # -- creation ------------------------------------------------------------------------------

    def _acquire_lock(self) -> LockFile:
        """Another process's stale sweep holds a lock file for a moment while it checks the buffer, so a
        held lock without a live reader recorded is retried briefly (as the C# and C++ readers do); a
        live reader is refused at once."""
        path = _names.lock_path(self.name)
        deadline = time.monotonic() + _LOCK_RETRY_SECONDS
        while True:
            lock = LockFile.try_acquire(path, create=True)
            if lock is not None:
                return lock
            pids = recorded_pids(self.name)
            if (pids is not None and pid_alive(pids[0])) or time.monotonic() >= deadline:
                raise ReaderAlreadyConnectedException(
                    f"buffer '{self.name}' already has a reader (lock {path} is held)")
            time.sleep(0.005)

    def _create(self) -> None:
        # Step 3: the lock file serialises readers of one name across processes.
        ensure_lock_dir(_names.lock_dir())
        self._lock = self._acquire_lock()
        # Step 4: exclusive creation; an existing object is either live (refuse) or stale (replace).
        size = L.total_size(self.config.metadata_size, self.config.payload_size)
        for attempt in (1, 2):
            try:
                self._shm = SharedMemory(self.name, create_size=size)
                break
            except FileExistsError:
                if attempt == 2:
                    raise
                self._replace_stale()
        # Step 5: semaphores first (stale leftovers of our name are removed: we own the name now).
        self._sem_w = self._create_semaphore(_names.sem_write_name(self.name))
        self._sem_r = self._create_semaphore(_names.sem_read_name(self.name))
        assert self._shm is not None
        mapping = Mapping(self._shm)
        self._mapping = mapping
        oieb = mapping.oieb
        mapping.view[L.OFF_VERSION: L.OFF_VERSION + 4] = bytes(L.VERSION)
        oieb[L.I_METADATA_SIZE] = self._metadata_size
        oieb[L.I_METADATA_FREE] = self._metadata_size
        oieb[L.I_METADATA_WRITTEN] = 0
        oieb[L.I_PAYLOAD_SIZE] = self._payload_size
        oieb[L.I_PAYLOAD_FREE] = self._payload_size
        oieb[L.I_WRITE_POS] = 0
        oieb[L.I_READ_POS] = 0
        oieb[L.I_WRITTEN_COUNT] = 0
        oieb[L.I_READ_COUNT] = 0
        oieb[L.I_WRITER_PID] = 0
        oieb[L.I_READER_PID] = os.getpid()
        mapping.bind_payload(self._metadata_size, self._payload_size)
        mapping.publish_oieb_size()  # last: a writer never sees a half-made buffer

    def _replace_stale(self) -> None:
        existing = SharedMemory(self.name)
        try:
            pid = (L.U64.unpack_from(existing.buf, L.OFF_READER_PID)[0]
                   if existing.size >= L.OIEB_SIZE else 0)
        finally:
            existing.close()
        if pid_alive(pid):
            raise ReaderAlreadyConnectedException(
                f"buffer '{self.name}' already has a live reader (pid {pid})")
        removed = remove_buffer_objects(self.name)
        _log.info("replaced stale buffer '%s' (dead reader pid %d, removed %s)", self.name, pid, removed)

    @staticmethod
    def _create_semaphore(name: str) -> NamedSemaphore:
        try:
            return NamedSemaphore(name, create=True)
        except FileExistsError:
            NamedSemaphore.unlink(name)
            return NamedSemaphore(name, create=True)

    def _undo(self) -> None:
        """Undo a half-finished creation: nothing of ours may leak."""
        created_shm = self._shm is not None
        if self._mapping is not None:
            self._mapping.release()
            self._mapping = None
        if self._shm is not None:
            self._shm.close()
            self._shm = None
        for attr in ("_sem_w", "_sem_r"):
            sem: Optional[NamedSemaphore] = getattr(self, attr)
            if sem is not None:
                sem.close()
                NamedSemaphore.unlink(sem.name)
                setattr(self, attr, None)
        if created_shm:
            SharedMemory.unlink(self.name)
        if self._lock is not None:
            self._lock.release(delete=True)
            self._lock = None

    # -- state ---------------------------------------------------------------------------------

    def _require_open(self) -> Mapping:
        if self._mapping is None:
            raise ZeroBufferException(f"reader of buffer '{self.name}' is closed")
        return self._mapping

    @property
    def is_closed(self) -> bool:
        """True after close()."""
        return self._mapping is None

    @property
    def metadata_size(self) -> int:
        """The aligned metadata block size."""
        return self._metadata_size

    @property
    def payload_size(self) -> int:
        """The aligned payload ring size."""
        return self._payload_size

    def get_metadata(self) -> Optional[memoryview]:
        """The metadata the writer stored (zero-copy), or None if none was written yet.

        The view points into the shared memory: release it (or drop it) before close().
        """
        mapping = self._require_open()
        written = check_metadata_written(self.name, mapping.oieb[L.I_METADATA_WRITTEN], self._metadata_size)
        if written == 0:
            return None
        length = L.U64.unpack_from(mapping.view, L.OIEB_SIZE)[0]
        if L.METADATA_PREFIX_SIZE + length != written:
            raise InvalidOiebException(
                f"buffer '{self.name}' has an invalid OIEB: metadata_written_bytes = {written}, "
                f"but the length prefix says {length} bytes")
        start = L.OIEB_SIZE + L.METADATA_PREFIX_SIZE
        return mapping.view[start: start + length]

    def is_writer_connected(self, timeout_ms: Optional[int] = None) -> bool:
        """Whether a live writer is connected; with timeout_ms, wait up to that long for one."""
        mapping = self._require_open()
        deadline = None if timeout_ms is None else time.monotonic() + timeout_ms / 1000.0
        while True:
            if pid_alive(mapping.oieb[L.I_WRITER_PID]):
                self._writer_seen = True
                return True
            if deadline is None or time.monotonic() >= deadline:
                return False
            time.sleep(0.01)

    # -- reading -------------------------------------------------------------------------------

    def read_frame(self, timeout: Optional[float] = DEFAULT_READ_TIMEOUT) -> Optional[Frame]:
        """Wait up to ``timeout`` seconds (None = forever) for the next frame.

        Returns None when no frame arrived in time and the writer may still write. Raises
        WriterDeadException when the writer died, or closed and nothing is left; SequenceError /
        InvalidFrameSizeException when the ring holds something it should not.
        """
        # The per-frame path: locals and module constants only, one Python call per helper at most.
        mapping = self._mapping
        if mapping is None:
            raise ZeroBufferException(f"reader of buffer '{self.name}' is closed")
        sem_w = self._sem_w
        assert sem_w is not None and mapping.payload is not None
        oieb = mapping.oieb
        if _sem_trywait_fast(sem_w.ptr) != 0 and not sem_w.wait(timeout):  # inline fast path first
            self._no_frame(oieb)
            return None
        self._writer_seen = True
        payload = mapping.payload
        ring = self._payload_size
        pos = self._read_pos
        # A writer never puts a marker at offset 0 (a frame always fits there): a zero header
        # there is validated as a frame below and never wraps again.
        if ring - pos < _HEADER or (pos != 0 and _U64_UNPACK(payload, pos)[0] == 0):
            pos = self._wrap(mapping, pos)
        size, sequence = _HEADER_UNPACK(payload, pos)
        if sequence != self._expected_sequence and not self._is_new_writer_restart(sequence, oieb[L.I_WRITER_PID]):
            raise SequenceErrorException(self._expected_sequence, sequence, self.name)
        start = pos + _HEADER
        end = start + size
        if size == 0 or end > ring:
            raise InvalidFrameSizeException(
                f"buffer '{self.name}': frame {sequence} at read_pos {pos} claims payload_size {size}, "
                f"which does not fit the {ring}-byte ring")
        self._read_pos = read_pos = end if end < ring else 0
        oieb[_I_READ_POS] = read_pos
        oieb[_I_READ_COUNT] = (oieb[_I_READ_COUNT] + 1) & _U64_MASK
        if sequence == 1:
            self._sequence_writer_pid = oieb[L.I_WRITER_PID]
            self._restart_expected = False
        self._expected_sequence = sequence + 1
        frame = Frame(payload[start:end], sequence, self._release)
        self._outstanding[id(frame)] = weakref.ref(frame)
        return frame

    def _no_frame(self, oieb: memoryview) -> None:
        """No frame within the timeout (step 1 of the reader): raise WriterDead when it is gone."""
        writer_pid = oieb[L.I_WRITER_PID]
        written, read = oieb[L.I_WRITTEN_COUNT], oieb[L.I_READ_COUNT]
        self._writer_seen = self._writer_seen or written > 0 or writer_pid != 0
        if writer_pid != 0 and not pid_alive(writer_pid):
            raise WriterDeadException(
                f"writer of buffer '{self.name}' (pid {writer_pid}) is dead")
        if writer_pid == 0 and written <= read and self._writer_seen:
            raise WriterDeadException(
                f"writer of buffer '{self.name}' disconnected and no frames are left")

    def _wrap(self, mapping: Mapping, pos: int) -> int:
        """Step 2: an implicit wrap (no room for a header) or a marker; credit the tail, continue at 0."""
        mapping.add_free(self._payload_size - pos)
        if self._payload_size - pos >= _HEADER:  # a real marker, counted as the writer counted it
            mapping.increment(L.I_READ_COUNT)
        self._read_pos = 0
        mapping.oieb[L.I_READ_POS] = 0
        return 0

    def _is_new_writer_restart(self, sequence: int, writer_pid: int) -> bool:
        """Sequences restart at 1 for each writer connection (PROTOCOL.md §4): a 1 in place of the
        expected value is a restart unless the writer process that sent the previous run's 1 is still
        the one connected (or a duplex server expects the next client); anything else stays a
        SequenceError."""
        return sequence == 1 and (self._restart_expected or writer_pid == 0
                                  or writer_pid != self._sequence_writer_pid)

    def _expect_sequence_restart(self) -> None:
        """Let the next frame restart at sequence 1 even from the same process (a duplex server whose
        client left; the next client may live in the same process). Cleared by the next sequence 1."""
        self._restart_expected = True

    def release_frame(self, frame: Frame) -> None:
        """Give the frame's ring space back to the writer (same as frame.dispose())."""
        frame.dispose()

    def _release(self, frame: Frame) -> None:
        mapping = self._mapping
        self._outstanding.pop(id(frame), None)
        sem_r = self._sem_r
        if mapping is None or sem_r is None:
            return  # reader already closed: the ring is gone
        free = mapping.free
        assert free is not None
        free.fetch_add(_HEADER + frame._size)
        if _sem_post_fast(sem_r.ptr) != 0:
            sem_r.post()  # reports the error

    def _outstanding_frames(self) -> list[Frame]:
        """The frames handed out and not released yet (close() and diagnostics.abandon drop them)."""
        frames = [ref() for ref in list(self._outstanding.values())]
        return [frame for frame in frames if frame is not None]

    # -- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        """Mark the reader gone, unmap, and remove the shm, both semaphores and the lock file."""
        mapping = self._mapping
        if mapping is None and self._lock is None:
            return
        for frame in self._outstanding_frames():
            frame._on_release = None  # the ring goes away; releasing must not touch it
            frame.dispose()
        self._outstanding.clear()
        if mapping is not None:
            mapping.oieb[L.I_READER_PID] = 0
        self._undo()
        _log.info("reader closed buffer '%s'", self.name)

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass
