"""The failure paths of the synchronization and data-integrity phrases (features 06 and 07): each one
must fail, naming what it saw, when what it asserts does not hold."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from zerobuffer import diagnostics
from zerobuffer_serve.step_definitions import (background_writing_steps, buffer_steps, frame_reading_steps,
                                               frame_writing_steps, integrity_steps, synchronization_steps)
from zerobuffer_serve.step_definitions.support.records import FIELD, field_value
from zerobuffer_serve.step_definitions.support.zerobuffer_context import zb
from zerobuffer_serve.steps.context import ScenarioContext
from zerobuffer_serve.steps.errors import StepAssertionError


def _buffer(ctx: ScenarioContext, payload: int = 10240) -> str:
    buffer_steps.create_buffer(ctx, "reader", "b", 1024, payload)
    buffer_steps.connect(ctx, "writer", "b")
    return zb(ctx).buffer_name("b")


def _fails(step: Callable[[], Any], *fragments: str) -> str:
    with pytest.raises(StepAssertionError) as caught:
        step()
    for fragment in fragments:
        assert fragment in str(caught.value)
    return str(caught.value)


def test_blocked_passes_while_full_and_fails_once_the_reader_frees_space(ctx: ScenarioContext) -> None:
    _buffer(ctx, payload=4096)
    background_writing_steps.start_background_writes(ctx, "writer", 6, 1000)  # four fit (4 x 1016)
    data = synchronization_steps.blocked_with_frames(ctx, "reader", 4, 100)
    assert data["written"] == 4 and data["blockedMs"] >= 100
    _fails(lambda: synchronization_steps.blocked_with_frames(ctx, "reader", 3, 50), "has written 4")
    frame_reading_steps.read_frames_in_order(ctx, "reader", 6, 1000)
    _fails(lambda: synchronization_steps.blocked_with_frames(ctx, "reader", 6, 50), "finished")


def test_blocked_fails_when_the_writer_never_gets_there(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    background_writing_steps.start_background_writes(ctx, "writer", 2, 100)
    _fails(lambda: synchronization_steps.blocked_with_frames(ctx, "reader", 3, 50), "finished")


def test_unread_frames_must_match_the_signals(ctx: ScenarioContext) -> None:
    name = _buffer(ctx)
    frame_writing_steps.write_frames(ctx, "writer", 2, 100)
    synchronization_steps.unread_frames_signalled(ctx, "reader", 2)
    _fails(lambda: synchronization_steps.unread_frames_signalled(ctx, "reader", 1), "counts 2 unread",
           "value is 2")
    diagnostics.post_semaphore(name, "written")  # a signal without a frame
    _fails(lambda: synchronization_steps.unread_frames_signalled(ctx, "reader", 2), "counts 2 unread", "value is 3")


def test_corrupting_needs_an_unread_frame_and_the_error_must_name_both(ctx: ScenarioContext) -> None:
    name = _buffer(ctx)
    _fails(lambda: integrity_steps.set_next_unread_sequence(ctx, "writer", 5), "all 0 written frames were read")
    frame_writing_steps.write_frames(ctx, "writer", 2, 100)
    frame_reading_steps.read_frame(ctx, "reader", 1, 100)
    data = integrity_steps.set_next_unread_sequence(ctx, "writer", 9)
    assert (data["offset"], data["previousSequence"]) == (116, 2)
    assert diagnostics.frame_header(name, 116) == (100, 9)
    _fails(lambda: integrity_steps.fail_with_sequence_error(ctx, "reader", 2, 5), "carries expected 2, got 9")


def test_sequence_error_step_fails_on_a_good_frame(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    frame_writing_steps.write_frame(ctx, "writer", 100)
    _fails(lambda: integrity_steps.fail_with_sequence_error(ctx, "reader", 1, 5), "it returned frame 1")


def test_corruption_lands_after_a_wrap_marker(ctx: ScenarioContext) -> None:
    name = _buffer(ctx, payload=4096)
    frame_writing_steps.write_frames(ctx, "writer", 2, 1500)  # 2 x 1516 = 3032; a third needs the wrap
    frame_reading_steps.read_frames_in_order(ctx, "reader", 2, 1500)
    frame_writing_steps.write_frame(ctx, "writer", 1500)  # marker at 3032, frame 3 at 0
    data = integrity_steps.set_next_unread_sequence(ctx, "writer", 7)
    assert (data["offset"], data["previousSequence"]) == (0, 3)
    assert diagnostics.frame_header(name, 0) == (1500, 7)
    integrity_steps.fail_with_sequence_error(ctx, "reader", 3, 7)


def test_records_catch_a_field_left_from_another_record(ctx: ScenarioContext) -> None:
    _buffer(ctx)
    integrity_steps.start_writing_records(ctx, "writer", 3, 4)
    background_writing_steps.finish_writing(ctx, "writer", 5000)
    integrity_steps.read_records(ctx, "reader", 1, 4)
    writer = zb(ctx).current_writer()
    target = writer.get_frame_buffer(4 * FIELD.size)  # record 4 with its field 2 from record 1
    for i in range(4):
        FIELD.pack_into(target, i * FIELD.size, field_value(1 if i == 2 else 4, i))
    writer.commit_frame()
    integrity_steps.read_records(ctx, "reader", 2, 4)
    _fails(lambda: integrity_steps.read_records(ctx, "reader", 1, 4), "record 4 is half-written: field 2 of 4")
