"""Sections 9 and 15 (features 09 and 15, tagged @benchmark).

The writer role writes timed, paced or probed frames in the background, the reader role measures, and both
return figures in data.metrics (+ data.baseline measured in the same step) as STEPS.md "Benchmarks" and
BENCH-CONTRACT describe.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Optional

from zerobuffer import Frame, Reader, Writer, diagnostics
from zerobuffer._posix import NamedSemaphore

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support import bench_writer
from .support.bench_context import BenchWrite, bench_of
from .support.bench_stats import CpuMeter, Metrics, latency, now_ns, rate, round3
from .support.degradation import DegradationDetector, utilization
from .support.error_kinds import background_failure
from .support.zerobuffer_context import zb

_log = logging.getLogger(__name__)

READ_TIMEOUT_MS = 5000
# How long the memcpy baseline copies (a stable figure, short next to the measurement).
_MEMCPY_FOR_NS = 250_000_000
# The degradation step samples the OIEB at most this often at full speed (each sample maps the buffer anew).
_SAMPLE_EVERY_NS = 1_000_000
# The utilisation series keeps a point at this spacing.
_SERIES_EVERY_MS = 20.0


def _measured(ctx: ScenarioContext, role: str, measurement: str, side: str, metrics: Metrics,
              buffer: Optional[str] = None, baseline_name: Optional[str] = None,
              baseline: Optional[Metrics] = None) -> dict[str, Any]:
    bench_of(ctx).record(role, metrics)
    _log.info("%s (%s): %s", measurement, side, ", ".join(f"{k}={v}" for k, v in metrics.items()))
    data: dict[str, Any] = {"measurement": measurement, "side": side, "metrics": metrics}
    if buffer is not None:
        data["buffer"] = buffer
    if baseline_name is not None and baseline is not None:
        data["baselineName"] = baseline_name
        data["baseline"] = baseline
    return data


def _read(ctx: ScenarioContext, reader: Reader, size: int, what: str) -> Frame:
    frame = zb(ctx).read_frame(reader, READ_TIMEOUT_MS)
    if frame is None:
        raise StepAssertionError(f"no {what} arrived in '{reader.name}' within {READ_TIMEOUT_MS} ms")
    zb(ctx).last_sequences[reader.name] = frame.sequence
    if frame.size != size:
        frame.dispose()
        raise StepAssertionError(f"the {what} in '{reader.name}' has {frame.size} B, expected {size} B")
    return frame


def _memcpy_baseline(size: int) -> Metrics:
    src = bench_writer.source(size)
    dst = bytearray(size)
    view = memoryview(dst)
    view[:] = src  # touch every page before timing
    start = now_ns()
    copies = 0
    while True:
        view[:] = src
        copies += 1
        if (now := now_ns()) - start >= _MEMCPY_FOR_NS:
            break
    return rate(copies, size, (now - start) / 1e9)


def _read_timed(ctx: ScenarioContext, size: int) -> Metrics:
    """Reads until the end frame: frames, rate and this process's CPU % from the first frame to the end."""
    reader = zb(ctx).current_reader()
    frames = 0
    first = 0
    cpu: Optional[CpuMeter] = None
    while True:
        with _read(ctx, reader, size, f"timed frame {frames + 1}") as frame:
            if bench_writer.stamp_of(frame) == 0:
                break
        if frames == 0:
            first = now_ns()
            cpu = CpuMeter()
        frames += 1
    if frames < 2 or cpu is None:
        raise StepAssertionError(f"only {frames} timed frame(s) arrived in '{reader.name}' before the end of the "
                                 "stream: too few for a rate")
    # The first frame starts the clock, so frames - 1 were read over the interval.
    metrics = rate(frames - 1, size, (now_ns() - first) / 1e9)
    metrics["cpu_pct"] = round3(cpu.cpu_percent())
    return metrics


def _idle_writer(ctx: ScenarioContext) -> Writer:
    writer = zb(ctx).current_writer()
    if bench_of(ctx).busy(writer.name):
        raise StepAssertionError(f"the writer of '{writer.name}' is busy with benchmark writing; join it first "
                                 "('should finish the benchmark writing within ...')")
    return writer


def _start(ctx: ScenarioContext, name: str, measurement: str, writer: Writer, body: Any) -> None:
    task = ctx.start_background(name, body)
    bench_of(ctx).writes.append(BenchWrite(task, measurement, writer.name))
    _log.info("started %s", name)


@when(ROLE + r"starts writing frames of size '(?P<size>\d+)' for '(?P<seconds>\d+)' seconds in the background")
def start_timed_writing(ctx: ScenarioContext, process: str, size: int, seconds: int) -> dict[str, Any]:
    """Write benchmark frames as fast as possible for seconds, then the end frame; return at once."""
    bench_writer.check_size(size)
    writer = _idle_writer(ctx)
    _start(ctx, f"timed-{size}x{seconds}s-{writer.name}", "throughput", writer,
           bench_writer.timed(ctx, writer, size, seconds))
    return {"buffer": writer.name, "size": size, "seconds": seconds}


