"""CPU load for Test 7.3: one spinning process per core while some work runs, so the work competes
for every core and is preempted at arbitrary points. Processes, not threads: Python threads would
share the GIL and mostly stall the work itself instead of loading the cores."""

from __future__ import annotations

import os
import subprocess
import sys
from types import TracebackType
from typing import Optional


# Says it is up (so the load is on before the work starts: an interpreter takes tens of ms to
# start), spins, and ends by itself once its parent is gone (a killed worker must not leave spinners behind).
_SPIN = ("import os\n"
         "parent = os.getppid()\n"
         "os.write(1, b'spinning\\n')\n"
         "while os.getppid() == parent:\n"
         "    for _ in range(100000):\n"
         "        pass\n")


class CpuLoad:
    """``with CpuLoad():`` spins one child process per core for the block's duration (all spinning
    when the block starts)."""

    def __init__(self, processes: Optional[int] = None) -> None:
        self.count = processes or os.cpu_count() or 1
        self.children: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> CpuLoad:
        for _ in range(self.count):
            self.children.append(subprocess.Popen([sys.executable, "-c", _SPIN],
                                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE))
        for child in self.children:
            assert child.stdout is not None
            child.stdout.readline()
        return self

    def __exit__(self, kind: Optional[type[BaseException]], error: Optional[BaseException],
                 trace: Optional[TracebackType]) -> None:
        for child in self.children:
            child.kill()
        for child in self.children:
            child.wait()
            if child.stdout is not None:
                child.stdout.close()
        self.children.clear()
