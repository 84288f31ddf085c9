"""Matches a step text against the registry: full match, whatever the keyword."""

from __future__ import annotations

import difflib
import enum
import heapq
import re
from collections import Counter
from typing import Iterable, Optional

from .binding import StepBinding
from .registry import StepRegistry

CLOSEST = 3


class StepMatchKind(enum.Enum):
    FOUND = "found"
    NOT_FOUND = "not-found"
    AMBIGUOUS = "ambiguous"


class StepMatch:
    """FOUND: ``binding`` + ``match``; NOT_FOUND: the closest ``candidates`` and the invalid
    bindings the text hits (``broken``); AMBIGUOUS: every matching binding in ``candidates``.

    A plain class with slots: a frozen dataclass with list defaults took 4 µs to make, for every step."""

    __slots__ = ("kind", "binding", "match", "candidates", "broken")

    def __init__(self, kind: StepMatchKind, binding: Optional[StepBinding] = None,
                 match: Optional[re.Match[str]] = None, candidates: Optional[list[StepBinding]] = None,
                 broken: Optional[list[StepBinding]] = None) -> None:
        self.kind = kind
        self.binding = binding
        self.match = match
        self.candidates: list[StepBinding] = candidates if candidates is not None else []
        self.broken: list[StepBinding] = broken if broken is not None else []

    def __repr__(self) -> str:
        return f"StepMatch({self.kind.name}, {self.binding}, candidates={len(self.candidates)})"


def _readable(pattern: str) -> str:
    """A pattern with its groups replaced by placeholders, for similarity ranking."""
    return re.sub(r"\((\?P<\w+>)?[^)]*\)", "<>", pattern).replace("\\", "")


def key_words(required_text: str) -> list[str]:
    """The words of a pattern's required text that every match has as whole words (``str.split``
    tokens): those with whitespace on both sides inside the required text. A word at its edge may
    be glued to what a group matches (``(\\d+)ms``), so it is no key."""
    words = required_text.split()
    if not words:
        return []
    first = 0 if required_text[:1].isspace() else 1
    last = len(words) if required_text[-1:].isspace() else len(words) - 1
    return words[first:last]


class StepMatcher:
    """One registry, many lookups.

    Trying every pattern costs a Python-level loop over the whole registry for each step (~25 µs of
    a trivial step's ~85 µs). So each binding is filed under one key word (its rarest, see
    key_words) and a step text is only tried against the bindings filed under its own words, plus
    those with no key word; the required-text test and the full regex then decide as before."""

    def __init__(self, registry: StepRegistry) -> None:
        self._registry = registry
        self._by_words: Optional[dict[tuple[str, ...], StepBinding]] = None  # built at the first miss
        self._by_key, self._keyless = self._index(registry.bindings)

    @staticmethod
    def _index(bindings: list[StepBinding]) -> tuple[dict[str, list[int]], list[int]]:
        usable = [i for i, b in enumerate(bindings) if b.regex is not None]
        keys = {i: key_words(bindings[i].required_text) for i in usable}
        counts = Counter(w for words in keys.values() for w in set(words))
        by_key: dict[str, list[int]] = {}
        keyless: list[int] = []
        for i in usable:
            if keys[i]:
                by_key.setdefault(min(keys[i], key=lambda w: (counts[w], -len(w), w)), []).append(i)
            else:
                keyless.append(i)
        return by_key, keyless

    def _candidates(self, text: str) -> list[StepBinding]:
        """The bindings that may match text, in registry order."""
        found = list(self._keyless)
        for word in set(text.split()):
            filed = self._by_key.get(word)
            if filed is not None:
                found += filed
        found.sort()
        bindings = self._registry.bindings
        return [bindings[i] for i in found]

    def match(self, text: str) -> StepMatch:
        # The substring test first: it rules out most candidates for a fraction of a regex's cost.
        hits = [(b, m) for b in self._candidates(text) if b.required_text in text
                for m in [b.regex.fullmatch(text)] if m]  # type: ignore[union-attr]
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
