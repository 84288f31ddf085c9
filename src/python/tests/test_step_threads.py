"""Step threads are reused, and a blocked step never holds up the next one."""

from __future__ import annotations

import threading

from zerobuffer_serve.steps.step_threads import StepThreads


def test_a_finished_thread_takes_the_next_step() -> None:
    threads = StepThreads()
    names: list[str] = []
    for i in range(5):
        run = threads.run(lambda: names.append(threading.current_thread().name), f"s{i}")
        run.join(5)
        assert not run.is_alive()
    assert threads.started == 1
    assert len(set(names)) == 1


def test_a_blocked_step_keeps_its_thread_and_the_next_step_gets_another() -> None:
    threads = StepThreads()
    release = threading.Event()
    blocked = threads.run(lambda: release.wait(10), "blocked")
    quick = threads.run(lambda: None, "quick")
    quick.join(5)
    assert not quick.is_alive() and blocked.is_alive()
    assert threads.started == 2
    release.set()
    blocked.join(5)
    assert not blocked.is_alive()


def test_work_that_raises_leaves_the_thread_serving() -> None:
    threads = StepThreads()

    def fail() -> None:
        raise RuntimeError("escaped")

    threads.run(fail, "fails").join(5)
    ran = threading.Event()
    threads.run(ran.set, "next").join(5)
    assert ran.is_set() and threads.started == 1


def test_an_idle_thread_retires_and_a_new_one_starts() -> None:
    threads = StepThreads(idle_seconds=0.05)
    threads.run(lambda: None, "first").join(5)
    threading.Event().wait(0.3)
    threads.run(lambda: None, "second").join(5)
    assert threads.started == 2
