"""``@given``/``@when``/``@then``/``@step``: mark a function as a step definition.

The decorators only record ``(type, pattern)`` on the function; a StepRegistry built from the
modules (at the entry point) turns the marks into bindings, so importing a module registers nothing.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
STEP_TYPES = ("given", "when", "then", "step")
MARK = "__step_definitions__"


def _mark(step_type: str, pattern: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        marks: list[tuple[str, str]] = func.__dict__.setdefault(MARK, [])
        marks.append((step_type, pattern))
        return func
    return decorate


def given(pattern: str) -> Callable[[F], F]:
    """A Given step (the type is informational: matching ignores the keyword)."""
    return _mark("given", pattern)


def when(pattern: str) -> Callable[[F], F]:
    """A When step."""
    return _mark("when", pattern)


def then(pattern: str) -> Callable[[F], F]:
    """A Then step."""
    return _mark("then", pattern)


def step(pattern: str) -> Callable[[F], F]:
    """A step for any keyword."""
    return _mark("step", pattern)
