"""The local engine: every document aligned in this process, in batches, one after the other."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import Any

from align.ahead import Ahead
from align.load import Input
from align.pipeline import PipelineSpec
from align.runner import Finisher, Outcome

FINISHING_JOBS = 8  # results waiting for their files to be written: writing keeps up; memory stays small


class LocalEngine:
    """Pipeline.results in this process, each result finished (its files written) on a thread as it arrives, while
    the pipeline goes on with the next inputs; the outcomes in input order."""

    def outcomes(
        self, spec: PipelineSpec, inputs: Sequence[Input], finish: Finisher, details: dict[str, Any]
    ) -> Iterator[Outcome]:
        if not inputs:
            return
        pipeline = spec.build()
        try:
            with Ahead(FINISHING_JOBS, finish_on_error=True) as finishing:  # a file being written is finished
                for item, (result, notes) in zip(inputs, pipeline.results(inputs), strict=True):
                    finishing.submit(functools.partial(finish, item, result, notes), 0)
                    while finishing.ready or finishing.full:
                        yield finishing.next_result()
                while finishing.pending:
                    yield finishing.next_result()
        finally:
            pipeline.close()  # the next run's open of the cache skips SQLite's check
