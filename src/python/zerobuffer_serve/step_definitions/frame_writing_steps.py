"""Writing frames in the foreground."""

from __future__ import annotations

import time
from typing import Any

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from .phrases import ROLE
from .support.error_kinds import ErrorKind, expect_failure
from .support.patterns import write_pattern_frame
from .support.zerobuffer_context import zb


@when(ROLE + r"writes frame with size '(?P<size>\d+)'")
def write_frame(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """Write one pattern frame."""
    writer = zb(ctx).current_writer()
    sequence = write_pattern_frame(writer, size)
    return {"buffer": writer.name, "sequence": sequence, "size": size}


@when(ROLE + r"writes '(?P<count>\d+)' frames with size '(?P<size>\d+)'")
def write_frames(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Write count pattern frames."""
    writer = zb(ctx).current_writer()
    first = writer.next_sequence
    last = first - 1
    for _ in range(count):
        ctx.check_cancelled()
        last = write_pattern_frame(writer, size)
    return {"buffer": writer.name, "count": count, "firstSequence": first, "lastSequence": last, "size": size}


@then(ROLE + r"should fail to write frame with size '(?P<size>\d+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_write_frame(ctx: ScenarioContext, process: str, size: int, kind: ErrorKind) -> dict[str, Any]:
    """That frame write must fail with kind (after the write timeout where the kind needs one)."""
    writer = zb(ctx).current_writer()
    started = time.monotonic()
    data = expect_failure(kind, f"writing a {size}-byte frame to '{writer.name}'",
                          lambda: write_pattern_frame(writer, size))
    return {"buffer": writer.name, "size": size, "elapsedMs": round((time.monotonic() - started) * 1000), **data}
