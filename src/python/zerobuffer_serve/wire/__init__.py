"""The wire: Content-Length framing over binary streams. Knows bytes and messages, never JSON-RPC."""

from .content_length import (MAX_BODY, BadHeaderError, ConnectionLostError, ContentLengthReader,
                             ContentLengthWriter)

__all__ = ["MAX_BODY", "BadHeaderError", "ConnectionLostError", "ContentLengthReader", "ContentLengthWriter"]
