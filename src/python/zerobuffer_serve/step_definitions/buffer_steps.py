"""Creating buffers, connecting writers, write timeouts and connection state."""

from __future__ import annotations

from typing import Any

from zerobuffer import BufferConfig, Reader, Writer

from ..steps.attributes import given, then
from ..steps.context import ScenarioContext
from .phrases import ROLE
from .support.error_kinds import ErrorKind, expect_failure
from .support.timing import Stopwatch
from .support.zerobuffer_context import zb


@given(ROLE + r"creates buffer '(?P<buffer>[^']+)' with metadata size '(?P<metadata_size>-?\d+)' "
       r"and payload size '(?P<payload_size>-?\d+)'")
def create_buffer(ctx: ScenarioContext, process: str, buffer: str, metadata_size: int,
                  payload_size: int) -> dict[str, Any]:
    """Create a Reader with the sizes as given (a negative one fails in the library with InvalidConfig);
    it becomes the current reader, expecting sequence 1 next."""
    state = zb(ctx)
    name = state.buffer_name(buffer)
    state.add_reader(process, name, Reader(name, BufferConfig(metadata_size, payload_size)))
    return {"buffer": name, "metadataSize": metadata_size, "payloadSize": payload_size}


@then(ROLE + r"should fail to create buffer '(?P<buffer>[^']+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_create_buffer(ctx: ScenarioContext, process: str, buffer: str, kind: ErrorKind) -> dict[str, Any]:
    """Creating a Reader (metadata 1024, payload 10240) must fail with kind; nothing is stored."""
    name = zb(ctx).buffer_name(buffer)
    return {"buffer": name, **expect_failure(kind, f"creating buffer '{name}'",
                                             lambda: Reader(name, BufferConfig(1024, 10240)))}


@given(ROLE + r"connects to buffer '(?P<buffer>[^']+)'")
def connect(ctx: ScenarioContext, process: str, buffer: str) -> dict[str, Any]:
    """Create a Writer (disposing a previous writer of the same buffer); it becomes current."""
    state = zb(ctx)
    name = state.buffer_name(buffer)
    state.connect(process, name)
    return {"buffer": name}


@then(ROLE + r"should fail to connect to buffer '(?P<buffer>[^']+)' with '(?P<kind>[A-Za-z]+)'")
def fail_to_connect(ctx: ScenarioContext, process: str, buffer: str, kind: ErrorKind) -> dict[str, Any]:
    """Creating a Writer must fail with kind."""
    name = zb(ctx).buffer_name(buffer)
    return {"buffer": name, **expect_failure(kind, f"connecting to buffer '{name}'", lambda: Writer(name))}


@given(ROLE + r"sets write timeout to '(?P<ms>\d+)' ms")
def set_write_timeout(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Set the current writer's write timeout and the default for writers connected later."""
    zb(ctx).set_write_timeout(ms)
    return {"writeTimeoutMs": ms}


@then(ROLE + r"should see the reader (?P<state>connected|disconnected)")
def see_reader(ctx: ScenarioContext, process: str, state: str) -> dict[str, Any]:
    """The current writer's is_reader_connected() becomes true / false (polled every 10 ms, 2000 ms)."""
    zbc = zb(ctx)
    writer = zbc.current_writer()
    watch = Stopwatch()
    actual = zbc.expect_connection(writer.name, "reader", state, writer.is_reader_connected)
    return {"buffer": writer.name, "readerConnected": actual, "elapsedMs": watch.ms}


@then(ROLE + r"should see the writer (?P<state>connected|disconnected)")
def see_writer(ctx: ScenarioContext, process: str, state: str) -> dict[str, Any]:
    """The current reader's is_writer_connected() becomes true / false (polled every 10 ms, 2000 ms)."""
    zbc = zb(ctx)
    reader = zbc.current_reader()
    watch = Stopwatch()
    actual = zbc.expect_connection(reader.name, "writer", state, reader.is_writer_connected)
    return {"buffer": reader.name, "writerConnected": actual, "elapsedMs": watch.ms}
