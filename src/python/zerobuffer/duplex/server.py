"""Duplex servers: own ``<channel>_request`` and answer into each client's ``<channel>_response``."""

from __future__ import annotations

import enum
import logging
import queue
import threading
from dataclasses import dataclass
from typing import Callable, List, Optional, Union

from ..config import BufferConfig
from ..errors import (BufferNotFoundException, ReaderDeadException, WriterDeadException,
                      ZeroBufferException)
from ..frame import Frame
from ..reader import Reader
from ..writer import Writer
from . import _metadata
from ._names import request_name, response_name, validate_channel_name
from ._ordered_release import OrderedRelease
from ._session import ResponseSession

_log = logging.getLogger("zerobuffer.duplex")

# How long one read waits before the loop looks at stop() and the client's liveness again.
_POLL_INTERVAL = 0.1
# Pause between attempts to open a response buffer that is not there (yet).
_CONNECT_RETRY = 0.005

BytesLike = Union[bytes, bytearray, memoryview]
ImmutableHandler = Callable[[Frame], Optional[BytesLike]]
MutableHandler = Callable[[Frame], None]
InitHandler = Callable[[memoryview], None]


class ProcessingMode(enum.Enum):
    """SINGLE_THREAD: one request at a time, in order. THREAD_POOL: several handlers at once;
    responses may leave out of order, so the channel is correlated."""

    SINGLE_THREAD = 0
    THREAD_POOL = 1


@dataclass(frozen=True)
class ServerOptions:
    """How a server processes requests."""

    mode: ProcessingMode = ProcessingMode.SINGLE_THREAD
    handlers: int = 4  # THREAD_POOL handler threads
    correlated: bool = False  # correlated even in SINGLE_THREAD (THREAD_POOL always is)
    response_write_timeout: float = 1.0  # one attempt; the server retries while the client lives

    @property
    def is_correlated(self) -> bool:
        return self.correlated or self.mode is ProcessingMode.THREAD_POOL

    def __post_init__(self) -> None:
        if not isinstance(self.mode, ProcessingMode):
            raise ValueError(f"unknown processing mode {self.mode!r}")
        if self.handlers < 1:
            raise ValueError(f"at least one handler is needed, got {self.handlers}")
        if self.response_write_timeout <= 0:
            raise ValueError("response_write_timeout must be positive")


class _Carried:
    """A request read while dropping a gone client's leftovers that belongs to the next client."""

    def __init__(self, frame: Frame, entry: List[object]) -> None:
        self.frame = frame
        self.entry = entry


