"""--wait-for-debugger: debugpy listens on --debug-port / HARMONY_DEBUGPY_PORT / 5678; ptrace otherwise."""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import child_env, free_port
from worker_client import WorkerClient
from zerobuffer_serve.hosting.debugger_wait import (DEFAULT_DEBUGPY_PORT, VSCODE_CONFIGURATION,
                                                    debugpy_port)

ROOT = Path(__file__).resolve().parents[3]
HAS_DEBUGPY = importlib.util.find_spec("debugpy") is not None


def test_port_comes_from_the_option_then_the_environment_then_the_default() -> None:
    assert debugpy_port(6001, {"HARMONY_DEBUGPY_PORT": "6002"}) == 6001
    assert debugpy_port(None, {"HARMONY_DEBUGPY_PORT": "6002"}) == 6002
    assert debugpy_port(None, {}) == DEFAULT_DEBUGPY_PORT == 5678
    assert debugpy_port(None, {"HARMONY_DEBUGPY_PORT": ""}) == 5678


@pytest.mark.parametrize("option, env, message", [
    (0, {}, "--debug-port must be a TCP port from 1 to 65535, got '0'"),
    (70000, {}, "--debug-port must be a TCP port from 1 to 65535, got '70000'"),
    (None, {"HARMONY_DEBUGPY_PORT": "abc"}, "HARMONY_DEBUGPY_PORT must be a TCP port from 1 to 65535, got 'abc'"),
])
def test_a_bad_port_is_refused_naming_its_source(option: int | None, env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        debugpy_port(option, env)


def test_the_worker_refuses_a_bad_debug_port_before_starting() -> None:
    done = subprocess.run([sys.executable, "-m", "zerobuffer_serve", "--wait-for-debugger", "--debug-port", "0"],
                          capture_output=True, text=True, env=child_env(), timeout=30, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "--debug-port must be a TCP port from 1 to 65535, got '0'" in done.stderr


def _listening(port: int, deadline_s: float = 20.0) -> bool:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.mark.skipif(not HAS_DEBUGPY, reason="python3-debugpy is not installed (scripts/setup.sh installs it)")
@pytest.mark.parametrize("via", ["option", "environment"])
def test_debugpy_listens_on_the_chosen_port(via: str) -> None:
    port = free_port()
    env = child_env()
    args = ["--wait-for-debugger"]
    if via == "option":
        args += ["--debug-port", str(port)]
        env["HARMONY_DEBUGPY_PORT"] = str(free_port())  # the option wins over the variable
    else:
        env["HARMONY_DEBUGPY_PORT"] = str(port)
    client = WorkerClient(*args, env=env)
    try:
        client.wait_stderr("waiting for a debugger")
        text = client.stderr_text()
        assert f"attach debugpy to 127.0.0.1:{port}" in text and VSCODE_CONFIGURATION in text
        assert _listening(port)
        assert client.proc.poll() is None  # still waiting for a client
    finally:
        client.proc.kill()
        client.proc.wait(10)


def test_launch_json_attaches_to_the_default_port_under_the_announced_name() -> None:
    lines = (ROOT / ".vscode" / "launch.json").read_text(encoding="utf-8").splitlines()
    launch = json.loads("\n".join(line for line in lines if not line.lstrip().startswith("//")))
    python = next(c for c in launch["configurations"] if c["type"] == "debugpy")
    assert python["name"] == VSCODE_CONFIGURATION
    assert python["connect"] == {"host": "127.0.0.1", "port": DEFAULT_DEBUGPY_PORT}
    docs = (ROOT / "docs" / "debugging.md").read_text(encoding="utf-8")
    assert VSCODE_CONFIGURATION in docs and "--debug-port" in docs and "HARMONY_DEBUGPY_PORT" in docs


def test_setup_script_installs_debugpy() -> None:
    assert "python3-debugpy" in (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
