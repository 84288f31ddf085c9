"""The worker's JSON-RPC methods: health, initialize, discover, executeStep, cleanup, shutdown."""

from __future__ import annotations

import logging
import os
from typing import Any, Callable, Optional

from . import __version__
from .context import ScenarioContext
from .executor import DEFAULT_TIMEOUT_MS, StepExecutor, StepRequest
from .registry import StepRegistry
from .rpc_errors import InvalidParamsError

_log = logging.getLogger("zerobuffer_serve")

_STEP_TYPES = {0: "given", 1: "when", 2: "then"}


def _optional(params: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    value = params.get(key, default)
    if value is None:
        return default
    if kind is int and isinstance(value, bool):
        raise InvalidParamsError(f"'{key}' must be an integer")
    if not isinstance(value, kind):
        raise InvalidParamsError(f"'{key}' must be of type {kind.__name__}, got {type(value).__name__}")
    return value


class WorkerMethods:
    """State of one worker process: the current scenario context and the step executor."""

    def __init__(self, registry: StepRegistry, logs: Callable[[], list[dict[str, Any]]],
                 timeouts_enabled: bool = True) -> None:
        self._registry = registry
        self._logs = logs
        self._executor = StepExecutor(registry, timeouts_enabled)
        self.context: Optional[ScenarioContext] = None
        self.shutdown_requested = False

    def handlers(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        """Method name -> handler."""
        return {"health": self.health, "initialize": self.initialize, "discover": self.discover,
                "executeStep": self.execute_step, "cleanup": self.cleanup, "shutdown": self.shutdown}

    def health(self, params: dict[str, Any]) -> dict[str, Any]:
        """Liveness and identity."""
        return {"status": "ok", "platform": "python", "pid": os.getpid(), "protocol": 1,
                "version": __version__}

    def initialize(self, params: dict[str, Any]) -> dict[str, Any]:
        """Start a scenario (cleaning up a previous one first)."""
        run_id = _optional(params, "runId", str, "")
        role = _optional(params, "role", str, "")
        _optional(params, "roles", list, [])
        mode = _optional(params, "mode", str, "separate-process")
        scenario = _optional(params, "scenario", str, "")
        feature = _optional(params, "feature", str, "")
        if self.context is not None:
            self.release()
        self.context = ScenarioContext(run_id, role, mode, scenario, feature)
        _log.info("initialized scenario '%s' (role %s, mode %s, runId %s)", scenario, role, mode, run_id)
        return {"ok": True}

    def discover(self, params: dict[str, Any]) -> dict[str, Any]:
        """Every registered step."""
        return {"steps": [{"type": b.kind, "pattern": b.pattern, "source": b.source}
                          for b in self._registry.bindings]}

    def execute_step(self, params: dict[str, Any]) -> dict[str, Any]:
        """Run one step; failures are results, not JSON-RPC errors."""
        text = params.get("step")
        if not isinstance(text, str):
            raise InvalidParamsError("'step' (the step text) is required and must be a string")
        step_type = params.get("stepType")
        if isinstance(step_type, int) and not isinstance(step_type, bool):
            if step_type not in _STEP_TYPES:
                raise InvalidParamsError(f"'stepType' {step_type} is not 0, 1 or 2")
        elif step_type is not None and not isinstance(step_type, str):
            raise InvalidParamsError("'stepType' must be a string or 0/1/2")
        timeout = _optional(params, "timeoutMs", int, DEFAULT_TIMEOUT_MS)
        if timeout <= 0:
            timeout = DEFAULT_TIMEOUT_MS
        step_id = params.get("stepId")
        process = params.get("process")
        if self.context is None:
            self.context = ScenarioContext()  # run by hand without initialize
        request = StepRequest(text, params.get("argument"), timeout,
                              str(step_id) if step_id is not None else "",
                              process if isinstance(process, str) else "")
        return self._executor.execute(self.context, request, self._logs)

    def cleanup(self, params: dict[str, Any]) -> dict[str, Any]:
        """Dispose everything of the scenario."""
        released = self.release()
        return {"ok": True, "released": released}

    def shutdown(self, params: dict[str, Any]) -> dict[str, Any]:
        """Acknowledge; the serve loop then releases everything and exits 0."""
        self.shutdown_requested = True
        return {"ok": True}

    def release(self) -> list[str]:
        """Release the current scenario context, if any."""
        context, self.context = self.context, None
        if context is None:
            return []
        released = context.release()
        _log.info("released %s", released or "nothing")
        return released
