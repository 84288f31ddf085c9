"""Interop with the C# ``zerobuffer`` tool in both directions (byte-exact protocol v1).

The tool comes from $ZEROBUFFER_CSHARP_TOOL (default: the Release build under src/ZeroBuffer.Tool).
Without it these tests skip, unless ZEROBUFFER_REQUIRE_INTEROP=1 makes that a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Callable

import pytest

from conftest import REPO, child_env, leftovers, unique_name
from zerobuffer import BufferConfig, Reader, Writer
from zerobuffer._pattern import Pattern
from zerobuffer.diagnostics import inspect_buffer

DEFAULT_TOOL = os.path.join(REPO, "src", "ZeroBuffer.Tool", "bin", "Release", "net10.0", "zerobuffer")
TOOL = os.environ.get("ZEROBUFFER_CSHARP_TOOL") or DEFAULT_TOOL
PATTERN = Pattern(64 * 1024)


@pytest.fixture(scope="module", autouse=True)
def csharp_tool() -> str:
    if not (os.path.isfile(TOOL) and os.access(TOOL, os.X_OK)):
        message = (f"C# zerobuffer tool not found at {TOOL} (build src/ZeroBuffer.Tool -c Release or "
                   f"set ZEROBUFFER_CSHARP_TOOL)")
        if os.environ.get("ZEROBUFFER_REQUIRE_INTEROP") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return TOOL


def csharp(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([TOOL, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def python(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "zerobuffer", *args], env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


Tool = Callable[..., "subprocess.Popen[str]"]


def ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line != "READY\n":
        proc.kill()
        _out, err = proc.communicate()
        pytest.fail(f"reader did not print READY (got {line!r}); stderr: {err}")


def finish(proc: subprocess.Popen[str]) -> dict[str, object]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, f"{proc.args!r} failed: {err.strip()}"
    return json.loads(out.strip().splitlines()[-1])


# 1007: 10-byte tails (implicit wraps); 1011: wrap markers; 1008: exact fit; 1: 17-byte frames.
SIZES = [(1007, 20000), (1011, 20000), (1008, 20000), (1, 30000), (4000, 5000)]


# (reader tool, writer tool, metadata the writer sends): both directions of the same stream.
DIRECTIONS = [(csharp, python, "from python ✓"), (python, csharp, "from c# ✓")]


@pytest.mark.parametrize("size, count", SIZES)
@pytest.mark.parametrize("read_tool, write_tool, metadata", DIRECTIONS,
                         ids=["python-writer-to-csharp-reader", "csharp-writer-to-python-reader"])
def test_stream_between_python_and_csharp(size: int, count: int, read_tool: Tool, write_tool: Tool,
                                          metadata: str) -> None:
    name = unique_name("interop")
    reader = read_tool("read", name, "--count", str(count), "--payload-size", "10240", "--timeout-ms", "10000")
    ready(reader)
    written = finish(write_tool("write", name, "--count", str(count), "--size", str(size), "--metadata", metadata))
    result = finish(reader)
    assert result["frames"] == count and result["bytes"] == count * size == written["bytes"]
    assert result["metadata"] == metadata
    assert leftovers(name) == []


def test_library_reader_sees_exact_counters_after_csharp_writer() -> None:
    name = unique_name("py-lib")
    with Reader(name, BufferConfig(100, 10240)) as reader:
        writer = csharp("write", name, "--count", "3000", "--size", "1007", "--metadata", "m")
        for sequence in range(1, 3001):
            frame = reader.read_frame(10.0)
            assert frame is not None and frame.sequence == sequence and frame.size == 1007
            assert PATTERN.matches(sequence, frame.data), f"frame {sequence} breaks the pattern"
            frame.dispose()
        finish(writer)
        state = inspect_buffer(name)
        assert state["payload_free_bytes"] == 10240 and state["writer_pid"] == 0
        assert state["payload_written_count"] == state["payload_read_count"]
        assert state["metadata_size"] == 128 and state["metadata_written_bytes"] == 9
        metadata = reader.get_metadata()
        assert metadata is not None and bytes(metadata) == b"m"
        metadata.release()


def test_inspect_agrees_on_both_sides() -> None:
    name = unique_name("insp")
    with Reader(name, BufferConfig(1000, 5000)), Writer(name) as writer:
        writer.set_metadata(b"abc")
        writer.write_frame(bytes(PATTERN.frame(1, 333)))
        proc = csharp("inspect", name)
        theirs = finish(proc)
        assert theirs == inspect_buffer(name)


def test_csharp_writer_is_refused_while_python_writer_connected() -> None:
    name = unique_name("dup")
    with Reader(name, BufferConfig(0, 1024)), Writer(name):
        proc = csharp("write", name, "--count", "1", "--size", "10")
        _out, err = proc.communicate(timeout=30)
        assert proc.returncode == 1 and "WriterAlreadyConnected" in err


def test_python_writer_is_refused_while_csharp_reader_is_gone() -> None:
    name = unique_name("gone")
    reader = csharp("read", name, "--count", "1", "--payload-size", "1024", "--timeout-ms", "300")
    ready(reader)
    reader.communicate(timeout=30)  # exits 1 after the timeout and removes the buffer
    writer = python("write", name, "--count", "1", "--size", "10")
    _out, err = writer.communicate(timeout=30)
    assert writer.returncode == 1 and err.startswith("error: BufferNotFound: ")


def _sigkill(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.communicate(timeout=30)


@pytest.mark.parametrize("first, second", [("csharp", "python"), ("python", "csharp")])
def test_stale_buffer_of_killed_reader_is_reclaimed_across_languages(first: str, second: str) -> None:
    name = unique_name("stale")
    launch = {"csharp": csharp, "python": python}
    dead = launch[first]("read", name, "--count", "1", "--payload-size", "10240", "--timeout-ms", "30000")
    ready(dead)
    _sigkill(dead)
    assert len(leftovers(name)) == 4  # shm, two semaphores, lock file
    reader = launch[second]("read", name, "--count", "1", "--payload-size", "20480", "--timeout-ms", "10000")
    ready(reader)
    assert inspect_buffer(name)["payload_size"] == 20480
    finish(launch[first]("write", name, "--count", "1", "--size", "15000"))
    assert finish(reader)["bytes"] == 15000
    assert leftovers(name) == []


def test_csharp_reader_detects_killed_python_writer() -> None:
    name = unique_name("wdead")
    reader = csharp("read", name, "--count", "2", "--payload-size", "10240", "--timeout-ms", "1000")
    ready(reader)
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom zerobuffer import Writer\n"
         "w = Writer(sys.argv[1])\nv = w.get_frame_buffer(10)\nv[:] = bytes((1 + i) & 255 for i in range(10))\n"
         "w.commit_frame()\nprint('READY', flush=True)\ntime.sleep(60)\n", name],
        env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready(writer)
    _sigkill(writer)
    _out, err = reader.communicate(timeout=30)
    assert reader.returncode == 1 and "WriterDead" in err, err
    assert leftovers(name) == []
