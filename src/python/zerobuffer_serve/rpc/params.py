"""Reading method params: the compat forms (``[{..}]``, PascalCase keys, ``stepType`` 0/1/2) and
typed getters that raise InvalidParamsError (-32602) naming the key."""

from __future__ import annotations

from typing import Any, Optional, TypeVar

from ..steps.request import DEFAULT_TIMEOUT_MS, StepRequest, parse_argument
from .errors import InvalidParamsError

T = TypeVar("T")
STEP_TYPES = ("given", "when", "then")


def _camel(key: str) -> str:
    return key[:1].lower() + key[1:] if key[:1].isupper() else key


def normalize(params: Any) -> dict[str, Any]:
    """Accept {..}, [{..}], [] or null; PascalCase keys become camelCase."""
    if params is None:
        return {}
    if isinstance(params, list):
        if len(params) == 0:
            return {}
        if len(params) == 1 and isinstance(params[0], dict):
            params = params[0]
        else:
            raise InvalidParamsError("params must be an object or a one-element array holding one")
    if not isinstance(params, dict):
        raise InvalidParamsError("params must be an object")
    return {_camel(str(k)): v for k, v in params.items()}


def optional(params: dict[str, Any], key: str, kind: type[T], default: T) -> T:
    """params[key] when present and not null, else default; a value of another type is -32602."""
    value = params.get(key)
    if value is None:
        return default
    if isinstance(value, bool) and kind is not bool:
        raise InvalidParamsError(f"'{key}' must be of type {kind.__name__}, got bool")
    if not isinstance(value, kind):
        raise InvalidParamsError(f"'{key}' must be of type {kind.__name__}, got {type(value).__name__}")
    return value


def required(params: dict[str, Any], key: str, kind: type[T], what: str) -> T:
    """params[key], which must be there with that type."""
    value = params.get(key)
    if value is None or isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
        raise InvalidParamsError(f"'{key}' ({what}) is required and must be of type {kind.__name__}")
    return value


def step_type(params: dict[str, Any]) -> str:
    """given|when|then from a string or 0/1/2 (informational: matching ignores it)."""
    value = params.get("stepType")
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value < len(STEP_TYPES):
            raise InvalidParamsError(f"'stepType' {value} is not 0, 1 or 2")
        return STEP_TYPES[value]
    if isinstance(value, str):
        return value
    raise InvalidParamsError("'stepType' must be given|when|then or 0/1/2")


def step_request(params: dict[str, Any]) -> StepRequest:
    """The executeStep params as a StepRequest."""
    text = required(params, "step", str, "the step text")
    timeout = optional(params, "timeoutMs", int, DEFAULT_TIMEOUT_MS)
    step_id = params.get("stepId")
    return StepRequest(text=text,
                       argument=parse_argument(params.get("argument")),
                       timeout_ms=timeout if timeout > 0 else DEFAULT_TIMEOUT_MS,
                       step_id="" if step_id is None else str(step_id),
                       process=optional(params, "process", str, ""),
                       step_type=step_type(params))
