"""The forked workers that read a library's documents and render pages: results in order, failures
raised as they were, and a stop at any moment ends every worker at once (no wait that can hang); and
the helper process that reads pinyin beside a build."""

from __future__ import annotations

import os
import signal
import time

import pytest

from policysite.workers import Helper, HelperGone, Workers

from .test_signals import descendants, running

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the workers are forked")


def square(n: int) -> int:
    return n * n


def fails_at(n: int, bad: int) -> int:
    if n == bad:
        raise ValueError(f"call {n} failed")
    return n


def big(n: int) -> bytes:
    """A result far larger than a pipe holds (the size a document read hands back)."""
    return bytes([n % 256]) * 3_000_000


def dies(n: int, parent: int) -> int:
    """Call 1 ends its worker by SIGKILL (run by this process, the test's, it just waits for the others)."""
    if n == 1 and os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.5)
    return n


def test_every_call_runs_once_and_the_results_come_back_in_order():
    assert Workers(square, [(n,) for n in range(40)], 2).results() == [n * n for n in range(40)]


@pytest.mark.parametrize("bad", [0, 7, 39])
def test_the_first_failure_is_raised_as_it_was(bad):
    with pytest.raises(ValueError, match=f"call {bad} failed"):
        Workers(fails_at, [(n, bad) for n in range(40)], 2).results()
    assert not descendants(os.getpid())


def test_a_worker_that_dies_is_reported_not_waited_for():
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="a worker process ended unexpectedly \\(by SIGKILL\\)"):
        workers = Workers(dies, [(n, os.getpid()) for n in range(4)], 3)
        time.sleep(0.3)  # each worker has taken a call
        workers.results()
    assert time.monotonic() - started < 10
    assert not descendants(os.getpid())


def test_large_results_come_back_whole():
    results = Workers(big, [(n,) for n in range(6)], 2).results()
    assert [len(r) for r in results] == [3_000_000] * 6 and [r[-1] for r in results] == list(range(6))


@pytest.mark.parametrize("after", [0.0, 0.01, 0.05, 0.1, 0.2, 0.4])
def test_closing_at_any_moment_ends_every_worker_at_once(after):
    """While the workers hand back results larger than a pipe holds: close() returns at once and leaves
    no process behind (ProcessPoolExecutor could wait forever here)."""
    workers = Workers(big, [(n,) for n in range(12)], 2)
    below = set(workers.pids)
    time.sleep(after)
    started = time.monotonic()
    workers.close()
    assert time.monotonic() - started < 1
    assert not [pid for pid in below if running(pid)]
    assert not descendants(os.getpid())


_SET_UP = []


def set_up() -> None:
    _SET_UP.append(os.getpid())


def where_and_what(n: int) -> tuple[int, bool, int]:
    """The process answering, whether set_up ran in it first, and n's square (n < 0 fails)."""
    if n < 0:
        raise ValueError(f"no square for {n}")
    return os.getpid(), _SET_UP == [os.getpid()], n * n


def test_a_helper_answers_in_another_process_after_its_setup_in_the_order_asked():
    helper = Helper(where_and_what, setup=set_up)
    try:
        for n in range(5):
            helper.submit(n)
        answers = [helper.answer() for _ in range(5)]
        assert {pid for pid, _, _ in answers} == {helper.pid} and helper.pid != os.getpid()
        assert all(set_up_first for _, set_up_first, _ in answers)
        assert [square for _, _, square in answers] == [0, 1, 4, 9, 16]
        assert helper(12)[2] == 144  # a call after them, answered alone
        with pytest.raises(ValueError, match="no square for -3"):
            helper(-3)
        assert helper(7)[2] == 49  # and it goes on
    finally:
        helper.close()
    assert not descendants(os.getpid())


def test_a_large_call_is_sent_while_the_helper_is_still_busy():
    """A call larger than a pipe holds, sent while the helper sleeps through its setup, does not block
    the caller: a thread writes it."""
    helper = Helper(len, setup=lambda: time.sleep(0.5))
    try:
        started = time.monotonic()
        helper.submit(b"x" * 3_000_000)
        assert time.monotonic() - started < 0.3
        assert helper.answer() == 3_000_000
    finally:
        helper.close()


def test_only_the_process_that_started_a_helper_may_ask_it():
    helper = Helper(where_and_what)
    try:
        pid = os.fork()
        if pid == 0:  # a process forked since: it must not read the answers meant for its parent
            try:
                helper(2)
                code = 1
            except HelperGone:
                code = 0
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert helper(3)[2] == 9
    finally:
        helper.close()


def test_a_helper_that_dies_is_reported_and_a_closed_one_leaves_nothing():
    helper = Helper(where_and_what)
    os.kill(helper.pid, signal.SIGKILL)
    with pytest.raises(HelperGone):
        helper(2)
    with pytest.raises(HelperGone):
        helper.submit(2)
    assert not descendants(os.getpid())
    helper = Helper(where_and_what, setup=lambda: time.sleep(5))
    helper.submit(1)
    started = time.monotonic()
    helper.close()
    assert time.monotonic() - started < 1 and not descendants(os.getpid())
