"""Shared fixtures: unique buffer names, subprocess helpers, and the no-leftovers guard."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:
    from zerobuffer_serve.steps.context import ScenarioContext

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(SRC))
if SRC not in sys.path:
    sys.path.insert(0, SRC)

PREFIX = f"pyt{os.getpid()}"
_counter = itertools.count()


def unique_name(tag: str = "b") -> str:
    """A buffer name no other test (or helper) uses."""
    return f"{PREFIX}-{tag}-{next(_counter)}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def child_env() -> dict[str, str]:
    """Environment for Python subprocesses that import zerobuffer from src/python."""
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def spawn_python(code: str, **kwargs: object) -> subprocess.Popen[str]:
    """Run code in a fresh interpreter with zerobuffer importable; stdout/stderr are pipes."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **kwargs)  # type: ignore[call-overload]


def wait_line(proc: subprocess.Popen[str], expected: str = "READY") -> None:
    """Block until the child prints the expected line (fails with its stderr otherwise)."""
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != expected:
        proc.kill()
        _out, err = proc.communicate()
        raise AssertionError(f"child printed {line!r} instead of {expected!r}; stderr: {err}")


def lock_dir() -> str:
    return os.environ.get("ZEROBUFFER_LOCK_DIR") or "/tmp/zerobuffer"


def leftovers(marker: str) -> list[str]:
    """Objects in /dev/shm and the lock dir whose name contains marker."""
    found = [f"/dev/shm/{n}" for n in os.listdir("/dev/shm") if marker in n]
    if os.path.isdir(lock_dir()):
        found += [f"{lock_dir()}/{n}" for n in os.listdir(lock_dir()) if marker in n]
    return found


def remove_run_objects(run_id: str) -> None:
    """What the orchestrator does after a scenario: remove the run's leftover buffers and lock files
    (a simulated crash leaves them, as a killed process would)."""
    from zerobuffer._stale import remove_buffer_objects

    for path in leftovers(f"{run_id}-"):
        if path.startswith("/dev/shm/") and not path.startswith("/dev/shm/sem."):
            remove_buffer_objects(path[len("/dev/shm/"):])
        elif path.endswith(".lock"):
            os.unlink(path)


@pytest.fixture
def ctx() -> Iterator["ScenarioContext"]:
    """A same-process scenario context for step tests, with its run's leftovers removed afterwards."""
    from zerobuffer_serve.steps.context import ScenarioContext, ScenarioInfo

    run_id = unique_name("run")
    context = ScenarioContext(ScenarioInfo(run_id=run_id, mode="same-process"))
    yield context
    context.release()
    remove_run_objects(run_id)


@pytest.fixture(scope="session", autouse=True)
def no_leftovers() -> Iterator[None]:
    """After the whole run nothing of ours may remain in /dev/shm or the lock directory."""
    yield
    remaining = leftovers(PREFIX) + leftovers("zbpy-bench-") + leftovers("pybdd")
    assert not remaining, f"test run left OS objects behind: {remaining}"


@pytest.fixture
def name() -> str:
    """A fresh buffer name."""
    return unique_name()


# ORCHESTRATION.md "Tags with a cost are off by default" (the orchestrator's CostlyTags list).
COSTLY_TAGS = ("long", "stress", "benchmark", "privileged", "windows")


def pytest_configure(config: pytest.Config) -> None:
    # Tags that stay plain marks (pytest-bdd turns every tag into one): declared, so pytest does not warn.
    config.addinivalue_line("markers", "other-user: starts a worker as another user (always with @privileged)")


def pytest_bdd_apply_tag(tag: str, function: object) -> object:
    """@separate-process scenarios need a real crash or a second pid: skipped in-process. Costly
    tags are off by default, as under Harmony: they run there with --long / --stress / --bench."""
    if tag in COSTLY_TAGS:
        pytest.mark.skip(reason=f"@{tag} is off by default: runs under Harmony (./test.sh python --tags @{tag})")(function)
        return True
    if tag == "separate-process":
        reason = ("@separate-process: needs a real SIGKILL or a second process id; "
                  "runs under Harmony (./test.sh python) instead of in-process pytest-bdd")
        pytest.mark.skip(reason=reason)(function)
        return True
    return None
