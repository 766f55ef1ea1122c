"""Worker processes that end with the build, whatever stops it: forked, so that they inherit the model.

Not concurrent.futures: on Python 3.11 its ProcessPoolExecutor can wait forever when it is shut
down with work cancelled (python/cpython#116685, fixed in 3.12 only) or with a worker ended while
it hands back a result. Here the processes share nothing that a process ended anywhere could leave
locked: calls are handed out through a pipe of call numbers, and each result comes back through an
unnamed file of its own, read only after every worker has exited.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import select
import signal
import sys
import tempfile
import threading
import time
import traceback

_NUMBER = 4  # bytes per call number in the pipe; a pipe's reads of 4 bytes are whole
MAX_CALLS = 65536 // _NUMBER  # the call numbers are written before any worker reads: a pipe holds 64 KiB
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _worker_start(parent: int) -> None:
    """In each worker: leave SIGINT to the build (which ends the workers itself), die at SIGTERM, and
    end with the build however it ends: SIGKILL when it dies (Linux's PR_SET_PDEATHSIG), else a
    watch on the parent process."""
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


class Workers:
    """function(*args) for each args, in `count` forked workers that start at once, and in this process
    too once it asks for the results (so no core waits while calls are left). The first failure, in
    the calls' order, is raised; close() ends the workers wherever they are."""

    def __init__(self, function, arguments: list[tuple], count: int):
        if len(arguments) > MAX_CALLS:
            raise ValueError(f"at most {MAX_CALLS} calls (their numbers must fit in a pipe), not {len(arguments)}")
        self.function, self.arguments = function, arguments
        self.files = [tempfile.TemporaryFile() for _ in arguments]  # unnamed: nothing left on disk, whatever stops us
        self.pids: list[int] = []
        read, write = os.pipe()
        os.write(write, b"".join(i.to_bytes(_NUMBER, "little") for i in range(len(arguments))))
        os.close(write)  # every call number is in the pipe: a read at its end finds no more
        self.calls = read
        parent = os.getpid()
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)  # a fork's child never runs our handlers
        try:
            for _ in range(count):
                pid = os.fork()
                if pid == 0:
                    self._work_in_child(parent, previous)
                self.pids.append(pid)
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a stop that came meanwhile is raised here
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            self.close()
            raise

    def _work_in_child(self, parent: int, mask) -> None:
        """A worker: run calls until none is left, each result pickled into its call's file; never returns."""
        code = 1
        try:
            _worker_start(parent)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            for index in self._next_calls():
                payload = self._outcome(index)
                try:
                    data = pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)
                except Exception:  # an unpicklable result or error: its traceback, as text
                    data = pickle.dumps((False, RuntimeError(traceback.format_exc())))
                view, offset = memoryview(data), 0
                while offset < len(data):
                    offset += os.pwrite(self.files[index].fileno(), view[offset:], offset)
            code = 0
        finally:
            os._exit(code)

    def _next_calls(self):
        while number := os.read(self.calls, _NUMBER):
            yield int.from_bytes(number, "little")

    def _outcome(self, index: int) -> tuple[bool, object]:
        try:
            return True, self.function(*self.arguments[index])
        except Exception as exc:
            return False, exc

    def results(self) -> list:
        """Run the calls no worker has taken, wait for the workers, and return every result in order."""
        done = {}  # the calls this process ran
        try:
            for index in self._next_calls():
                done[index] = self._outcome(index)
            while self.pids:
                _, status = os.waitpid(self.pids[0], 0)
                self.pids.pop(0)
                if status != 0:
                    raise RuntimeError(f"a worker process ended unexpectedly ({_exit_cause(status)})")
            outcomes = [done[i] if i in done else pickle.loads(_contents(file))
                        for i, file in enumerate(self.files)]
        finally:
            self.close()
        for succeeded, value in outcomes:
            if not succeeded:
                raise value
        return [value for _, value in outcomes]

    def close(self) -> None:
        """End the workers where they are (after results() there are none) and free the files."""
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self.pids = []
        for file in self.files:
            file.close()
        if self.calls >= 0:
            os.close(self.calls)
            self.calls = -1


def _contents(file) -> bytes:
    file.seek(0)
    return file.read()


