"""Reading a frame in the background: start one blocked read, join it (it must fail, and only after waiting)."""

from __future__ import annotations

from typing import Any

from zerobuffer import ZeroBufferException

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.error_kinds import ErrorKind
from .support.timing import Stopwatch
from .support.zerobuffer_context import zb


@when(ROLE + r"starts reading a frame in the background with timeout '(?P<ms>\d+)' ms")
def start_background_read(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Start one read_frame with timeout ms on the current reader in the background; return at once."""
    read = zb(ctx).start_read(process, ms)
    return {"buffer": read.reader.name, "timeoutMs": ms, "task": read.task.name}


@then(ROLE + r"should stop reading with '(?P<kind>[A-Za-z]+)' after at least '(?P<min_ms>\d+)' ms "
             r"and within '(?P<within_ms>\d+)' ms")
def stop_reading(ctx: ScenarioContext, process: str, kind: ErrorKind, min_ms: int, within_ms: int) -> dict[str, Any]:
    """Join the background read within within_ms; it must have failed with kind after waiting at least min_ms."""
    state = zb(ctx)
    read = state.last_read()
    watch = Stopwatch()
    if not read.task.done.wait(within_ms / 1000.0):
        raise StepAssertionError(f"background {read.task.name} did not stop with '{kind.value}' within "
                                 f"{within_ms} ms: it is still reading after {watch.ms} ms")
    read.task.thread.join()
    state.forget_read(read)
    error = read.task.error
    if not isinstance(error, ZeroBufferException) or error.kind != kind.value:
        raise StepAssertionError(f"background {read.task.name} was expected to stop with '{kind.value}', "
                                 f"but it {read.describe()}")
    elapsed = read.outcome.elapsed_ms
    if elapsed < min_ms:
        raise StepAssertionError(f"background {read.task.name} stopped with '{kind.value}' after {elapsed:.0f} ms, "
                                 f"before {min_ms} ms: it did not wait")
    return {"buffer": read.reader.name, "errorType": error.kind, "elapsedMs": round(elapsed, 1)}
