"""Headings: a title line left one-sided beside its heading's pair, or facing a title line, joins it as a loose bead.

A book's headings are translated freely and split differently: "Часть II. Основные правила метода" is two Russian
sentences against the English "Part II", and the search pairs "Часть II." with "Part II" and leaves the subtitle
one-sided; "ГЛАВА ПЕРВАЯ" faces "I", twelve times shorter, and no test of length or meaning pairs them. A heading
line ends in a letter or digit, not in a sentence's punctuation, and is short (HEADING_MAX_CHARS). Such a line,
one-sided next to a pair whose sentences of its language share its paragraph and whose other side is heading
lines only, joins that pair (heading_tails); a gap between two pairs whose one-sided text is heading lines of one
paragraph on each side is one bead (heading_gaps). Both are loose beads: low confidence, a `loose-translation`
note in `align check`. A deleted sentence of running text ends in punctuation, so news and health texts with
omissions are left as they were. Figures: docs/quality-history.md (bench/quality.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from align.absorb import taken_in
from align.align import UNRELATED_MAX_CONFIDENCE
from align.gaps import gaps_between_pairs, paragraph_count, with_gaps_loose
from align.loose import LOOSE_CONFIDENCE
from align.model import Alignment, Bead, Segment

HEADING_MAX_CHARS = 120  # a heading line at most this long ("Доводы, доказывающие существование бога и бессмертие
# души, или основания метафизики": 84)
CLOSERS = "\"'»”’)] "  # quotes and brackets after a heading's last word


def headings_joined(alignment: Alignment) -> Alignment:
    """`alignment` with heading tails joined to their heading's pair and heading gaps made one bead (module)."""
    beads = alignment.beads
    takes = heading_tails(beads)
    if takes:
        beads = taken_in(beads, takes, loosened)
    gaps = {gap.first: gap for gap in gaps_between_pairs(beads) if all_headings(gap.ru, gap.en)}
    if gaps:
        beads = with_gaps_loose(beads, list(gaps.values()), LOOSE_CONFIDENCE)
    return dataclasses.replace(alignment, beads=beads) if takes or gaps else alignment


def is_heading(segment: Segment) -> bool:
    """Whether a sentence reads as a heading line: short, ending in a letter or digit."""
    text = segment.text.rstrip(CLOSERS)
    return bool(text) and len(segment.text) <= HEADING_MAX_CHARS and text[-1].isalnum()


def all_headings(ru: Sequence[Segment], en: Sequence[Segment]) -> bool:
    """Whether both sides are heading lines of one paragraph each."""
    return all(
        side and all(is_heading(s) for s in side) and paragraph_count(side) == 1
        for side in (ru, en)
    )


def heading_tails(beads: Sequence[Bead]) -> dict[int, list[int]]:
    """pair index -> the one-sided heading lines that join it: next to it, its sentences of their language in
    their paragraph, its other side heading lines only, the pair more than UNRELATED_MAX_CONFIDENCE sure."""
    takes: dict[int, list[int]] = {}
    for k, bead in enumerate(beads):
        if bead.paired or bead.other or bead.loose or len(bead.ru) + len(bead.en) != 1:
            continue
        segment = (bead.ru + bead.en)[0]
        if not is_heading(segment):
            continue
        lang, other = ("ru", "en") if bead.ru else ("en", "ru")
        for n in (k - 1, k + 1):
            if 0 <= n < len(beads) and heads(beads[n], segment, lang, other):
                takes.setdefault(n, []).append(k)
                break
    return takes


def heads(pair: Bead, segment: Segment, lang: str, other: str) -> bool:
    """Whether `pair` is the heading pair a one-sided heading line `segment` of language `lang` belongs to."""
    if not pair.paired or pair.loose or pair.score <= UNRELATED_MAX_CONFIDENCE:
        return False
    own = getattr(pair, lang)
    if any((s.file, s.paragraph) != (segment.file, segment.paragraph) for s in own):
        return False
    return all(is_heading(s) for s in getattr(pair, other))


def loosened(bead: Bead) -> Bead:
    """The pair marked loose, at most LOOSE_CONFIDENCE sure."""
    return dataclasses.replace(bead, score=min(bead.score, LOOSE_CONFIDENCE), loose=True)
