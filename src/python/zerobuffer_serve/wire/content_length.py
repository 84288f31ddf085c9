"""LSP-style Content-Length framing over binary streams (WORKER-PROTOCOL.md "Framing").

Knows bytes and messages only, never JSON-RPC or steps.
"""

from __future__ import annotations

import threading
from typing import BinaryIO, Optional

MAX_BODY = 64 * 1024 * 1024
MAX_HEADER_LINE = 8192
_CONTENT_LENGTH = b"content-length:"


class BadHeaderError(Exception):
    """A header block without a usable Content-Length; the reader resynchronises on the next one."""


class ConnectionLostError(Exception):
    """The stream ended in the middle of a message."""


class ContentLengthReader:
    """Reads one message body at a time. After a bad header (none, malformed, non-numeric or above
    MAX_BODY) it resynchronises on the next ``Content-Length:`` it sees, even one glued to the end
    of a garbage line, so one bad frame never ends the conversation."""

    def __init__(self, stream: BinaryIO, max_body: int = MAX_BODY) -> None:
        self._stream = stream
        self._max_body = max_body
        self._resync = False

    def read(self) -> Optional[bytes]:
        """The next body, or None at a clean end of stream. Raises BadHeaderError, ConnectionLostError."""
        length: Optional[int] = None
        problem: Optional[str] = None
        seen_any = False
        while True:
            line = self._stream.readline(MAX_HEADER_LINE + 1)
            if not line:
                if seen_any:
                    raise ConnectionLostError("end of stream inside a header block")
                return None
            if len(line) > MAX_HEADER_LINE and not line.endswith(b"\n"):
                # Drop the rest of an over-long line; it cannot be a header we accept.
                while line and not line.endswith(b"\n"):
                    line = self._stream.readline(MAX_HEADER_LINE + 1)
                problem = problem or f"header line longer than {MAX_HEADER_LINE} bytes"
                seen_any = True
                continue
            stripped = line.rstrip(b"\r\n")
            if not stripped:
                if not seen_any:
                    continue  # stray blank line between messages
                break
            if self._resync:
                at = stripped.lower().find(_CONTENT_LENGTH)
                if at < 0:
                    continue  # still skipping garbage
                stripped = stripped[at:]
                self._resync = False
            seen_any = True
            name, sep, value = stripped.partition(b":")
            if not sep:
                problem = problem or f"malformed header line {stripped[:80]!r}"
                continue
            if name.strip().lower() != b"content-length":
                continue  # other headers (Content-Type, ...) are ignored
            text = value.strip()
            if not text.isdigit():
                problem = f"Content-Length {text[:40].decode('latin-1')!r} is not a non-negative integer"
                length = None
                continue
            length = int(text)
            if length > self._max_body:
                problem = f"Content-Length {length} exceeds the {self._max_body}-byte limit"
                length = None
        if length is None:
            self._resync = True
            raise BadHeaderError(problem or "header block without Content-Length")
        return self._read_exact(length)

    def _read_exact(self, length: int) -> bytes:
        chunks = []
        remaining = length
        while remaining:
            chunk = self._stream.read(remaining)
            if not chunk:
                raise ConnectionLostError(f"end of stream after {length - remaining} of {length} body bytes")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)


class ContentLengthWriter:
    """Writes framed messages; one lock so replies from different threads never interleave."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, body: bytes) -> None:
        """Frame and flush one UTF-8 JSON body."""
        header = b"Content-Length: %d\r\n\r\n" % len(body)
        with self._lock:
            self._stream.write(header + body)
            self._stream.flush()
