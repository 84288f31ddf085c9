"""The worker driven over real pipes: every method, malformed input, hand-played scenarios."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Iterator

import pytest

from conftest import PREFIX, child_env, free_port, leftovers, unique_name
from worker_client import (WorkerClient, case_problem, encode, load_cases, read_replies, step_params,
                           wait_for_eof)

# The liveness rule allows 2 s from end of input or parent death to exit; a loaded machine adds some.
LIVENESS_SECONDS = 2.0
LOAD_TOLERANCE_SECONDS = 2.0


@pytest.fixture
def worker() -> Iterator[WorkerClient]:
    client = WorkerClient()
    yield client
    if client.proc.poll() is None:
        client.close()


def test_health_discover_and_shutdown(worker: WorkerClient) -> None:
    health = worker.result("health")
    assert health == {"status": "ok", "platform": "python", "pid": worker.proc.pid, "protocol": 1,
                      "version": health["version"]}
    steps = worker.result("discover")["steps"]
    assert len(steps) >= 20
    assert all(s["type"] in ("given", "when", "then", "step") and ":" in s["source"] for s in steps)
    assert any("creates buffer" in s["pattern"] for s in steps)
    assert {s["accepts"] for s in steps} == {"none"}  # no ZeroBuffer step takes a table or doc string
    assert worker.result("shutdown") == {"ok": True}
    assert worker.proc.wait(10) == 0


def test_step_results_and_error_types(worker: WorkerClient) -> None:
    run = unique_name("run")
    worker.initialize(run)
    missing = worker.step("the 'writer' process connects to buffer 'nothing-here'")
    assert missing["success"] is False and missing["errorType"] == "BufferNotFound"
    assert f"{run}-nothing-here" in missing["error"]
    wrong = worker.step("the 'writer' process should fail to connect to buffer 'nothing' with 'ReaderDead'")
    assert wrong["errorType"] == "AssertionFailed"
    assert "ReaderDead" in wrong["error"] and "BufferNotFound" in wrong["error"]
    right = worker.ok("the 'writer' process should fail to connect to buffer 'nothing' with 'BufferNotFound'")
    assert right["data"]["errorType"] == "BufferNotFound"
    unknown = worker.step("the 'reader' process juggles")
    assert unknown["errorType"] == "StepNotFound" and "Did you mean: \"the 'reader' process " in unknown["error"]
    assert "[^']" not in unknown["error"]  # Gherkin text, not regexes
    created = worker.ok("the 'reader' process creates buffer 'b' with metadata size '64' and payload size '1024'")
    assert created["data"]["buffer"] == f"{run}-b"
    assert any("created buffer" in entry["message"] for entry in created["logs"])
    assert all(set(entry) == {"timestamp", "level", "message"} for entry in created["logs"])
    assert isinstance(created["durationMs"], (int, float))
    cleaned = worker.result("cleanup")
    assert cleaned == {"ok": True, "released": [f"reader:{run}-b"]}
    assert leftovers(run) == []


def test_step_timeout_abandons_and_keeps_serving(worker: WorkerClient) -> None:
    run = unique_name("run")
    worker.initialize(run)
    worker.ok("the 'reader' process creates buffer 'slow' with metadata size '0' and payload size '1024'")
    worker.ok("the 'writer' process connects to buffer 'slow'")
    timed_out = worker.step("the 'reader' process should read frame with sequence '1' and size '8'",
                            timeout_ms=300)
    assert timed_out["errorType"] == "StepTimeout" and timed_out["data"]["elapsedMs"] >= 290
    assert worker.result("health")["status"] == "ok"
    worker.ok("the 'writer' process writes frame with size '8'")
    assert worker.result("cleanup")["ok"]
    assert leftovers(run) == []


def test_malformed_input_never_kills_the_worker(worker: WorkerClient) -> None:
    worker.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    assert worker.receive()["error"]["code"] == -32700
    worker.send({"id": 1, "method": "health"})
    assert worker.receive()["error"]["code"] == -32600
    worker.send_raw(b"Content-Length: nope\r\n\r\n")
    assert worker.receive()["error"]["code"] == -32600
    assert worker.call("nosuch")["error"]["code"] == -32601
    assert worker.call("executeStep", {"stepType": "given"})["error"]["code"] == -32602
    assert worker.call("initialize", {"runId": 5})["error"]["code"] == -32602
    worker.send({"jsonrpc": "2.0", "method": "health"})  # notification: no answer
    worker.send([{"jsonrpc": "2.0", "id": "a", "method": "health"}, {"jsonrpc": "2.0", "method": "health"},
                 {"jsonrpc": "2.0", "id": "b", "method": "nosuch"}])
    batch = worker.receive()
    assert [r["id"] for r in batch] == ["a", "b"] and batch[1]["error"]["code"] == -32601
    assert worker.call("health")["result"]["platform"] == "python"
    assert worker.close() == 0


def test_compat_params_forms(worker: WorkerClient) -> None:
    run = unique_name("run")
    worker.result("initialize", [{"Role": "reader", "RunId": run, "Mode": "same-process"}])
    result = worker.result("executeStep", [{"Process": "reader", "StepType": 0,
                                            "Step": "the 'reader' process creates buffer 'c' with "
                                                    "metadata size '0' and payload size '1024'"}])
    assert result["success"], result
    assert worker.result("cleanup")["released"] == [f"reader:{run}-c"]


def test_end_of_input_releases_everything(worker: WorkerClient) -> None:
    run = unique_name("run")
    worker.initialize(run)
    worker.ok("the 'reader' process creates buffer 'eof' with metadata size '0' and payload size '1024'")
    worker.ok("the 'writer' process connects to buffer 'eof'")
    assert leftovers(run)
    assert worker.close() == 0
    assert leftovers(run) == []


def test_same_process_buffer_full_scenario(worker: WorkerClient) -> None:
    """Test 1.3 with reader and writer in one worker and one context."""
    run = unique_name("run")
    worker.initialize(run, mode="same-process")
    for text in ["the 'reader' process creates buffer 'test-full' with metadata size '512' and payload size '10240'",
                 "the 'writer' process connects to buffer 'test-full'",
                 "the 'writer' process writes metadata with size '100'",
                 "the 'writer' process writes frame with size '8192'",
                 "the 'writer' process starts writing '1' frames with size '5120' in the background",
                 "the 'writer' process should still be writing after '300' ms",
                 "the 'reader' process should read frame with sequence '1' and size '8192'",
                 "the 'writer' process should finish writing within '5000' ms",
                 "the 'reader' process should read frame with sequence '2' and size '5120'",
                 "the 'reader' process should receive no frame within '100' ms"]:
        worker.ok(text)
    assert worker.result("cleanup")["ok"]
    assert leftovers(run) == []


def test_test_1_1_with_two_workers() -> None:
    run = unique_name("run")
    reader, writer = WorkerClient(), WorkerClient()
    try:
        reader.initialize(run, "reader")
        writer.initialize(run, "writer")
        reader.ok("the 'reader' process creates buffer 'test-basic' with metadata size '1024' and payload size '10240'")
        writer.ok("the 'writer' process connects to buffer 'test-basic'", process="writer")
        writer.ok("the 'writer' process should see the reader connected", process="writer")
        reader.ok("the 'reader' process should see the writer connected")
        writer.ok("the 'writer' process writes metadata with size '100'", process="writer")
        wrote = writer.ok("the 'writer' process writes frame with size '1024'", process="writer")
        assert wrote["data"]["sequence"] == 1
        reader.ok("the 'reader' process should have metadata with size '100'")
        read = reader.ok("the 'reader' process should read frame with sequence '1' and size '1024'")
        assert read["data"].pop("elapsedMs") >= 0
        assert read["data"] == {"buffer": f"{run}-test-basic", "sequence": 1, "size": 1024}
        assert writer.result("cleanup")["released"] == [f"writer:{run}-test-basic"]
        assert reader.result("cleanup")["released"] == [f"reader:{run}-test-basic"]
    finally:
        assert writer.close() == 0 and reader.close() == 0
    assert leftovers(run) == []


def test_writer_worker_killed_reader_sees_writer_dead() -> None:
    """Test 2.1, the kill done here as the orchestrator would (SIGKILL, then reap)."""
    run = unique_name("run")
    reader, writer = WorkerClient(), WorkerClient()
    try:
        reader.initialize(run, "reader")
        writer.initialize(run, "writer")
        reader.ok("the 'reader' process creates buffer 'wc' with metadata size '1024' and payload size '10240'")
        writer.ok("the 'writer' process connects to buffer 'wc'")
        writer.ok("the 'writer' process writes metadata with size '100'")
        writer.ok("the 'writer' process writes frame with size '1024'")
        writer.proc.send_signal(signal.SIGKILL)
        writer.proc.wait(10)
        reader.ok("the 'reader' process should read frame with sequence '1' and size '1024'")
        reader.ok("the 'reader' process should see the writer disconnected")
        dead = reader.ok("the 'reader' process should fail to read a frame within '1000' ms with 'WriterDead'")
        assert dead["data"]["errorType"] == "WriterDead"
    finally:
        writer.close()
        assert reader.close() == 0
    assert leftovers(run) == []


def test_log_level_from_environment() -> None:
    env = child_env()
    env["HARMONY_LOG_LEVEL"] = "error"
    client = WorkerClient(env=env)
    run = unique_name("run")
    client.initialize(run)
    created = client.ok("the 'reader' process creates buffer 'q' with metadata size '0' and payload size '1024'")
    assert created["logs"] == []
    client.result("cleanup")
    client.close()
    assert "ready" not in client.stderr_text()


def test_wait_for_debugger_announces_pid_and_waits() -> None:
    # A free port, so a debugpy-equipped machine running tests in parallel does not collide on 5678.
    client = WorkerClient("--wait-for-debugger", "--debug-port", str(free_port()))
    try:
        client.send({"jsonrpc": "2.0", "id": 1, "method": "health"})
        client.wait_stderr("waiting for a debugger")
        text = client.stderr_text()
        assert f"pid {client.proc.pid}" in text and "attach" in text
        with pytest.raises(subprocess.TimeoutExpired):
            client.proc.wait(0.3)  # still waiting, nothing answered
    finally:
        client.proc.kill()
        client.proc.wait(10)


def test_cleanup_joins_blocked_background_writer(worker: WorkerClient) -> None:
    run = unique_name("run")
    worker.initialize(run, mode="same-process")
    worker.ok("the 'reader' process creates buffer 'bg' with metadata size '0' and payload size '1024'")
    worker.ok("the 'writer' process connects to buffer 'bg'")
    worker.ok("the 'writer' process sets write timeout to '500' ms")
    worker.ok("the 'writer' process starts writing '5' frames with size '1000' in the background")
    worker.ok("the 'writer' process should still be writing after '100' ms")
    released = worker.result("cleanup")["released"]
    assert released[0].startswith("background:") and f"reader:{run}-bg" in released
    assert leftovers(run) == []


def test_finish_writing_reports_the_background_error_kind(worker: WorkerClient) -> None:
    run = unique_name("run")
    worker.initialize(run, mode="same-process")
    worker.ok("the 'reader' process creates buffer 'bf' with metadata size '0' and payload size '1024'")
    worker.ok("the 'writer' process connects to buffer 'bf'")
    worker.ok("the 'writer' process sets write timeout to '200' ms")
    worker.ok("the 'writer' process starts writing '2' frames with size '1000' in the background")
    failed = worker.step("the 'writer' process should finish writing within '3000' ms")
    assert failed["success"] is False and failed["errorType"] == "BufferFull"
    worker.result("cleanup")
    assert leftovers(run) == []


def test_stray_output_to_fd1_goes_to_stderr() -> None:
    """Anything written to fd 1 or sys.stdout inside the worker lands on stderr, not in the stream."""
    code = ("import os, runpy, sys\n"
            "from zerobuffer_serve.hosting.stdio_worker import StdioWorker\n"
            "real = StdioWorker.run\n"
            "def noisy(self):\n"
            "    print('stray print'); os.write(1, b'stray fd write\\n')\n"
            "    return real(self)\n"
            "StdioWorker.run = noisy\n"
            "sys.argv = ['zerobuffer_serve']\n"
            "runpy.run_module('zerobuffer_serve', run_name='__main__')\n")
    body = b'{"jsonrpc":"2.0","id":1,"method":"health"}'
    proc = subprocess.run([sys.executable, "-c", code], input=b"Content-Length: %d\r\n\r\n" % len(body) + body,
                          capture_output=True, env=child_env(), timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"Content-Length: ") and b"stray" not in proc.stdout
    assert b"stray print" in proc.stderr and b"stray fd write" in proc.stderr


def test_is_ready_reports_pid_and_platform(worker: WorkerClient) -> None:
    ready = worker.ok("the 'reader' process is ready")
    assert ready["data"] == {"pid": worker.proc.pid, "platform": "python"}


def test_discover_reports_real_step_types(worker: WorkerClient) -> None:
    steps = worker.result("discover")["steps"]
    types = {s["pattern"]: s["type"] for s in steps}
    assert types["the '(?P<process>[^']+)' process connects to buffer '(?P<buffer>[^']+)'"] == "given"
    assert {s["type"] for s in steps} == {"given", "when", "then"}
    assert not any("error" in s for s in steps)


def test_oversized_frame_is_refused_and_the_worker_resynchronises(worker: WorkerClient) -> None:
    worker.send_raw(b"Content-Length: %d\r\n\r\n" % (64 * 1024 * 1024 + 1))
    assert worker.receive()["error"]["code"] == -32600
    assert worker.call("health")["result"]["status"] == "ok"


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c["name"])
def test_rpc_fixture(case: dict) -> None:
    """testdata/rpc/cases.json, fed to the real worker over its stdin."""
    proc = subprocess.run([sys.executable, "-m", "zerobuffer_serve"], input=case["input"].encode("utf-8"),
                          capture_output=True, env=child_env(), timeout=60)
    replies = read_replies(io.BytesIO(proc.stdout))
    assert proc.returncode == 0, proc.stderr.decode()
    problem = case_problem(case, replies)
    assert problem is None, problem


def _start_blocking_read(worker: WorkerClient, run: str) -> None:
    """Initialize, create a buffer, and start a read that would wait 20 s for a writer that never comes."""
    worker.initialize(run)
    worker.ok("the 'reader' process creates buffer 'live' with metadata size '0' and payload size '1024'")
    assert leftovers(run)
    worker.send({"jsonrpc": "2.0", "id": 99, "method": "executeStep",
                 "params": step_params("the 'reader' process should receive no frame within '20000' ms")})
    worker.wait_stderr("-> frame_reading_steps.py")  # the step is running


def test_end_of_input_mid_step_exits_within_2_s_and_releases() -> None:
    env = child_env()
    env["HARMONY_LOG_LEVEL"] = "debug"
    worker = WorkerClient(env=env)
    run = unique_name("live")
    try:
        _start_blocking_read(worker, run)
        started = time.monotonic()
        assert worker.proc.stdin is not None
        worker.proc.stdin.close()
        assert worker.proc.wait(30) == 0
        elapsed = time.monotonic() - started
    finally:
        worker.close()
    assert elapsed <= LIVENESS_SECONDS + LOAD_TOLERANCE_SECONDS, f"exited {elapsed:.2f} s after end of input"
    assert leftovers(run) == []


def test_parent_death_mid_step_exits_within_2_s_and_releases() -> None:
    """The worker's parent is an intermediate process the test SIGKILLs; the test keeps the worker's
    stdin open, so only the parent watch can end it."""
    env = child_env()
    env["HARMONY_LOG_LEVEL"] = "debug"
    stdin_r, stdin_w = os.pipe()
    stdout_r, stdout_w = os.pipe()
    parent_code = ("import subprocess, sys, time\n"
                   "child = subprocess.Popen([sys.executable, '-m', 'zerobuffer_serve'])\n"
                   "sys.stderr.write(f'WORKER {child.pid}\\n'); sys.stderr.flush()\n"
                   "time.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, "-c", parent_code], stdin=stdin_r, stdout=stdout_w,
                              stderr=subprocess.PIPE, env=env)
    os.close(stdin_r)
    os.close(stdout_w)
    to_worker, from_worker = os.fdopen(stdin_w, "wb", buffering=0), os.fdopen(stdout_r, "rb")
    assert parent.stderr is not None
    worker_pid = int(parent.stderr.readline().split()[1])
    run = unique_name("live")
    stderr_lines: list[bytes] = []
    step_started = threading.Event()

    def watch_stderr() -> None:
        assert parent.stderr is not None
        for line in parent.stderr:
            stderr_lines.append(line)
            if b"-> frame_reading_steps.py" in line:
                step_started.set()

    threading.Thread(target=watch_stderr, daemon=True).start()
    try:
        messages = [{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"runId": run, "role": "reader"}},
                    {"jsonrpc": "2.0", "id": 2, "method": "executeStep", "params": step_params(
                        "the 'reader' process creates buffer 'live' with metadata size '0' and payload size '1024'")},
                    {"jsonrpc": "2.0", "id": 3, "method": "executeStep", "params": step_params(
                        "the 'reader' process should receive no frame within '20000' ms")}]
        to_worker.write(b"".join(encode(m) for m in messages))
        assert step_started.wait(20), b"".join(stderr_lines).decode()
        assert leftovers(run)
        parent.kill()
        parent.wait(10)
        elapsed = wait_for_eof(from_worker, 30)
    finally:
        if parent.poll() is None:
            parent.kill()
        try:
            os.kill(worker_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        to_worker.close()
        from_worker.close()
    assert elapsed <= LIVENESS_SECONDS + LOAD_TOLERANCE_SECONDS, f"exited {elapsed:.2f} s after its parent died"
    assert leftovers(run) == []
