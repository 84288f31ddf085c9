"""The serve loop: framed messages from stdin, replies to stdout, until EOF or shutdown."""

from __future__ import annotations

import json
import logging
from typing import BinaryIO

from .endpoint import Endpoint, error_reply
from .methods import WorkerMethods
from .rpc_errors import JsonRpcErrorCode
from .wire import BadHeaderError, ConnectionLostError, MessageReader, MessageWriter

_log = logging.getLogger("zerobuffer_serve")


def serve(stdin: BinaryIO, stdout: BinaryIO, methods: WorkerMethods) -> int:
    """Serve until end of input or shutdown; always releases every buffer. Returns the exit code."""
    reader, writer = MessageReader(stdin), MessageWriter(stdout)
    endpoint = Endpoint(methods.handlers())
    try:
        while not methods.shutdown_requested:
            try:
                body = reader.read()
            except BadHeaderError as exc:
                _log.error("bad message header: %s", exc)
                reply = error_reply(None, JsonRpcErrorCode.INVALID_REQUEST, f"Invalid Request: {exc}")
                writer.write(json.dumps(reply).encode("utf-8"))
                if exc.fatal:
                    _log.error("cannot resynchronise after an oversized message; exiting")
                    return 0
                continue
            except ConnectionLostError as exc:
                _log.warning("input ended mid-message: %s", exc)
                return 0
            if body is None:
                _log.info("end of input; exiting")
                return 0
            reply_bytes = endpoint.handle(body)
            if reply_bytes is not None:
                writer.write(reply_bytes)
        return 0
    except BrokenPipeError:
        _log.warning("stdout closed; exiting")
        return 0
    finally:
        methods.release()
