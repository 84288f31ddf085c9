"""What a step server answers (STEPS.md "Duplex channel", handlers), for servers and clients alike."""

from __future__ import annotations

import enum

_FLIP = bytes(b ^ 0xFF for b in range(256))


class DuplexHandler(enum.Enum):
    ECHO = "echo"  # the request bytes
    XOR = "xor"  # every byte XOR 0xFF
    DOUBLE = "double"  # the request bytes twice


def expected_response(handler: DuplexHandler, request: bytes | memoryview) -> bytes:
    """The exact response the handler must give to ``request`` (a new object)."""
    if handler is DuplexHandler.XOR:
        return bytes(request).translate(_FLIP)
    if handler is DuplexHandler.DOUBLE:
        return bytes(request) * 2
    return bytes(request)


def flip_in_place(data: memoryview) -> None:
    """XOR 0xFF in place (the mutable server's transform): no copy of the request."""
    for index in range(len(data)):
        data[index] ^= 0xFF
