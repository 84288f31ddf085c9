"""Lower this process's soft RLIMIT_NOFILE for a while (the hard limit is kept, so it can be raised back):
how a stress step reaches the system's refusal quickly and at a known point."""

from __future__ import annotations

import contextlib
import resource
from typing import Iterator


@contextlib.contextmanager
def lowered_open_file_limit(soft: int) -> Iterator[int]:
    """Set the soft limit to soft (at most the hard limit) inside the block; yields the limit set."""
    previous_soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = soft if hard == resource.RLIM_INFINITY else min(soft, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    try:
        yield limit
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (previous_soft, hard))
