"""A tiny JSON-RPC client that drives ``python -m zerobuffer_serve`` over pipes (test support)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
from typing import Any, Optional

from conftest import child_env


class WorkerClient:
    """One worker process; ``call`` sends a request and returns its reply."""

    def __init__(self, *args: str, env: Optional[dict[str, str]] = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "zerobuffer_serve", *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env or child_env())
        self._ids = itertools.count(1)
        self._stderr: list[bytes] = []
        # Drain stderr continuously so a chatty worker can never block on a full pipe.
        self._drain = threading.Thread(target=self._collect_stderr, daemon=True)
        self._drain.start()

    def _collect_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: Any) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def receive(self) -> Any:
        assert self.proc.stdout is not None
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("worker closed stdout")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        assert length is not None, "reply without Content-Length"
        return json.loads(self.proc.stdout.read(length).decode("utf-8"))

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
        return self.result("executeStep", {"process": process, "stepType": "given", "keyword": "Given",
                                           "step": text, "argument": None, "isBroadcast": False,
                                           "timeoutMs": timeout_ms, "stepId": "s"})

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
