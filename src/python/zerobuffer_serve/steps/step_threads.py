"""Reused threads for step functions, which block on the library.

Starting a thread per step cost more than the rest of a trivial step's round trip (about 80 µs of
a 260 µs ``executeStep`` on a 2-core host). A thread that finished a step waits a while for the
next one; a step that stays blocked keeps its thread and the next step gets another. Each step is
handed to one idle thread directly, never put in a shared queue: with a queue, an idle thread could
take the first of two quick steps, block in it, and leave the second waiting behind it.
"""

from __future__ import annotations

import itertools
import logging
import threading
from typing import Callable, Optional

_log = logging.getLogger("zerobuffer_serve.steps")

IDLE_SECONDS = 30.0


class StepRun:
    """One step's run: joinable like a thread (the scenario joins abandoned runs before releasing).

    A lock held until the step ends, not an Event: a run is made for every step, and a bare lock
    costs a fraction of an Event's condition to make and to signal."""

    __slots__ = ("name", "_running")

    def __init__(self, name: str) -> None:
        self.name = name
        self._running = threading.Lock()
        self._running.acquire()

    def finish(self) -> None:
        """The step has returned (called once, by the thread that ran it)."""
        self._running.release()

    def join(self, timeout: Optional[float] = None) -> bool:
        """Wait for the end; True when the step has ended."""
        if not self._running.acquire(timeout=-1 if timeout is None else max(0.0, timeout)):
            return False
        self._running.release()
        return True

    def is_alive(self) -> bool:
        return self._running.locked()


class StepThreads:
    """Runs each step on an idle thread of its own, starting one only when none is idle."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self._idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._idle: list[_StepThread] = []
        self._numbers = itertools.count(1)
        self.started = 0  # threads started so far (for tests)

    def run(self, work: Callable[[], None], name: str) -> StepRun:
        """Runs work on a step thread; the returned run's ``done`` is set when work has returned."""
        run = StepRun(name)
        with self._lock:
            idle = self._idle.pop() if self._idle else None
            if idle is None:
                self.started += 1
        if idle is not None:
            idle.hand(work, run)
        else:
            thread = _StepThread(self, work, run)
            threading.Thread(target=thread.serve, name=f"step-thread-{next(self._numbers)}", daemon=True).start()
        return run

    def _become_idle(self, thread: _StepThread) -> None:
        with self._lock:
            self._idle.append(thread)

    def _try_retire(self, thread: _StepThread) -> bool:
        """True when thread was still idle and is now retired; False when a step was just handed to it."""
        with self._lock:
            if thread in self._idle:
                self._idle.remove(thread)
                return True
            return False


class _StepThread:
    def __init__(self, owner: StepThreads, work: Callable[[], None], run: StepRun) -> None:
        self._owner = owner
        self._handed = threading.Event()
        self._next: tuple[Callable[[], None], StepRun] = (work, run)

    def hand(self, work: Callable[[], None], run: StepRun) -> None:
        self._next = (work, run)
        self._handed.set()

    def serve(self) -> None:
        while True:
            work, run = self._next
            try:
                work()
            except BaseException:  # noqa: BLE001 - the thread must live on: it is about to be listed idle
                _log.exception("step work %s raised past its own handler", run.name)
            finally:
                # Idle before the step is reported done, so a step issued right after finds this thread.
                self._owner._become_idle(self)
                run.finish()
            if not self._handed.wait(self._owner._idle_seconds):
                if self._owner._try_retire(self):
                    return
                self._handed.wait()  # a step was handed over while the wait timed out: it is on its way
            self._handed.clear()
