"""Worker processes that end with the build, whatever stops it: forked, so that they inherit the model."""

from __future__ import annotations

import concurrent.futures
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time


def _worker_start(parent: int) -> None:
    """In each render worker: leave SIGINT to the build (which stops the workers itself), and end
    with the build however it ends: SIGKILL when it dies (Linux's PR_SET_PDEATHSIG), else a watch
    on the parent process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None) if sys.platform == "linux" else None
    if prctl is None or prctl(1, signal.SIGKILL) != 0:  # 1: PR_SET_PDEATHSIG

        def watch():
            while os.getppid() == parent:
                time.sleep(0.2)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the build died before the watch began
        os._exit(1)


def fork_pool(workers: int) -> concurrent.futures.ProcessPoolExecutor | None:
    """A pool of forked workers that end with this process; None without fork or with fewer than one."""
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                                  initializer=_worker_start, initargs=(os.getpid(),))


def stop(pool: concurrent.futures.ProcessPoolExecutor | None) -> None:
    """End a pool's workers where they are (after its work they are idle)."""
    if pool is not None:
        for process in list(getattr(pool, "_processes", {}).values()):  # no public way before 3.14
            process.terminate()
        pool.shutdown(cancel_futures=True)


def map_in_workers(function, arguments: list[tuple]) -> list:
    """function(*args) for each args, in forked workers on every core, the results in order (here, one
    after the other, with one core or one call). The first failure, in order, is raised."""
    cores = os.cpu_count() or 1
    pool = fork_pool(min(cores, len(arguments))) if cores > 1 and len(arguments) > 1 else None
    if pool is None:
        return [function(*args) for args in arguments]
    try:
        return [future.result() for future in [pool.submit(function, *args) for args in arguments]]
    finally:  # the calls under way are let finish (a worker ended while it hands back a large result
        pool.shutdown(cancel_futures=True)  # could leave the pool's reader waiting forever); no more start
