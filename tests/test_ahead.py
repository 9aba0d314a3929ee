"""align.ahead: jobs run on one worker thread, results given back in submission order, bounded look-ahead."""

from __future__ import annotations

import threading
import time

import pytest

from align.ahead import AHEAD_BYTES, AHEAD_JOBS, Ahead


def test_results_come_back_in_the_order_jobs_were_submitted():
    with Ahead() as ahead:
        for n in range(20):
            ahead.submit(lambda n=n: n * n, 1)
        assert [ahead.next_result() for _ in range(20)] == [n * n for n in range(20)]


def test_jobs_run_on_one_thread_that_is_not_the_callers():
    with Ahead() as ahead:
        for _ in range(5):
            ahead.submit(threading.get_ident, 0)
        threads = {ahead.next_result() for _ in range(5)}
    assert len(threads) == 1
    assert threading.get_ident() not in threads


def test_a_jobs_exception_is_raised_when_its_result_is_taken_and_later_jobs_still_run():
    def broken() -> int:
        raise ValueError("bad input")

    with Ahead() as ahead:
        ahead.submit(lambda: 1, 0)
        ahead.submit(broken, 0)
        ahead.submit(lambda: 3, 0)
        assert ahead.next_result() == 1
        with pytest.raises(ValueError, match="bad input"):
            ahead.next_result()
        assert ahead.next_result() == 3


def test_full_once_the_bytes_or_the_jobs_waiting_reach_their_bound():
    with Ahead() as ahead:
        ahead.submit(lambda: None, AHEAD_BYTES - 1)
        assert not ahead.full
        ahead.submit(lambda: None, 1)
        assert ahead.full
        ahead.next_result()
        assert not ahead.full and ahead.pending == 1
    with Ahead() as ahead:
        for _ in range(AHEAD_JOBS):
            ahead.submit(lambda: None, 0)
        assert ahead.full


def test_close_drops_the_jobs_not_started_and_waits_for_the_running_one():
    started, release, ran = threading.Event(), threading.Event(), []

    def slow() -> None:
        started.set()
        release.wait(5)
        ran.append("slow")

    ahead = Ahead()
    ahead.submit(slow, 0)
    ahead.submit(lambda: ran.append("dropped"), 0)
    started.wait(5)
    threading.Timer(0.2, release.set).start()  # after close() has dropped the second job
    ahead.close()
    assert ran == ["slow"]


def test_left_by_an_interrupt_it_does_not_wait_for_the_running_job():
    """Ctrl-C while a worker labels a 50 MB file: the command ends at once, not when the file is done."""
    started, release = threading.Event(), threading.Event()

    def long_job() -> None:
        started.set()
        release.wait(10)

    begun = time.perf_counter()
    with pytest.raises(KeyboardInterrupt), Ahead() as ahead:
        ahead.submit(long_job, 0)
        started.wait(5)
        raise KeyboardInterrupt
    assert time.perf_counter() - begun < 5
    release.set()


def test_one_finishing_on_error_waits_for_the_running_job():
    """The writer's: a file being written when Ctrl-C comes is written whole (then renamed) before the exit."""
    started, done = threading.Event(), []

    def write() -> None:
        started.set()
        time.sleep(0.3)
        done.append("written")

    with pytest.raises(KeyboardInterrupt), Ahead(finish_on_error=True) as ahead:
        ahead.submit(write, 0)
        started.wait(5)
        raise KeyboardInterrupt
    assert done == ["written"]
