"""Steps layer: registry building, invalid bindings, matching, argument conversion, invocation and
classification through injected classifiers."""

from __future__ import annotations

import difflib
import enum
import glob
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

import pytest

from conftest import REPO, child_env
from zerobuffer_serve.step_definitions import ALL
from zerobuffer_serve.steps.arguments import convert
from zerobuffer_serve.steps.attributes import given, step, then, when
from zerobuffer_serve.steps.context import ScenarioContext
from zerobuffer_serve.steps.errors import StepArgumentError, StepAssertionError
from zerobuffer_serve.steps.invoker import StepInvoker
from zerobuffer_serve.steps.matcher import StepMatcher, StepMatchKind, _close_matches, key_words
from zerobuffer_serve.steps.registry import StepRegistry
from zerobuffer_serve.steps.required_literal import required_literal
from zerobuffer_serve.steps.request import DocString, StepRequest, Table, parse_argument


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class LibraryError(Exception):
    """Stands in for a library's exception type; only an injected classifier knows it."""

    kind = "BufferFull"


@given(r"the '(?P<process>[^']+)' process has '(?P<count>\d+)' (?P<colour>\w+) items, (?P<flag>true|false)")
def items(ctx: Any, process: str, count: int, colour: Colour, flag: bool) -> dict[str, Any]:
    return {"process": process, "count": count, "colour": colour, "flag": flag}


@then(r"a table")
def table(ctx: Any, table: Optional[Table]) -> dict[str, Any]:
    return {"rows": table.dicts() if table else None}


@when(r"a doc")
def doc(ctx: Any, doc: DocString) -> dict[str, Any]:
    return {"content": doc.content}


@step(r"twice (\d+)")
def twice_a(ctx: Any, n: int) -> None:
    return None


@step(r"twice (\w+)")
def twice_b(ctx: Any, n: str) -> None:
    return None


@then(r"it fails (\w+)")
def fails(ctx: Any, how: str) -> None:
    raise {"assert": StepAssertionError("expected 1, got 2"), "library": LibraryError("ring is full"),
           "other": KeyError("k")}[how]


@given(r"broken (unclosed")
def bad_regex(ctx: Any) -> None:
    return None


@given(r"two groups (\d+) (\d+)")
def too_few_parameters(ctx: Any, a: int) -> None:
    return None


def build(*extra: Any) -> StepRegistry:
    return StepRegistry.from_functions([items, table, doc, twice_a, twice_b, fails, *extra])


def found(registry: StepRegistry, text: str, argument: Any = None) -> Any:
    match = StepMatcher(registry).match(text)
    assert match.kind is StepMatchKind.FOUND, match
    args = convert(match.binding.params, match.binding.hints, match.match, StepRequest(text, argument))
    return match.binding.func(None, **args)


def test_decorators_record_types_and_the_registry_keeps_source_order() -> None:
    registry = build()
    assert [b.step_type for b in registry.bindings] == ["given", "then", "when", "step", "step", "then"]
    assert all(re.fullmatch(r"test_registry\.py:\d+", b.source) for b in registry.bindings)


def test_conversion_by_type_hints() -> None:
    assert found(build(), "the 'writer-2' process has '12' blue items, true") == {
        "process": "writer-2", "count": 12, "colour": Colour.BLUE, "flag": True}
    assert found(build(), "the 'r' process has '1' RED items, false")["colour"] is Colour.RED


def test_full_match_only() -> None:
    matcher = StepMatcher(build())
    assert matcher.match("the 'r' process has '1' red items, true and more").kind is StepMatchKind.NOT_FOUND
    assert matcher.match("so the 'r' process has '1' red items, true").kind is StepMatchKind.NOT_FOUND


def test_not_found_and_ambiguous_through_the_invoker() -> None:
    invoker = StepInvoker(StepMatcher(build()))
    missing = invoker.invoke(ScenarioContext(), StepRequest("the 'r' process has '1' red itemz, true"))
    assert missing.error_type == "StepNotFound" and "Did you mean: \"the 'r' process has '<number>' <text> items, true\" (test_registry.py:" in (missing.error or "")
    assert "items" in (missing.error or "")
    twice = invoker.invoke(ScenarioContext(), StepRequest("twice 5"))
    assert twice.error_type == "AmbiguousStep" and (twice.error or "").startswith("2 step definitions match")


