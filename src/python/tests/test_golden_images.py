"""The golden images of testdata/images, reproduced through the Python API (C# and C++ read them too)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from conftest import REPO, unique_name
from golden_images import capture_state, from_hex

IMAGES = os.path.join(REPO, "testdata", "images")
with open(os.path.join(IMAGES, "manifest.json"), encoding="utf-8") as _handle:
    STATES: list[dict[str, Any]] = json.load(_handle)["states"]


@pytest.mark.parametrize("state", STATES, ids=lambda s: s["name"])
def test_state_matches_its_golden_image(state: dict[str, Any]) -> None:
    images = capture_state(unique_name("img"), state)
    for region, actual in images.items():
        with open(os.path.join(IMAGES, f"{state['name']}.{region}.hex"), encoding="utf-8") as handle:
            expected = from_hex(handle.read())
        assert len(actual) == len(expected), region
        mismatches = [f"{i:#06x}: {actual[i]:02x} != {e:02x}" for i, e in enumerate(expected)
                      if e is not None and actual[i] != e]
        assert not mismatches, f"{state['name']}.{region}: {mismatches[:8]}"
