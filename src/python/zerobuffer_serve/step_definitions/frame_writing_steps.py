"""Writing frames in the foreground, and writes that must fail (at once or after the write timeout)."""

from __future__ import annotations

from typing import Any

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.error_kinds import ErrorKind, expect_failure
from .support.patterns import write_pattern_frame
from .support.timing import Stopwatch
from .support.zerobuffer_context import zb

# How much longer than the write timeout a failing write may take on a loaded machine.
WAIT_SLACK_MS = 3000


@when(ROLE + r"writes frame with size '(?P<size>\d+)'")
def write_frame(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """Write one pattern frame."""
    writer = zb(ctx).current_writer()
    watch = Stopwatch()
    sequence = write_pattern_frame(writer, size)
    return {"buffer": writer.name, "sequence": sequence, "size": size, "elapsedMs": watch.ms}


@when(ROLE + r"writes '(?P<count>\d+)' frames with size '(?P<size>\d+)'")
def write_frames(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Write count pattern frames."""
    writer = zb(ctx).current_writer()
    watch = Stopwatch()
    first = writer.next_sequence
    last = first - 1
    for _ in range(count):
        ctx.check_cancelled()
        last = write_pattern_frame(writer, size)
    return {"buffer": writer.name, "count": count, "firstSequence": first, "lastSequence": last, "size": size,
            "elapsedMs": watch.ms}


@then(ROLE + r"should fail to write frame with size '(?P<size>\d+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_write_frame(ctx: ScenarioContext, process: str, size: int, kind: ErrorKind) -> dict[str, Any]:
    """That frame write must fail with kind (no timing claim)."""
    writer = zb(ctx).current_writer()
    watch = Stopwatch()
    data = expect_failure(kind, f"writing a {size}-byte frame to '{writer.name}'",
                          lambda: write_pattern_frame(writer, size))
    return {"buffer": writer.name, "size": size, "elapsedMs": watch.ms, **data}


@then(ROLE + r"should fail to write frame with size '(?P<size>\d+)' with '(?P<kind>[A-Za-z]+)' "
      r"after the write timeout")
def fail_to_write_after_timeout(ctx: ScenarioContext, process: str, size: int, kind: ErrorKind) -> dict[str, Any]:
    """The write must fail with kind, and only after the current write timeout:
    timeout <= elapsed <= timeout + 3000 ms."""
    writer = zb(ctx).current_writer()
    timeout_ms = round(writer.write_timeout.total_seconds() * 1000)
    data = fail_to_write_frame(ctx, process, size, kind)
    elapsed = data["elapsedMs"]
    if not timeout_ms <= elapsed <= timeout_ms + WAIT_SLACK_MS:
        raise StepAssertionError(f"buffer '{writer.name}': the write failed with '{kind.value}' after {elapsed} ms; "
                                 f"expected it only after the {timeout_ms} ms write timeout "
                                 f"(at most {timeout_ms + WAIT_SLACK_MS} ms)")
    return {**data, "writeTimeoutMs": timeout_ms}
