"""The worker's JSON-RPC methods: health, initialize, discover, executeStep, simulateCrash, cleanup,
shutdown."""

from __future__ import annotations

import logging
import os
from typing import Any, Callable, Optional

from .. import PLATFORM, __version__
from ..steps.context import ScenarioContext, ScenarioInfo
from ..steps.invoker import StepInvoker
from ..steps.registry import StepRegistry
from . import params as p
from .errors import InvalidParamsError

_log = logging.getLogger("zerobuffer_serve")

MODES = ("separate-process", "same-process")
Handler = Callable[[dict[str, Any]], Any]


class WorkerMethods:
    """State of one worker process: the current scenario context; steps go to the invoker."""

    def __init__(self, registry: StepRegistry, invoker: StepInvoker,
                 logs: Callable[[], list[dict[str, Any]]]) -> None:
        self._registry = registry
        self._invoker = invoker
        self._logs = logs
        self.context: Optional[ScenarioContext] = None
        self.shutdown_requested = False

    def handlers(self) -> dict[str, Handler]:
        """Method name -> handler."""
        return {"health": self.health, "initialize": self.initialize, "discover": self.discover,
                "executeStep": self.execute_step, "simulateCrash": self.simulate_crash, "cleanup": self.cleanup, "shutdown": self.shutdown}

    def health(self, params: dict[str, Any]) -> dict[str, Any]:
        """Liveness and identity."""
        return {"status": "ok", "platform": PLATFORM, "pid": os.getpid(), "protocol": 1, "version": __version__}

    def initialize(self, params: dict[str, Any]) -> dict[str, Any]:
        """Start a scenario (cleaning up a previous one first)."""
        p.optional(params, "roles", list, [])
        p.optional(params, "platform", str, "")
        info = ScenarioInfo(run_id=p.optional(params, "runId", str, ""), role=p.optional(params, "role", str, ""),
                            mode=p.optional(params, "mode", str, MODES[0]),
                            scenario=p.optional(params, "scenario", str, ""),
                            feature=p.optional(params, "feature", str, ""))
        if info.mode not in MODES:
            raise InvalidParamsError(f"'mode' must be one of {', '.join(MODES)}, not '{info.mode}'")
        if self.context is not None:
            self.release()
        self.context = ScenarioContext(info)
        _log.info("initialized scenario '%s' (role %s, mode %s, runId %s)", info.scenario, info.role, info.mode,
                  info.run_id)
        return {"ok": True}

    def discover(self, params: dict[str, Any]) -> dict[str, Any]:
        """Every step definition; an invalid one also carries its ``error``."""
        steps = []
        for binding in self._registry.bindings:
            entry: dict[str, Any] = {"type": binding.step_type, "pattern": binding.pattern, "source": binding.source}
            if binding.accepts is not None:
                entry["accepts"] = binding.accepts
            if binding.error is not None:
                entry["error"] = binding.error
            steps.append(entry)
        return {"steps": steps}

    def execute_step(self, params: dict[str, Any]) -> dict[str, Any]:
        """Run one step; failures are results, not JSON-RPC errors."""
        request = p.step_request(params)
        if self.context is None:
            self.context = ScenarioContext()  # run by hand without initialize
        outcome = self._invoker.invoke(self.context, request)
        return {"success": outcome.success, "error": outcome.error, "errorType": outcome.error_type,
                "data": outcome.data, "logs": self._logs(), "durationMs": outcome.duration_ms}

    def simulate_crash(self, params: dict[str, Any]) -> dict[str, Any]:
        """Same-process mode: abandon the role's readers, writers and background work as its killed
        process would leave them (an unknown role abandons nothing)."""
        role = p.required(params, "role", str, "the role to crash")
        abandoned = self.context.simulate_crash(role) if self.context is not None else []
        _log.info("simulated a crash of role %s: abandoned %s", role, abandoned or "nothing")
        return {"ok": True}

    def cleanup(self, params: dict[str, Any]) -> dict[str, Any]:
        """Dispose everything of the scenario."""
        return {"ok": True, "released": self.release()}

    def shutdown(self, params: dict[str, Any]) -> dict[str, Any]:
        """Acknowledge; the serve loop then releases everything and exits 0."""
        self.shutdown_requested = True
        return {"ok": True}

    def release(self, join_seconds: Optional[float] = None) -> list[str]:
        """Release the current scenario context, if any (join_seconds bounds the wait for its threads)."""
        context, self.context = self.context, None
        if context is None:
            return []
        released = context.release() if join_seconds is None else context.release(join_seconds)
        _log.info("released %s", released or "nothing")
        return released
