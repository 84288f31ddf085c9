"""``python3 -m zerobuffer_serve [--wait-for-debugger [--debug-port PORT]]``: the Python Harmony worker.

The entry point composes the worker: the registry from the step-definition modules, the invoker
with the ZeroBuffer error classifier, the methods, the stdio loop and the parent watch.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading

_log = logging.getLogger("zerobuffer_serve")


def main() -> int:
    """Entry point."""
    parent_pid = os.getppid()  # before anything slow: the process that started us
    parser = argparse.ArgumentParser(prog="zerobuffer-serve")
    parser.add_argument("--wait-for-debugger", action="store_true",
                        help="print the pid, wait for a debugger, disable step timeouts")
    parser.add_argument("--debug-port", type=int, metavar="PORT",
                        help="the port debugpy listens on while waiting for a debugger "
                             "(default: $HARMONY_DEBUGPY_PORT, else 5678)")
    args = parser.parse_args()
    from .hosting.debugger_wait import debugpy_port
    try:
        port = debugpy_port(args.debug_port, os.environ)
    except ValueError as exc:
        parser.error(str(exc))
    # stdout carries frames only: the wire gets a private duplicate of fd 1, and fd 1 itself (and
    # sys.stdout) now lead to stderr, so neither a stray print nor a C library writing to fd 1 can
    # corrupt the stream.
    sys.stdout.flush()
    wire_out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    from .logging import configure, level_from_env
    capture = configure(level_from_env(os.environ.get("HARMONY_LOG_LEVEL")))

    from .hosting.debugger_wait import wait_for_debugger
    from .hosting.liveness import ParentWatch
    from .hosting.stdio_worker import StdioWorker
    from .rpc.worker_methods import WorkerMethods
    from .step_definitions import ALL as STEP_DEFINITIONS
    from .step_definitions.support.error_kinds import classify_zerobuffer_error
    from .steps.invoker import StepInvoker
    from .steps.matcher import StepMatcher
    from .steps.registry import StepRegistry

    registry = StepRegistry.from_modules(STEP_DEFINITIONS)
    for invalid in registry.invalid:
        _log.warning("invalid step definition %s: %s", invalid, invalid.error)
    if args.wait_for_debugger:
        wait_for_debugger(port)
    stop = threading.Event()
    invoker = StepInvoker(StepMatcher(registry), [classify_zerobuffer_error],
                          timeouts_enabled=not args.wait_for_debugger, stop=stop)
    methods = WorkerMethods(registry, invoker, capture.drain)
    worker = StdioWorker(sys.stdin.buffer, wire_out, methods, stop, invoker)
    parent = ParentWatch(parent_pid, worker.lost, input_fd=sys.stdin.fileno(), on_input_closed=worker.input_closed)
    parent.start()
    _log.info("zerobuffer-serve (python) pid %d ready, %d steps", os.getpid(), len(registry.bindings))
    code = worker.run()
    parent.stop()
    # A serving thread (or an abandoned step) may still block in a read; interpreter shutdown would
    # wait on, or abort over, their locks. Everything is released by now, so leave at once.
    logging.shutdown()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
