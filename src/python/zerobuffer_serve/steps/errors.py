"""Step failures and their classification into an ``errorType``.

A step reports what failed by raising; the invoker turns the exception into an errorType: the
built-in kinds here first, then each injected classifier (the step definitions add one for their
library's errors), else UnhandledException.
"""

from __future__ import annotations

from typing import Callable, Optional

ASSERTION_FAILED = "AssertionFailed"
STEP_NOT_FOUND = "StepNotFound"
AMBIGUOUS_STEP = "AmbiguousStep"
STEP_TIMEOUT = "StepTimeout"
STEP_CANCELLED = "StepCancelled"
UNHANDLED = "UnhandledException"

StepErrorClassifier = Callable[[BaseException], Optional[str]]
"""Maps an exception a step raised to its errorType, or None for exceptions it does not know."""


class StepAssertionError(AssertionError):
    """What a step asserted did not hold: AssertionFailed."""


class StepFailure(Exception):
    """A failure with an explicit errorType (e.g. a background job's library error kind)."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


class StepCancelledError(Exception):
    """The scenario was cancelled (cleanup, end of input, parent gone) while the step ran."""


class StepArgumentError(Exception):
    """A capture does not convert, or a table / doc string does not fit the definition."""


def builtin_error_type(exc: BaseException) -> Optional[str]:
    """The errorType every step shares, before the injected classifiers."""
    if isinstance(exc, StepFailure):
        return exc.error_type
    if isinstance(exc, AssertionError):
        return ASSERTION_FAILED
    if isinstance(exc, StepCancelledError):
        return STEP_CANCELLED
    return None
