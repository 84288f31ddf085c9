"""pid_alive runs before every duplex response: it must stay cheap and still see zombies as dead."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tracemalloc

from zerobuffer._resources import pid_alive


def test_probing_a_live_pid_allocates_no_read_buffer() -> None:
    pid_alive(os.getpid())  # warm up
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        assert pid_alive(os.getpid())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - base < 1024  # a buffered open() of /proc/<pid>/stat took more than 8 KiB


def test_an_unreaped_child_counts_as_dead() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert pid_alive(child.pid)
        os.kill(child.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while pid_alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not pid_alive(child.pid)  # a zombie until waited for
    finally:
        child.wait()
