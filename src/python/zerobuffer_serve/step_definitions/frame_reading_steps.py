"""Reading frames: one, many in order, none, or an expected failure (with or without waiting)."""

from __future__ import annotations

from typing import Any

from zerobuffer import Reader

from ..steps.attributes import then
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.error_kinds import ErrorKind, expect_failure
from .support.patterns import check_frame
from .support.timing import Stopwatch
from .support.zerobuffer_context import ZeroBufferContext, zb

DEFAULT_READ_TIMEOUT_MS = 5000
# How much longer than its timeout a failing read may take on a loaded machine.
WAIT_SLACK_MS = 3000


def _read_one(state: ZeroBufferContext, reader: Reader, sequence: int, size: int) -> None:
    frame = state.read_frame(reader, DEFAULT_READ_TIMEOUT_MS)
    if frame is None:
        raise StepAssertionError(f"buffer '{reader.name}': no frame within {DEFAULT_READ_TIMEOUT_MS} ms "
                                 f"(expected sequence {sequence}, size {size})")
    with frame:
        check_frame(frame, sequence, size, reader.name)
        state.last_sequences[reader.name] = frame.sequence


def _read_in_order(ctx: ScenarioContext, count: int, size: int, delay_ms: int) -> dict[str, Any]:
    state = zb(ctx)
    reader = state.current_reader()
    watch = Stopwatch()
    first = state.last_sequence(reader) + 1
    for _ in range(count):
        if delay_ms:
            ctx.sleep(delay_ms / 1000.0)
        _read_one(state, reader, state.last_sequence(reader) + 1, size)
    return {"buffer": reader.name, "count": count, "firstSequence": first,
            "lastSequence": state.last_sequence(reader), "size": size, "elapsedMs": watch.ms}


def expect_read_failure(ctx: ScenarioContext, ms: int, kind: ErrorKind, one_call: bool) -> dict[str, Any]:
    """A read with timeout ms must fail with kind; data carries buffer, errorType, message, elapsedMs.

    ``one_call`` makes it one library read with the whole timeout (the library's own waiting is what a
    timing claim is about), instead of cancellable slices.
    """
    state = zb(ctx)
    reader = state.current_reader()

    def attempt() -> None:
        frame = reader.read_frame(ms / 1000.0) if one_call else state.read_frame(reader, ms)
        if frame is not None:
            sequence = frame.sequence
            frame.dispose()
            raise StepAssertionError(f"buffer '{reader.name}': expected the read to fail with "
                                     f"'{kind.value}', but it returned frame {sequence}")
        raise StepAssertionError(f"buffer '{reader.name}': expected the read to fail with "
                                 f"'{kind.value}', but it returned no frame after {ms} ms")

    watch = Stopwatch()
    data = expect_failure(kind, f"reading from '{reader.name}'", attempt)
    return {"buffer": reader.name, "elapsedMs": watch.ms, **data}


@then(ROLE + r"should read frame with sequence '(?P<sequence>\d+)' and size '(?P<size>\d+)'")
def read_frame(ctx: ScenarioContext, process: str, sequence: int, size: int) -> dict[str, Any]:
    """Read one frame: valid, that sequence and size, pattern intact; release it."""
    state = zb(ctx)
    reader = state.current_reader()
    watch = Stopwatch()
    _read_one(state, reader, sequence, size)
    return {"buffer": reader.name, "sequence": sequence, "size": size, "elapsedMs": watch.ms}


@then(ROLE + r"should read '(?P<count>\d+)' frames with size '(?P<size>\d+)' in order")
def read_frames_in_order(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Read count frames, each the next sequence, size and pattern checked, released before the next."""
    return _read_in_order(ctx, count, size, 0)


@then(ROLE + r"should read '(?P<count>\d+)' frames with size '(?P<size>\d+)' in order "
      r"with '(?P<delay_ms>\d+)' ms delay")
def read_frames_with_delay(ctx: ScenarioContext, process: str, count: int, size: int,
                           delay_ms: int) -> dict[str, Any]:
    """The same, sleeping delay_ms before each read (a slow reader)."""
    return _read_in_order(ctx, count, size, delay_ms)


@then(ROLE + r"should receive no frame within '(?P<ms>\d+)' ms")
def receive_no_frame(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """A read with that timeout returns no frame and raises nothing."""
    state = zb(ctx)
    reader = state.current_reader()
    watch = Stopwatch()
    frame = state.read_frame(reader, ms)
    if frame is not None:
        with frame:
            raise StepAssertionError(f"buffer '{reader.name}': expected no frame within {ms} ms, got "
                                     f"frame {frame.sequence} ({frame.size} bytes)")
    return {"buffer": reader.name, "timeoutMs": ms, "elapsedMs": watch.ms}


@then(ROLE + r"should fail to read a frame within '(?P<ms>\d+)' ms with '(?P<kind>[A-Za-z]+)'")
def fail_to_read(ctx: ScenarioContext, process: str, ms: int, kind: ErrorKind) -> dict[str, Any]:
    """A read with that timeout must fail with kind (no timing claim)."""
    return expect_read_failure(ctx, ms, kind, one_call=False)


@then(ROLE + r"should fail to read a frame with '(?P<kind>[A-Za-z]+)' after waiting '(?P<ms>\d+)' ms")
def fail_to_read_after_waiting(ctx: ScenarioContext, process: str, kind: ErrorKind, ms: int) -> dict[str, Any]:
    """A read with timeout ms must fail with kind, and only after waiting: ms <= elapsed <= ms + 3000."""
    data = expect_read_failure(ctx, ms, kind, one_call=True)
    elapsed = data["elapsedMs"]
    if not ms <= elapsed <= ms + WAIT_SLACK_MS:
        raise StepAssertionError(f"buffer '{data['buffer']}': the read failed with '{kind.value}' after "
                                 f"{elapsed} ms; expected it only after waiting {ms} ms "
                                 f"(at most {ms + WAIT_SLACK_MS} ms)")
    return data
