"""Makes the states of testdata/images/manifest.json through the public API and renders hex images."""

from __future__ import annotations

from typing import Any, Optional

from zerobuffer import BufferConfig, Reader, Writer
from zerobuffer.diagnostics import oieb_image, region_image

PID_BYTES = range(0x50, 0x60)  # writer_pid, reader_pid: differ per run, never compared


def frame_bytes(sequence: int, size: int) -> bytes:
    return bytes((sequence + i) & 0xFF for i in range(size))


def capture_state(name: str, state: dict[str, Any]) -> dict[str, bytes]:
    """{"oieb": ..., "metadata": ..., "payload": ...} after the state's operations."""
    with Reader(name, BufferConfig(state["metadata_size"], state["payload_size"])) as reader:
        writer: Optional[Writer] = Writer(name) if state["operations"] else None
        try:
            sequence = 0
            for operation in state["operations"]:
                verb, _, argument = operation.partition(" ")
                assert writer is not None
                if verb == "metadata":
                    writer.set_metadata(bytes(range(int(argument))))
                elif verb == "write":
                    sequence += 1
                    writer.write_frame(frame_bytes(sequence, int(argument)))
                elif verb == "read":
                    frame = reader.read_frame(5.0)
                    assert frame is not None, f"{state['name']}: no frame to read"
                    frame.dispose()
                else:
                    raise ValueError(f"unknown operation {operation!r}")
            return {"oieb": oieb_image(name), "metadata": region_image(name, "metadata"),
                    "payload": region_image(name, "payload")}
        finally:
            if writer is not None:
                writer.close()


def to_hex(data: bytes, masked: range = range(0)) -> str:
    lines = []
    for offset in range(0, len(data), 16):
        cells = [".." if offset + i in masked else f"{b:02x}" for i, b in enumerate(data[offset: offset + 16])]
        lines.append(f"{offset:04x}: {' '.join(cells)}")
    return "\n".join(lines) + ("\n" if lines else "")


def from_hex(text: str) -> list[Optional[int]]:
    """The bytes of a hex image; None for a masked byte."""
    cells: list[Optional[int]] = []
    for line in text.splitlines():
        _, _, body = line.partition(":")
        cells += [None if cell == ".." else int(cell, 16) for cell in body.split()]
    return cells
