"""Turns captures and the step's table / doc string into a step function's arguments.

The order, per parameter after the context: Table / DocString (the step's multiline argument) →
the named group of the parameter's name → else the next positional group. A capture is converted
by the parameter's type hint: str (verbatim), int, float, bool (true/false/yes/no/1/0), an Enum
(member name or value). A table or doc string the function does not take is an error.
"""

from __future__ import annotations

import enum
import inspect
import re
from typing import Any, Optional

from . import messages
from .errors import StepArgumentError
from .request import DocString, StepRequest, Table

ARGUMENT_HINTS = (Table, DocString, Optional[Table], Optional[DocString])
# A set: ``hint in`` the tuple compares hint with each Optional[...] through typing's slow __eq__.
_MULTILINE_HINTS = frozenset(ARGUMENT_HINTS)
_TRUE = ("true", "yes", "1")
_FALSE = ("false", "no", "0")


def can_convert(hint: Any) -> bool:
    """Whether a capture can be converted to hint."""
    return (hint in (inspect.Parameter.empty, str, Any, int, float, bool)
            or (isinstance(hint, type) and issubclass(hint, enum.Enum)))


def is_multiline(hint: Any) -> bool:
    """Whether a parameter with this hint takes the step's table or doc string."""
    try:
        return hint in _MULTILINE_HINTS
    except TypeError:  # an unhashable hint is no Table or DocString
        return False


def convert_value(value: str, hint: Any, parameter: str) -> Any:
    """One capture converted to the parameter's type."""
    if hint in (inspect.Parameter.empty, str, Any):
        return value
    if hint is bool:
        lowered = value.strip().lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise StepArgumentError(messages.bad_value(value, "bool", parameter))
    if hint in (int, float):
        try:
            return hint(value)
        except ValueError:
            raise StepArgumentError(messages.bad_value(value, hint.__name__, parameter)) from None
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        for member in hint:
            if value in (member.name, str(member.value)):
                return member
        raise StepArgumentError(messages.bad_enum(value, [m.name for m in hint], parameter))
    raise StepArgumentError(messages.unsupported_parameter(parameter, hint))


def convert(params: list[inspect.Parameter], hints: dict[str, Any], match: re.Match[str],
            request: StepRequest) -> dict[str, Any]:
    """Keyword arguments for the step function (the context excluded)."""
    named = match.groupdict()
    positional = [] if named else list(match.groups())
    args: dict[str, Any] = {}
    index = 0
    argument_taken = False
    for param in params:
        hint = hints.get(param.name, param.annotation)
        if is_multiline(hint):
            argument_taken = True
            args[param.name] = _multiline(hint, request)
            continue
        if param.name in named:
            raw = named[param.name]
        elif index < len(positional):
            raw = positional[index]
            index += 1
        else:
            continue  # a parameter with a default (the binding was validated)
        args[param.name] = None if raw is None else convert_value(raw, hint, param.name)
    if request.argument is not None and not argument_taken:
        raise StepArgumentError(messages.unexpected_table(request.text) if isinstance(request.argument, Table)
                                else messages.unexpected_doc_string(request.text))
    return args


def _multiline(hint: Any, request: StepRequest) -> Any:
    wants_table = hint in (Table, Optional[Table])
    optional = hint in (Optional[Table], Optional[DocString])
    argument = request.argument
    if argument is None and optional:
        return None
    if wants_table and isinstance(argument, Table):
        return argument
    if not wants_table and isinstance(argument, DocString):
        return argument
    # None, or the other kind of multiline argument: the definition's kind is missing.
    raise StepArgumentError(messages.missing_table(request.text) if wants_table
                            else messages.missing_doc_string(request.text))
