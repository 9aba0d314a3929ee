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

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

AHEAD_BYTES = 8 << 20  # input bytes submitted and not yet taken back: a few batches of documents, never a corpus
AHEAD_JOBS = 512  # jobs submitted and not yet taken back (small files: the byte bound alone would allow thousands)


class Ahead:
    """A worker thread running submitted jobs in order; `next_result` gives the oldest job's result (or raises
    its exception) once it is done."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="align-ahead")
        self._waiting: deque[tuple[Future[Any], int]] = deque()
        self._bytes = 0

    def __enter__(self) -> Ahead:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    @property
    def full(self) -> bool:
        """Whether enough waits already: take a result back before submitting more."""
        return self._bytes >= AHEAD_BYTES or len(self._waiting) >= AHEAD_JOBS

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
        self._waiting.append((self._executor.submit(job), size))
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

    def close(self) -> None:
        """Stop the thread: jobs not started are dropped, the one running is let finish (threads cannot be killed;
        one job is one input's segmenting and labelling)."""
        self._waiting.clear()
        self._executor.shutdown(wait=True, cancel_futures=True)
