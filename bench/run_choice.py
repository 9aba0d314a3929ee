"""What align/run_choice.py costs the search: the beads it changes and the share of runs it leaves unembedded.

usage: python bench/run_choice.py [--bench ../shared/bench] [--work bench-work/run_choice] [--seeds 1 2]
       [--cosine 0.7]
Makes the pair-mode dev cases of each seed (make_cases.py), aligns them in-process with every run embedded (the
cached encoder), and for each document runs the search again with the runs run_choice would leave out standing for
the normalised sum of their sentences' vectors. Prints per corpus and seed: runs, runs left out, and the search's
beads (align.align.align_document, before the passes after it) that differ.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from unittest import mock

import numpy as np
from same_outputs import CORPORA  # bench/: the dev corpora every bench script goes through

import align.batch_search
import align.pipeline
import align.run_choice as run_choice
from align.align import align_document
from align.cache import cache_path
from align.cached_encoder import CachedEncoder
from align.encoders.use import UseEncoder
from align.load import find_inputs

HERE = Path(__file__).resolve().parent


def searched_inputs(cases: Path) -> list[tuple]:
    """align_document's arguments for every document of a case folder, every run embedded."""
    captured: list[tuple] = []

    def spy(*args: object) -> object:
        captured.append(args)
        return align_document(*args)

    every_run = lambda vectors, sides: np.ones(sum(len(side[3]) for side in sides), dtype=bool)  # noqa: E731
    pipeline = align.pipeline.Pipeline(CachedEncoder(UseEncoder(), cache_path()))
    with (
        mock.patch.object(align.batch_search, "align_document", spy),
        mock.patch.object(run_choice, "runs_worth_embedding", every_run),
    ):
        inputs, _ = find_inputs([str(path) for path in sorted(cases.glob("*.txt"))])
        for _ in pipeline.results(inputs):
            pass
    return captured


def with_runs_left_out(groups: dict, vectors: np.ndarray, runs: list[tuple[int, int]], needed: np.ndarray) -> dict:
    """Side.groups with each run left out standing for the normalised sum of its sentences."""
    out = {size: rows.copy() for size, rows in groups.items()}
    for (start, stop), kept in zip(runs, needed, strict=True):
        if not kept:
            out[stop - start][stop - 1] = run_choice.sum_vectors(vectors, [(start, stop)])[0]
    return out


def embedded_runs(groups: dict[int, np.ndarray]) -> list[tuple[int, int]]:
    """The runs (start, stop) a side's groups hold: row k of size n non-zero is the run ending at sentence k."""
    return [(k - size + 1, k + 1) for size, rows in sorted(groups.items()) for k in range(len(rows)) if rows[k].any()]


def compared(captured: list[tuple]) -> dict[str, int]:
    """Runs, runs left out, and beads that differ, over the documents."""
    counts = {"runs": 0, "left_out": 0, "beads": 0, "beads_changed": 0}
    for document, ru_vectors, en_vectors, options, ru_groups, en_groups in captured:
        ru_runs, en_runs = (embedded_runs(groups) for groups in (ru_groups, en_groups))
        placed = [(0, len(document.ru), 0, ru_runs), (len(document.ru), len(document.en), len(ru_runs), en_runs)]
        needed = run_choice.runs_worth_embedding(np.concatenate([ru_vectors, en_vectors]), placed)
        counts["runs"] += len(needed)
        counts["left_out"] += int((~needed).sum())
        pruned_ru = with_runs_left_out(ru_groups, ru_vectors, ru_runs, needed[: len(ru_runs)])
        pruned_en = with_runs_left_out(en_groups, en_vectors, en_runs, needed[len(ru_runs) :])
        before = align_document(document, ru_vectors, en_vectors, options, ru_groups, en_groups)
        after = align_document(document, ru_vectors, en_vectors, options, pruned_ru, pruned_en)
        shapes = [
            {(tuple(s.start for s in b.ru), tuple(s.start for s in b.en)) for b in a.beads} for a in (before, after)
        ]
        counts["beads"] += len(shapes[0])
        counts["beads_changed"] += len(shapes[0] - shapes[1])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=HERE.parents[1] / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("bench-work/run_choice"))
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--cosine", type=float, default=run_choice.CONFIDENT_COSINE)
    args = parser.parse_args()
    run_choice.CONFIDENT_COSINE = args.cosine
    for seed in args.seeds:
        for corpus in CORPORA:
            cases = args.work / f"seed{seed}" / f"{corpus}.pair"
            if not (cases / "gold.jsonl").exists():
                command = [sys.executable, str(args.bench / "make_cases.py"), str(args.bench / "corpora" / corpus)]
                subprocess.run([*command, str(cases), "--mode", "pair", "--seed", str(seed), "--force"], check=True)
            print(
                json.dumps({"corpus": corpus, "seed": seed, "cosine": args.cosine, **compared(searched_inputs(cases))})
            )


if __name__ == "__main__":
    main()
