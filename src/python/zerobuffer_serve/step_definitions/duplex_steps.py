"""The duplex channel (feature 14, STEPS.md "Duplex channel"): servers, clients and their checks."""

from __future__ import annotations

import enum
import os
import threading
import time
from typing import Any, Callable, Optional

from zerobuffer.duplex import ProcessingMode, ServerOptions, request_name, response_name

from ..steps.attributes import given, then, when
from ..steps.context import ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.duplex_client import StepClient, check_response, describe
from .support.duplex_context import duplex
from .support.duplex_handlers import DuplexHandler
from .support.duplex_server import AnswerPlan, FirstOnly, Fixed, ReverseBatch, StepServer, UpTo
from .support.error_kinds import ErrorKind, expect_failure
from .support.patterns import PATTERN

HANDLER = r"'(?P<handler>[a-z]+)'"
MODE = r"'(?P<mode>[A-Za-z]+)'"
IMMUTABLE_SERVER = (r"starts an immutable " + HANDLER + r" server on channel '(?P<channel>[^']*)' "
                    r"with payload size '(?P<payload_size>\d+)'")
# How long a connection check lets a peer's death become visible.
SETTLE_MS = 2000
_POLL_SECONDS = 0.01
# Receives wait in slices this long so a cancelled scenario ends them soon.
_RECEIVE_SLICE_MS = 100


class Mode(enum.Enum):
    SingleThread = ProcessingMode.SINGLE_THREAD
    ThreadPool = ProcessingMode.THREAD_POOL


class ResponseOrder(enum.Enum):
    REQUEST = "request"  # ascending request sequences
    REVERSE = "reverse"  # descending
    ANY = "any"


def _start(ctx: ScenarioContext, channel: str, payload_size: int, handler: DuplexHandler, options: ServerOptions,
           plan: AnswerPlan, mutable: bool = False) -> dict[str, Any]:
    state = duplex(ctx)
    qualified = state.channel_name(channel)
    state.add_server(StepServer(channel, qualified, payload_size, handler, options, plan, mutable))
    return {"channel": qualified, "mode": options.mode.name, "correlated": options.is_correlated}


@given(ROLE + IMMUTABLE_SERVER + r" in " + MODE + r" mode")
def start_immutable(ctx: ScenarioContext, process: str, handler: DuplexHandler, channel: str, payload_size: int,
                    mode: Mode) -> dict[str, Any]:
    """Create and start an immutable server answering at once."""
    return _start(ctx, channel, payload_size, handler, ServerOptions(mode=mode.value), Fixed())


@given(ROLE + IMMUTABLE_SERVER + r" in " + MODE + r" mode with '(?P<delay_ms>\d+)' ms delay")
def start_delayed(ctx: ScenarioContext, process: str, handler: DuplexHandler, channel: str, payload_size: int,
                  mode: Mode, delay_ms: int) -> dict[str, Any]:
    """Every request held delay_ms before it is answered."""
    return _start(ctx, channel, payload_size, handler, ServerOptions(mode=mode.value), Fixed(delay_ms))


@given(ROLE + IMMUTABLE_SERVER + r" in " + MODE + r" mode with a delay of up to '(?P<max_delay_ms>\d+)' ms")
def start_variable(ctx: ScenarioContext, process: str, handler: DuplexHandler, channel: str, payload_size: int,
                   mode: Mode, max_delay_ms: int) -> dict[str, Any]:
    """Request s held (s * 37) mod (max + 1) ms."""
    return _start(ctx, channel, payload_size, handler, ServerOptions(mode=mode.value), UpTo(max_delay_ms))


@given(ROLE + IMMUTABLE_SERVER + r" answering every '(?P<batch>\d+)' requests in reverse order after "
       r"'(?P<delay_ms>\d+)' ms")
def start_reversing(ctx: ScenarioContext, process: str, handler: DuplexHandler, channel: str, payload_size: int,
                    batch: int, delay_ms: int) -> dict[str, Any]:
    """ThreadPool with one handler per request of a batch; each batch answered last-first."""
    options = ServerOptions(mode=ProcessingMode.THREAD_POOL, handlers=batch)
    return _start(ctx, channel, payload_size, handler, options, ReverseBatch(batch, delay_ms))


