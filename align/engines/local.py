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
        for item, (result, notes) in zip(inputs, spec.build().results(inputs), strict=True):
            yield finish(item, result, notes)
