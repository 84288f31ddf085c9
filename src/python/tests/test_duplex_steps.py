"""The duplex steps (STEPS.md "Duplex channel") in a real worker: client and server in one process."""

from __future__ import annotations

from typing import Iterator

import pytest

from conftest import leftovers, unique_name
from worker_client import WorkerClient

RECEIVE_ALL = "the 'client' process should receive the '{handler}' response to every request in '{order}' order within '5000' ms"


@pytest.fixture
def worker() -> Iterator[WorkerClient]:
    client = WorkerClient()
    client.run = unique_name("dx")  # type: ignore[attr-defined]
    client.initialize(client.run, role="server", mode="same-process")  # type: ignore[attr-defined]
    yield client
    if client.proc.poll() is None:
        assert client.result("cleanup")["ok"]
        client.close()
    assert leftovers(client.run) == []  # type: ignore[attr-defined]


def start_and_connect(worker: WorkerClient, channel: str, server: str = "starts an immutable 'echo' server") -> None:
    worker.ok(f"the 'server' process {server} on channel '{channel}' with payload size '65536' in 'SingleThread' mode")
    worker.ok(f"the 'client' process connects to channel '{channel}' with response payload size '65536'")


def test_requests_sent_in_one_step_are_received_in_another_and_checked(worker: WorkerClient) -> None:
    start_and_connect(worker, "echo")
    assert worker.ok("the 'client' process sends '3' requests with size '100'")["data"]["lastSequence"] == 3
    received = worker.ok(RECEIVE_ALL.format(handler="echo", order="request"))
    assert received["data"]["sequences"] == [1, 2, 3]
    worker.ok("the 'client' process sends a request with size '10'")
    wrong = worker.step(RECEIVE_ALL.format(handler="xor", order="any"))
    assert wrong["errorType"] == "AssertionFailed" and "differs at byte 0" in wrong["error"]


def test_order_and_timing_checks_fail_when_the_responses_do_not_fit(worker: WorkerClient) -> None:
    start_and_connect(worker, "order")
    worker.ok("the 'client' process sends '3' requests with size '8'")
    reverse = worker.step(RECEIVE_ALL.format(handler="echo", order="reverse"))
    assert reverse["errorType"] == "AssertionFailed" and "not in reverse order" in reverse["error"]
    waited = worker.step("the 'client' process should have waited at least '2000' ms for the first response")
    assert waited["errorType"] == "AssertionFailed" and "expected at least 2000 ms" in waited["error"]


def test_the_reversing_server_answers_last_first_after_its_delay(worker: WorkerClient) -> None:
    worker.ok("the 'server' process starts an immutable 'echo' server on channel 'reverse' with payload size '65536' "
              "answering every '4' requests in reverse order after '300' ms")
    worker.ok("the 'client' process connects to channel 'reverse' with response payload size '65536'")
    worker.ok("the 'client' process sends '4' requests with size '64'")
    received = worker.ok(RECEIVE_ALL.format(handler="echo", order="reverse").replace("'5000'", "'10000'"))
    assert received["data"]["sequences"] == [4, 3, 2, 1]
    worker.ok("the 'client' process should have waited at least '300' ms for the first response")


def test_held_requests_fail_after_stop_and_the_channel_leaves_nothing(worker: WorkerClient) -> None:
    worker.ok("the 'server' process starts an immutable 'echo' server on channel 'stop' with payload size '65536' "
              "answering only the first '1' requests")
    worker.ok("the 'client' process connects to channel 'stop' with response payload size '65536'")
    worker.ok("the 'client' process sends '3' requests with size '16'")
    worker.ok("the 'client' process should receive '1' 'echo' responses within '5000' ms")
    miscounted = worker.step("the 'client' process should fail to receive the '3' pending responses with 'WriterDead' "
                             "within '100' ms")
    assert miscounted["errorType"] == "AssertionFailed" and "found 2" in miscounted["error"]
    worker.ok("the 'server' process stops the server on channel 'stop'")
    worker.ok("the 'client' process should fail to receive the '2' pending responses with 'WriterDead' within '5000' ms")
    still_there = worker.step("the 'server' process should see no shared memory left for channel 'stop'")
    assert still_there["errorType"] == "AssertionFailed" and "_response" in still_there["error"]
    worker.ok("the 'client' process disconnects from channel 'stop'")
    worker.ok("the 'server' process should see no shared memory left for channel 'stop'")


def test_the_allocation_check_sees_the_immutable_copy(worker: WorkerClient) -> None:
    start_and_connect(worker, "copy", "starts an immutable 'xor' server")
    worker.ok("the 'client' process sends '6' requests with size '8192'")
    worker.ok(RECEIVE_ALL.format(handler="xor", order="request"))
    worker.ok("the 'server' process should have allocated at least the request size per request on channel 'copy'")
    none = worker.step("the 'server' process should have allocated nothing per request on channel 'copy'")
    assert none["errorType"] == "AssertionFailed" and "allocated up to" in none["error"]
