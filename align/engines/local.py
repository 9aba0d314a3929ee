"""The local engine: every document aligned in this process, in batches, one after the other; or, with --jobs 0
(the command line's default), in a worker process per core when there is enough to align (auto_jobs)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from align.load import STDIN, Input
from align.pipeline import LookAhead, PipelineSpec
from align.runner import AUTO_JOBS, Finisher, Outcome

AUTO_JOBS_MIN_BYTES = 256 * 2**10  # input bytes to align before --jobs 0 starts a worker per core: on 2 cores, 150 KB
# of news (120 files) aligned as fast in one process as in two, whose start-up (an interpreter, the encoder) ate the
# gain; 530 KB (wmt22 ru-en, 454 files) took 5.4 s in two against 7.0 s in one, the same outputs byte for byte
AUTO_JOBS_MAX = 4  # workers at most (each holds its own encoder and caches: about 200 MB)


class LocalEngine:
    """Pipeline.results in this process, each result finished here as it arrives (or auto_jobs' workers)."""

    def outcomes(
        self, spec: PipelineSpec, inputs: Sequence[Input], finish: Finisher, details: dict[str, Any]
    ) -> Iterator[Outcome]:
        if not inputs:
            return
        pipeline = spec.build()
        look = pipeline.look_ahead(inputs)
        jobs = auto_jobs(look, inputs) if finish.request.jobs == AUTO_JOBS else 1
        if jobs > 1:
            del look  # the workers read the files themselves: the bytes read ahead (up to 64 MiB) are let go of
            pipeline.close()
            from align.engines.processes import ProcessEngine

            yield from ProcessEngine(jobs).outcomes(spec, inputs, finish, details)
            return
        try:
            for item, (result, notes) in zip(inputs, pipeline.results(inputs, look=look), strict=True):
                yield finish(item, result, notes)
        finally:
            pipeline.close()  # the next run's open of the cache skips SQLite's check


def auto_jobs(look: LookAhead, inputs: Sequence[Input]) -> int:
    """Worker processes for --jobs 0: one per core (at most AUTO_JOBS_MAX) when the inputs left to align hold at
    least AUTO_JOBS_MIN_BYTES and none of them more than a worker's share; else 1 (this process: a re-check
    whose results are cached, a few small files, one long book, standard input)."""
    cores = os.cpu_count() or 1
    if cores < 2 or any(STDIN in item.paths for item in inputs):
        return 1
    sizes = [look.bytes_of(item) for item in look.to_align]
    if sum(sizes) < AUTO_JOBS_MIN_BYTES:
        return 1
    shares = sum(sizes) // max(sizes)  # workers the largest input leaves a full share to
    return max(1, min(cores, AUTO_JOBS_MAX, shares))
