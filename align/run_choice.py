"""Which runs of sentences are worth embedding: not those whose sentences each have their own sure translation.

A run (two sentences of one side, embedded together) serves a merged bead, a 2-1 or 1-2. When every sentence of
the run is the mutual best match of a sentence of the other side at cosine at least CONFIDENT_COSINE, and those
partners follow each other in order, the sentences are translated one by one: the search keeps them 1-1 whatever
the run's vector. Such a run is not embedded and stands for the normalised sum of its sentences' vectors, as a run
nobody embedded always has in align.align. On the dev bench's pair cases (`python bench/run_choice.py`, seeds 1
and 2) that leaves out 39-55 % of the runs of the news, health and Tatoeba corpora and 3 % of the literary one's
(two of its 15 works are over MAX_SCORED_PAIRS), and changes none of the search's beads; `--cosine 0.6` leaves
out 49-69 % and 10 %, also changing none, but was not weighed through the passes after the search and the
confidences. Embedding runs cost about a tenth of a cold run's time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from align.encoders import normalised
from align.model import Span

CONFIDENT_COSINE = 0.7  # a mutual best match at least this close is a sentence's own sure translation
MAX_SCORED_PAIRS = 4_000_000  # a document with more sentence pairs than this (2,000 x 2,000) embeds every run: its
# score matrix (16 MB here) would grow with the square of its length


def sure_partners(vectors: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of `vectors`, and per row of `others`: the row of the other that is its mutual best match at
    cosine >= CONFIDENT_COSINE, else -1 (one score matrix for both ways)."""
    if not len(vectors) or not len(others):
        return np.full(len(vectors), -1, dtype=np.int64), np.full(len(others), -1, dtype=np.int64)
    scores = vectors @ others.T
    best, back = scores.argmax(axis=1), scores.argmax(axis=0)
    rows, columns = np.arange(len(vectors)), np.arange(len(others))
    sure = (back[best] == rows) & (scores[rows, best] >= CONFIDENT_COSINE)
    sure_back = (best[back] == columns) & (scores[back, columns] >= CONFIDENT_COSINE)
    return np.where(sure, best, -1), np.where(sure_back, back, -1)


def runs_needed(runs: Sequence[Span], partners: np.ndarray) -> np.ndarray:
    """Per run (start, stop) of one side: False when its sentences' sure partners follow each other in order."""
    needed = np.ones(len(runs), dtype=bool)
    for r, (start, stop) in enumerate(runs):
        mine = partners[start:stop]
        needed[r] = bool((mine < 0).any() or (np.diff(mine) != 1).any())
    return needed


def sum_vectors(vectors: np.ndarray, runs: Sequence[Span]) -> np.ndarray:
    """Per run: the normalised sum of its sentences' vectors (what align.align.group_vectors gives a run)."""
    if not runs:
        return np.zeros((0, vectors.shape[1]), dtype=np.float32)
    return normalised(np.stack([vectors[start:stop].sum(axis=0) for start, stop in runs]))


def runs_worth_embedding(vectors: np.ndarray, sides: Sequence[tuple[int, int, int, Sequence[Span]]]) -> np.ndarray:
    """A mask over every run of `sides` (each: its first text, its number of texts, its first run, its runs
    counted from its first text), which go two by two as a document's two languages: False for a run whose
    sentences each have a sure partner on the other side, in order (every run of a document over MAX_SCORED_PAIRS
    is kept)."""
    needed = np.ones(sum(len(side[3]) for side in sides), dtype=bool)
    for one, other in zip(sides[::2], sides[1::2], strict=True):
        if one[1] * other[1] > MAX_SCORED_PAIRS:
            continue
        own, theirs = (vectors[first : first + count] for first, count, _, _ in (one, other))
        for (_, _, first_run, runs), partners in zip((one, other), sure_partners(own, theirs), strict=True):
            needed[first_run : first_run + len(runs)] = runs_needed(runs, partners)
    return needed


@dataclass
class RunMask:
    """runs_worth_embedding of one batch's sides, computed once for the same vectors: the encoder asks it with the
    texts' vectors, and the pipeline again with those the encoder returns."""

    sides: Sequence[tuple[int, int, int, Sequence[Span]]]
    _last: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def __call__(self, vectors: np.ndarray) -> np.ndarray:
        if self._last is not None and np.array_equal(self._last[0], vectors):
            return self._last[1]
        needed = runs_worth_embedding(vectors, self.sides)
        self._last = (np.array(vectors, copy=True), needed)
        return needed
