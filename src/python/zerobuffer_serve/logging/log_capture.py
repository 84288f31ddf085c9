"""Logging for the worker: stderr always, plus a capture of every record since the previous reply."""

from __future__ import annotations

import datetime
import logging
import sys
import threading
from typing import Any

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
           "error": logging.ERROR}


def level_from_env(value: str | None) -> int:
    """HARMONY_LOG_LEVEL (debug|info|warning|error, default info)."""
    return _LEVELS.get((value or "info").strip().lower(), logging.INFO)


def level_name(levelno: int) -> str:
    """The protocol's level names."""
    if levelno >= logging.ERROR:
        return "error"
    if levelno >= logging.WARNING:
        return "warning"
    if levelno >= logging.INFO:
        return "info"
    return "debug"


class CaptureHandler(logging.Handler):
    """Collects records from every thread; ``drain()`` hands them out once."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self._records: list[dict[str, Any]] = []
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            entry = {
                "timestamp": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc)
                .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "level": level_name(record.levelno),
                "message": f"[{record.name}] {record.getMessage()}",
            }
        except Exception:  # noqa: BLE001 - a bad format string must not kill the worker
            self.handleError(record)
            return
        with self._guard:
            self._records.append(entry)

    def drain(self) -> list[dict[str, Any]]:
        """Everything captured since the previous drain."""
        with self._guard:
            records, self._records = self._records, []
        return records


def configure(level: int) -> CaptureHandler:
    """Root logger -> stderr and the capture handler (the worker owns logging config; the
    zerobuffer library never does)."""
    root = logging.getLogger()
    root.setLevel(level)
    stderr = logging.StreamHandler(sys.__stderr__)
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    stderr.setLevel(level)
    capture = CaptureHandler(level)
    root.addHandler(stderr)
    root.addHandler(capture)
    return capture
