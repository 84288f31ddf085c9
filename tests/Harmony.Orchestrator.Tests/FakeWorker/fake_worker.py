#!/usr/bin/env python3
"""A scripted stand-in for zerobuffer-serve, for the orchestrator's integration tests.

Speaks the worker protocol (Content-Length framed JSON-RPC on stdin/stdout). Behaviour is chosen by
step text (see STEPS below) and by environment variables:
  FAKE_WORKER_LOG          append one JSON line per event (start, request, exit) to this file
  FAKE_WORKER_PLATFORM     platform reported by health (default "fake")
  FAKE_WORKER_START_DELAY_MS  sleep this long before reading stdin (a slow start)
  FAKE_WORKER_DEBUGGER_DELAY_MS  with --wait-for-debugger: sleep this long first (until "a debugger attaches")
  FAKE_WORKER_BENCH_SCALE  multiplies what "benchmarks" steps measure (a slower or faster build; default 1)
  FAKE_WORKER_MODE         normal | no-health (never answers health) | garbage (write junk to stdout
                           before every reply) | fail-cleanup (cleanup answers a JSON-RPC error) |
                           fail-crash (simulateCrash answers a JSON-RPC error) | refuse-crash (it answers ok=false) |
                           no-crash (simulateCrash is not implemented)
"""
from __future__ import annotations

import json
import os
import re
import sys
import time
from typing import Any, Callable, Optional

_out = sys.stdout.buffer
_in = sys.stdin.buffer
_log_path = os.environ.get("FAKE_WORKER_LOG")
_mode = os.environ.get("FAKE_WORKER_MODE", "normal")
_platform = os.environ.get("FAKE_WORKER_PLATFORM", "fake")
_state: dict[str, Any] = {"runId": None, "role": None}


def record(event: str, **fields: Any) -> None:
    if _log_path:
        with open(_log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"pid": os.getpid(), "event": event, **fields}) + "\n")


def log(message: str) -> None:
    sys.stderr.write(f"fake[{os.getpid()}] {message}\n")
    sys.stderr.flush()


def read_message() -> Optional[dict[str, Any]]:
    length = None
    while True:
        line = _in.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None:
        return None
    return json.loads(_in.read(length).decode("utf-8"))


def send(message: dict[str, Any]) -> None:
    if _mode == "garbage":
        _out.write(b"this is not a frame\r\n\r\n")
    body = json.dumps(message).encode("utf-8")
    _out.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    _out.flush()


def log_entry(message: str) -> dict[str, Any]:
    """A step log entry stamped now (ms precision); like the real workers, it goes to stderr too."""
    now = time.time()
    log(message)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"
    return {"timestamp": stamp, "level": "info", "message": message}


def step_result(success: bool, error: Optional[str] = None, error_type: Optional[str] = None,
                data: Optional[dict[str, Any]] = None, logs: Optional[list[str]] = None,
                entries: Optional[list[dict[str, Any]]] = None) -> dict[str, Any]:
    return {"success": success, "error": error, "errorType": error_type, "data": data or {},
            "logs": (entries or []) + [log_entry(m) for m in (logs or [])],
            "durationMs": 0.1}


def step_succeeds(_: re.Match[str], params: dict[str, Any]) -> dict[str, Any]:
    return step_result(True, logs=[f"{params['process']} did it"])


def step_fails(m: re.Match[str], _: dict[str, Any]) -> dict[str, Any]:
    log(f"about to fail: {m['msg']}")
    return step_result(False, f"expected {m['msg']}", "AssertionFailed", logs=["the fake worker failed on purpose"])


def step_hangs(_: re.Match[str], __: dict[str, Any]) -> dict[str, Any]:
    log("hanging forever")
    # Keep reading (and recording) what arrives, a $/cancelRequest included, but never answer.
    while (message := read_message()) is not None:
        record("request", method=message.get("method", ""), params=message.get("params"))
    while True:
        time.sleep(3600)


def step_waits_for_cancel(_: re.Match[str], __: dict[str, Any]) -> dict[str, Any]:
    log("waiting for $/cancelRequest")
    while (message := read_message()) is not None:
        record("request", method=message.get("method", ""), params=message.get("params"))
        if message.get("method") == "$/cancelRequest":
            return step_result(False, "cancelled by the orchestrator", "StepCancelled")
    os._exit(0)


