"""The aligner's options and its confidence model's weights: plain frozen dataclasses, no numpy (a cached re-run
reads them without importing the aligner)."""

from __future__ import annotations

from dataclasses import dataclass, field

WINDOW_SENTENCES = 20_000  # a side longer than this is aligned in windows of this many sentences (align.windows)


@dataclass(frozen=True)
class Calibration:
    """Weights of the logistic model that turns a paired bead's evidence into its confidence: fitted on the
    ../shared/bench dev corpora (seed 1, pair mode, each corpus weighing the same; bench/trust.py tables the result)
    so that a confidence means the same share of right beads on news and on literary text."""

    intercept: float = 4.54
    score: float = -0.48  # the bead's similarity score (cosine plus margin): the rival gap below says more
    gap: float = 3.65  # how far it beats its best rival shape (one sentence more or less), within ±GAP_CAP
    merged: float = -1.84  # a bead of more than two sentences (2-1, 1-2, 2-2)
    one_sided_neighbours: float = -1.12  # per neighbouring bead left one-sided (0, 1 or 2)
    length: float = -0.19  # squared length-ratio deviation, in spreads (at most MAX_LENGTH_DEVIATION)
    crossing: float = -3.76  # a neighbouring pair shares its paragraph on one side but not on the other
    unrelated_score: float = 0.33  # a pair scoring this little (the pairing threshold) is at most 0.5 sure ...
    unrelated_slope: float = 20.0  # ... and the cap rises this steeply above it
    min_paired_share: float = 0.5  # in a document where fewer of the sentences pair, no pair is more than 0.5 sure ...
    related_median_score: float = 0.6  # ... unless its pairs' median score says they are translations (a partly
    # translated page pairs few sentences, each scoring 0.8-1.1 on the seeds; chance pairs of unrelated texts ~0.37)


@dataclass(frozen=True)
class AlignOptions:
    """Knobs of the aligner; the defaults are tuned on the ../shared/bench dev corpora."""

    max_bead: int = 2  # most sentences on one side of a bead: 2 allows 1-2, 2-1 and 2-2
    threshold: float = 0.33  # similarity a pair must beat to be worth more than leaving both untranslated
    margin_weight: float = 0.5  # weight of the margin (CSLS-style) term against plain cosine
    margin_k: int = 4  # neighbours averaged for the margin
    margin_skip: int = 1  # nearest neighbours left out of that average (the likely translation itself)
    merge_penalty: float = 0.25  # cost of each sentence a bead has beyond 1-1, so 1-1 wins ties
    length_weight: float = 0.02  # weight of the squared length-ratio deviation
    length_log_ratio: float = 0.0  # expected log(len_ru / len_en) in characters
    length_scale: float = 0.35  # its spread
    skip_penalty: float = 0.0  # cost of leaving one sentence untranslated
    part_lead: float = 0.05  # a merged bead must score this much above its best sentence alone ...
    part_weight: float = 1.0  # ... or pay this much per unit of score it falls short by (align.parts)
    calibration: Calibration = field(default_factory=Calibration)  # bead evidence → confidence
    encode_merges: bool = True  # embed runs of sentences as one text (else: average their vectors)
    full_search_cells: int = 4_000_000  # longer documents are searched in a band found on a coarse copy
    refine: bool = False  # a second search near the first path, lexical anchors counted (align.refine)
    absorb_min_gain: float | None = 0.0  # a one-sided sentence joins its pair at this cosine gain (align.absorb);
    # None: neither absorption nor the passes after it (condensed passages, matched gaps: align.aligner)