@given(ROLE + IMMUTABLE_SERVER + r" answering only the first '(?P<count>\d+)' requests")
def start_answering_first(ctx: ScenarioContext, process: str, handler: DuplexHandler, channel: str,
                          payload_size: int, count: int) -> dict[str, Any]:
    """SingleThread; requests after the count-th are held until the server stops, unanswered."""
    return _start(ctx, channel, payload_size, handler, ServerOptions(), FirstOnly(count))


@given(ROLE + r"starts a mutable " + HANDLER + r" server on channel '(?P<channel>[^']*)' with payload size "
       r"'(?P<payload_size>\d+)' in " + MODE + r" mode")
def start_mutable(ctx: ScenarioContext, process: str, handler: DuplexHandler, channel: str, payload_size: int,
                  mode: Mode) -> dict[str, Any]:
    """Create and start a mutable server (the handler transforms the request in place)."""
    return _start(ctx, channel, payload_size, handler, ServerOptions(mode=mode.value), Fixed(), mutable=True)


@when(ROLE + r"stops the server on channel '(?P<channel>[^']*)'")
def stop_server(ctx: ScenarioContext, process: str, channel: str) -> dict[str, Any]:
    """Wake held handlers and stop the server (removes _request)."""
    server = duplex(ctx).stop_server(channel)
    return {"channel": server.channel_name, "answered": server.answered}


def _poll(ctx: ScenarioContext, condition: Callable[[], bool], ms: int) -> bool:
    deadline = time.monotonic() + ms / 1000.0
    while not condition():
        if time.monotonic() >= deadline:
            return False
        ctx.sleep(_POLL_SECONDS)
    return True


