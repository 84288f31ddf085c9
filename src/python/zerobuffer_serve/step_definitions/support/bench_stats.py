"""The figures of the benchmark steps (STEPS.md "Benchmarks", WORKER-PROTOCOL.md "Measurements").

Metric names carry their unit; percentiles are nearest-rank, as in the C# and C++ workers. The clocks:
``time.monotonic_ns`` is ``clock_gettime(CLOCK_MONOTONIC)`` on Linux (system-wide, so a stamp written by a
writer of any language compares with this reader's clock), ``time.process_time_ns`` is
``CLOCK_PROCESS_CPUTIME_ID`` (every thread of the process, nanosecond resolution).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

Metrics = dict[str, float]

now_ns = time.monotonic_ns
process_cpu_ns = time.process_time_ns


class CpuMeter:
    """CPU % of this process (user + system, all threads) over the wall time since it was made."""

    def __init__(self) -> None:
        self._wall0 = now_ns()
        self._cpu0 = process_cpu_ns()

    @property
    def elapsed_seconds(self) -> float:
        return (now_ns() - self._wall0) / 1e9

    def cpu_percent(self) -> float:
        wall = now_ns() - self._wall0
        return 0.0 if wall <= 0 else 100.0 * (process_cpu_ns() - self._cpu0) / wall


def round3(value: float) -> float:
    """Three decimals: figures, not noise."""
    return round(value, 3)


def percentile(sorted_samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of sorted samples; p in (0, 100]."""
    if not sorted_samples:
        raise ValueError("no samples to take a percentile of")
    if not 0 < p <= 100:
        raise ValueError(f"a percentile is in (0, 100], not {p}")
    rank = math.ceil(p / 100.0 * len(sorted_samples))
    return sorted_samples[min(max(rank, 1), len(sorted_samples)) - 1]


def latency(nanoseconds: Sequence[int], prefix: str = "") -> Metrics:
    """iterations (without prefix only), min/max/mean/p50/p90/p99/p999 in microseconds, names prefixed."""
    if not nanoseconds:
        raise ValueError("no latency samples")
    micros = sorted(ns / 1000.0 for ns in nanoseconds)
    metrics: Metrics = {} if prefix else {"iterations": float(len(micros))}
    metrics[prefix + "min_us"] = round3(micros[0])
    metrics[prefix + "max_us"] = round3(micros[-1])
    metrics[prefix + "mean_us"] = round3(sum(micros) / len(micros))
    for name, p in (("p50_us", 50.0), ("p90_us", 90.0), ("p99_us", 99.0), ("p999_us", 99.9)):
        metrics[prefix + name] = round3(percentile(micros, p))
    return metrics


def rate(frames: int, frame_bytes: int, seconds: float) -> Metrics:
    """frame_bytes, frames, seconds, frames_per_s and gb_per_s (10^9 bytes) of frames over seconds."""
    if seconds <= 0:
        raise ValueError("a rate needs a positive interval")
    return {"frame_bytes": float(frame_bytes), "frames": float(frames), "seconds": round3(seconds),
            "frames_per_s": round3(frames / seconds), "gb_per_s": round3(frames * frame_bytes / seconds / 1e9)}
