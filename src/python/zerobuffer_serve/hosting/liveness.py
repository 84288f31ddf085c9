"""Watches the process that started the worker: when it dies (we are re-parented) the worker ends,
even while a step blocks (WORKER-PROTOCOL.md "Liveness"). Also watches stdin for a hang-up, the end
of input that the serving thread, busy answering, would not read until it is done."""

from __future__ import annotations

import logging
import os
import select
import threading
from typing import Callable, Optional

_log = logging.getLogger("zerobuffer_serve")

POLL_SECONDS = 0.1
# A pipe reports POLLHUP once its writer is gone; a socket reports POLLRDHUP when its peer shut down writing.
_HANGUP = select.POLLHUP | getattr(select, "POLLRDHUP", 0)


class ParentWatch:
    """Polls getppid(); calls ``on_lost`` once when it is no longer ``parent`` (the pid the worker
    saw at start). With ``input_fd``, calls ``on_input_closed`` (every poll, until the parent is lost)
    while that descriptor reports a hang-up."""

    def __init__(self, parent: int, on_lost: Callable[[str], None], interval: float = POLL_SECONDS,
                 input_fd: Optional[int] = None, on_input_closed: Optional[Callable[[], None]] = None) -> None:
        self._parent = parent
        self._on_lost = on_lost
        self._interval = interval
        self._input: Optional[select.poll] = None
        self._on_input_closed = on_input_closed
        if input_fd is not None and on_input_closed is not None:
            self._input = select.poll()
            self._input.register(input_fd, _HANGUP)
        self._stopped = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._watch, name="parent-watch", daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()

    def _watch(self) -> None:
        while not self._stopped.wait(self._interval):
            if os.getppid() != self._parent:
                _log.warning("parent process %d is gone", self._parent)
                self._on_lost(f"parent process {self._parent} died")
                return
            if self._input is not None and self._on_input_closed is not None and self._hung_up():
                self._on_input_closed()

    def _hung_up(self) -> bool:
        assert self._input is not None
        try:
            return any(events & (_HANGUP | select.POLLNVAL) for _, events in self._input.poll(0))
        except OSError:
            return False
