"""The writer side of a benchmark (STEPS.md "Benchmarks"), run as background work of the step context.

Timed (as fast as it can for a duration), paced (at a rate for a duration; a late frame does not make the
next one early) or answering latency probes; each returns its own figures. A benchmark frame is a copy of a
prepared source with the CLOCK_MONOTONIC write-start nanoseconds in its first 8 bytes (little-endian); a
frame stamped 0 ends a timed or paced stream.
"""

from __future__ import annotations

import struct
import time
from typing import Callable

from zerobuffer import Frame, Writer
from zerobuffer._posix import NamedSemaphore

from ...steps.context import ScenarioContext
from ...steps.errors import StepAssertionError
from .bench_stats import CpuMeter, Metrics, now_ns, rate, round3

STAMP = struct.Struct("<q")
# The semaphore ping-pong baseline of a latency measurement: this many round trips at most (STEPS.md).
BASELINE_PING_PONGS = 1000
# How long a probe answerer waits for the next probe, and a benchmark reader for the next frame.
PROBE_TIMEOUT_SECONDS = 5.0
_PROBE_SLICE_SECONDS = 0.05
# Sleep while the next frame is further away than this; closer, yield-spin (a sleep overshoots).
_SPIN_BELOW_NS = 200_000


def check_size(size: int) -> None:
    if size < STAMP.size:
        raise StepAssertionError(f"benchmark frames carry an 8-byte timestamp: size {size} is too small")


def source(size: int) -> bytes:
    return bytes(i & 0xFF for i in range(min(size, 256))) * (size // 256) + bytes(range(size % 256))


def write_stamped(writer: Writer, data: bytes, stamp: int) -> None:
    frame = writer.get_frame_buffer(len(data))
    frame[:] = data
    STAMP.pack_into(frame, 0, stamp)
    writer.commit_frame()


def stamp_of(frame: Frame) -> int:
    return int(STAMP.unpack_from(frame.data, 0)[0])


def ping_name(buffer: str) -> str:
    """Without the leading '/' (NamedSemaphore adds it): /dev/shm/sem.bench-ping-<buffer>."""
    return "bench-ping-" + buffer


def pong_name(buffer: str) -> str:
    return "bench-pong-" + buffer


def _wait_until(ctx: ScenarioContext, deadline: int) -> None:
    while (remaining := deadline - now_ns()) > 0:
        ctx.check_cancelled()
        # sleep(0) while spinning gives the GIL away, so a reader thread of the same process keeps running.
        time.sleep((remaining - _SPIN_BELOW_NS) / 1e9 if remaining > _SPIN_BELOW_NS else 0)


def timed(ctx: ScenarioContext, writer: Writer, size: int, seconds: float) -> Callable[[], Metrics]:
    def body() -> Metrics:
        data = source(size)
        cpu = CpuMeter()
        end = now_ns() + int(seconds * 1e9)
        frames = 0
        while (now := now_ns()) < end:
            ctx.check_cancelled()
            write_stamped(writer, data, now)
            frames += 1
        write_stamped(writer, data, 0)
        metrics = rate(frames, size, cpu.elapsed_seconds)
        metrics["cpu_pct"] = round3(cpu.cpu_percent())
        return metrics
    return body


def paced(ctx: ScenarioContext, writer: Writer, size: int, rate_hz: int, seconds: float) -> Callable[[], Metrics]:
    def body() -> Metrics:
        data = source(size)
        cpu = CpuMeter()
        interval = 1_000_000_000 // max(rate_hz, 1)
        start = now_ns()
        end = start + int(seconds * 1e9)
        next_at = start
        frames = 0
        while next_at < end:
            ctx.check_cancelled()
            _wait_until(ctx, next_at)
            now = now_ns()
            write_stamped(writer, data, now)
            frames += 1
            next_at = max(next_at + interval, now)
        write_stamped(writer, data, 0)
        elapsed = cpu.elapsed_seconds
        metrics = rate(frames, size, elapsed)
        metrics["cpu_pct"] = round3(cpu.cpu_percent())
        metrics["target_hz"] = float(rate_hz)
        metrics["rate_hz"] = round3(frames / elapsed)
        return metrics
    return body


def probes(ctx: ScenarioContext, writer: Writer, count: int, size: int) -> Callable[[], Metrics]:
    """Creates the probe pair now (so the reader's step finds it); it is unlinked when the body ends. The first
    min(count, BASELINE_PING_PONGS) probes are answered with a pong (the reader's semaphore ping-pong baseline),
    the next count with a frame."""
    names = (ping_name(writer.name), pong_name(writer.name))
    ping = NamedSemaphore(names[0], create=True)
    try:
        pong = NamedSemaphore(names[1], create=True)
    except BaseException:
        ping.close()
        NamedSemaphore.unlink(names[0])
        raise

    def body() -> Metrics:
        try:
            data = source(size)
            cpu = CpuMeter()
            pongs = min(count, BASELINE_PING_PONGS)
            for i in range(pongs + count):
                give_up = now_ns() + int(PROBE_TIMEOUT_SECONDS * 1e9)
                while not ping.wait(_PROBE_SLICE_SECONDS):
                    ctx.check_cancelled()
                    if now_ns() >= give_up:
                        raise TimeoutError(f"no latency probe {i + 1} of {pongs + count} on '{names[0]}' within "
                                           f"{PROBE_TIMEOUT_SECONDS * 1000:.0f} ms")
                if i < pongs:
                    pong.post()
                else:
                    write_stamped(writer, data, now_ns())
            return {"frame_bytes": float(size), "frames": float(count), "seconds": round3(cpu.elapsed_seconds),
                    "cpu_pct": round3(cpu.cpu_percent())}
        finally:
            ping.close()
            pong.close()
            for name in names:
                NamedSemaphore.unlink(name)
    return body
