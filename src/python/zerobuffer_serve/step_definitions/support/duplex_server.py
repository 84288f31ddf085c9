"""A duplex server started by a step (STEPS.md "Duplex channel"): the handler the phrase named, when
it answers (the plan), and the counters later steps check. Every wait of a handler ends when the
server is being stopped, so stopping never waits a delay out."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Optional, Union

from zerobuffer import BufferConfig, Frame, ZeroBufferException
from zerobuffer.duplex import DuplexChannelFactory, ImmutableDuplexServer, ServerOptions
from zerobuffer.duplex._session import ResponseSession

from .allocation_meter import AllocationMeter
from .duplex_handlers import DuplexHandler, expected_response, flip_in_place

_log = logging.getLogger("zerobuffer_serve.duplex")

REQUEST_METADATA_SIZE = 4096
# A handler waiting for its batch looks at the stop signal this often.
_BATCH_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Fixed:
    """Every request after the same delay (0 = at once)."""

    delay_ms: int = 0


@dataclass(frozen=True)
class UpTo:
    """Request s after (s * 37) mod (max + 1) ms: 0..max, spread, deterministic."""

    max_delay_ms: int

    def delay_for(self, sequence: int) -> int:
        return sequence * 37 % (self.max_delay_ms + 1)


@dataclass(frozen=True)
class ReverseBatch:
    """Each batch of batch_size requests answered last-first, delay_ms after the batch is in hand."""

    batch_size: int
    delay_ms: int


@dataclass(frozen=True)
class FirstOnly:
    """Requests after the first count are held until the server stops, unanswered."""

    count: int


AnswerPlan = Union[Fixed, UpTo, ReverseBatch, FirstOnly]


class _CountingImmutableServer(ImmutableDuplexServer):
    """An immutable server whose response writes the step can see (written, answered, failed).

    The public start() writes the handler's result after the handler returns, out of the step's
    sight; this one runs the same write through the base class's loop hook so it can be counted.
    """

    def start_counted(self, step: "StepServer", options: ServerOptions) -> None:
        def answer(frame: Frame, session: ResponseSession) -> None:
            result = step.handle(frame)
            if result is not None:
                step.write_response(frame.sequence, session, result)

        self._start(answer, None, options)


class StepServer:
    def __init__(self, feature_name: str, channel: str, payload_size: int, handler: DuplexHandler,
                 options: ServerOptions, plan: AnswerPlan, mutable: bool) -> None:
        self.feature_name = feature_name
        self.channel_name = channel
        self.handler = handler
        self.plan = plan
        self.meter: Optional[AllocationMeter] = AllocationMeter() if handler is DuplexHandler.XOR else None
        self.handling = 0
        self.writing = 0
        self.answered = 0
        self.failure_kind: Optional[str] = None
        self.last_request_size = 0
        self._stopping = threading.Event()
        self._counts = threading.Lock()
        self._batches = threading.Condition()
        self._arrived: dict[int, int] = {}
        self._batch_answered: dict[int, int] = {}
        factory = DuplexChannelFactory()
        config = BufferConfig(REQUEST_METADATA_SIZE, payload_size)
        try:
            if mutable:
                if handler is DuplexHandler.DOUBLE:
                    raise ValueError("a mutable server answers with the request bytes: it cannot double them")
                self._server = factory.create_mutable_server(channel, config)
                self._server.start(self._transform_in_place, options=options)
            else:
                self._server = _CountingImmutableServer(channel, config)
                self._server.start_counted(self, options)
        except BaseException:
            if self.meter is not None:
                self.meter.close()
            raise

    def close(self) -> None:
        """Wake held handlers, then stop the server (removes ``_request``)."""
        self._stopping.set()
        self._server.close()
        if self.meter is not None:
            self.meter.close()

    def _add(self, name: str, delta: int) -> None:
        with self._counts:
            setattr(self, name, getattr(self, name) + delta)

    def handle(self, frame: Frame) -> Optional[bytes]:
        """The immutable handler: the response bytes, or None when the request is not answered."""
        if self.meter is not None:
            self.meter.mark()
        self.last_request_size = frame.size
        self._add("handling", 1)
        try:
            if not self._hold(frame.sequence):
                return None
            # The immutable xor builds new bytes on purpose: "returns new data" (catalogue 14.5).
            return expected_response(self.handler, frame.data)
        finally:
            self._add("handling", -1)

    def write_response(self, sequence: int, session: ResponseSession, data: bytes) -> None:
        self._add("writing", 1)
        try:
            session.write(sequence, memoryview(data))
            self._add("answered", 1)
        except ZeroBufferException as exc:
            if self.failure_kind is None:
                self.failure_kind = exc.kind
            _log.info("duplex server '%s': the response to request %d failed: %s", self.channel_name, sequence, exc)
            raise
        finally:
            self._add("writing", -1)
            self._batch_done(sequence)

    def _transform_in_place(self, frame: Frame) -> None:
        if self.meter is not None:
            self.meter.mark()
        self.last_request_size = frame.size
        self._add("handling", 1)
        try:
            if self._hold(frame.sequence) and self.handler is DuplexHandler.XOR:
                flip_in_place(frame.data)
        finally:
            self._add("handling", -1)

    def _hold(self, sequence: int) -> bool:
        """Wait as the plan says; False when the request is not to be answered (held until stop)."""
        plan = self.plan
        if isinstance(plan, Fixed):
            return plan.delay_ms == 0 or not self._stopping.wait(plan.delay_ms / 1000.0)
        if isinstance(plan, UpTo):
            return not self._stopping.wait(plan.delay_for(sequence) / 1000.0)
        if isinstance(plan, FirstOnly):
            if sequence <= plan.count:
                return True
            self._stopping.wait()
            return False
        return self._hold_for_batch(sequence, plan)

    def _hold_for_batch(self, sequence: int, plan: ReverseBatch) -> bool:
        """Position p of n: wait until all n are in hand; the last then waits the delay, every other
        one until the n - p requests after it have been answered."""
        batch, position = divmod(sequence - 1, plan.batch_size)
        position += 1
        with self._batches:
            self._arrived[batch] = self._arrived.get(batch, 0) + 1
            self._batches.notify_all()
            while (self._arrived[batch] < plan.batch_size
                   or self._batch_answered.get(batch, 0) < plan.batch_size - position):
                if self._stopping.is_set():
                    return False
                self._batches.wait(_BATCH_POLL_SECONDS)
        return position != plan.batch_size or not self._stopping.wait(plan.delay_ms / 1000.0)

    def _batch_done(self, sequence: int) -> None:
        if not isinstance(self.plan, ReverseBatch):
            return
        batch = (sequence - 1) // self.plan.batch_size
        with self._batches:
            self._batch_answered[batch] = self._batch_answered.get(batch, 0) + 1
            self._batches.notify_all()