@when(ROLE + r"starts writing frames of size '(?P<size>\d+)' at '(?P<rate_hz>\d+)' frames per second for "
      r"'(?P<seconds>\d+)' seconds in the background")
def start_paced_writing(ctx: ScenarioContext, process: str, size: int, rate_hz: int, seconds: int) -> dict[str, Any]:
    """Write benchmark frames at rate_hz for seconds, then the end frame; return at once."""
    bench_writer.check_size(size)
    if rate_hz <= 0:
        raise StepAssertionError(f"a paced write needs a positive rate, not {rate_hz} frames per second")
    writer = _idle_writer(ctx)
    _start(ctx, f"paced-{size}@{rate_hz}x{seconds}s-{writer.name}", "semaphore-rate", writer,
           bench_writer.paced(ctx, writer, size, rate_hz, seconds))
    return {"buffer": writer.name, "size": size, "rate": rate_hz, "seconds": seconds}


@when(ROLE + r"starts answering '(?P<count>\d+)' latency probes with frames of size '(?P<size>\d+)' in the background")
def start_answering_probes(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Create the probe semaphore pair and answer 2 x count probes (pongs, then frames); return at once."""
    bench_writer.check_size(size)
    writer = _idle_writer(ctx)
    _start(ctx, f"probes-{count}x{size}-{writer.name}", "latency", writer,
           bench_writer.probes(ctx, writer, count, size))
    return {"buffer": writer.name, "count": count, "size": size}


@then(ROLE + r"should finish the benchmark writing within '(?P<ms>\d+)' ms")
def finish_benchmark_writing(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Join the benchmark writing started last within ms; report the writer's own figures."""
    state = bench_of(ctx)
    write = state.current()
    if not write.task.done.wait(ms / 1000.0):
        raise StepAssertionError(f"the benchmark writing {write.task.name} is still running after {ms} ms")
    write.task.thread.join()
    state.joined(write)
    if write.task.error is not None:
        raise background_failure(write.task.error, f"benchmark writing {write.task.name}")
    metrics: Metrics = write.task.result
    return _measured(ctx, process, write.measurement, "writer", metrics, write.buffer)


@then(ROLE + r"should read the timed frames of size '(?P<size>\d+)' measuring throughput")
def measure_throughput(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """Read to the end frame; frames/s, GB/s, CPU %; baseline: memcpy of the same size."""
    metrics = _read_timed(ctx, size)
    bench_of(ctx).last_throughput = metrics
    return _measured(ctx, process, "throughput", "reader", metrics, zb(ctx).current_reader().name, "memcpy",
                     _memcpy_baseline(size))


@then(ROLE + r"should read the timed frames of size '(?P<size>\d+)' measuring the wrap-around overhead against "
      r"the last throughput")
def measure_wrap_overhead(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """Throughput of this (small) ring against the last one this reader measured: overhead_pct."""
    large = bench_of(ctx).last_throughput
    if large is None or large["frame_bytes"] != size:
        raise StepAssertionError(f"no throughput of {size} B frames was measured by this reader before: the "
                                 "wrap-around overhead compares against it")
    reader = zb(ctx).current_reader()
    metrics = _read_timed(ctx, size)
    metrics["payload_bytes"] = float(reader.payload_size)
    metrics["overhead_pct"] = round3(100.0 * (1.0 - metrics["gb_per_s"] / large["gb_per_s"]))
    return _measured(ctx, process, "wrap-overhead", "reader", metrics, reader.name, "large-buffer",
                     {"gb_per_s": large["gb_per_s"], "frames_per_s": large["frames_per_s"]})


@then(ROLE + r"should measure the latency of '(?P<count>\d+)' frames of size '(?P<size>\d+)'")
def measure_latency(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Semaphore ping-pong baseline (min(count, 1000) round trips, half each), then count probes answered by frames:
    write start -> read complete (one way) and ping -> frame read (round trip)."""
    if count == 0:
        raise StepAssertionError("a latency measurement needs at least one iteration")
    reader = zb(ctx).current_reader()
    ping = NamedSemaphore(bench_writer.ping_name(reader.name), create=False)
    pong = NamedSemaphore(bench_writer.pong_name(reader.name), create=False)
    try:
        baseline: list[int] = []
        pongs = min(count, bench_writer.BASELINE_PING_PONGS)
        for i in range(pongs):
            t0 = now_ns()
            ping.post()
            if not pong.wait(READ_TIMEOUT_MS / 1000.0):
                raise StepAssertionError(f"the writer did not answer ping {i + 1} of {pongs} on '{pong.name}' "
                                         f"within {READ_TIMEOUT_MS} ms")
            baseline.append((now_ns() - t0) // 2)
        one_way: list[int] = []
        round_trip: list[int] = []
        for i in range(count):
            t0 = now_ns()
            ping.post()
            with _read(ctx, reader, size, f"probe {i + 1} of {count}") as frame:
                t1 = now_ns()
                one_way.append(t1 - bench_writer.stamp_of(frame))
            round_trip.append(t1 - t0)
    finally:
        ping.close()
        pong.close()
    metrics = latency(one_way)
    metrics.update(latency(round_trip, "roundtrip_"))
    metrics["frame_bytes"] = float(size)
    pingpong = latency(baseline)
    pingpong["frame_bytes"] = float(size)
    return _measured(ctx, process, "latency", "reader", metrics, reader.name, "sem-pingpong", pingpong)


@then(ROLE + r"should read the paced frames of size '(?P<size>\d+)' measuring the signalling cost")
def measure_signalling(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """Read paced frames to the end frame: achieved rate, this process's CPU %, frame latency."""
    reader = zb(ctx).current_reader()
    latencies: list[int] = []
    cpu: Optional[CpuMeter] = None
    first = last = 0
    while True:
        with _read(ctx, reader, size, f"paced frame {len(latencies) + 1}") as frame:
            now = now_ns()
            stamp = bench_writer.stamp_of(frame)
        if stamp == 0:
            break
        if cpu is None:
            cpu = CpuMeter()
            first = now
        last = now
        latencies.append(now - stamp)
    if len(latencies) < 2 or cpu is None:
        raise StepAssertionError(f"only {len(latencies)} paced frame(s) arrived before the end of the stream: a "
                                 "rate needs at least two (write for longer)")
    stats = latency(latencies)
    metrics: Metrics = {"frame_bytes": float(size), "frames": float(len(latencies)),
                        "rate_hz": round3((len(latencies) - 1) / ((last - first) / 1e9)),
                        "cpu_pct": round3(cpu.cpu_percent()), "p50_us": stats["p50_us"], "p99_us": stats["p99_us"],
                        "max_us": stats["max_us"]}
    return _measured(ctx, process, "semaphore-rate", "reader", metrics, reader.name)


@then(ROLE + r"should use less than '(?P<percent>\d+)' percent CPU waiting '(?P<ms>\d+)' ms for a frame")
def idle_cpu(ctx: ScenarioContext, process: str, percent: int, ms: int) -> dict[str, Any]:
    """Wait ms for a frame that does not come; this process's CPU % over the wait must stay below percent."""
    reader = zb(ctx).current_reader()
    cpu = CpuMeter()
    thread_cpu0 = time.thread_time_ns()
    frame = zb(ctx).read_frame(reader, ms)
    if frame is not None:
        zb(ctx).last_sequences[reader.name] = frame.sequence
        frame.dispose()
        raise StepAssertionError(f"expected '{reader.name}' to stay idle for {ms} ms, but frame {frame.sequence} arrived")
    # The waiting thread's share is the claim (the library's spin before it sleeps); the process's share also
    # holds the interpreter's other threads and is reported beside it.
    waiting = 100.0 * (time.thread_time_ns() - thread_cpu0) / (cpu.elapsed_seconds * 1e9)
    used = cpu.cpu_percent()
    data = _measured(ctx, process, "idle-cpu", "reader", {"cpu_pct": round3(used), "thread_cpu_pct": round3(waiting),
                                                          "seconds": round3(cpu.elapsed_seconds)}, reader.name)
    if waiting >= percent:
        raise StepAssertionError(f"the reader of '{reader.name}' used {waiting:.3f} % CPU of its thread while it "
                                 f"waited {ms} ms for a frame (the process {used:.3f} %); expected less than {percent} %")
    return data


@then(ROLE + r"should measure the cost of a memory barrier over '(?P<operations>\d+)' operations")
def measure_barrier(ctx: ScenarioContext, process: str, operations: int) -> dict[str, Any]:
    """Python has no fence of its own; its library relies on the semaphores' full barriers (_mapping.py). So a
    "barrier" here is one sem_post or sem_trywait (each an atomic read-modify-write in glibc) through ctypes,
    timed in post + trywait pairs; the baseline is the same loop storing and loading a cell without them."""
    if operations == 0:
        raise StepAssertionError("a barrier measurement needs at least one operation")
    name = f"bench-barrier-{ctx.run_id or 'local'}-{id(ctx)}"
    sem = NamedSemaphore(name, create=True)
    NamedSemaphore.unlink(name)  # private to this step: gone when closed
    cell = [0]
    try:
        pairs = max(operations // 2, 1)
        start = now_ns()
        for i in range(pairs):
            cell[0] = i
            sem.post()
            sem.wait(0)
            if cell[0] != i:
                raise StepAssertionError(f"the barrier loop read another value than it stored at operation {i}")
        with_barrier = (now_ns() - start) / (2 * pairs)
    finally:
        sem.close()
    start = now_ns()
    for i in range(operations):
        cell[0] = i
        if cell[0] != i:
            raise StepAssertionError(f"the baseline loop read another value than it stored at operation {i}")
    without = (now_ns() - start) / operations
    return _measured(ctx, process, "barrier", "reader",
                     {"operations": float(operations), "ns_per_barrier": round3(with_barrier)}, None,
                     "no-barrier", {"operations": float(operations), "ns_per_op": round3(without)})


@then(ROLE + r"should see the buffer degrade and recover reading frames of size '(?P<size>\d+)' with "
      r"'(?P<delay_ms>\d+)' ms delay over a '(?P<window_ms>\d+)' ms window")
def degrade_and_recover(ctx: ScenarioContext, process: str, size: int, delay_ms: int, window_ms: int) -> dict[str, Any]:
    """Read slowly until degraded (STEPS.md "Degradation"), then at full speed until recovered, then to the end."""
    reader = zb(ctx).current_reader()
    detector = DegradationDetector(window_ms * 1_000_000)
    series: list[list[float]] = []
    start = last_sample = frames = 0
    while True:
        with _read(ctx, reader, size, f"frame {frames + 1}") as frame:
            stamp = bench_writer.stamp_of(frame)
        if stamp == 0:
            break
        frames += 1
        start = start or stamp
        now = now_ns()
        slow = detector.degraded_at is None
        if slow or now - last_sample >= _SAMPLE_EVERY_NS:
            oieb = diagnostics.inspect_buffer(reader.name)
            free, payload = oieb["payload_free_bytes"], oieb["payload_size"]
            assert isinstance(free, int) and isinstance(payload, int)
            used = utilization(free, payload)
            detector.sample(now, used)
            at_ms = (now - start) / 1e6
            if not series or at_ms - series[-1][0] >= _SERIES_EVERY_MS:
                series.append([round3(at_ms), round3(100.0 * used)])
            last_sample = now
        if slow and detector.degraded_at is None:
            ctx.sleep(delay_ms / 1000.0)
    if detector.degraded_at is None:
        raise StepAssertionError(f"'{reader.name}' never degraded: its utilisation peaked at "
                                 f"{100 * detector.max_utilization:.1f} % over {frames} frames (degraded = above 80 % "
                                 f"for {window_ms} ms)")
    if detector.recovered_at is None:
        raise StepAssertionError(f"'{reader.name}' degraded but did not recover before the writer stopped (recovered "
                                 f"= at or below 80 % for {window_ms} ms)")
    metrics: Metrics = {"frame_bytes": float(size), "frames": float(frames), "window_ms": float(window_ms),
                        "time_to_degrade_ms": round3((detector.degraded_at - start) / 1e6),
                        "time_to_recover_ms": round3((detector.recovered_at - detector.degraded_at) / 1e6),
                        "max_utilization_pct": round3(100.0 * detector.max_utilization)}
    data = _measured(ctx, process, "degradation", "reader", metrics, reader.name)
    data["utilization"] = series
    return data


def _check_bound(ctx: ScenarioContext, process: str, metric: str, bound: int, below: bool) -> dict[str, Any]:
    metrics = bench_of(ctx).last_metrics(process)
    if metric not in metrics:
        raise StepAssertionError(f"the last measurement of the '{process}' process has no '{metric}' (it has "
                                 f"{', '.join(metrics)})")
    value = metrics[metric]
    if (value >= bound) if below else (value <= bound):
        raise StepAssertionError(f"expected '{metric}' {'below' if below else 'above'} {bound}, but the '{process}' "
                                 f"process measured {value}")
    return {"metric": metric, "value": value, "bound": bound}


@then(ROLE + r"should have measured '(?P<metric>[A-Za-z0-9_]+)' below '(?P<bound>\d+)'")
def measured_below(ctx: ScenarioContext, process: str, metric: str, bound: int) -> dict[str, Any]:
    """The named metric of this role's last measurement is below bound."""
    return _check_bound(ctx, process, metric, bound, below=True)


@then(ROLE + r"should have measured '(?P<metric>[A-Za-z0-9_]+)' above '(?P<bound>\d+)'")
def measured_above(ctx: ScenarioContext, process: str, metric: str, bound: int) -> dict[str, Any]:
    """The named metric of this role's last measurement is above bound."""
    return _check_bound(ctx, process, metric, bound, below=False)