def test_the_closest_patterns_of_an_undefined_step_are_the_nearest_by_words() -> None:
    matcher = StepMatcher(StepRegistry.from_modules(ALL))
    found = matcher.match("the 'writer' process writes frame with sise '1024'")
    assert found.kind is StepMatchKind.NOT_FOUND
    assert found.candidates[0].pattern == "the '(?P<process>[^']+)' process writes frame with size '(?P<size>\\d+)'"
    assert len(found.candidates) == 3


def test_the_pruned_closest_search_returns_what_difflib_does() -> None:
    """_close_matches skips ratio() when an upper bound is below the n-th best: never a different answer."""
    patterns = [tuple(t.split()) for t in (
        "the '<>' process writes frame with size '<>'", "the '<>' process writes metadata with size '<>'",
        "the '<>' process should read frame with sequence '<>' and size '<>'", "the '<>' process is ready",
        "a b c", "c b a", "the the the", "process '<>'")]
    words = [p for p in patterns] + [p[::-1] for p in patterns] + [p[:2] for p in patterns] + [(), ("zzz",)]
    for word in words:
        for n in (1, 3, 10):
            assert _close_matches(word, patterns, n, 0.3) == difflib.get_close_matches(word, patterns, n, 0.3), (word, n)


def test_bad_enum_value() -> None:
    with pytest.raises(StepArgumentError, match="one of RED, BLUE"):
        found(build(), "the 'r' process has '1' green items, true")


def test_table_and_doc_string_arguments() -> None:
    argument = parse_argument({"table": {"header": ["a", "b"], "rows": [["1", "2"]]}})
    assert found(build(), "a table", argument) == {"rows": [{"a": "1", "b": "2"}]}
    assert found(build(), "a table") == {"rows": None}
    assert found(build(), "a doc", parse_argument({"docString": {"content": "hello"}})) == {"content": "hello"}
    assert parse_argument(None) is None
    with pytest.raises(StepArgumentError, match="needs a doc string"):
        found(build(), "a doc")


@then(r"a required table")
def required_table(ctx: Any, table: Table) -> dict[str, Any]:
    return {"rows": len(table.rows)}


_MISMATCH = json.loads(Path(REPO, "testdata", "steps", "argument-mismatch.json").read_text(encoding="utf-8"))
_TEXT_TAKING = {"none": "the 'r' process has '1' red items, true", "table": "a required table", "docString": "a doc"}
# Sent as the C# orchestrator writes them: the other kind as an explicit null.
_WIRE_ARGUMENT = {"none": None, "table": {"table": {"header": ["a"], "rows": [["1"]]}, "docString": None},
                  "docString": {"table": None, "docString": {"content": "hello", "mediaType": None}}}


@pytest.mark.parametrize("case", _MISMATCH["cases"], ids=lambda c: f"takes-{c['takes']}-got-{c['got']}")
def test_an_argument_the_definition_does_not_take_is_a_binding_error(case: dict[str, str]) -> None:
    """testdata/steps/argument-mismatch.json, shared with the C# and C++ workers."""
    registry = build(required_table)
    text = _TEXT_TAKING[case["takes"]]
    binding = StepMatcher(registry).match(text).binding
    assert binding is not None and binding.accepts == case["takes"]
    outcome = StepInvoker(StepMatcher(registry)).invoke(
        ScenarioContext(), StepRequest(text, parse_argument(_WIRE_ARGUMENT[case["got"]])))
    assert outcome.error_type == _MISMATCH["errorType"] == "StepNotFound"
    assert outcome.error == case["message"].replace("{text}", text).replace("{definition}", str(binding))


def test_an_optional_table_takes_a_table_or_nothing_and_discover_leaves_accepts_out() -> None:
    registry = build()
    binding = StepMatcher(registry).match("a table").binding
    assert binding is not None and binding.accepts is None and binding.argument_kinds == {"table", "none"}
    invoker = StepInvoker(StepMatcher(registry))
    assert invoker.invoke(ScenarioContext(), StepRequest("a table")).success
    with_doc = invoker.invoke(ScenarioContext(), StepRequest("a table", DocString("x")))
    assert with_doc.error_type == "StepNotFound"
    assert with_doc.error == f'Step "a table" got a doc string, but its definition {binding} takes a data table.'


