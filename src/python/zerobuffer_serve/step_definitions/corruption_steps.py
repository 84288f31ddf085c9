"""Corrupting a live buffer through the diagnostics API, and the errors that must follow (feature 10):
a corrupt OIEB is InvalidOieb, a corrupt frame header InvalidFrameSize, never a crash or a hang."""

from __future__ import annotations

import logging
from typing import Any

from zerobuffer import Writer, diagnostics
from zerobuffer.diagnostics import OIEB_FIELDS

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .frame_reading_steps import DEFAULT_READ_TIMEOUT_MS, expect_read_failure
from .phrases import ROLE
from .support.error_kinds import ErrorKind, expect_failure
from .support.next_unread_frame import HeaderField, set_next_unread_frame_field
from .support.zerobuffer_context import zb

_log = logging.getLogger("zerobuffer_serve")


def _expect_named(data: dict[str, Any], what: str, kind: ErrorKind, text: str) -> dict[str, Any]:
    """The failure's message must contain text (PROTOCOL.md §5/§4: errors name the offending field or value)."""
    if text not in data["message"]:
        raise StepAssertionError(f"expected {what} to fail with '{kind.value}' naming '{text}', but its message "
                                 f"does not: {data['message']}")
    return {**data, "named": text}


@when(ROLE + r"sets OIEB field '(?P<field>[^']+)' to '(?P<value>\d+)'")
def set_oieb_field(ctx: ScenarioContext, process: str, field: str, value: int) -> dict[str, Any]:
    """Store value into one OIEB field of the current buffer through the diagnostics API."""
    name = zb(ctx).buffer()
    if field not in OIEB_FIELDS:
        raise StepAssertionError(f"'{field}' is not an OIEB field; the fields are {', '.join(OIEB_FIELDS)}")
    diagnostics.write_oieb_field(name, field, value)
    _log.info("set OIEB field %s of '%s' to %d", field, name, value)
    return {"buffer": name, "field": field, "value": value}


@when(ROLE + r"sets the payload size of the next unread frame to '(?P<size>\d+)'")
def set_next_unread_payload_size(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """Edit, through the diagnostics API, the payload size of the frame the reader will look at next."""
    edit = set_next_unread_frame_field(zb(ctx).buffer(), HeaderField.PAYLOAD_SIZE, size)
    return {"buffer": edit.buffer, "offset": edit.offset, "previousSize": edit.previous, "size": size}


@then(ROLE + r"should fail to connect to buffer '(?P<buffer>[^']*)' with '(?P<kind>[A-Za-z]+)' "
             r"naming '(?P<text>[^']+)'")
def fail_to_connect_naming(ctx: ScenarioContext, process: str, buffer: str, kind: ErrorKind,
                           text: str) -> dict[str, Any]:
    """Creating a Writer must fail with kind, its message naming text."""
    name = zb(ctx).buffer_name(buffer)
    what = f"connecting to buffer '{name}'"
    return _expect_named({"buffer": name, **expect_failure(kind, what, lambda: Writer(name))}, what, kind, text)


@then(ROLE + r"should fail to read a frame with '(?P<kind>[A-Za-z]+)' naming '(?P<text>[^']+)'")
def fail_to_read_naming(ctx: ScenarioContext, process: str, kind: ErrorKind, text: str) -> dict[str, Any]:
    """A read (5000 ms) must fail with kind, its message naming text."""
    data = expect_read_failure(ctx, DEFAULT_READ_TIMEOUT_MS, kind, one_call=False)
    return _expect_named(data, f"reading from '{data['buffer']}'", kind, text)


@then(ROLE + r"should fail to read metadata with '(?P<kind>[A-Za-z]+)'")
def fail_to_read_metadata(ctx: ScenarioContext, process: str, kind: ErrorKind) -> dict[str, Any]:
    """The current reader's metadata read must fail with kind."""
    reader = zb(ctx).current_reader()

    def read() -> None:
        metadata = reader.get_metadata()
        if metadata is not None:
            metadata.release()

    return {"buffer": reader.name, **expect_failure(kind, f"reading the metadata of '{reader.name}'", read)}
