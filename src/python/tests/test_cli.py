"""``python -m zerobuffer`` read / write / inspect / bench."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, child_env, leftovers, unique_name


def tool(*args: str, **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "zerobuffer", *args], env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zerobuffer", *args], env=child_env(),
                          capture_output=True, text=True, timeout=timeout)


def default_sigint() -> None:
    """In the child: a test run started as a background job inherits SIGINT ignored, and Python keeps
    an ignored SIGINT ignored, so a test that interrupts its child restores the default first."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_reader(name: str, *args: str, **kwargs: Any) -> subprocess.Popen[str]:
    reader = tool("read", name, *args, **kwargs)
    assert reader.stdout is not None
    line = reader.stdout.readline()
    assert line == "READY\n", (line, reader.stderr.read() if reader.stderr else "")
    return reader


def test_read_write_roundtrip_with_metadata_and_wraps() -> None:
    name = unique_name("cli")
    reader = start_reader(name, "--count", "3000", "--payload-size", "10240", "--metadata-size", "256")
    inspected = json.loads(run("inspect", name).stdout)
    assert inspected["reader_alive"] is True and inspected["writer_alive"] is False
    assert inspected["payload_size"] == 10240 and inspected["version"] == "1.0.0"
    assert list(inspected)[:13] == ["oieb_size", "version", "metadata_size", "metadata_free_bytes",
                                    "metadata_written_bytes", "payload_size", "payload_free_bytes",
                                    "payload_write_pos", "payload_read_pos", "payload_written_count",
                                    "payload_read_count", "writer_pid", "reader_pid"]
    written = run("write", name, "--count", "3000", "--size", "1000", "--metadata", "grüße")
    assert written.returncode == 0, written.stderr
    summary = json.loads(written.stdout)
    assert summary["frames"] == 3000 and summary["bytes"] == 3_000_000 and summary["seconds"] >= 0
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    result = json.loads(out)
    assert result["frames"] == 3000 and result["bytes"] == 3_000_000 and result["metadata"] == "grüße"
    assert leftovers(name) == []


def test_errors_are_one_line_with_kind_and_exit_1() -> None:
    missing = run("write", unique_name("none"), "--count", "1", "--size", "10")
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.startswith("error: BufferNotFound: ") and missing.stderr.count("\n") == 1
    bad = run("inspect", "bad/name")
    assert bad.returncode == 1 and bad.stderr.startswith("error: InvalidBufferName: ")
    too_big = run("read", unique_name("cfg"), "--count", "1", "--payload-size", "0")
    assert too_big.returncode == 1 and too_big.stderr.startswith("error: InvalidConfig: ")
    usage = run("write", "x", "--count", "many")
    assert usage.returncode == 1 and usage.stderr.startswith("error: Usage: ") and usage.stderr.count("\n") == 1


def test_read_times_out_when_nothing_arrives() -> None:
    name = unique_name("quiet")
    reader = start_reader(name, "--count", "1", "--timeout-ms", "200")
    out, err = reader.communicate(timeout=30)
    assert reader.returncode == 1 and out == "" and err.startswith("error: Timeout: ")
    assert leftovers(name) == []


def test_writer_reports_frame_too_large() -> None:
    name = unique_name("big")
    # The reader waits long enough for a slow writer start on a loaded machine, then is interrupted
    # (SIGINT closes it cleanly, so nothing is left in /dev/shm).
    reader = start_reader(name, "--count", "1", "--payload-size", "1024", "--timeout-ms", "60000",
                          preexec_fn=default_sigint)
    result = run("write", name, "--count", "1", "--size", "2000")
    assert result.returncode == 1 and result.stderr.startswith("error: FrameTooLarge: "), result.stderr
    reader.send_signal(signal.SIGINT)
    reader.communicate(timeout=30)


def test_bench_quick_json_smoke(tmp_path: Any) -> None:
    target = tmp_path / "bench.json"
    result = run("bench", "--quick", "--json", str(target), timeout=120)
    assert result.returncode == 0, result.stderr
    records = json.loads(target.read_text())
    assert {r["measure"] for r in records} == {"throughput", "roundtrip"}
    assert {r["frameBytes"] for r in records if r["measure"] == "throughput"} == {1024, 65536, 1048576}
    for record in records:
        assert set(record) == {"measure", "frameBytes", "value", "unit", "baseline", "baselineValue", "ratio"}
        assert isinstance(record["value"], (int, float)) and isinstance(record["ratio"], (int, float))
        assert isinstance(record["unit"], str) and isinstance(record["baseline"], str)
    assert "throughput" in result.stdout and "roundtrip" in result.stdout


_NUMBERS = json.loads(Path(REPO, "testdata", "cli", "number-validation.json").read_text(encoding="utf-8"))


def test_the_rule_table_is_the_shared_one() -> None:
    from zerobuffer.cli import NUMBER_RULES
    assert {k: {"min": lo, "max": hi} for k, (lo, hi) in NUMBER_RULES.items()} == _NUMBERS["rules"]


@pytest.mark.parametrize("case", _NUMBERS["cases"], ids=lambda c: " ".join(c["args"]))
def test_numbers_follow_the_one_rule(case: dict[str, Any]) -> None:
    """testdata/cli/number-validation.json, shared with the C# and C++ tool suites."""
    name = unique_name("num")
    done = run(*[name if a == "NAME" else a for a in case["args"]], timeout=30)
    if "message" not in case:
        assert "error: Usage:" not in done.stderr
    else:
        assert done.returncode == _NUMBERS["exitCode"]
        assert done.stderr == f"error: Usage: {case['message']}\n"
        assert done.stdout == ""
    assert leftovers(name) == []
