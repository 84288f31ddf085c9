"""Stress (feature 12): a long write-read run, buffers until the system refuses one, a buffer created
and destroyed over and over under a connecting writer, and this process's memory and descriptors
staying flat through each."""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from zerobuffer import BufferConfig, Reader, Writer, ZeroBufferException, diagnostics

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.error_kinds import ErrorKind, background_failure
from .support.open_file_limit import lowered_open_file_limit
from .support.patterns import check_frame, write_pattern_frame
from .support.process_resources import sample
from .support.stress_context import Loop, stress
from .support.timing import Stopwatch
from .support.zerobuffer_context import zb

# The config of the buffers the limit and cycle steps create (STEPS.md).
SMALL_CONFIG = BufferConfig(1024, 10240)
# A loop asked to stop must end within this (longer than the default write timeout).
STOP_WITHIN_SECONDS = 10.0
# Each read waits this long, so a stop request is seen soon after an idle spell; once asked to stop, a
# read that finds no frame this long means the buffer is drained (the writer has stopped by then).
READ_SLICE_SECONDS = 0.1
DRAIN_WAIT_SECONDS = 0.5
# A created buffer is held this long, so a connecting writer can meet it; the writer pauses this long
# between attempts, probing every transition without starving the reader of CPU.
CYCLE_HOLD_SECONDS = 0.001
CONNECT_PAUSE_SECONDS = 0.001
# The kinds of a clean refusal while a buffer comes and goes (PROTOCOL.md §5): none yet, none any more
# or not finished (BufferNotFound); its reader is closing it (ReaderDead).
CLEAN_REFUSALS = ("BufferNotFound", "ReaderDead")


def _start_loop(ctx: ScenarioContext, kind: str, what: str, body: Callable[[Loop], None]) -> Loop:
    """Run body(loop) as background work of the scenario; the loop is registered for the joining step."""
    loop = Loop(what, threading.Event())
    loop.task = ctx.start_background(what, lambda: body(loop))
    stress(ctx).add(kind, loop)
    return loop


def _join(ctx: ScenarioContext, kind: str, step: str) -> Loop:
    """Ask the latest loop of kind to stop and join it; its error is reported with its own kind."""
    state = stress(ctx)
    loop = state.latest(kind, step)
    loop.stop.set()
    assert loop.task is not None
    if not loop.task.done.wait(STOP_WITHIN_SECONDS):
        raise StepAssertionError(f"the {loop.what} did not stop within {STOP_WITHIN_SECONDS:.0f} s of being asked")
    if loop.task.error is not None:
        raise background_failure(loop.task.error, f"the {loop.what} failed")
    state.forget(kind, loop)
    return loop


def _run_metrics(frames: int, seconds: float) -> dict[str, float]:
    return {"frames": frames, "duration_s": round(seconds, 3), "frames_per_s": round(frames / max(seconds, 1e-9), 1)}


def _files_left(name: str) -> list[str]:
    return [str(f["path"]) for f in diagnostics.object_files(name) if f["exists"]]


