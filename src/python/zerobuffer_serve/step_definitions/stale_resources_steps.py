"""Resources a crashed reader leaves behind (catalogue 3.1): made by hand, then checked."""

from __future__ import annotations

from typing import Any

from zerobuffer import BufferConfig, Reader, diagnostics

from ..steps.attributes import given, then
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.zerobuffer_context import abandon_as_crashed, zb

STALE_FRAME_SIGNALS = 3


@given(ROLE + r"leaves stale resources for buffer '(?P<buffer>[^']+)' with payload size '(?P<payload_size>\d+)'")
def leave_stale_resources(ctx: ScenarioContext, process: str, buffer: str, payload_size: int) -> dict[str, Any]:
    """Create a Reader, post its frame semaphore 3 times, then abandon it as a crashed process would;
    the buffer becomes the current one."""
    state = zb(ctx)
    name = state.buffer_name(buffer)
    reader = Reader(name, BufferConfig(1024, payload_size))
    diagnostics.post_semaphore(name, "written", STALE_FRAME_SIGNALS)
    pid = abandon_as_crashed(reader, "reader_pid")
    state.current_buffer = name
    return {"buffer": name, "pid": pid}


@then(ROLE + r"should see stale resources of buffer '(?P<buffer>[^']+)'")
def see_stale_resources(ctx: ScenarioContext, process: str, buffer: str) -> dict[str, Any]:
    """The lock file exists and nobody holds it; the shm and both semaphores exist; reader_pid is dead."""
    name = zb(ctx).buffer_name(buffer)
    objects = diagnostics.existing_objects(name)
    wrong = [f"{what} is missing" for what, exists in objects.items() if not exists]
    if objects["lock"] and diagnostics.lock_file_held(name):
        wrong.append("the lock file is held")
    pid = 0
    if objects["shm"]:
        oieb = diagnostics.inspect_buffer(name)
        recorded = oieb["reader_pid"]
        assert isinstance(recorded, int)
        pid = recorded
        if pid == 0 or oieb["reader_alive"]:
            wrong.append(f"reader_pid {pid} is not a dead process")
    if wrong:
        raise StepAssertionError(f"buffer '{name}' has no stale resources: {'; '.join(wrong)}")
    return {"buffer": name, "pid": pid}