def test_invalid_bindings_are_recorded_not_raised_and_explained() -> None:
    registry = build(bad_regex, too_few_parameters)
    assert [b.pattern for b in registry.invalid] == [r"broken (unclosed", r"two groups (\d+) (\d+)"]
    assert "invalid regular expression" in (registry.invalid[0].error or "")
    assert "2 capture group(s)" in (registry.invalid[1].error or "")
    invoker = StepInvoker(StepMatcher(registry))
    hit = invoker.invoke(ScenarioContext(), StepRequest("two groups 1 2"))
    assert hit.error_type == "StepNotFound"
    assert "which is invalid" in (hit.error or "") and "2 capture group(s)" in (hit.error or "")
    near = invoker.invoke(ScenarioContext(), StepRequest("broken unclosed"))
    assert "[invalid: invalid regular expression" in (near.error or "")


def test_classification_uses_builtins_then_the_injected_classifiers() -> None:
    def library(exc: BaseException) -> Optional[str]:
        return exc.kind if isinstance(exc, LibraryError) else None

    plain = StepInvoker(StepMatcher(build()))
    with_library = StepInvoker(StepMatcher(build()), [library])
    assert plain.invoke(ScenarioContext(), StepRequest("it fails assert")).error_type == "AssertionFailed"
    assert plain.invoke(ScenarioContext(), StepRequest("it fails library")).error_type == "UnhandledException"
    outcome = with_library.invoke(ScenarioContext(), StepRequest("it fails library"))
    assert (outcome.error_type, outcome.error, outcome.data) == ("BufferFull", "ring is full", {})
    other = with_library.invoke(ScenarioContext(), StepRequest("it fails other"))
    assert other.error_type == "UnhandledException" and other.error == "KeyError: 'k'"


