"""Rewrites the golden images of manifest.json with the Python library (see manifest.json)."""

from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "..", "..", "src", "python"), os.path.join(HERE, "..", "..", "src", "python", "tests")]

from golden_images import capture_state, to_hex  # noqa: E402


def main() -> None:
    with open(os.path.join(HERE, "manifest.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    for state in manifest["states"]:
        images = capture_state(f"zbimg-{os.getpid()}-{state['name']}", state)
        for region, data in images.items():
            with open(os.path.join(HERE, f"{state['name']}.{region}.hex"), "w", encoding="utf-8") as out:
                out.write(to_hex(data, masked=range(0x50, 0x60) if region == "oieb" else range(0)))


if __name__ == "__main__":
    main()
