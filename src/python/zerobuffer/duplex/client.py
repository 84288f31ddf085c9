"""DuplexClient: sends requests to ``<channel>_request`` and reads responses from ``<channel>_response``."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Deque, Dict, List, Optional, Tuple

from ..config import BufferConfig
from ..errors import InvalidFrameSizeException, ReaderDeadException, ZeroBufferException
from ..frame import Frame
from ..reader import Reader
from ..writer import Writer
from . import _metadata
from ._names import request_name, response_name, validate_channel_name
from ._ordered_release import OrderedRelease
from .response import DuplexResponse

_log = logging.getLogger("zerobuffer.duplex")

# Response buffer size when the caller passes none: 4 KiB metadata, 256 MiB payload (as 1.x).
DEFAULT_RESPONSE_CONFIG = BufferConfig(metadata_size=4096, payload_size=256 * 1024 * 1024)
# A reading thread gives others a chance (and notices a gone server) at least this often.
_RECEIVE_SLICE = 0.1

# A response read from the ring, filed for its owner: (request sequence, payload view, release entry).
_Pending = Tuple[int, memoryview, List[object]]


class _Mailbox:
    """The responses filed for one thread."""

    __slots__ = ("ready",)

    def __init__(self) -> None:
        self.ready: Deque[_Pending] = deque()


class DuplexClient:
    """The client end of a channel (PROTOCOL.md §8); safe to share between threads.

    Sends go through one lock. Receives are routed: one waiting thread at a time reads the response
    ring and files each response under the thread that sent its request, so threads sharing a client
    never get each other's responses. Filed responses stay in the ring (zero-copy) until taken.
    """

    def __init__(self, channel_name: str, response_config: Optional[BufferConfig] = None) -> None:
        self.channel_name = validate_channel_name(channel_name)
        # Request writer first: no server means BufferNotFound before anything of ours exists.
        self._requests = Writer(request_name(channel_name))
        try:
            self._responses = Reader(response_name(channel_name), response_config or DEFAULT_RESPONSE_CONFIG)
        except BaseException:
            self._requests.close()
            raise
        self._send_lock = threading.Lock()
        self._sender: Optional[int] = None  # thread holding _send_lock between acquire and commit
        self._route = threading.Condition(threading.Lock())
        self._owners: Dict[int, _Mailbox] = {}
        self._local = threading.local()
        self._reader_busy = False
        self._release = OrderedRelease()
        self._correlated: Optional[bool] = None
        self._closed = False

    # -- state ---------------------------------------------------------------------------------

    @property
    def is_server_connected(self) -> bool:
        return not self._closed and self._requests.is_reader_connected()

    @property
    def is_correlated(self) -> Optional[bool]:
        """True once the first response showed a correlated server; None before any response."""
        return self._correlated

    def _mailbox(self) -> _Mailbox:
        box = getattr(self._local, "box", None)
        if box is None:
            box = self._local.box = _Mailbox()
        return box

    def _require_open(self) -> None:
        if self._closed:
            raise ZeroBufferException(f"duplex client of '{self.channel_name}' is closed")

    # -- sending -------------------------------------------------------------------------------

    def send_request(self, data: bytes | bytearray | memoryview) -> int:
        """Copy ``data`` into the request ring; returns the request's sequence."""
        view = memoryview(data).cast("B")
        sequence, target = self.acquire_request_buffer(len(view))
        try:
            target[:] = view
        finally:
            self.commit_request()
        return sequence

    def acquire_request_buffer(self, size: int) -> Tuple[int, memoryview]:
        """Reserve a request for filling in place: returns (sequence, buffer). commit_request() sends
        it; other threads' sends wait until then."""
        self._require_open()
        self._send_lock.acquire()
        try:
            buffer = self._requests.get_frame_buffer(size)
            sequence = self._requests.pending_sequence
            assert sequence is not None
            box = self._mailbox()
            with self._route:  # filed before the commit, so an instant response has its owner
                self._owners[sequence] = box
        except BaseException:
            self._send_lock.release()
            raise
        self._sender = threading.get_ident()
        return sequence, buffer

    def commit_request(self) -> None:
        """Send the request reserved by acquire_request_buffer on this thread."""
        if self._sender != threading.get_ident():
            raise ZeroBufferException("commit_request without acquire_request_buffer on this thread")
        self._sender = None
        try:
            self._requests.commit_frame()
        finally:
            self._send_lock.release()

    def set_request_metadata(self, data: bytes | bytearray | memoryview) -> None:
        """Write the metadata the server's on_init receives (once per channel, before the first request)."""
        self._require_open()
        with self._send_lock:
            self._requests.set_metadata(data)

    # -- receiving -----------------------------------------------------------------------------

    def receive_response(self, timeout_ms: int) -> DuplexResponse:
        """Wait up to ``timeout_ms`` for the response to one of this thread's requests.

        Returns a response whose ``sequence`` is the request it answers (``is_valid`` False on
        timeout). Raises WriterDeadException when the server stopped or died with requests pending,
        ReaderDeadException when the server is gone before it ever answered.
        """
        self._require_open()
        box = self._mailbox()
        deadline = time.monotonic() + max(0, timeout_ms) / 1000.0
        read_once = False
        with self._route:
            while True:
                self._require_open()  # first: a response filed before close() points into a gone ring
                if box.ready:
                    sequence, data, entry = box.ready.popleft()
                    return DuplexResponse(sequence, data, lambda: self._release.finish(entry))
                remaining = deadline - time.monotonic()
                if remaining <= 0 and read_once:
                    return DuplexResponse.timed_out()
                if self._reader_busy:
                    self._route.wait(min(max(remaining, 0.001), _RECEIVE_SLICE))
                    continue
                read_once = True
                self._read_and_route(min(max(remaining, 0.0), _RECEIVE_SLICE), box)

    def _read_and_route(self, wait: float, reader_box: _Mailbox) -> None:
        """Read one response outside the routing lock (held on entry and exit) and file it."""
        self._reader_busy = True
        self._route.release()
        pending: Optional[_Pending] = None
        try:
            frame = self._responses.read_frame(timeout=wait)
            if frame is not None:
                pending = self._decode(frame)
            elif not self._requests.is_reader_connected():
                raise ReaderDeadException(
                    f"the server of duplex channel '{self.channel_name}' is gone: "
                    f"its request buffer has no reader")
        finally:
            self._route.acquire()
            self._reader_busy = False
            if pending is not None:
                owner = self._owners.pop(pending[0], reader_box)
                owner.ready.append(pending)
            self._route.notify_all()

    def _decode(self, frame: Frame) -> _Pending:
        if self._correlated is None:
            self._correlated = _metadata.is_correlated(self._responses.get_metadata())
            _log.debug("duplex client of '%s': %s server", self.channel_name,
                       "correlated" if self._correlated else "in-order")
        entry = self._release.hold(frame)
        if not self._correlated:
            return frame.sequence, frame.data, entry
        if frame.size < _metadata.SEQUENCE_PREFIX_SIZE:
            self._release.finish(entry)
            raise InvalidFrameSizeException(
                f"response {frame.sequence} on duplex channel '{self.channel_name}' has {frame.size} "
                f"bytes, fewer than the {_metadata.SEQUENCE_PREFIX_SIZE}-byte request sequence of a "
                f"correlated channel")
        (sequence,) = _metadata.SEQUENCE_PREFIX.unpack_from(frame.data, 0)
        return sequence, frame.data[_metadata.SEQUENCE_PREFIX_SIZE:], entry

    # -- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        """Disconnect and remove ``_response``; responses not yet received are dropped."""
        with self._route:
            if self._closed:
                return
            self._closed = True
            while self._reader_busy:
                self._route.wait()  # the reading thread returns within one slice
            self._route.notify_all()
        with self._send_lock:
            self._requests.close()
        self._responses.close()

    def __enter__(self) -> "DuplexClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass
