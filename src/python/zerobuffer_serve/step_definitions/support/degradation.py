"""STEPS.md "Degradation" (PROTOCOL.md terms), fed samples in time order; pure, so it is tested without a buffer.

A buffer is degraded once its OIEB ``payload_free_bytes`` has stayed below 20 % of ``payload_size``
(utilisation above 80 %) in every sample for at least the window; it has recovered once, after that, free
bytes stayed at or above 20 % for at least the window.
"""

from __future__ import annotations

from typing import Optional

THRESHOLD = 0.8


def utilization(free_bytes: int, payload_size: int) -> float:
    return 1.0 - free_bytes / payload_size


class DegradationDetector:
    def __init__(self, window_ns: int) -> None:
        self.window_ns = window_ns
        self.degraded_at: Optional[int] = None
        self.recovered_at: Optional[int] = None
        self.max_utilization = 0.0
        self._since: Optional[int] = None

    def sample(self, at_ns: int, used: float) -> None:
        self.max_utilization = max(self.max_utilization, used)
        if self.recovered_at is not None:
            return
        degraded = self.degraded_at is not None
        if not (used <= THRESHOLD if degraded else used > THRESHOLD):
            self._since = None
            return
        if self._since is None:
            self._since = at_ns
        if at_ns - self._since < self.window_ns:
            return
        if degraded:
            self.recovered_at = at_ns
        else:
            self.degraded_at = at_ns
        self._since = None
