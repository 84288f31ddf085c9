"""JSON-RPC 2.0 error codes (spec values; pinned by tests/test_endpoint.py)."""

from __future__ import annotations

from enum import IntEnum


class JsonRpcErrorCode(IntEnum):
    """The standard codes the worker answers with."""

    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603


class InvalidParamsError(Exception):
    """Raised by a method handler when its params are wrong (-> -32602)."""
