"""Writing and checking metadata."""

from __future__ import annotations

from typing import Any

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.error_kinds import ErrorKind, expect_failure
from .support.patterns import PATTERN
from .support.zerobuffer_context import zb


@when(ROLE + r"writes metadata with size '(?P<size>\d+)'")
def write_metadata(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """The current writer writes size bytes of the metadata pattern."""
    writer = zb(ctx).current_writer()
    writer.set_metadata(PATTERN.metadata(size))
    return {"buffer": writer.name, "size": size}


@then(ROLE + r"should fail to write metadata with size '(?P<size>\d+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_write_metadata(ctx: ScenarioContext, process: str, size: int, kind: ErrorKind) -> dict[str, Any]:
    """That metadata write must fail with kind."""
    writer = zb(ctx).current_writer()
    return {"buffer": writer.name, "size": size,
            **expect_failure(kind, f"writing {size} bytes of metadata to '{writer.name}'",
                             lambda: writer.set_metadata(PATTERN.metadata(size)))}


@then(ROLE + r"should have metadata with size '(?P<size>\d+)'")
def have_metadata(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """The current reader's metadata is exactly size bytes of the metadata pattern."""
    reader = zb(ctx).current_reader()
    metadata = reader.get_metadata()
    if metadata is None:
        raise StepAssertionError(f"buffer '{reader.name}': expected {size} bytes of metadata, none written")
    try:
        if len(metadata) != size:
            raise StepAssertionError(f"buffer '{reader.name}': expected metadata size {size}, got {len(metadata)}")
        if metadata != PATTERN.metadata(size):
            at = next(i for i in range(size) if metadata[i] != (i & 0xFF))
            raise StepAssertionError(f"buffer '{reader.name}': metadata byte {at} is {metadata[at]}, "
                                     f"expected {at & 0xFF}")
    finally:
        metadata.release()
    return {"buffer": reader.name, "size": size}


@then(ROLE + r"should have no metadata")
def have_no_metadata(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """The current reader's metadata is empty (never written, or written empty)."""
    reader = zb(ctx).current_reader()
    metadata = reader.get_metadata()
    size = 0 if metadata is None else len(metadata)
    if metadata is not None:
        metadata.release()
    if size:
        raise StepAssertionError(f"buffer '{reader.name}': expected no metadata, got {size} bytes")
    return {"buffer": reader.name, "size": 0}
