"""Gives frames back to the ring in read order, whatever order their users finish in.

The writer reuses the ring strictly in order, so releasing frame 2 while frame 1 is still in use
would let it overwrite frame 1. Duplex servers (thread pool) and shared clients finish frames out of
order; they hold them here and each release returns the longest finished prefix.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Deque, List

from ..frame import Frame


class OrderedRelease:
    def __init__(self) -> None:
        self._lock = threading.RLock()  # re-entrant: a finalizer may finish a frame mid-release
        self._held: Deque[List[object]] = deque()  # [frame, finished]

    def hold(self, frame: Frame) -> List[object]:
        """Track a frame just read; returns the entry to pass to finish()."""
        entry: List[object] = [frame, False]
        with self._lock:
            self._held.append(entry)
        return entry

    def finish(self, entry: List[object]) -> None:
        """Mark a frame done and release every finished frame at the head. Idempotent."""
        with self._lock:
            entry[1] = True
            while self._held and self._held[0][1]:
                frame = self._held.popleft()[0]
                assert isinstance(frame, Frame)
                frame.dispose()

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)
