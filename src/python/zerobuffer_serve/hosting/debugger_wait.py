"""``--wait-for-debugger``: tell how to attach, then block until a debugger is there."""

from __future__ import annotations

import os
import sys
import time
from typing import Mapping, Optional

DEFAULT_DEBUGPY_PORT = 5678
DEBUGPY_PORT_ENV = "HARMONY_DEBUGPY_PORT"
# The name of the attach configuration in .vscode/launch.json (docs/debugging.md quotes it too).
VSCODE_CONFIGURATION = "Harmony: attach Python worker (debugpy)"


def debugpy_port(option: Optional[int], env: Mapping[str, str]) -> int:
    """The port debugpy listens on: ``--debug-port``, else ``HARMONY_DEBUGPY_PORT``, else 5678.

    Raises ValueError naming the source when the value is not a TCP port (1-65535)."""
    if option is not None:
        value, source = str(option), "--debug-port"
    elif env.get(DEBUGPY_PORT_ENV):
        value, source = env[DEBUGPY_PORT_ENV], DEBUGPY_PORT_ENV
    else:
        return DEFAULT_DEBUGPY_PORT
    if not value.strip().isdigit() or not 1 <= int(value) <= 65535:
        raise ValueError(f"{source} must be a TCP port from 1 to 65535, got '{value}'")
    return int(value)


def wait_for_debugger(port: int = DEFAULT_DEBUGPY_PORT) -> None:
    """Tell how to attach, then block until a debugger is there: debugpy listening on 127.0.0.1:port
    when it is installed (Debian python3-debugpy), else any ptrace tracer."""
    pid = os.getpid()
    try:
        import debugpy  # type: ignore  # optional, only when installed
    except ImportError:
        debugpy = None
    if debugpy is not None:
        debugpy.listen(("127.0.0.1", port))
        sys.stderr.write(f"zerobuffer-serve pid {pid}: waiting for a debugger; attach debugpy to "
                         f"127.0.0.1:{port} (VS Code: '{VSCODE_CONFIGURATION}')\n")
        sys.stderr.flush()
        debugpy.wait_for_client()
        return
    # Without debugpy: ptrace still works (gdb with the Python extensions, py-spy).
    sys.stderr.write(f"zerobuffer-serve pid {pid}: waiting for a debugger; attach with "
                     f"`gdb -p {pid}` or `py-spy dump --pid {pid}` (any ptrace tracer; "
                     f"install python3-debugpy to attach on 127.0.0.1:{port})\n")
    sys.stderr.flush()
    while True:
        try:
            with open("/proc/self/status", encoding="ascii") as status:
                tracer = next((line.split()[1] for line in status if line.startswith("TracerPid:")), "0")
        except OSError:
            tracer = "0"
        if tracer != "0":
            sys.stderr.write(f"debugger attached (tracer pid {tracer})\n")
            return
        time.sleep(0.2)
