"""A step pattern written back as Gherkin text, for "did you mean" suggestions.

The same rules as the C# (Harmony.Protocol StepPhrase) and C++ workers and the orchestrator's dry
run; testdata/steps/phrases.json pins them. A user reads a step they can paste, not a regex.
"""

from __future__ import annotations

import re

NUMBER = "<number>"
NAME = "<name>"
TEXT = "<text>"
PROCESS = "<process>"

_PROCESS_PHRASE = re.compile(r"the '([^']+)' process")
_WORD_ALTERNATIVES = re.compile(r"[A-Za-z -]+(\|[A-Za-z -]+)+")


def render(pattern: str, asked_step: str) -> str:
    """The pattern as Gherkin text; the role of asked_step fills the process group."""
    asked = _PROCESS_PHRASE.search(asked_step)
    role = asked.group(1) if asked else PROCESS
    body = pattern[1:] if pattern.startswith("^") else pattern
    if body.endswith("$") and not body.endswith("\\$"):
        body = body[:-1]
    text: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            text.append(body[i + 1])
            i += 1
        elif c == "(":
            end = _group_end(body, i)
            group = _without_prefix(body[i + 1:end])
            is_process = "".join(text).endswith("the '") and body.startswith("' process", end + 1)
            text.append(role if is_process else _placeholder(group))
            i = end
            if i + 1 < len(body) and body[i + 1] in "?*+":
                i += 1
        elif c in "?*+":
            pass  # a quantifier after a literal character: the character stays
        else:
            text.append(c)
        i += 1
    return "".join(text)


def _placeholder(group: str) -> str:
    if _WORD_ALTERNATIVES.fullmatch(group):
        return group[:group.index("|")]
    if "\\d" in group or "0-9" in group:
        return NUMBER
    return NAME if group in ("[^']+", "[^']*") else TEXT


def _without_prefix(group: str) -> str:
    if group.startswith("?:"):
        return group[2:]
    if group.startswith(("?P<", "?<")):
        return group[group.index(">") + 1:]
    return group


def _group_end(pattern: str, start: int) -> int:
    """The index of the ')' closing the group opened at start."""
    depth = 0
    in_class = False
    i = start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return len(pattern) - 1
