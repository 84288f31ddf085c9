"""The two buffer names of a duplex channel and the channel-name rule (PROTOCOL.md §8)."""

from __future__ import annotations

from .._names import validate_name
from ..errors import InvalidBufferNameException

REQUEST_SUFFIX = "_request"
RESPONSE_SUFFIX = "_response"
# A channel name leaves room for the longer suffix within the 200-character buffer-name limit.
MAX_CHANNEL_NAME_LENGTH = 200 - len(RESPONSE_SUFFIX)


def request_name(channel: str) -> str:
    return channel + REQUEST_SUFFIX


def response_name(channel: str) -> str:
    return channel + RESPONSE_SUFFIX


def validate_channel_name(channel: object) -> str:
    """Return the name, or raise InvalidBufferNameException before any OS call."""
    try:
        validate_name(channel)
        valid = isinstance(channel, str) and len(channel) <= MAX_CHANNEL_NAME_LENGTH
    except InvalidBufferNameException:
        valid = False
    if not valid:
        raise InvalidBufferNameException(
            f"Invalid channel name {channel!r}: a channel name must be 1-{MAX_CHANNEL_NAME_LENGTH} "
            f"characters of [A-Za-z0-9._-], not starting with '.'")
    assert isinstance(channel, str)
    return channel
