"""Paragraph pairs: in a free translation, what is left one-sided inside a paragraph paired as a whole joins it.

Read paragraph by paragraph, the sentence pairs of a free (literary) translation show which paragraph translates
which: a Russian paragraph whose pairs all lead to one English paragraph, whose pairs all lead back to it, is that
paragraph's translation. A sentence of such a paragraph left one-sided is said somewhere in its partner: the
translator folded it into a neighbour, split a line of dialogue, turned two sentences into three. On the literary
dev cases nothing was deleted from inside a paragraph (an omission there is whole paragraphs), yet more than half of
the passages `align check` reported were one-sided sentences of such paragraph pairs (complete translations, seed 1:
170 of 286 false untranslated units). When the paragraph pair is clean (one paragraph each side, its pairs lead
nowhere else), its pairs carry a good share of each paragraph (PAIRED_MIN_SHARE of its characters) and the two whole
paragraphs are about as long as the document's ratio expects (|log| misfit at most PARAGRAPH_MAX_LENGTH_MISFIT), or
one paragraph is wholly paired and the other's one-sided sentences are what makes the two lengths fit
(fits_as_pair), or its one-sided sentences of both languages face each other in one gap between two pairs and
the two whole paragraphs fit (faces_in_one_gap: a reply the translator split otherwise, "Сильно я промёрзла…
«Как пойти? Ну неравно пани спросит!»" against "I'm very cold, but how can I go? I thought. The young mistress
might kick up a row!", whose first sentences the search paired), each one-sided sentence of it joins the nearest
pair of the paragraph pair (before or after it, with no other pair between) as a loose bead: a `loose-translation`
note in `align check`, not an `untranslated` error.
A one-sided sentence enclosed by two pairs of its own paragraph pair joins the nearer whatever the lengths: it lies
inside a translated paragraph, where a sentence left out is the translator's way, not a deleted paragraph. A
real omission that the search paired one sentence of with a neighbouring paragraph leaves that paragraph mostly
unpaired, or its length far from its partner's. Only in a free translation (align.loose.free_translation): in news
and health texts, where sentences are left out of paragraphs, it does nothing.

Paragraphs left wholly one-sided between two pairs are align.gap_paragraphs'. Figures: docs/quality-history.md
(bench/quality.py).
"""

from __future__ import annotations

import collections
import dataclasses
import math
from collections.abc import Sequence

from align.absorb import taken_in
from align.align import UNRELATED_MAX_CONFIDENCE
from align.loose import LOOSE_CONFIDENCE, free_translation
from align.model import Alignment, Bead

PAIRED_MIN_SHARE = 0.4  # of each paragraph's characters in its pairs (dev, seed 1: a real omission's paragraph
# mispaired by one sentence had 2-45 % of it paired, 9 of 11 under 40 %)
PARAGRAPH_MAX_LENGTH_MISFIT = 0.5  # |log(Russian paragraph x the document's ratio / English paragraph)|, 1.65 times
COMPLETED_MIN_SHARE = 0.2  # a paragraph facing one wholly paired: this much of it paired, and ... (dev: a real
COMPLETED_MAX_LENGTH_MISFIT = 0.3  # omission's paragraph fitting within 0.3 had 15 % of it paired)

Key = tuple[str, str, int]  # (language, file, paragraph)


def paragraph_pairs_joined(alignment: Alignment, ratio: float) -> Alignment:
    """In a free translation, `alignment` with each one-sided sentence of a clean paragraph pair that fits (see the
    module) joined to the nearest pair of it, which becomes loose; `ratio`: the document's English characters per
    Russian character (align.condensed.length_ratios, which runs this pass last)."""
    beads = alignment.beads
    if not free_translation(beads):
        return alignment
    pairs = fitting_paragraph_pairs(beads, ratio)
    takes = joins(beads, pairs)
    if not takes:
        return alignment
    return dataclasses.replace(alignment, beads=taken_in(beads, takes, loosened))


def loosened(bead: Bead) -> Bead:
    """The pair marked loose, at most LOOSE_CONFIDENCE sure."""
    return dataclasses.replace(bead, score=min(bead.score, LOOSE_CONFIDENCE), loose=True)


def key_of(lang: str, segment_file: str, paragraph: int) -> Key:
    """A paragraph's key."""
    return (lang, segment_file, paragraph)


def partners(beads: Sequence[Bead]) -> dict[Key, set[Key]]:
    """Each paragraph holding a sentence of a pair (loose ones too, not one between unrelated-looking texts) and
    the paragraphs of the other language its pairs lead to."""
    result: dict[Key, set[Key]] = collections.defaultdict(set)
    for bead in beads:
        if not bead.paired or not related(bead):
            continue
        ru = {key_of("ru", s.file, s.paragraph) for s in bead.ru}
        en = {key_of("en", s.file, s.paragraph) for s in bead.en}
        for key in ru:
            result[key] |= en
        for key in en:
            result[key] |= ru
    return result


def fitting_paragraph_pairs(beads: Sequence[Bead], ratio: float) -> dict[Key, Key]:
    """Each paragraph of a clean paragraph pair that fits (module docstring) -> its partner; `ratio`: the
    document's English characters per Russian character."""
    led = partners(beads)
    gaps = one_sided_gaps(beads)
    chars: collections.Counter[Key] = collections.Counter()
    paired: collections.Counter[Key] = collections.Counter()
    for bead in beads:
        for side in ("ru", "en"):  # the bead's side, not the segment's label: --langs de,fr keeps ru/en sides
            for segment in getattr(bead, side):
                key = key_of(side, segment.file, segment.paragraph)
                chars[key] += len(segment.text)
                paired[key] += len(segment.text) if bead.paired else 0
    result = {}
    for key, others in led.items():
        if key[0] != "ru" or len(others) != 1:
            continue
        partner = next(iter(others))
        if led.get(partner) != {key}:
            continue
        if fits_as_pair(chars, paired, key, partner, ratio) or faces_in_one_gap(gaps, chars, key, partner, ratio):
            result[key] = partner
            result[partner] = key
    return result


