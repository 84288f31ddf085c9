"""Per-request allocation on a server's loop thread, measured with tracemalloc (STEPS.md "Duplex channel").

Marked at every handler entry: one interval is one whole loop iteration (read, handle, answer,
release). The value of an interval is the traced peak during it minus the traced size at its start.
The first interval warms up and is not counted.
"""

from __future__ import annotations

import threading
import tracemalloc

# tracemalloc is process-wide: meters share one start/stop.
_users = 0
_users_lock = threading.Lock()


class AllocationMeter:
    def __init__(self) -> None:
        self._baseline: int | None = None
        self.intervals: list[int] = []
        global _users
        with _users_lock:
            if _users == 0:
                tracemalloc.start()
            _users += 1
        self._closed = False

    def mark(self) -> None:
        """Called on the handler thread at every handler entry."""
        current, peak = tracemalloc.get_traced_memory()
        if self._baseline is not None:
            self.intervals.append(max(0, peak - self._baseline))
        tracemalloc.reset_peak()
        self._baseline, _ = tracemalloc.get_traced_memory()

    def measured(self) -> list[int]:
        """The peak growth of each counted iteration (requests 2..N-1 of N)."""
        return self.intervals[1:]

    def close(self) -> None:
        global _users
        if self._closed:
            return
        self._closed = True
        with _users_lock:
            _users -= 1
            if _users == 0:
                tracemalloc.stop()
