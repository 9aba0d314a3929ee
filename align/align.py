"""Pair the RU and EN sentences of a document: monotonic dynamic programming over embedding similarities."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from align.model import Alignment, Bead, Document, Segment

NEG = -1e9


@dataclass(frozen=True)
class AlignOptions:
    """Knobs of the aligner; the defaults are tuned on the ../shared/bench dev corpora."""

    max_bead: int = 2  # most sentences on one side of a bead: 2 allows 1-2, 2-1 and 2-2
    threshold: float = 0.40  # similarity a pair must beat to be worth more than leaving both untranslated
    margin_weight: float = 0.5  # weight of the margin (CSLS-style) term against plain cosine
    margin_k: int = 4  # neighbours averaged for the margin
    merge_penalty: float = 0.15  # cost of each sentence a bead has beyond 1-1, so 1-1 wins ties
    length_weight: float = 0.02  # weight of the squared length-ratio deviation
    length_log_ratio: float = 0.0  # expected log(len_ru / len_en) in characters
    length_scale: float = 0.35  # its spread
    skip_penalty: float = 0.0  # cost of leaving one sentence untranslated
    confidence_slope: float = 12.0  # steepness of the score → confidence mapping


@dataclass(frozen=True)
class Link:
    """A bead as indices into the document's RU and EN sentence lists."""

    ru: tuple[int, ...]
    en: tuple[int, ...]
    score: float  # similarity score of a paired bead (0 for one-sided ones)


def bead_shapes(max_bead: int) -> list[tuple[int, int]]:
    """Every (ru, en) bead size up to `max_bead` per side, one-sided ones included."""
    shapes = [(a, b) for a in range(1, max_bead + 1) for b in range(1, max_bead + 1)]
    return [(1, 0), (0, 1)] + shapes


def group_vectors(vectors: np.ndarray, paragraphs: list[int], size: int) -> np.ndarray:
    """Row k: the normalised sum of vectors k-size+1..k; a zero row where those cross a paragraph or the start."""
    n, dim = vectors.shape
    grouped = np.zeros((n, dim), dtype=np.float32)
    if size == 1:
        return vectors.astype(np.float32, copy=False)
    para = np.asarray(paragraphs)
    for k in range(size - 1, n):
        if para[k - size + 1] == para[k]:
            grouped[k] = vectors[k - size + 1 : k + 1].sum(axis=0)
    norms = np.linalg.norm(grouped, axis=1, keepdims=True)
    return grouped / np.maximum(norms, 1e-12)


