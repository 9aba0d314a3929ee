"""The local engine: every document aligned in this process, in batches, one after the other."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from align.load import Input
from align.pipeline import PipelineSpec
from align.runner import Finisher, Outcome


class LocalEngine:
    """Pipeline.results in this process, each result finished here as it arrives."""

    def outcomes(
        self, spec: PipelineSpec, inputs: Sequence[Input], finish: Finisher, details: dict[str, Any]
    ) -> Iterator[Outcome]:
        if not inputs:
            return
        pipeline = spec.build()
        try:
            for item, (result, notes) in zip(inputs, pipeline.results(inputs), strict=True):
                yield finish(item, result, notes)
        finally:
            pipeline.close()  # the next run's open of the cache skips SQLite's check
