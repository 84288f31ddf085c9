"""What the invoker is asked (StepRequest) and what it answers (StepOutcome)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

DEFAULT_TIMEOUT_MS = 30000


@dataclass(frozen=True)
class Table:
    """A Gherkin data table."""

    header: list[str]
    rows: list[list[str]]

    def dicts(self) -> list[dict[str, str]]:
        """Rows as header-keyed dicts."""
        return [dict(zip(self.header, row)) for row in self.rows]


@dataclass(frozen=True)
class DocString:
    """A Gherkin doc string."""

    content: str
    media_type: Optional[str] = None


StepArgument = Union[Table, DocString, None]

# What discover's optional "accepts" says a definition takes (Harmony.Protocol StepArgumentKinds).
ARGUMENT_NONE = "none"
ARGUMENT_TABLE = "table"
ARGUMENT_DOC_STRING = "docString"


def argument_kind(argument: StepArgument) -> str:
    """The kind of a step's multiline argument: "table", "docString" or "none"."""
    if isinstance(argument, Table):
        return ARGUMENT_TABLE
    if isinstance(argument, DocString):
        return ARGUMENT_DOC_STRING
    return ARGUMENT_NONE


def parse_argument(raw: Any) -> StepArgument:
    """The executeStep ``argument`` (``{"table": ..}`` / ``{"docString": ..}`` / null, either casing)."""
    if not isinstance(raw, dict):
        return None
    table = raw.get("table") or raw.get("Table")
    if isinstance(table, dict):
        return Table([str(h) for h in table.get("header") or table.get("Header") or []],
                     [[str(c) for c in row] for row in table.get("rows") or table.get("Rows") or []])
    doc = raw.get("docString") or raw.get("DocString")
    if isinstance(doc, dict):
        return DocString(str(doc.get("content") or doc.get("Content") or ""),
                         doc.get("mediaType") or doc.get("MediaType"))
    return None


@dataclass(slots=True)  # not frozen: a frozen one costs ~1.4 µs more to make, and one is made per step
class StepRequest:
    """One step to run: its full text (process phrase included), argument and timeout."""

    text: str
    argument: StepArgument = None
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    step_id: str = ""
    process: str = ""
    step_type: str = ""


@dataclass(slots=True)  # not frozen: a frozen one costs ~1.4 µs more to make, and one is made per step
class StepOutcome:
    """How a step ended; ``data`` is always a dict."""

    success: bool
    duration_ms: float
    error: Optional[str] = None
    error_type: Optional[str] = None
    data: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def passed(data: Optional[dict[str, Any]], duration_ms: float) -> StepOutcome:
        return StepOutcome(True, duration_ms, data=dict(data or {}))

    @staticmethod
    def failed(error_type: str, message: str, duration_ms: float,
               data: Optional[dict[str, Any]] = None) -> StepOutcome:
        return StepOutcome(False, duration_ms, message, error_type, dict(data or {}))
