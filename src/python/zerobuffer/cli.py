"""``python3 -m zerobuffer read|write|inspect|bench|serve-echo|request``: the cross-language command-line tool.

Same interface and output lines as the C# and C++ tools (see the project brief):
``read`` prints ``READY`` then one JSON summary line; ``write`` one JSON line; ``inspect`` the OIEB
as JSON; every failure (usage errors included) is one stderr line ``error: <Kind>: <message>`` and
exit code 1, as in the C# tool.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import timedelta
from typing import Callable, NoReturn, Optional, Sequence

from ._pattern import Pattern, first_mismatch
from .config import BufferConfig
from .diagnostics import inspect_buffer
from .errors import ZeroBufferException
from .reader import Reader
from .writer import Writer


class ToolError(Exception):
    """A failure the tool reports as ``<kind>: <message>``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


_INT32_MAX = 2**31 - 1
# The one rule for every numeric option, as in the C# and C++ tools (testdata/cli/number-validation.json):
# an optional '-' and ASCII digits (so not "1_000", " 7" or "+1", which int() would take), in range.
NUMBER_RULES: dict[str, tuple[int, int]] = {
    "--count": (0, _INT32_MAX),
    "--size": (0, _INT32_MAX),
    "--metadata-size": (0, _INT32_MAX),
    "--payload-size": (0, _INT32_MAX),
    "--timeout-ms": (0, _INT32_MAX),
    "--handlers": (0, _INT32_MAX),
}


def number(option: str) -> Callable[[str], int]:
    """The argparse ``type`` of a numeric option: raises ToolError("Usage", ...) past argparse's own
    wording, so the message is the same in all three tools."""
    low, high = NUMBER_RULES[option]

    def parse(text: str) -> int:
        if re.fullmatch(r"-?[0-9]+", text) and low <= int(text) <= high:
            return int(text)
        raise ToolError("Usage", f"{option} must be an integer from {low} to {high}, got '{text}'")
    return parse


def _emit(record: dict[str, object]) -> None:
    line = json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(line.encode("utf-8"))
    sys.stdout.buffer.flush()


def cmd_read(args: argparse.Namespace) -> None:
    """Create the buffer, print READY, read and validate --count frames, print the summary."""
    timeout = args.timeout_ms / 1000.0
    pattern = Pattern(64 * 1024)
    with Reader(args.name, BufferConfig(args.metadata_size, args.payload_size)) as reader:
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        total_bytes = 0
        started: Optional[float] = None
        for index in range(args.count):
            frame = reader.read_frame(timeout)
            if frame is None:
                raise ToolError("Timeout", f"no frame within {args.timeout_ms} ms in buffer "
                                f"'{args.name}' after {index} of {args.count} frames")
            with frame:
                if started is None:
                    started = time.perf_counter()
                expected = index + 1
                if frame.sequence != expected:
                    raise ToolError("SequenceError", f"expected sequence {expected}, got {frame.sequence}")
                if not pattern.matches(frame.sequence, frame.data):
                    at = first_mismatch(frame.data, pattern.frame(frame.sequence, frame.size))
                    raise ToolError("PatternMismatch", f"frame {frame.sequence} ({frame.size} bytes) "
                                    f"differs from the pattern at byte {at}")
                total_bytes += frame.size
        seconds = time.perf_counter() - started if started is not None else 0.0
        metadata = reader.get_metadata()
        text = ""
        if metadata is not None:
            text = bytes(metadata).decode("utf-8", errors="replace")
            metadata.release()  # a live view would keep the mapping from closing
        _emit({"frames": args.count, "bytes": total_bytes, "seconds": round(seconds, 6),
               "metadata": text})


def cmd_write(args: argparse.Namespace) -> None:
    """Connect, write metadata once if given, write --count pattern frames, print the summary."""
    if args.size <= 0:
        raise ToolError("InvalidFrameSize", f"--size must be > 0, got {args.size}")
    pattern = Pattern(args.size)
    with Writer(args.name) as writer:
        writer.write_timeout = timedelta(milliseconds=args.timeout_ms)
        if args.metadata is not None:
            writer.set_metadata(args.metadata.encode("utf-8"))
        started = time.perf_counter()
        size = args.size
        sequence = writer.next_sequence  # each commit adds 1; a local saves a property call per frame
        for _ in range(args.count):
            target = writer.get_frame_buffer(size)
            target[:] = pattern.frame(sequence, size)
            writer.commit_frame()
            sequence += 1
        seconds = time.perf_counter() - started
    _emit({"frames": args.count, "bytes": args.count * args.size, "seconds": round(seconds, 6)})


def cmd_inspect(args: argparse.Namespace) -> None:
    """Print the OIEB as one JSON object."""
    _emit(inspect_buffer(args.name))


def cmd_bench(args: argparse.Namespace) -> None:
    """Run the benchmarks (see bench.py)."""
    from .bench import run_bench
    run_bench(quick=args.quick, json_path=args.json)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as ``error: Usage: ...`` with exit code 1."""

    def error(self, message: str) -> NoReturn:
        raise ToolError("Usage", f"{message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree of the tool."""
    parser = _Parser(prog="zerobuffer", description="ZeroBuffer command-line tool")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    read = sub.add_parser("read", help="create a buffer and read validated pattern frames")
    read.add_argument("name")
    read.add_argument("--count", type=number("--count"), required=True)
    read.add_argument("--metadata-size", type=number("--metadata-size"), default=1024)
    read.add_argument("--payload-size", type=number("--payload-size"), default=1048576)
    read.add_argument("--timeout-ms", type=number("--timeout-ms"), default=5000)
    read.set_defaults(func=cmd_read)
    write = sub.add_parser("write", help="connect to a buffer and write pattern frames")
    write.add_argument("name")
    write.add_argument("--count", type=number("--count"), required=True)
    write.add_argument("--size", type=number("--size"), required=True)
    write.add_argument("--metadata")
    write.add_argument("--timeout-ms", type=number("--timeout-ms"), default=5000)
    write.set_defaults(func=cmd_write)
    inspect = sub.add_parser("inspect", help="print a buffer's OIEB as JSON")
    inspect.add_argument("name")
    inspect.set_defaults(func=cmd_inspect)
    bench = sub.add_parser("bench", help="throughput and round-trip benchmarks")
    bench.add_argument("--quick", action="store_true")
    bench.add_argument("--json", metavar="FILE")
    bench.set_defaults(func=cmd_bench)
    from .bench import add_helper_commands
    add_helper_commands(sub)
    from ._duplex_cli import add_duplex_commands
    add_duplex_commands(sub)
    return parser


def _fail(kind: str, message: str) -> None:
    one_line = " ".join(message.split())
    sys.stderr.write(f"error: {kind}: {one_line}\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        args.func(args)
        return 0
    except (ZeroBufferException, ToolError) as exc:
        _fail(exc.kind, str(exc))
    except OSError as exc:
        _fail("OsError", str(exc))
    except RuntimeError as exc:  # a benchmark helper process failed
        _fail("PeerFailed", str(exc))
    except KeyboardInterrupt:
        _fail("Interrupted", "stopped by the user")
    sys.stderr.flush()
    return 1
