"""A tiny JSON-RPC client that drives ``python -m zerobuffer_serve`` over pipes (test support)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from typing import Any, BinaryIO, Optional, Sequence

from conftest import REPO, child_env

RPC_CASES = os.path.join(REPO, "testdata", "rpc", "cases.json")


class WorkerClient:
    """One worker process; ``call`` sends a request and returns its reply."""

    def __init__(self, *args: str, env: Optional[dict[str, str]] = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "zerobuffer_serve", *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env or child_env())
        self._ids = itertools.count(1)
        self._stderr: list[bytes] = []
        self._stderr_changed = threading.Condition()
        # Drain stderr continuously so a chatty worker can never block on a full pipe.
        self._drain = threading.Thread(target=self._collect_stderr, daemon=True)
        self._drain.start()

    def _collect_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._stderr_changed:
                self._stderr.append(line)
                self._stderr_changed.notify_all()

    def wait_stderr(self, text: str, timeout: float = 20.0) -> None:
        """Block until the worker has written text to stderr (fails after timeout)."""
        with self._stderr_changed:
            if not self._stderr_changed.wait_for(lambda: text in self.stderr_text(), timeout):
                raise AssertionError(f"worker did not log {text!r} within {timeout} s: {self.stderr_text()}")

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: Any) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def receive(self) -> Any:
        assert self.proc.stdout is not None
        reply = read_frame(self.proc.stdout)
        if reply is None:
            raise EOFError("worker closed stdout")
        return reply

    def call(self, method: str, params: Any = None) -> Any:
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": next(self._ids), "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self.receive()

    def result(self, method: str, params: Any = None) -> Any:
        reply = self.call(method, params)
        assert "result" in reply, reply
        return reply["result"]

    def initialize(self, run_id: str, role: str = "reader", mode: str = "separate-process") -> None:
        assert self.result("initialize", {"role": role, "roles": ["reader", "writer"], "platform": "python",
                                          "scenario": "test", "feature": "test", "runId": run_id,
                                          "mode": mode}) == {"ok": True}

    def step(self, text: str, timeout_ms: int = 30000, process: str = "reader") -> dict[str, Any]:
        return self.result("executeStep", step_params(text, timeout_ms, process))

    def ok(self, text: str, **kwargs: Any) -> dict[str, Any]:
        result = self.step(text, **kwargs)
        assert result["success"], f"{text}: {result['errorType']}: {result['error']}"
        return result

    def close(self) -> int:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        try:
            return self.proc.wait(20)
        finally:
            self._drain.join(5)
            if self.proc.stdout:
                self.proc.stdout.close()

    def stderr_text(self) -> str:
        """Everything the worker wrote to stderr so far."""
        return b"".join(self._stderr).decode("utf-8", "replace")


def step_params(text: str, timeout_ms: int = 30000, process: str = "reader") -> dict[str, Any]:
    """executeStep params as the orchestrator sends them."""
    return {"process": process, "stepType": "given", "keyword": "Given", "step": text, "argument": None,
            "isBroadcast": False, "timeoutMs": timeout_ms, "stepId": "s"}


def encode(message: Any) -> bytes:
    """One framed message."""
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_frame(stream: BinaryIO) -> Optional[Any]:
    """The next framed reply, parsed; None at end of stream."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    assert length is not None, "reply without Content-Length"
    return json.loads(stream.read(length).decode("utf-8"))


def read_replies(stream: BinaryIO) -> list[Any]:
    """Every framed reply until end of stream."""
    replies = []
    while (reply := read_frame(stream)) is not None:
        replies.append(reply)
    return replies


def wait_for_eof(stream: BinaryIO, timeout: float) -> float:
    """Seconds until stream ends (every writer gone, i.e. the worker exited); fails after timeout."""
    started = time.monotonic()
    ended = threading.Event()

    def drain() -> None:
        while stream.read(65536):
            pass
        ended.set()

    threading.Thread(target=drain, daemon=True).start()
    if not ended.wait(timeout):
        raise AssertionError(f"worker still running {timeout} s later")
    return time.monotonic() - started


# -- testdata/rpc/cases.json ----------------------------------------------------------------------

def reply_problem(expected: dict[str, Any], actual: Any) -> Optional[str]:
    """Why actual does not meet the expectation, or None when it does."""
    if "batch" in expected:
        if isinstance(actual, list):
            if len(actual) != len(expected["batch"]):
                return f"batch of {len(actual)} replies, expected {len(expected['batch'])}"
            problems = replies_problem(expected["batch"], actual)
            return None if problems is None else f"in the batch: {problems}"
        refused = isinstance(actual, dict) and actual.get("error", {}).get("code") == -32600
        return None if expected.get("orRefused") and refused else f"expected a batch reply, got {actual}"
    if not isinstance(actual, dict):
        return f"expected one reply object, got {actual}"
    if "id" in expected and actual.get("id", "<missing>") != expected["id"]:
        return f"id {actual.get('id')!r}, expected {expected['id']!r}"
    if "error" in expected:
        code = actual.get("error", {}).get("code") if isinstance(actual.get("error"), dict) else None
        return None if code == expected["error"] and "result" not in actual else \
            f"expected error {expected['error']}, got {actual}"
    result = actual.get("result")
    if not isinstance(result, dict):
        return f"expected a result object, got {actual}"
    missing = [k for k in expected["result"] if k not in result]
    if missing:
        return f"result lacks {missing}: {result}"
    wrong = {k: result[k] for k, v in expected.get("values", {}).items() if result[k] != v}
    return f"result values {wrong}, expected {expected.get('values')}" if wrong else None


def replies_problem(expected: Sequence[dict[str, Any]], actual: Sequence[Any]) -> Optional[str]:
    """Every expectation met by a distinct reply and no reply left over (any order)."""
    left = list(actual)
    for expectation in expected:
        hit = next((r for r in left if reply_problem(expectation, r) is None), None)
        if hit is None:
            return f"no reply meets {expectation}; replies: {list(actual)}"
        left.remove(hit)
    return f"unexpected replies {left}" if left else None


def case_problem(case: dict[str, Any], replies: Sequence[Any]) -> Optional[str]:
    """Checks one case's replies, allowing a clean exit after ``mayExitAfter`` of them."""
    expected = case["replies"]
    allowed_exit = case.get("mayExitAfter")
    if allowed_exit is not None and len(replies) == allowed_exit:
        expected = expected[:allowed_exit]
    return replies_problem(expected, replies)


def load_cases() -> list[dict[str, Any]]:
    with open(RPC_CASES, encoding="utf-8") as cases:
        return list(json.load(cases)["cases"])
