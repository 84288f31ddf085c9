"""The serve loop: framed messages from stdin, replies to stdout, until end of input, a lost parent
or shutdown; always releases every buffer.

A serving thread reads a request and answers it itself, running its step too (the invoker's inline
mode): handing a request to another thread cost a thread switch per request. While it answers,
nobody reads stdin, so end of input is seen by the liveness watch (``input_closed``, from a hang-up
on stdin): it sets ``stop``, the invoker then abandons the running step, and reading goes on to the
end of input, answering what came before it. When the invoker abandons a step, a new serving
thread answers that request again and serves on; the old one ends once its step returns. The main
thread only waits for the end.
"""

from __future__ import annotations

import json
import logging
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
    """A header problem the reader saw (answered with -32600)."""


class _End(str):
    """Why input ended."""


_Item = Union[bytes, _BadHeader, _End]


class StdioWorker:
    """Owns the loop; ``stop`` is shared with the invoker and the liveness watch."""

    def __init__(self, stdin: BinaryIO, stdout: BinaryIO, methods: WorkerMethods, stop: threading.Event,
                 invoker: StepInvoker) -> None:
        self._reader = ContentLengthReader(stdin)
        self._writer = ContentLengthWriter(stdout)
        self._methods = methods
        self._dispatcher = RpcDispatcher(methods.handlers())
        self._stop = stop
        self._invoker = invoker
        self._guard = threading.Lock()
        self._busy = False  # a serving thread is answering (not blocked reading stdin)
        self._lost: Optional[str] = None
        self._answering = b""  # the request being answered
        self._ended = threading.Event()
        invoker.serve_inline(self._answer_again)

    def lost(self, reason: str) -> None:
        """End the worker from any thread (parent gone): abandon the step, release, exit."""
        self._stop.set()
        with self._guard:
            self._lost = reason
            idle = not self._busy
        if idle:  # the serving thread blocks in a read that may never return
            _log.info("%s: releasing everything and exiting", reason)
            self._ended.set()

    def input_closed(self) -> None:
        """stdin hung up (any thread): abandon the running step; reading goes on to the end of input."""
        if not self._stop.is_set():
            _log.info("end of input seen while answering; stopping")
            self._stop.set()

    def run(self) -> int:
        """Serve until the end; returns the exit code."""
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
            while True:
                with self._guard:
                    self._busy = False
                    if self._lost is not None or self._methods.shutdown_requested:
                        break
                item = self._read()
                with self._guard:
                    if self._lost is not None:
                        break
                    self._busy = True
                if isinstance(item, _End):
                    _log.info("%s: releasing everything and exiting", item)
                    self._stop.set()
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

    def _read(self) -> _Item:
        try:
            body = self._reader.read()
        except BadHeaderError as exc:
            return _BadHeader(str(exc))
        except ConnectionLostError as exc:
            return _End(f"input ended mid-message ({exc})")
        except (OSError, ValueError) as exc:  # stdin closed under us
            return _End(f"reading stdin failed: {exc}")
        return _End("end of input") if body is None else body

    def _answer(self, body: bytes) -> None:
        self._answering = body
        # A batch's steps run on step threads: answering a batch again would run its other requests twice.
        self._invoker.inline = body.lstrip()[:1] == b"{"
        encoded = self._dispatcher.handle(body)
        if encoded is not None:
            self._writer.write(encoded)
