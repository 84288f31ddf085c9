"""``python3 -m zerobuffer_serve [--wait-for-debugger]``: the Python Harmony worker."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

_log = logging.getLogger("zerobuffer_serve")


def _wait_for_debugger() -> None:
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


def main() -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="zerobuffer-serve")
    parser.add_argument("--wait-for-debugger", action="store_true",
                        help="print the pid, wait for a debugger, disable step timeouts")
    args = parser.parse_args()
    # stdout carries frames only: the wire gets a private duplicate of fd 1, and fd 1 itself (and
    # sys.stdout) now lead to stderr, so neither a stray print nor a C library writing to fd 1 can
    # corrupt the stream.
    sys.stdout.flush()
    wire_out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    from .logcapture import configure, level_from_env
    capture = configure(level_from_env(os.environ.get("HARMONY_LOG_LEVEL")))
    if args.wait_for_debugger:
        _wait_for_debugger()
    from .methods import WorkerMethods
    from .registry import registry
    from .server import serve
    from . import steps  # noqa: F401 - registers the step definitions
    methods = WorkerMethods(registry, capture.drain, timeouts_enabled=not args.wait_for_debugger)
    _log.info("zerobuffer-serve (python) pid %d ready, %d steps", os.getpid(), len(registry.bindings))
    return serve(sys.stdin.buffer, wire_out, methods)


if __name__ == "__main__":
    sys.exit(main())