def fits_as_pair(
    chars: collections.Counter[Key], paired: collections.Counter[Key], ru: Key, en: Key, ratio: float
) -> bool:
    """Whether a clean paragraph pair's one-sided sentences are its translation's (module docstring): both paired
    for PAIRED_MIN_SHARE and about as long as `ratio` expects; or one side wholly paired, the other paired for
    COMPLETED_MIN_SHARE, and its one-sided sentences what makes the two lengths fit (COMPLETED_MAX_LENGTH_MISFIT
    with them, worse without them)."""
    whole = abs(math.log(chars[ru] * ratio / chars[en]))
    if min(paired[ru] / chars[ru], paired[en] / chars[en]) >= PAIRED_MIN_SHARE and whole <= PARAGRAPH_MAX_LENGTH_MISFIT:
        return True
    if whole > COMPLETED_MAX_LENGTH_MISFIT:
        return False
    for own, other in ((ru, en), (en, ru)):
        if paired[other] == chars[other] and paired[own] >= COMPLETED_MIN_SHARE * chars[own]:
            ru_chars, en_chars = (paired[own], chars[other]) if own == ru else (chars[other], paired[own])
            if whole < abs(math.log(ru_chars * ratio / en_chars)):
                return True
    return False


def one_sided_gaps(beads: Sequence[Bead]) -> dict[Key, set[int]]:
    """Each paragraph holding one-sided sentences -> the gaps they lie in, each gap counted by the pairs before it."""
    result: dict[Key, set[int]] = collections.defaultdict(set)
    pairs = 0
    for bead in beads:
        if bead.paired:
            pairs += 1
            continue
        for side in ("ru", "en"):
            for segment in getattr(bead, side):
                result[key_of(side, segment.file, segment.paragraph)].add(pairs)
    return result


def faces_in_one_gap(
    gaps: dict[Key, set[int]], chars: collections.Counter[Key], ru: Key, en: Key, ratio: float
) -> bool:
    """Whether a clean paragraph pair's one-sided sentences of both languages lie in one gap (`gaps`:
    one_sided_gaps) and its two whole paragraphs are about as long as `ratio` expects (PARAGRAPH_MAX_LENGTH_MISFIT)."""
    ru_gaps, en_gaps = gaps.get(ru, set()), gaps.get(en, set())
    if len(ru_gaps) != 1 or ru_gaps != en_gaps:
        return False
    return abs(math.log(chars[ru] * ratio / chars[en])) <= PARAGRAPH_MAX_LENGTH_MISFIT


def joins(beads: Sequence[Bead], pairs: dict[Key, Key]) -> dict[int, list[int]]:
    """pair index -> the one-sided beads that join it: each one-sided bead of a sentence of a paragraph in `pairs`
    whose nearest pair before or after it (the nearer; before on a tie) belongs to that paragraph pair, and each
    one-sided bead enclosed by two pairs of its own paragraph pair, whatever the pair's fit (enclosed_by)."""
    paired = [k for k, bead in enumerate(beads) if bead.paired]
    takes: dict[int, list[int]] = {}
    before = -1  # the index into `paired` of the last pair before k
    for k, bead in enumerate(beads):
        if bead.paired:
            before += 1
            continue
        if bead.other or len(bead.ru) + len(bead.en) != 1:
            continue
        segment = (bead.ru + bead.en)[0]
        key = key_of("ru" if bead.ru else "en", segment.file, segment.paragraph)
        near = [paired[i] for i in (before, before + 1) if 0 <= i < len(paired)]
        partner = pairs.get(key) or enclosed_by(beads, near, key)
        if partner is None:
            continue
        near.sort(key=lambda n: abs(n - k))
        chosen = next((n for n in near if belongs(beads[n], key, partner)), None)
        if chosen is not None:
            takes.setdefault(chosen, []).append(k)
    return takes


def enclosed_by(beads: Sequence[Bead], near: list[int], key: Key) -> Key | None:
    """The paragraph both pairs around a one-sided sentence of paragraph `key` pair it with, when they lie in that
    paragraph pair only (the sentence is inside a translated paragraph: the literary dev cases delete whole
    paragraphs, and their translators' own omissions are whole paragraphs too), else None; a pair between
    unrelated-looking texts (not loose, at most UNRELATED_MAX_CONFIDENCE sure) encloses nothing."""
    if len(near) != 2 or not all(related(beads[n]) for n in near):
        return None
    keys = [paragraph_keys(beads[n]) for n in near]
    if keys[0] != keys[1] or len(keys[0]) != 2 or key not in keys[0]:
        return None
    return next(k for k in keys[0] if k != key)


def related(bead: Bead) -> bool:
    """Whether a pair counts as paired text here: loose, or more than UNRELATED_MAX_CONFIDENCE sure (as in
    partners)."""
    return bead.loose or bead.score > UNRELATED_MAX_CONFIDENCE


def paragraph_keys(bead: Bead) -> set[Key]:
    """The keys of the paragraphs a bead's sentences lie in."""
    return {key_of("ru", s.file, s.paragraph) for s in bead.ru} | {key_of("en", s.file, s.paragraph) for s in bead.en}


def belongs(bead: Bead, key: Key, partner: Key) -> bool:
    """Whether a pair's sentences lie in the paragraph pair (`key`, `partner`) only."""
    return paragraph_keys(bead) == {key, partner}
