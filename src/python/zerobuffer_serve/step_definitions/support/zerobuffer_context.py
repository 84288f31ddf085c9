"""The ZeroBuffer state of one scenario: readers and writers by buffer name, the current ones, the
role that created each, read progress per reader, the write timeout and background writes and reads. A
per-scenario service of the step context, released after the context has stopped background work.
``crash(role)`` abandons a role's objects as a killed process would leave them (simulateCrash)."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable, ContextManager, Optional, Union

from zerobuffer import Frame, Reader, Writer, ZeroBufferException
from zerobuffer import diagnostics

from ...steps.context import BackgroundTask, ScenarioContext
from ...steps.errors import StepAssertionError, StepCancelledError

_log = logging.getLogger("zerobuffer_serve.steps")

# A killed peer may be seen a moment after the orchestrator's SIGKILL returns; connection-state
# checks therefore poll for the expected state this long before failing.
STATE_GRACE_MS = 2000
_STATE_POLL_MS = 10
# Reads wait in slices this long so a cancelled scenario (cleanup, worker stopping) ends them soon.
READ_SLICE_SECONDS = 0.05
# A crashed role's background work is stopped before its writer's descriptors close under it; a
# blocked write ends by its write timeout at the latest.
_CRASH_JOIN_MARGIN_SECONDS = 2.0


@dataclass
class WriteProgress:
    """What background writing has done so far; ``stop`` is set when its role crashes."""

    written: int = 0
    stop: threading.Event = field(default_factory=threading.Event)


@dataclass
class ReadOutcome:
    """What one background read got: a frame (sequence, size) or nothing; elapsed_ms once it ended."""

    sequence: Optional[int] = None
    size: int = 0
    elapsed_ms: float = 0.0


@dataclass
class BackgroundRead:
    """One read_frame a step started in the background on reader, with timeout_ms."""

    task: BackgroundTask
    role: str
    reader: Reader
    timeout_ms: int
    outcome: ReadOutcome

    def describe(self) -> str:
        """What it ended with, for a failure message (call once the task is done)."""
        if self.task.error is not None:
            error = self.task.error
            kind = error.kind if isinstance(error, ZeroBufferException) else type(error).__name__
            return f"failed with '{kind}': {self.task.error}"
        if self.outcome.sequence is not None:
            return f"read frame {self.outcome.sequence} ({self.outcome.size} B)"
        return "timed out with no frame and no error"


@dataclass
class BackgroundWrite:
    """Background writing a step started: its task, the role that started it, count frames to write."""

    task: BackgroundTask
    role: str
    count: int
    progress: WriteProgress


def abandon_as_crashed(endpoint: Union[Reader, Writer], pid_field: str) -> int:
    """Leave endpoint as a killed process would: descriptors closed, nothing unlinked, and its pid
    field naming a dead process. Returns that pid."""
    pid = diagnostics.dead_pid()
    diagnostics.write_oieb_field(endpoint.name, pid_field, pid)
    diagnostics.abandon(endpoint)
    return pid


class ZeroBufferContext:
    """Get it with ``zb(ctx)``."""

    def __init__(self, context: ScenarioContext) -> None:
        self.context = context
        self.readers: dict[str, Reader] = {}
        self.writers: dict[str, Writer] = {}
        self.reader: Optional[Reader] = None
        self.writer: Optional[Writer] = None
        # buffer -> the role whose step created its reader / writer (for crash)
        self.reader_roles: dict[str, str] = {}
        self.writer_roles: dict[str, str] = {}
        # buffer -> the last sequence its reader consumed
        self.last_sequences: dict[str, int] = {}
        self.write_timeout_ms: Optional[int] = None
        self.current_buffer: Optional[str] = None
        self.writes: list[BackgroundWrite] = []
        self.reads: list[BackgroundRead] = []

    def buffer_name(self, name: str) -> str:
        """The run-unique OS name of a feature's buffer: ``<runId>-<name>``."""
        run_id = self.context.run_id
        return f"{run_id}-{name}" if run_id else name

    def padded_buffer_name(self, name: str, pad_to: int) -> str:
        """The OS name filled up with 'x' to exactly pad_to characters (0: as it is), so a feature can
        name a maximum-length buffer whatever the run id's length (STEPS.md, Platform)."""
        qualified = self.buffer_name(name)
        if pad_to == 0:
            return qualified
        if len(qualified) > pad_to:
            raise StepAssertionError(f"cannot pad '{qualified}' to {pad_to} characters: it already has {len(qualified)}")
        return qualified.ljust(pad_to, "x")

    def close_reader(self) -> str:
        """Close the current reader (not reading in the background) gracefully and forget it; the current buffer stays."""
        reader = self.current_reader()
        self._check_not_reading(reader)
        reader.close()
        with self.context.lock:
            self.readers.pop(reader.name, None)
            self.reader_roles.pop(reader.name, None)
            self.reader = None
        return reader.name

    def close_writer(self) -> str:
        """Close the current writer (no background work may be pending) and forget it; the buffer stays."""
        writer = self.current_writer()
        if self.writes:
            raise StepAssertionError(f"the writer of '{writer.name}' still has background work pending")
        writer.close()
        with self.context.lock:
            self.writers.pop(writer.name, None)
            self.writer_roles.pop(writer.name, None)
            self.writer = None
        return writer.name

    def current_reader(self) -> Reader:
        if self.reader is None:
            raise StepAssertionError("no buffer was created in this scenario (no current reader)")
        return self.reader

    def current_writer(self) -> Writer:
        if self.writer is None:
            raise StepAssertionError("no writer connected in this scenario (no current writer)")
        return self.writer

    def buffer(self) -> str:
        """The current buffer (last created, connected to or left stale)."""
        if self.current_buffer is None:
            raise StepAssertionError("no buffer was created or connected to in this scenario")
        return self.current_buffer

    def last_sequence(self, reader: Reader) -> int:
        return self.last_sequences.get(reader.name, 0)

    def add_reader(self, role: str, name: str, reader: Reader) -> None:
        with self.context.lock:
            self.readers[name] = reader
            self.reader_roles[name] = role
            self.reader = reader
            self.last_sequences[name] = 0
            self.current_buffer = name

    def connect(self, role: str, name: str) -> Writer:
        """A new Writer (disposing a previous writer of that buffer); it becomes current."""
        with self.context.lock:
            previous = self.writers.pop(name, None)
            if previous is not None:
                if self.writer is previous:
                    self.writer = None
                previous.close()
        writer = Writer(name)
        if self.write_timeout_ms is not None:
            writer.write_timeout = timedelta(milliseconds=self.write_timeout_ms)
        with self.context.lock:
            self.writers[name] = writer
            self.writer_roles[name] = role
            self.writer = writer
            self.current_buffer = name
        return writer

    def set_write_timeout(self, ms: int) -> None:
        """For the current writer and writers connected later."""
        self.write_timeout_ms = ms
        if self.writer is not None:
            self.writer.write_timeout = timedelta(milliseconds=ms)

    def read_frame(self, reader: Reader, timeout_ms: int) -> Optional[Frame]:
        """reader.read_frame with that timeout, in slices so cancellation ends the wait early."""
        deadline = time.monotonic() + timeout_ms / 1000.0
        while True:
            self.context.check_cancelled()
            remaining = deadline - time.monotonic()
            frame = reader.read_frame(max(0.0, min(READ_SLICE_SECONDS, remaining)))
            if frame is not None or remaining <= READ_SLICE_SECONDS:
                return frame

    def add_write(self, write: BackgroundWrite) -> None:
        with self.context.lock:
            self.writes.append(write)

    def start_counted_write(self, task_name: str, process: str, count: int, write_one: Callable[[], None],
                            around: Callable[[], ContextManager[Any]] = contextlib.nullcontext) -> BackgroundWrite:
        """Start background work calling write_one count times (inside ``around()``), stopping at the
        scenario's cancellation or when process crashes; it is recorded for the joining steps."""
        progress = WriteProgress()

        def work() -> int:
            with around():
                for _ in range(count):
                    self.context.check_cancelled()
                    if progress.stop.is_set():
                        raise StepCancelledError(f"the '{process}' process crashed")
                    write_one()
                    progress.written += 1
            return progress.written

        write = BackgroundWrite(self.context.start_background(task_name, work), process, count, progress)
        self.add_write(write)
        return write

    def start_read(self, process: str, timeout_ms: int) -> BackgroundRead:
        """Start one read_frame with timeout_ms on the current reader in the background (one library
        call, so the library's own waiting is what is timed); a frame that arrives is released."""
        reader = self.current_reader()
        self._check_not_reading(reader)
        outcome = ReadOutcome()

        def work() -> None:
            started = time.monotonic()
            try:
                frame = reader.read_frame(timeout_ms / 1000.0)
            finally:
                outcome.elapsed_ms = (time.monotonic() - started) * 1000.0
            if frame is not None:
                with frame:
                    outcome.sequence, outcome.size = frame.sequence, frame.size
                    self.last_sequences[reader.name] = frame.sequence

        task = self.context.start_background(f"read-{reader.name}-{timeout_ms}ms", work)
        read = BackgroundRead(task, process, reader, timeout_ms, outcome)
        with self.context.lock:
            self.reads.append(read)
        return read

    def last_read(self) -> BackgroundRead:
        """The background read started last and not yet joined."""
        with self.context.lock:
            if not self.reads:
                raise StepAssertionError("no background read was started in this scenario")
            return self.reads[-1]

    def forget_read(self, read: BackgroundRead) -> None:
        with self.context.lock:
            if read in self.reads:
                self.reads.remove(read)
            if read.task in self.context.background:
                self.context.background.remove(read.task)

    def _check_not_reading(self, reader: Reader) -> None:
        """A reader is single-threaded: refuse it while a background read is using it."""
        with self.context.lock:
            busy = [r for r in self.reads if r.reader is reader and not r.task.done.is_set()]
        if busy:
            raise StepAssertionError(f"the reader of '{reader.name}' is busy with background {busy[0].task.name}; "
                                     "join it first ('should stop reading with ...')")

    def last_write(self) -> BackgroundWrite:
        """The background writing started last and not yet joined."""
        with self.context.lock:
            if not self.writes:
                raise StepAssertionError("no background writing was started in this scenario")
            return self.writes[-1]

    def forget_write(self, write: BackgroundWrite) -> None:
        with self.context.lock:
            if write in self.writes:
                self.writes.remove(write)
            if write.task in self.context.background:
                self.context.background.remove(write.task)

    def crash(self, role: str) -> list[str]:
        """Abandon role's background writing and reading, then its writers and readers, as a killed
        process would leave them; they are forgotten, never closed. Returns ``writer:<buffer>`` etc."""
        abandoned: list[str] = []
        with self.context.lock:
            writes = [w for w in self.writes if w.role == role]
            reads = [r for r in self.reads if r.role == role]
        for read in reads:  # a read cannot be interrupted: it ends at its timeout
            read.task.thread.join(read.timeout_ms / 1000.0 + _CRASH_JOIN_MARGIN_SECONDS)
            if read.task.thread.is_alive():
                _log.warning("background %s of crashed role %s is still running", read.task.name, role)
            self.forget_read(read)
            abandoned.append(f"background:{read.task.name}")
        for write in writes:
            write.progress.stop.set()
            write.task.thread.join(self._write_timeout_seconds() + _CRASH_JOIN_MARGIN_SECONDS)
            if write.task.thread.is_alive():
                _log.warning("background %s of crashed role %s is still running", write.task.name, role)
            self.forget_write(write)
            abandoned.append(f"background:{write.task.name}")
        for kind, items, roles, pid_field in (("writer", self.writers, self.writer_roles, "writer_pid"),
                                              ("reader", self.readers, self.reader_roles, "reader_pid")):
            for name in [n for n, r in roles.items() if r == role]:
                with self.context.lock:
                    endpoint: Union[Reader, Writer, None] = items.pop(name, None)
                    del roles[name]
                    if endpoint is self.writer:
                        self.writer = None
                    if endpoint is self.reader:
                        self.reader = None
                if endpoint is not None:
                    pid = abandon_as_crashed(endpoint, pid_field)
                    _log.info("crashed %s of '%s' for role %s (%s now %d)", kind, name, role, pid_field, pid)
                    abandoned.append(f"{kind}:{name}")
        return abandoned

    def _write_timeout_seconds(self) -> float:
        return (self.write_timeout_ms if self.write_timeout_ms is not None else 5000) / 1000.0

    def expect_connection(self, buffer: str, peer: str, state: str, probe: Callable[[], bool]) -> bool:
        """Poll ``probe`` until it says ``state`` ("connected"/"disconnected") or STATE_GRACE_MS passes."""
        want = state == "connected"
        deadline = time.monotonic() + STATE_GRACE_MS / 1000.0
        actual = probe()
        while actual != want and time.monotonic() < deadline:
            self.context.sleep(_STATE_POLL_MS / 1000.0)
            actual = probe()
        if actual != want:
            raise StepAssertionError(f"buffer '{buffer}': expected the {peer} {state}, but it is "
                                     f"{'connected' if actual else 'disconnected'}")
        return actual

    def release(self) -> list[str]:
        """Close every writer, then every reader; returns ``writer:<buffer>``/``reader:<buffer>``."""
        released: list[str] = []
        for kind, items in (("writer", self.writers), ("reader", self.readers)):
            for name, item in list(items.items()):
                try:
                    item.close()
                except Exception as exc:  # noqa: BLE001 - keep releasing the rest
                    _log.warning("closing %s of '%s' failed: %s", kind, name, exc)
                released.append(f"{kind}:{name}")
            items.clear()
        self.reader = None
        self.writer = None
        self.reader_roles.clear()
        self.writer_roles.clear()
        self.writes.clear()
        self.reads.clear()
        return released


def zb(ctx: ScenarioContext) -> ZeroBufferContext:
    """The scenario's ZeroBuffer state."""
    return ctx.service(ZeroBufferContext)
