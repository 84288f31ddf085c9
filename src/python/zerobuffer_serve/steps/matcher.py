"""Matches a step text against the registry: full match, whatever the keyword."""

from __future__ import annotations

import difflib
import enum
import heapq
import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

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
        self._by_words: Optional[dict[tuple[str, ...], StepBinding]] = None  # built at the first miss

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
        """The bindings whose readable pattern is nearest to text (invalid ones included), compared
        word by word: a character-level comparison of ~115 patterns took 25-35 ms per undefined step."""
        if self._by_words is None:
            self._by_words = {}
            for binding in self._registry.bindings:
                self._by_words.setdefault(tuple(_readable(binding.pattern).split()), binding)
        words = tuple(re.sub(r"'[^']*'", "'<>'", text).split())
        return [self._by_words[n] for n in _close_matches(words, self._by_words, CLOSEST, cutoff=0.3)]


Words = tuple[str, ...]


def _close_matches(word: Words, possibilities: Iterable[Words], n: int, cutoff: float) -> list[Words]:
    """What ``difflib.get_close_matches`` returns, with less work: once n candidates are known, the
    n-th best score is the bar, and a candidate whose cheap upper bounds (``real_quick_ratio``,
    ``quick_ratio``) are below it skips the costly ``ratio``."""
    matcher: difflib.SequenceMatcher[str] = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best: list[tuple[float, Words]] = []  # a min-heap of the n best (score, candidate) so far
    for candidate in possibilities:
        matcher.set_seq1(candidate)
        bar = best[0][0] if len(best) == n else cutoff
        if matcher.real_quick_ratio() < bar or matcher.quick_ratio() < bar:
            continue
        score = matcher.ratio()
        if score < cutoff:
            continue
        if len(best) < n:
            heapq.heappush(best, (score, candidate))
        elif (score, candidate) > best[0]:
            heapq.heapreplace(best, (score, candidate))
    return [candidate for _, candidate in sorted(best, reverse=True)]
