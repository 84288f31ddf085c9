"""Python fuzz harness: reads one case per line on stdin (tests/fuzz/cases.py), runs it against the
zerobuffer library and prints one JSON result line per case. See tests/fuzz/README.md."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Optional

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "python"))

from zerobuffer import BufferConfig, Reader, Writer, ZeroBufferException  # noqa: E402
from zerobuffer import diagnostics  # noqa: E402


def _frame(size: int, salt: int) -> bytes:
    return bytes((salt + i) & 0xFF for i in range(size))


def _read_one(reader: Reader, timeout_ms: int) -> None:
    frame = reader.read_frame(timeout_ms / 1000.0)
    if frame is not None:
        with frame:
            sum(frame.data)  # touch every byte the reader handed out


def _apply(name: str, edit: dict[str, Any]) -> None:
    kind = edit["kind"]
    if kind == "oieb":
        diagnostics.write_oieb_field(name, edit["field"], edit["value"])
    elif kind in ("payload", "metadata"):
        diagnostics.write_region_bytes(name, kind, edit["offset"], bytes.fromhex(edit["hex"]))
    else:
        diagnostics.post_semaphore(name, "written" if edit["written"] else "freed", edit["count"])


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    name = case["name"]
    write_timeout = case["write_timeout_ms"] / 1000.0
    reader = Reader(name, BufferConfig(case["metadata_size"], case["payload_size"]))
    writer: Optional[Writer] = None
    try:
        try:
            if case["phase"] == "mid-stream":
                writer = Writer(name)
                writer.write_timeout = write_timeout
                if case["metadata_before"]:
                    writer.set_metadata(bytes([0xA5]) * 16)
                for k in range(case["frames_before"]):
                    writer.write_frame(_frame(case["frame_size"], k))
                    if k < case["reads_before"]:
                        _read_one(reader, case["read_timeout_ms"])
            for edit in case["edits"]:
                _apply(name, edit)
            if writer is None:
                writer = Writer(name)
                writer.write_timeout = write_timeout
            for op in case["ops"]:
                if op == "write":
                    writer.write_frame(_frame(case["frame_size"], 7))
                elif op == "read":
                    _read_one(reader, case["read_timeout_ms"])
                elif op == "metadata_read":
                    view = reader.get_metadata()
                    if view is not None:
                        sum(view)
                        view.release()
                else:
                    writer.set_metadata(b"fuzzmeta")
        except ZeroBufferException as exc:
            return {"id": case["id"], "outcome": "error", "kind": exc.kind, "message": str(exc)}
        except Exception as exc:  # noqa: BLE001 - anything else is what the fuzzer looks for
            return {"id": case["id"], "outcome": "unexpected", "kind": type(exc).__name__, "message": str(exc)}
        return {"id": case["id"], "outcome": "ok"}
    finally:
        if writer is not None:
            writer.close()
        reader.close()


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run_case(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
