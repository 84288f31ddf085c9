"""A buffer's OS objects and names on this platform (feature 08): maximum-length names, the files in
/dev/shm and the lock directory and their modes, a graceful close, names refused before any OS call."""

from __future__ import annotations

from typing import Any

from zerobuffer import BufferConfig, Reader, Writer, diagnostics

from ..steps.attributes import given, then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.error_kinds import ErrorKind, expect_failure
from .support.zerobuffer_context import zb

_PADDED = r" padded to '(?P<pad_to>\d+)' characters"


@given(ROLE + r"creates buffer '(?P<buffer>[^']+)'" + _PADDED + r" with metadata size '(?P<metadata_size>-?\d+)' "
       r"and payload size '(?P<payload_size>-?\d+)'")
def create_padded_buffer(ctx: ScenarioContext, process: str, buffer: str, pad_to: int, metadata_size: int,
                         payload_size: int) -> dict[str, Any]:
    """Create a Reader whose OS name is filled up with 'x' to pad_to characters; it becomes current."""
    state = zb(ctx)
    name = state.padded_buffer_name(buffer, pad_to)
    state.add_reader(process, name, Reader(name, BufferConfig(metadata_size, payload_size)))
    return {"buffer": name, "nameLength": len(name)}


@given(ROLE + r"connects to buffer '(?P<buffer>[^']+)'" + _PADDED)
def connect_padded(ctx: ScenarioContext, process: str, buffer: str, pad_to: int) -> dict[str, Any]:
    """Connect a Writer to the padded name; it becomes current."""
    state = zb(ctx)
    name = state.padded_buffer_name(buffer, pad_to)
    state.connect(process, name)
    return {"buffer": name, "nameLength": len(name)}


@then(ROLE + r"should fail to create buffer '(?P<buffer>[^']+)'" + _PADDED + r" with '(?P<kind>[A-Za-z]+)'")
def fail_to_create_padded(ctx: ScenarioContext, process: str, buffer: str, pad_to: int,
                          kind: ErrorKind) -> dict[str, Any]:
    """Creating a Reader (metadata 1024, payload 10240) under the padded name must fail with kind."""
    name = zb(ctx).padded_buffer_name(buffer, pad_to)
    return {"buffer": name, "nameLength": len(name),
            **expect_failure(kind, f"creating buffer '{name}'", lambda: Reader(name, BufferConfig(1024, 10240)))}


@then(ROLE + r"should fail to connect to buffer '(?P<buffer>[^']+)'" + _PADDED + r" with '(?P<kind>[A-Za-z]+)'")
def fail_to_connect_padded(ctx: ScenarioContext, process: str, buffer: str, pad_to: int,
                           kind: ErrorKind) -> dict[str, Any]:
    """Creating a Writer of the padded name must fail with kind."""
    name = zb(ctx).padded_buffer_name(buffer, pad_to)
    return {"buffer": name, "nameLength": len(name),
            **expect_failure(kind, f"connecting to buffer '{name}'", lambda: Writer(name))}


@when(ROLE + r"closes its (?P<endpoint>reader|writer)")
def close_endpoint(ctx: ScenarioContext, process: str, endpoint: str) -> dict[str, Any]:
    """Close the current reader or writer gracefully (PROTOCOL.md §5 close); the current buffer stays."""
    state = zb(ctx)
    name = state.close_reader() if endpoint == "reader" else state.close_writer()
    return {"buffer": name}


@then(ROLE + r"should see the shared memory, both semaphores and the lock file of the buffer "
      r"with mode '(?P<mode>[0-7]{3,4})'")
def see_objects_with_mode(ctx: ScenarioContext, process: str, mode: str) -> dict[str, Any]:
    """All four OS objects of the current buffer exist with exactly these permission bits."""
    buffer = zb(ctx).buffer()
    expected = int(mode, 8)
    files = diagnostics.object_files(buffer)
    wrong = [f"{f['kind']} '{f['path']}' does not exist" if not f["exists"]
             else f"{f['kind']} '{f['path']}' has mode {int(f['mode']):04o}"  # type: ignore[call-overload]
             for f in files if f["mode"] != expected]
    if wrong:
        raise StepAssertionError(f"expected the objects of '{buffer}' with mode {mode}, but {'; '.join(wrong)}")
    return {"buffer": buffer, "paths": [f["path"] for f in files], "mode": mode}


@then(ROLE + r"should see no shared memory, semaphores or lock file of the buffer")
def see_no_objects(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """None of the current buffer's four OS objects is left."""
    buffer = zb(ctx).buffer()
    left = [f"{f['kind']} '{f['path']}'" for f in diagnostics.object_files(buffer) if f["exists"]]
    if left:
        raise StepAssertionError(f"expected no OS object of '{buffer}' to be left, but {', '.join(left)} still exists")
    return {"buffer": buffer}


@then(ROLE + r"should see no OS object named after buffer '(?P<buffer>[^']+)'")
def see_nothing_named_after(ctx: ScenarioContext, process: str, buffer: str) -> dict[str, Any]:
    """No entry of /dev/shm or the lock directory has the qualified name in its file name."""
    name = zb(ctx).buffer_name(buffer)
    found = diagnostics.objects_named_after(name)
    if found:
        raise StepAssertionError(f"expected nothing in /dev/shm or the lock directory named after '{name}', "
                                 f"but found {', '.join(found)}")
    return {"buffer": name}
