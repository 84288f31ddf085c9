"""Issue 14 §1.7: scripts/test-all.sh refuses a misspelt suite, --only readme builds no sanitizer
tree, --help prints only the help, and the scripts print no escape codes off a terminal or with NO_COLOR.

The suite selection is checked in a copy of scripts/ whose setup.sh, build.sh and check_readme.py are
stubs that record their arguments, so nothing is installed or built."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ESC = "\x1b"


def run(args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, env=env or dict(os.environ))


@pytest.fixture
def stubbed(tmp_path: Path) -> Path:
    """A repository root holding a copy of scripts/ with stubbed setup, build and readme check."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    calls = tmp_path / "calls.txt"
    for stub in ("setup.sh", "build.sh"):
        path = tmp_path / "scripts" / stub
        path.write_text(f'#!/usr/bin/env bash\necho "{stub} $*" >> "{calls}"\n', encoding="utf-8")
        path.chmod(0o755)
    (tmp_path / "scripts" / "check_readme.py").write_text(
        f'open("{calls}", "a").write("check_readme\\n")\n', encoding="utf-8")
    return tmp_path


def test_a_misspelt_suite_is_refused_before_anything_runs(stubbed: Path) -> None:
    done = run([str(stubbed / "scripts" / "test-all.sh"), "--only", "pyhton"], cwd=stubbed)
    assert done.returncode != 0
    assert "unknown suite 'pyhton'" in done.stderr and "python" in done.stderr
    assert not (stubbed / "calls.txt").exists()  # not even the setup ran


@pytest.mark.parametrize("suite, asan", [("readme", False), ("ci", False), ("cpp-asan", True), ("fuzz", True)])
def test_only_the_suites_that_need_the_sanitizer_tree_build_it(stubbed: Path, suite: str, asan: bool) -> None:
    env = dict(os.environ, NO_COLOR="1")
    if suite == "ci":  # keep the stubbed run from running this very test module again
        (stubbed / "tests" / "ci").mkdir(parents=True)
        (stubbed / "tests" / "ci" / "test_nothing.py").write_text("def test_nothing() -> None:\n    pass\n")
    run([str(stubbed / "scripts" / "test-all.sh"), "--only", suite], cwd=stubbed, env=env)
    builds = [line for line in (stubbed / "calls.txt").read_text().splitlines() if line.startswith("build.sh")]
    assert len(builds) == 1
    assert ("--asan" in builds[0].split()) == asan, builds


def test_test_sh_builds_the_programs_only(stubbed: Path) -> None:
    """A matrix run needs the workers, not the C++ test suites (CI compiled those a second time in it)."""
    shutil.copy(ROOT / "test.sh", stubbed / "test.sh")
    run([str(stubbed / "test.sh"), "--help"], cwd=stubbed)
    builds = [line for line in (stubbed / "calls.txt").read_text().splitlines() if line.startswith("build.sh")]
    assert builds == ["build.sh --programs-only"]


def test_only_readme_runs_the_readme_check(stubbed: Path) -> None:
    done = run([str(stubbed / "scripts" / "test-all.sh"), "--only", "readme"], cwd=stubbed)
    assert done.returncode == 0, done.stderr
    assert "check_readme" in (stubbed / "calls.txt").read_text().splitlines()
    assert "readme" in done.stdout and "suites: 2 passed, 0 failed" in done.stdout  # readme + shm check


def test_only_bench_runs_the_bench_check_without_the_sanitizer_tree(stubbed: Path) -> None:
    (stubbed / "scripts" / "bench-check").write_text(f'open("{stubbed / "calls.txt"}", "a").write("bench-check\\n")\n',
                                                     encoding="utf-8")
    done = run([str(stubbed / "scripts" / "test-all.sh"), "--only", "bench"], cwd=stubbed)
    assert done.returncode == 0, done.stderr
    calls = (stubbed / "calls.txt").read_text().splitlines()
    assert "bench-check" in calls
    assert not any("--asan" in line for line in calls)
    assert "bench" in done.stdout and "suites: 2 passed, 0 failed" in done.stdout


