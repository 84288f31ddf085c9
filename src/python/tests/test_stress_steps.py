"""The stress phrases (feature 12): each passes on a healthy run and fails, naming what it saw, when a
descriptor or memory leaks, a frame breaks, the system never refuses, or a writer never meets the buffer."""

from __future__ import annotations

import os
from typing import Any, Callable

import pytest

from zerobuffer import diagnostics
from zerobuffer_serve.step_definitions import buffer_steps, stress_steps
from zerobuffer_serve.step_definitions.support.error_kinds import ErrorKind
from zerobuffer_serve.step_definitions.support.process_resources import ResourceSample
from zerobuffer_serve.step_definitions.support.zerobuffer_context import zb
from zerobuffer_serve.steps.context import ScenarioContext
from zerobuffer_serve.steps.errors import StepAssertionError, StepFailure


def _fails(step: Callable[[], Any], *fragments: str, error: type[Exception] = StepAssertionError) -> str:
    with pytest.raises(error) as caught:
        step()
    for fragment in fragments:
        assert fragment in str(caught.value)
    return str(caught.value)


def test_the_flat_rule_allows_two_mebibytes_or_fifteen_percent() -> None:
    assert ResourceSample(10_000, 5).allowed_growth_kib == 2048
    assert ResourceSample(100_000, 5).allowed_growth_kib == 15_000
    assert ResourceSample(100_000, 5).problems_at(ResourceSample(115_000, 5)) == []
    assert "RSS grew" in ResourceSample(100_000, 5).problems_at(ResourceSample(115_001, 5))[0]
    assert "from 5 to 4" in ResourceSample(100_000, 5).problems_at(ResourceSample(100_000, 4))[0]


def test_flat_passes_untouched_and_fails_on_a_leaked_descriptor(ctx: ScenarioContext) -> None:
    stress_steps.record_resources(ctx, "reader")
    data = stress_steps.resources_flat(ctx, "reader")
    assert data["metrics"]["fds_start"] == data["metrics"]["fds_end"]
    leaked = os.open("/dev/null", os.O_RDONLY)
    try:
        _fails(lambda: stress_steps.resources_flat(ctx, "reader"), "'reader' process did not stay flat",
               "open descriptors went from")
    finally:
        os.close(leaked)


def test_flat_fails_on_grown_memory(ctx: ScenarioContext) -> None:
    stress_steps.record_resources(ctx, "writer")
    grown = b"\x01" * (64 << 20)  # written pages: resident
    try:
        _fails(lambda: stress_steps.resources_flat(ctx, "writer"), "RSS grew")
    finally:
        del grown


def test_flat_needs_a_baseline_of_its_role(ctx: ScenarioContext) -> None:
    stress_steps.record_resources(ctx, "reader")
    _fails(lambda: stress_steps.resources_flat(ctx, "writer"), "'writer' process recorded no resource usage")


def test_a_continuous_run_reads_every_frame_in_order(ctx: ScenarioContext) -> None:
    buffer_steps.create_buffer(ctx, "reader", "run", 1024, 10240)
    buffer_steps.connect(ctx, "writer", "run")
    stress_steps.start_reading(ctx, "reader", 1024)
    stress_steps.start_writing(ctx, "writer", 1024)
    ctx.sleep(0.3)
    written = stress_steps.stop_writing(ctx, "writer")
    read = stress_steps.stop_reading(ctx, "reader")
    assert written["metrics"]["frames"] == read["metrics"]["frames"] > 0
    assert written["lastSequence"] == read["lastSequence"]


def test_a_broken_frame_fails_the_continuous_read(ctx: ScenarioContext) -> None:
    buffer_steps.create_buffer(ctx, "reader", "broken", 1024, 10240)
    buffer_steps.connect(ctx, "writer", "broken")
    writer = zb(ctx).current_writer()
    stress_steps.start_reading(ctx, "reader", 64)
    target = writer.get_frame_buffer(64)
    target[:] = bytes(64)  # sequence 1 wants byte i = (1 + i) & 0xFF
    writer.commit_frame()
    _fails(lambda: stress_steps.stop_reading(ctx, "reader"), "breaks the pattern",
           error=StepFailure)


def test_stopping_what_never_started_fails(ctx: ScenarioContext) -> None:
    _fails(lambda: stress_steps.stop_writing(ctx, "writer"), "no 'starts writing frames ... continuously' step")
    _fails(lambda: stress_steps.stop_connecting(ctx, "writer"), "no 'starts connecting to buffer")


def test_buffers_until_refused_end_in_a_clean_resource_exhausted(ctx: ScenarioContext) -> None:
    data = stress_steps.create_until_refused(ctx, "reader", "limit", ErrorKind("ResourceExhausted"), 20)
    assert 1 <= data["metrics"]["buffers"] <= 21  # at least one descriptor a buffer; the listing's own is counted
    assert data["errorType"] == "ResourceExhausted"
    assert diagnostics.object_files(data["buffer"])[0]["exists"] is False
    assert stress_steps.close_all_readers(ctx, "reader")["count"] == data["metrics"]["buffers"]
    assert diagnostics.objects_named_after(zb(ctx).buffer_name("limit-")) == []


def test_buffers_until_refused_fails_on_another_kind(ctx: ScenarioContext) -> None:
    _fails(lambda: stress_steps.create_until_refused(ctx, "reader", "other", ErrorKind("BufferFull"), 20),
           "fail with 'BufferFull', but it failed with 'ResourceExhausted'")


def test_connect_attempts_that_never_meet_a_buffer_fail(ctx: ScenarioContext) -> None:
    stress_steps.start_connecting(ctx, "writer", "nowhere")
    ctx.sleep(0.05)
    _fails(lambda: stress_steps.stop_connecting(ctx, "writer"), "never met the buffer in transition",
           "0 connections")


def test_connect_attempts_meet_a_cycling_buffer_cleanly(ctx: ScenarioContext) -> None:
    stress_steps.start_connecting(ctx, "writer", "cycles")
    cycled = stress_steps.create_and_destroy(ctx, "reader", "cycles", 100)
    data = stress_steps.stop_connecting(ctx, "writer")
    assert cycled["metrics"]["cycles"] == 100
    assert data["metrics"]["connects"] >= 1 and data["metrics"]["refused_BufferNotFound"] >= 1
    assert diagnostics.objects_named_after(zb(ctx).buffer_name("cycles")) == []
