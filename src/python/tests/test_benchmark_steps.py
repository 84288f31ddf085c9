"""The benchmark phrases (features 09 and 15) and their figures: nearest-rank percentiles, rates, the
degradation detector, and the steps' failure paths with both roles in this process."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from zerobuffer_serve.step_definitions import benchmark_steps, buffer_steps, frame_writing_steps
from zerobuffer_serve.step_definitions.support.bench_stats import CpuMeter, latency, now_ns, percentile, rate
from zerobuffer_serve.step_definitions.support.degradation import DegradationDetector, utilization
from zerobuffer_serve.steps.context import ScenarioContext
from zerobuffer_serve.steps.errors import StepAssertionError


def _fails(step: Callable[[], Any], *fragments: str) -> None:
    with pytest.raises(StepAssertionError) as caught:
        step()
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize("p, expected", [(50, 50), (90, 90), (99, 99), (99.9, 100), (100, 100), (0.5, 1)])
def test_percentiles_are_nearest_rank(p: float, expected: float) -> None:
    assert percentile([float(i) for i in range(1, 101)], p) == expected


def test_a_percentile_of_nothing_or_out_of_range_is_refused() -> None:
    for samples, p in (([], 50.0), ([1.0], 0.0), ([1.0], 100.1)):
        with pytest.raises(ValueError):
            percentile(samples, p)


def test_latency_figures_are_microseconds_with_the_prefix_on_time_names_only() -> None:
    plain = latency([3000, 1000, 2000, 4000])
    assert (plain["iterations"], plain["min_us"], plain["max_us"], plain["mean_us"], plain["p50_us"],
            plain["p999_us"]) == (4, 1, 4, 2.5, 2, 4)
    prefixed = latency([1500], "roundtrip_")
    assert sorted(prefixed) == ["roundtrip_max_us", "roundtrip_mean_us", "roundtrip_min_us", "roundtrip_p50_us",
                                "roundtrip_p90_us", "roundtrip_p999_us", "roundtrip_p99_us"]
    assert prefixed["roundtrip_p50_us"] == 1.5


def test_rates_are_per_second_in_decimal_gigabytes() -> None:
    figures = rate(1000, 1_000_000, 2.0)
    assert (figures["frames_per_s"], figures["gb_per_s"], figures["frame_bytes"]) == (500, 0.5, 1_000_000)
    with pytest.raises(ValueError):
        rate(1, 1, 0)


def test_degradation_needs_a_whole_window_above_80_percent_and_recovery_a_whole_window_at_or_below() -> None:
    detector = DegradationDetector(window_ns=100)
    for at, used in ((0, 0.9), (50, 0.5), (60, 0.85), (150, 0.95)):  # the dip restarts the window
        detector.sample(at, used)
    assert detector.degraded_at is None
    detector.sample(160, 1.0)
    assert detector.degraded_at == 160
    for at, used in ((200, 0.8), (250, 0.81), (260, 0.1), (359, 0.1)):  # at 80 % counts as recovering
        detector.sample(at, used)
    assert detector.recovered_at is None
    detector.sample(360, 0.2)
    assert detector.recovered_at == 360 and detector.max_utilization == 1.0
    assert utilization(256, 1024) == 0.75


def test_process_cpu_time_advances_with_work() -> None:
    meter = CpuMeter()
    spin_until = now_ns() + 20_000_000
    while now_ns() < spin_until:
        pass
    assert meter.cpu_percent() > 0


def test_a_timed_stream_is_measured_by_both_roles_with_a_memcpy_baseline(ctx: ScenarioContext) -> None:
    buffer_steps.create_buffer(ctx, "reader", "bench", 1024, 1048576)
    buffer_steps.connect(ctx, "writer", "bench")
    benchmark_steps.start_timed_writing(ctx, "writer", 1024, 1)
    reader = benchmark_steps.measure_throughput(ctx, "reader", 1024)
    writer = benchmark_steps.finish_benchmark_writing(ctx, "writer", 10000)
    assert reader["measurement"] == "throughput" and reader["baselineName"] == "memcpy"
    assert reader["metrics"]["frames_per_s"] > 0 and reader["baseline"]["gb_per_s"] > 0
    assert writer["side"] == "writer" and writer["metrics"]["cpu_pct"] > 0
    benchmark_steps.measured_above(ctx, "reader", "frames_per_s", 0)
    _fails(lambda: benchmark_steps.measured_below(ctx, "reader", "frames_per_s", 1), "'frames_per_s' below 1")


def test_bounds_name_what_is_missing(ctx: ScenarioContext) -> None:
    _fails(lambda: benchmark_steps.measured_below(ctx, "reader", "p50_us", 1000), "has measured nothing")
    benchmark_steps.measure_barrier(ctx, "reader", 1000)
    _fails(lambda: benchmark_steps.measured_below(ctx, "reader", "p50_us", 1000), "no 'p50_us'", "ns_per_barrier")
    _fails(lambda: benchmark_steps.measured_below(ctx, "reader", "ns_per_barrier", 0), "measured")


def test_an_idle_reader_must_get_no_frame(ctx: ScenarioContext) -> None:
    buffer_steps.create_buffer(ctx, "reader", "idle", 1024, 10240)
    buffer_steps.connect(ctx, "writer", "idle")
    frame_writing_steps.write_frame(ctx, "writer", 64)
    _fails(lambda: benchmark_steps.idle_cpu(ctx, "reader", 100, 100), "frame 1 arrived")


def test_frames_too_small_for_the_stamp_are_refused(ctx: ScenarioContext) -> None:
    buffer_steps.create_buffer(ctx, "reader", "small", 1024, 10240)
    buffer_steps.connect(ctx, "writer", "small")
    _fails(lambda: benchmark_steps.start_timed_writing(ctx, "writer", 4, 1), "too small")


def test_latency_probes_give_percentiles_and_a_ping_pong_baseline(ctx: ScenarioContext) -> None:
    buffer_steps.create_buffer(ctx, "reader", "latency", 1024, 1048576)
    buffer_steps.connect(ctx, "writer", "latency")
    benchmark_steps.start_answering_probes(ctx, "writer", 200, 1024)
    data = benchmark_steps.measure_latency(ctx, "reader", 200, 1024)
    benchmark_steps.finish_benchmark_writing(ctx, "writer", 10000)
    metrics, baseline = data["metrics"], data["baseline"]
    assert metrics["iterations"] == 200 and baseline["iterations"] == 200 and data["baselineName"] == "sem-pingpong"
    assert 0 < metrics["min_us"] <= metrics["p50_us"] <= metrics["p99_us"] <= metrics["max_us"]
    assert metrics["roundtrip_p50_us"] > 0


def test_degradation_is_seen_and_recovery_follows(ctx: ScenarioContext) -> None:
    buffer_steps.create_buffer(ctx, "reader", "degrade", 1024, 65536)
    buffer_steps.connect(ctx, "writer", "degrade")
    benchmark_steps.start_paced_writing(ctx, "writer", 1024, 2000, 1)
    data = benchmark_steps.degrade_and_recover(ctx, "reader", 1024, 2, 50)
    benchmark_steps.finish_benchmark_writing(ctx, "writer", 10000)
    metrics = data["metrics"]
    assert metrics["max_utilization_pct"] > 80
    assert metrics["time_to_degrade_ms"] >= 50 and metrics["time_to_recover_ms"] >= 50
    assert data["utilization"] and all(len(point) == 2 for point in data["utilization"])
