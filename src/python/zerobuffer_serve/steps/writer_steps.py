"""Steps a writer process runs: connect, timeouts, metadata, frames (also in the background)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from zerobuffer import Writer

from ..context import BackgroundTask, ScenarioContext
from ..executor import StepAssertionError
from ..registry import given, then, when
from ._support import PATTERN, ROLE, ErrorKind, expect_connection, expect_failure


def _current_writer(ctx: ScenarioContext) -> Writer:
    if ctx.writer is None:
        raise StepAssertionError("no writer connected in this scenario (no current writer)")
    return ctx.writer


def write_pattern_frame(writer: Writer, size: int) -> int:
    """Fill one frame through the zero-copy API with the pattern of its assigned sequence."""
    target = writer.get_frame_buffer(size)
    sequence = writer.pending_sequence or 0
    target[:] = PATTERN.frame(sequence, size)
    writer.commit_frame()
    return sequence


@given(ROLE + r"connects to buffer '(?P<buffer>[^']+)'")
def connect(ctx: ScenarioContext, process: str, buffer: str) -> dict[str, Any]:
    """Create a Writer (disposing a previous writer of the same buffer); it becomes current."""
    name = ctx.buffer_name(buffer)
    with ctx.lock:
        previous = ctx.writers.pop(name, None)
        if previous is not None:
            if ctx.writer is previous:
                ctx.writer = None
            previous.close()
    writer = Writer(name)
    if ctx.write_timeout_ms is not None:
        writer.write_timeout = timedelta(milliseconds=ctx.write_timeout_ms)
    with ctx.lock:
        ctx.writers[name] = writer
        ctx.writer = writer
    return {"buffer": name}


@then(ROLE + r"should fail to connect to buffer '(?P<buffer>[^']+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_connect(ctx: ScenarioContext, process: str, buffer: str, kind: ErrorKind) -> dict[str, Any]:
    """Creating a Writer must fail with kind."""
    name = ctx.buffer_name(buffer)
    return {"buffer": name, **expect_failure(kind, f"connecting to buffer '{name}'", lambda: Writer(name))}


@given(ROLE + r"sets write timeout to '(?P<ms>\d+)' ms")
def set_write_timeout(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Set the current writer's write timeout and the default for writers connected later."""
    ctx.write_timeout_ms = ms
    if ctx.writer is not None:
        ctx.writer.write_timeout = timedelta(milliseconds=ms)
    return {"writeTimeoutMs": ms}


@then(ROLE + r"should see the reader (?P<state>connected|disconnected)")
def see_reader(ctx: ScenarioContext, process: str, state: str) -> dict[str, Any]:
    """The current writer's is_reader_connected() is true / false."""
    writer = _current_writer(ctx)
    actual = expect_connection(ctx, writer.name, "reader", state, writer.is_reader_connected)
    return {"buffer": writer.name, "readerConnected": actual}


@when(ROLE + r"writes metadata with size '(?P<size>\d+)'")
def write_metadata(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """The current writer writes size bytes of the metadata pattern."""
    writer = _current_writer(ctx)
    writer.set_metadata(PATTERN.metadata(size))
    return {"buffer": writer.name, "size": size}


@then(ROLE + r"should fail to write metadata with size '(?P<size>\d+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_write_metadata(ctx: ScenarioContext, process: str, size: int, kind: ErrorKind) -> dict[str, Any]:
    """That metadata write must fail with kind."""
    writer = _current_writer(ctx)
    return {"buffer": writer.name, "size": size,
            **expect_failure(kind, f"writing {size} bytes of metadata to '{writer.name}'",
                             lambda: writer.set_metadata(PATTERN.metadata(size)))}


@when(ROLE + r"writes frame with size '(?P<size>\d+)'")
def write_frame(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """Write one pattern frame."""
    writer = _current_writer(ctx)
    sequence = write_pattern_frame(writer, size)
    return {"buffer": writer.name, "sequence": sequence, "size": size}


@when(ROLE + r"writes '(?P<count>\d+)' frames with size '(?P<size>\d+)'")
def write_frames(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Write count pattern frames."""
    writer = _current_writer(ctx)
    first = writer.next_sequence
    last = first - 1
    for _ in range(count):
        if ctx.cancel.is_set():
            raise InterruptedError("scenario cancelled by cleanup")
        last = write_pattern_frame(writer, size)
    return {"buffer": writer.name, "count": count, "firstSequence": first, "lastSequence": last,
            "size": size}


@then(ROLE + r"should fail to write frame with size '(?P<size>\d+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_write_frame(ctx: ScenarioContext, process: str, size: int, kind: ErrorKind) -> dict[str, Any]:
    """That frame write must fail with kind (after the write timeout where the kind needs one)."""
    writer = _current_writer(ctx)
    started = time.monotonic()
    data = expect_failure(kind, f"writing a {size}-byte frame to '{writer.name}'",
                          lambda: write_pattern_frame(writer, size))
    return {"buffer": writer.name, "size": size,
            "elapsedMs": round((time.monotonic() - started) * 1000), **data}


@when(ROLE + r"starts writing '(?P<count>\d+)' frames with size '(?P<size>\d+)' in the background")
def start_background_writes(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Start background work writing count pattern frames through the current writer; return at once."""
    writer = _current_writer(ctx)

    def work() -> int:
        written = 0
        for _ in range(count):
            if ctx.cancel.is_set():
                raise InterruptedError(f"cancelled after {written} of {count} frames")
            write_pattern_frame(writer, size)
            written += 1
        return written

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
        raise task.error  # reported with its own kind (e.g. BufferFull)
    return {"task": task.name, "count": task.result,
            "elapsedMs": round((time.monotonic() - started) * 1000)}
