"""This process's resident memory (VmRSS of /proc/self/status) and open descriptors (entries of
/proc/self/fd), and the rule that calls two samples flat (features/STEPS.md "Stress")."""

from __future__ import annotations

import os
from dataclasses import dataclass

# A flat process may grow its RSS by this much or by RSS_ALLOWED_PERCENT of the first sample, whichever
# is larger. Runtimes go on growing a little after any warm-up (JIT code, a collector's retained heap, a
# log capture's high-water mark: a few MiB in the C# and Python workers); a leak per frame, buffer or
# connection over a stress round grows past it.
RSS_ALLOWED_GROWTH_KIB = 2048
RSS_ALLOWED_PERCENT = 15


@dataclass(frozen=True)
class ResourceSample:
    rss_kib: int
    fds: int

    @property
    def allowed_growth_kib(self) -> int:
        return max(RSS_ALLOWED_GROWTH_KIB, self.rss_kib * RSS_ALLOWED_PERCENT // 100)

    def problems_at(self, end: ResourceSample) -> list[str]:
        """What is wrong with end measured against this baseline (empty when flat)."""
        problems: list[str] = []
        if end.fds != self.fds:
            problems.append(f"open descriptors went from {self.fds} to {end.fds}")
        growth = end.rss_kib - self.rss_kib
        if growth > self.allowed_growth_kib:
            problems.append(f"RSS grew from {self.rss_kib} KiB to {end.rss_kib} KiB (+{growth} KiB, more than "
                            f"the {self.allowed_growth_kib} KiB allowed)")
        return problems


def sample() -> ResourceSample:
    return ResourceSample(_rss_kib(), _fd_count())


def _rss_kib() -> int:
    # "VmRSS:     12345 kB"
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("/proc/self/status has no VmRSS line")


def _fd_count() -> int:
    # The listing's own descriptor is counted too, the same in every sample.
    return len(os.listdir("/proc/self/fd"))