class DuplexServer:
    """The server loop both server kinds share (PROTOCOL.md §8).

    start() creates ``_request``; a loop thread connects to the current client's ``_response``
    (retrying until a client appears), reads requests and runs the handler on the loop thread
    (SINGLE_THREAD) or on ``handlers`` threads (THREAD_POOL). A client that goes away ends its
    session: the requests it left in the ring are dropped and the server waits for the next client.
    """

    def __init__(self, channel_name: str, config: BufferConfig) -> None:
        self.channel_name = validate_channel_name(channel_name)
        self._config = config
        self._lifecycle = threading.Lock()
        self._requests: Optional[Reader] = None
        self._loop: Optional[threading.Thread] = None
        self._workers: List[threading.Thread] = []
        self._queue: "queue.Queue[Optional[tuple]]" = queue.Queue()
        self._free: Optional[threading.BoundedSemaphore] = None
        self._in_hand = 0
        self._in_hand_lock = threading.Condition()
        self._release = OrderedRelease()
        self._session: Optional[ResponseSession] = None
        self._carried: Optional[_Carried] = None
        self._answer: Callable[[Frame, ResponseSession], None] = lambda frame, session: None
        self._on_init: Optional[InitHandler] = None
        self._options = ServerOptions()
        self._stopping = False
        self._running = False
        self._last_connect_error: Optional[str] = None

    @property
    def is_running(self) -> bool:
        return self._running

    # -- lifecycle -----------------------------------------------------------------------------

    def _start(self, answer: Callable[[Frame, ResponseSession], None], on_init: Optional[InitHandler],
               options: ServerOptions) -> None:
        with self._lifecycle:
            if self._running:
                raise ZeroBufferException(f"duplex server '{self.channel_name}' is already running")
            self._answer, self._on_init, self._options = answer, on_init, options
            self._stopping = False
            # The request buffer exists when start() returns, so a client can connect right away.
            self._requests = Reader(request_name(self.channel_name), self._config)
            if options.mode is ProcessingMode.THREAD_POOL:
                self._free = threading.BoundedSemaphore(options.handlers)
                self._workers = [threading.Thread(target=self._work, daemon=True,
                                                  name=f"duplex-handler {self.channel_name} #{i + 1}")
                                 for i in range(options.handlers)]
                for worker in self._workers:
                    worker.start()
            self._loop = threading.Thread(target=self._run, daemon=True, name=f"duplex-server {self.channel_name}")
            self._running = True
            self._loop.start()
            _log.info("duplex server '%s' started (%s, %d handler(s), correlated %s)", self.channel_name,
                      options.mode.name, options.handlers if self._workers else 1, options.is_correlated)

    def stop(self) -> None:
        """End the loop, drop the request frames in hand and remove ``_request``, so a new server can
        take the name. Pending requests get no response: their clients get WriterDeadException."""
        with self._lifecycle:
            if not self._running:
                return
            current = threading.current_thread()
            if current is self._loop or current in self._workers:
                raise ZeroBufferException("a handler cannot stop its own server; stop it from another thread")
            self._stopping = True
            assert self._loop is not None and self._requests is not None
            self._loop.join()
            for _ in self._workers:
                self._queue.put(None)
            for worker in self._workers:
                worker.join()
            if self._session is not None:
                self._session.close()
            self._requests.close()  # also drops a carried request and every frame still held
            self._workers, self._session, self._carried, self._requests, self._loop = [], None, None, None, None
            self._release = OrderedRelease()
            self._running = False
            _log.info("duplex server '%s' stopped", self.channel_name)

    def close(self) -> None:
        self.stop()

    def __enter__(self) -> "DuplexServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the loop ------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stopping:
                session = self._session
                if session is None or session.end_reason is not None:
                    if session is not None:
                        self._close_session(session)
                    self._session = session = self._try_connect()
                    if session is None:
                        threading.Event().wait(_CONNECT_RETRY)
                    continue
                self._serve_one(session)
        except Exception:  # noqa: BLE001 - the loop thread must log, not vanish silently
            _log.critical("duplex server '%s' loop failed; the server no longer answers",
                          self.channel_name, exc_info=True)

    def _serve_one(self, session: ResponseSession) -> None:
        requests = self._requests
        assert requests is not None
        if self._carried is not None:
            frame, entry = self._carried.frame, self._carried.entry
            self._carried = None
        else:
            try:
                read = requests.read_frame(timeout=_POLL_INTERVAL)
            except WriterDeadException as exc:
                session.end(str(exc))
                return
            if read is None:
                session.check_client_alive()
                return
            frame, entry = read, self._release.hold(read)
            requests._expect_sequence_restart()  # every client starts at 1, maybe from this process
            if frame.sequence == 1 and session.last_request_sequence != 0:
                # The next client's first request: the previous client is gone and all it left was read.
                self._carried = _Carried(frame, entry)
                session.end("a new client connected")
                return
        session.last_request_sequence = frame.sequence
        if not session.initialized:
            session.initialized = True
            if self._on_init is not None:
                self._on_init(requests.get_metadata() or memoryview(b""))
        if self._workers:
            self._dispatch(frame, entry, session)
            return
        try:
            self._handle(frame, session)
        finally:
            self._release.finish(entry)

    def _handle(self, frame: Frame, session: ResponseSession) -> None:
        try:
            self._answer(frame, session)
        except ReaderDeadException as exc:
            session.end(str(exc))
        except Exception:  # noqa: BLE001 - a failing handler must not stop the server
            _log.error("duplex server '%s': the handler failed on request %d; that request gets no "
                       "response", self.channel_name, frame.sequence, exc_info=True)

    # -- thread pool ---------------------------------------------------------------------------

    def _dispatch(self, frame: Frame, entry: List[object], session: ResponseSession) -> None:
        # At most `handlers` requests in hand: unread requests stay in the ring (back-pressure).
        assert self._free is not None
        while not self._free.acquire(timeout=_POLL_INTERVAL):
            if self._stopping:
                self._release.finish(entry)
                return
        with self._in_hand_lock:
            self._in_hand += 1
        self._queue.put((frame, entry, session))

    def _work(self) -> None:
        assert self._free is not None
        while True:
            item = self._queue.get()
            if item is None:
                return
            frame, entry, session = item
            try:
                if not self._stopping:
                    self._handle(frame, session)
            finally:
                self._release.finish(entry)
                self._free.release()
                with self._in_hand_lock:
                    self._in_hand -= 1
                    self._in_hand_lock.notify_all()

    def _wait_idle(self) -> None:
        with self._in_hand_lock:
            self._in_hand_lock.wait_for(lambda: self._in_hand == 0)

    # -- client sessions -----------------------------------------------------------------------

    def _try_connect(self) -> Optional[ResponseSession]:
        writer: Optional[Writer] = None
        try:
            writer = Writer(response_name(self.channel_name))
            writer.write_timeout = self._options.response_write_timeout
            if self._options.is_correlated:
                writer.set_metadata(_metadata.encode(correlated=True))
        except (BufferNotFoundException, ReaderDeadException):
            if writer is not None:
                writer.close()
            return None  # no client yet, or a dead client's leftover that the next client replaces
        except ZeroBufferException as exc:
            if writer is not None:
                writer.close()
            if str(exc) != self._last_connect_error:
                self._last_connect_error = str(exc)
                _log.warning("duplex server '%s' cannot use the response buffer yet: %s", self.channel_name, exc)
            return None
        self._last_connect_error = None
        _log.info("duplex server '%s' connected to a client's response buffer", self.channel_name)
        return ResponseSession(writer, self._options.is_correlated, lambda: self._stopping)

    def _close_session(self, session: ResponseSession) -> None:
        """Disconnect from a gone client and drop the requests it left in the ring, unless the next
        client's first request was read already (then nothing is left). A request with sequence 1
        after the gone client's last one is the next client's first: it is kept."""
        if self._workers:
            self._wait_idle()
        session.close()
        requests = self._requests
        assert requests is not None
        requests._expect_sequence_restart()
        dropped = 0
        while self._carried is None:
            try:
                frame = requests.read_frame(timeout=0)
            except WriterDeadException:
                break
            if frame is None:
                break
            entry = self._release.hold(frame)
            if frame.sequence == 1 and session.last_request_sequence != 0:
                self._carried = _Carried(frame, entry)
                break
            self._release.finish(entry)
            dropped += 1
        # A client that left with nothing unanswered is the normal end of a session, not a problem.
        _log.log(logging.WARNING if dropped else logging.INFO,
                 "duplex server '%s' lost its client (%s); %d pending request(s) dropped, waiting "
                 "for the next client", self.channel_name, session.end_reason, dropped)


