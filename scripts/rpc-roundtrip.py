#!/usr/bin/env python3
"""Times request round trips to zerobuffer-serve workers over their stdin/stdout.

Each worker is started once and asked, one request at a time, for `health` and for the step
`the 'reader' process is ready` (a defined step that does no ZeroBuffer work). Requests to the
workers are interleaved in blocks (--block, default 1: one by one, as an orchestrator driving
several workers does), in a shuffled order each round, so a machine whose load changes during
the run affects them alike. Prints p50/p99 per worker and request, in microseconds.

    scripts/rpc-roundtrip.py -n 2000 \
        old='dotnet /work/wt/rpc-base/src/ZeroBuffer.Serve/bin/Release/net10.0/zerobuffer-serve.dll' \
        new='dotnet src/ZeroBuffer.Serve/bin/Release/net10.0/zerobuffer-serve.dll' \
        python='python3 -m zerobuffer_serve'
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

READY_STEP = "the 'reader' process is ready"
WARMUP = 200


@dataclass
class Worker:
    """One worker process and the round trips measured against it."""

    label: str
    process: subprocess.Popen[bytes]
    next_id: int = 0
    pending: bytes = b""
    samples: dict[str, list[float]] = field(default_factory=lambda: {"health": [], "ready": []})

    @classmethod
    def start(cls, label: str, command: str) -> Worker:
        process = subprocess.Popen(
            shlex.split(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "HARMONY_LOG_LEVEL": "warning"},
        )
        return cls(label, process)

    def call(self, method: str, params: dict[str, object] | None = None) -> dict[str, object]:
        self.next_id += 1
        message: dict[str, object] = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        body = json.dumps(message).encode()
        os.write(self.process.stdin.fileno(), b"Content-Length: %d\r\n\r\n" % len(body) + body)
        reply = json.loads(self._read_frame())
        if reply.get("id") != self.next_id or "result" not in reply:
            raise RuntimeError(f"{self.label}: unexpected reply to {method}: {reply}")
        return reply["result"]

    def step(self, text: str) -> dict[str, object]:
        return self.call("executeStep", {
            "process": "reader", "stepType": "given", "keyword": "Given", "step": text,
            "argument": None, "isBroadcast": False, "timeoutMs": 30000, "stepId": str(self.next_id),
        })

    def timed(self, kind: str) -> None:
        begin = time.perf_counter_ns()
        if kind == "health":
            self.call("health")
        else:
            result = self.step(READY_STEP)
            if not result.get("success"):
                raise RuntimeError(f"{self.label}: the ready step failed: {result.get('error')}")
        self.samples[kind].append((time.perf_counter_ns() - begin) / 1000)

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)

    def _read_frame(self) -> bytes:
        fd = self.process.stdout.fileno()
        while b"\r\n\r\n" not in self.pending:
            self._fill(fd)
        header, _, self.pending = self.pending.partition(b"\r\n\r\n")
        length = next(int(line.split(b":", 1)[1]) for line in header.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        while len(self.pending) < length:
            self._fill(fd)
        body, self.pending = self.pending[:length], self.pending[length:]
        return body

    def _fill(self, fd: int) -> None:
        chunk = os.read(fd, 65536)
        if not chunk:
            raise RuntimeError(f"{self.label}: the worker closed its stdout")
        self.pending += chunk


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=2000, help="timed requests per worker and kind (default 2000)")
    parser.add_argument("--block", type=int, default=1, help="requests in a row to one worker (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the interleaving order (default 1)")
    parser.add_argument("workers", nargs="+", metavar="LABEL=COMMAND")
    args = parser.parse_args()

    workers = [Worker.start(*spec.split("=", 1)) for spec in args.workers]
    try:
        for worker in workers:
            worker.call("initialize", {"role": "reader", "roles": ["reader"], "platform": "", "scenario": "bench",
                                       "feature": "bench", "runId": f"rtt{os.getpid()}", "mode": "separate-process"})
            for _ in range(WARMUP):
                worker.call("health")
                worker.step(READY_STEP)
        order = random.Random(args.seed)
        for start in range(0, args.n, args.block):
            for kind in ("health", "ready"):
                for worker in order.sample(workers, len(workers)):
                    for _ in range(min(args.block, args.n - start)):
                        worker.timed(kind)
    finally:
        for worker in workers:
            worker.stop()

    print(f"{'worker':<10} {'request':<8} {'n':>6} {'p50 us':>8} {'p99 us':>8} {'mean us':>8}")
    for worker in workers:
        for kind, values in worker.samples.items():
            print(f"{worker.label:<10} {kind:<8} {len(values):>6} {percentile(values, 0.50):>8.1f} "
                  f"{percentile(values, 0.99):>8.1f} {statistics.fmean(values):>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
