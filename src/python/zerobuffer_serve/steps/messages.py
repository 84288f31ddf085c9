"""Every user-facing message of the registry, matcher, argument conversion and invoker (as C# StepErrors)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from .phrases import render

if TYPE_CHECKING:
    from .binding import StepBinding


def _list(bindings: Sequence[StepBinding]) -> str:
    return "; ".join(str(b) if b.is_valid else f"{b} [invalid: {b.error}]" for b in bindings)


def not_found(text: str, closest: Sequence[StepBinding], broken: Sequence[StepBinding]) -> str:
    if broken:
        reasons = "; ".join(f"{b}, which is invalid: {b.error}" for b in broken)
        return f'No valid step definition matches "{text}": it matches {reasons}.'
    if not closest:
        return f'No step definition matches "{text}" (this worker has no valid step definitions).'
    suggestions = "; ".join(f'"{render(b.pattern, text)}" ({b.source})' + ("" if b.is_valid else f" [invalid: {b.error}]")
                            for b in closest)
    return f'No step definition matches "{text}". Did you mean: {suggestions}?'


def ambiguous(text: str, matches: Sequence[StepBinding]) -> str:
    return f'{len(matches)} step definitions match "{text}": {_list(matches)}.'


def timeout(text: str, timeout_ms: int, elapsed_ms: float) -> str:
    return (f'Step "{text}" did not finish within its {timeout_ms} ms timeout (elapsed {elapsed_ms:.0f} ms); '
            f"it was cancelled.")


def stopped(text: str, reason: str, elapsed_ms: float) -> str:
    return f'Step "{text}" was abandoned after {elapsed_ms:.0f} ms: {reason}.'


def invalid_regex(pattern: str, reason: str) -> str:
    return f"invalid regular expression '{pattern}': {reason}"


def parameter_count_mismatch(pattern: str, groups: int, parameters: int) -> str:
    return (f"pattern '{pattern}' has {groups} capture group(s) but the function takes {parameters} "
            f"value parameter(s)")


def missing_group(parameter: str, pattern: str) -> str:
    return f"parameter '{parameter}' has no named group in pattern '{pattern}'"


def unsupported_parameter(parameter: str, hint: object) -> str:
    return f"parameter '{parameter}' has type {hint!r}, which a capture cannot be converted to"


def unreadable_hints(reason: str) -> str:
    return f"its type hints cannot be resolved: {reason}"


def bad_value(value: str, type_name: str, parameter: str) -> str:
    return f"'{value}' is not a valid {type_name} for parameter '{parameter}'."


def bad_enum(value: str, names: Sequence[str], parameter: str) -> str:
    return f"'{value}' is not one of {', '.join(names)} for parameter '{parameter}'."


_ARGUMENT_WORDS = {"table": "a data table", "docString": "a doc string"}


def argument_mismatch(text: str, binding: StepBinding, got: str, takes: str) -> str:
    """The step's multiline argument is not what its definition takes (testdata/steps/argument-mismatch.json)."""
    def words(kind: str) -> str:
        return _ARGUMENT_WORDS.get(kind, "no data table or doc string")
    return f'Step "{text}" got {words(got)}, but its definition {binding} takes {words(takes)}.'


def missing_table(text: str) -> str:
    return f'Step "{text}" needs a data table, but none was given.'


def missing_doc_string(text: str) -> str:
    return f'Step "{text}" needs a doc string, but none was given.'


def unexpected_table(text: str) -> str:
    return f'Step "{text}" got a data table, but its definition takes none.'


def unexpected_doc_string(text: str) -> str:
    return f'Step "{text}" got a doc string, but its definition takes none.'


def unhandled(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
