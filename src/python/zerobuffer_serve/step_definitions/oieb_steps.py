"""What any process sees in the current buffer's OIEB and semaphores, read by name through the
library's diagnostics API (features/STEPS.md "Current buffer")."""

from __future__ import annotations

import os
from typing import Any

from zerobuffer import diagnostics

from ..steps.attributes import then
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.zerobuffer_context import zb

_PID_FIELDS = {"writer": "writer_pid", "reader": "reader_pid"}
_SEMAPHORES = {"space": "freed", "frame": "written"}


def _pid(name: str, peer: str) -> tuple[int, bool]:
    """The recorded pid of peer ("writer"/"reader") and whether it names a live process."""
    oieb = diagnostics.inspect_buffer(name)
    pid = oieb[_PID_FIELDS[peer]]
    assert isinstance(pid, int)
    return pid, bool(oieb[f"{peer}_alive"])


@then(ROLE + r"should see its pid recorded as the (?P<peer>writer|reader) in the OIEB")
def own_pid_recorded(ctx: ScenarioContext, process: str, peer: str) -> dict[str, Any]:
    """The current buffer's writer_pid / reader_pid is this worker's pid."""
    name = zb(ctx).buffer()
    pid, _ = _pid(name, peer)
    if pid != os.getpid():
        raise StepAssertionError(f"buffer '{name}': {_PID_FIELDS[peer]} is {pid}, expected this worker's "
                                 f"pid {os.getpid()}")
    return {"buffer": name, "pid": pid}


@then(ROLE + r"should see a dead (?P<peer>writer|reader) pid recorded in the OIEB")
def dead_pid_recorded(ctx: ScenarioContext, process: str, peer: str) -> dict[str, Any]:
    """The current buffer's writer_pid / reader_pid is not 0 and names no live process."""
    name = zb(ctx).buffer()
    field = _PID_FIELDS[peer]
    pid, alive = _pid(name, peer)
    if pid == 0:
        raise StepAssertionError(f"buffer '{name}': {field} is 0 (cleared), expected a dead process's pid")
    if alive:
        raise StepAssertionError(f"buffer '{name}': {field} {pid} names a live process, expected a dead one")
    return {"buffer": name, "pid": pid}


@then(ROLE + r"should see '(?P<count>\d+)' free payload bytes in the OIEB")
def free_payload_bytes(ctx: ScenarioContext, process: str, count: int) -> dict[str, Any]:
    """The current buffer's payload_free_bytes equals count."""
    name = zb(ctx).buffer()
    free = diagnostics.inspect_buffer(name)["payload_free_bytes"]
    if free != count:
        raise StepAssertionError(f"buffer '{name}': payload_free_bytes is {free}, expected {count}")
    return {"buffer": name, "freeBytes": free}


@then(ROLE + r"should see '(?P<count>\d+)' (?P<signal>space|frame) signals pending")
def signals_pending(ctx: ScenarioContext, process: str, count: int, signal: str) -> dict[str, Any]:
    """The value of the current buffer's sem-r (space) / sem-w (frame) semaphore equals count."""
    name = zb(ctx).buffer()
    value = diagnostics.semaphore_value(name, "freed" if signal == "space" else "written")
    if value != count:
        raise StepAssertionError(f"buffer '{name}': {value} {signal} signals pending, expected {count}")
    return {"buffer": name, "count": value}


@then(ROLE + r"should see a fresh buffer '(?P<buffer>[^']+)' with payload size '(?P<payload_size>\d+)'")
def fresh_buffer(ctx: ScenarioContext, process: str, buffer: str, payload_size: int) -> dict[str, Any]:
    """The OIEB is a new buffer's (payload size and free bytes p, positions and counts 0, this worker
    as reader) and the frame semaphore holds no stale signals."""
    name = zb(ctx).buffer_name(buffer)
    oieb = diagnostics.inspect_buffer(name)
    expected = {"payload_size": payload_size, "payload_free_bytes": payload_size, "payload_write_pos": 0,
                "payload_read_pos": 0, "payload_written_count": 0, "payload_read_count": 0,
                "reader_pid": os.getpid()}
    wrong = [f"{field} is {oieb[field]}, expected {value}" for field, value in expected.items()
             if oieb[field] != value]
    signals = diagnostics.semaphore_value(name, "written")
    if signals != 0:
        wrong.append(f"{signals} frame signals pending, expected 0")
    if wrong:
        raise StepAssertionError(f"buffer '{name}' is not fresh: {'; '.join(wrong)}")
    return {"buffer": name, "payloadSize": payload_size, "pid": os.getpid()}
