"""Inline steps: a step runs on the thread that invokes it, and one that passes its limit (or runs
while the worker stops) is abandoned and its request answered again with the verdict."""

from __future__ import annotations

import threading
from typing import Any

from zerobuffer_serve.steps.attributes import given
from zerobuffer_serve.steps.context import ScenarioContext
from zerobuffer_serve.steps.invoker import StepInvoker
from zerobuffer_serve.steps.matcher import StepMatcher
from zerobuffer_serve.steps.registry import StepRegistry
from zerobuffer_serve.steps.request import StepRequest
from zerobuffer_serve.steps.step_watch import StepAbandoned

_release = threading.Event()


@given(r"it names its thread")
def names_thread(ctx: Any) -> dict[str, Any]:
    return {"thread": threading.current_thread().name}


@given(r"it blocks")
def blocks(ctx: Any) -> None:
    _release.wait(10)


def _inline(stop: threading.Event) -> tuple[StepInvoker, threading.Event]:
    invoker = StepInvoker(StepMatcher(StepRegistry.from_functions([names_thread, blocks])), stop=stop)
    answer_again = threading.Event()
    invoker.serve_inline(answer_again.set)
    invoker.inline = True
    return invoker, answer_again


def _abandoned_in_background(invoker: StepInvoker, context: ScenarioContext, timeout_ms: int) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def serve() -> None:
        try:
            seen["outcome"] = invoker.invoke(context, StepRequest("it blocks", timeout_ms=timeout_ms))
        except StepAbandoned:
            seen["abandoned"] = True

    seen["thread"] = threading.Thread(target=serve)
    seen["thread"].start()
    return seen


def test_an_inline_step_runs_on_the_calling_thread() -> None:
    invoker, _ = _inline(threading.Event())
    outcome = invoker.invoke(ScenarioContext(), StepRequest("it names its thread"))
    assert outcome.success and outcome.data == {"thread": threading.current_thread().name}


def test_a_step_past_its_limit_is_answered_again_with_step_timeout() -> None:
    _release.clear()
    invoker, answer_again = _inline(threading.Event())
    context = ScenarioContext()
    seen = _abandoned_in_background(invoker, context, timeout_ms=150)
    assert answer_again.wait(5)
    verdict = invoker.invoke(context, StepRequest("it blocks"))  # the second answer runs nothing
    assert verdict.error_type == "StepTimeout" and verdict.data["elapsedMs"] >= 140
    assert len(context.abandoned) == 1 and context.abandoned[0].is_alive()
    _release.set()
    seen["thread"].join(5)
    assert seen == {"thread": seen["thread"], "abandoned": True}  # never answered by its own thread
    assert not context.abandoned[0].is_alive()
    # The next step runs again.
    assert invoker.invoke(context, StepRequest("it names its thread")).success


def test_a_step_running_when_the_worker_stops_is_cancelled() -> None:
    _release.clear()
    stop = threading.Event()
    invoker, answer_again = _inline(stop)
    context = ScenarioContext()
    seen = _abandoned_in_background(invoker, context, timeout_ms=30000)
    threading.Event().wait(0.1)
    assert not answer_again.is_set()
    stop.set()
    assert answer_again.wait(5)
    verdict = invoker.invoke(context, StepRequest("it blocks"))
    assert verdict.error_type == "StepCancelled" and context.cancel.is_set()
    _release.set()
    seen["thread"].join(5)
    assert seen.get("abandoned") is True
