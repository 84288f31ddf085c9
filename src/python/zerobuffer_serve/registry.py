"""Step registry: ``@given/@when/@then/@step`` fill a list of (kind, compiled regex, func).

Knows regexes and argument conversion, not JSON-RPC and not pytest. Matching is a full match of the
whole step text and ignores the keyword. A step function's first parameter receives the scenario
context; the others receive the regex groups (named groups by parameter name, else in order),
converted from their type hints: str, int, float, bool, an Enum (by name or value), and the step
argument as Table or DocString.
"""

from __future__ import annotations

import difflib
import enum
import inspect
import re
import typing
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

StepFunc = Callable[..., Optional[dict[str, Any]]]
KINDS = ("given", "when", "then", "step")


@dataclass(frozen=True)
class Table:
    """A Gherkin data table."""

    header: list[str]
    rows: list[list[str]]

    def dicts(self) -> list[dict[str, str]]:
        """Rows as header-keyed dicts."""
        return [dict(zip(self.header, row)) for row in self.rows]


@dataclass(frozen=True)
class DocString:
    """A Gherkin doc string."""

    content: str
    media_type: Optional[str] = None


class StepError(Exception):
    """Base of the registry's errors; ``kind`` is the worker errorType."""

    kind = "UnhandledException"


class StepNotFoundError(StepError):
    """No pattern matches the step text."""

    kind = "StepNotFound"


class AmbiguousStepError(StepError):
    """More than one pattern matches."""

    kind = "AmbiguousStep"


class StepArgumentError(StepError):
    """A captured value cannot be converted to its parameter's type."""

    kind = "UnhandledException"


@dataclass
class StepBinding:
    """One registered step definition."""

    kind: str
    pattern: str
    regex: re.Pattern[str]
    func: StepFunc
    source: str
    params: list[inspect.Parameter] = field(default_factory=list)
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass
class StepMatch:
    """A binding plus the converted arguments for one step text."""

    binding: StepBinding
    args: dict[str, Any]

    def invoke(self, context: Any) -> Optional[dict[str, Any]]:
        """Call the step function."""
        return self.binding.func(context, **self.args)


class StepRegistry:
    """The list of bindings and the matcher."""

    def __init__(self) -> None:
        self.bindings: list[StepBinding] = []

    def register(self, kind: str, pattern: str, func: StepFunc) -> StepFunc:
        """Add a binding; the regex is anchored (full match)."""
        if kind not in KINDS:
            raise ValueError(f"step kind must be one of {KINDS}, got {kind!r}")
        regex = re.compile(pattern)
        signature = inspect.signature(func)
        params = list(signature.parameters.values())[1:]  # first one is the context
        hints = typing.get_type_hints(func)
        code = func.__code__
        source = f"{code.co_filename.rsplit('/', 1)[-1]}:{code.co_firstlineno}"
        self.bindings.append(StepBinding(kind, pattern, regex, func, source, params, hints))
        return func

    def decorator(self, kind: str) -> Callable[[str], Callable[[StepFunc], StepFunc]]:
        """A decorator factory for one kind."""
        def outer(pattern: str) -> Callable[[StepFunc], StepFunc]:
            def inner(func: StepFunc) -> StepFunc:
                return self.register(kind, pattern, func)
            return inner
        return outer

    def match(self, text: str, argument: Optional[Any] = None) -> StepMatch:
        """The single binding matching text, with converted arguments."""
        found = [(b, m) for b in self.bindings for m in [b.regex.fullmatch(text)] if m]
        if not found:
            raise StepNotFoundError(self._not_found_message(text))
        if len(found) > 1:
            listing = "; ".join(f"{b.pattern} ({b.source})" for b, _ in found)
            raise AmbiguousStepError(f"step '{text}' matches {len(found)} definitions: {listing}")
        binding, m = found[0]
        return StepMatch(binding, convert_arguments(binding, m, argument))

    def _not_found_message(self, text: str) -> str:
        readable = {self.readable(b.pattern): b.pattern for b in self.bindings}
        closest = difflib.get_close_matches(text, list(readable), n=3, cutoff=0.3)
        hint = "; closest patterns: " + " | ".join(readable[c] for c in closest) if closest else ""
        return f"no step definition matches '{text}'{hint}"

    @staticmethod
    def readable(pattern: str) -> str:
        """A pattern with its groups replaced by placeholders, for similarity ranking."""
        return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", pattern).replace("\\", "")


def convert_value(value: str, target: Any, name: str) -> Any:
    if target in (inspect.Parameter.empty, str, Any):
        return value
    if target is bool:
        lowered = value.strip().lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise StepArgumentError(f"'{value}' is not a boolean (parameter {name})")
    if target in (int, float):
        try:
            return target(value)
        except ValueError:
            raise StepArgumentError(f"'{value}' is not {target.__name__} (parameter {name})") from None
    if isinstance(target, type) and issubclass(target, enum.Enum):
        for member in target:
            if value in (member.name, str(member.value)):
                return member
        allowed = ", ".join(m.name for m in target)
        raise StepArgumentError(f"'{value}' is not a {target.__name__} (one of {allowed}) "
                                f"(parameter {name})")
    raise StepArgumentError(f"no conversion to {target!r} for parameter {name}")


def convert_arguments(binding: StepBinding, m: re.Match[str], argument: Optional[Any]) -> dict[str, Any]:
    """Map regex groups and the step argument onto the function parameters (see module doc)."""
    named = m.groupdict()
    positional: Sequence[str] = [] if named else list(m.groups())
    args: dict[str, Any] = {}
    index = 0
    argument_taken = False
    for param in binding.params:
        target = binding.hints.get(param.name, param.annotation)
        if target in (Table, DocString, Optional[Table], Optional[DocString]):
            args[param.name] = argument
            argument_taken = True
            continue
        if param.name in named:
            raw = named[param.name]
        elif index < len(positional):
            raw = positional[index]
            index += 1
        elif param.default is not inspect.Parameter.empty:
            continue
        else:
            raise StepArgumentError(f"{binding.source}: parameter '{param.name}' has no group in "
                                    f"pattern {binding.pattern!r}")
        args[param.name] = convert_value(raw, target, param.name) if raw is not None else None
    if argument is not None and not argument_taken:
        # As in the C# and C++ workers: a table or doc string the definition cannot take is an error,
        # never silently dropped.
        what = "data table" if isinstance(argument, Table) else "doc string"
        raise StepArgumentError(f"the step got a {what}, but its definition {binding.source} takes none")
    return args


def parse_argument(raw: Any) -> Optional[Any]:
    """The executeStep ``argument`` (table / docString / null) as Table, DocString or None."""
    if not isinstance(raw, dict):
        return None
    table = raw.get("table") or raw.get("Table")
    if isinstance(table, dict):
        return Table([str(h) for h in table.get("header") or table.get("Header") or []],
                     [[str(c) for c in row] for row in table.get("rows") or table.get("Rows") or []])
    doc = raw.get("docString") or raw.get("DocString")
    if isinstance(doc, dict):
        return DocString(str(doc.get("content") or doc.get("Content") or ""),
                         doc.get("mediaType") or doc.get("MediaType"))
    return None


registry = StepRegistry()
given = registry.decorator("given")
when = registry.decorator("when")
then = registry.decorator("then")
step = registry.decorator("step")
