"""The duplex state of one scenario in one worker (STEPS.md "Duplex channel"): servers and clients by
channel (as the feature names it) and the current ones (the last started / connected). A per-scenario
service of the step context; release stops every server, then closes every client."""

from __future__ import annotations

import logging
from typing import Any, Optional

from zerobuffer import BufferConfig
from zerobuffer.duplex import DuplexChannelFactory

from ...steps.context import ScenarioContext
from ...steps.errors import StepAssertionError
from .duplex_client import StepClient
from .duplex_server import StepServer
from .zerobuffer_context import zb

_log = logging.getLogger("zerobuffer_serve.duplex")

RESPONSE_METADATA_SIZE = 4096


class DuplexContext:
    """Get it with ``duplex(ctx)``."""

    def __init__(self, context: ScenarioContext) -> None:
        self.context = context
        self.servers: dict[str, StepServer] = {}
        self.clients: dict[str, StepClient] = {}
        self.server: Optional[StepServer] = None
        self.client: Optional[StepClient] = None

    def channel_name(self, name: str) -> str:
        """The run-unique OS name of a feature's channel, prefixed like buffer names."""
        return zb(self.context).buffer_name(name)

    def current_server(self) -> StepServer:
        if self.server is None:
            raise StepAssertionError("this worker runs no duplex server in the scenario (no 'starts ... server' step)")
        return self.server

    def current_client(self) -> StepClient:
        if self.client is None:
            raise StepAssertionError("this worker has no duplex client in the scenario (no 'connects to channel' step)")
        return self.client

    def server_of(self, name: str) -> StepServer:
        try:
            return self.servers[name]
        except KeyError:
            raise StepAssertionError(f"this worker runs no duplex server on channel '{name}'") from None

    def client_of(self, name: str) -> StepClient:
        try:
            return self.clients[name]
        except KeyError:
            raise StepAssertionError(f"this worker has no duplex client of channel '{name}'") from None

    def add_server(self, server: StepServer) -> None:
        with self.context.lock:
            if server.feature_name in self.servers:
                server.close()
                raise StepAssertionError(f"a duplex server already runs on channel '{server.feature_name}' here")
            self.servers[server.feature_name] = server
            self.server = server

    def _take(self, items: dict[str, Any], current: str, name: str) -> Any:
        """Remove the channel's item (None when there is none); it stops being the current one."""
        with self.context.lock:
            item = items.pop(name, None)
            if item is not None and getattr(self, current) is item:
                setattr(self, current, None)
            return item

    def stop_server(self, name: str) -> StepServer:
        server: Optional[StepServer] = self._take(self.servers, "server", name)
        if server is None:
            raise StepAssertionError(f"this worker runs no duplex server on channel '{name}'")
        server.close()
        return server

    def connect(self, name: str, response_payload_size: int) -> StepClient:
        """A new client of the channel (closing this worker's previous one); it becomes current."""
        previous: Optional[StepClient] = self._take(self.clients, "client", name)
        if previous is not None:
            previous.close()
        client = DuplexChannelFactory().create_client(
            self.channel_name(name), BufferConfig(RESPONSE_METADATA_SIZE, response_payload_size))
        state = StepClient(name, client)
        with self.context.lock:
            self.clients[name] = state
            self.client = state
        return state

    def disconnect(self, name: str) -> None:
        client: Optional[StepClient] = self._take(self.clients, "client", name)
        if client is None:
            raise StepAssertionError(f"this worker has no duplex client of channel '{name}'")
        client.close()

    def release(self) -> list[str]:
        released: list[str] = []
        for kind, items in (("duplex server", self.servers), ("duplex client", self.clients)):
            for item in list(items.values()):
                try:
                    item.close()
                except Exception as exc:  # noqa: BLE001 - keep releasing the rest
                    _log.warning("closing %s of '%s' failed: %s", kind, item.channel_name, exc)
                released.append(f"{kind}:{item.channel_name}")
            items.clear()
        self.server = None
        self.client = None
        return released


def duplex(ctx: ScenarioContext) -> DuplexContext:
    """The scenario's duplex state."""
    return ctx.service(DuplexContext)
