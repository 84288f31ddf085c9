"""DuplexChannelFactory: creates both ends of a channel."""

from __future__ import annotations

from typing import Optional

from ..config import BufferConfig
from .client import DuplexClient
from .server import ImmutableDuplexServer, MutableDuplexServer


class DuplexChannelFactory:
    """Creates servers and clients of duplex channels (PROTOCOL.md §8)."""

    def create_immutable_server(self, channel_name: str, config: BufferConfig) -> ImmutableDuplexServer:
        """A server whose handler returns new bytes; ``config`` sizes ``_request``."""
        return ImmutableDuplexServer(channel_name, config)

    def create_mutable_server(self, channel_name: str, config: BufferConfig) -> MutableDuplexServer:
        """A server whose handler transforms requests in place; ``config`` sizes ``_request``."""
        return MutableDuplexServer(channel_name, config)

    def create_client(self, channel_name: str, response_config: Optional[BufferConfig] = None) -> DuplexClient:
        """Connect to the server's ``_request`` (BufferNotFoundException without a server), then
        create ``_response`` (default 4 KiB metadata, 256 MiB payload)."""
        return DuplexClient(channel_name, response_config)
