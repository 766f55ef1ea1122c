"""The forked workers that read a library's documents and render pages: results in order, failures
raised as they were, and a stop at any moment ends every worker at once (no wait that can hang)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from policysite.workers import Workers

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
