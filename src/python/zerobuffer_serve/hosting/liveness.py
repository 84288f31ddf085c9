"""Watches the process that started the worker: when it dies (we are re-parented) the worker ends,
even while a step blocks (WORKER-PROTOCOL.md "Liveness")."""

from __future__ import annotations

import logging
import os
import threading
from typing import Callable

_log = logging.getLogger("zerobuffer_serve")

POLL_SECONDS = 0.1


class ParentWatch:
    """Polls getppid(); calls ``on_lost`` once when it is no longer ``parent`` (the pid the worker
    saw at start)."""

    def __init__(self, parent: int, on_lost: Callable[[str], None], interval: float = POLL_SECONDS) -> None:
        self._parent = parent
        self._on_lost = on_lost
        self._interval = interval
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
