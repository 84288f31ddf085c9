"""Writing frames in the background: start, check it is still blocked, join it (finished or stopped)."""

from __future__ import annotations

from typing import Any

from zerobuffer import ZeroBufferException

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.error_kinds import ErrorKind, background_failure
from .support.patterns import write_pattern_frame
from .support.timing import Stopwatch
from .support.zerobuffer_context import BackgroundWrite, zb


@when(ROLE + r"starts writing '(?P<count>\d+)' frames with size '(?P<size>\d+)' in the background")
def start_background_writes(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Start background work writing count pattern frames through the current writer; return at once."""
    writer = zb(ctx).current_writer()
    task = zb(ctx).start_counted_write(f"write-{count}x{size}-{writer.name}", process, count,
                                       lambda: write_pattern_frame(writer, size)).task
    return {"buffer": writer.name, "count": count, "size": size, "task": task.name}


@then(ROLE + r"should still be writing after '(?P<ms>\d+)' ms")
def still_writing(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Wait ms; the background work must not have finished (it is blocked)."""
    write = zb(ctx).last_write()
    task = write.task
    watch = Stopwatch()
    if task.done.wait(ms / 1000.0):
        if task.error is not None:
            raise StepAssertionError(f"background {task.name} was expected to still be writing after "
                                     f"{ms} ms, but it failed: {type(task.error).__name__}: {task.error}")
        raise StepAssertionError(f"background {task.name} was expected to still be writing after "
                                 f"{ms} ms, but it had finished ({task.result} frames)")
    return {"task": task.name, "waitedMs": ms, "written": write.progress.written, "elapsedMs": watch.ms}


def _join(ctx: ScenarioContext, ms: int, expectation: str) -> tuple[BackgroundWrite, int]:
    """Join the last background writing within ms (it is then forgotten); returns it and elapsedMs."""
    state = zb(ctx)
    write = state.last_write()
    watch = Stopwatch()
    if not write.task.done.wait(ms / 1000.0):
        raise StepAssertionError(f"background {write.task.name} did not {expectation} within {ms} ms "
                                 f"({write.progress.written} of {write.count} frames written)")
    write.task.thread.join()
    state.forget_write(write)
    return write, watch.ms


@then(ROLE + r"should finish writing within '(?P<ms>\d+)' ms")
def finish_writing(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Join the background work within ms; it must have written all its frames without error."""
    write, elapsed = _join(ctx, ms, "finish")
    task = write.task
    if task.error is not None:
        raise background_failure(task.error, f"background {task.name}")  # with its own kind (e.g. BufferFull)
    if write.progress.written != write.count:
        raise StepAssertionError(f"background {task.name} finished having written {write.progress.written} of "
                                 f"{write.count} frames")
    return {"task": task.name, "written": write.progress.written, "elapsedMs": elapsed}


@then(ROLE + r"should stop writing with '(?P<kind>[A-Za-z]+)' within '(?P<ms>\d+)' ms")
def stop_writing(ctx: ScenarioContext, process: str, kind: ErrorKind, ms: int) -> dict[str, Any]:
    """Join the background work within ms; it must have ended with kind (not finished, not another kind)."""
    write, elapsed = _join(ctx, ms, f"stop with '{kind.value}'")
    task = write.task
    error = task.error
    if error is None:
        raise StepAssertionError(f"background {task.name} was expected to stop with '{kind.value}', but it "
                                 f"finished all {write.count} frames")
    if not isinstance(error, ZeroBufferException) or error.kind != kind.value:
        actual = error.kind if isinstance(error, ZeroBufferException) else type(error).__name__
        raise StepAssertionError(f"background {task.name} was expected to stop with '{kind.value}', but it "
                                 f"stopped with '{actual}': {error}")
    return {"task": task.name, "written": write.progress.written, "errorType": error.kind, "elapsedMs": elapsed}
