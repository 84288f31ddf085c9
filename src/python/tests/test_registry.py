"""Step registry: full match, keyword independence, conversion, not-found and ambiguity."""

from __future__ import annotations

import enum
import glob
import os
import re
from typing import Any, Optional

import pytest

from conftest import REPO
from zerobuffer_serve.registry import (AmbiguousStepError, DocString, StepArgumentError,
                                       StepNotFoundError, StepRegistry, Table, parse_argument)


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


def build() -> StepRegistry:
    registry = StepRegistry()

    @registry.decorator("given")(r"the '(?P<process>[^']+)' process has '(?P<count>\d+)' (?P<colour>\w+) "
                                 r"items, (?P<flag>true|false)")
    def items(ctx: Any, process: str, count: int, colour: Colour, flag: bool) -> dict[str, Any]:
        return {"process": process, "count": count, "colour": colour, "flag": flag}

    @registry.decorator("then")(r"a table")
    def table(ctx: Any, table: Optional[Table]) -> dict[str, Any]:
        return {"rows": table.dicts() if table else None}

    @registry.decorator("when")(r"a doc")
    def doc(ctx: Any, doc: DocString) -> dict[str, Any]:
        return {"content": doc.content}

    @registry.decorator("step")(r"twice (\d+)")
    def twice_a(ctx: Any, n: int) -> None:
        return None

    @registry.decorator("step")(r"twice (\w+)")
    def twice_b(ctx: Any, n: str) -> None:
        return None

    return registry


def test_conversion_by_type_hints() -> None:
    match = build().match("the 'writer-2' process has '12' blue items, true")
    assert match.invoke(None) == {"process": "writer-2", "count": 12, "colour": Colour.BLUE, "flag": True}
    result = build().match("the 'r' process has '1' RED items, false").invoke(None)
    assert result is not None and result["colour"] is Colour.RED


def test_full_match_only() -> None:
    with pytest.raises(StepNotFoundError):
        build().match("the 'r' process has '1' red items, true and more")
    with pytest.raises(StepNotFoundError):
        build().match("so the 'r' process has '1' red items, true")


def test_not_found_lists_closest() -> None:
    with pytest.raises(StepNotFoundError) as info:
        build().match("the 'r' process has '1' red itemz, true")
    assert "closest patterns" in str(info.value) and "items" in str(info.value)
    assert info.value.kind == "StepNotFound"


def test_ambiguous() -> None:
    with pytest.raises(AmbiguousStepError) as info:
        build().match("twice 5")
    assert info.value.kind == "AmbiguousStep" and "2 definitions" in str(info.value)


def test_bad_enum_value() -> None:
    with pytest.raises(StepArgumentError) as info:
        build().match("the 'r' process has '1' green items, true")
    assert "one of RED, BLUE" in str(info.value)


def test_table_and_doc_string_arguments() -> None:
    registry = build()
    argument = parse_argument({"table": {"header": ["a", "b"], "rows": [["1", "2"]]}})
    assert registry.match("a table", argument).invoke(None) == {"rows": [{"a": "1", "b": "2"}]}
    doc = parse_argument({"docString": {"content": "hello", "mediaType": None}})
    assert registry.match("a doc", doc).invoke(None) == {"content": "hello"}
    assert parse_argument(None) is None


def test_an_argument_the_definition_cannot_take_is_an_error() -> None:
    table = parse_argument({"table": {"header": ["a"], "rows": [["1"]]}})
    with pytest.raises(StepArgumentError) as info:
        build().match("the 'r' process has '1' red items, true", table)
    assert "got a data table" in str(info.value) and "takes none" in str(info.value)
    doc = parse_argument({"docString": {"content": "hello", "mediaType": None}})
    with pytest.raises(StepArgumentError, match="got a doc string"):
        build().match("the 'r' process has '1' red items, true", doc)


def test_every_feature_step_has_exactly_one_definition() -> None:
    from zerobuffer_serve import steps  # noqa: F401
    from zerobuffer_serve.registry import registry
    orchestrator = re.compile(r"the '[^']+' process (is killed|crashes)( while .*)?$|"
                              r"a new '[^']+' process is started$|wait for '\d+' (ms|seconds)$")
    checked = 0
    for path in glob.glob(os.path.join(REPO, "features", "*.feature")):
        outline_values: dict[str, list[str]] = {}
        lines = open(path, encoding="utf-8").read().splitlines()
        header: list[str] = []
        for line in lines:  # collect Examples values so outline steps can be expanded
            cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.strip().startswith("|") else []
            if cells and not header:
                header = cells
                outline_values = {h: [] for h in header}
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
            if orchestrator.match(text):
                continue
            for key, values in outline_values.items():
                if f"<{key}>" in text and values:
                    text = text.replace(f"<{key}>", values[0])
            registry.match(text)  # raises StepNotFound / AmbiguousStep
            checked += 1
    assert checked >= 80
