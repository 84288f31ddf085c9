"""The server's connection to one client's ``_response`` buffer."""

from __future__ import annotations

import threading
from typing import Callable, Optional

from ..errors import BufferFullException, ReaderDeadException
from ..writer import Writer
from . import _metadata


class ResponseSession:
    """Handlers write through one lock (the Writer takes one frame at a time). Once the client is
    found gone the session stays ended and every further write raises ReaderDeadException, so the
    server can move on to the next client."""

    def __init__(self, writer: Writer, correlated: bool, is_stopping: Callable[[], bool]) -> None:
        self._writer = writer
        self.correlated = correlated
        self._is_stopping = is_stopping
        self._lock = threading.Lock()
        self.end_reason: Optional[str] = None
        self.last_request_sequence = 0  # the loop's: highest request sequence read for this client
        self.initialized = False  # the loop's: whether on_init ran for this client
        self._closed = False

    def end(self, reason: str) -> None:
        if self.end_reason is None:
            self.end_reason = reason

    def check_client_alive(self) -> bool:
        with self._lock:
            if self.end_reason is None and not self._closed and not self._writer.is_reader_connected():
                self.end("its response reader is gone")
            return self.end_reason is None

    def write(self, request_sequence: int, data: memoryview) -> None:
        """Send ``data`` as the response to ``request_sequence`` (prefixed when correlated)."""
        with self._lock:
            if self._closed or self.end_reason is not None or not self._writer.is_reader_connected():
                self.end("its response reader is gone")
                raise ReaderDeadException(
                    f"response to the client of '{self._writer.name}' failed: the client is gone "
                    f"({self.end_reason})")
            prefix = _metadata.SEQUENCE_PREFIX_SIZE if self.correlated else 0
            target = self._reserve(prefix + len(data))
            if prefix:
                _metadata.SEQUENCE_PREFIX.pack_into(target, 0, request_sequence)
            target[prefix:] = data
            self._writer.commit_frame()

    def _reserve(self, size: int) -> memoryview:
        # A full ring with a live client is back-pressure, not an error: keep waiting unless stopping.
        while True:
            try:
                return self._writer.get_frame_buffer(size)
            except BufferFullException:
                if self._is_stopping():
                    raise
            except ReaderDeadException:
                self.end("its response reader is gone")
                raise

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self.end("the server stopped")
            self._writer.close()
