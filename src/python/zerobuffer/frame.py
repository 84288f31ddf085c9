"""Frame: a zero-copy view of one payload in the ring, valid until released."""

from __future__ import annotations

from typing import Callable, Optional


class Frame:
    """One frame handed out by Reader.read_frame.

    ``data`` is a memoryview into the shared memory (no copy). Releasing the frame (``dispose()``,
    ``with``, ``Reader.release_frame`` or garbage collection) returns its ring space to the writer;
    ``data`` must not be used afterwards. Each frame remembers its own size, so several frames may be
    held at once; release them in read order.
    """

    __slots__ = ("_data", "_size", "_sequence", "_on_release", "__weakref__")

    def __init__(self, data: memoryview, sequence: int,
                 on_release: Optional[Callable[["Frame"], None]]) -> None:
        self._data: Optional[memoryview] = data
        self._size = len(data)
        self._sequence = sequence
        self._on_release = on_release

    @property
    def data(self) -> memoryview:
        """The payload bytes (read-only semantics; a view into shared memory)."""
        if self._data is None:
            raise ValueError(f"frame {self._sequence} was released")
        return self._data

    @property
    def size(self) -> int:
        """Payload size in bytes."""
        return self._size

    @property
    def sequence(self) -> int:
        """Sequence number assigned by the writer (1 for its first frame)."""
        return self._sequence

    @property
    def is_valid(self) -> bool:
        """True until released."""
        return self._data is not None

    def to_bytes(self) -> bytes:
        """A copy of the payload."""
        return bytes(self.data)

    def dispose(self) -> None:
        """Release the frame's ring space to the writer; safe to call twice."""
        data, self._data = self._data, None
        callback, self._on_release = self._on_release, None
        if data is not None:
            try:
                data.release()
            except BufferError:  # the caller exported the view further; it stays mapped
                pass
        if callback is not None:
            callback(self)

    def __enter__(self) -> "Frame":
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()

    def __len__(self) -> int:
        return self._size

    def __del__(self) -> None:
        try:
            if self._data is not None or self._on_release is not None:  # not disposed yet
                self.dispose()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass

    def __repr__(self) -> str:
        return f"Frame(sequence={self._sequence}, size={self._size}, valid={self.is_valid})"
