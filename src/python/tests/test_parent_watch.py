"""The liveness watch reports a hang-up on the worker's input, which a busy serving thread would not read."""

from __future__ import annotations

import os
import threading

from zerobuffer_serve.hosting.liveness import ParentWatch


def test_a_hung_up_input_is_reported_and_an_open_one_is_not() -> None:
    read_end, write_end = os.pipe()
    closed = threading.Event()
    lost: list[str] = []
    watch = ParentWatch(os.getppid(), lost.append, interval=0.01, input_fd=read_end, on_input_closed=closed.set)
    watch.start()
    try:
        os.write(write_end, b"unread")  # data waiting is not a hang-up
        assert not closed.wait(0.2)
        os.close(write_end)
        assert closed.wait(5)
        assert lost == []
    finally:
        watch.stop()
        os.close(read_end)
