"""The serve loop: framed messages from stdin, replies to stdout, until end of input, a lost parent
or shutdown; always releases every buffer.

A pump thread reads stdin, so end of input is seen even while a step blocks the loop: it sets
``stop`` (the invoker then abandons the running step) and the loop releases and ends at once.

The loop runs on a serving thread, which runs a request's step itself (the invoker's inline mode);
when the invoker abandons such a step, a new serving thread answers that request again and serves
on, and the old one ends once its step returns. The main thread only waits for the end.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from typing import BinaryIO, Optional, Union

from ..rpc.dispatcher import RpcDispatcher, error_reply
from ..rpc.errors import JsonRpcErrorCode
from ..rpc.worker_methods import WorkerMethods
from ..steps.invoker import StepInvoker
from ..steps.step_watch import StepAbandoned
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

    def __init__(self, stdin: BinaryIO, stdout: BinaryIO, methods: WorkerMethods, stop: threading.Event,
                 invoker: StepInvoker) -> None:
        self._reader = ContentLengthReader(stdin)
        self._writer = ContentLengthWriter(stdout)
        self._methods = methods
        self._dispatcher = RpcDispatcher(methods.handlers())
        self._stop = stop
        self._invoker = invoker
        self._inbox: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._answering = b""  # the request being answered
        self._ended = threading.Event()
        invoker.serve_inline(self._answer_again)

    def lost(self, reason: str) -> None:
        """End the worker from any thread (parent gone): abandon the step, release, exit."""
        self._stop.set()
        self._inbox.put(_End(reason))

    def run(self) -> int:
        """Serve until the end; returns the exit code."""
        threading.Thread(target=self._pump, name="stdin", daemon=True).start()
        self._start_serving(None)
        try:
            self._ended.wait()
        finally:
            self._methods.release(STOP_JOIN_SECONDS if self._stop.is_set() else None)
        return 0

    def _start_serving(self, again: Optional[bytes]) -> None:
        threading.Thread(target=self._serve, args=(again,), name="serve", daemon=True).start()

    def _answer_again(self) -> None:
        """The invoker abandoned the running step: answer its request on a new serving thread."""
        self._start_serving(self._answering)

    def _serve(self, again: Optional[bytes]) -> None:
        try:
            if again is not None:
                self._answer(again)
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
                self._answer(item)
        except StepAbandoned:
            return  # its request was answered again by the serving thread that took over
        except BrokenPipeError:
            _log.warning("stdout closed; exiting")
            self._stop.set()
        except BaseException:
            _log.exception("the serving loop failed; exiting")
            self._stop.set()
        self._ended.set()

    def _answer(self, body: bytes) -> None:
        self._answering = body
        # A batch's steps run on step threads: answering a batch again would run its other requests twice.
        self._invoker.inline = body.lstrip()[:1] == b"{"
        encoded = self._dispatcher.handle(body)
        if encoded is not None:
            self._writer.write(encoded)

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
