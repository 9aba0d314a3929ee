"""Where documents are aligned: engines as plugins behind the `Engine` protocol, looked up by name, imported lazily.

`local` (this process), `processes` (worker processes on this machine, `--jobs N`) and `dask` (a Dask
cluster, extra `dask`). Every engine runs the same Pipeline and finishes each document with the runner's
`finish` (decisions, per-document files, statistics), so none restates the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from align.load import Input
    from align.pipeline import PipelineSpec
    from align.runner import Finisher, Outcome

REGISTRY: dict[str, str] = {
    "local": "align.engines.local:LocalEngine",
    "processes": "align.engines.processes:ProcessEngine",
    "dask": "align.engines.dask:DaskEngine",
}
ENGINE_NAMES = ("local", "dask")  # what --engine offers; "processes" is chosen by --jobs N > 1


class Engine(Protocol):
    """Aligns inputs somewhere and yields each one's Outcome in input order."""

    def outcomes(
        self, spec: PipelineSpec, inputs: Sequence[Input], finish: Finisher, details: dict[str, Any]
    ) -> Iterator[Outcome]:
        """Each input's Outcome in input order; `finish` turns a pipeline result into one (and writes its files),
        `details` takes engine-specific facts for the RunResult (e.g. the Dask manifest)."""
        ...


class EngineError(Exception):
    """An engine cannot run (a missing extra, an unreachable scheduler): one line for the user."""


def engine_for(name: str) -> Engine:
    """The engine called `name` (EngineError for an unknown one or one whose extra is not installed)."""
    target = REGISTRY.get(name)
    if target is None:
        raise EngineError(f"--engine {name!r}: use {' or '.join(ENGINE_NAMES)}")
    from align.plugins import loaded

    try:
        return loaded(target)()
    except ImportError as error:
        raise EngineError(f"--engine {name} needs its extra: pip install 'align[{name}]' ({error})") from None
