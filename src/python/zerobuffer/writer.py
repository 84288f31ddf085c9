"""Writer: connects to a reader's buffer and writes frames (PROTOCOL.md §4 writer, §5 writer)."""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta
from typing import Optional, Union

from . import _layout as L
from . import _names
from ._mapping import Mapping
from ._posix import NamedSemaphore, _sem_post_fast
from ._resources import SharedMemory, pid_alive
from ._validation import check_free_bytes, check_metadata_written, validate_oieb
from .errors import (BufferFullException, BufferNotFoundException, FrameTooLargeException,
                     InvalidFrameSizeException, MetadataAlreadyWrittenException, MetadataTooLargeException,
                     ReaderDeadException, WriterAlreadyConnectedException, ZeroBufferException)

_log = logging.getLogger("zerobuffer")

DEFAULT_WRITE_TIMEOUT = timedelta(milliseconds=5000)
# sem-r is a wake-up hint posted on every release; a writer that never has to wait never consumes
# it. Every 65536 frames the writer looks at its count and drains it long before SEM_VALUE_MAX (2^31-1).
_DRAIN_CHECK_EVERY = 1 << 16
_DRAIN_ABOVE = 1 << 30

BytesLike = Union[bytes, bytearray, memoryview]

_HEADER = L.FRAME_HEADER_SIZE
_HEADER_PACK = L.FRAME_HEADER.pack_into
_I_WRITE_POS = L.I_WRITE_POS
_I_WRITTEN_COUNT = L.I_WRITTEN_COUNT
_U64_MASK = (1 << 64) - 1