@when(ROLE + r"records its resource usage")
def record_resources(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """Sample VmRSS and open descriptors: the baseline of this role."""
    now = sample()
    stress(ctx).baselines[process] = now
    return {"metrics": {"rss_kib": now.rss_kib, "fds": now.fds}}


@then(ROLE + r"should have kept its resource usage flat")
def resources_flat(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """Same open descriptors as the baseline, RSS grown by at most the allowed growth."""
    start = stress(ctx).baseline(process)
    end = sample()
    problems = start.problems_at(end)
    if problems:
        raise StepAssertionError(f"the '{process}' process did not stay flat: {'; '.join(problems)}")
    return {"metrics": {"rss_start_kib": start.rss_kib, "rss_end_kib": end.rss_kib,
                        "rss_growth_kib": end.rss_kib - start.rss_kib,
                        "rss_allowed_growth_kib": start.allowed_growth_kib,
                        "fds_start": start.fds, "fds_end": end.fds}}


@when(ROLE + r"starts writing frames with size '(?P<size>\d+)' continuously in the background")
def start_writing(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """Write pattern frames through the current writer until asked to stop; returns at once."""
    writer = zb(ctx).current_writer()

    def body(loop: Loop) -> None:
        loop.tally.update(frames=0, last=0)
        while not loop.stop.is_set():
            ctx.check_cancelled()
            loop.tally["last"] = write_pattern_frame(writer, size)
            loop.tally["frames"] += 1
        loop.tally["seconds"] = time.monotonic() - loop.started

    _start_loop(ctx, "write", f"continuous write of {size} B frames to '{writer.name}'", body)
    return {"buffer": writer.name, "size": size}


@then(ROLE + r"stops writing continuously without error")
def stop_writing(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """Stop the continuous write after its current frame; it must have ended only because asked."""
    loop = _join(ctx, "write", "'starts writing frames ... continuously'")
    return {"lastSequence": loop.tally["last"], "metrics": _run_metrics(loop.tally["frames"], loop.tally["seconds"])}


@when(ROLE + r"starts reading frames with size '(?P<size>\d+)' continuously in the background")
def start_reading(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """Read pattern frames from the current reader, each in order and whole, until asked to stop;
    then drain: end at the first read that finds no frame within DRAIN_WAIT_SECONDS."""
    state = zb(ctx)
    reader = state.current_reader()

    def body(loop: Loop) -> None:
        loop.tally["frames"] = 0
        while True:
            ctx.check_cancelled()
            draining = loop.stop.is_set()
            frame = reader.read_frame(DRAIN_WAIT_SECONDS if draining else READ_SLICE_SECONDS)
            if frame is None:
                if draining:
                    break
                continue
            with frame:
                check_frame(frame, state.last_sequence(reader) + 1, size, reader.name)
                state.last_sequences[reader.name] = frame.sequence
            loop.tally["frames"] += 1
        loop.tally["seconds"] = time.monotonic() - loop.started

    _start_loop(ctx, "read", f"continuous read of {size} B frames from '{reader.name}'", body)
    return {"buffer": reader.name, "size": size}


@then(ROLE + r"stops reading continuously and should have read every written frame in order")
def stop_reading(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """Drain and join the continuous read: no error, at least one frame, and the OIEB's written and read
    counts equal (every frame and wrap marker written was consumed)."""
    state = zb(ctx)
    reader = state.current_reader()
    loop = _join(ctx, "read", "'starts reading frames ... continuously'")
    frames = loop.tally["frames"]
    if frames == 0:
        raise StepAssertionError(f"the continuous read of '{reader.name}' read no frame")
    oieb = diagnostics.inspect_buffer(reader.name)
    if oieb["payload_written_count"] != oieb["payload_read_count"]:
        raise StepAssertionError(f"buffer '{reader.name}': after {frames} frames the OIEB has written count "
                                 f"{oieb['payload_written_count']} but read count {oieb['payload_read_count']}")
    return {"buffer": reader.name, "lastSequence": state.last_sequence(reader),
            "metrics": _run_metrics(frames, loop.tally["seconds"])}


@when(ROLE + r"creates buffers '(?P<buffer>[^']+)' until one fails with '(?P<kind>[A-Za-z]+)' under an "
      r"open-file limit of '(?P<spare>\d+)' more descriptors")
def create_until_refused(ctx: ScenarioContext, process: str, buffer: str, kind: ErrorKind,
                         spare: int) -> dict[str, Any]:
    """Lower the soft open-file limit to spare above the descriptors open, create buffers <name>-1,
    <name>-2, ... until one is refused, restore the limit; the refusal must be kind and leave nothing."""
    state = zb(ctx)
    open_before = sample().fds
    created = 0
    refused = ""
    refusal: ZeroBufferException | None = None
    with lowered_open_file_limit(open_before + spare) as limit:
        # Every buffer holds at least one descriptor: no more than the limit can be made.
        for number in range(1, limit + 2):
            refused = state.buffer_name(f"{buffer}-{number}")
            try:
                reader = Reader(refused, SMALL_CONFIG)
            except ZeroBufferException as exc:
                refusal = exc
                break
            state.add_reader(process, refused, reader)
            created += 1
    if refusal is None:
        raise StepAssertionError(f"created {created} buffers '{state.buffer_name(buffer)}-<n>' under an open-file "
                                 f"limit of {limit} ({open_before} open before) and none was refused")
    if refusal.kind != kind.value:
        raise StepAssertionError(f"expected creating buffer '{refused}' under an open-file limit of {limit} to fail "
                                 f"with '{kind.value}', but it failed with '{refusal.kind}': {refusal}")
    # A refused create undoes what it did (PROTOCOL.md §5): no half-made buffer is left.
    left = _files_left(refused)
    if left:
        raise StepAssertionError(f"the refused buffer '{refused}' left {', '.join(left)}")
    return {"buffer": refused, "errorType": refusal.kind,
            "metrics": {"buffers": created, "fds_open_before": open_before, "fd_limit": open_before + spare}}


@when(ROLE + r"closes all its readers")
def close_all_readers(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """Close every reader of the scenario gracefully and forget them; the current buffer stays."""
    state = zb(ctx)
    with ctx.lock:
        readers = list(state.readers.values())
        state.readers.clear()
        state.reader_roles.clear()
        state.reader = None
    for reader in readers:
        reader.close()
    return {"count": len(readers)}


@when(ROLE + r"starts connecting to buffer '(?P<buffer>[^']+)' over and over in the background")
def start_connecting(ctx: ScenarioContext, process: str, buffer: str) -> dict[str, Any]:
    """Until asked to stop: connect a Writer (and close it at once) or count its refusal by kind;
    any other outcome is recorded as a failure naming the attempt."""
    name = zb(ctx).buffer_name(buffer)

    def body(loop: Loop) -> None:
        tally = loop.tally
        tally.update(attempts=0, connected=0, refused={k: 0 for k in CLEAN_REFUSALS}, failures=[])
        while not loop.stop.is_set():
            ctx.check_cancelled()
            tally["attempts"] += 1
            try:
                Writer(name).close()
                tally["connected"] += 1
            except Exception as exc:  # noqa: BLE001 - every outcome is counted or recorded
                kind = getattr(exc, "kind", type(exc).__name__)
                if kind in tally["refused"]:
                    tally["refused"][kind] += 1
                else:
                    tally["failures"].append(f"attempt {tally['attempts']}: {kind}: {exc}")
            ctx.sleep(CONNECT_PAUSE_SECONDS)

    _start_loop(ctx, "connect", f"connect attempts to '{name}'", body)
    return {"buffer": name}


@then(ROLE + r"stops connecting and should have seen only connections and clean refusals")
def stop_connecting(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """Join the connect attempts: no failure, at least one connection and one refusal."""
    loop = _join(ctx, "connect", "'starts connecting to buffer ... over and over'")
    tally = loop.tally
    refused = sum(tally["refused"].values())
    if tally["failures"]:
        raise StepAssertionError(f"{len(tally['failures'])} of {tally['attempts']} attempts ended otherwise than "
                                 f"connected, {' or '.join(CLEAN_REFUSALS)}: {'; '.join(tally['failures'][:5])}")
    if tally["connected"] == 0 or refused == 0:
        raise StepAssertionError(f"the writer never met the buffer in transition: {tally['connected']} connections "
                                 f"and {refused} refusals in {tally['attempts']} attempts "
                                 "(at least one of each expected)")
    metrics = {"attempts": tally["attempts"], "connects": tally["connected"],
               **{f"refused_{k}": v for k, v in tally["refused"].items()}}
    return {"metrics": metrics}


@when(ROLE + r"creates and destroys buffer '(?P<buffer>[^']+)' '(?P<cycles>\d+)' times")
def create_and_destroy(ctx: ScenarioContext, process: str, buffer: str, cycles: int) -> dict[str, Any]:
    """Create the buffer, hold it 1 ms, close it, cycles times; after each close none of its four
    objects may be left."""
    name = zb(ctx).buffer_name(buffer)
    watch = Stopwatch()
    started = time.monotonic()
    for cycle in range(1, cycles + 1):
        ctx.check_cancelled()
        with Reader(name, SMALL_CONFIG):
            time.sleep(CYCLE_HOLD_SECONDS)
        left = _files_left(name)
        if left:
            raise StepAssertionError(f"cycle {cycle} of {cycles}: closing buffer '{name}' left {', '.join(left)}")
    seconds = time.monotonic() - started
    return {"buffer": name, "cycles": cycles, "elapsedMs": watch.ms,
            "metrics": {"cycles": cycles, "cycles_per_s": round(cycles / max(seconds, 1e-9), 1)}}
