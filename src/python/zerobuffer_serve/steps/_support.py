"""Helpers shared by the step definitions: error-kind expectations and pattern checks."""

from __future__ import annotations

import enum
from typing import Any, Callable

from zerobuffer import Frame, ZeroBufferException
from zerobuffer.errors import ERROR_TYPES
from zerobuffer._pattern import Pattern, first_mismatch

from ..executor import StepAssertionError

ErrorKind = enum.Enum("ErrorKind", {cls.kind: cls.kind for cls in ERROR_TYPES})  # type: ignore[misc]
ErrorKind.__doc__ = "The PROTOCOL.md §6 error kinds a step may expect."

PATTERN = Pattern(64 * 1024)
ROLE = r"the '(?P<process>[^']+)' process "


def expect_failure(kind: Any, what: str, action: Callable[[], Any]) -> dict[str, Any]:
    """Run action, which must raise the ZeroBuffer error ``kind``; else AssertionFailed naming both.

    If the action unexpectedly succeeds and returns something closable (a Reader/Writer), it is closed.
    """
    expected = kind.value if isinstance(kind, enum.Enum) else str(kind)
    try:
        made = action()
    except ZeroBufferException as exc:
        if exc.kind == expected:
            return {"errorType": exc.kind, "message": str(exc)}
        raise StepAssertionError(f"expected {what} to fail with '{expected}', but it failed with "
                                 f"'{exc.kind}': {exc}") from exc
    except StepAssertionError:
        raise
    except Exception as exc:  # noqa: BLE001 - any other failure is "another kind"
        raise StepAssertionError(f"expected {what} to fail with '{expected}', but it raised "
                                 f"{type(exc).__name__}: {exc}") from exc
    close = getattr(made, "close", None)
    if callable(close):
        close()
    raise StepAssertionError(f"expected {what} to fail with '{expected}', but it succeeded")


def check_frame(frame: Frame, sequence: int, size: int, buffer: str) -> None:
    """Frame is valid, has the sequence and size, and every byte follows the pattern."""
    if not frame.is_valid:
        raise StepAssertionError(f"frame from buffer '{buffer}' is not valid")
    if frame.sequence != sequence:
        raise StepAssertionError(f"buffer '{buffer}': expected frame sequence {sequence}, "
                                 f"got {frame.sequence}")
    if frame.size != size:
        raise StepAssertionError(f"buffer '{buffer}': frame {frame.sequence}: expected size {size}, "
                                 f"got {frame.size}")
    if not PATTERN.matches(frame.sequence, frame.data):
        at = first_mismatch(frame.data, PATTERN.frame(frame.sequence, frame.size))
        raise StepAssertionError(
            f"buffer '{buffer}': frame {frame.sequence} breaks the pattern at byte {at}: expected "
            f"{(frame.sequence + at) & 0xFF}, got {frame.data[at]}")
