"""Where `align run` spends its wall time: one run with a timer around each stage.

usage: python bench/stages.py INPUT_FOLDER   (runs `align run INPUT --no-cache -f jsonl --jobs 1` in-process)
Prints seconds for start-up imports, the encoder build (memory-mapped weights, tokeniser, the run encoder's
self-check: in a thread started with the first document, so it overlaps segmenting and labelling, and what is
left of it is waited for inside the first embedding), reading + segmenting + labelling (and the part of it in
lingua: its low-accuracy screen, and its full models for the texts that screen cannot settle, loading those of the
scripts a text needs included), embedding (and the part of it spent on runs),
the search, the passes after it (absorption, free translation) and writing.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable

START = time.perf_counter()

import align.align  # noqa: E402 - imported after START on purpose: their import time is part of the figure
import align.aligner  # noqa: E402
import align.encoders.use  # noqa: E402
import align.language  # noqa: E402
import align.pipeline  # noqa: E402
import align.runner  # noqa: E402
import align.third_language  # noqa: E402
import align.use_runs  # noqa: E402
from align.cli import main as align_main  # noqa: E402


def timing(owner: object, name: str, label: str, totals: Counter) -> None:
    """Replace owner.name by a wrapper adding its wall time to totals[label]."""
    function: Callable = getattr(owner, name)
    totals[label] += 0.0  # printed in the order the stages are named here, nested ones under their stage

    @functools.wraps(function)
    def wrapper(*args: object, **kwargs: object) -> object:
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - began

    setattr(owner, name, wrapper)


def main() -> None:
    totals: Counter = Counter()
    timing(align.pipeline.Pipeline, "_document_of_sources", "segment + label (files read before)", totals)
    timing(align.third_language.LowAccuracyScreen, "settled", "  of which lingua's low-accuracy screen", totals)
    timing(
        align.language.LanguageIdentifier, "confidence_values", "  of which lingua's full models (loads incl.)", totals
    )
    timing(align.language.LanguageIdentifier, "load_models", "    of which loading lingua's full models", totals)
    timing(align.encoders.use.UseEncoder, "_build_quietly", "encoder build (in its thread from load() on)", totals)
    timing(align.use_runs.FastRuns, "encode", "embed sentences and runs", totals)
    timing(align.use_runs.FastRuns, "run_vectors", "  of which runs", totals)
    timing(align.aligner, "searched", "search (DP)", totals)
    timing(align.aligner.Aligner, "_after_search", "passes after the search (their embedding included)", totals)
    timing(align.runner, "write_document", "write documents", totals)
    imports = time.perf_counter() - START
    with tempfile.TemporaryDirectory() as out:
        # --jobs 1: the stages of one process (--jobs 0 would hand a large input to worker processes, out of sight)
        sys.argv = ["align", "run", sys.argv[1], "--out", out, "-q", "-f", "jsonl", "--no-cache", "--jobs", "1"]
        began = time.perf_counter()
        with contextlib.suppress(SystemExit):  # typer ends with sys.exit(code)
            align_main()
        total = time.perf_counter() - began
    print(f"start-up imports: {imports:.2f} s\nalign run: {total:.2f} s")
    for label, seconds in totals.items():
        print(f"{label}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
