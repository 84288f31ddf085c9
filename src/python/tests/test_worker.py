"""The worker driven over real pipes: every method, malformed input, hand-played scenarios."""

from __future__ import annotations

import json
import os
import signal
import time
from typing import Iterator

import pytest

from conftest import PREFIX, leftovers, unique_name
from worker_client import WorkerClient


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
    assert unknown["errorType"] == "StepNotFound" and "closest" in unknown["error"]
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
    from conftest import child_env
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
    client = WorkerClient("--wait-for-debugger")
    try:
        client.send({"jsonrpc": "2.0", "id": 1, "method": "health"})
        deadline = time.monotonic() + 10
        while "waiting for a debugger" not in client.stderr_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        text = client.stderr_text()
        assert f"pid {client.proc.pid}" in text and "attach" in text
        time.sleep(0.3)
        assert client.proc.poll() is None  # still waiting, nothing answered
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
    from conftest import child_env
    import subprocess
    import sys
    code = ("import os, runpy, sys\n"
            "import zerobuffer_serve.server as server\n"
            "real = server.serve\n"
            "def noisy(*args):\n"
            "    print('stray print'); os.write(1, b'stray fd write\\n')\n"
            "    return real(*args)\n"
            "server.serve = noisy\n"
            "sys.argv = ['zerobuffer_serve']\n"
            "runpy.run_module('zerobuffer_serve', run_name='__main__')\n")
    body = b'{"jsonrpc":"2.0","id":1,"method":"health"}'
    proc = subprocess.run([sys.executable, "-c", code], input=b"Content-Length: %d\r\n\r\n" % len(body) + body,
                          capture_output=True, env=child_env(), timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"Content-Length: ") and b"stray" not in proc.stdout
    assert b"stray print" in proc.stderr and b"stray fd write" in proc.stderr
