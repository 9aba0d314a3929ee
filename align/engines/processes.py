"""The multi-process engine (--jobs N): chunks of documents aligned in N worker processes on this machine."""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any

from align.load import Input
from align.pipeline import Pipeline, PipelineSpec, Result, size_or_nothing
from align.runner import Finisher, Outcome

MAX_CHUNK = 16  # inputs per task at most (a worker embeds a chunk in one batch)
CHUNKS_PER_JOB = 4  # at least this many chunks per worker, for balance


class ProcessEngine:
    """Each worker loads the encoder once and takes its share of the cores; results come back in input order
    and are finished (decisions, files) in this process."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs

    def outcomes(
        self, spec: PipelineSpec, inputs: Sequence[Input], finish: Finisher, details: dict[str, Any]
    ) -> Iterator[Outcome]:
        jobs = min(self.jobs or finish.request.jobs, len(inputs))
        for item, (result, notes) in zip(inputs, results_in_processes(spec, inputs, jobs), strict=True):
            yield finish(item, result, notes)


def results_in_processes(spec: PipelineSpec, inputs: Sequence[Input], jobs: int) -> Iterator[Result]:
    """Align the inputs in `jobs` worker processes, yielding each result with its notes in input order."""
    threads = max(1, (os.cpu_count() or 1) // jobs)
    worker_spec = replace(spec, threads=threads)
    size = max(1, min(MAX_CHUNK, len(inputs) // (CHUNKS_PER_JOB * jobs)))
    chunks = [list(inputs[k : k + size]) for k in range(0, len(inputs), size)]
    context = multiprocessing.get_context("spawn")  # fork would copy BLAS thread pools and sqlite handles
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=start_worker, initargs=(worker_spec,)) as pool:
        work = functools.partial(worker_results, worker_spec)
        futures = {k: pool.submit(work, chunks[k]) for k in largest_first(chunks)}
        for k in range(len(chunks)):
            yield from futures.pop(k).result()


def largest_first(chunks: Sequence[Sequence[Input]]) -> list[int]:
    """The chunks' indices, the most bytes first (then in input order): the workers take tasks in the order they
    were submitted, and a long document started last keeps one worker busy while the others wait."""
    sizes = [sum(size_or_nothing(path) for item in chunk for path in item.paths) for chunk in chunks]
    return sorted(range(len(chunks)), key=lambda k: (-sizes[k], k))


@functools.cache
def worker_pipeline(spec: PipelineSpec) -> Pipeline:
    """This worker process's pipeline, built once; its cache closed cleanly when the worker exits (multiprocessing
    runs its finalizers then, not atexit's)."""
    from multiprocessing import util

    pipeline = spec.build()
    util.Finalize(pipeline, pipeline.close, exitpriority=0)
    return pipeline


@functools.cache
def blas_limit(threads: int | None) -> Any:
    """Hold every BLAS pool of this process to `threads` (numpy outside the encoder would otherwise start a
    thread per core in each worker, and their OpenBLAS threads spinning against each other made two jobs
    slower than one); the limit object is kept for the life of the process."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=threads)


def start_worker(spec: PipelineSpec) -> None:
    """Process-pool initializer: the BLAS limit and the pipeline, once per worker."""
    blas_limit(spec.threads)
    worker_pipeline(spec)


def worker_results(spec: PipelineSpec, items: list[Input]) -> list[Result]:
    return list(worker_pipeline(spec).results(items))
