"""The serve loop: framed messages from stdin, replies to stdout, until end of input, a lost parent
or shutdown; always releases every buffer.

A pump thread reads stdin, so end of input is seen even while a step blocks the loop: it sets
``stop`` (the invoker then abandons the running step) and the loop releases and ends at once.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from typing import BinaryIO, Union

from ..rpc.dispatcher import RpcDispatcher, error_reply
from ..rpc.errors import JsonRpcErrorCode
from ..rpc.worker_methods import WorkerMethods
from ..wire import BadHeaderError, ConnectionLostError, ContentLengthReader, ContentLengthWriter

_log = logging.getLogger("zerobuffer_serve")

# How long a stopping worker waits for its step and background threads before releasing buffers;
# the liveness rule allows 2 s from end of input (or parent death) to exit.
STOP_JOIN_SECONDS = 1.0


class _BadHeader(str):
    """A header problem the pump saw (answered with -32600)."""


class _End(str):
    """Why input ended."""


_Item = Union[bytes, _BadHeader, _End]


class StdioWorker:
    """Owns the loop; ``stop`` is shared with the invoker and the parent watch."""

    def __init__(self, stdin: BinaryIO, stdout: BinaryIO, methods: WorkerMethods, stop: threading.Event) -> None:
        self._reader = ContentLengthReader(stdin)
        self._writer = ContentLengthWriter(stdout)
        self._methods = methods
        self._dispatcher = RpcDispatcher(methods.handlers())
        self._stop = stop
        self._inbox: queue.Queue[_Item] = queue.Queue()

    def lost(self, reason: str) -> None:
        """End the worker from any thread (parent gone): abandon the step, release, exit."""
        self._stop.set()
        self._inbox.put(_End(reason))

    def run(self) -> int:
        """Serve until the end; returns the exit code."""
        threading.Thread(target=self._pump, name="stdin", daemon=True).start()
        try:
            while not self._methods.shutdown_requested:
                item = self._inbox.get()
                if isinstance(item, _End):
                    _log.info("%s: releasing everything and exiting", item)
                    break
                if isinstance(item, _BadHeader):
                    _log.error("bad message header: %s (resynchronising)", item)
                    reply = error_reply(None, JsonRpcErrorCode.INVALID_REQUEST, f"Invalid Request: {item}")
                    self._writer.write(json.dumps(reply).encode("utf-8"))
                    continue
                encoded = self._dispatcher.handle(item)
                if encoded is not None:
                    self._writer.write(encoded)
        except BrokenPipeError:
            _log.warning("stdout closed; exiting")
            self._stop.set()
        finally:
            self._methods.release(STOP_JOIN_SECONDS if self._stop.is_set() else None)
        return 0

    def _pump(self) -> None:
        try:
            while True:
                try:
                    body = self._reader.read()
                except BadHeaderError as exc:
                    self._inbox.put(_BadHeader(str(exc)))
                    continue
                except ConnectionLostError as exc:
                    self.lost(f"input ended mid-message ({exc})")
                    return
                if body is None:
                    self.lost("end of input")
                    return
                self._inbox.put(body)
        except (OSError, ValueError) as exc:  # stdin closed under us
            self.lost(f"reading stdin failed: {exc}")
