"""Score align on ../shared/bench cases in-process, with the embedding cache, for quick option tuning.

usage: python bench/tune.py CASES_ROOT [--corpora a b] [--modes pair mixed] [--set name=value ...]
(`--set absorb_min_gain=none` turns the passes after the search off: absorb, condensed, matched_gaps)
CASES_ROOT holds folders <corpus>.<mode> made by ../shared/bench/make_cases.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from quality import CORPORA  # bench/ is on sys.path when this script runs

from align.align import AlignOptions
from align.cache import cache_path
from align.cached_encoder import CachedEncoder
from align.encoders import encoder_for
from align.load import find_inputs
from align.pipeline import Pipeline
from align.writers.jsonl import jsonl_text

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"


def parsed_options(pairs: list[str]) -> AlignOptions:
    values = {}
    types = {f.name: f.type for f in dataclasses.fields(AlignOptions)}
    for pair in pairs:
        name, value = pair.split("=", 1)
        if value.lower() == "none":  # an optional pass turned off, e.g. absorb_min_gain=none
            values[name] = None
        else:
            values[name] = int(value) if types[name] in (int, "int") else float(value)
    return AlignOptions(**values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cases_root")
    parser.add_argument("--corpora", nargs="*", default=CORPORA)
    parser.add_argument("--modes", nargs="*", default=["pair", "mixed"])
    parser.add_argument("--set", nargs="*", default=[])
    parser.add_argument("--pred", default="/tmp/align-tune-pred")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    import score

    pipeline = Pipeline(CachedEncoder(encoder_for("use"), cache_path()), parsed_options(args.set))
    print("| corpus | mode | strict F1 | link F1 | untr P | untr R | untr F1 | 2-1/1-2 R | cov | s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for corpus in args.corpora:
        for mode in args.modes:
            cases = Path(args.cases_root) / f"{corpus}.{mode}"
            pred = Path(args.pred) / f"{corpus}.{mode}"
            pred.mkdir(parents=True, exist_ok=True)
            for old in pred.glob("*.jsonl"):
                old.unlink()
            start = time.perf_counter()
            inputs, errors = find_inputs([str(p) for p in sorted(cases.glob("*.txt"))])
            for result, _ in pipeline.results(inputs):
                if isinstance(result, Exception):
                    print(result, file=sys.stderr)
                    continue
                (pred / f"{result.document.name}.jsonl").write_text(jsonl_text(result), encoding="utf-8")
            seconds = time.perf_counter() - start
            s = score.score(str(cases), str(pred))["summary"]
            u = s["untranslated"]
            print(
                f"| {corpus} | {mode} | {s['strict']['f1']:.3f} | {s['link']['f1']:.3f} | {u['p']:.3f} | "
                f"{u['r']:.3f} | {u['f1']:.3f} | {s['strict_recall_n-m']:.3f} "
                f"| {s['coverage']:.3f} | {seconds:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
