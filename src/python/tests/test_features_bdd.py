"""Run features/*.feature in-process with pytest-bdd, through the same step functions the worker uses.

A thin adapter: every registry binding is registered with pytest-bdd's ``parsers.re`` (anchored, for
every keyword, since the registry is keyword-independent). Reader and writer roles share one
ScenarioContext in this process, exactly like the worker's same-process mode. Orchestrator-owned
steps get local implementations as in that mode: a killed role is simulated (simulateCrash) and
starting a new process for it is a no-op. Scenarios tagged @separate-process are skipped with a
reason by conftest.pytest_bdd_apply_tag.
"""

from __future__ import annotations

import inspect
import itertools
import os
import re
import time
from typing import Any, Callable, Iterator

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from conftest import REPO, remove_run_objects
from zerobuffer_serve.step_definitions import ALL
from zerobuffer_serve.steps.arguments import ARGUMENT_HINTS, convert_value
from zerobuffer_serve.steps.binding import StepBinding
from zerobuffer_serve.steps.context import ScenarioContext, ScenarioInfo
from zerobuffer_serve.steps.registry import StepRegistry

_runs = itertools.count()


@pytest.fixture
def zb_context() -> Iterator[ScenarioContext]:
    """One scenario context for every role, released after the scenario; then, as the orchestrator
    does, whatever a simulated crash left of the run is removed."""
    run_id = f"pybdd{os.getpid()}-{next(_runs)}"
    context = ScenarioContext(ScenarioInfo(run_id=run_id, mode="same-process"))
    yield context
    context.release()
    remove_run_objects(run_id)


def _named_pattern(binding: StepBinding) -> str:
    """pytest-bdd passes named groups only: positional groups are named after their parameters."""
    if binding.regex is None or binding.regex.groupindex:
        return binding.pattern
    names = iter(p.name for p in binding.params if binding.hints.get(p.name) not in ARGUMENT_HINTS)
    return re.sub(r"\((?!\?)", lambda _: f"(?P<{next(names)}>", binding.pattern)


def _adapt(binding: StepBinding) -> Callable[..., Any]:
    """A function pytest-bdd can call: parsed groups + the zb_context fixture -> the registry step."""
    names = [p.name for p in binding.params if binding.hints.get(p.name) not in ARGUMENT_HINTS]

    def run(zb_context: ScenarioContext, **groups: str) -> None:
        args = {n: convert_value(groups[n], binding.hints.get(n, str), n) for n in names}
        binding.func(zb_context, **args)

    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("zb_context", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names])
    run.__name__ = binding.func.__name__
    return run


# Registration must happen at module level: pytest-bdd stores step fixtures in the caller's locals.
for _binding in StepRegistry.from_modules(ALL).bindings:
    _function = _adapt(_binding)
    for _decorator in (given, when, then):
        _decorator(parsers.re(_named_pattern(_binding) + r"\Z"))(_function)


def _wait(zb_context: ScenarioContext, amount: str, unit: str) -> None:
    time.sleep(int(amount) / (1000.0 if unit == "ms" else 1.0))


def _crash(zb_context: ScenarioContext, process: str) -> None:
    zb_context.simulate_crash(process)


def _start_process(process: str) -> None:
    """The role lives on in this process: nothing to start."""


for _decorator in (given, when, then):
    _decorator(parsers.re(r"wait for '(?P<amount>\d+)' (?P<unit>ms|seconds)\Z"))(_wait)
    _decorator(parsers.re(r"the '(?P<process>[^']+)' process (is killed|crashes)( while .*)?\Z"))(
        _crash)
    _decorator(parsers.re(r"a new '(?P<process>[^']+)' process is started\Z"))(_start_process)
    # Only @privileged @separate-process scenarios use these (skipped here); bound so the features collect.
    _decorator(parsers.re(r"a new '(?P<process>[^']+)' process is started (as user '[^']+'|with a private "
                          r"/dev/shm of '\d+' KB( and '\d+' files)?)\Z"))(_start_process)

scenarios(os.path.join(REPO, "features"))
