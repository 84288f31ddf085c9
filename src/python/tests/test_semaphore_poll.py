"""NamedSemaphore.wait's bounded, adaptive poll before sleeping (issue 13; see _posix.POLL_SECONDS).

The poll is observed through the clock it reads: a fake ``time`` module counts the perf_counter calls
(one or more per poll, none without one) and can post the semaphore while the poll runs.
"""

from __future__ import annotations

import time
import types
from typing import Callable, Iterator, Optional

import pytest

from zerobuffer import _posix
from zerobuffer._posix import NamedSemaphore


class _Clock:
    """Stands in for the time module inside _posix: counts perf_counter calls, runs a hook on one."""

    def __init__(self, on_call: Optional[Callable[[int], None]] = None) -> None:
        self.calls = 0
        self._on_call = on_call
        self.module = types.SimpleNamespace(perf_counter=self.perf_counter, time=time.time)

    def perf_counter(self) -> float:
        self.calls += 1
        if self._on_call is not None:
            self._on_call(self.calls)
        return time.perf_counter()


@pytest.fixture
def semaphore(name: str) -> Iterator[NamedSemaphore]:
    sem = NamedSemaphore(name, create=True)
    try:
        yield sem
    finally:
        sem.close()
        NamedSemaphore.unlink(name)


@pytest.fixture(autouse=True)
def _polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_posix, "POLL_SECONDS", 50e-6)  # as on any multi-core host


def _polls(semaphore: NamedSemaphore, monkeypatch: pytest.MonkeyPatch, waits: int, poll: bool = True) -> list[bool]:
    """For each of ``waits`` timed-out waits on the empty semaphore: did it poll?"""
    polled = []
    for _ in range(waits):
        clock = _Clock()
        monkeypatch.setattr(_posix, "time", clock.module)
        assert semaphore.wait(0.001, poll=poll) is False
        polled.append(clock.calls > 0)
    return polled


def test_polls_that_keep_ending_asleep_pause_and_retry_every_16th_wait(
        semaphore: NamedSemaphore, monkeypatch: pytest.MonkeyPatch) -> None:
    polled = _polls(semaphore, monkeypatch, 33)
    expected = [misses < 4 or misses % 16 == 0 for misses in range(33)]
    assert polled == expected and polled.count(True) == 4 + 2  # misses 0-3, 16 and 32


def test_a_post_caught_by_the_poll_is_taken_and_polling_resumes(
        semaphore: NamedSemaphore, monkeypatch: pytest.MonkeyPatch) -> None:
    _polls(semaphore, monkeypatch, 5)  # paused now
    assert semaphore._poll_misses == 5
    semaphore._poll_misses = 16  # the next wait is a retry
    other = NamedSemaphore(semaphore.name, create=False)
    try:
        clock = _Clock(on_call=lambda n: other.post() if n == 2 else None)  # posts mid-poll
        monkeypatch.setattr(_posix, "time", clock.module)
        assert semaphore.wait(1.0) is True
    finally:
        other.close()
    assert semaphore._poll_misses == 0 and semaphore.value() == 0  # taken exactly once
    assert _polls(semaphore, monkeypatch, 4) == [True] * 4


def test_no_poll_when_asked_not_to_or_for_a_zero_timeout(
        semaphore: NamedSemaphore, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _polls(semaphore, monkeypatch, 3, poll=False) == [False] * 3
    clock = _Clock()
    monkeypatch.setattr(_posix, "time", clock.module)
    assert semaphore.wait(0) is False and clock.calls == 0
