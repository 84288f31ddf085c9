"""The fixed text every match of a step pattern must contain, so the matcher can skip a pattern with
one substring test (``in``) instead of running its regex for every step of every scenario."""

from __future__ import annotations

_META = frozenset(".^$*+?}|")
_QUANTIFIERS = frozenset("?*+{")
# After "(?": groups that match like any group; anything else ("(?i)", "(?x)") changes the pattern.
_GROUP_KINDS = frozenset(":=!<P")


def required_literal(pattern: str) -> str:
    """The longest run of plain text every match of ``pattern`` (``re`` syntax) contains; "" when
    there is none. Conservative: a construct it does not fully understand ends the run, and a
    pattern with a top-level ``|`` or an inline flag group gets "" (it is always tried)."""
    if _has_top_level_alternation_or_flags(pattern):
        return ""
    longest = ""
    run: list[str] = []

    def flush() -> None:
        nonlocal longest
        if len(run) > len(longest):
            longest = "".join(run)
        run.clear()

    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c in "()[":
            flush()
            i = _skip_group(pattern, i) + 1
            continue
        if c == "\\":
            # \d \w \s \b \1 ... are classes, assertions or references; \. \' \( are the character itself.
            if i + 1 >= n or pattern[i + 1].isascii() and pattern[i + 1].isalnum():
                flush()
                i += 2
                continue
            literal, following = pattern[i + 1], i + 2
        elif c == "{":
            flush()  # a counted quantifier: its digits are not text
            close = pattern.find("}", i)
            i = n if close < 0 else close + 1
            continue
        elif c in _META:
            flush()
            i += 1
            continue
        else:
            literal, following = c, i + 1
        if following < n and pattern[following] in _QUANTIFIERS:
            flush()  # an optional or repeated character is not part of a fixed run
        else:
            run.append(literal)
        i = following
    flush()
    return longest


def _skip_class(pattern: str, i: int) -> int:
    """Index of the "]" closing the class opened at i ("[]...]" and "[^]...]" take the first "]" as text)."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 1
        elif pattern[j] == "]":
            return j
        j += 1
    return len(pattern) - 1


def _skip_group(pattern: str, i: int) -> int:
    """Index of the last character of the group or class starting at i."""
    depth = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = _skip_class(pattern, i)
            if depth == 0:
                return i
        elif c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
            if depth == 0:
                return i  # a quantifier after it is met as a meta character
        i += 1
    return len(pattern) - 1


def _has_top_level_alternation_or_flags(pattern: str) -> bool:
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = _skip_class(pattern, i)
        elif c == "(":
            if pattern.startswith("(?", i) and i + 2 < len(pattern) and pattern[i + 2] not in _GROUP_KINDS:
                return True
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False
