"""Inputs decoded, segmented and labelled on a worker thread, ahead of the batch the encoder is embedding.

The encoder spends most of its time in numpy, which lets go of the interpreter lock, so the next documents'
segmenting and labelling (pure Python) can run on the other core meanwhile. `Ahead` takes jobs in input order,
runs them one at a time on its own thread, and gives their results back in the same order, with results known
at once (`put`: an input read back from the cache) in their turn; at most AHEAD_BYTES of input (and AHEAD_JOBS
jobs) wait at once, so memory stays bounded however many inputs a run has.

    >>> with Ahead() as ahead:
    ...     for size in (3, 1, 2):
    ...         ahead.submit(lambda size=size: "x" * size, size)
    ...     [ahead.next_result() for _ in range(3)]
    ['xxx', 'x', 'xx']
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from queue import SimpleQueue
from types import TracebackType
from typing import Any

AHEAD_BYTES = 8 << 20  # input bytes submitted and not yet taken back: a few batches of documents, never a corpus
AHEAD_JOBS = 512  # jobs submitted and not yet taken back (small files: the byte bound alone would allow thousands)
Work = tuple[Future[Any], Callable[[], Any]] | None  # a job and its future; None: the thread's work is over


class Ahead:
    """A worker thread running submitted jobs in order; `next_result` gives the oldest job's result (or raises
    its exception) once it is done. Left by an exception (Ctrl-C, SIGTERM), it runs no job not yet started and,
    unless `finish_on_error`, does not wait for the one running (a daemon thread: the process may exit meanwhile)."""

    def __init__(self, max_jobs: int = AHEAD_JOBS, finish_on_error: bool = False) -> None:
        self._max_jobs = max_jobs
        self._finish_on_error = finish_on_error
        self._work: SimpleQueue[Work] = SimpleQueue()
        self._stopped = threading.Event()
        self._waiting: deque[tuple[Future[Any], int]] = deque()
        self._bytes = 0
        self._thread = threading.Thread(target=self._run, name="align-ahead", daemon=True)
        self._thread.start()

    def __enter__(self) -> Ahead:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close(interrupted=kind is not None)

    @property
    def full(self) -> bool:
        """Whether enough waits already: take a result back before submitting more."""
        return self._bytes >= AHEAD_BYTES or len(self._waiting) >= self._max_jobs

    @property
    def pending(self) -> int:
        """Jobs submitted whose results were not taken back yet."""
        return len(self._waiting)

    @property
    def ready(self) -> bool:
        """Whether the oldest job's result can be taken back without waiting."""
        return bool(self._waiting) and self._waiting[0][0].done()

    def submit(self, job: Callable[[], Any], size: int) -> None:
        """Run `job` after the jobs submitted before it; `size`: the input bytes it holds meanwhile."""
        future: Future[Any] = Future()
        self._work.put((future, job))
        self._waiting.append((future, size))
        self._bytes += size

    def put(self, result: Any) -> None:
        """A result known already, given back in its turn after those of the jobs submitted before it."""
        done: Future[Any] = Future()
        done.set_result(result)
        self._waiting.append((done, 0))

    def next_result(self) -> Any:
        """The oldest submitted job's result, waiting for it if need be (its exception is raised here)."""
        future, size = self._waiting.popleft()
        self._bytes -= size
        return future.result()

    def close(self, interrupted: bool = False) -> None:
        """End the thread's work: jobs not started are dropped; the one running is waited for, unless `interrupted`
        (and not `finish_on_error`)."""
        self._waiting.clear()
        self._stopped.set()
        self._work.put(None)
        if not interrupted or self._finish_on_error:
            self._thread.join()

    def _run(self) -> None:
        """The thread: each job in turn, its result or exception in its future, until close()."""
        while (work := self._work.get()) is not None:
            future, job = work
            if self._stopped.is_set() or not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as error:  # noqa: BLE001 - the job's failure is the caller's, raised by next_result
                future.set_exception(error)
