"""The search's dynamic programme over bead gains: the best move into each cell of a band, row by row, and the
back-trace from the last cell to the first (the gains and scores come from align.align.Scorer)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from align.align import Scorer

NEG = -1e9  # the gain of an impossible bead
BLOCK_ROWS = 64  # DP rows whose bead gains are computed together, one matrix product per bead shape ...
BLOCK_CELLS = 2**16  # ... fewer when the band is so wide that a block would hold more cells than this


@dataclass(frozen=True)
class Link:
    """A bead as indices into the document's RU and EN sentence lists."""

    ru: tuple[int, ...]
    en: tuple[int, ...]
    score: float  # similarity score of a paired bead (0 for one-sided ones)
    rival: float = math.nan  # the best score of a bead one sentence longer or shorter at either end (NaN: none)
    loose: bool = False  # paired as a whole, not sentence by sentence (align.loose, condensed, matched_gaps)


def bead_shapes(max_bead: int) -> list[tuple[int, int]]:
    """Every (ru, en) bead size up to `max_bead` per side, one-sided ones first."""
    shapes = [(a, b) for a in range(1, max_bead + 1) for b in range(1, max_bead + 1)]
    return [(1, 0), (0, 1)] + shapes


def banded_moves(
    scorer: Scorer, shapes: list[tuple[int, int]], lo: np.ndarray, hi: np.ndarray, skip: float
) -> list[np.ndarray]:
    """Run the DP row by row inside the band; return, per row, the best move into each column."""
    n = len(lo) - 1
    block = max(1, min(BLOCK_ROWS, BLOCK_CELLS // int(np.max(hi - lo) + 1)))
    rows: list[np.ndarray] = []
    moves: list[np.ndarray] = []
    gains: dict[tuple[int, int], np.ndarray] = {}
    for i in range(n + 1):
        width = hi[i] - lo[i] + 1
        best = np.full(width, NEG)
        best_move = np.zeros(width, dtype=np.int8)
        if i == 0:
            best[0] = 0.0
        else:
            if (i - 1) % block == 0:
                gains = block_gains(scorer, shapes, lo, hi, range(i, min(n + 1, i + block)))
            update(best, best_move, shifted(rows[i - 1], lo[i - 1], hi[i - 1], lo[i], hi[i], 0) - skip, 0)
            for index, (a, b) in enumerate(shapes[2:], start=2):
                gain = gains.get((index, i))
                if gain is None:  # the row cannot end that bead
                    continue
                first_col = max(lo[i], b)
                previous = shifted(rows[i - a], lo[i - a], hi[i - a], first_col, hi[i], b)
                start = first_col - lo[i]  # columns before it cannot take the bead (NEG never beats best)
                update(best[start:], best_move[start:], previous + gain, index)
        steps = np.arange(width) * skip  # 0-1 beads chain along the row: dp[j] = max(best[j], dp[j-1] - skip)
        lifted = best + steps
        running = np.maximum.accumulate(lifted)
        rows.append(running - steps)
        moves.append(np.where(lifted < running, 1, best_move).astype(np.int8))
    return moves


def block_gains(
    scorer: Scorer, shapes: list[tuple[int, int]], lo: np.ndarray, hi: np.ndarray, rows: range
) -> dict[tuple[int, int], np.ndarray]:
    """Per (shape index, DP row i of `rows`), the gains of that bead ending at RU item i-1 and each EN column the
    row can end it at (Scorer.gain_rows: one block per shape); rows that cannot end the bead are left out."""
    found: dict[tuple[int, int], np.ndarray] = {}
    for index, (a, b) in enumerate(shapes[2:], start=2):
        taken = [i for i in rows if i >= a and max(lo[i], b) <= hi[i]]
        if not taken:
            continue
        firsts = [max(int(lo[i]), b) - 1 for i in taken]
        lasts = [int(hi[i]) - 1 for i in taken]
        gains = scorer.gain_rows(a, b, np.array(taken) - 1, firsts, lasts)
        found.update(zip([(index, i) for i in taken], gains, strict=True))
    return found


def shifted(values: np.ndarray, v_lo: int, v_hi: int, lo: int, hi: int, offset: int) -> np.ndarray:
    """values[j - offset] for each column j in lo..hi, where `values` covers columns v_lo..v_hi (NEG outside)."""
    out = np.full(hi - lo + 1, NEG)
    start, stop = max(lo, v_lo + offset), min(hi, v_hi + offset)
    if start <= stop:
        out[start - lo : stop - lo + 1] = values[start - offset - v_lo : stop - offset - v_lo + 1]
    return out


def update(best: np.ndarray, best_move: np.ndarray, candidate: np.ndarray, index: int) -> None:
    """Keep, per column, the better of the current best and the candidate (ties keep the current)."""
    better = candidate > best
    np.copyto(best, candidate, where=better)
    np.copyto(best_move, index, where=better)


def trace(moves: list[np.ndarray], lo: np.ndarray, shapes: list[tuple[int, int]], scorer: Scorer) -> list[Link]:
    """Follow the back-pointers from the end to the start and return the beads in document order."""
    links: list[Link] = []
    i, j = len(moves) - 1, int(lo[-1] + len(moves[-1]) - 1)
    while i > 0 or j > 0:
        a, b = shapes[moves[i][j - lo[i]]]
        score = float(scorer.scores(a, b, i - 1, j - 1, j - 1)[0]) if a and b else 0.0
        rival = scorer.rival(a, b, i - 1, j - 1) if a and b else math.nan
        links.append(Link(tuple(range(i - a, i)), tuple(range(j - b, j)), score, rival))
        i, j = i - a, j - b
    links.reverse()
    return links
