"""The deadline of a step that runs inline, on the thread that read its request.

Handing each step to a step thread and waking the reading thread when it ends cost two thread
switches, most of a trivial step's round trip. So the serving thread runs the step itself, and
this watch (one polling thread) abandons a step that passes its limit, or that is running when the
worker stops: it calls ``expire`` once, and ``end`` then tells the step's thread that its request
was answered elsewhere. Polling costs the step nothing; arming a waiting thread would cost a wake
per step.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

from .context import ScenarioContext
from .request import StepRequest
from .step_threads import StepRun

# How often the watch looks at the running step: a limit or a stop is seen at most this late.
TICK_SECONDS = 0.02


class StepAbandoned(BaseException):
    """Raised on the thread of an abandoned inline step once the step returns: its request has been
    answered by another thread, so this one must not answer it again. A BaseException, so no
    handler on the way up turns it into a reply."""


@dataclass(slots=True)  # not frozen: a frozen one costs ~1.4 µs more to make, and one is made per step
class WatchedStep:
    """The inline step being watched."""

    run: StepRun
    context: ScenarioContext
    request: StepRequest
    started: float
    limit: Optional[float]  # seconds; None when timeouts are disabled


class StepWatch:
    """Watches at most one inline step at a time (requests are answered one after another)."""

    def __init__(self, stop: threading.Event, expire: Callable[[WatchedStep, bool], None],
                 tick: float = TICK_SECONDS) -> None:
        self._stop = stop
        self._expire = expire
        self._tick = tick
        self._guard = threading.Lock()
        self._current: Optional[WatchedStep] = None
        self._thread: Optional[threading.Thread] = None

    def start(self, step: WatchedStep) -> None:
        """Watch step until ``end``; starts the polling thread on first use."""
        with self._guard:
            self._current = step
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="step-watch", daemon=True)
                self._thread.start()

    def end(self, run: StepRun) -> bool:
        """The step of run returned: True when it still owns its reply, False when it was abandoned."""
        with self._guard:
            if self._current is not None and self._current.run is run:
                self._current = None
                return True
            return False

    def _watch(self) -> None:
        while True:
            with self._guard:
                step = self._current
            pause = self._tick
            if step is not None:
                stopping = self._stop.is_set()
                left = None if step.limit is None else step.started + step.limit - time.monotonic()
                if stopping or (left is not None and left <= 0):
                    with self._guard:
                        claimed = self._current is step
                        if claimed:
                            self._current = None
                    if claimed:
                        self._expire(step, stopping)
                    continue
                if left is not None:
                    pause = min(pause, left)
            time.sleep(pause)
