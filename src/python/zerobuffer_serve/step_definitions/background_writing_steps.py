"""Writing frames in the background: start, check it is still blocked, join it."""

from __future__ import annotations

import time
from typing import Any

from ..steps.attributes import then, when
from ..steps.context import BackgroundTask, ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.error_kinds import background_failure
from .support.patterns import write_pattern_frame
from .support.zerobuffer_context import zb


@when(ROLE + r"starts writing '(?P<count>\d+)' frames with size '(?P<size>\d+)' in the background")
def start_background_writes(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Start background work writing count pattern frames through the current writer; return at once."""
    writer = zb(ctx).current_writer()

    def work() -> int:
        for _ in range(count):
            ctx.check_cancelled()
            write_pattern_frame(writer, size)
        return count

    task = ctx.start_background(f"write-{count}x{size}-{writer.name}", work)
    return {"buffer": writer.name, "count": count, "size": size, "task": task.name}


def _last_background(ctx: ScenarioContext) -> BackgroundTask:
    with ctx.lock:
        if not ctx.background:
            raise StepAssertionError("no background writing was started in this scenario")
        return ctx.background[-1]


@then(ROLE + r"should still be writing after '(?P<ms>\d+)' ms")
def still_writing(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Wait ms; the background work must not have finished (it is blocked)."""
    task = _last_background(ctx)
    if task.done.wait(ms / 1000.0):
        if task.error is not None:
            raise StepAssertionError(f"background {task.name} was expected to still be writing after "
                                     f"{ms} ms, but it failed: {type(task.error).__name__}: {task.error}")
        raise StepAssertionError(f"background {task.name} was expected to still be writing after "
                                 f"{ms} ms, but it had finished ({task.result} frames)")
    return {"task": task.name, "waitedMs": ms}


@then(ROLE + r"should finish writing within '(?P<ms>\d+)' ms")
def finish_writing(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Join the background work within ms; it must have written all its frames without error."""
    task = _last_background(ctx)
    started = time.monotonic()
    if not task.done.wait(ms / 1000.0):
        raise StepAssertionError(f"background {task.name} did not finish within {ms} ms")
    task.thread.join()
    with ctx.lock:
        if task in ctx.background:
            ctx.background.remove(task)
    if task.error is not None:
        raise background_failure(task.error, f"background {task.name}")  # with its own kind (e.g. BufferFull)
    return {"task": task.name, "count": task.result, "elapsedMs": round((time.monotonic() - started) * 1000)}
