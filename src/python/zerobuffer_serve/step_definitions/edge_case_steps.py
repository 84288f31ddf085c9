"""Where the ring stands: positions, counters, continuous free bytes and what lies at an offset of the
current buffer, read by name through the library's diagnostics API (features 05 and 11)."""

from __future__ import annotations

from typing import Any

from zerobuffer import diagnostics
from zerobuffer.diagnostics import RingEntry

from ..steps.attributes import then
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.zerobuffer_context import zb

_WRAPS = {"a wrap marker": "wrap_marker", "an implicit wrap": "implicit_wrap"}


def _describe(entry: RingEntry) -> str:
    if entry.kind == "frame":
        return f"a frame header with sequence {entry.sequence} and size {entry.payload_size}"
    if entry.kind == "wrap_marker":
        return f"a wrap marker wasting {entry.wasted_bytes} bytes"
    return f"an implicit wrap wasting {entry.wasted_bytes} bytes (too little room for a header)"


@then(ROLE + r"should see write position '(?P<write_pos>\d+)' and read position '(?P<read_pos>\d+)' in the OIEB")
def positions(ctx: ScenarioContext, process: str, write_pos: int, read_pos: int) -> dict[str, Any]:
    """The current buffer's payload_write_pos and payload_read_pos."""
    name = zb(ctx).buffer()
    oieb = diagnostics.inspect_buffer(name)
    seen = (oieb["payload_write_pos"], oieb["payload_read_pos"])
    if seen != (write_pos, read_pos):
        raise StepAssertionError(f"buffer '{name}': payload_write_pos {seen[0]} and payload_read_pos {seen[1]}, "
                                 f"expected {write_pos} and {read_pos}")
    return {"buffer": name, "writePos": seen[0], "readPos": seen[1]}


@then(ROLE + r"should see written count '(?P<written>\d+)' and read count '(?P<read>\d+)' in the OIEB")
def counts(ctx: ScenarioContext, process: str, written: int, read: int) -> dict[str, Any]:
    """The current buffer's payload_written_count and payload_read_count (wrap markers count, implicit
    wraps do not)."""
    name = zb(ctx).buffer()
    oieb = diagnostics.inspect_buffer(name)
    seen = (oieb["payload_written_count"], oieb["payload_read_count"])
    if seen != (written, read):
        raise StepAssertionError(f"buffer '{name}': payload_written_count {seen[0]} and payload_read_count "
                                 f"{seen[1]}, expected {written} and {read}")
    return {"buffer": name, "writtenCount": seen[0], "readCount": seen[1]}


@then(ROLE + r"should see '(?P<count>\d+)' continuous free bytes in the OIEB")
def continuous_free(ctx: ScenarioContext, process: str, count: int) -> dict[str, Any]:
    """The largest frame + header the writer could place now without waiting."""
    name = zb(ctx).buffer()
    oieb = diagnostics.inspect_buffer(name)
    seen = diagnostics.continuous_free_bytes(oieb)
    if seen != count:
        raise StepAssertionError(
            f"buffer '{name}': {seen} continuous free bytes, expected {count} (payload_size {oieb['payload_size']}, "
            f"payload_free_bytes {oieb['payload_free_bytes']}, write_pos {oieb['payload_write_pos']}, "
            f"read_pos {oieb['payload_read_pos']})")
    return {"buffer": name, "continuousFreeBytes": seen}


@then(ROLE + r"should see a frame with sequence '(?P<sequence>\d+)' and size '(?P<size>\d+)' "
             r"at offset '(?P<offset>\d+)' in the ring")
def frame_at(ctx: ScenarioContext, process: str, sequence: int, size: int, offset: int) -> dict[str, Any]:
    """The frame header at that offset of the ring holds that size and sequence."""
    name = zb(ctx).buffer()
    entry = diagnostics.ring_entry_at(name, offset)
    if (entry.kind, entry.sequence, entry.payload_size) != ("frame", sequence, size):
        raise StepAssertionError(f"buffer '{name}': expected a frame header with sequence {sequence} and size "
                                 f"{size} at offset {offset} of the ring, found {_describe(entry)}")
    return {"buffer": name, "offset": offset, "sequence": entry.sequence, "size": entry.payload_size}


@then(ROLE + r"should see (?P<wrap>a wrap marker|an implicit wrap) at offset '(?P<offset>\d+)' "
             r"wasting '(?P<wasted>\d+)' bytes")
def wrap_at(ctx: ScenarioContext, process: str, wrap: str, offset: int, wasted: int) -> dict[str, Any]:
    """A wrap marker (zero header) or an implicit wrap (under 16 bytes to the end) at that offset,
    wasting the bytes to the end of the ring."""
    name = zb(ctx).buffer()
    entry = diagnostics.ring_entry_at(name, offset)
    if (entry.kind, entry.wasted_bytes) != (_WRAPS[wrap], wasted):
        raise StepAssertionError(f"buffer '{name}': expected {wrap} wasting {wasted} bytes at offset {offset} "
                                 f"of the ring, found {_describe(entry)}")
    return {"buffer": name, "offset": offset, "wastedBytes": entry.wasted_bytes}
