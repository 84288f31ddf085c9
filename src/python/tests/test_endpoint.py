"""JSON-RPC dispatch rules (error codes, batches, notifications, compat forms)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zerobuffer_serve.rpc.dispatcher import RpcDispatcher
from zerobuffer_serve.rpc.errors import InvalidParamsError, JsonRpcErrorCode


def test_error_codes_are_the_spec_values() -> None:
    assert {c.name: int(c) for c in JsonRpcErrorCode} == {
        "PARSE_ERROR": -32700, "INVALID_REQUEST": -32600, "METHOD_NOT_FOUND": -32601,
        "INVALID_PARAMS": -32602, "INTERNAL_ERROR": -32603}


def make() -> tuple[RpcDispatcher, list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def echo(params: dict[str, Any]) -> Any:
        seen.append(params)
        return params

    def picky(params: dict[str, Any]) -> Any:
        raise InvalidParamsError("x is required")

    def boom(params: dict[str, Any]) -> Any:
        raise RuntimeError("kaput")

    return RpcDispatcher({"echo": echo, "picky": picky, "boom": boom}), seen


def call(endpoint: RpcDispatcher, message: Any) -> Any:
    raw = message if isinstance(message, bytes) else json.dumps(message).encode()
    reply = endpoint.handle(raw)
    return None if reply is None else json.loads(reply)


def test_request_and_string_id() -> None:
    endpoint, _ = make()
    assert call(endpoint, {"jsonrpc": "2.0", "id": 1, "method": "echo", "params": {"a": 1}}) == \
        {"jsonrpc": "2.0", "id": 1, "result": {"a": 1}}
    assert call(endpoint, {"jsonrpc": "2.0", "id": "x", "method": "echo"})["id"] == "x"


@pytest.mark.parametrize("message, code, id_", [
    (b"{not json", -32700, None),
    (b"\xff\xfe", -32700, None),
    ({"id": 3, "method": "echo"}, -32600, 3),
    ({"jsonrpc": "1.0", "id": 3, "method": "echo"}, -32600, 3),
    ({"jsonrpc": "2.0", "id": 4, "method": 5}, -32600, 4),
    ("just a string", -32600, None),
    ([], -32600, None),
    ({"jsonrpc": "2.0", "id": 5, "method": "nope"}, -32601, 5),
    ({"jsonrpc": "2.0", "id": 6, "method": "picky"}, -32602, 6),
    ({"jsonrpc": "2.0", "id": 7, "method": "echo", "params": 42}, -32602, 7),
    ({"jsonrpc": "2.0", "id": 8, "method": "echo", "params": [1, 2]}, -32602, 8),
    ({"jsonrpc": "2.0", "id": 9, "method": "boom"}, -32603, 9),
])
def test_errors(message: Any, code: int, id_: Any) -> None:
    endpoint, _ = make()
    reply = call(endpoint, message)
    assert reply["error"]["code"] == code and reply["id"] == id_ and reply["error"]["message"]


def test_notifications_are_never_answered() -> None:
    endpoint, seen = make()
    assert call(endpoint, {"jsonrpc": "2.0", "method": "echo", "params": {"n": 1}}) is None
    assert call(endpoint, {"jsonrpc": "2.0", "method": "nope"}) is None
    assert call(endpoint, {"jsonrpc": "2.0", "method": "boom"}) is None
    assert seen == [{"n": 1}]


def test_batch() -> None:
    endpoint, _ = make()
    reply = call(endpoint, [{"jsonrpc": "2.0", "id": 1, "method": "echo", "params": {"a": 1}},
                            {"jsonrpc": "2.0", "method": "echo"},
                            {"jsonrpc": "2.0", "id": 2, "method": "nope"}, 17])
    assert [r.get("id") for r in reply] == [1, 2, None]
    assert reply[1]["error"]["code"] == -32601 and reply[2]["error"]["code"] == -32600
    assert call(endpoint, [{"jsonrpc": "2.0", "method": "echo"}]) is None


def test_compat_forms() -> None:
    endpoint, seen = make()
    call(endpoint, {"jsonrpc": "2.0", "id": 1, "method": "echo",
                    "params": [{"Step": "x", "TimeoutMs": 5, "stepType": 0}]})
    assert seen[-1] == {"step": "x", "timeoutMs": 5, "stepType": 0}
