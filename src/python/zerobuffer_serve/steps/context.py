"""The per-scenario step context (STEPS.md "Per-scenario context"): one per worker, all roles.

Generic: the scenario's identity, cancellation, background work, step threads that outlived their
reply, and per-scenario services (the step definitions keep their library state in one).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Protocol, TypeVar, runtime_checkable

from .errors import StepCancelledError
from .step_threads import StepRun

_log = logging.getLogger("zerobuffer_serve.context")

CLEANUP_JOIN_SECONDS = 15.0


@dataclass(frozen=True)
class ScenarioInfo:
    """What ``initialize`` said about the scenario."""

    run_id: str = ""
    role: str = ""
    mode: str = "separate-process"
    scenario: str = ""
    feature: str = ""


class ScenarioService(Protocol):
    """Per-scenario state a step-definition module keeps; released after background work stopped."""

    def release(self) -> list[str]: ...


@runtime_checkable
class CrashableService(ScenarioService, Protocol):
    """A service that can abandon what one role made, as that role's killed process would."""

    def crash(self, role: str) -> list[str]: ...


S = TypeVar("S", bound=ScenarioService)


@dataclass
class BackgroundTask:
    """Work a step started and a later step joins (e.g. a writer blocked on a full buffer)."""

    name: str
    thread: threading.Thread
    done: threading.Event = field(default_factory=threading.Event)
    error: Optional[BaseException] = None
    result: Any = None


class ScenarioContext:
    """State shared by the steps of one scenario, whatever role runs them."""

    def __init__(self, info: ScenarioInfo = ScenarioInfo()) -> None:
        self.info = info
        self.background: list[BackgroundTask] = []
        # Runs of steps that outlived their reply (timeout, worker stopping); they may still
        # use a service, so release joins them before releasing services.
        self.abandoned: list[StepRun] = []
        self.cancel = threading.Event()
        self.lock = threading.RLock()
        self._services: dict[type, ScenarioService] = {}

    @property
    def run_id(self) -> str:
        return self.info.run_id

    def service(self, kind: Callable[[ScenarioContext], S]) -> S:
        """The scenario's one instance of kind (created on first use with this context)."""
        with self.lock:
            existing = self._services.get(kind)  # type: ignore[call-overload]
            if existing is None:
                existing = kind(self)
                self._services[kind] = existing  # type: ignore[index]
            return existing  # type: ignore[return-value]

    def check_cancelled(self) -> None:
        """Raise StepCancelledError once the scenario is being released."""
        if self.cancel.is_set():
            raise StepCancelledError(f"scenario '{self.info.scenario}' is being released")

    def sleep(self, seconds: float) -> None:
        """Sleep, but wake at once when the scenario is cancelled."""
        if self.cancel.wait(seconds):
            self.check_cancelled()

    def start_background(self, name: str, work: Callable[[], Any]) -> BackgroundTask:
        """Run work on a thread; its outcome is kept for a later join."""
        def run() -> None:
            try:
                task.result = work()
            except BaseException as exc:  # noqa: BLE001 - reported by the joining step
                task.error = exc
                _log.info("background %s ended with %s: %s", name, type(exc).__name__, exc)
            finally:
                task.done.set()

        task = BackgroundTask(name, threading.Thread(target=run, name=f"bg-{name}", daemon=True))
        with self.lock:
            self.background.append(task)
        task.thread.start()
        return task

    def simulate_crash(self, role: str) -> list[str]:
        """Same-process mode's stand-in for killing role's process: every service that can abandons
        role's objects. Returns what was abandoned (nothing for an unknown role)."""
        with self.lock:
            services = list(self._services.values())
        abandoned: list[str] = []
        for service in services:
            if isinstance(service, CrashableService):
                abandoned.extend(service.crash(role))
        return abandoned

    def release(self, join_seconds: float = CLEANUP_JOIN_SECONDS) -> list[str]:
        """Cancel; join background work and abandoned step threads (up to join_seconds in all);
        then release every service. Returns what was released (``background:<name>``, then what the
        services report)."""
        released: list[str] = []
        self.cancel.set()
        deadline = time.monotonic() + join_seconds
        for task in list(self.background):
            task.thread.join(max(0.0, deadline - time.monotonic()))
            if task.thread.is_alive():
                _log.warning("background %s did not stop within %.1f s", task.name, join_seconds)
            released.append(f"background:{task.name}")
        self.background.clear()
        for run in list(self.abandoned):
            run.join(max(0.0, deadline - time.monotonic()))
            if run.is_alive():
                _log.warning("abandoned step %s is still running", run.name)
        self.abandoned.clear()
        with self.lock:
            services, self._services = list(self._services.values()), {}
        for service in services:
            released.extend(service.release())
        return released