class ImmutableDuplexServer(DuplexServer):
    """A server whose handler returns new response bytes (None = no response)."""

    def start(self, handler: ImmutableHandler, on_init: Optional[InitHandler] = None,
              mode: ProcessingMode = ProcessingMode.SINGLE_THREAD, *,
              options: Optional[ServerOptions] = None) -> None:
        """Create ``_request`` and start answering. ``on_init`` gets the request metadata once per
        client, before that client's first request is handled."""

        def answer(frame: Frame, session: ResponseSession) -> None:
            result = handler(frame)
            if result is None:
                _log.warning("duplex server '%s': the handler wrote no response to request %d",
                             self.channel_name, frame.sequence)
                return
            session.write(frame.sequence, memoryview(result).cast("B"))

        self._start(answer, on_init, options or ServerOptions(mode=mode))


class MutableDuplexServer(DuplexServer):
    """A server whose handler transforms ``frame.data`` in place; those bytes are the response
    (copied once into the response ring, nothing allocated per request)."""

    def start(self, handler: MutableHandler, on_init: Optional[InitHandler] = None,
              mode: ProcessingMode = ProcessingMode.SINGLE_THREAD, *,
              options: Optional[ServerOptions] = None) -> None:

        def answer(frame: Frame, session: ResponseSession) -> None:
            handler(frame)
            session.write(frame.sequence, frame.data)

        self._start(answer, on_init, options or ServerOptions(mode=mode))
