"""Matches a step text against the registry: full match, whatever the keyword."""

from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass, field
from typing import Optional

from .binding import StepBinding
from .registry import StepRegistry

CLOSEST = 3


class StepMatchKind(enum.Enum):
    FOUND = "found"
    NOT_FOUND = "not-found"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class StepMatch:
    """FOUND: ``binding`` + ``match``; NOT_FOUND: the closest ``candidates`` and the invalid
    bindings the text hits (``broken``); AMBIGUOUS: every matching binding in ``candidates``."""

    kind: StepMatchKind
    binding: Optional[StepBinding] = None
    match: Optional[re.Match[str]] = None
    candidates: list[StepBinding] = field(default_factory=list)
    broken: list[StepBinding] = field(default_factory=list)


def _readable(pattern: str) -> str:
    """A pattern with its groups replaced by placeholders, for similarity ranking."""
    return re.sub(r"\((\?P<\w+>)?[^)]*\)", "<>", pattern).replace("\\", "")


class StepMatcher:
    """One registry, many lookups."""

    def __init__(self, registry: StepRegistry) -> None:
        self._registry = registry

    def match(self, text: str) -> StepMatch:
        # The substring test first: it rules out nearly every pattern for a fraction of a regex's cost.
        hits = [(b, m) for b in self._registry.bindings if b.regex is not None and b.required_text in text
                for m in [b.regex.fullmatch(text)] if m]
        valid = [(b, m) for b, m in hits if b.is_valid]
        if len(valid) == 1:
            return StepMatch(StepMatchKind.FOUND, valid[0][0], valid[0][1])
        if len(valid) > 1:
            return StepMatch(StepMatchKind.AMBIGUOUS, candidates=[b for b, _ in valid])
        return StepMatch(StepMatchKind.NOT_FOUND, candidates=self.closest(text),
                         broken=[b for b, _ in hits])

    def closest(self, text: str) -> list[StepBinding]:
        """The bindings whose readable pattern is nearest to text (invalid ones included)."""
        by_readable: dict[str, StepBinding] = {}
        for binding in self._registry.bindings:
            by_readable.setdefault(_readable(binding.pattern), binding)
        plain = re.sub(r"'[^']*'", "'<>'", text)
        names = difflib.get_close_matches(plain, list(by_readable), n=CLOSEST, cutoff=0.3)
        return [by_readable[n] for n in names]
