"""An encoder for the passes after the search: vectors the batch already has (its sentences and runs) are reused.

Absorption and the free-translation passes (align.absorb, align.condensed, align.matched_gaps) embed a pair's side,
its other side and the side joined with a one-sided neighbour: mostly single sentences and runs of two, which the
batch's embedding (align.use_runs) computed already. Encoding them again cost the wmt22 ru-en pair case 80 encoder
calls and 0.5-0.7 s (`python -m cProfile -s cumulative "$(command -v align)" run CASE --no-cache -f jsonl -q` at
0e52571); only texts the batch does not hold (a pair's two sentences joined with a third) are embedded now, all of
a call's in one batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Encode = Callable[[list[str]], np.ndarray]  # texts -> their vectors


@dataclass(frozen=True)
class KnownVectors:
    """`encode` for texts `known` lacks; the vectors of `known` for the rest (duplicates embedded once)."""

    encode: Encode
    known: Mapping[str, np.ndarray]

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self.known]
        if len(missing) == len(texts):
            return self.encode(texts)
        fresh = dict(zip(missing, self.encode(missing), strict=True)) if missing else {}
        return np.stack([self.known[text] if text in self.known else fresh[text] for text in texts]).astype(np.float32)


def known_texts(
    texts: Sequence[str], vectors: np.ndarray, runs: Sequence[tuple[int, int]], run_vectors: np.ndarray
) -> dict[str, np.ndarray]:
    """Each text's vector and each run's (texts[start:stop] joined by a space, as align.absorb joins them)."""
    known = dict(zip(texts, vectors, strict=True))
    known.update((" ".join(texts[start:stop]), vector) for (start, stop), vector in zip(runs, run_vectors, strict=True))
    return known
