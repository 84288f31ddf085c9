"""One pattern bound to one function. An invalid binding (bad regex, parameters that do not fit the
groups or cannot be converted) keeps its error instead of raising, so discover reports every one."""

from __future__ import annotations

import functools
import inspect
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from . import messages
from .arguments import can_convert, is_multiline
from .required_literal import required_literal
from .request import ARGUMENT_DOC_STRING, ARGUMENT_NONE, ARGUMENT_TABLE, DocString, Table

StepFunc = Callable[..., Optional[dict[str, Any]]]


@dataclass(frozen=True)
class StepBinding:
    """``regex`` is the full-match pattern (None when it does not compile); ``error`` is why the
    binding cannot be used (None when valid)."""

    step_type: str
    pattern: str
    source: str
    func: StepFunc
    regex: Optional[re.Pattern[str]] = None
    error: Optional[str] = None
    params: list[inspect.Parameter] = field(default_factory=list)
    hints: dict[str, Any] = field(default_factory=dict)
    # Text every match contains (required_literal): the matcher tests it before running the regex.
    required_text: str = ""

    @property
    def is_valid(self) -> bool:
        return self.error is None

    @functools.cached_property
    def argument_kinds(self) -> frozenset[str]:
        """The multiline arguments the function takes: its Table / DocString parameter (an Optional
        one also takes none), else none. Cached: every executeStep asks."""
        for param in self.params:
            hint = self.hints.get(param.name, param.annotation)
            if is_multiline(hint):
                kind = ARGUMENT_TABLE if hint in (Table, Optional[Table]) else ARGUMENT_DOC_STRING
                return frozenset({kind, ARGUMENT_NONE}) if hint in (Optional[Table], Optional[DocString]) \
                    else frozenset({kind})
        return frozenset({ARGUMENT_NONE})

    @property
    def accepts(self) -> Optional[str]:
        """discover's "accepts": the one argument kind the function takes; None when it takes either
        its kind or none (an Optional table / doc string), which one word cannot say."""
        kinds = self.argument_kinds
        return next(iter(kinds)) if len(kinds) == 1 else None

    def __str__(self) -> str:
        return f"'{self.pattern}' ({self.source})"

    @staticmethod
    def create(step_type: str, pattern: str, func: StepFunc) -> StepBinding:
        """Compile and check; never raises (a problem makes an invalid binding)."""
        code = func.__code__
        source = f"{code.co_filename.rsplit('/', 1)[-1]}:{code.co_firstlineno}"
        try:
            regex: Optional[re.Pattern[str]] = re.compile(pattern)
        except re.error as exc:
            return StepBinding(step_type, pattern, source, func, error=messages.invalid_regex(pattern, str(exc)))
        params = list(inspect.signature(func).parameters.values())[1:]  # the first one is the context
        try:
            hints = typing.get_type_hints(func)
        except Exception as exc:  # noqa: BLE001 - any failure to resolve hints makes the binding invalid
            return StepBinding(step_type, pattern, source, func, regex, messages.unreadable_hints(str(exc)))
        error = _check_parameters(pattern, regex, params, hints)  # type: ignore[arg-type]
        return StepBinding(step_type, pattern, source, func, regex, error, params, hints, required_literal(pattern))


def _check_parameters(pattern: str, regex: re.Pattern[str], params: list[inspect.Parameter],
                      hints: dict[str, Any]) -> Optional[str]:
    values = [p for p in params if not is_multiline(hints.get(p.name, p.annotation))]
    for param in values:
        hint = hints.get(param.name, param.annotation)
        if not can_convert(hint):
            return messages.unsupported_parameter(param.name, hint)
    if regex.groupindex:
        for param in values:
            if param.name not in regex.groupindex and param.default is inspect.Parameter.empty:
                return messages.missing_group(param.name, pattern)
        return None
    if len(values) != regex.groups:
        return messages.parameter_count_mismatch(pattern, regex.groups, len(values))
    return None
