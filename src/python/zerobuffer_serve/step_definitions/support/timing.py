"""Elapsed time of a step's work, for the ``elapsedMs`` every reading, writing, waiting or polling
step reports (features/STEPS.md)."""

from __future__ import annotations

import time


class Stopwatch:
    """Started on creation; ``ms`` is the whole milliseconds since then (monotonic clock)."""

    def __init__(self) -> None:
        self._started = time.monotonic()

    @property
    def ms(self) -> int:
        return round((time.monotonic() - self._started) * 1000)
