"""Runs one step under its timeout and turns the outcome into an executeStep result."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from zerobuffer import ZeroBufferException

from .context import ScenarioContext
from .registry import StepError, StepRegistry, parse_argument

_log = logging.getLogger("zerobuffer_serve.steps")

DEFAULT_TIMEOUT_MS = 30000


class StepAssertionError(AssertionError):
    """A step's expectation did not hold (errorType AssertionFailed)."""


@dataclass
class StepRequest:
    """The executeStep params the executor needs."""

    text: str
    argument: Any = None
    timeout_ms: Optional[int] = DEFAULT_TIMEOUT_MS
    step_id: str = ""
    process: str = ""


def classify(exc: BaseException) -> tuple[str, str]:
    """(errorType, message) for a failed step."""
    if isinstance(exc, ZeroBufferException):
        return exc.kind, f"{exc.kind}: {exc}"
    if isinstance(exc, AssertionError):
        return "AssertionFailed", str(exc) or "assertion failed"
    if isinstance(exc, StepError):
        return exc.kind, str(exc)
    return "UnhandledException", f"{type(exc).__name__}: {exc}"


class StepExecutor:
    """Matches and runs steps; a step that outlives its timeout is abandoned (its thread keeps
    running until cleanup cancels it) and answered with StepTimeout."""

    def __init__(self, registry: StepRegistry, timeouts_enabled: bool = True) -> None:
        self._registry = registry
        self._timeouts_enabled = timeouts_enabled

    def execute(self, context: ScenarioContext, request: StepRequest,
                logs: Callable[[], list[dict[str, Any]]]) -> dict[str, Any]:
        """Run the step; always returns a result dict (a failure is data, never a raise)."""
        started = time.monotonic()
        outcome: dict[str, Any] = {}
        try:
            match = self._registry.match(request.text, parse_argument(request.argument))
        except BaseException as exc:  # noqa: BLE001 - StepNotFound / AmbiguousStep / bad argument
            outcome["error"] = exc
        else:
            _log.debug("step %s -> %s", request.text, match.binding.source)

            def run() -> None:
                try:
                    outcome["data"] = match.invoke(context)
                except BaseException as exc:  # noqa: BLE001 - reported as the step's error
                    outcome["error"] = exc

            thread = threading.Thread(target=run, name=f"step-{request.step_id or 'x'}", daemon=True)
            thread.start()
            timeout = request.timeout_ms if self._timeouts_enabled else None
            thread.join(None if timeout is None else timeout / 1000.0)
            if thread.is_alive():
                elapsed = (time.monotonic() - started) * 1000.0
                with context.lock:
                    context.abandoned.append(thread)  # cleanup joins it before closing buffers
                _log.error("step timed out after %.0f ms (limit %s ms): %s", elapsed, timeout,
                           request.text)
                return self._result(False, f"step did not finish within {timeout} ms "
                                    f"(abandoned after {elapsed:.0f} ms): {request.text}",
                                    "StepTimeout", {"elapsedMs": round(elapsed)}, logs, started)
        error = outcome.get("error")
        if error is not None:
            kind, message = classify(error)
            _log.info("step failed (%s): %s", kind, message)
            return self._result(False, message, kind, {}, logs, started)
        data = outcome.get("data") or {}
        return self._result(True, None, None, data, logs, started)

    @staticmethod
    def _result(success: bool, error: Optional[str], error_type: Optional[str], data: dict[str, Any],
                logs: Callable[[], list[dict[str, Any]]], started: float) -> dict[str, Any]:
        return {"success": success, "error": error, "errorType": error_type, "data": data,
                "logs": logs(), "durationMs": round((time.monotonic() - started) * 1000.0, 3)}
