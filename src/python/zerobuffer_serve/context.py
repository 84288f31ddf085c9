"""The per-scenario step context (STEPS.md "Per-scenario context"): one per worker, all roles."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from zerobuffer import Reader, Writer

_log = logging.getLogger("zerobuffer_serve.context")

BACKGROUND_JOIN_SECONDS = 15.0


@dataclass
class BackgroundTask:
    """Work a step started and a later step joins (e.g. a writer blocked on a full buffer)."""

    name: str
    thread: threading.Thread
    done: threading.Event = field(default_factory=threading.Event)
    error: Optional[BaseException] = None
    result: Any = None


class ScenarioContext:
    """Readers and writers by buffer name, the current ones, read progress, background work."""

    def __init__(self, run_id: str = "", role: str = "", mode: str = "separate-process",
                 scenario: str = "", feature: str = "") -> None:
        self.run_id = run_id
        self.role = role
        self.mode = mode
        self.scenario = scenario
        self.feature = feature
        self.readers: dict[str, Reader] = {}
        self.writers: dict[str, Writer] = {}
        self.reader: Optional[Reader] = None
        self.writer: Optional[Writer] = None
        self.last_sequence = 0
        self.write_timeout_ms: Optional[int] = None
        self.background: list[BackgroundTask] = []
        # Threads of steps that outlived their timeout; they may still hold a reader or writer.
        self.abandoned: list[threading.Thread] = []
        self.cancel = threading.Event()
        self.lock = threading.RLock()

    def buffer_name(self, name: str) -> str:
        """The run-unique OS name of a feature's buffer: ``<runId>-<name>``."""
        return f"{self.run_id}-{name}" if self.run_id else name

    def sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when cleanup cancels the scenario."""
        if self.cancel.wait(seconds):
            raise InterruptedError("scenario cancelled by cleanup")

    def start_background(self, name: str, work: Callable[[], Any]) -> BackgroundTask:
        """Run work on a thread; its outcome is kept for a later join."""
        holder: dict[str, BackgroundTask] = {}

        def run() -> None:
            task = holder["task"]
            try:
                task.result = work()
            except BaseException as exc:  # noqa: BLE001 - reported by the joining step
                task.error = exc
                _log.info("background %s ended with %s: %s", name, type(exc).__name__, exc)
            finally:
                task.done.set()

        thread = threading.Thread(target=run, name=f"bg-{name}", daemon=True)
        task = BackgroundTask(name, thread)
        holder["task"] = task
        with self.lock:
            self.background.append(task)
        thread.start()
        return task

    def release(self) -> list[str]:
        """Cancel and join background work, then close every writer and reader. Returns what was
        released (``background:<name>``, ``writer:<buffer>``, ``reader:<buffer>``)."""
        released: list[str] = []
        self.cancel.set()
        deadline = time.monotonic() + BACKGROUND_JOIN_SECONDS
        for task in list(self.background):
            task.thread.join(max(0.0, deadline - time.monotonic()))
            if task.thread.is_alive():
                _log.warning("background %s did not stop within %.0f s", task.name,
                             BACKGROUND_JOIN_SECONDS)
            released.append(f"background:{task.name}")
        self.background.clear()
        for thread in list(self.abandoned):
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                _log.warning("abandoned step thread %s is still running", thread.name)
        self.abandoned.clear()
        for name, writer in list(self.writers.items()):
            try:
                writer.close()
            except Exception as exc:  # noqa: BLE001 - keep releasing the rest
                _log.warning("closing writer of '%s' failed: %s", name, exc)
            released.append(f"writer:{name}")
        for name, reader in list(self.readers.items()):
            try:
                reader.close()
            except Exception as exc:  # noqa: BLE001 - keep releasing the rest
                _log.warning("closing reader of '%s' failed: %s", name, exc)
            released.append(f"reader:{name}")
        self.writers.clear()
        self.readers.clear()
        self.reader = None
        self.writer = None
        return released
