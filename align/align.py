"""Pair the RU and EN sentences of a document: monotonic dynamic programming over embedding similarities."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from align.blas import one_blas_thread
from align.dp import NEG, Link, banded_moves, bead_shapes, trace
from align.loose import LOOSE_CONFIDENCE, with_loose_pairs
from align.model import Alignment, Bead, Document, Segment, Span
from align.options import AlignOptions, Calibration
from align.parts import best_part_scores
from align.placement import with_other_segments
from align.shifted import unshifted

MIN_NORM = 1e-12  # a vector shorter than this is a zero vector: left as it is instead of divided by ~0
MAX_FINITE_ENTRY = 1e6  # vectors with entries at most this large have finite dot products (float32)
MAX_LENGTH_DEVIATION = 25.0  # a length-ratio deviation counts at most this much (5 spreads), however far off


UNRELATED_MAX_CONFIDENCE = 0.5  # what a pair between texts that look unrelated may reach at most
EVEN = 0.5  # the evidence model maps onto [EVEN, 1]: a pair the aligner chose over leaving both sides unpaired is
# never "low-confidence" for its context alone (below 0.5 only near the pairing threshold or between unrelated texts)
CROSSING_MAX_SCORE = 0.8  # a 1-1 pair crossing its neighbour's paragraphs and scoring less is two omissions
# facing each other (news dev pair cases, seeds 1 and 2: the 7 such pairs below 0.8 all wrong, the 7 above right)
GAP_CAP = 0.3  # a bead's lead over its rival shapes counts up to this much either way (also: no rival at all)


@dataclass(frozen=True)
class Side:
    """One side of a document as the aligner sees it: unit vectors, lengths in characters, paragraph ids."""

    vectors: np.ndarray
    lengths: np.ndarray
    paragraphs: np.ndarray
    groups: dict[int, np.ndarray] = field(default_factory=dict)  # size -> vectors of embedded runs (see run_groups)

    @classmethod
    def of(cls, vectors: np.ndarray, segments: list[Segment], groups: dict[int, np.ndarray] | None = None) -> Side:
        return cls(
            np.asarray(vectors, dtype=np.float32),
            np.array([len(s.text) for s in segments], dtype=np.float64),
            np.array([s.paragraph for s in segments], dtype=np.int64),
            groups or {},
        )

    def group(self, size: int) -> np.ndarray:
        """Row k: the vector of sentences k-size+1..k together (zero where they cross a paragraph)."""
        if size in self.groups:
            return self.groups[size]
        return group_vectors(self.vectors, self.paragraphs, size)

    def __len__(self) -> int:
        return len(self.lengths)


def merge_runs(segments: list[Segment], max_bead: int) -> list[Span]:
    """Every run of 2..max_bead consecutive sentences inside one paragraph: the texts a merged bead embeds."""
    return [
        (stop - size, stop)
        for size in range(2, max_bead + 1)
        for stop in range(size, len(segments) + 1)
        if segments[stop - size].paragraph == segments[stop - 1].paragraph
    ]


def run_groups(runs: list[Span], vectors: np.ndarray, count: int) -> dict[int, np.ndarray]:
    """Side.groups from embedded runs: per size, row k is the run ending at sentence k (zero where there is none)."""
    groups: dict[int, np.ndarray] = {}
    for (start, stop), vector in zip(runs, vectors, strict=True):
        size = stop - start
        if size not in groups:
            groups[size] = np.zeros((count, len(vector)), dtype=np.float32)
        groups[size][stop - 1] = vector
    return groups


def group_vectors(vectors: np.ndarray, paragraphs: np.ndarray, size: int) -> np.ndarray:
    """Row k: the normalised sum of vectors k-size+1..k; a zero row where those cross a paragraph or the start."""
    if size == 1:
        return vectors
    if size > len(vectors):  # no run that long on this side (a 3-line file, beads of up to 5): none valid
        return np.zeros_like(vectors)
    totals = window_sums(vectors, size)
    same = np.zeros(len(vectors), dtype=bool)
    same[size - 1 :] = paragraphs[size - 1 :] == paragraphs[: len(paragraphs) - size + 1]
    totals[~same] = 0.0
    norms = np.linalg.norm(totals, axis=1, keepdims=True)
    return (totals / np.maximum(norms, MIN_NORM)).astype(np.float32)


def window_sums(values: np.ndarray, size: int) -> np.ndarray:
    """Row k: the sum of rows k-size+1..k (only rows k >= size-1 are meaningful; the others are partial)."""
    totals = np.array(values, dtype=np.float64 if values.ndim == 1 else np.float32, copy=True)
    for offset in range(1, min(size, len(values))):  # a run longer than the side: no row to add (3 lines, beads of 5)
        totals[offset:] += values[: len(values) - offset]
    return totals


def finite_margins(hoods: Sequence[np.ndarray], groups: Sequence[np.ndarray]) -> bool:
    """Whether every cosine minus hood is finite: finite neighbourhoods, and vectors finite and small enough that no
    dot product overflows (then Scorer.scores need not replace NaN margins)."""
    return all(np.isfinite(h).all() for h in hoods) and all(
        np.isfinite(g).all() and np.abs(g).max(initial=0.0) <= MAX_FINITE_ENTRY for g in groups
    )


def top_mean(values: np.ndarray, k: int, skip: int = 0) -> float:
    """Mean of the k largest values after the `skip` largest (fewer when there are not enough; NaN for none)."""
    if len(values) <= skip:
        return math.nan
    if len(values) <= k + skip:
        return float(np.sort(values)[: len(values) - skip].mean())
    top = np.partition(values, len(values) - k - skip)[len(values) - k - skip :]
    return float(np.sort(top)[:k].mean())


@dataclass
class Scorer:
    """Similarity scores and DP gains of beads, computed a band row at a time."""

    ru: Side
    en: Side
    options: AlignOptions
    ru_hood: np.ndarray
    en_hood: np.ndarray

    def __post_init__(self) -> None:
        sizes = range(1, self.options.max_bead + 1)
        self.ru_groups = {a: self.ru.group(a) for a in sizes}
        self.en_groups = {b: self.en.group(b) for b in sizes}
        self.ru_valid = {a: np.linalg.norm(g, axis=1) > 0 for a, g in self.ru_groups.items()}
        self.en_valid = {b: np.linalg.norm(g, axis=1) > 0 for b, g in self.en_groups.items()}
        self.ru_hoods = {a: window_sums(self.ru_hood, a) / a for a in sizes}
        self.en_hoods = {b: window_sums(self.en_hood, b) / b for b in sizes}
        self.ru_lengths = {a: np.log1p(window_sums(self.ru.lengths, a)) for a in sizes}
        self.en_lengths = {b: np.log1p(window_sums(self.en.lengths, b)) for b in sizes}
        self.finite = finite_margins(
            [*self.ru_hoods.values(), *self.en_hoods.values()], [*self.ru_groups.values(), *self.en_groups.values()]
        )
        self.recent: dict[tuple[int, int, int, int, int], np.ndarray] = {}  # scores of the last rows asked for
        self.newest = -1  # the highest RU item asked for so far

    def scores(self, a: int, b: int, i: int, first: int, last: int) -> np.ndarray:
        """Scores of the a-b beads whose RU side ends at item i and EN side at items first..last, one vector product
        (what a link records: dp.trace, rival, align.shifted; the search's own come from score_block). Read-only:
        each is kept until a row max_bead past its own is asked for, in case the same beads are asked for again."""
        key = (a, b, i, first, last)
        found = self.recent.get(key)
        if found is not None:
            return found
        cosine = self.en_groups[b][first : last + 1] @ self.ru_groups[a][i]
        hood = (self.ru_hoods[a][i] + self.en_hoods[b][first : last + 1]) / 2
        margin = cosine - hood
        if not self.finite:
            margin = np.nan_to_num(margin, nan=0.0)  # no neighbours to compare with: no margin
        score = cosine + self.options.margin_weight * margin
        if i > self.newest:
            self.newest = i
            self.recent = {k: v for k, v in self.recent.items() if k[2] > i - self.options.max_bead}
        if i > self.newest - self.options.max_bead:
            score.flags.writeable = False
            self.recent[key] = score
        return score

    def rival(self, a: int, b: int, i: int, j: int) -> float:
        """The best score of the beads that differ from the a-b bead ending at RU item i and EN item j by one
        sentence more or less at either end of either side (NaN when there is none): a bead whose rival scores
        as well is a guess between two shapes."""
        n, m, most = len(self.ru), len(self.en), self.options.max_bead
        shapes = [(a + 1, b, i), (a + 1, b, i + 1), (a - 1, b, i), (a - 1, b, i - 1)]
        shapes = [(x, b, end, j) for x, b, end in shapes]
        shapes += [(a, y, i, end) for y, end in ((b + 1, j), (b + 1, j + 1), (b - 1, j), (b - 1, j - 1))]
        scores = [
            float(self.scores(x, y, ru_end, en_end, en_end)[0])
            for x, y, ru_end, en_end in shapes
            if 1 <= x <= most
            and 1 <= y <= most
            and x - 1 <= ru_end < n
            and y - 1 <= en_end < m
            and self.ru_valid[x][ru_end]
            and self.en_valid[y][en_end]
        ]
        return max(scores) if scores else math.nan

    def score_block(self, a: int, b: int, items: np.ndarray, first: int, last: int) -> np.ndarray:
        """Scores of the a-b beads whose RU side ends at each of `items` and EN side at first..last, a row per item
        (those of one item are Scorer.scores', up to the rounding of one matrix product instead of many)."""
        cols = slice(first, last + 1)
        cosine = self.ru_groups[a][items] @ self.en_groups[b][cols].T
        hood = (self.ru_hoods[a][items][:, None] + self.en_hoods[b][cols]) / 2
        margin = cosine - hood
        if not self.finite:
            margin = np.nan_to_num(margin, nan=0.0)  # no neighbours to compare with: no margin
        return cosine + self.options.margin_weight * margin

    def gain_block(self, a: int, b: int, items: np.ndarray, first: int, last: int) -> np.ndarray:
        """DP gains of the a-b beads whose RU side ends at each of `items` and EN side at first..last, a row per
        item: positive when pairing beats leaving the sentences untranslated."""
        options, cols = self.options, slice(first, last + 1)
        score = self.score_block(a, b, items, first, last)
        ratio = self.ru_lengths[a][items][:, None] - self.en_lengths[b][cols]
        deviation = np.minimum(((ratio - options.length_log_ratio) / options.length_scale) ** 2, MAX_LENGTH_DEVIATION)
        gain = (a + b) / 2 * (score - options.threshold) - options.length_weight * deviation
        gain -= options.merge_penalty * (a + b - 2)
        if a + b > 2 and options.part_weight:
            best = best_part_scores(self.score_block, (a, b), items, first, last)
            gain -= options.part_weight * np.maximum(best + options.part_lead - score, 0.0)
        return np.where(self.ru_valid[a][items][:, None] & self.en_valid[b][cols], gain, NEG)

    def gain_rows(
        self, a: int, b: int, items: np.ndarray, firsts: Sequence[int], lasts: Sequence[int]
    ) -> list[np.ndarray]:
        """For each RU item of `items`, the gains of the a-b beads ending there and at EN items firsts[k]..lasts[k]
        (computed for all of them in one block)."""
        first, last = min(firsts), max(lasts)
        block = self.gain_block(a, b, items, first, last)
        return [row[start - first : stop - first + 1] for row, start, stop in zip(block, firsts, lasts, strict=True)]

    def gains(self, a: int, b: int, i: int, first: int, last: int) -> np.ndarray:
        """DP gains of the a-b beads whose RU side ends at item i and EN side at items first..last."""
        return self.gain_block(a, b, np.array([i]), first, last)[0]


def best_links(ru: Side, en: Side, options: AlignOptions, unshift: bool = True) -> list[Link]:
    """The highest-gain monotonic sequence of beads covering every sentence of both sides exactly once, with
    shifted stretches of dialogue searched again (align.shifted; `unshift`, not on the coarse copy).

    Short documents are searched in full; long ones in a band around the path found on a coarser copy
    (blocks of sentences averaged), so time and memory grow linearly with length.
    """
    n, m = len(ru), len(en)
    if n == 0 or m == 0:
        return [Link((i,), (), 0.0) for i in range(n)] + [Link((), (j,), 0.0) for j in range(m)]
    lo, hi = search_band(ru, en, options)
    ru_hood, en_hood = neighbourhoods(ru.vectors, en.vectors, lo, hi, options.margin_k, options.margin_skip)
    scorer = Scorer(ru, en, options, ru_hood, en_hood)
    shapes = bead_shapes(options.max_bead)
    moves = banded_moves(scorer, shapes, lo, hi, options.skip_penalty)
    links = trace(moves, lo, shapes, scorer)
    return unshifted(links, scorer, options.max_bead) if unshift else links


def search_band(ru: Side, en: Side, options: AlignOptions) -> tuple[np.ndarray, np.ndarray]:
    """For each DP row i (0..n), the first and last DP column searched."""
    n, m = len(ru), len(en)
    if (n + 1) * (m + 1) <= options.full_search_cells:
        return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    factor = math.ceil(math.sqrt((n + 1) * (m + 1) / options.full_search_cells)) + 1
    coarse = best_links(coarse_side(ru, factor), coarse_side(en, factor), options, unshift=False)
    return projected_band(coarse, factor, n, m)


def coarse_side(side: Side, factor: int) -> Side:
    """Blocks of `factor` consecutive sentences as single units (normalised mean vectors, summed lengths)."""
    blocks = math.ceil(len(side) / factor)
    index = np.arange(len(side)) // factor
    vectors = np.zeros((blocks, side.vectors.shape[1]), dtype=np.float32)
    np.add.at(vectors, index, side.vectors)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), MIN_NORM)
    lengths = np.bincount(index, weights=side.lengths, minlength=blocks)
    return Side(vectors, lengths, np.zeros(blocks, dtype=np.int64))


