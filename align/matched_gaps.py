"""Matched gaps: a gap between two pairs holding both languages, whose texts say the same, becomes one loose bead.

A literary translator regroups a passage: two short paragraphs of dialogue become one, three lines become two,
and no sentence of one side matches one of the other well enough for the sentence search. Between the two pairs
around it, such a gap holds one-sided text of both languages spread over a few paragraphs (loose pairs,
align.loose, take only one paragraph facing one). When the gap's Russian text read as a whole matches its English
text read as a whole (cosine at least GAP_MIN_COSINE, well above what two unrelated passages score) and their
lengths fit the document's ratio (|log| misfit at most GAP_MAX_LENGTH_MISFIT), the gap is one loose bead: low
confidence, a `loose-translation` note in `align check`. Two omissions side by side, one of each language, say
different things and stay one-sided. Figures: docs/quality-history.md (bench/quality.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from align.absorb import Encode, Text, joined_text
from align.condensed import length_ratios
from align.encoders import normalised
from align.gaps import Gap, gaps_between_pairs, length_misfit, paragraph_count, with_gaps_loose
from align.loose import LOOSE_CONFIDENCE
from align.model import Alignment, Bead

GAP_MAX_PARAGRAPHS = 2  # paragraphs on each side of a matched gap (3 joined 20 real omissions of the literary dev
# cases, seeds 1 and 2, beside the free translations)
MIN_GAP_PARAGRAPHS = 2  # on one side at least: one paragraph facing one is align.loose's (whole paragraphs) or,
# partly unpaired, a loose-translation note of check's (align.checks.untranslated.facing); taken here too, two
# real omissions facing each other in tico19's repetitive dialogues were joined (dev, at cosine 0.4 and up to 3
# paragraphs: recall 0.944 -> 0.937)
GAP_MIN_COSINE = 0.45  # the two sides read as a whole (0.4 joined 5 real omissions of tico19's seed-2 dev cases)
GAP_MAX_LENGTH_MISFIT = 0.35  # |log(Russian length x the document's ratio / English length)|, about 1.4 times


def matched_gaps(alignment: Alignment, encode: Encode, text: Text) -> Alignment:
    """`alignment` with each gap whose two languages say the same as a whole made one loose bead."""
    beads = alignment.beads
    ratios = length_ratios(beads)
    if not ratios:
        return alignment
    gaps = [g for g in gaps_of(beads) if fits(g, ratios["ru"])]
    if not gaps:
        return alignment
    texts = [joined_text(side, text) for gap in gaps for side in (gap.ru, gap.en)]
    vectors = normalised(np.asarray(encode(texts), dtype=np.float32))
    cosines = np.sum(vectors[0::2] * vectors[1::2], axis=1)
    matched = [gap for gap, cosine in zip(gaps, cosines, strict=True) if cosine >= GAP_MIN_COSINE]
    if not matched:
        return alignment
    return dataclasses.replace(alignment, beads=with_gaps_loose(beads, matched, LOOSE_CONFIDENCE))


def gaps_of(beads: Sequence[Bead]) -> list[Gap]:
    """Every gap between two pairs (align.gaps) that holds both languages, in MIN_GAP_PARAGRAPHS to
    GAP_MAX_PARAGRAPHS paragraphs on its longer side."""
    result = []
    for gap in gaps_between_pairs(beads):
        paragraphs = [paragraph_count(side) for side in (gap.ru, gap.en)]
        if MIN_GAP_PARAGRAPHS <= max(paragraphs) <= GAP_MAX_PARAGRAPHS:
            result.append(gap)
    return result


def fits(gap: Gap, ratio: float) -> bool:
    """Whether the gap's English is about as long as its Russian would be translated (`ratio`: the document's
    English characters per Russian character)."""
    return length_misfit(gap.ru, gap.en, ratio) <= GAP_MAX_LENGTH_MISFIT
