"""The stress steps' state of one scenario (feature 12): resource baselines by role and the loops the
steps started (continuous writes and reads, connect attempts). The loops run as the context's
background work, so release joins them before the readers and writers they use are closed."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Optional

from ...steps.context import BackgroundTask, ScenarioContext
from ...steps.errors import StepAssertionError
from .process_resources import ResourceSample


@dataclass
class Loop:
    """A background loop: it runs until ``stop`` is set, counting in ``tally``."""

    what: str
    stop: threading.Event
    task: Optional[BackgroundTask] = None
    started: float = field(default_factory=time.monotonic)
    tally: dict[str, Any] = field(default_factory=dict)


class StressContext:
    """Get it with ``stress(ctx)``."""

    def __init__(self, context: ScenarioContext) -> None:
        self.context = context
        self.baselines: dict[str, ResourceSample] = {}
        self.loops: dict[str, list[Loop]] = {"write": [], "read": [], "connect": []}

    def baseline(self, role: str) -> ResourceSample:
        try:
            return self.baselines[role]
        except KeyError:
            raise StepAssertionError(f"the '{role}' process recorded no resource usage in this scenario "
                                     "(no 'records its resource usage' step ran for it)") from None

    def add(self, kind: str, loop: Loop) -> None:
        with self.context.lock:
            self.loops[kind].append(loop)

    def latest(self, kind: str, step: str) -> Loop:
        with self.context.lock:
            if not self.loops[kind]:
                raise StepAssertionError(f"no {step} step ran in this worker")
            return self.loops[kind][-1]

    def forget(self, kind: str, loop: Loop) -> None:
        """Forget a loop a step has joined; one that did not end stays for release."""
        with self.context.lock:
            if loop in self.loops[kind]:
                self.loops[kind].remove(loop)
            if loop.task in self.context.background:
                self.context.background.remove(loop.task)

    def release(self) -> list[str]:
        # The loops were background work: the context has already cancelled and joined them.
        released = [f"loop:{loop.what}" for loops in self.loops.values() for loop in loops]
        for loops in self.loops.values():
            loops.clear()
        self.baselines.clear()
        return released


def stress(ctx: ScenarioContext) -> StressContext:
    """The scenario's stress state."""
    return ctx.service(StressContext)
