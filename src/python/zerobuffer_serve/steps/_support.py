"""Helpers shared by the step definitions: error-kind expectations and pattern checks."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, Callable

from zerobuffer import Frame, ZeroBufferException
from zerobuffer.errors import ERROR_TYPES
from zerobuffer._pattern import Pattern, first_mismatch

from ..executor import StepAssertionError

if TYPE_CHECKING:
    from ..context import ScenarioContext

ErrorKind = enum.Enum("ErrorKind", {cls.kind: cls.kind for cls in ERROR_TYPES})  # type: ignore[misc]
ErrorKind.__doc__ = "The PROTOCOL.md §6 error kinds a step may expect."

PATTERN = Pattern(64 * 1024)
ROLE = r"the '(?P<process>[^']+)' process "

# A killed peer may be seen a moment after the orchestrator's SIGKILL returns; connection-state
# checks therefore poll for the expected state this long before failing.
STATE_GRACE_MS = 2000
_STATE_POLL_MS = 20


def expect_connection(ctx: ScenarioContext, buffer: str, peer: str, state: str, probe: Callable[[], bool]) -> bool:
    """Poll ``probe`` until it says ``state`` ("connected"/"disconnected") or STATE_GRACE_MS passes.

    Returns the final answer; raises AssertionFailed naming the buffer when it never matched.
    ``ctx.sleep`` is used so that cleanup can interrupt the wait.
    """
    want = state == "connected"
    waited = 0
    actual = probe()
    while actual != want and waited < STATE_GRACE_MS:
        ctx.sleep(_STATE_POLL_MS / 1000)
        waited += _STATE_POLL_MS
        actual = probe()
    if actual != want:
        raise StepAssertionError(f"buffer '{buffer}': expected the {peer} {state}, but it is "
                                 f"{'connected' if actual else 'disconnected'}")
    return actual


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