def _exit_cause(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def worker_count(wanted: int) -> int:
    """How many workers to fork beside this process: one fewer than the cores, at most `wanted`;
    none without fork."""
    return max(0, min((os.cpu_count() or 1) - 1, wanted)) if hasattr(os, "fork") else 0


def map_in_workers(function, arguments: list[tuple]) -> list:
    """function(*args) for each args, on every core (here alone, with one core or one call), the
    results in order. The first failure, in order, is raised."""
    count = worker_count(len(arguments) - 1) if len(arguments) <= MAX_CALLS else 0
    if count == 0:
        return [function(*args) for args in arguments]
    return Workers(function, arguments, count).results()


class HelperGone(RuntimeError):
    """The helper process cannot answer: it ended, or this process is not the one that started it."""


class Helper:
    """One forked process that answers calls of a function while this process goes on, so that a slow
    setup (an import) runs on another core: setup() runs in it at once, and every call waits for it.

    Calls go as a length and a pickle through one pipe, their answers, in the same order, through another.
    Only the process that started the helper may call it (a process forked since would share its
    pipes): in any other, and once the helper has ended, a call raises HelperGone. The helper ends
    with close(), or with this process however it ends.
    """

    def __init__(self, function, setup=None):
        self.function, self.owner = function, os.getpid()
        self.waiting, self._sender = 0, None  # calls sent and not yet answered; the thread sending the last
        requests, self._requests = os.pipe()
        self._answers, answers = os.pipe()
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            self.pid = os.fork()
            if self.pid == 0:
                os.close(self._requests)
                os.close(self._answers)
                self._serve(self.owner, previous, setup, requests, answers)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        os.close(requests)
        os.close(answers)
        os.set_blocking(self._requests, False)  # a call is written at once, or its rest by a thread

    def _serve(self, parent: int, mask, setup, requests: int, answers: int) -> None:
        """In the helper: set up, then answer each call until the pipe closes; never returns."""
        try:
            _worker_start(parent)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            if setup is not None:
                setup()
            while (call := _read_message(requests)) is not None:
                try:
                    answer = (True, self.function(*pickle.loads(call)))
                except Exception as exc:
                    answer = (False, exc)
                _write_message(answers, pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
        finally:
            os._exit(0)

    def __call__(self, *args):
        """function(*args), answered by the helper (after every call submitted before it)."""
        self.submit(*args)
        while self.waiting > 1:
            self.answer()
        return self.answer()

    def submit(self, *args) -> None:
        """Send a call without waiting (what the pipe cannot take while the helper is busy, a thread
        writes); answer() collects the answers in the order the calls were sent."""
        if os.getpid() != self.owner or self.pid is None:
            raise HelperGone("no helper process for this process")
        view = _framed(pickle.dumps(args, pickle.HIGHEST_PROTOCOL))
        self._sent()
        try:
            view = view[os.write(self._requests, view):]
        except BlockingIOError:  # the pipe is full
            pass
        except OSError:  # the helper ended: answer() says so
            view = view[:0]
        if view:
            self._sender = threading.Thread(target=self._write, args=(view,), daemon=True)
            self._sender.start()
        self.waiting += 1

    def _write(self, view: memoryview) -> None:
        """In a thread: write the rest of a call as the helper reads the pipe."""
        try:
            while view:
                select.select([], [self._requests], [])
                try:
                    view = view[os.write(self._requests, view):]
                except BlockingIOError:
                    pass
        except OSError:  # the helper ended: answer() says so
            pass

    def _sent(self) -> None:
        if self._sender is not None:
            self._sender.join()
            self._sender = None

    def answer(self):
        """The answer to the oldest call not yet answered (its exception raised)."""
        if os.getpid() != self.owner or self.pid is None or not self.waiting:
            raise HelperGone("no call waiting for the helper's answer")
        self._sent()
        try:
            answer = _read_message(self._answers)
        except OSError:
            answer = None
        if answer is None:
            self.close()
            raise HelperGone("the helper process ended")
        self.waiting -= 1
        succeeded, value = pickle.loads(answer)
        if not succeeded:
            raise value
        return value

    def close(self) -> None:
        """End the helper (in the process that started it) and close its pipes."""
        if os.getpid() != self.owner or self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        self._sent()  # its write fails at once: nobody reads the pipe now
        os.close(self._requests)
        os.close(self._answers)
        self.pid = None


def _framed(data: bytes) -> memoryview:
    """A message as it goes through a pipe: its length, then itself."""
    return memoryview(len(data).to_bytes(8, "little") + data)


def _write_message(fd: int, data: bytes) -> None:
    view = _framed(data)
    while view:
        view = view[os.write(fd, view):]


def _read_message(fd: int) -> bytes | None:
    """One message from the pipe; None at its end (the other side closed it or ended)."""
    head = _read_exactly(fd, 8)
    return None if head is None else _read_exactly(fd, int.from_bytes(head, "little"))


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
