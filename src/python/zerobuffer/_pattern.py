"""The shared test patterns: frame byte i of sequence s is (s + i) & 0xFF; metadata byte i is i & 0xFF."""

from __future__ import annotations


class Pattern:
    """Precomputed ramp so a pattern of any offset is one slice (memcpy), not a Python loop."""

    def __init__(self, max_size: int) -> None:
        self._max = max_size
        self._ramp = bytes(range(256)) * (max_size // 256 + 2)
        self._view = memoryview(self._ramp)

    def frame(self, sequence: int, size: int) -> memoryview:
        """The expected payload of frame ``sequence`` with ``size`` bytes."""
        if size > self._max:
            self.__init__(size)  # type: ignore[misc]
        start = sequence & 0xFF
        return self._view[start: start + size]

    def matches(self, sequence: int, data: memoryview) -> bool:
        """Whether data is exactly the payload of frame ``sequence`` (one memcmp, no copy)."""
        if len(data) > self._max:
            self.__init__(len(data))  # type: ignore[misc]
        return self._ramp.startswith(data, sequence & 0xFF)

    def metadata(self, size: int) -> memoryview:
        """The expected metadata of ``size`` bytes."""
        return self.frame(0, size)


def first_mismatch(actual: memoryview, expected: memoryview) -> int:
    """Index of the first differing byte, or -1 when equal (lengths must match)."""
    if actual == expected:
        return -1
    for index in range(min(len(actual), len(expected))):
        if actual[index] != expected[index]:
            return index
    return min(len(actual), len(expected))
