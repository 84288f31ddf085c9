"""``zerobuffer bench``: throughput (1 KiB / 64 KiB / 1 MiB) and 64-byte round-trip latency.

Writer and reader always run in separate processes (the writer is this tool's ``write`` command, the
echo peer a hidden helper command). Each figure comes with a same-run baseline so results are
comparable across machines: a memcpy (memoryview slice assignment) of the same frame size for
throughput, a two-process POSIX-semaphore ping-pong for the round trip. ``ratio`` is "times better
than the baseline" (value / baseline for throughput, baseline / value for latency), as in C#. ``--json FILE`` writes the records in the shape of the
C# tool: ``{"measure","frameBytes","value","unit","baseline","baselineValue","ratio"}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import IO, Any, Optional, cast

from ._posix import NamedSemaphore
from .config import BufferConfig
from .reader import Reader
from .writer import Writer

_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_KIB = 1024
_MIB = 1024 * 1024


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = _PACKAGE_ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "zerobuffer", *args], env=_child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _finish(proc: subprocess.Popen[bytes], what: str) -> None:
    try:
        _out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise RuntimeError(f"bench {what}: helper process did not finish") from None
    if proc.returncode != 0:
        raise RuntimeError(f"bench {what}: helper failed ({proc.returncode}): {err.decode().strip()}")


def _await_ready(proc: subprocess.Popen[bytes], what: str) -> None:
    line = cast(IO[bytes], proc.stdout).readline()
    if line.strip() != b"READY":
        _finish(proc, what)
        raise RuntimeError(f"bench {what}: helper did not report READY")


def measure_throughput(frame_bytes: int, count: int) -> float:
    """Frames per second from a writer process to this reader process (timed from the first frame)."""
    name = f"zbpy-bench-{os.getpid()}-{frame_bytes}"
    payload = max(8 * _MIB, 8 * frame_bytes)
    with Reader(name, BufferConfig(0, payload)) as reader:
        proc = _spawn("write", name, "--count", str(count), "--size", str(frame_bytes),
                      "--timeout-ms", "20000")
        try:
            first = reader.read_frame(20.0)
            if first is None:
                raise RuntimeError(f"bench throughput {frame_bytes}: no frame from the writer")
            started = time.perf_counter()
            first.dispose()
            for _ in range(count - 1):
                frame = reader.read_frame(20.0)
                if frame is None:
                    raise RuntimeError(f"bench throughput {frame_bytes}: writer stalled")
                frame.dispose()
            elapsed = time.perf_counter() - started
        finally:
            _finish(proc, f"throughput {frame_bytes}")
    return (count - 1) / elapsed if elapsed > 0 else float("inf")


def measure_copy_baseline(frame_bytes: int, count: int) -> float:
    """Frames per second of copying frame_bytes into a memoryview in this process."""
    ring = memoryview(bytearray(max(8 * _MIB, 8 * frame_bytes)))
    source = bytes(frame_bytes)
    slots = len(ring) // frame_bytes
    started = time.perf_counter()
    for index in range(count):
        offset = (index % slots) * frame_bytes
        ring[offset: offset + frame_bytes] = source
    elapsed = time.perf_counter() - started
    return count / elapsed if elapsed > 0 else float("inf")


def measure_roundtrip(count: int, warmup: int) -> list[float]:
    """Round-trip times (µs) of 64-byte frames through two buffers and an echo process."""
    request, response = f"zbpy-bench-{os.getpid()}-req", f"zbpy-bench-{os.getpid()}-resp"
    with Reader(response, BufferConfig(0, 1 * _MIB)) as reader:
        proc = _spawn("_bench-echo", request, response, "--count", str(count + warmup))
        try:
            _await_ready(proc, "roundtrip")
            samples = []
            payload = bytes(64)
            with Writer(request) as writer:
                for index in range(count + warmup):
                    started = time.perf_counter()
                    writer.write_frame(payload)
                    frame = reader.read_frame(10.0)
                    if frame is None:
                        raise RuntimeError("bench roundtrip: no echo")
                    frame.dispose()
                    if index >= warmup:
                        samples.append((time.perf_counter() - started) * 1e6)
        finally:
            _finish(proc, "roundtrip")
    return samples


def measure_pingpong(count: int, warmup: int) -> list[float]:
    """Round-trip times (µs) of a bare two-process semaphore ping-pong."""
    ping, pong = f"zbpy-bench-{os.getpid()}-ping", f"zbpy-bench-{os.getpid()}-pong"
    sem_ping = NamedSemaphore(ping, create=True)
    sem_pong = NamedSemaphore(pong, create=True)
    try:
        proc = _spawn("_bench-pingpong", ping, pong, "--count", str(count + warmup))
        try:
            _await_ready(proc, "pingpong")
            samples = []
            for index in range(count + warmup):
                started = time.perf_counter()
                sem_ping.post()
                if not sem_pong.wait(10.0, poll=False):  # the bare wake-up: no poll
                    raise RuntimeError("bench pingpong: no answer")
                if index >= warmup:
                    samples.append((time.perf_counter() - started) * 1e6)
        finally:
            _finish(proc, "pingpong")
    finally:
        for sem in (sem_ping, sem_pong):
            sem.close()
            NamedSemaphore.unlink(sem.name)
    return samples


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run_bench(quick: bool, json_path: Optional[str]) -> list[dict[str, Any]]:
    """Run every measurement, print a table, optionally write the JSON records."""
    plans = ((1 * _KIB, 20_000 if quick else 200_000), (64 * _KIB, 4_000 if quick else 40_000),
             (1 * _MIB, 300 if quick else 3_000))
    records: list[dict[str, Any]] = []
    for frame_bytes, count in plans:
        fps = measure_throughput(frame_bytes, count)
        base_fps = measure_copy_baseline(frame_bytes, count)
        gbps, base_gbps = fps * frame_bytes / 1e9, base_fps * frame_bytes / 1e9
        for value, base, unit in ((fps, base_fps, "frames/s"), (gbps, base_gbps, "GB/s")):
            records.append({"measure": "throughput", "frameBytes": frame_bytes, "value": round(value, 4),
                            "unit": unit, "baseline": "memcpy", "baselineValue": round(base, 4),
                            "ratio": round(value / base, 4) if base else 0.0})
        sys.stdout.write(f"throughput {frame_bytes:>8} B: {fps:12.0f} frames/s {gbps:8.3f} GB/s"
                         f"   (memcpy {base_gbps:.3f} GB/s)\n")
    rt_count, warmup = (2_000, 200) if quick else (20_000, 1_000)
    rt = measure_roundtrip(rt_count, warmup)
    pp = measure_pingpong(rt_count, warmup)
    for label, fraction in (("p50", 0.50), ("p99", 0.99), ("p99.9", 0.999)):
        value, base = _percentile(rt, fraction), _percentile(pp, fraction)
        # As in the C# tool, ratio is "times better than the baseline": baseline / value for latency.
        records.append({"measure": "roundtrip", "frameBytes": 64, "value": round(value, 3),
                        "unit": f"us {label}", "baseline": "sem-pingpong",
                        "baselineValue": round(base, 3), "ratio": round(base / value, 4) if value else 0.0})
        sys.stdout.write(f"roundtrip 64 B {label}: {value:9.1f} us   (semaphore ping-pong {base:.1f} us)\n")
    sys.stdout.write(f"roundtrip 64 B mean: {statistics.fmean(rt):9.1f} us over {len(rt)} samples\n")
    sys.stdout.flush()
    if json_path:
        with open(json_path, "w", encoding="utf-8") as out:
            json.dump(records, out, indent=2)
            out.write("\n")
    return records


# -- helper processes (hidden sub-commands) -------------------------------------------------------

def _cmd_echo(args: argparse.Namespace) -> None:
    with Reader(args.request, BufferConfig(0, 1 * _MIB)) as reader, Writer(args.response) as writer:
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        for _ in range(args.count):
            frame = reader.read_frame(10.0)
            if frame is None:
                raise RuntimeError("echo: no request within 10 s")
            with frame:
                writer.write_frame(frame.data)


def _cmd_pingpong(args: argparse.Namespace) -> None:
    ping = NamedSemaphore(args.ping, create=False)
    pong = NamedSemaphore(args.pong, create=False)
    try:
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        for _ in range(args.count):
            if not ping.wait(10.0, poll=False):
                raise RuntimeError("pingpong: no ping within 10 s")
            pong.post()
    finally:
        ping.close()
        pong.close()


def add_helper_commands(sub: Any) -> None:
    """Register the hidden helper commands the benchmark spawns."""
    echo = sub.add_parser("_bench-echo", help=argparse.SUPPRESS)
    echo.add_argument("request")
    echo.add_argument("response")
    echo.add_argument("--count", type=int, required=True)
    echo.set_defaults(func=_cmd_echo)
    pingpong = sub.add_parser("_bench-pingpong", help=argparse.SUPPRESS)
    pingpong.add_argument("ping")
    pingpong.add_argument("pong")
    pingpong.add_argument("--count", type=int, required=True)
    pingpong.set_defaults(func=_cmd_pingpong)
