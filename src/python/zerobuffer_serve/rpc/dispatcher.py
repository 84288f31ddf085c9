"""JSON-RPC 2.0 dispatch: one framed body in, the encoded reply (or nothing, for notifications) out.

Knows JSON-RPC, not steps; params reach the handlers normalised by rpc.params.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Mapping, Optional

from .errors import InvalidParamsError, JsonRpcErrorCode
from .params import normalize

_log = logging.getLogger("zerobuffer_serve.rpc")

Handler = Callable[[dict[str, Any]], Any]
_NO_ID = object()
# Made once: json.dumps with options builds a new encoder for every reply.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def error_reply(id_: Any, code: JsonRpcErrorCode, message: str) -> dict[str, Any]:
    """A JSON-RPC error object."""
    return {"jsonrpc": "2.0", "id": id_, "error": {"code": int(code), "message": message}}


class RpcDispatcher:
    """Turns request dicts into handler calls."""

    def __init__(self, handlers: Mapping[str, Handler]) -> None:
        self._handlers = dict(handlers)

    def handle(self, body: bytes) -> Optional[bytes]:
        """Handle one framed body; returns the encoded reply, or None when nothing is answered."""
        try:
            message = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            _log.warning("unparsable message: %s", exc)
            return self._encode(error_reply(None, JsonRpcErrorCode.PARSE_ERROR, f"Parse error: {exc}"))
        if isinstance(message, list):
            if not message:
                return self._encode(error_reply(None, JsonRpcErrorCode.INVALID_REQUEST,
                                                "Invalid Request: empty batch"))
            replies = [r for r in (self.handle_message(m) for m in message) if r is not None]
            return self._encode(replies) if replies else None
        reply = self.handle_message(message)
        return self._encode(reply) if reply is not None else None

    def handle_message(self, message: Any) -> Optional[dict[str, Any]]:
        """Handle one decoded message; None for notifications."""
        if not isinstance(message, dict):
            return error_reply(None, JsonRpcErrorCode.INVALID_REQUEST, "Invalid Request: not an object")
        id_ = message.get("id", _NO_ID)
        is_notification = id_ is _NO_ID
        reply_id = None if is_notification else id_
        if not (reply_id is None or isinstance(reply_id, (int, str))) or isinstance(reply_id, bool):
            return error_reply(None, JsonRpcErrorCode.INVALID_REQUEST,
                               "Invalid Request: id must be an integer, a string or null")
        if message.get("jsonrpc") != "2.0":
            return None if is_notification else error_reply(
                reply_id, JsonRpcErrorCode.INVALID_REQUEST, 'Invalid Request: "jsonrpc" must be "2.0"')
        method = message.get("method")
        if not isinstance(method, str):
            return None if is_notification else error_reply(
                reply_id, JsonRpcErrorCode.INVALID_REQUEST, 'Invalid Request: "method" must be a string')
        handler = self._handlers.get(method)
        if handler is None:
            _log.warning("unknown method %r", method)
            return None if is_notification else error_reply(
                reply_id, JsonRpcErrorCode.METHOD_NOT_FOUND, f"Method not found: {method}")
        try:
            result = handler(normalize(message.get("params")))
        except InvalidParamsError as exc:
            return None if is_notification else error_reply(
                reply_id, JsonRpcErrorCode.INVALID_PARAMS, f"Invalid params: {exc}")
        except Exception as exc:  # noqa: BLE001 - an exception outside a step is -32603
            _log.exception("method %s failed", method)
            return None if is_notification else error_reply(
                reply_id, JsonRpcErrorCode.INTERNAL_ERROR, f"Internal error: {type(exc).__name__}: {exc}")
        if is_notification:
            return None
        return {"jsonrpc": "2.0", "id": reply_id, "result": result}

    @staticmethod
    def _encode(payload: Any) -> bytes:
        return _ENCODER.encode(payload).encode("utf-8")
