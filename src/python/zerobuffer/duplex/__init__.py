"""Duplex channel: request/response over two ZeroBuffer rings (PROTOCOL.md §8).

::

    from zerobuffer import BufferConfig
    from zerobuffer.duplex import DuplexChannelFactory

    factory = DuplexChannelFactory()
    with factory.create_immutable_server("demo", BufferConfig(4096, 1 << 20)) as server:
        server.start(lambda frame: bytes(frame.data))
        with factory.create_client("demo") as client:
            sequence = client.send_request(b"hello")
            with client.receive_response(5000) as response:
                assert response.sequence == sequence and bytes(response.data) == b"hello"
"""

from ._metadata import encode as encode_metadata_record
from ._metadata import is_correlated as is_correlated_metadata
from ._names import request_name, response_name
from .client import DEFAULT_RESPONSE_CONFIG, DuplexClient
from .factory import DuplexChannelFactory
from .response import DuplexResponse
from .server import (DuplexServer, ImmutableDuplexServer, MutableDuplexServer, ProcessingMode,
                     ServerOptions)

__all__ = [
    "DEFAULT_RESPONSE_CONFIG", "DuplexChannelFactory", "DuplexClient", "DuplexResponse", "DuplexServer",
    "ImmutableDuplexServer", "MutableDuplexServer", "ProcessingMode", "ServerOptions",
    "encode_metadata_record", "is_correlated_metadata", "request_name", "response_name",
]
