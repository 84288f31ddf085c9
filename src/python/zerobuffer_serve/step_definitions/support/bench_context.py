"""The benchmark state of one scenario in one worker.

The benchmark writing started last (its task lives in the step context's background list, which cleanup
cancels and joins), the figures each role's last measuring step returned (for "should have measured") and
the reader's last throughput (the wrap-around step's baseline).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...steps.context import BackgroundTask, ScenarioContext
from ...steps.errors import StepAssertionError
from .bench_stats import Metrics


@dataclass
class BenchWrite:
    task: BackgroundTask
    measurement: str  # BENCH-CONTRACT measurement its figures belong to
    buffer: str


class BenchContext:
    def __init__(self, context: ScenarioContext) -> None:
        self.context = context
        self.writes: list[BenchWrite] = []
        self.last_throughput: Optional[Metrics] = None
        self._last_metrics: dict[str, Metrics] = {}

    def current(self) -> BenchWrite:
        with self.context.lock:
            if not self.writes:
                raise StepAssertionError("no benchmark writing is in progress in this worker: no 'starts writing "
                                         "frames ... in the background' or 'starts answering ... latency probes' "
                                         "step is pending")
            return self.writes[-1]

    def joined(self, write: BenchWrite) -> None:
        with self.context.lock:
            if write in self.writes:
                self.writes.remove(write)
            if write.task in self.context.background:
                self.context.background.remove(write.task)

    def busy(self, buffer: str) -> bool:
        with self.context.lock:
            return any(w.buffer == buffer and not w.task.done.is_set() for w in self.writes)

    def record(self, role: str, metrics: Metrics) -> None:
        self._last_metrics[role] = metrics

    def last_metrics(self, role: str) -> Metrics:
        if role not in self._last_metrics:
            raise StepAssertionError(f"the '{role}' process has measured nothing yet in this scenario")
        return self._last_metrics[role]

    def release(self) -> list[str]:
        released = [f"benchmark:{w.task.name}" for w in self.writes]
        self.writes.clear()
        self._last_metrics.clear()
        self.last_throughput = None
        return released


def bench_of(ctx: ScenarioContext) -> BenchContext:
    return ctx.service(BenchContext)
