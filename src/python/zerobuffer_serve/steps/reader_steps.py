"""Steps a reader process runs: create buffers, check the writer, read frames and metadata."""

from __future__ import annotations

from typing import Any, Optional

from zerobuffer import BufferConfig, Reader

from ..context import ScenarioContext
from ..executor import StepAssertionError
from ..registry import given, then
from ._support import PATTERN, ROLE, ErrorKind, check_frame, expect_connection, expect_failure

DEFAULT_READ_TIMEOUT_MS = 5000


def _current_reader(ctx: ScenarioContext) -> Reader:
    if ctx.reader is None:
        raise StepAssertionError("no buffer was created in this scenario (no current reader)")
    return ctx.reader


@given(ROLE + r"creates buffer '(?P<buffer>[^']+)' with metadata size '(?P<metadata_size>\d+)' "
       r"and payload size '(?P<payload_size>\d+)'")
def create_buffer(ctx: ScenarioContext, process: str, buffer: str, metadata_size: int,
                  payload_size: int) -> dict[str, Any]:
    """Create a Reader; it becomes the current reader, expecting sequence 1 next."""
    name = ctx.buffer_name(buffer)
    reader = Reader(name, BufferConfig(metadata_size, payload_size))
    with ctx.lock:
        ctx.readers[name] = reader
        ctx.reader = reader
        ctx.last_sequence = 0
    return {"buffer": name, "metadataSize": metadata_size, "payloadSize": payload_size}


@then(ROLE + r"should fail to create buffer '(?P<buffer>[^']+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_create_buffer(ctx: ScenarioContext, process: str, buffer: str, kind: ErrorKind) -> dict[str, Any]:
    """Creating a Reader (metadata 1024, payload 10240) must fail with kind; nothing is stored."""
    name = ctx.buffer_name(buffer)
    data = expect_failure(kind, f"creating buffer '{name}'",
                          lambda: Reader(name, BufferConfig(1024, 10240)))
    return {"buffer": name, **data}


@then(ROLE + r"should see the writer (?P<state>connected|disconnected)")
def see_writer(ctx: ScenarioContext, process: str, state: str) -> dict[str, Any]:
    """The current reader's is_writer_connected() is true / false."""
    reader = _current_reader(ctx)
    actual = expect_connection(ctx, reader.name, "writer", state, reader.is_writer_connected)
    return {"buffer": reader.name, "writerConnected": actual}


@then(ROLE + r"should have metadata with size '(?P<size>\d+)'")
def have_metadata(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """The current reader's metadata is exactly size bytes of the metadata pattern."""
    reader = _current_reader(ctx)
    metadata = reader.get_metadata()
    if metadata is None:
        raise StepAssertionError(f"buffer '{reader.name}': expected {size} bytes of metadata, none written")
    try:
        if len(metadata) != size:
            raise StepAssertionError(f"buffer '{reader.name}': expected metadata size {size}, "
                                     f"got {len(metadata)}")
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
    reader = _current_reader(ctx)
    metadata = reader.get_metadata()
    size = 0 if metadata is None else len(metadata)
    if metadata is not None:
        metadata.release()
    if size:
        raise StepAssertionError(f"buffer '{reader.name}': expected no metadata, got {size} bytes")
    return {"buffer": reader.name, "size": 0}


def _read_one(ctx: ScenarioContext, reader: Reader, sequence: int, size: int,
              timeout_ms: int = DEFAULT_READ_TIMEOUT_MS) -> None:
    frame = reader.read_frame(timeout_ms / 1000.0)
    if frame is None:
        raise StepAssertionError(f"buffer '{reader.name}': no frame within {timeout_ms} ms "
                                 f"(expected sequence {sequence}, size {size})")
    with frame:
        check_frame(frame, sequence, size, reader.name)
        ctx.last_sequence = frame.sequence


@then(ROLE + r"should read frame with sequence '(?P<sequence>\d+)' and size '(?P<size>\d+)'")
def read_frame(ctx: ScenarioContext, process: str, sequence: int, size: int) -> dict[str, Any]:
    """Read one frame: valid, that sequence and size, pattern intact; release it."""
    reader = _current_reader(ctx)
    _read_one(ctx, reader, sequence, size)
    return {"buffer": reader.name, "sequence": sequence, "size": size}


def _read_in_order(ctx: ScenarioContext, count: int, size: int, delay_ms: int) -> dict[str, Any]:
    reader = _current_reader(ctx)
    first = ctx.last_sequence + 1
    for _ in range(count):
        if delay_ms:
            ctx.sleep(delay_ms / 1000.0)
        elif ctx.cancel.is_set():
            raise InterruptedError("scenario cancelled by cleanup")
        _read_one(ctx, reader, ctx.last_sequence + 1, size)
    return {"buffer": reader.name, "count": count, "firstSequence": first,
            "lastSequence": ctx.last_sequence, "size": size}


@then(ROLE + r"should read '(?P<count>\d+)' frames with size '(?P<size>\d+)' in order")
def read_frames_in_order(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """Read count frames, each the next sequence, size and pattern checked, released before the next."""
    return _read_in_order(ctx, count, size, 0)


@then(ROLE + r"should read '(?P<count>\d+)' frames with size '(?P<size>\d+)' in order "
      r"with '(?P<delay_ms>\d+)' ms delay")
def read_frames_with_delay(ctx: ScenarioContext, process: str, count: int, size: int,
                           delay_ms: int) -> dict[str, Any]:
    """The same, sleeping delay_ms before each read (a slow reader)."""
    return _read_in_order(ctx, count, size, delay_ms)


@then(ROLE + r"should receive no frame within '(?P<ms>\d+)' ms")
def receive_no_frame(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """A read with that timeout returns no frame and raises nothing."""
    reader = _current_reader(ctx)
    frame: Optional[Any] = reader.read_frame(ms / 1000.0)
    if frame is not None:
        with frame:
            raise StepAssertionError(f"buffer '{reader.name}': expected no frame within {ms} ms, got "
                                     f"frame {frame.sequence} ({frame.size} bytes)")
    return {"buffer": reader.name, "timeoutMs": ms}


@then(ROLE + r"should fail to read a frame within '(?P<ms>\d+)' ms with '(?P<kind>[A-Za-z]+)'")
def fail_to_read(ctx: ScenarioContext, process: str, ms: int, kind: ErrorKind) -> dict[str, Any]:
    """A read with that timeout must fail with kind."""
    reader = _current_reader(ctx)

    def attempt() -> Any:
        frame = reader.read_frame(ms / 1000.0)
        if frame is not None:
            sequence = frame.sequence
            frame.dispose()
            raise StepAssertionError(f"buffer '{reader.name}': expected the read to fail with "
                                     f"'{kind.value}', but it returned frame {sequence}")
        return None

    return {"buffer": reader.name, **expect_failure(kind, f"reading from '{reader.name}'", attempt)}
