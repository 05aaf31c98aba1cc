"""The per-file time limit: nested limits, threads, and what it leaves behind."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from reslib.importers import SkipFile
from reslib.importers.budget import time_limit


def busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_a_block_over_its_limit_is_stopped_with_a_skip():
    started = time.monotonic()
    with pytest.raises(SkipFile, match=r"^took longer than 0\.2 s to read"), time_limit(0.2):
        busy(30)
    assert time.monotonic() - started < 10
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_inner_limit_pauses_the_outer_one():
    outer_stopped = False
    try:
        with time_limit(0.4):
            # Longer than the outer limit, shorter than its own: the outer clock is paused.
            with time_limit(5):
                busy(0.8)
            busy(30)  # The outer limit resumes and stops this.
    except SkipFile as exc:
        outer_stopped = exc.reason.startswith("took longer than 0.4 s")
    assert outer_stopped


def test_an_inner_limit_that_runs_out_is_its_own_skip_and_the_outer_goes_on():
    with time_limit(5):
        with pytest.raises(SkipFile, match=r"0\.2 s"), time_limit(0.2):
            busy(30)
        busy(0.1)  # The outer limit still runs, and is not spent.


def test_the_previous_alarm_handler_is_restored():
    def mine(signum, frame):  # type: ignore[no-untyped-def]
        pass

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with time_limit(1):
            pass
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_the_block_runs_without_a_limit():
    outcome: list[str] = []

    def work() -> None:
        with time_limit(0.1):
            busy(0.3)
        outcome.append("finished")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["finished"]


def test_someone_elses_timer_is_left_alone():
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with time_limit(0.1):
            busy(0.2)  # Not stopped: the running timer is not ours to replace.
        busy(0.5)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
