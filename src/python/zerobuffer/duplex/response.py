"""DuplexResponse: what DuplexClient.receive_response hands back."""

from __future__ import annotations

from typing import Callable, Optional


class DuplexResponse:
    """One response: ``sequence`` is the request sequence it answers, ``data`` the handler's bytes
    (a zero-copy view into the response ring). ``is_valid`` is False for a timeout. Dispose it (or use
    ``with``) to give its ring space back; ``data`` must not be used afterwards."""

    __slots__ = ("_sequence", "_data", "_on_dispose")

    def __init__(self, sequence: int, data: Optional[memoryview],
                 on_dispose: Optional[Callable[[], None]] = None) -> None:
        self._sequence = sequence
        self._data = data
        self._on_dispose = on_dispose

    @classmethod
    def timed_out(cls) -> "DuplexResponse":
        return cls(0, None)

    @property
    def sequence(self) -> int:
        return self._sequence

    @property
    def data(self) -> memoryview:
        if self._data is None:
            raise ValueError("no response data (timed out or disposed)")
        return self._data

    @property
    def is_valid(self) -> bool:
        return self._data is not None

    @property
    def size(self) -> int:
        return 0 if self._data is None else len(self._data)

    def to_bytes(self) -> bytes:
        return b"" if self._data is None else bytes(self._data)

    def dispose(self) -> None:
        data, self._data = self._data, None
        callback, self._on_dispose = self._on_dispose, None
        if data is not None:
            try:
                data.release()
            except BufferError:  # the caller exported the view further
                pass
        if callback is not None:
            callback()

    def __len__(self) -> int:
        return self.size

    def __enter__(self) -> "DuplexResponse":
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()

    def __del__(self) -> None:
        try:
            self.dispose()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass

    def __repr__(self) -> str:
        return f"DuplexResponse(sequence={self._sequence}, size={self.size}, valid={self.is_valid})"
