"""The background-read phrases in process (same-process mode): a read blocked while the writer
crashes ends with WriterDead only at its timeout, and every other ending fails the join."""

from __future__ import annotations

import time
from typing import Any, Callable

import pytest

from zerobuffer_serve.step_definitions import (background_reading_steps, buffer_steps, frame_writing_steps,
                                               platform_steps)
from zerobuffer_serve.step_definitions.support.error_kinds import ErrorKind
from zerobuffer_serve.steps.context import ScenarioContext
from zerobuffer_serve.steps.errors import StepAssertionError

WRITER_DEAD = ErrorKind["WriterDead"]


def _buffer(ctx: ScenarioContext) -> None:
    buffer_steps.create_buffer(ctx, "reader", "b", 1024, 10240)
    buffer_steps.connect(ctx, "writer", "b")


def _fails(step: Callable[[], Any], *fragments: str) -> None:
    with pytest.raises(StepAssertionError) as caught:
        step()
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_a_read_blocked_while_the_writer_crashes_stops_with_writer_dead_at_its_timeout(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    assert background_reading_steps.start_background_read(ctx, "reader", 300)["timeoutMs"] == 300
    time.sleep(0.1)
    ctx.simulate_crash("writer")
    data = background_reading_steps.stop_reading(ctx, "reader", WRITER_DEAD, 300, 5000)
    assert data["errorType"] == "WriterDead" and 300 <= data["elapsedMs"] <= 3300
    _fails(lambda: background_reading_steps.stop_reading(ctx, "reader", WRITER_DEAD, 300, 5000),
           "no background read")  # a joined read is forgotten


def test_the_join_fails_when_the_read_gets_a_frame_or_times_out_with_a_live_writer(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    background_reading_steps.start_background_read(ctx, "reader", 2000)
    frame_writing_steps.write_frame(ctx, "writer", 64)
    _fails(lambda: background_reading_steps.stop_reading(ctx, "reader", WRITER_DEAD, 300, 5000), "read frame 1 (64 B)")
    background_reading_steps.start_background_read(ctx, "reader", 300)
    _fails(lambda: background_reading_steps.stop_reading(ctx, "reader", WRITER_DEAD, 300, 5000),
           "timed out with no frame and no error")


def test_the_join_fails_when_writer_dead_comes_before_the_lower_bound(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    ctx.simulate_crash("writer")
    background_reading_steps.start_background_read(ctx, "reader", 100)
    _fails(lambda: background_reading_steps.stop_reading(ctx, "reader", WRITER_DEAD, 2000, 5000),
           "before 2000 ms: it did not wait")


def test_a_read_still_running_fails_the_join_and_keeps_the_reader_busy_until_cleanup(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    background_reading_steps.start_background_read(ctx, "reader", 1500)
    _fails(lambda: background_reading_steps.stop_reading(ctx, "reader", WRITER_DEAD, 0, 100), "still reading")
    _fails(lambda: background_reading_steps.start_background_read(ctx, "reader", 100), "busy with background")
    _fails(lambda: platform_steps.close_endpoint(ctx, "reader", "reader"), "busy with background")
    released = ctx.release()
    assert any(r.startswith("background:read-") for r in released)


def test_a_crashed_reader_waits_for_its_background_read_before_abandoning_the_reader(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    background_reading_steps.start_background_read(ctx, "reader", 300)
    abandoned = ctx.simulate_crash("reader")
    assert abandoned[0].startswith("background:read-") and abandoned[1].startswith("reader:")
    _fails(lambda: background_reading_steps.stop_reading(ctx, "reader", WRITER_DEAD, 0, 100), "no background read")
