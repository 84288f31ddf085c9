"""Writing and checking metadata."""

from __future__ import annotations

from typing import Any

from zerobuffer import Writer

from ..steps.attributes import then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.error_kinds import ErrorKind, expect_failure
from .support.patterns import PATTERN
from .support.timing import Stopwatch
from .support.zerobuffer_context import zb


def _write_pattern_metadata(writer: Writer, size: int) -> None:
    """Fill the metadata block in place through the zero-copy calls."""
    target = writer.get_metadata_buffer(size)
    target[:] = PATTERN.metadata(size)
    writer.commit_metadata()


@when(ROLE + r"writes metadata with size '(?P<size>\d+)'")
def write_metadata(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """The current writer writes size bytes of the metadata pattern through the zero-copy calls."""
    writer = zb(ctx).current_writer()
    watch = Stopwatch()
    _write_pattern_metadata(writer, size)
    return {"buffer": writer.name, "size": size, "elapsedMs": watch.ms}


@then(ROLE + r"should fail to write metadata with size '(?P<size>\d+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_write_metadata(ctx: ScenarioContext, process: str, size: int, kind: ErrorKind) -> dict[str, Any]:
    """That metadata write must fail with kind."""
    writer = zb(ctx).current_writer()
    watch = Stopwatch()
    data = expect_failure(kind, f"writing {size} bytes of metadata to '{writer.name}'",
                          lambda: _write_pattern_metadata(writer, size))
    return {"buffer": writer.name, "size": size, "elapsedMs": watch.ms, **data}


@then(ROLE + r"should have metadata with size '(?P<size>\d+)'")
def have_metadata(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """The current reader's metadata is exactly size bytes of the metadata pattern."""
    reader = zb(ctx).current_reader()
    watch = Stopwatch()
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
    return {"buffer": reader.name, "size": size, "elapsedMs": watch.ms}


@then(ROLE + r"should have no metadata")
def have_no_metadata(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """The current reader's metadata is empty (never written, or written empty)."""
    reader = zb(ctx).current_reader()
    watch = Stopwatch()
    metadata = reader.get_metadata()
    size = 0 if metadata is None else len(metadata)
    if metadata is not None:
        metadata.release()
    if size:
        raise StepAssertionError(f"buffer '{reader.name}': expected no metadata, got {size} bytes")
    return {"buffer": reader.name, "size": 0, "elapsedMs": watch.ms}