def test_a_failed_suite_repeats_the_end_of_its_output_after_the_summary_lines(stubbed: Path) -> None:
    """A CI log is often read from its tail: the reason a suite failed is repeated there, and kept in a file."""
    lines = "".join(f"print('line {n}')\n" for n in range(100))
    (stubbed / "scripts" / "bench-check").write_text(
        lines + "import sys\nprint('error: csharp roundtrip regressed', file=sys.stderr)\nsys.exit(1)\n", encoding="utf-8")
    done = run([str(stubbed / "scripts" / "test-all.sh"), "--only", "bench"], cwd=stubbed)
    assert done.returncode == 1
    tail = done.stdout.split("==> suite bench failed; the last lines of artifacts/logs/bench.log:", 1)[1]
    assert "line 99" in tail and "error: csharp roundtrip regressed" in tail
    assert "line 59" not in tail  # the last 40 lines only
    assert tail.rstrip().endswith("suites: 1 passed, 1 failed")
    assert "line 0" in (stubbed / "artifacts" / "logs" / "bench.log").read_text()


def test_a_failed_suite_repeats_its_failed_tests_even_far_from_the_tail(stubbed: Path) -> None:
    """dotnet test runs several projects: the failed one's lines can be hundreds of lines above the tail."""
    failure = ("print('  Failed ZeroBuffer.Tests.RingTests.WrapsAround [12 ms]')\n"
               "print('  Error Message:')\nprint('   Assert.Equal() Failure: expected 3, got 4')\n")
    passes = "".join(f"print('  Passed Other.Test{n} [1 ms]')\n" for n in range(100))
    (stubbed / "scripts" / "bench-check").write_text(
        failure + passes + "import sys\nsys.exit(1)\n", encoding="utf-8")
    done = run([str(stubbed / "scripts" / "test-all.sh"), "--only", "bench"], cwd=stubbed)
    assert done.returncode == 1
    failed = done.stdout.split("==> suite bench failed; its failed tests (from artifacts/logs/bench.log):", 1)[1]
    failed = failed.split("==> suite bench failed; the last lines", 1)[0]
    assert "Failed ZeroBuffer.Tests.RingTests.WrapsAround" in failed
    assert "expected 3, got 4" in failed
    assert "Other.Test99" not in failed


def test_the_suite_list_of_the_usage_matches_the_script() -> None:
    usage = run([str(ROOT / "scripts" / "test-all.sh"), "--help"]).stdout
    assert "csharp python cpp cpp-asan fuzz readme ci bench matrix" in usage


def test_help_prints_the_usage_and_no_shell_code() -> None:
    done = run([str(ROOT / "scripts" / "test-all.sh"), "--help"])
    assert done.returncode == 0
    assert "--only SUITE" in done.stdout
    assert not any(line.startswith("set ") or "#!/" in line for line in done.stdout.splitlines())


@pytest.mark.parametrize("no_color", [False, True])
def test_no_escape_codes_off_a_terminal_or_with_no_color(stubbed: Path, no_color: bool) -> None:
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    if no_color:
        env["NO_COLOR"] = "1"
    done = run([str(stubbed / "scripts" / "test-all.sh"), "--only", "readme"], cwd=stubbed, env=env)
    assert "==> suite readme" in done.stderr
    assert ESC not in done.stderr and ESC not in done.stdout


def test_with_a_terminal_the_log_is_bold_unless_no_color() -> None:
    """The same log line through a pseudo-terminal: bold by default, plain with NO_COLOR."""
    script = f'source "{ROOT}/scripts/lib.sh"; log hello'
    bold = run(["script", "-qec", f"bash -c '{script}'", "/dev/null"])
    plain = run(["script", "-qec", f"NO_COLOR=1 bash -c '{script}'", "/dev/null"])
    assert f"{ESC}[1m==>{ESC}[0m hello" in bold.stdout
    assert "==> hello" in plain.stdout and ESC not in plain.stdout
