"""BufferConfig: the sizes a reader creates a buffer with."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidConfigException

DEFAULT_METADATA_SIZE = 1024
DEFAULT_PAYLOAD_SIZE = 1024 * 1024
# Keeps 128 + metadata + payload inside a signed 64-bit off_t with a wide margin.
MAX_SIZE = 1 << 40


@dataclass(frozen=True)
class BufferConfig:
    """Sizes of a buffer. ``metadata_size`` may be 0; ``payload_size`` must be > 0.

    Both are rounded up to a multiple of 64 in the shared memory.
    """

    metadata_size: int = DEFAULT_METADATA_SIZE
    payload_size: int = DEFAULT_PAYLOAD_SIZE

    def __post_init__(self) -> None:
        for field, value, low in (("metadata_size", self.metadata_size, 0),
                                  ("payload_size", self.payload_size, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_SIZE:
                raise InvalidConfigException(
                    f"{field} must be an int in [{low}, {MAX_SIZE}], got {value!r}")
