"""Matched gaps: a gap between two pairs holding both languages, whose texts say the same, becomes one loose bead.

A literary translator regroups a passage: two short paragraphs of dialogue become one, three lines become two,
and no sentence of one side matches one of the other well enough for the sentence search. Between the two pairs
around it, such a gap holds one-sided text of both languages spread over a few paragraphs (loose pairs,
align.loose, take only one paragraph facing one). When the gap's Russian text read as a whole matches its English
text read as a whole (cosine at least GAP_MIN_COSINE, well above what two unrelated passages score) and their
lengths fit the document's ratio (|log| misfit at most GAP_MAX_LENGTH_MISFIT), the gap is one loose bead: low
confidence, a `loose-translation` note in `align check`. Two omissions side by side, one of each language, say
different things and stay one-sided. Figures: README "Quality" (bench/quality.py).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from align.absorb import Encode, Text, joined_text
from align.condensed import length_ratios
from align.encoders import normalised
from align.loose import LOOSE_CONFIDENCE
from align.model import Alignment, Bead, Segment

GAP_MAX_PARAGRAPHS = 2  # paragraphs on each side of a matched gap (3 joined 20 real omissions of the literary dev
# cases, seeds 1 and 2, beside the free translations)
MIN_GAP_PARAGRAPHS = 2  # on one side at least: one paragraph facing one is align.loose's (whole paragraphs) or,
# partly unpaired, a loose-translation note of check's (align.checks.untranslated.facing); taken here too, two
# real omissions facing each other in tico19's repetitive dialogues were joined (dev, at cosine 0.4 and up to 3
# paragraphs: recall 0.944 -> 0.937)
GAP_MIN_COSINE = 0.45  # the two sides read as a whole (0.4 joined 5 real omissions of tico19's seed-2 dev cases)
GAP_MAX_LENGTH_MISFIT = 0.35  # |log(Russian length x the document's ratio / English length)|, about 1.4 times


@dataclasses.dataclass(frozen=True)
class Gap:
    """Beads `first`..`last`, all one-sided, between two pairs, with the sentences of each language."""

    first: int
    last: int
    ru: tuple[Segment, ...]
    en: tuple[Segment, ...]


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
    return dataclasses.replace(alignment, beads=with_gaps_joined(beads, matched)) if matched else alignment


def gaps_of(beads: Sequence[Bead]) -> list[Gap]:
    """Every run of one-sided beads between two pairs that holds both languages, in MIN_GAP_PARAGRAPHS to
    GAP_MAX_PARAGRAPHS paragraphs on its longer side (a third-language sentence ends a run: no gap)."""
    result = []
    start: int | None = None  # the first bead after the last pair; None before the first pair
    for k, bead in enumerate(beads):
        if bead.paired:
            if start is not None and start < k:
                gap = gap_of(beads, start, k - 1)
                if gap is not None:
                    result.append(gap)
            start = k + 1
        elif bead.other:
            start = None
    return result


def gap_of(beads: Sequence[Bead], first: int, last: int) -> Gap | None:
    """The gap of beads `first`..`last` if it holds both languages in the paragraphs gaps_of takes, else None."""
    run = beads[first : last + 1]
    if any(bead.other or bead.loose for bead in run):
        return None
    ru = tuple(s for bead in run for s in bead.ru)
    en = tuple(s for bead in run for s in bead.en)
    if not ru or not en:
        return None
    paragraphs = [len({(s.file, s.paragraph) for s in side}) for side in (ru, en)]
    if max(paragraphs) > GAP_MAX_PARAGRAPHS or max(paragraphs) < MIN_GAP_PARAGRAPHS:
        return None
    return Gap(first, last, ru, en)


def fits(gap: Gap, ratio: float) -> bool:
    """Whether the gap's English is about as long as its Russian would be translated (`ratio`: the document's
    English characters per Russian character)."""
    ru = sum(len(s.text) for s in gap.ru)
    en = sum(len(s.text) for s in gap.en)
    return bool(ru and en) and abs(math.log(ru * ratio / en)) <= GAP_MAX_LENGTH_MISFIT


def with_gaps_joined(beads: Sequence[Bead], gaps: list[Gap]) -> list[Bead]:
    """The beads with each gap's beads replaced by one loose bead of all its sentences."""
    starts = {gap.first: gap for gap in gaps}
    result: list[Bead] = []
    k = 0
    while k < len(beads):
        gap = starts.get(k)
        if gap is None:
            result.append(beads[k])
            k += 1
            continue
        result.append(Bead(gap.ru, gap.en, LOOSE_CONFIDENCE, loose=True))
        k = gap.last + 1
    return result
