"""Cross-language duplex matrix: each language's ``serve-echo`` against each language's ``request``
(9 client x server pairs) in both processing modes, through the three command-line tools.

Tools: C# ``src/ZeroBuffer.Tool/bin/Release/net10.0/zerobuffer`` ($ZEROBUFFER_CSHARP_TOOL), C++
``build/cpp/bin/zerobuffer-cpp`` ($ZEROBUFFER_CPP_TOOL), Python ``python3 -m zerobuffer``. A pair whose
tool is not built skips, unless ZEROBUFFER_REQUIRE_INTEROP=1 makes that a failure.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from typing import Dict, List

import pytest

from conftest import REPO, child_env, leftovers, unique_name

TOOLS: Dict[str, List[str]] = {
    "csharp": [os.environ.get("ZEROBUFFER_CSHARP_TOOL")
               or os.path.join(REPO, "src", "ZeroBuffer.Tool", "bin", "Release", "net10.0", "zerobuffer")],
    "cpp": [os.environ.get("ZEROBUFFER_CPP_TOOL") or os.path.join(REPO, "build", "cpp", "bin", "zerobuffer-cpp")],
    "python": [sys.executable, "-m", "zerobuffer"],
}
LANGUAGES = sorted(TOOLS)
MODES = ["single-thread", "thread-pool"]


def tool(language: str) -> List[str]:
    command = TOOLS[language]
    if language != "python" and not (os.path.isfile(command[0]) and os.access(command[0], os.X_OK)):
        message = f"{language} zerobuffer tool not built at {command[0]}"
        if os.environ.get("ZEROBUFFER_REQUIRE_INTEROP") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return command


def run(language: str, *args: str, timeout: float = 60) -> dict[str, object]:
    """Run a tool to completion; returns its JSON line (fails with its stderr otherwise)."""
    done = subprocess.run([*tool(language), *args], env=child_env(), capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{language} {' '.join(args)} failed: {done.stderr.strip()}"
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("server", LANGUAGES)
@pytest.mark.parametrize("client", LANGUAGES)
def test_client_against_server(client: str, server: str, mode: str) -> None:
    channel = unique_name(f"dxcli-{client}-{server}")
    tool(client)
    serving = subprocess.Popen([*tool(server), "serve-echo", channel, "--mode", mode, "--payload-size", str(4 << 20)],
                               env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert serving.stdout is not None
        ready = serving.stdout.readline().strip()
        assert ready == "READY", f"{server} serve-echo printed {ready!r}: {serving.stderr.read() if serving.stderr else ''}"

        small = run(client, "request", channel, "--count", "50", "--size", "1")
        large = run(client, "request", channel, "--count", "5", "--size", str(1 << 20))

        assert (small["requests"], small["bytes"]) == (50, 50)
        assert (large["requests"], large["bytes"]) == (5, 5 << 20)
        assert small["correlated"] is large["correlated"] is (mode == "thread-pool")
    finally:
        serving.send_signal(signal.SIGTERM)
        out, err = serving.communicate(timeout=30)
    assert serving.returncode == 0, f"{server} serve-echo exited {serving.returncode}: {err.strip()}"
    assert json.loads(out.strip().splitlines()[-1]) == {"requests": 55}
    assert leftovers(channel) == []
