"""``--wait-for-debugger``: tell how to attach, then block until a debugger is there."""

from __future__ import annotations

import os
import sys
import time


def wait_for_debugger() -> None:
    """Tell how to attach, then block until a debugger is there (debugpy if installed, else a tracer)."""
    pid = os.getpid()
    try:
        import debugpy  # type: ignore  # optional, only when installed
    except ImportError:
        debugpy = None
    if debugpy is not None:
        port = int(os.environ.get("HARMONY_DEBUGPY_PORT", "5678"))
        debugpy.listen(("127.0.0.1", port))
        sys.stderr.write(f"zerobuffer-serve pid {pid}: waiting for a debugger; attach debugpy to "
                         f"127.0.0.1:{port} (VS Code: 'Python: Remote Attach')\n")
        sys.stderr.flush()
        debugpy.wait_for_client()
        return
    sys.stderr.write(f"zerobuffer-serve pid {pid}: waiting for a debugger; attach with "
                     f"`gdb -p {pid}` or `py-spy dump --pid {pid}` (any ptrace tracer)\n")
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
