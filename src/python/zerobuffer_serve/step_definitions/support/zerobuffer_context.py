"""The ZeroBuffer state of one scenario: readers and writers by buffer name, the current ones, read
progress, the write timeout. A per-scenario service of the step context, released after the
context has stopped background work."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any, Callable, Optional

from zerobuffer import Frame, Reader, Writer

from ...steps.context import ScenarioContext
from ...steps.errors import StepAssertionError

_log = logging.getLogger("zerobuffer_serve.steps")

# A killed peer may be seen a moment after the orchestrator's SIGKILL returns; connection-state
# checks therefore poll for the expected state this long before failing.
STATE_GRACE_MS = 2000
_STATE_POLL_MS = 20
# Reads wait in slices this long so a cancelled scenario (cleanup, worker stopping) ends them soon.
READ_SLICE_SECONDS = 0.05


class ZeroBufferContext:
    """Get it with ``zb(ctx)``."""

    def __init__(self, context: ScenarioContext) -> None:
        self.context = context
        self.readers: dict[str, Reader] = {}
        self.writers: dict[str, Writer] = {}
        self.reader: Optional[Reader] = None
        self.writer: Optional[Writer] = None
        self.last_sequence = 0
        self.write_timeout_ms: Optional[int] = None

    def buffer_name(self, name: str) -> str:
        """The run-unique OS name of a feature's buffer: ``<runId>-<name>``."""
        run_id = self.context.run_id
        return f"{run_id}-{name}" if run_id else name

    def current_reader(self) -> Reader:
        if self.reader is None:
            raise StepAssertionError("no buffer was created in this scenario (no current reader)")
        return self.reader

    def current_writer(self) -> Writer:
        if self.writer is None:
            raise StepAssertionError("no writer connected in this scenario (no current writer)")
        return self.writer

    def add_reader(self, name: str, reader: Reader) -> None:
        with self.context.lock:
            self.readers[name] = reader
            self.reader = reader
            self.last_sequence = 0

    def connect(self, name: str) -> Writer:
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
            self.writer = writer
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
        return released


def zb(ctx: ScenarioContext) -> ZeroBufferContext:
    """The scenario's ZeroBuffer state."""
    return ctx.service(ZeroBufferContext)
