"""The step registry: every binding found on the step-definition modules the entry point names."""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any, Callable, Iterable

from .attributes import MARK
from .binding import StepBinding


class StepRegistry:
    """Bindings in module order, valid and invalid alike (discover lists both)."""

    def __init__(self, bindings: Iterable[StepBinding] = ()) -> None:
        self.bindings: list[StepBinding] = list(bindings)

    @property
    def valid(self) -> list[StepBinding]:
        return [b for b in self.bindings if b.is_valid]

    @property
    def invalid(self) -> list[StepBinding]:
        return [b for b in self.bindings if not b.is_valid]

    @staticmethod
    def from_modules(modules: Iterable[ModuleType]) -> StepRegistry:
        """Bindings of every marked function defined in the modules, in source order."""
        functions: list[Callable[..., Any]] = []
        for module in modules:
            own = [f for f in vars(module).values() if inspect.isfunction(f) and f.__module__ == module.__name__]
            functions.extend(sorted(own, key=lambda f: f.__code__.co_firstlineno))
        return StepRegistry.from_functions(functions)

    @staticmethod
    def from_functions(functions: Iterable[Callable[..., Any]]) -> StepRegistry:
        """Bindings of the marked functions among these, in this order."""
        return StepRegistry(StepBinding.create(step_type, pattern, func)
                            for func in functions for step_type, pattern in func.__dict__.get(MARK, ()))
