"""``serve-echo NAME`` and ``request NAME --count N --size B``: try a duplex channel by hand.

Same interface and output lines as the C# and C++ tools: ``serve-echo`` prints ``READY`` once clients
can connect and ``{"requests": N}`` when it stops (SIGINT/SIGTERM, or after ``--count`` answers);
``request`` prints ``{"requests", "bytes", "seconds", "correlated"}``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from typing import Any

from ._pattern import Pattern, first_mismatch
from .cli import ToolError, _emit, number
from .config import BufferConfig
from .duplex import DuplexChannelFactory, ProcessingMode, ServerOptions
from .frame import Frame

_MODES = {"single-thread": ProcessingMode.SINGLE_THREAD, "thread-pool": ProcessingMode.THREAD_POOL}


def default_response_ring(size: int) -> int:
    """Room for a few responses of ``size`` bytes (with header and prefix), at least 1 MiB."""
    return max(1 << 20, 4 * (size + 64))


def cmd_serve_echo(args: argparse.Namespace) -> None:
    done = threading.Event()
    answered = 0
    count_lock = threading.Lock()

    def echo(frame: Frame) -> memoryview:
        nonlocal answered
        with count_lock:
            answered += 1
            if answered == args.count:
                done.set()
        return frame.data

    def stop(_signum: int, _frame: Any) -> None:
        done.set()  # shut down cleanly: the server removes its buffer

    options = ServerOptions(mode=_MODES[args.mode], handlers=max(1, args.handlers))
    with DuplexChannelFactory().create_immutable_server(
            args.name, BufferConfig(args.metadata_size, args.payload_size)) as server:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        server.start(echo, options=options)
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        while not done.wait(0.1):  # a timed wait lets the signal handler run
            pass
    _emit({"requests": answered})


def cmd_request(args: argparse.Namespace) -> None:
    if args.size <= 0:
        raise ToolError("InvalidFrameSize", f"--size must be > 0, got {args.size}")
    ring = args.payload_size or default_response_ring(args.size)
    pattern = Pattern(args.size)
    with DuplexChannelFactory().create_client(args.name, BufferConfig(1024, ring)) as client:
        started = time.perf_counter()
        for _ in range(args.count):
            sent, buffer = client.acquire_request_buffer(args.size)
            buffer[:] = pattern.frame(sent, args.size)
            client.commit_request()
            with client.receive_response(args.timeout_ms) as response:
                if not response.is_valid:
                    raise ToolError("Timeout", f"no response to request {sent} within {args.timeout_ms} ms "
                                    f"on channel '{args.name}'")
                if response.sequence != sent:
                    raise ToolError("SequenceError", f"request {sent} was answered by a response for "
                                    f"request {response.sequence}")
                expected = pattern.frame(sent, args.size)
                if response.data != expected:
                    raise ToolError("PatternMismatch", f"response {sent} ({response.size} bytes) differs from "
                                    f"the {args.size}-byte request at byte {first_mismatch(response.data, expected)}")
        seconds = time.perf_counter() - started
        correlated = bool(client.is_correlated)
    _emit({"requests": args.count, "bytes": args.count * args.size, "seconds": round(seconds, 6),
           "correlated": correlated})


def add_duplex_commands(sub: Any) -> None:
    """Add serve-echo and request to the tool's sub-command parsers."""
    serve = sub.add_parser("serve-echo", help="serve a duplex channel that echoes every request")
    serve.add_argument("name")
    serve.add_argument("--mode", choices=sorted(_MODES), default="single-thread")
    serve.add_argument("--handlers", type=number("--handlers"), default=4)
    serve.add_argument("--count", type=number("--count"), default=0, help="exit after answering N requests")
    serve.add_argument("--metadata-size", type=number("--metadata-size"), default=1024)
    serve.add_argument("--payload-size", type=number("--payload-size"), default=1048576)
    serve.set_defaults(func=cmd_serve_echo)
    request = sub.add_parser("request", help="send pattern requests to a duplex channel and check the echoes")
    request.add_argument("name")
    request.add_argument("--count", type=number("--count"), required=True)
    request.add_argument("--size", type=number("--size"), required=True)
    request.add_argument("--timeout-ms", type=number("--timeout-ms"), default=5000)
    request.add_argument("--payload-size", type=number("--payload-size"), default=0, help="response ring size in bytes")
    request.set_defaults(func=cmd_request)