class Writer:
    """Connects to the buffer ``name`` created by a Reader and writes frames into it.

    ``write_timeout`` is a ``datetime.timedelta`` (default 5 s), as in zerobuffer-ipc; the setter
    also accepts a number of seconds. A write that finds no space within it raises
    ReaderDeadException if the reader is gone, else BufferFullException. Not thread-safe.
    """

    _mapping: Optional[Mapping] = None
    _shm: Optional[SharedMemory] = None
    _sem_w: Optional[NamedSemaphore] = None
    _sem_r: Optional[NamedSemaphore] = None
    _connected = False
    _pending_metadata: Optional[memoryview] = None

    def __init__(self, name: str) -> None:
        """Connect. Raises BufferNotFound, ReaderDead, WriterAlreadyConnected, InvalidOieb, ..."""
        self.name = _names.validate_name(name)
        self._write_timeout = DEFAULT_WRITE_TIMEOUT
        self._sequence = 1
        self._pending: Optional[tuple[int, int, int, memoryview]] = None
        self._pending_metadata: Optional[memoryview] = None
        try:
            self._connect()
        except BaseException:
            self._close_handles()
            raise
        _log.info("writer connected to buffer '%s' (payload %d, write_pos %d)", self.name,
                  self._payload_size, self._write_pos)

    def _connect(self) -> None:
        try:
            self._shm = SharedMemory(self.name)
        except FileNotFoundError:
            raise BufferNotFoundException(f"buffer '{self.name}' does not exist (no reader created it)") \
                from None
        if self._shm.size < L.OIEB_SIZE:
            raise BufferNotFoundException(f"buffer '{self.name}' is still being created by its reader")
        mapping = Mapping(self._shm)
        self._mapping = mapping
        # Step 1: the reader publishes oieb_size last; then the whole rule set of §5.
        oieb_size = mapping.load_oieb_size()
        oieb = mapping.oieb
        validate_oieb(self.name, oieb_size, mapping.version()[0], oieb, self._shm.size)
        metadata_size, payload_size = oieb[L.I_METADATA_SIZE], oieb[L.I_PAYLOAD_SIZE]
        write_pos = oieb[L.I_WRITE_POS]
        # Step 2: a reader must be alive, and no other live writer connected.
        reader_pid = oieb[L.I_READER_PID]
        if not pid_alive(reader_pid):
            raise ReaderDeadException(f"buffer '{self.name}' has no reader (reader_pid {reader_pid})")
        writer_pid = oieb[L.I_WRITER_PID]
        if pid_alive(writer_pid):
            raise WriterAlreadyConnectedException(
                f"buffer '{self.name}' already has a live writer (pid {writer_pid})")
        # Step 3: semaphores, then (every check passed) record ourselves.
        try:
            self._sem_w = NamedSemaphore(_names.sem_write_name(self.name), create=False)
            self._sem_r = NamedSemaphore(_names.sem_read_name(self.name), create=False)
        except FileNotFoundError:
            raise BufferNotFoundException(f"semaphores of buffer '{self.name}' are missing") from None
        self._metadata_size = metadata_size
        self._payload_size = payload_size
        # Older writers may leave write_pos == payload_size; it means offset 0.
        self._write_pos = write_pos if write_pos < payload_size else 0
        mapping.bind_payload(metadata_size, payload_size)
        oieb[L.I_WRITER_PID] = os.getpid()
        self._connected = True

    # -- properties ----------------------------------------------------------------------------

    @property
    def write_timeout(self) -> timedelta:
        """How long a write waits for space before failing (timedelta; default 5 s)."""
        return self._write_timeout

    @write_timeout.setter
    def write_timeout(self, value: Union[timedelta, float, int]) -> None:
        if not isinstance(value, timedelta):
            value = timedelta(seconds=float(value))
        if value < timedelta(0):
            raise ValueError("write_timeout must not be negative")
        self._write_timeout = value

    @property
    def next_sequence(self) -> int:
        """Sequence number the next frame will get (1 for the first frame of this connection)."""
        return self._sequence

    @property
    def pending_sequence(self) -> Optional[int]:
        """Sequence of the buffer handed out by get_frame_buffer and not yet committed."""
        return self._pending[2] if self._pending else None

    @property
    def frames_written(self) -> int:
        """Frames committed by this writer."""
        return self._sequence - 1

    def _require_open(self) -> Mapping:
        if self._mapping is None or not self._connected:
            raise ZeroBufferException(f"writer of buffer '{self.name}' is closed")
        return self._mapping

    def is_reader_connected(self) -> bool:
        """Whether the buffer's reader is alive."""
        mapping = self._require_open()
        return pid_alive(mapping.oieb[L.I_READER_PID])

    # -- metadata ------------------------------------------------------------------------------

    def set_metadata(self, data: BytesLike) -> None:
        """Write the metadata block (once per buffer). No semaphore is posted."""
        source = memoryview(data).cast("B")
        target = self.get_metadata_buffer(len(source))
        target[:] = source
        self.commit_metadata()

    def get_metadata_buffer(self, size: int) -> memoryview:
        """A writable view of ``size`` bytes of the metadata block, to fill in place (zero-copy).

        Publish it with commit_metadata(). Raises MetadataAlreadyWritten or MetadataTooLarge.
        """
        mapping = self._require_open()
        if size < 0:
            raise ValueError(f"metadata size must be >= 0, got {size}")
        written = check_metadata_written(self.name, mapping.oieb[L.I_METADATA_WRITTEN], self._metadata_size)
        if written > 0:
            raise MetadataAlreadyWrittenException(f"metadata of buffer '{self.name}' was already written")
        if L.METADATA_PREFIX_SIZE + size > self._metadata_size:
            raise MetadataTooLargeException(
                f"metadata of {size} bytes (+8 prefix) exceeds the {self._metadata_size}-byte "
                f"metadata block of buffer '{self.name}'")
        self._release_pending_metadata()
        start = L.OIEB_SIZE + L.METADATA_PREFIX_SIZE
        view = mapping.view[start: start + size]
        self._pending_metadata = view
        return view

    def commit_metadata(self) -> None:
        """Publish the metadata filled through get_metadata_buffer() (length prefix, then the counts)."""
        mapping = self._require_open()
        if self._pending_metadata is None:
            raise ZeroBufferException(f"buffer '{self.name}': commit_metadata without get_metadata_buffer")
        length = len(self._pending_metadata)
        self._release_pending_metadata()
        L.U64.pack_into(mapping.view, L.OIEB_SIZE, length)
        oieb = mapping.oieb
        oieb[L.I_METADATA_FREE] = self._metadata_size - (L.METADATA_PREFIX_SIZE + length)
        oieb[L.I_METADATA_WRITTEN] = L.METADATA_PREFIX_SIZE + length

    def _release_pending_metadata(self) -> None:
        view, self._pending_metadata = self._pending_metadata, None
        if view is not None:
            try:
                view.release()
            except BufferError:  # the caller exported the view further; the bytes are what counts
                pass

    # -- frames --------------------------------------------------------------------------------

    def write_frame(self, data: BytesLike) -> None:
        """Copy one frame into the ring (waits for space up to write_timeout)."""
        view = memoryview(data).cast("B")
        target = self.get_frame_buffer(len(view))
        target[:] = view
        self.commit_frame()

    def get_frame_buffer(self, size: int) -> memoryview:
        """Reserve space for a frame of ``size`` bytes and return a writable view of its payload.

        Fill it, then call commit_frame(). The sequence is assigned here (see pending_sequence).
        """
        # The per-frame path: locals and module constants only.
        mapping = self._mapping
        if mapping is None or not self._connected:
            raise ZeroBufferException(f"writer of buffer '{self.name}' is closed")
        if self._pending is not None:
            raise ZeroBufferException(
                f"buffer '{self.name}': commit the frame from the previous get_frame_buffer first")
        if size <= 0:
            raise InvalidFrameSizeException(f"frame size must be > 0, got {size} (buffer '{self.name}')")
        ring = self._payload_size
        total = _HEADER + size
        if total > ring:
            raise FrameTooLargeException(
                f"frame of {size} bytes (+16 header) exceeds the {ring}-byte payload ring of "
                f"buffer '{self.name}'")
        free = mapping.free
        assert free is not None and mapping.payload is not None
        pos = self._write_pos
        space_to_end = ring - pos
        wrapping = space_to_end < total
        # The wasted tail is consumed too when wrapping (upstream fix 961910f).
        required = space_to_end + total if wrapping else total
        # The shared counter is checked (PROTOCOL.md §5) every time it is used, as in C# and C++
        # (testdata/oieb/validation-cases.json pins it: a counter changed between frames is seen).
        available = free.load()
        if available > ring:
            check_free_bytes(self.name, available, ring)  # raises InvalidOieb
        if available < required:
            self._wait_for_space(mapping, required)
        payload = mapping.payload
        if wrapping:
            if space_to_end >= _HEADER:
                _HEADER_PACK(payload, pos, 0, 0)  # wrap marker
                mapping.increment(L.I_WRITTEN_COUNT)
            # 0 < space_to_end < 16: implicit wrap, nothing is written.
            free.fetch_sub(space_to_end)
            pos = 0
            self._write_pos = 0
            mapping.oieb[L.I_WRITE_POS] = 0
        sequence = self._sequence
        _HEADER_PACK(payload, pos, size, sequence)
        view = payload[pos + _HEADER: pos + total]
        self._pending = (pos, size, sequence, view)
        return view

    def commit_frame(self) -> None:
        """Publish the frame from get_frame_buffer to the reader."""
        mapping = self._mapping
        if mapping is None or not self._connected:
            raise ZeroBufferException(f"writer of buffer '{self.name}' is closed")
        pending = self._pending
        if pending is None:
            raise ZeroBufferException(f"buffer '{self.name}': commit_frame without get_frame_buffer")
        pos, size, sequence, view = pending
        self._pending = None
        try:
            view.release()
        except BufferError:  # the caller exported the view further; the bytes are what counts
            pass
        total = _HEADER + size
        end = pos + total
        self._write_pos = write_pos = end if end < self._payload_size else 0
        oieb = mapping.oieb
        oieb[_I_WRITE_POS] = write_pos
        free = mapping.free
        assert free is not None
        free.fetch_sub(total)
        oieb[_I_WRITTEN_COUNT] = (oieb[_I_WRITTEN_COUNT] + 1) & _U64_MASK
        self._sequence = sequence + 1
        sem_w, sem_r = self._sem_w, self._sem_r
        assert sem_w is not None and sem_r is not None
        if _sem_post_fast(sem_w.ptr) != 0:
            sem_w.post()  # reports the error
        if sequence % _DRAIN_CHECK_EVERY == 0 and sem_r.value() > _DRAIN_ABOVE:
            while sem_r.wait(0):
                pass

    def _wait_for_space(self, mapping: Mapping, required: int) -> None:
        assert self._sem_r is not None
        timeout = self._write_timeout.total_seconds()
        deadline = time.monotonic() + timeout
        while check_free_bytes(self.name, mapping.free_bytes(), self._payload_size) < required:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                reader_pid = mapping.oieb[L.I_READER_PID]
                if not pid_alive(reader_pid):
                    raise ReaderDeadException(
                        f"reader of buffer '{self.name}' (pid {reader_pid}) is gone; "
                        f"no space freed within {timeout:g} s")
                raise BufferFullException(
                    f"buffer '{self.name}' full: {required} bytes needed, "
                    f"{mapping.free_bytes()} free after {timeout:g} s")
            self._sem_r.wait(remaining)

    # -- closing -------------------------------------------------------------------------------

    def _close_handles(self) -> None:
        self._release_pending_metadata()
        if self._pending is not None:
            try:
                self._pending[3].release()
            except BufferError:
                pass
            self._pending = None
        for attr in ("_sem_w", "_sem_r"):
            sem: Optional[NamedSemaphore] = getattr(self, attr)
            if sem is not None:
                sem.close()
                setattr(self, attr, None)
        if self._mapping is not None:
            self._mapping.release()
            self._mapping = None
        if self._shm is not None:
            self._shm.close()
            self._shm = None

    def close(self) -> None:
        """Record that no writer is connected and close every handle. Never unlinks anything."""
        if self._connected and self._mapping is not None:
            oieb = self._mapping.oieb
            if oieb[L.I_WRITER_PID] == os.getpid():
                oieb[L.I_WRITER_PID] = 0
        self._connected = False
        self._close_handles()
        _log.info("writer disconnected from buffer '%s'", self.name)

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if self._mapping is not None:
                self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass
