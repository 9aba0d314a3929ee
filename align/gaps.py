"""Gaps: the runs of one-sided beads between two pairs, and how well their two languages' lengths fit.

Every pass that pairs what the sentence search left between two anchors (align.matched_gaps, align.gap_paragraphs)
starts from the same gaps and weighs lengths the same way: the Russian text's characters times the document's
ratio of English to Russian characters (align.condensed.length_ratios) against the English text's.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from align.model import Bead, Segment


@dataclasses.dataclass(frozen=True)
class Gap:
    """Beads `first`..`last`, all one-sided, between two pairs, with the sentences of each language."""

    first: int
    last: int
    ru: tuple[Segment, ...]
    en: tuple[Segment, ...]


def gaps_between_pairs(beads: Sequence[Bead]) -> list[Gap]:
    """Every run of one-sided beads between two pairs that holds sentences of both languages (the document's ends
    are no anchors; a third-language sentence or a loose bead in the run: no gap)."""
    result = []
    paired = [k for k, bead in enumerate(beads) if bead.paired]
    for before, after in zip(paired, paired[1:], strict=False):
        run = beads[before + 1 : after]
        if not run or any(bead.other or bead.loose for bead in run):
            continue
        ru = tuple(s for bead in run for s in bead.ru)
        en = tuple(s for bead in run for s in bead.en)
        if ru and en:
            result.append(Gap(before + 1, after - 1, ru, en))
    return result


def length_misfit(ru: Sequence[Segment], en: Sequence[Segment], ratio: float) -> float:
    """|log(Russian characters x `ratio` / English characters)| (infinite when a side has none); `ratio`: the
    document's English characters per Russian character."""
    ru_chars, en_chars = sum(len(s.text) for s in ru), sum(len(s.text) for s in en)
    return abs(math.log(ru_chars * ratio / en_chars)) if ru_chars and en_chars else math.inf
