"""The edges of the lifecycle, OIEB, stale-resource and race phrases (issue 17) and simulateCrash.

In-process tests call the step functions on one ScenarioContext (same-process mode); the crash tests
that need a real peer process drive workers over pipes.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Any, Callable

import pytest

from conftest import remove_run_objects, unique_name
from worker_client import WorkerClient
from zerobuffer import ReaderDeadException, WriterDeadException, diagnostics
from zerobuffer_serve.step_definitions import (background_writing_steps, buffer_steps, frame_reading_steps,
                                               frame_writing_steps, metadata_steps, oieb_steps, race_steps,
                                               stale_resources_steps)
from zerobuffer_serve.step_definitions.support.error_kinds import ErrorKind
from zerobuffer_serve.step_definitions.support.zerobuffer_context import zb
from zerobuffer_serve.steps.context import ScenarioContext
from zerobuffer_serve.steps.errors import StepAssertionError

LOAD_SLACK_MS = 3000


def _buffer(ctx: ScenarioContext, buffer: str = "b", payload: int = 10240) -> str:
    buffer_steps.create_buffer(ctx, "reader", buffer, 1024, payload)
    buffer_steps.connect(ctx, "writer", buffer)
    return zb(ctx).buffer_name(buffer)


def _fails(step: Callable[[], Any], *fragments: str) -> str:
    with pytest.raises(StepAssertionError) as caught:
        step()
    for fragment in fragments:
        assert fragment in str(caught.value)
    return str(caught.value)


# -- simulateCrash ------------------------------------------------------------------------------------

def test_crashed_reader_leaves_shm_semaphores_an_unheld_lock_and_a_dead_pid(ctx: ScenarioContext) -> None:
    name = _buffer(ctx)
    assert ctx.simulate_crash("reader") == [f"reader:{name}"]
    assert diagnostics.existing_objects(name) == {"shm": True, "sem-w": True, "sem-r": True, "lock": True}
    assert not diagnostics.lock_file_held(name)
    oieb = diagnostics.inspect_buffer(name)
    assert oieb["reader_pid"] not in (0, os.getpid()) and oieb["reader_alive"] is False
    assert oieb["writer_pid"] == os.getpid()  # the writer's role did not crash
    oieb_steps.dead_pid_recorded(ctx, "writer", "reader")
    assert zb(ctx).reader is None and zb(ctx).readers == {}
    # the forgotten reader is never disposed: cleanup releases the writer only, nothing is unlinked
    assert zb(ctx).release() == [f"writer:{name}"]
    assert diagnostics.existing_objects(name)["shm"]


def test_crash_of_an_unknown_role_abandons_nothing(ctx: ScenarioContext) -> None:
    name = _buffer(ctx)
    assert ctx.simulate_crash("reader-2") == []
    oieb = diagnostics.inspect_buffer(name)
    assert oieb["reader_pid"] == os.getpid() and oieb["writer_pid"] == os.getpid()


def test_crashed_writer_stops_its_background_work_first(ctx: ScenarioContext) -> None:
    name = _buffer(ctx, payload=4096)
    background_writing_steps.start_background_writes(ctx, "writer", 1000, 1024)
    background_writing_steps.still_writing(ctx, "writer", 200)  # blocked on the full ring
    abandoned = ctx.simulate_crash("writer")
    assert abandoned[-1] == f"writer:{name}" and abandoned[0].startswith("background:")
    assert ctx.background == [] and zb(ctx).writes == []
    data = frame_reading_steps.read_frames_in_order(ctx, "reader", 3, 1024)
    assert data["lastSequence"] == 3
    oieb_steps.dead_pid_recorded(ctx, "reader", "writer")


def test_simulate_crash_over_rpc() -> None:
    run = unique_name("run")
    worker = WorkerClient()
    try:
        worker.initialize(run, "reader", mode="same-process")
        assert worker.result("simulateCrash", {"role": "reader"}) == {"ok": True}  # nothing made yet
        worker.ok("the 'reader' process creates buffer 'crash' with metadata size '1024' and payload size '10240'")
        worker.ok("the 'writer' process connects to buffer 'crash'", process="writer")
        assert worker.result("simulateCrash", {"role": "writer"}) == {"ok": True}
        dead = worker.ok("the 'reader' process should see a dead writer pid recorded in the OIEB")
        assert dead["data"]["pid"] != worker.proc.pid
        failed = worker.ok("the 'reader' process should fail to read a frame with 'WriterDead' after waiting '300' ms")
        assert 300 <= failed["data"]["elapsedMs"] <= 300 + LOAD_SLACK_MS
        worker.ok("the 'reader' process should see the writer disconnected")
        assert worker.result("cleanup")["released"] == [f"reader:{run}-crash"]
        assert worker.call("simulateCrash", {})["error"]["code"] == -32602
    finally:
        worker.close()
        remove_run_objects(run)


# -- polling right after a real SIGKILL ------------------------------------------------------------------

def test_disconnected_is_seen_right_after_a_sigkill_of_the_peer() -> None:
    run = unique_name("run")
    reader, writer = WorkerClient(), WorkerClient()
    try:
        reader.initialize(run, "reader")
        writer.initialize(run, "writer")
        reader.ok("the 'reader' process creates buffer 'kill' with metadata size '1024' and payload size '10240'")
        writer.ok("the 'writer' process connects to buffer 'kill'", process="writer")
        writer.ok("the 'writer' process should see its pid recorded as the writer in the OIEB", process="writer")
        os.kill(writer.proc.pid, signal.SIGKILL)  # not reaped yet: a zombie, which counts as dead
        seen = reader.ok("the 'reader' process should see the writer disconnected")
        assert seen["data"]["writerConnected"] is False and 0 <= seen["data"]["elapsedMs"] <= 2000 + LOAD_SLACK_MS
        reader.ok("the 'reader' process should see a dead writer pid recorded in the OIEB")
    finally:
        writer.proc.wait(10)
        reader.close()
        remove_run_objects(run)


def test_connection_polling_fails_after_its_grace_naming_the_state(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    started = time.monotonic()
    _fails(lambda: buffer_steps.see_writer(ctx, "reader", "disconnected"), "expected the writer disconnected",
           "it is connected")
    assert time.monotonic() - started >= 2.0


# -- waiting before failing ------------------------------------------------------------------------------

def test_fail_after_waiting_fails_when_the_read_returns_early(ctx: ScenarioContext,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _buffer(ctx)
    reader = zb(ctx).current_reader()

    def dead_at_once(timeout: float) -> None:
        raise WriterDeadException("writer is dead")

    monkeypatch.setattr(reader, "read_frame", dead_at_once)
    _fails(lambda: frame_reading_steps.fail_to_read_after_waiting(ctx, "reader", ErrorKind["WriterDead"], 500),
           "only after waiting 500 ms")
    frame_reading_steps.fail_to_read(ctx, "reader", 500, ErrorKind["WriterDead"])  # no timing claim


def test_fail_after_waiting_passes_when_the_library_waits(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    ctx.simulate_crash("writer")
    data = frame_reading_steps.fail_to_read_after_waiting(ctx, "reader", ErrorKind["WriterDead"], 400)
    assert 400 <= data["elapsedMs"] <= 400 + LOAD_SLACK_MS and data["errorType"] == "WriterDead"


def test_fail_after_waiting_fails_when_no_error_comes(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    _fails(lambda: frame_reading_steps.fail_to_read_after_waiting(ctx, "reader", ErrorKind["WriterDead"], 100),
           "returned no frame")


def test_fail_after_write_timeout_fails_when_the_write_fails_early(ctx: ScenarioContext,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _buffer(ctx)
    buffer_steps.set_write_timeout(ctx, "writer", 600)
    writer = zb(ctx).current_writer()

    def dead_at_once(size: int) -> None:
        raise ReaderDeadException("reader is dead")

    monkeypatch.setattr(writer, "get_frame_buffer", dead_at_once)
    _fails(lambda: frame_writing_steps.fail_to_write_after_timeout(ctx, "writer", 1024, ErrorKind["ReaderDead"]),
           "only after the 600 ms write timeout")


def test_fail_after_write_timeout_passes_when_the_writer_waits(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    buffer_steps.set_write_timeout(ctx, "writer", 400)
    frame_writing_steps.write_frame(ctx, "writer", 10224)
    oieb_steps.free_payload_bytes(ctx, "writer", 0)
    ctx.simulate_crash("reader")
    data = frame_writing_steps.fail_to_write_after_timeout(ctx, "writer", 1024, ErrorKind["ReaderDead"])
    assert data["writeTimeoutMs"] == 400 and 400 <= data["elapsedMs"] <= 400 + LOAD_SLACK_MS


# -- background writing ----------------------------------------------------------------------------------

def test_stop_writing_fails_when_the_work_finished(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    background_writing_steps.start_background_writes(ctx, "writer", 2, 100)
    _fails(lambda: background_writing_steps.stop_writing(ctx, "writer", ErrorKind["ReaderDead"], 5000),
           "finished all 2 frames")


def test_stop_writing_with_reader_dead_after_the_reader_crashed(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    buffer_steps.set_write_timeout(ctx, "writer", 300)
    background_writing_steps.start_background_writes(ctx, "writer", 1_000_000, 1024)
    frame_reading_steps.read_frames_in_order(ctx, "reader", 5, 1024)
    ctx.simulate_crash("reader")
    data = background_writing_steps.stop_writing(ctx, "writer", ErrorKind["ReaderDead"], 5000)
    assert data["written"] >= 5 and data["errorType"] == "ReaderDead"
    _fails(lambda: background_writing_steps.finish_writing(ctx, "writer", 100), "no background writing")


def test_stop_writing_fails_on_another_kind(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    buffer_steps.set_write_timeout(ctx, "writer", 200)
    background_writing_steps.start_background_writes(ctx, "writer", 100, 1024)  # nobody reads
    _fails(lambda: background_writing_steps.stop_writing(ctx, "writer", ErrorKind["ReaderDead"], 5000),
           "stopped with 'BufferFull'")


# -- OIEB and semaphores -------------------------------------------------------------------------------

def test_signals_free_bytes_and_pids(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    oieb_steps.own_pid_recorded(ctx, "reader", "reader")
    oieb_steps.own_pid_recorded(ctx, "writer", "writer")
    frame_writing_steps.write_frames(ctx, "writer", 2, 1024)
    oieb_steps.signals_pending(ctx, "reader", 2, "frame")
    oieb_steps.signals_pending(ctx, "writer", 0, "space")
    oieb_steps.free_payload_bytes(ctx, "writer", 10240 - 2 * (16 + 1024))
    _fails(lambda: oieb_steps.free_payload_bytes(ctx, "writer", 10240), "payload_free_bytes is 8160")
    frame_reading_steps.read_frame(ctx, "reader", 1, 1024)
    oieb_steps.signals_pending(ctx, "writer", 1, "space")
    _fails(lambda: oieb_steps.signals_pending(ctx, "writer", 0, "space"), "1 space signals pending")
    _fails(lambda: oieb_steps.dead_pid_recorded(ctx, "reader", "writer"), "names a live process")
    _fails(lambda: oieb_steps.fresh_buffer(ctx, "reader", "b", 10240), "payload_read_count is 1")


def test_stale_resources_then_a_fresh_buffer(ctx: ScenarioContext) -> None:
    stale_resources_steps.leave_stale_resources(ctx, "reader", "stale", 10240)
    stale_resources_steps.see_stale_resources(ctx, "reader", "stale")
    oieb_steps.signals_pending(ctx, "reader", 3, "frame")
    _fails(lambda: oieb_steps.fresh_buffer(ctx, "reader", "stale", 10240), "3 frame signals pending")
    buffer_steps.create_buffer(ctx, "reader", "stale", 1024, 20480)
    oieb_steps.fresh_buffer(ctx, "reader", "stale", 20480)
    _fails(lambda: stale_resources_steps.see_stale_resources(ctx, "reader", "stale"), "the lock file is held",
           "is not a dead process")


def test_stale_resources_fail_when_missing(ctx: ScenarioContext) -> None:
    _fails(lambda: stale_resources_steps.see_stale_resources(ctx, "reader", "none"), "shm is missing",
           "lock is missing")


# -- races ---------------------------------------------------------------------------------------------

def test_race_start_is_a_shared_wall_clock_boundary() -> None:
    assert race_steps.next_start(10.00) == pytest.approx(10.1)
    assert race_steps.next_start(10.06) == pytest.approx(10.2)
    assert race_steps.next_start(10.049) == pytest.approx(10.1)


def test_two_racers_each_win_and_lose(ctx: ScenarioContext) -> None:
    race_steps.start_racing(ctx, "reader", "race", 100)
    race_steps.start_racing(ctx, "reader-2", "race", 100)
    data = race_steps.finish_racing(ctx, "reader", 20000)
    assert data["wins"] >= 1 and data["losses"] >= 1 and data["wins"] + data["losses"] == 200
    assert race_steps.finish_racing(ctx, "reader-2", 1000) == {**data, "elapsedMs": pytest.approx(0, abs=50)}


def test_a_race_nobody_loses_fails(ctx: ScenarioContext) -> None:
    race_steps.start_racing(ctx, "reader", "solo", 5)
    _fails(lambda: race_steps.finish_racing(ctx, "reader", 20000), "no real race: 5 wins and 0 losses")


def test_a_race_on_a_live_buffer_only_loses_and_fails(ctx: ScenarioContext) -> None:
    buffer_steps.create_buffer(ctx, "reader", "taken", 1024, 10240)
    race_steps.start_racing(ctx, "reader-2", "taken", 3)
    _fails(lambda: race_steps.finish_racing(ctx, "reader-2", 20000), "0 wins and 3 losses")


# -- conventions for existing phrases ------------------------------------------------------------------

def test_negative_sizes_reach_the_library(ctx: ScenarioContext) -> None:
    from zerobuffer import InvalidConfigException
    with pytest.raises(InvalidConfigException):
        buffer_steps.create_buffer(ctx, "reader", "neg", 1024, -1)
    with pytest.raises(InvalidConfigException):
        buffer_steps.create_buffer(ctx, "reader", "neg", -5, 1024)


def test_metadata_is_written_through_the_zero_copy_calls(ctx: ScenarioContext,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _buffer(ctx)
    writer = zb(ctx).current_writer()

    def copying(data: object) -> None:
        raise AssertionError("set_metadata copies; the step must use get_metadata_buffer/commit_metadata")

    monkeypatch.setattr(writer, "set_metadata", copying)
    assert metadata_steps.write_metadata(ctx, "writer", 100)["elapsedMs"] >= 0
    metadata_steps.have_metadata(ctx, "reader", 100)


def test_last_sequence_is_kept_per_reader(ctx: ScenarioContext) -> None:
    first = _buffer(ctx, "one")
    frame_writing_steps.write_frames(ctx, "writer", 3, 64)
    frame_reading_steps.read_frames_in_order(ctx, "reader", 3, 64)
    _buffer(ctx, "two")
    assert zb(ctx).last_sequences == {first: 3, zb(ctx).buffer_name("two"): 0}
    frame_writing_steps.write_frames(ctx, "writer", 2, 64)
    assert frame_reading_steps.read_frames_in_order(ctx, "reader", 2, 64)["firstSequence"] == 1
