"""The protocol's own figures for the current buffer (feature 13): OIEB counters and positions, the
64-byte alignment of the blocks, the reader's flock, all read by name through the diagnostics API."""

from __future__ import annotations

from typing import Any

from zerobuffer import diagnostics

from ..steps.attributes import then
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.zerobuffer_context import zb

ALIGNMENT = 64
OIEB_SIZE = 128  # the metadata block starts right after the OIEB (PROTOCOL.md §2)


def _expect(wrong: list[str], field: str, actual: int, expected: int) -> None:
    if actual != expected:
        wrong.append(f"{field} is {actual}, expected {expected}")


@then(ROLE + r"should see written count '(?P<written>\d+)', read count '(?P<read>\d+)', free bytes '(?P<free>\d+)', "
      r"write position '(?P<write_pos>\d+)' and read position '(?P<read_pos>\d+)' in the OIEB")
def see_counters(ctx: ScenarioContext, process: str, written: int, read: int, free: int, write_pos: int,
                 read_pos: int) -> dict[str, Any]:
    """The current buffer's written/read counts, free bytes and positions are exactly these."""
    buffer = zb(ctx).buffer()
    oieb = diagnostics.inspect_buffer(buffer)
    wrong: list[str] = []
    for field, expected in (("payload_written_count", written), ("payload_read_count", read),
                            ("payload_free_bytes", free), ("payload_write_pos", write_pos),
                            ("payload_read_pos", read_pos)):
        _expect(wrong, field, int(oieb[field]), expected)  # type: ignore[call-overload]
    if wrong:
        raise StepAssertionError(f"the OIEB of '{buffer}' is not as expected: {', '.join(wrong)}")
    return {"buffer": buffer, "writtenCount": oieb["payload_written_count"], "readCount": oieb["payload_read_count"],
            "freeBytes": oieb["payload_free_bytes"], "writePos": oieb["payload_write_pos"],
            "readPos": oieb["payload_read_pos"]}


@then(ROLE + r"should see the OIEB, metadata and payload 64-byte aligned with metadata size "
      r"'(?P<metadata_size>\d+)' and payload size '(?P<payload_size>\d+)'")
def see_aligned_blocks(ctx: ScenarioContext, process: str, metadata_size: int, payload_size: int) -> dict[str, Any]:
    """The mapping, the metadata block (at 128) and the payload ring (at 128 + metadata_size) are
    64-byte aligned, the sizes are these and the mapping holds exactly the three blocks."""
    buffer = zb(ctx).buffer()
    lay = diagnostics.layout(buffer)
    base = lay["mapping_address"]
    wrong: list[str] = []
    for what, value in (("the OIEB's address", base), ("the metadata offset", lay["metadata_offset"]),
                        ("the payload offset", lay["payload_offset"]),
                        ("the metadata address", base + lay["metadata_offset"]),
                        ("the payload address", base + lay["payload_offset"])):
        if value % ALIGNMENT:
            wrong.append(f"{what} {value:#x} is not a multiple of {ALIGNMENT}")
    _expect(wrong, "metadata offset", lay["metadata_offset"], OIEB_SIZE)
    _expect(wrong, "metadata_size", lay["metadata_size"], metadata_size)
    _expect(wrong, "payload offset", lay["payload_offset"], OIEB_SIZE + metadata_size)
    _expect(wrong, "payload_size", lay["payload_size"], payload_size)
    _expect(wrong, "mapping size", lay["mapping_size"], OIEB_SIZE + metadata_size + payload_size)
    if wrong:
        raise StepAssertionError(f"the layout of '{buffer}' is not as expected: {', '.join(wrong)}")
    return {"buffer": buffer, "metadataOffset": lay["metadata_offset"], "payloadOffset": lay["payload_offset"],
            "mappingSize": lay["mapping_size"]}


@then(ROLE + r"should see the lock file of the buffer held")
def see_lock_held(ctx: ScenarioContext, process: str) -> dict[str, Any]:
    """A probe flock(LOCK_EX|LOCK_NB) on the current buffer's lock file fails: someone holds it."""
    buffer = zb(ctx).buffer()
    path = diagnostics.lock_file_path(buffer)
    if not diagnostics.lock_file_held(buffer):
        raise StepAssertionError(f"expected the lock file '{path}' of '{buffer}' to be held (flock), "
                                 f"but a probe could take it or it is missing")
    return {"buffer": buffer, "lockFile": path}
