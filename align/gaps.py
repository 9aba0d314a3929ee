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


def with_gaps_loose(
    beads: Sequence[Bead], gaps: Sequence[Gap], confidence: float, in_text_order: bool = False
) -> list[Bead]:
    """The beads with each gap's beads replaced by one loose bead of all its sentences at `confidence` (each
    side's sentences sorted by position when `in_text_order`)."""
    starts = {gap.first: gap for gap in gaps}
    result: list[Bead] = []
    k = 0
    while k < len(beads):
        gap = starts.get(k)
        if gap is None:
            result.append(beads[k])
            k += 1
            continue
        ru, en = tuple(gap.ru), tuple(gap.en)
        if in_text_order:
            ru, en = tuple(sorted(ru, key=lambda s: s.start)), tuple(sorted(en, key=lambda s: s.start))
        result.append(Bead(ru, en, confidence, loose=True))
        k = gap.last + 1
    return result


def paragraph_count(side: Sequence[Segment]) -> int:
    """The number of paragraphs a side's sentences lie in."""
    return len({(s.file, s.paragraph) for s in side})
