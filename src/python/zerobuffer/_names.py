"""Buffer name rule and the OS names derived from a buffer name (PROTOCOL.md §1)."""

from __future__ import annotations

import os
import re

from .errors import InvalidBufferNameException

_NAME_RULE = re.compile(r"[A-Za-z0-9._-]{1,200}")
RULE_TEXT = "1-200 characters of [A-Za-z0-9._-], not starting with '.'"


def validate_name(name: object) -> str:
    """Return the name if it follows the rule, else raise InvalidBufferNameException quoting it."""
    if not isinstance(name, str) or not _NAME_RULE.fullmatch(name) or name.startswith("."):
        raise InvalidBufferNameException(f"invalid buffer name {name!r}: must be {RULE_TEXT}")
    return name


def shm_name(name: str) -> str:
    """Name passed to shm_open."""
    return "/" + name


def sem_write_name(name: str) -> str:
    """The "data written" semaphore (without the leading '/')."""
    return "sem-w-" + name


def sem_read_name(name: str) -> str:
    """The "space freed" semaphore (without the leading '/')."""
    return "sem-r-" + name


def lock_dir() -> str:
    """$ZEROBUFFER_LOCK_DIR or /tmp/zerobuffer."""
    return os.environ.get("ZEROBUFFER_LOCK_DIR") or "/tmp/zerobuffer"


def lock_path(name: str) -> str:
    """The lock file of a buffer."""
    return os.path.join(lock_dir(), name + ".lock")
