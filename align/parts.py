"""A merged bead's lead over its best part: two sentences paired with one must match it better than either alone.

A translator's merge (two English sentences said in one Russian one) shows in the score: the two sentences read
together match the merged one better than the better of them alone does. A sentence left without translation
beside a pair does not: the run of the pair's sentence and it scores about as well as the pair's sentence alone
(it carries the run), and the sentence search, which weighs a bead by its size, took the run. Scorer.gains
(align.align) charges a merged bead AlignOptions.part_weight per unit of score by which it fails to beat its best
part by AlignOptions.part_lead, so that such a sentence is left one-sided; the figures are in docs/quality-history.md.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Scores = Callable[[int, int, np.ndarray, int, int], np.ndarray]  # (a, b, items, first, last) -> Scorer.score_block


def best_part_scores(scores: Scores, shape: tuple[int, int], items: np.ndarray, first: int, last: int) -> np.ndarray:
    """For the a-b beads (`shape`) whose RU side ends at each sentence of `items` and EN side at sentences
    first..last (a row per item): the best score of one sentence of a merged side (more than one sentence) with the
    whole other side (-inf: none)."""
    a, b = shape
    best = np.full((len(items), last - first + 1), -np.inf)
    for back in range(a) if a > 1 else ():  # the RU sentence `back` before each bead's last
        best = np.maximum(best, scores(1, b, items - back, first, last))
    for offset in range(b) if b > 1 else ():  # the EN sentence `offset` before each bead's last
        part = np.full(best.shape, -np.inf)
        start = max(first - offset, 0)
        if start <= last - offset:
            part[:, start + offset - first :] = scores(a, 1, items, start, last - offset)
        best = np.maximum(best, part)
    return best
