"""Two readers racing to create one buffer (catalogue 3.2): exactly one wins each round."""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from zerobuffer import BufferConfig, Reader, ReaderAlreadyConnectedException, ZeroBufferException, diagnostics

from ..steps.attributes import then, when
from ..steps.context import BackgroundTask, ScenarioContext
from ..steps.errors import StepAssertionError
from .phrases import ROLE
from .support.timing import Stopwatch
from .support.zerobuffer_context import zb

# Every racer starts on the same wall-clock boundary, whichever process it runs in.
ATTEMPT_PERIOD_SECONDS = 0.005
START_BOUNDARY_SECONDS = 0.1
START_LEAD_SECONDS = 0.05
WIN_HOLD_SECONDS = 0.001


@dataclass
class Race:
    """One racer's tally; ``failures`` name the attempt and what went wrong."""

    buffer: str
    attempts: int
    wins: int = 0
    losses: int = 0
    failures: list[str] = field(default_factory=list)
    task: BackgroundTask | None = None


class Races:
    """The races this worker started in the scenario (a per-scenario service)."""

    def __init__(self, context: ScenarioContext) -> None:
        self.all: list[Race] = []
        self.lock = threading.Lock()

    def release(self) -> list[str]:
        with self.lock:
            self.all.clear()
        return []


def next_start(now: float) -> float:
    """The next START_BOUNDARY_SECONDS boundary of the wall clock at least START_LEAD_SECONDS ahead."""
    return math.ceil((now + START_LEAD_SECONDS) / START_BOUNDARY_SECONDS) * START_BOUNDARY_SECONDS


def _attempt(race: Race, number: int) -> None:
    """Create the buffer once: a win (checked, held 1 ms, disposed), a loss, or a failure."""
    try:
        reader = Reader(race.buffer, BufferConfig(1024, 10240))
    except ReaderAlreadyConnectedException:
        race.losses += 1
        return
    except ZeroBufferException as exc:
        race.failures.append(f"attempt {number}: {exc.kind}: {exc}")
        return
    try:
        pid = diagnostics.inspect_buffer(race.buffer)["reader_pid"]
        if pid != os.getpid():
            race.failures.append(f"attempt {number}: won, but the OIEB's reader_pid is {pid}, not {os.getpid()}")
        elif not diagnostics.lock_file_held(race.buffer):
            race.failures.append(f"attempt {number}: won, but nobody holds the lock file")
        else:
            race.wins += 1
        time.sleep(WIN_HOLD_SECONDS)
    finally:
        reader.close()


@when(ROLE + r"starts racing to create buffer '(?P<buffer>[^']+)' '(?P<count>\d+)' times")
def start_racing(ctx: ScenarioContext, process: str, buffer: str, count: int) -> dict[str, Any]:
    """Start background work that, from the next shared start boundary, tries count times to create the
    buffer; returns at once."""
    race = Race(zb(ctx).buffer_name(buffer), count)
    start = next_start(time.time())

    def work() -> None:
        ctx.sleep(max(0.0, start - time.time()))
        for number in range(1, count + 1):
            ctx.check_cancelled()
            # Attempt i starts at start + (i - 1) x 5 ms in every racer (at once when running late), so
            # the attempts meet although a loss is much quicker than a win (STEPS.md).
            ctx.sleep(max(0.0, start + (number - 1) * ATTEMPT_PERIOD_SECONDS - time.time()))
            try:
                _attempt(race, number)
            except Exception as exc:  # noqa: BLE001 - a half-made buffer or OS error is the race's failure
                race.failures.append(f"attempt {number}: {type(exc).__name__}: {exc}")

    race.task = ctx.start_background(f"race-{race.buffer}-{process}", work)
    races = ctx.service(Races)
    with races.lock:
        races.all.append(race)
    return {"buffer": race.buffer, "attempts": count, "startsAt": start}


@then(ROLE + r"should finish racing within '(?P<ms>\d+)' ms")
def finish_racing(ctx: ScenarioContext, process: str, ms: int) -> dict[str, Any]:
    """Join every race of this worker within ms: no failure, wins + losses = attempts, at least one of
    each (so the race really happened)."""
    races = ctx.service(Races)
    with races.lock:
        started = list(races.all)
    if not started:
        raise StepAssertionError("no race was started in this worker")
    watch = Stopwatch()
    deadline = time.monotonic() + ms / 1000.0
    for race in started:
        assert race.task is not None
        if not race.task.done.wait(max(0.0, deadline - time.monotonic())):
            raise StepAssertionError(f"race for '{race.buffer}' did not finish within {ms} ms "
                                     f"({race.wins} wins, {race.losses} losses of {race.attempts})")
        if race.task.error is not None:
            raise StepAssertionError(f"race for '{race.buffer}' ended with {type(race.task.error).__name__}: "
                                     f"{race.task.error}")
    wins = sum(r.wins for r in started)
    losses = sum(r.losses for r in started)
    attempts = sum(r.attempts for r in started)
    failures = [f for r in started for f in r.failures]
    if failures:
        raise StepAssertionError(f"{len(failures)} race attempts failed: {'; '.join(failures[:5])}")
    if wins + losses != attempts:
        raise StepAssertionError(f"{wins} wins + {losses} losses != {attempts} attempts")
    if wins == 0 or losses == 0:
        raise StepAssertionError(f"no real race: {wins} wins and {losses} losses in {attempts} attempts")
    return {"wins": wins, "losses": losses, "attempts": attempts, "elapsedMs": watch.ms}
