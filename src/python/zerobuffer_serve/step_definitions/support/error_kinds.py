"""ZeroBuffer errors as step outcomes: the classifier the invoker is given, and expected failures."""

from __future__ import annotations

import enum
from typing import Any, Callable, Optional

from zerobuffer import ZeroBufferException
from zerobuffer.errors import ERROR_TYPES

from ...steps.errors import ASSERTION_FAILED, UNHANDLED, StepAssertionError, StepFailure

ErrorKind = enum.Enum("ErrorKind", {cls.kind: cls.kind for cls in ERROR_TYPES})  # type: ignore[misc]
ErrorKind.__doc__ = "The PROTOCOL.md §6 error kinds a step may expect (the library's own list)."


def classify_zerobuffer_error(exc: BaseException) -> Optional[str]:
    """A library exception's kind is the step's errorType."""
    return exc.kind if isinstance(exc, ZeroBufferException) else None


def expect_failure(kind: ErrorKind, what: str, action: Callable[[], Any]) -> dict[str, Any]:
    """Run action, which must raise the ZeroBuffer error ``kind``; else AssertionFailed naming both.

    If the action unexpectedly succeeds and returns something closable (a Reader/Writer), it is closed.
    """
    expected = kind.value
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


def background_failure(exc: BaseException, what: str) -> StepFailure:
    """A failure of background work, reported with the work's own kind."""
    kind = classify_zerobuffer_error(exc) or (ASSERTION_FAILED if isinstance(exc, AssertionError) else None)
    if kind is not None:
        return StepFailure(kind, f"{what}: {exc}")
    return StepFailure(UNHANDLED, f"{what}: {type(exc).__name__}: {exc}")
