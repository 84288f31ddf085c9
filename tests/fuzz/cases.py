"""Seeded, reproducible fuzz cases: one JSON object per case, interpreted alike by every harness.

A case names a fresh buffer, its sizes, a phase (corrupt before the writer connects, or mid-stream
after some frames went through), a list of edits made through the library's diagnostics API, and
the operations that follow. Case ``i`` of seed ``s`` is always the same case (``random.Random`` seeded
with the string ``"s:i"``), so a failure is reproduced by ``--seed s --case i``.
"""

from __future__ import annotations

import random
from typing import Any

U64_MAX = (1 << 64) - 1
OIEB_FIELDS = (
    "oieb_size", "version_major", "version_minor", "metadata_size", "metadata_free_bytes",
    "metadata_written_bytes", "payload_size", "payload_free_bytes", "payload_write_pos",
    "payload_read_pos", "payload_written_count", "payload_read_count", "writer_pid", "reader_pid",
)
HEADER_SIZE = 16
READ_TIMEOUT_MS = 20
WRITE_TIMEOUT_MS = 20


def _interesting(rng: random.Random, metadata_size: int, payload_size: int) -> int:
    """A value near a boundary the rules care about, or anything at all."""
    pool = [0, 1, 7, 8, 15, 16, 17, 63, 64, 128, metadata_size - 1, metadata_size, metadata_size + 1,
            metadata_size + 8, payload_size - 16, payload_size - 1, payload_size, payload_size + 1,
            payload_size + 64, 2 * payload_size, (1 << 31) - 1, 1 << 31, 1 << 32, 1 << 63,
            U64_MAX - 63, U64_MAX - 1, U64_MAX]
    if rng.random() < 0.15:
        return rng.getrandbits(64)
    return rng.choice(pool) & U64_MAX


def _edit(rng: random.Random, metadata_size: int, payload_size: int, frame_size: int) -> dict[str, Any]:
    kind = rng.choices(["oieb", "header", "marker", "metadata", "post"], weights=[5, 4, 2, 2, 2])[0]
    if kind == "oieb":
        return {"kind": "oieb", "field": rng.choice(OIEB_FIELDS),
                "value": _interesting(rng, metadata_size, payload_size)}
    stride = HEADER_SIZE + frame_size
    if kind in ("header", "marker"):
        # Frame boundaries are where readers look; sometimes anywhere else in the ring.
        slots = max(1, payload_size // stride)
        offset = rng.randrange(slots) * stride if rng.random() < 0.8 else rng.randrange(payload_size - 15)
        offset = min(offset, payload_size - HEADER_SIZE)
        if kind == "marker":
            data = bytes(HEADER_SIZE)  # payload_size 0, sequence 0: a fake wrap marker
        else:
            field_offset = rng.choice((0, 8))  # payload_size or sequence
            value = _interesting(rng, metadata_size, payload_size) if field_offset == 0 else rng.choice(
                (0, 1, 2, 3, 5, 1 << 32, U64_MAX, rng.getrandbits(64)))
            offset += field_offset
            data = value.to_bytes(8, "little")
        return {"kind": "payload", "offset": offset, "hex": data.hex()}
    if kind == "metadata":
        if metadata_size < 8:
            return {"kind": "post", "written": True, "count": 1}
        if rng.random() < 0.7:
            data = _interesting(rng, metadata_size, payload_size).to_bytes(8, "little")
            return {"kind": "metadata", "offset": 0, "hex": data.hex()}
        length = rng.randint(1, min(32, metadata_size))
        return {"kind": "metadata", "offset": rng.randrange(metadata_size - length + 1),
                "hex": rng.randbytes(length).hex()}
    return {"kind": "post", "written": rng.random() < 0.6, "count": rng.randint(1, 3)}


def make_case(seed: int, index: int, lang: str, run_id: str) -> dict[str, Any]:
    """The case ``index`` of ``seed`` for one language (the language only changes the buffer name)."""
    rng = random.Random(f"{seed}:{index}")
    metadata_size = rng.choice((0, 64, 256))
    payload_size = rng.choice((1024, 4096))
    frame_size = rng.choice((1, 15, 48, 100, 200, 400))
    phase = rng.choice(("before-connect", "mid-stream"))
    frames_before = rng.randint(1, 12) if phase == "mid-stream" else 0
    edits = [_edit(rng, metadata_size, payload_size, frame_size) for _ in range(rng.randint(1, 3))]
    # Region edits locate the ring through the OIEB, so they go before the OIEB is corrupted.
    edits.sort(key=lambda edit: edit["kind"] == "oieb")
    ops = [rng.choice(("write", "read", "read", "metadata_read", "metadata_write")) for _ in range(rng.randint(1, 6))]
    return {
        "id": index,
        "name": f"zbfz-{run_id}-{lang}-{index}",
        "metadata_size": metadata_size,
        "payload_size": payload_size,
        "frame_size": frame_size,
        "phase": phase,
        "frames_before": frames_before,
        "reads_before": rng.randint(0, frames_before),
        "metadata_before": phase == "mid-stream" and metadata_size >= 24 and rng.random() < 0.5,
        "edits": edits,
        "ops": ops,
        "read_timeout_ms": READ_TIMEOUT_MS,
        "write_timeout_ms": WRITE_TIMEOUT_MS,
    }