def neighbourhood(similarity: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Mean of the k highest similarities of each row (axis=1) or column (axis=0)."""
    size = similarity.shape[axis]
    if size == 0:
        return np.zeros(similarity.shape[1 - axis], dtype=np.float32)
    k = min(k, size)
    top = -np.partition(-similarity, k - 1, axis=axis)
    top = top[:, :k] if axis == 1 else top[:k, :]
    return top.mean(axis=axis)


def group_lengths(lengths: np.ndarray, size: int) -> np.ndarray:
    """Row k: the total character length of items k-size+1..k (0 where that starts before the list)."""
    totals = np.zeros_like(lengths, dtype=np.float64)
    for offset in range(size):
        totals[offset:] += lengths[: len(lengths) - offset] if offset else lengths
    totals[: size - 1] = 0
    return totals


def gain_matrices(
    ru_vecs: np.ndarray,
    en_vecs: np.ndarray,
    ru_doc: list[Segment],
    en_doc: list[Segment],
    options: AlignOptions,
) -> tuple[dict[tuple[int, int], np.ndarray], dict[tuple[int, int], np.ndarray]]:
    """For each paired bead shape, the gain and the similarity score of a bead ending at (ru k, en l)."""
    ru_par = [s.paragraph for s in ru_doc]
    en_par = [s.paragraph for s in en_doc]
    ru_len = np.array([len(s.text) for s in ru_doc], dtype=np.float64)
    en_len = np.array([len(s.text) for s in en_doc], dtype=np.float64)
    base = ru_vecs @ en_vecs.T
    ru_hood = neighbourhood(base, options.margin_k, axis=1)
    en_hood = neighbourhood(base, options.margin_k, axis=0)
    gains, scores = {}, {}
    for a, b in bead_shapes(options.max_bead)[2:]:
        ru_group = group_vectors(ru_vecs, ru_par, a)
        en_group = group_vectors(en_vecs, en_par, b)
        cosine = ru_group @ en_group.T
        hood = (group_mean(ru_hood, a)[:, None] + group_mean(en_hood, b)[None, :]) / 2
        score = cosine + options.margin_weight * (cosine - hood)
        ratio = np.log1p(group_lengths(ru_len, a))[:, None] - np.log1p(group_lengths(en_len, b))[None, :]
        deviation = ((ratio - options.length_log_ratio) / options.length_scale) ** 2
        gain = (a + b) / 2 * (score - options.threshold) - options.length_weight * np.minimum(deviation, 25)
        gain -= options.merge_penalty * (a + b - 2)
        valid = (np.linalg.norm(ru_group, axis=1) > 0)[:, None] & (np.linalg.norm(en_group, axis=1) > 0)[None, :]
        gains[(a, b)] = np.where(valid, gain, NEG)
        scores[(a, b)] = score
    return gains, scores


def group_mean(values: np.ndarray, size: int) -> np.ndarray:
    """Row k: the mean of values k-size+1..k."""
    if size == 1:
        return values
    totals = np.zeros_like(values)
    for offset in range(size):
        totals[offset:] += values[: len(values) - offset] if offset else values
    return totals / size


def best_links(
    ru_vecs: np.ndarray, en_vecs: np.ndarray, ru_doc: list[Segment], en_doc: list[Segment], options: AlignOptions
) -> list[Link]:
    """The highest-gain monotonic sequence of beads covering every sentence of both sides exactly once."""
    n, m = len(ru_doc), len(en_doc)
    if n == 0 or m == 0:
        return [Link((i,), (), 0.0) for i in range(n)] + [Link((), (j,), 0.0) for j in range(m)]
    gains, scores = gain_matrices(ru_vecs, en_vecs, ru_doc, en_doc, options)
    shapes = bead_shapes(options.max_bead)
    dp = np.full((n + 1, m + 1), NEG, dtype=np.float64)
    move = np.zeros((n + 1, m + 1), dtype=np.int8)
    skip = options.skip_penalty
    steps = np.arange(m + 1) * skip
    for i in range(n + 1):
        best = np.full(m + 1, NEG)
        best_move = np.zeros(m + 1, dtype=np.int8)
        if i == 0:
            best[0] = 0.0
        else:
            update(best, best_move, dp[i - 1] - skip, 0)
            for index, (a, b) in enumerate(shapes[2:], start=2):
                if i - a < 0:
                    continue
                candidate = np.full(m + 1, NEG)
                candidate[b:] = dp[i - a, : m + 1 - b] + gains[(a, b)][i - 1, b - 1 :]
                update(best, best_move, candidate, index)
        # 0-1 beads chain along the row: dp[j] = max(best[j], dp[j-1] - skip)
        lifted = best + steps
        running = np.maximum.accumulate(lifted)
        dp[i] = running - steps
        from_left = lifted < running
        move[i] = np.where(from_left, 1, best_move)
    return trace(move, shapes, scores, n, m)


def update(best: np.ndarray, best_move: np.ndarray, candidate: np.ndarray, index: int) -> None:
    """Keep, per column, the better of the current best and the candidate (ties keep the current)."""
    better = candidate > best
    best[better] = candidate[better]
    best_move[better] = index


def trace(
    move: np.ndarray, shapes: list[tuple[int, int]], scores: dict[tuple[int, int], np.ndarray], n: int, m: int
) -> list[Link]:
    """Follow the back-pointers from the end to the start and return the beads in document order."""
    links: list[Link] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = shapes[move[i, j]]
        ru = tuple(range(i - a, i))
        en = tuple(range(j - b, j))
        score = float(scores[(a, b)][i - 1, j - 1]) if a and b else 0.0
        links.append(Link(ru, en, score))
        i, j = i - a, j - b
    links.reverse()
    return links


def confidence(score: float, options: AlignOptions) -> float:
    """Map a bead's similarity score to [0, 1]; 0.5 sits at the pairing threshold."""
    return 1.0 / (1.0 + math.exp(-options.confidence_slope * (score - options.threshold)))


def beads_of(document: Document, links: list[Link], options: AlignOptions) -> list[Bead]:
    """Turn index links into beads and slot the other-language sentences in by position."""
    beads = [
        Bead(
            ru=tuple(document.ru[i] for i in link.ru),
            en=tuple(document.en[j] for j in link.en),
            score=round(confidence(link.score, options), 4) if link.ru and link.en else 0.0,
        )
        for link in links
    ]
    return with_other_segments(beads, document.other)


def with_other_segments(beads: list[Bead], others: list[Segment]) -> list[Bead]:
    """Insert one bead per other-language sentence before the first bead that starts after it in its file."""
    if not others:
        return beads
    result = list(beads)
    for other in sorted(others, key=lambda s: (s.file, s.start), reverse=True):
        keys = [first_start(bead, other.file) for bead in result]
        position = next((p for p, k in enumerate(keys) if k > other.start), len(result))
        result.insert(position, Bead(ru=(), en=(), score=0.0, other=(other,)))
    return result


def first_start(bead: Bead, file: str) -> int:
    """Start offset of the bead's first segment in `file`, or -1 when it has none there."""
    starts = [s.start for s in bead.ru + bead.en + bead.other if s.file == file]
    return min(starts) if starts else -1


def align_document(
    document: Document, ru_vecs: np.ndarray, en_vecs: np.ndarray, options: AlignOptions | None = None
) -> Alignment:
    """Align one document whose sentences are already embedded."""
    options = options or AlignOptions()
    links = best_links(ru_vecs, en_vecs, document.ru, document.en, options)
    return Alignment(document=document, beads=beads_of(document, links, options))
