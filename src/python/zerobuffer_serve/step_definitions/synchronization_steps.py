"""How the writer and the reader wait for each other (feature 06): a blocked writer, pending signals."""

from __future__ import annotations

import time
from typing import Any

from zerobuffer import diagnostics

from ..steps.attributes import then
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.timing import Stopwatch
from .support.zerobuffer_context import BackgroundWrite, zb

# How long background work may take to reach the frames it should block after (STEPS.md polling).
REACH_WITHIN_MS = 2000
POLL_SECONDS = 0.01


def _expect_blocked(write: BackgroundWrite, frames: int, when: str) -> None:
    task = write.task
    if task.done.is_set():
        ending = f"failed: {type(task.error).__name__}: {task.error}" if task.error is not None else "finished"
        raise StepAssertionError(f"background {task.name} was expected to be blocked after {frames} frames, "
                                 f"but it {ending} ({when})")
    if write.progress.written != frames:
        raise StepAssertionError(f"background {task.name} was expected to be blocked after {frames} frames, "
                                 f"but it has written {write.progress.written} ({when})")


@then(ROLE + r"should be blocked with '(?P<frames>\d+)' frames written for '(?P<ms>\d+)' ms")
def blocked_with_frames(ctx: ScenarioContext, process: str, frames: int, ms: int) -> dict[str, Any]:
    """The background work reaches frames written (within 2000 ms), then stays there, running, for ms."""
    write = zb(ctx).last_write()
    watch = Stopwatch()
    while write.progress.written < frames and not write.task.done.is_set() and watch.ms < REACH_WITHIN_MS:
        ctx.sleep(POLL_SECONDS)
    _expect_blocked(write, frames, f"within {REACH_WITHIN_MS} ms")
    blocked_since = time.monotonic()
    while (blocked := (time.monotonic() - blocked_since) * 1000.0) < ms:
        ctx.sleep(POLL_SECONDS)
        _expect_blocked(write, frames, f"{blocked:.0f} ms after it got there")
    return {"task": write.task.name, "written": write.progress.written,
            "blockedMs": round((time.monotonic() - blocked_since) * 1000.0, 1), "elapsedMs": watch.ms}


@then(ROLE + r"should see '(?P<count>\d+)' unread frames and as many frame signals pending")
def unread_frames_signalled(ctx: ScenarioContext, process: str, count: int) -> dict[str, Any]:
    """OIEB written_count - read_count and the value of sem-w both equal count."""
    name = zb(ctx).buffer()
    oieb = diagnostics.inspect_buffer(name)
    written, read = oieb["payload_written_count"], oieb["payload_read_count"]
    assert isinstance(written, int) and isinstance(read, int)
    signals = diagnostics.semaphore_value(name, "written")
    if written - read != count or signals != count:
        raise StepAssertionError(f"buffer '{name}': expected {count} unread frames and as many frame (sem-w) "
                                 f"signals pending, but the OIEB counts {written - read} unread (written "
                                 f"{written}, read {read}) and the semaphore's value is {signals}")
    return {"buffer": name, "unread": written - read, "pending": signals}
