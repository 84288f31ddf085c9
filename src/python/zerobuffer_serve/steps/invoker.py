"""Runs one step: match, convert arguments, run under its timeout, classify.

Never sees the ZeroBuffer library: an exception is classified by the built-in step errors, then by
the injected classifiers (the step definitions provide one for their library), else
UnhandledException. A step that outlives its timeout, or the worker itself (``stop``), is
abandoned: the context keeps its run and joins it before releasing anything.

Where the step runs: once the serving loop has called ``serve_inline``, a step runs on the calling
thread itself while ``inline`` is set (the loop sets it per request), watched by a StepWatch; an
abandoned step's request is then answered again on another thread (the loop's ``answer_again``),
where ``invoke`` returns the verdict instead of running anything. Otherwise (a batch, or no serving
loop) the step runs on a step thread while the caller waits.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, Optional, Sequence

from . import messages
from .arguments import convert
from .context import ScenarioContext
from .errors import (AMBIGUOUS_STEP, STEP_CANCELLED, STEP_NOT_FOUND, STEP_TIMEOUT, UNHANDLED,
                     StepErrorClassifier, builtin_error_type)
from .matcher import StepMatcher, StepMatchKind
from .request import ARGUMENT_NONE, StepOutcome, StepRequest, argument_kind
from .step_threads import StepRun, StepThreads
from .step_watch import StepAbandoned, StepWatch, WatchedStep

_log = logging.getLogger("zerobuffer_serve.steps")

_STOP_POLL_SECONDS = 0.05


class StepInvoker:
    """``stop`` is set when the worker must exit (end of input, parent gone): a running step is then
    abandoned at once instead of at its timeout."""

    def __init__(self, matcher: StepMatcher, classifiers: Sequence[StepErrorClassifier] = (),
                 timeouts_enabled: bool = True, stop: Optional[threading.Event] = None,
                 threads: Optional[StepThreads] = None) -> None:
        self._matcher = matcher
        self._threads = threads or StepThreads()
        self._classifiers = list(classifiers)
        self._timeouts_enabled = timeouts_enabled
        self._stop = stop or threading.Event()
        self._watch = StepWatch(self._stop, self._expire)
        self._answer_again: Optional[Callable[[], None]] = None
        self._verdict: Optional[StepOutcome] = None  # an abandoned step's outcome, for its second answer
        self.inline = False

    def serve_inline(self, answer_again: Callable[[], None]) -> None:
        """Run steps on the calling thread while ``inline`` is set; answer_again is called (on the
        watch's thread) when such a step is abandoned, to answer its request again elsewhere."""
        self._answer_again = answer_again

    def invoke(self, context: ScenarioContext, request: StepRequest) -> StepOutcome:
        """Always returns an outcome; a failure is data, never a raise (except StepAbandoned, on the
        thread of an abandoned inline step, once it returns)."""
        verdict, self._verdict = self._verdict, None
        if verdict is not None:
            return verdict
        started = time.monotonic()
        found = self._matcher.match(request.text)
        if found.kind is StepMatchKind.NOT_FOUND:
            return self._failed(STEP_NOT_FOUND, messages.not_found(request.text, found.candidates, found.broken),
                                started)
        if found.kind is StepMatchKind.AMBIGUOUS:
            return self._failed(AMBIGUOUS_STEP, messages.ambiguous(request.text, found.candidates), started)
        assert found.binding is not None and found.match is not None
        binding = found.binding
        # A table or doc string the definition does not take (or a missing one) is a binding error,
        # found before the step runs, as for a step with no definition.
        got = argument_kind(request.argument)
        if got not in binding.argument_kinds:
            takes = next(k for k in sorted(binding.argument_kinds) if k != ARGUMENT_NONE) \
                if len(binding.argument_kinds) > 1 else next(iter(binding.argument_kinds))
            return self._failed(STEP_NOT_FOUND, messages.argument_mismatch(request.text, binding, got, takes), started)
        try:
            args = convert(binding.params, binding.hints, found.match, request)
        except Exception as exc:  # noqa: BLE001 - a binding error is the step's failure
            return self._failure(exc, request, started)
        _log.debug("step %s -> %s", request.text, binding.source)
        if self.inline and self._answer_again is not None:
            return self._run_inline(context, request, binding.func, args, started)

        outcome: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                outcome["data"] = binding.func(context, **args)
            except BaseException as exc:  # noqa: BLE001 - reported as the step's error
                outcome["error"] = exc
            finally:
                done.set()

        step_run = self._threads.run(run, f"step-{request.step_id or 'x'}")
        limit = request.timeout_ms / 1000.0 if self._timeouts_enabled else None
        ended = self._wait(done, started, limit)
        if not ended:
            with context.lock:
                context.abandoned.append(step_run)  # release joins it before releasing buffers
            return self._abandoned(context, request, started, self._stop.is_set())
        error = outcome.get("error")
        if error is not None:
            return self._failure(error, request, started)
        data = outcome.get("data")
        return StepOutcome.passed(data if isinstance(data, dict) else None, _elapsed(started))

    def _run_inline(self, context: ScenarioContext, request: StepRequest, func: Callable[..., Any],
                    args: dict[str, Any], started: float) -> StepOutcome:
        run = StepRun(f"step-{request.step_id or 'x'}")
        limit = request.timeout_ms / 1000.0 if self._timeouts_enabled else None
        self._watch.start(WatchedStep(run, context, request, started, limit))
        error: Optional[BaseException] = None
        try:
            data = func(context, **args)
        except BaseException as exc:  # noqa: BLE001 - reported as the step's error
            error, data = exc, None
        finally:
            owned = self._watch.end(run)
            run.finish()
        if not owned:
            raise StepAbandoned(run.name)
        if error is not None:
            return self._failure(error, request, started)
        return StepOutcome.passed(data if isinstance(data, dict) else None, _elapsed(started))

    def _expire(self, step: WatchedStep, stopping: bool) -> None:
        """On the watch's thread: abandon step and have its request answered again with the verdict."""
        with step.context.lock:
            step.context.abandoned.append(step.run)  # release joins it before releasing buffers
        self._verdict = self._abandoned(step.context, step.request, step.started, stopping)
        if self._answer_again is not None:
            self._answer_again()

    def _abandoned(self, context: ScenarioContext, request: StepRequest, started: float,
                   stopping: bool) -> StepOutcome:
        """The outcome of a step given up on: the worker stops (cancelled) or its limit passed."""
        elapsed = (time.monotonic() - started) * 1000.0
        if stopping:
            context.cancel.set()
            return self._failed(STEP_CANCELLED, messages.stopped(request.text, "the worker is stopping", elapsed),
                                started)
        _log.error("step timed out after %.0f ms (limit %d ms): %s", elapsed, request.timeout_ms, request.text)
        return self._failed(STEP_TIMEOUT, messages.timeout(request.text, request.timeout_ms, elapsed), started,
                            {"elapsedMs": round(elapsed)})

    def _wait(self, done: threading.Event, started: float, limit: Optional[float]) -> bool:
        """Until the step ends (True), its limit passes or the worker stops (False)."""
        while True:
            slice_ = _STOP_POLL_SECONDS
            if limit is not None:
                slice_ = min(slice_, max(0.0, started + limit - time.monotonic()))
            if done.wait(slice_):
                return True
            if self._stop.is_set() or (limit is not None and time.monotonic() - started >= limit):
                return False

    def classify(self, exc: BaseException) -> str:
        """The errorType of a step's exception."""
        kind = builtin_error_type(exc)
        for classifier in self._classifiers:
            if kind is not None:
                break
            kind = classifier(exc)
        return kind or UNHANDLED

    def _failure(self, exc: BaseException, request: StepRequest, started: float) -> StepOutcome:
        kind = self.classify(exc)
        if kind == UNHANDLED:
            message = messages.unhandled(exc)
            _log.error("step %r raised %s", request.text, message, exc_info=exc)
        else:
            message = str(exc) or kind
            _log.info("step failed (%s): %s", kind, message)
        return self._failed(kind, message, started)

    @staticmethod
    def _failed(kind: str, message: str, started: float, data: Optional[dict[str, Any]] = None) -> StepOutcome:
        return StepOutcome.failed(kind, message, _elapsed(started), data)


def _elapsed(started: float) -> float:
    return round((time.monotonic() - started) * 1000.0, 3)