@then(ROLE + r"should be handling a request within '(?P<ms>\d+)' ms")
def should_be_handling(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Some handler has entered and not returned, within ms."""
    server = duplex(ctx).current_server()
    if not _poll(ctx, lambda: server.handling > 0, ms):
        raise StepAssertionError(f"channel '{server.channel_name}': no handler was running within {ms} ms "
                                 f"({server.answered} answered)")
    return {"channel": server.channel_name, "handling": server.handling}


@then(ROLE + r"should still be writing a response after '(?P<ms>\d+)' ms")
def should_still_be_writing(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """A response is being written at half of ms and at ms, and none was answered in between."""
    server = duplex(ctx).current_server()
    ctx.sleep(ms / 2000.0)
    half_writing, half_answered = server.writing, server.answered
    ctx.sleep(ms / 2000.0)
    if half_writing == 0 or server.writing == 0 or server.answered != half_answered:
        raise StepAssertionError(f"channel '{server.channel_name}': expected a response blocked in its write through "
                                 f"the second half of {ms} ms, but {half_writing} then {server.writing} were being "
                                 f"written and the answered count went from {half_answered} to {server.answered}")
    return {"channel": server.channel_name, "writing": server.writing, "answered": server.answered}


@then(ROLE + r"should have answered '(?P<count>\d+)' requests within '(?P<ms>\d+)' ms")
def should_have_answered(ctx: ScenarioContext, process: str, count: int, ms: int) -> dict[str, Any]:
    """The answered count reaches count within ms and is exactly count."""
    server = duplex(ctx).current_server()
    _poll(ctx, lambda: server.answered >= count, ms)
    if server.answered != count:
        raise StepAssertionError(f"channel '{server.channel_name}': expected {count} requests answered within "
                                 f"{ms} ms, found {server.answered}")
    return {"channel": server.channel_name, "answered": server.answered}


@then(ROLE + r"should see a response fail with '(?P<kind>[A-Za-z]+)' within '(?P<ms>\d+)' ms")
def should_see_response_fail(ctx: ScenarioContext, process: str, kind: ErrorKind, ms: int) -> dict[str, Any]:
    """A response write failed with kind within ms (the client was gone)."""
    server = duplex(ctx).current_server()
    _poll(ctx, lambda: server.failure_kind is not None, ms)
    if server.failure_kind != kind.value:
        raise StepAssertionError(
            f"channel '{server.channel_name}': expected a response to fail with '{kind.value}' within {ms} ms, but "
            + ("none failed" if server.failure_kind is None else f"it failed with '{server.failure_kind}'"))
    return {"channel": server.channel_name, "errorType": kind.value}


def _measured(ctx: ScenarioContext, channel: str) -> tuple[StepServer, list[int]]:
    server = duplex(ctx).server_of(channel)
    per_request = server.meter.measured() if server.meter is not None else []
    if not per_request:
        raise StepAssertionError(f"channel '{server.channel_name}': no per-request allocation was measured (an "
                                 "'xor' server measures from its third request on)")
    return server, per_request


def _allocation_data(server: StepServer, per_request: list[int]) -> dict[str, Any]:
    return {"channel": server.channel_name,
            "metrics": {"max_alloc_bytes_per_request": max(per_request),
                        "min_alloc_bytes_per_request": min(per_request)}}


@then(ROLE + r"should have allocated nothing per request on channel '(?P<channel>[^']*)'")
def should_not_allocate(ctx: ScenarioContext, process: str, channel: str) -> dict[str, Any]:
    """Every iteration's traced peak growth stays below a quarter of the request (no request copy)."""
    server, per_request = _measured(ctx, channel)
    limit = server.last_request_size // 4
    if max(per_request) >= limit:
        raise StepAssertionError(f"channel '{server.channel_name}': the server allocated up to {max(per_request)} B "
                                 f"per request (limit {limit} B, a quarter of the {server.last_request_size} B "
                                 f"request; per request: {per_request})")
    return _allocation_data(server, per_request)


@then(ROLE + r"should have allocated at least the request size per request on channel '(?P<channel>[^']*)'")
def should_allocate_a_copy(ctx: ScenarioContext, process: str, channel: str) -> dict[str, Any]:
    """Every measured iteration allocated at least the request size."""
    server, per_request = _measured(ctx, channel)
    if min(per_request) < server.last_request_size:
        raise StepAssertionError(f"channel '{server.channel_name}': expected every request to allocate at least "
                                 f"{server.last_request_size} B, the least was {min(per_request)} B")
    return _allocation_data(server, per_request)


@then(ROLE + r"should see no shared memory left for channel '(?P<channel>[^']*)'")
def should_see_no_shared_memory(ctx: ScenarioContext, process: str, channel: str) -> dict[str, Any]:
    """No /dev/shm entry names the channel's request or response buffer."""
    qualified = duplex(ctx).channel_name(channel)
    names = (request_name(qualified), response_name(qualified))
    left = sorted(entry for entry in os.listdir("/dev/shm") if any(name in entry for name in names))
    if left:
        raise StepAssertionError(f"channel '{qualified}' left shared memory behind: {', '.join(left)}")
    return {"channel": qualified}


@given(ROLE + r"connects to channel '(?P<channel>[^']*)' with response payload size '(?P<payload_size>\d+)'")
def connect(ctx: ScenarioContext, process: str, channel: str, payload_size: int) -> dict[str, Any]:
    """CreateClient; it becomes the current client."""
    client = duplex(ctx).connect(channel, payload_size)
    return {"channel": client.channel_name}


@when(ROLE + r"disconnects from channel '(?P<channel>[^']*)'")
def disconnect(ctx: ScenarioContext, process: str, channel: str) -> dict[str, Any]:
    """Dispose that client (removes its _response)."""
    duplex(ctx).disconnect(channel)
    return {"channel": duplex(ctx).channel_name(channel)}


@when(ROLE + r"sends a request with size '(?P<size>\d+)'")
def send_one(ctx: ScenarioContext, process: str, size: int) -> dict[str, Any]:
    """SendRequest (copying) of size pattern bytes."""
    client = duplex(ctx).current_client()
    return {"channel": client.channel_name, "sequence": client.send(size), "size": size}


def _send_repeated(ctx: ScenarioContext, count: int, send: Callable[[StepClient], int]) -> dict[str, Any]:
    client = duplex(ctx).current_client()
    sequences = [send(client) for _ in range(count)]
    return {"channel": client.channel_name, "count": count,
            "firstSequence": sequences[0] if sequences else 0, "lastSequence": sequences[-1] if sequences else 0}


@when(ROLE + r"sends '(?P<count>\d+)' requests with size '(?P<size>\d+)'")
def send_many(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """That, count times, without waiting for responses."""
    return _send_repeated(ctx, count, lambda client: client.send(size))


@when(ROLE + r"sends '(?P<count>\d+)' requests with size '(?P<size>\d+)' through the zero-copy path")
def send_zero_copy(ctx: ScenarioContext, process: str, count: int, size: int) -> dict[str, Any]:
    """AcquireRequestBuffer, fill the pattern in the ring, CommitRequest; count times."""
    return _send_repeated(ctx, count, lambda client: client.send_zero_copy(size))


def _receive(ctx: ScenarioContext, client: StepClient, handler: DuplexHandler, count: int, ms: int) -> list[int]:
    received: list[int] = []
    deadline = time.monotonic() + ms / 1000.0
    while len(received) < count:
        ctx.check_cancelled()
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if remaining_ms <= 0:
            raise StepAssertionError(f"channel '{client.channel_name}': received {len(received)} of {count} responses "
                                     f"within {ms} ms (still pending: {describe(client.pending)})")
        client.receive_one(handler, min(remaining_ms, _RECEIVE_SLICE_MS), received)
    return received


@then(ROLE + r"should receive the " + HANDLER + r" response to every request in '(?P<order>[a-z]+)' order "
      r"within '(?P<ms>\d+)' ms")
def should_receive_all(ctx: ScenarioContext, process: str, handler: DuplexHandler, order: ResponseOrder,
                       ms: int) -> dict[str, Any]:
    """Every pending request answered, each response exactly the handler's bytes, in that order."""
    client = duplex(ctx).current_client()
    received = _receive(ctx, client, handler, len(client.pending), ms)
    wanted = {ResponseOrder.REQUEST: sorted(received), ResponseOrder.REVERSE: sorted(received, reverse=True),
              ResponseOrder.ANY: received}[order]
    if received != wanted:
        raise StepAssertionError(f"channel '{client.channel_name}': responses came as {received}, not in "
                                 f"{order.value} order")
    return {"channel": client.channel_name, "count": len(received), "sequences": received}


@then(ROLE + r"should receive '(?P<count>\d+)' " + HANDLER + r" responses within '(?P<ms>\d+)' ms")
def should_receive_some(ctx: ScenarioContext, process: str, count: int, handler: DuplexHandler,
                        ms: int) -> dict[str, Any]:
    """Exactly count responses, checked as above."""
    client = duplex(ctx).current_client()
    received = _receive(ctx, client, handler, count, ms)
    return {"channel": client.channel_name, "count": len(received), "sequences": received}


@then(ROLE + r"should fail to receive the '(?P<count>\d+)' pending responses with '(?P<kind>[A-Za-z]+)' "
      r"within '(?P<ms>\d+)' ms")
def should_fail_pending(ctx: ScenarioContext, process: str, count: int, kind: ErrorKind, ms: int) -> dict[str, Any]:
    """Exactly count requests are unanswered and a receive fails with kind for each."""
    client = duplex(ctx).current_client()
    if len(client.pending) != count:
        raise StepAssertionError(f"channel '{client.channel_name}': expected {count} unanswered requests, found "
                                 f"{len(client.pending)} {describe(client.pending)}")
    started = time.monotonic()
    for index in range(count):
        remaining_ms = max(0, ms - int((time.monotonic() - started) * 1000))

        def receive() -> None:
            with client.client.receive_response(remaining_ms) as response:
                if response.is_valid:
                    raise StepAssertionError(f"channel '{client.channel_name}': expected receiving to fail with "
                                             f"'{kind.value}', but response {response.sequence} arrived")
            raise StepAssertionError(f"channel '{client.channel_name}': expected receiving to fail with "
                                     f"'{kind.value}' within {ms} ms, but it timed out without an error")

        client.on_client_thread(lambda: expect_failure(
            kind, f"receiving pending response {index + 1} of {count} on '{client.channel_name}'", receive))
    return {"channel": client.channel_name, "count": count, "errorType": kind.value,
            "elapsedMs": round((time.monotonic() - started) * 1000, 1)}


@then(ROLE + r"should see the server (?P<state>connected|disconnected)")
def should_see_server(ctx: ScenarioContext, process: str, state: str) -> dict[str, Any]:
    """IsServerConnected reaches that state within 2000 ms."""
    client = duplex(ctx).current_client()
    want = state == "connected"
    if not _poll(ctx, lambda: client.client.is_server_connected == want, SETTLE_MS):
        raise StepAssertionError(f"channel '{client.channel_name}': expected the server {state} within {SETTLE_MS} ms")
    return {"channel": client.channel_name, "serverConnected": want}


def _at_least(client: StepClient, start: Optional[float], end: Optional[float], ms: int, what: str) -> dict[str, Any]:
    if start is None or end is None:
        raise StepAssertionError(f"channel '{client.channel_name}': no time was recorded {what}")
    elapsed_ms = (end - start) * 1000
    if elapsed_ms < ms:
        raise StepAssertionError(f"channel '{client.channel_name}': {elapsed_ms:.1f} ms passed {what}; expected at "
                                 f"least {ms} ms")
    return {"channel": client.channel_name, "elapsedMs": round(elapsed_ms, 1)}


@then(ROLE + r"should have waited at least '(?P<ms>\d+)' ms for the first response")
def should_have_waited(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """firstReceived - lastSent >= ms."""
    client = duplex(ctx).current_client()
    return _at_least(client, client.last_sent, client.first_received, ms, "from the last request to the first response")


@then(ROLE + r"should have taken at least '(?P<ms>\d+)' ms from the first request to the last response")
def should_have_taken(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """lastReceived - firstSent >= ms."""
    client = duplex(ctx).current_client()
    return _at_least(client, client.first_sent, client.last_received, ms, "from the first request to the last response")


@then(ROLE + r"should have received identical responses on channels '(?P<first>[^']*)' and '(?P<second>[^']*)'")
def should_have_identical_responses(ctx: ScenarioContext, process: str, first: str, second: str) -> dict[str, Any]:
    """The responses of both channels, in sequence order, are byte-identical."""
    a = duplex(ctx).client_of(first).responses
    b = duplex(ctx).client_of(second).responses
    if not a or len(a) != len(b):
        raise StepAssertionError(f"channels '{first}' and '{second}' received {len(a)} and {len(b)} responses; "
                                 "expected the same number, at least one")
    for (sequence, left), right in zip(sorted(a.items()), (b[s] for s in sorted(b))):
        if left != right:
            raise StepAssertionError(f"channels '{first}' and '{second}' answered request {sequence} differently")
    return {"count": len(a)}


def _client_thread(client: StepClient, thread: int, count: int, size: int, handler: DuplexHandler,
                   deadline: float, ctx: ScenarioContext) -> None:
    """Send count requests through the shared client, then receive until each has its own response."""
    mine: dict[int, bytes] = {}
    for k in range(count):
        request = bytes(PATTERN.frame(thread * count + k + 1, size))  # per-thread seed
        mine[client.client.send_request(request)] = request
    while mine:
        ctx.check_cancelled()
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if remaining_ms <= 0:
            raise StepAssertionError(f"channel '{client.channel_name}': thread {thread} received {count - len(mine)} "
                                     f"of its {count} responses in time (waiting for {describe(mine)})")
        with client.client.receive_response(min(remaining_ms, _RECEIVE_SLICE_MS)) as response:
            if not response.is_valid:
                continue
            request = mine.pop(response.sequence, None)
            if request is None:
                raise StepAssertionError(f"channel '{client.channel_name}': thread {thread} was handed response "
                                         f"{response.sequence}, which answers none of its requests (its pending: "
                                         f"{describe(mine)})")
            check_response(client.channel_name, handler, response.sequence, request, response.data)


@when(ROLE + r"sends '(?P<count>\d+)' requests with size '(?P<size>\d+)' from each of '(?P<threads>\d+)' threads "
      r"and each thread receives its " + HANDLER + r" responses within '(?P<ms>\d+)' ms")
def send_from_threads(ctx: ScenarioContext, process: str, count: int, size: int, threads: int,
                      handler: DuplexHandler, ms: int) -> dict[str, Any]:
    """threads threads share the current client; no thread may get another's response."""
    client = duplex(ctx).current_client()
    started = time.monotonic()
    deadline = started + ms / 1000.0
    failures: list[BaseException] = []

    def run(thread: int) -> None:
        try:
            _client_thread(client, thread, count, size, handler, deadline, ctx)
        except BaseException as exc:  # noqa: BLE001 - reported by the step below
            failures.append(exc)

    workers = [threading.Thread(target=run, args=(t,), name=f"duplex-client-thread-{t}") for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise failures[0]
    return {"channel": client.channel_name, "threads": threads, "requests": threads * count,
            "elapsedMs": round((time.monotonic() - started) * 1000)}