def projected_band(coarse: list[Link], factor: int, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The DP band for the full-size search: the coarse path's blocks widened by one block each way."""
    first = np.full(n, -1, dtype=np.int64)  # first EN item paired with each RU item's block
    last = np.full(n, -1, dtype=np.int64)
    for link in coarse:
        if link.ru and link.en:
            rows = slice(link.ru[0] * factor, min(n, (link.ru[-1] + 1) * factor))
            first[rows] = link.en[0] * factor
            last[rows] = min(m, (link.en[-1] + 1) * factor) - 1
    if (first < 0).all():
        diagonal = (np.arange(n) * m) // n
        first, last = diagonal, diagonal
    first = fill_gaps(first, forward=True)
    last = fill_gaps(last, forward=False)
    lo = np.empty(n + 1, dtype=np.int64)
    hi = np.empty(n + 1, dtype=np.int64)
    lo[1:] = first - factor
    hi[1:] = last + 1 + factor
    lo[0], hi[0] = 0, hi[1]
    lo = np.clip(np.minimum.accumulate(lo[::-1])[::-1], 0, m)
    hi = np.clip(np.maximum.accumulate(hi), 0, m)
    lo[0], hi[n] = 0, m
    lo[1:] = np.minimum(lo[1:], hi[:-1])  # consecutive rows overlap, so a path always exists
    return lo, hi


def fill_gaps(values: np.ndarray, forward: bool) -> np.ndarray:
    """Replace -1 entries by the nearest known value before (forward) or after them, then the other way."""
    filled = values.copy()
    for direction in (forward, not forward):
        order = range(len(filled)) if direction else range(len(filled) - 1, -1, -1)
        known = -1
        for k in order:
            if filled[k] >= 0:
                known = filled[k]
            elif known >= 0:
                filled[k] = known
    return filled


def neighbourhoods(
    ru: np.ndarray, en: np.ndarray, lo: np.ndarray, hi: np.ndarray, k: int, skip: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the k highest similarities of each RU and each EN sentence within the search band."""
    n, m = len(ru), len(en)
    ru_first = np.maximum(lo[1:] - 1, 0)
    ru_last = np.minimum(hi[1:], m - 1)
    ru_hood = np.array([top_mean(en[ru_first[i] : ru_last[i] + 1] @ ru[i], k, skip) for i in range(n)])
    en_hood = np.zeros(m)
    starts = np.searchsorted(ru_last, np.arange(m), side="left")  # per EN item, the RU items whose (monotone)
    stops = np.maximum(starts, np.searchsorted(ru_first, np.arange(m), side="right"))  # band holds it
    for j, (start, stop) in enumerate(zip(starts.tolist(), stops.tolist(), strict=True)):
        en_hood[j] = top_mean(ru[start:stop] @ en[j], k, skip) if stop > start else math.nan
    return ru_hood, en_hood


def confidence(document: Document, links: list[Link], k: int, options: AlignOptions) -> float:
    """The confidence of paired link k in [0, 1]: the Calibration's logistic model of its similarity score, its
    lead over rival shapes, its shape, its length ratio, and whether its neighbours look like a misstep (left
    one-sided, or pairing its paragraph with another one)."""
    link, weights = links[k], options.calibration
    ru, en = [document.ru[i] for i in link.ru], [document.en[j] for j in link.en]
    gap = GAP_CAP if math.isnan(link.rival) else min(max(link.score - link.rival, -GAP_CAP), GAP_CAP)
    ratio = math.log1p(sum(len(s.text) for s in ru)) - math.log1p(sum(len(s.text) for s in en))
    deviation = min(((ratio - options.length_log_ratio) / options.length_scale) ** 2, MAX_LENGTH_DEVIATION)
    neighbours = [links[n] for n in (k - 1, k + 1) if 0 <= n < len(links)]
    one_sided = sum(not (n.ru and n.en) for n in neighbours)
    crossing = any(crosses(document, link, n) for n in neighbours if n.ru and n.en)
    evidence = (
        weights.intercept
        + weights.score * link.score
        + weights.gap * gap
        + weights.merged * (len(ru) + len(en) > 2)
        + weights.one_sided_neighbours * one_sided
        + weights.length * deviation
        + weights.crossing * crossing
    )
    cap = 1.0 / (1.0 + math.exp(-weights.unrelated_slope * (link.score - weights.unrelated_score)))
    return min(EVEN + (1.0 - EVEN) / (1.0 + math.exp(-evidence)), cap)


def paired_confidence(document: Document, links: list[Link], k: int, options: AlignOptions, related: bool) -> float:
    """confidence(), at most one half in a document whose texts look unrelated."""
    value = confidence(document, links, k, options)
    return value if related else min(value, UNRELATED_MAX_CONFIDENCE)


def bead_confidence(document: Document, links: list[Link], k: int, options: AlignOptions, related: bool) -> float:
    """The confidence of link k's bead, rounded: 0 for one side, LOOSE_CONFIDENCE for a loose pair."""
    link = links[k]
    if link.loose:
        return LOOSE_CONFIDENCE
    if not (link.ru and link.en):
        return 0.0
    return round(paired_confidence(document, links, k, options, related), 4)


def crosses(document: Document, link: Link, other: Link) -> bool:
    """Whether two paired links share a paragraph on one side only (one of them strays into another paragraph)."""
    ru = {document.ru[i].paragraph for i in link.ru} & {document.ru[i].paragraph for i in other.ru}
    en = {document.en[j].paragraph for j in link.en} & {document.en[j].paragraph for j in other.en}
    return bool(ru) != bool(en)


def beads_of(document: Document, links: list[Link], options: AlignOptions) -> list[Bead]:
    """Turn index links into beads and slot the other-language sentences in by position. Where the texts look
    unrelated (looks_related), no pair is more than 0.5 sure."""
    related = looks_related(document, links, options.calibration)
    links = uncrossed(document, with_loose_pairs(document, links) if related else links)
    beads = [
        Bead(
            ru=tuple(document.ru[i] for i in link.ru),
            en=tuple(document.en[j] for j in link.en),
            score=bead_confidence(document, links, k, options, related),
            loose=link.loose,
        )
        for k, link in enumerate(links)
    ]
    return with_other_segments(beads, document.other)


def uncrossed(document: Document, links: list[Link]) -> list[Link]:
    """`links` with each 1-1 pair that shares a paragraph with a better neighbouring pair on one side only
    (crosses) and scores below CROSSING_MAX_SCORE split into its two sentences, each one-sided. Where one side
    left out a sentence just before a paragraph break and the other one just after it, the search paired the two
    omissions across the break (the tyre shop's "The guy at the shop checked things out ..." with "Он сказал, что
    из-за того, что у меня есть распечатка ..."): the paragraphs around them say they are not each other's."""
    result: list[Link] = []
    for k, link in enumerate(links):
        single = len(link.ru) == len(link.en) == 1 and not link.loose
        if single and link.score < CROSSING_MAX_SCORE and crosses_better(document, links, k):
            result += [Link(link.ru, (), 0.0), Link((), link.en, 0.0)]
        else:
            result.append(link)
    return result


def crosses_better(document: Document, links: list[Link], k: int) -> bool:
    """Whether paired link k crosses the nearest pair before or after it (crosses; not a loose one), and that pair
    scores higher."""
    before = next((n for n in range(k - 1, -1, -1) if links[n].ru and links[n].en), None)
    after = next((n for n in range(k + 1, len(links)) if links[n].ru and links[n].en), None)
    return any(
        not links[n].loose and links[n].score > links[k].score and crosses(document, links[k], links[n])
        for n in (before, after)
        if n is not None
    )


def looks_related(document: Document, links: list[Link], weights: Calibration) -> bool:
    """Whether a document's two texts look like translations of each other: at least Calibration.min_paired_share
    of the sentences pair, or the pairs made score like translations (median at least related_median_score)."""
    paired = [link for link in links if link.ru and link.en]
    sentences = sum(len(link.ru) + len(link.en) for link in paired)
    if sentences >= weights.min_paired_share * (len(document.ru) + len(document.en)):
        return True
    return bool(paired) and statistics.median(link.score for link in paired) >= weights.related_median_score


def align_document(
    document: Document,
    ru_vecs: np.ndarray,
    en_vecs: np.ndarray,
    options: AlignOptions | None = None,
    ru_runs: dict[int, np.ndarray] | None = None,
    en_runs: dict[int, np.ndarray] | None = None,
) -> Alignment:
    """Align one document whose sentences are embedded; `*_runs` (from run_groups) hold embedded runs of
    sentences for merged beads, which otherwise use the mean of their sentences' vectors."""
    options = options or AlignOptions()
    ru, en = Side.of(ru_vecs, document.ru, ru_runs), Side.of(en_vecs, document.en, en_runs)
    links = searched_links(document.ru, document.en, ru, en, options)
    return Alignment(document=document, beads=beads_of(document, links, options))


def searched_links(
    ru_segments: Sequence[Segment], en_segments: Sequence[Segment], ru: Side, en: Side, options: AlignOptions
) -> list[Link]:
    """The links of embedded sentences (a document's, or a window's: align.windows): best_links, then
    align.refine's second pass when the options ask for it (--presplit input of pairs other than ru,en); their
    products on one BLAS thread (align.blas)."""
    with one_blas_thread():
        links = best_links(ru, en, options)
        if options.refine:
            from align.refine import refined_links

            links = refined_links(list(ru_segments), list(en_segments), ru, en, options, links)
    return links