def test_the_steps_and_rpc_layers_never_import_the_library() -> None:
    code = ("import sys, zerobuffer_serve.steps.invoker, zerobuffer_serve.rpc.worker_methods, "
            "zerobuffer_serve.hosting.stdio_worker; print('zerobuffer' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], env=child_env(), capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "False", out.stderr


def test_every_worker_binding_is_valid_and_typed() -> None:
    registry = StepRegistry.from_modules(ALL)
    assert registry.invalid == []
    assert {b.step_type for b in registry.bindings} <= {"given", "when", "then"}
    ready = [b for b in registry.bindings if b.pattern == r"the '([^']+)' process is ready"]
    assert len(ready) == 1


ORCHESTRATOR_STEP = re.compile(r"the '[^']+' process (is killed|crashes)( while .*)?$|"
                               r"a new '[^']+' process is started( as user '[^']+'| with a private /dev/shm of "
                               r"'\d+' KB( and '\d+' files)?)?$|wait for '\d+' (ms|seconds)$")


def feature_step_texts() -> list[str]:
    """The worker steps of features/*.feature (keyword stripped; outline placeholders filled from an
    Examples row; the orchestrator's own steps left out)."""
    texts: list[str] = []
    for path in glob.glob(os.path.join(REPO, "features", "*.feature")):
        outline_values: dict[str, list[str]] = {}
        lines = open(path, encoding="utf-8").read().splitlines()
        header: list[str] = []
        for line in lines:  # collect Examples values so outline steps can be expanded
            cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.strip().startswith("|") else []
            if cells and not header:
                header = cells
                # Every Examples table of the file adds its columns (a later table must not hide an earlier one's).
                for h in header:
                    outline_values.setdefault(h, [])
            elif cells:
                for key, value in zip(header, cells):
                    outline_values[key].append(value)
            elif not line.strip().startswith("|"):
                header = [] if line.strip().startswith(("Scenario", "Examples")) else header
        for line in lines:
            text = line.strip()
            keyword = next((k for k in ("Given ", "When ", "Then ", "And ", "But ") if text.startswith(k)), None)
            if keyword is None:
                continue
            text = text[len(keyword):]
            if ORCHESTRATOR_STEP.match(text):
                continue
            for key, values in outline_values.items():
                if f"<{key}>" in text and values:
                    text = text.replace(f"<{key}>", values[0])
            texts.append(text)
    return texts


def test_every_feature_step_has_exactly_one_definition() -> None:
    matcher = StepMatcher(StepRegistry.from_modules(ALL))
    texts = feature_step_texts()
    for text in texts:
        assert matcher.match(text).kind is StepMatchKind.FOUND, text
    assert len(texts) >= 80


def test_every_feature_step_contains_the_required_text_of_each_binding_it_matches() -> None:
    """The matcher skips a binding whose required text is absent: that must never skip a real match."""
    registry = StepRegistry.from_modules(ALL)
    matched = 0
    for text in feature_step_texts():
        for binding in registry.bindings:
            if binding.regex is not None and binding.regex.fullmatch(text):
                matched += 1
                assert binding.required_text in text, (binding.pattern, text)
    assert matched >= 80
    assert all(b.required_text for b in registry.bindings)


def test_the_key_word_index_finds_what_trying_every_pattern_finds() -> None:
    """Feature steps, and a step whose key word would be glued to a capture if edges counted."""
    registry = StepRegistry.from_modules(ALL)
    matcher = StepMatcher(registry)
    for text in feature_step_texts() + ["the 'reader' process waits '5'ms for frames"]:
        found = matcher.match(text)
        scanned = [b for b in registry.bindings if b.is_valid and b.regex is not None and b.regex.fullmatch(text)]
        got = [found.binding] if found.kind is StepMatchKind.FOUND else found.candidates
        assert (got if found.kind is not StepMatchKind.NOT_FOUND else []) == scanned, text


@pytest.mark.parametrize("required, words", [
    ("' process has '", ["process", "has"]),
    ("ms delay", []),                      # both edges may be glued to a capture
    (" frames in order ", ["frames", "in", "order"]),
    ("ready", []),
    ("", []),
])
def test_key_words_are_the_words_whitespace_bounds_inside_the_required_text(required: str, words: list[str]) -> None:
    assert key_words(required) == words


@pytest.mark.parametrize("pattern, text", [
    (r"the '(?P<process>[^']+)' process is ready", "' process is ready"),
    (r"size '(\d+)' and '([^']*)' ok", "' and '"),
    (r"frames? written", " written"),               # the optional 's' ends a run
    (r"a\.b\d+cd", "a.b"),                          # \. is a dot, \d a class
    (r"x{2} then (?:one|two) more", " then "),
    (r"[])] closes", " closes"),                     # ']' first in a class is text
    (r"reads|writes", ""),                           # a top-level '|': always tried
    (r"(?i)case free", ""),                          # an inline flag changes how text matches
    (r"(?P=name) again", " again"),
    (r".*", ""),
])
def test_required_literal_is_the_longest_fixed_run(pattern: str, text: str) -> None:
    assert required_literal(pattern) == text


def test_discover_lists_invalid_bindings_with_their_error() -> None:
    from zerobuffer_serve.rpc.worker_methods import WorkerMethods
    registry = build(bad_regex)
    methods = WorkerMethods(registry, StepInvoker(StepMatcher(registry)), lambda: [])
    steps = methods.discover({})["steps"]
    broken = [s for s in steps if "error" in s]
    assert [s["pattern"] for s in broken] == [r"broken (unclosed"]
    assert broken[0]["type"] == "given" and "invalid regular expression" in broken[0]["error"]
    assert len(steps) == len(registry.bindings)
    accepts = {s["pattern"]: s.get("accepts") for s in steps}
    assert accepts["a doc"] == "docString" and accepts["twice (\\d+)"] == "none"
    assert "accepts" not in next(s for s in steps if s["pattern"] == "a table")  # an optional table: either


_PHRASES = json.loads(Path(REPO, "testdata", "steps", "phrases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", _PHRASES["cases"], ids=lambda c: c["phrase"])
def test_a_pattern_is_written_back_as_gherkin_text(case: dict[str, str]) -> None:
    """testdata/steps/phrases.json, shared with the C# and C++ workers and the orchestrator."""
    from zerobuffer_serve.steps.phrases import render
    assert render(case["pattern"], case["step"]) == case["phrase"]
