"""Facing gaps: in a free translation, one paragraph's passage facing one of the other language is one loose bead.

When every pass before has run, a gap between two pairs (align.gaps.gaps_between_pairs) whose one-sided text is a
passage of one paragraph in each language, of comparable length (at most FACING_LENGTH_RATIO longer one way), is
what `align check` already reads as a free translation (a `loose-translation` note, not an `untranslated` error:
align.checks.untranslated.facing): a line of dialogue the translator rendered by another ("— Живёт себе." / "“He's
still there,” the colonel replied."), a heading with its subtitle against the bare heading ("Часть I. Соображения,
касающиеся наук" / "Part I"). Kept one-sided, its sentences are linked to nothing in the aligner's output though
check calls them translated; here they become one loose bead (low confidence, the same note in check). Only in a
free translation (align.loose.free_translation): news and health texts, where a sentence of each language between
two anchors may be two omissions, are left alone. Figures: docs/quality-history.md (bench/quality.py).
"""

from __future__ import annotations

import dataclasses

from align.gaps import Gap, gaps_between_pairs, paragraph_count, with_gaps_loose
from align.loose import LOOSE_CONFIDENCE, free_translation
from align.model import Alignment

FACING_LENGTH_RATIO = 8.0  # the longer side at most this many times the shorter (characters), as in check


def facing_gaps_paired(alignment: Alignment) -> Alignment:
    """In a free translation, `alignment` with each facing gap (module docstring) made one loose bead."""
    beads = alignment.beads
    if not free_translation(beads):
        return alignment
    gaps = [gap for gap in gaps_between_pairs(beads) if is_facing(gap)]
    if not gaps:
        return alignment
    return dataclasses.replace(alignment, beads=with_gaps_loose(beads, gaps, LOOSE_CONFIDENCE, in_text_order=True))


def is_facing(gap: Gap) -> bool:
    """Whether a gap's text is one paragraph's passage on each side, of lengths within FACING_LENGTH_RATIO."""
    if paragraph_count(gap.ru) != 1 or paragraph_count(gap.en) != 1:
        return False
    ru, en = (sum(len(s.text) for s in side) for side in (gap.ru, gap.en))
    return max(ru, en) <= FACING_LENGTH_RATIO * min(ru, en)