def step_crashes(m: re.Match[str], _: dict[str, Any]) -> dict[str, Any]:
    log(f"crashing with exit code {m['code']}")
    os._exit(int(m["code"]))


def step_leaks(m: re.Match[str], params: dict[str, Any]) -> dict[str, Any]:
    path = os.path.join(os.environ.get("FAKE_SHM_DIR", "/dev/shm"), f"{_state['runId']}-leak-{params['process']}")
    with open(path, "wb") as f:
        f.write(b"x")
    return step_result(True, data={"path": path})


def step_logs_apart(m: re.Match[str], params: dict[str, Any]) -> dict[str, Any]:
    entries = []
    for i in range(int(m["n"])):
        if i:
            time.sleep(int(m["ms"]) / 1000)
        entries.append(log_entry(f"line {i} of {params['process']}"))
    return step_result(True, entries=entries)


def step_pid(_: re.Match[str], __: dict[str, Any]) -> dict[str, Any]:
    return step_result(True, data={"pid": os.getpid()})


def step_measures(_: re.Match[str], __: dict[str, Any]) -> dict[str, Any]:
    return step_result(True, data={"metrics": {"p50_us": 12.5, "frames_per_s": 80000}, "baseline": {"p50_us": 3.25}})


# Per platform, how much of its baseline a fake benchmark reaches: different pairs give different rows.
_BENCH_SPEED = {"csharp": 0.8, "python": 0.4, "cpp": 0.9}


def step_benchmarks(m: re.Match[str], _: dict[str, Any]) -> dict[str, Any]:
    """Shaped like a real @benchmark step's data (BENCH-CONTRACT.md): throughput vs memcpy, latency vs sem-pingpong."""
    size = int(m["size"])
    speed = _BENCH_SPEED.get(_platform, 0.5) * float(os.environ.get("FAKE_WORKER_BENCH_SCALE", "1"))
    if m["what"] == "throughput":
        memcpy = size.bit_length() / 2
        return step_result(True, data={
            "measurement": "throughput", "baselineName": "memcpy",
            "metrics": {"frame_bytes": size, "gb_per_s": round(memcpy * speed, 4),
                        "frames_per_s": round(memcpy * speed * 1e9 / size, 1), "cpu_pct": 99.5},
            "baseline": {"frame_bytes": size, "gb_per_s": memcpy, "frames_per_s": round(memcpy * 1e9 / size, 1)}})
    pingpong = {"p50_us": 12.0, "p90_us": 15.0, "p99_us": 24.0, "p999_us": 40.0}
    return step_result(True, data={
        "measurement": "latency", "baselineName": "sem-pingpong",
        "metrics": {"frame_bytes": size, "iterations": 1000, **{k: round(v * 0.2 / speed, 4) for k, v in pingpong.items()}},
        "baseline": {"frame_bytes": size, **pingpong}})


def step_ready(_: re.Match[str], __: dict[str, Any]) -> dict[str, Any]:
    return step_result(True, data={"pid": os.getpid(), "platform": _platform})


def step_sleeps(m: re.Match[str], params: dict[str, Any]) -> dict[str, Any]:
    wanted = int(m["ms"])
    limit = int(params.get("timeoutMs") or 30000)
    time.sleep(min(wanted, limit) / 1000)
    if wanted > limit:
        return step_result(False, f"step timed out after {limit} ms", "StepTimeout")
    return step_result(True)


