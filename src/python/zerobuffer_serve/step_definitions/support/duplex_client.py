"""A duplex client connected by a step, with what it sent and received (STEPS.md "Duplex channel").

A duplex client hands each thread the responses to that thread's own requests, and every step runs
on a thread of its own, so all sends and receives of a step client run on one dedicated thread.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Optional, TypeVar

from zerobuffer.duplex import DuplexClient

from ...steps.errors import StepAssertionError
from .duplex_handlers import DuplexHandler, expected_response
from .patterns import PATTERN

T = TypeVar("T")


def describe(sequences: object) -> str:
    return "[" + ", ".join(str(s) for s in sorted(sequences)) + "]"  # type: ignore[call-overload]


def check_response(channel: str, handler: DuplexHandler, sequence: int, request: bytes, response: memoryview) -> None:
    """The response must be exactly the handler's result for the request."""
    expected = expected_response(handler, request)
    if len(response) != len(expected):
        raise StepAssertionError(f"channel '{channel}': the {handler.value} response to request {sequence} has "
                                 f"{len(response)} bytes, expected {len(expected)}")
    if response != expected:
        at = next(i for i in range(len(expected)) if response[i] != expected[i])
        raise StepAssertionError(f"channel '{channel}': the {handler.value} response to request {sequence} differs "
                                 f"at byte {at}: expected {expected[at]}, got {response[at]}")


class StepClient:
    def __init__(self, feature_name: str, client: DuplexClient) -> None:
        self.feature_name = feature_name
        self.client = client
        self.channel_name = client.channel_name
        self.pending: dict[int, bytes] = {}
        self.responses: dict[int, bytes] = {}
        self.first_sent: Optional[float] = None
        self.last_sent: Optional[float] = None
        self.first_received: Optional[float] = None
        self.last_received: Optional[float] = None
        self._expected_next = 1
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"duplex-client-{feature_name}")

    def on_client_thread(self, operation: Callable[[], T]) -> T:
        """Run operation on the client's thread (where its requests are sent) and return its result."""
        return self._thread.submit(operation).result()

    def send(self, size: int) -> int:
        """Send (copying) the pattern of the sequence the request must get; check it got it."""
        def run() -> int:
            request = bytes(PATTERN.frame(self._expected_next, size))
            before = time.monotonic()
            sequence = self.client.send_request(request)
            if sequence != self._expected_next:
                raise StepAssertionError(f"channel '{self.channel_name}': the request got sequence {sequence}, "
                                         f"expected {self._expected_next}")
            self._sent(sequence, request, before)
            return sequence
        return self.on_client_thread(run)

    def send_zero_copy(self, size: int) -> int:
        """Acquire the request in the ring, write the pattern of its sequence there, commit."""
        def run() -> int:
            sequence, target = self.client.acquire_request_buffer(size)
            target[:] = PATTERN.frame(sequence, size)
            record = bytes(target)  # the step's record, taken before the commit hands the bytes over
            before = time.monotonic()
            self.client.commit_request()
            self._sent(sequence, record, before)
            return sequence
        return self.on_client_thread(run)

    def receive_one(self, handler: DuplexHandler, timeout_ms: int, order: list[int]) -> bool:
        """Receive one response within timeout_ms and check it; False on timeout."""
        def run() -> bool:
            with self.client.receive_response(timeout_ms) as response:
                if not response.is_valid:
                    return False
                request = self.pending.pop(response.sequence, None)
                if request is None:
                    raise StepAssertionError(f"channel '{self.channel_name}': response {response.sequence} answers "
                                             f"no pending request (pending: {describe(self.pending)})")
                check_response(self.channel_name, handler, response.sequence, request, response.data)
                self.responses[response.sequence] = bytes(response.data)
            self.last_received = time.monotonic()
            if self.first_received is None:
                self.first_received = self.last_received
            order.append(response.sequence)
            return True
        return self.on_client_thread(run)

    def close(self) -> None:
        self._thread.shutdown(wait=True)
        self.client.close()

    def _sent(self, sequence: int, request: bytes, before: float) -> None:
        """Records a sent request. Its time is taken before the send: the server may answer before a
        later clock read (this thread can be preempted right after the commit), and the timing
        phrases' lower bounds ("at least ... ms after the request") must never be undercut by that."""
        self.pending[sequence] = request
        self._expected_next = sequence + 1
        self.last_sent = before
        if self.first_sent is None:
            self.first_sent = self.last_sent