STEPS: list[tuple[str, Callable[[re.Match[str], dict[str, Any]], dict[str, Any]]]] = [
    (r"the '(?P<role>[^']+)' process succeeds", step_succeeds),
    (r"the '(?P<role>[^']+)' process fails with '(?P<msg>[^']*)'", step_fails),
    (r"the '(?P<role>[^']+)' process hangs", step_hangs),
    (r"the '(?P<role>[^']+)' process waits to be cancelled", step_waits_for_cancel),
    (r"the '(?P<role>[^']+)' process crashes mid-step with exit code '(?P<code>\d+)'", step_crashes),
    (r"the '(?P<role>[^']+)' process leaks a shared memory object", step_leaks),
    (r"the '(?P<role>[^']+)' process reports its pid", step_pid),
    (r"the '(?P<role>[^']+)' process sleeps '(?P<ms>\d+)' ms", step_sleeps),
    (r"the '(?P<role>[^']+)' process measures", step_measures),
    (r"the '(?P<role>[^']+)' process is ready", step_ready),
    (r"every process succeeds", step_succeeds),
    (r"every process logs '(?P<n>\d+)' lines '(?P<ms>\d+)' ms apart", step_logs_apart),
    (r"the '(?P<role>[^']+)' process (?:does|says) (?P<what>.+)", step_succeeds),
    (r"the '(?P<role>[^']+)' process (?:does|says) twice (?P<what>.+)", step_succeeds),
    (r"the '(?P<role>[^']+)' process reads a table", step_succeeds),
    (r"the '(?P<role>[^']+)' process may take anything", step_succeeds),
    # New steps go last: tests pin the discover indexes (fake_worker.py:N) of the ones above.
    (r"the '(?P<role>[^']+)' process benchmarks (?P<what>throughput|latency) at '(?P<size>\d+)' bytes", step_benchmarks),
]
# discover's optional "accepts" per pattern: "none" unless listed; None leaves it out (unknown).
ACCEPTS: dict[str, Optional[str]] = {
    r"the '(?P<role>[^']+)' process reads a table": "table",
    r"the '(?P<role>[^']+)' process may take anything": None,
    r"the '(?P<role>[^']+)' process (?:does|says) (?P<what>.+)": None,
    r"the '(?P<role>[^']+)' process (?:does|says) twice (?P<what>.+)": None,
}


def discovered(index: int, pattern: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "step", "pattern": pattern, "source": f"fake_worker.py:{index}"}
    accepts = ACCEPTS.get(pattern, "none")
    if accepts is not None:
        entry["accepts"] = accepts
    return entry


def execute_step(params: dict[str, Any]) -> dict[str, Any]:
    text = params["step"]
    matches = [(p, f, m) for p, f in STEPS if (m := re.fullmatch(p, text))]
    if not matches:
        return step_result(False, f"no step definition matches \"{text}\"", "StepNotFound")
    return matches[0][1](matches[0][2], params)


def handle(method: str, params: Any) -> Any:
    if method == "health":
        if _mode == "no-health":
            while True:
                time.sleep(3600)
        return {"status": "ok", "platform": _platform, "pid": os.getpid(), "protocol": 1, "version": "fake"}
    if method == "initialize":
        _state.update(runId=params["runId"], role=params["role"])
        log(f"initialized as {params['role']} for run {params['runId']}")
        return {"ok": True}
    if method == "discover":
        return {"steps": [discovered(i, p) for i, (p, _) in enumerate(STEPS)]}
    if method == "executeStep":
        return execute_step(params)
    if method == "simulateCrash" and _mode != "no-crash":
        if _mode == "fail-crash":
            raise RuntimeError(f"cannot simulate a crash of {params['role']}")
        log(f"simulated a crash of {params['role']}")
        return {"ok": _mode != "refuse-crash"}
    if method == "cleanup":
        if _mode == "fail-cleanup":
            raise RuntimeError("cleanup failed on purpose")
        _state.update(runId=None)
        return {"ok": True, "released": []}
    if method == "shutdown":
        return {"ok": True}
    raise KeyError(method)


def main() -> int:
    record("start", argv=sys.argv[1:])
    delay = int(os.environ.get("FAKE_WORKER_START_DELAY_MS", "0"))
    if "--wait-for-debugger" in sys.argv:
        delay += int(os.environ.get("FAKE_WORKER_DEBUGGER_DELAY_MS", "0"))
    if delay:
        time.sleep(delay / 1000)
    while True:
        message = read_message()
        if message is None:
            record("exit", reason="eof")
            return 0
        method = message.get("method", "")
        params = message.get("params")
        record("request", method=method, params=params)
        if "id" not in message:
            continue  # a notification ($/cancelRequest): never answered; this worker cannot cancel a step
        try:
            send({"jsonrpc": "2.0", "id": message.get("id"), "result": handle(method, params)})
        except KeyError:
            send({"jsonrpc": "2.0", "id": message.get("id"), "error": {"code": -32601, "message": f"Method not found: {method}"}})
        except RuntimeError as e:
            send({"jsonrpc": "2.0", "id": message.get("id"), "error": {"code": -32603, "message": str(e)}})
        if method == "shutdown":
            record("exit", reason="shutdown")
            return 0


if __name__ == "__main__":
    sys.exit(main())
