"""Condensed translations: a one-sided passage inside a translated paragraph joins a pair of it as a loose bead.

A literary translator says a paragraph's content in fewer (or more) sentences than the original: "Да я уже плохо
вижу." folded into the next sentence's translation, a line of dialogue dropped into its neighbour. The sentence
search leaves such a sentence one-sided, and strict absorption (align.absorb) takes it into its neighbour's pair
only when the pair's own match rises. Looked at paragraph by paragraph the verdict is clearer: when the sentence's
paragraph, read with it, matches the other side's translation of the paragraph at least as well as without it
(cosine drop at most CONDENSED_MAX_COSINE_DROP) and the paragraph's length fits the translation's at least as well
with it as without it (CONDENSED_MAX_LENGTH_LOSS, in |log| of the length ratio, the document's own ratio
expected), nothing of the paragraph is missing: the passage joins the neighbouring pair that matches it best, as a
loose bead (low confidence, a `loose-translation` note in `align check`, not an `untranslated` error). An omission
lowers both the cosine and the length fit. In a long paragraph one sentence moves neither much, so the verdict is
left to the sentence search beyond CONDENSED_MAX_PAIRED_CHARS. In a document whose translation is free
(align.loose.free_translation: enough loose pairs), a sentence left alone beside a pair of its paragraph joins it
without these tests (condensed_freely, after align.matched_gaps), and once the paragraph passes have run, so does
a run of up to FREE_MAX_RUN such sentences of a paragraph at least RUN_MIN_PAIRED_SHARE paired. Figures: README
"Quality" (bench/quality.py).
"""

from __future__ import annotations

import bisect
import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from align.absorb import Encode, Text, joined_text, taken_in
from align.align import UNRELATED_MAX_CONFIDENCE
from align.encoders import normalised
from align.facing_gaps import facing_gaps_paired
from align.gap_paragraphs import gap_paragraphs_paired
from align.gaps import paragraph_count
from align.headings import headings_joined
from align.loose import LOOSE_CONFIDENCE, free_translation
from align.model import Alignment, Bead, Document, Segment
from align.paragraph_pairs import paragraph_pairs_joined

CONDENSED_MAX_COSINE_DROP = 0.0  # the paragraph read with the passage matches its translation at most this less well
# (with 0.03 and a length loss of 0.05, 9 real omissions of seed 2's dev cases were taken in, none of seed 1's)
CONDENSED_MAX_LENGTH_LOSS = 0.0  # ... and fits its length at most this much worse (|log| of the length ratio)
FREE_MAX_RUN = 3  # one-sided sentences of one paragraph beside a pair of it joined by the last free pass, when ...
RUN_MIN_PAIRED_SHARE = 0.2  # ... more than one, this share of the paragraph's characters is paired (a deleted
# paragraph one sentence of which the search paired elsewhere is mostly unpaired; dev, runs of up to 3: complete
# false untranslated per 1000 by check 3.08 at 0, 0.2 and 3.42 at 0.4; seed 1 check recall 0.930, 0.933, 0.935)
MAX_MEAN_PARAGRAPH_SENTENCES = 12  # beyond, a side's paragraphs delimit nothing the free passes can read (dev
# documents: at most 5 sentences a paragraph on average, bilinguator_dev 3.1; bilinguator_dev seed 1 with drops as
# --presplit, one gold unit a line, without empty lines: untranslated recall 0.369, with them 0.954)
CONDENSED_MAX_PAIRED_CHARS = 500  # the paragraph's paired sentences on the passage's side: beyond, one sentence
# changes its cosine and its length too little to tell condensation from omission (dev, at the first thresholds
# 0.03 / 0.05: 5 real omissions in tico19 paragraphs of 580-1,150 characters looked condensed)


@dataclasses.dataclass(frozen=True)
class Passage:
    """Consecutive one-sided beads `first`..`last` of one language and paragraph, and the paired beads of that
    paragraph (`pairs`: their side of the passage's language lies in it; empty for the free pass), and the
    neighbours among them."""

    first: int
    last: int
    lang: str
    pairs: tuple[int, ...]
    neighbours: tuple[int, ...]


def condensed(alignment: Alignment, encode: Encode, text: Text) -> Alignment:
    """`alignment` with each one-sided passage that its paragraph's translation covers joined to its best-matching
    neighbouring pair as a loose bead."""
    beads = alignment.beads
    ratios = length_ratios(beads)
    if not ratios:
        return alignment
    passages = [p for p in passages_of(beads) if plausible_length(beads, p, ratios[p.lang])]
    if not passages:
        return alignment
    covered = [
        p
        for p, drop in zip(passages, cosine_drops(beads, passages, encode, text), strict=True)
        if drop <= CONDENSED_MAX_COSINE_DROP
    ]
    if not covered:
        return alignment
    choices = best_neighbours(beads, covered, encode, text)
    return dataclasses.replace(alignment, beads=joined(beads, list(zip(covered, choices, strict=True))))


def condensed_freely(alignment: Alignment, encode: Encode, text: Text) -> Alignment:
    """In a document whose paragraphs delimit passages (paragraphed), `alignment` with its headings' one-sided lines
    paired (align.headings), then, in a free translation (align.loose.free_translation), with each sentence left
    one-sided alone next to a pair of its paragraph (loose pairs too, however long the paragraph) joined to the
    neighbouring pair that matches it best, as a loose bead: there such a sentence is almost always said in a
    neighbour's translation, not left out (the lone one-sided sentences `align check` reported in bilinguator_dev's free
    translations, seed 1, at 4e03b04: 551 of 552 were with nothing deleted, 544 of 557 with paragraphs deleted;
    news, health and Tatoeba documents have at most 2 loose pairs, so this pass leaves them alone); then the
    one-sided sentences of clean paragraph pairs join them (align.paragraph_pairs), the paragraphs of the gaps
    left are paired in order as wholes (align.gap_paragraphs), and last a run of up to FREE_MAX_RUN one-sided
    sentences beside a pair of its paragraph joins it the same way, when the paragraph is at least
    RUN_MIN_PAIRED_SHARE paired (a deleted paragraph one sentence of which the search paired elsewhere is not);
    last, a gap of one paragraph's passage facing one of the other language is one loose bead
    (align.facing_gaps)."""
    if not paragraphed(alignment.document):  # headings and passages need paragraphs: one message a line is neither
        return alignment
    alignment = headings_joined(alignment)
    beads = alignment.beads
    if not free_translation(beads):
        return alignment
    alignment = lone_sentences_joined(alignment, encode, text, 1)
    ratios = length_ratios(beads)  # the search's pairs, before this pass loosened some
    if not ratios:  # no sure pair to measure the document's length ratio: paragraph pairs cannot be weighed
        return alignment
    found = gap_paragraphs_paired(paragraph_pairs_joined(alignment, ratios["ru"]), ratios["ru"], encode, text)
    return facing_gaps_paired(lone_sentences_joined(found, encode, text, FREE_MAX_RUN))


def paragraphed(document: Document) -> bool:
    """Whether the document's paragraph breaks delimit passages: on each side at most MAX_MEAN_PARAGRAPH_SENTENCES
    sentences a paragraph on average (--presplit input without empty lines is one paragraph a file, where every
    one-sided sentence lies beside a pair of its paragraph)."""
    for side in (document.ru, document.en):
        paragraphs = paragraph_count(side)
        if paragraphs and len(side) > MAX_MEAN_PARAGRAPH_SENTENCES * paragraphs:
            return False
    return True


def lone_sentences_joined(alignment: Alignment, encode: Encode, text: Text, most: int) -> Alignment:
    """`alignment` with each run of at most `most` one-sided sentences of one paragraph beside a pair of that
    paragraph (loose pairs too) joined to the neighbouring pair that matches it best, as a loose bead."""
    beads = alignment.beads
    shares = paired_shares(beads)
    passages = [
        p
        for p in passages_of(beads, free=True)
        if p.first == p.last or (p.last - p.first < most and shares[paragraph_key(beads, p)] >= RUN_MIN_PAIRED_SHARE)
    ]
    if not passages:
        return alignment
    choices = best_neighbours(beads, passages, encode, text)
    return dataclasses.replace(alignment, beads=joined(beads, list(zip(passages, choices, strict=True))))


def paired_shares(beads: Sequence[Bead]) -> dict[tuple[str, str, int], float]:
    """(language, file, paragraph) -> the share of the paragraph's characters in pairs (by the bead's side)."""
    chars: dict[tuple[str, str, int], list[int]] = {}
    for bead in beads:
        for lang in ("ru", "en"):
            for segment in getattr(bead, lang):
                counts = chars.setdefault((lang, segment.file, segment.paragraph), [0, 0])
                counts[0] += len(segment.text)
                counts[1] += len(segment.text) if bead.paired else 0
    return {key: paired / total if total else 0.0 for key, (total, paired) in chars.items()}


def paragraph_key(beads: Sequence[Bead], passage: Passage) -> tuple[str, str, int]:
    """(language, file, paragraph) of a passage."""
    segment = passage_segments(beads, passage)[0]
    return (passage.lang, segment.file, segment.paragraph)


def length_ratios(beads: Sequence[Bead]) -> dict[str, float]:
    """The document's characters of translation per character of text, by the text's language, over its pairs
    ({} when it has none)."""
    sure = [b for b in beads if b.paired and not b.loose]
    chars = {lang: sum(len(s.text) for b in sure for s in getattr(b, lang)) for lang in ("ru", "en")}
    if not chars["ru"] or not chars["en"]:
        return {}
    return {"ru": chars["en"] / chars["ru"], "en": chars["ru"] / chars["en"]}


def passages_of(beads: Sequence[Bead], free: bool = False) -> list[Passage]:
    """Every maximal run of one-sided beads of one language and paragraph next to a pair of that paragraph (a pair
    more than UNRELATED_MAX_CONFIDENCE sure, not loose), in a paragraph whose pairs' side of that language is at
    most CONDENSED_MAX_PAIRED_CHARS long (a longer one is never judged: skipped here, in one pass over the beads);
    `free`: loose pairs count too, and paragraphs of any length."""
    most = math.inf if free else CONDENSED_MAX_PAIRED_CHARS
    pairs_by_paragraph: dict[tuple[str, str, int], list[int]] = {}
    paired_chars: dict[tuple[str, str, int], int] = {}
    for k, bead in enumerate(beads):
        if bead.paired and (free if bead.loose else bead.score > UNRELATED_MAX_CONFIDENCE):
            for lang in ("ru", "en"):
                for key in {(lang, s.file, s.paragraph) for s in getattr(bead, lang)}:
                    pairs_by_paragraph.setdefault(key, []).append(k)
                    paired_chars[key] = paired_chars.get(key, 0) + sum(len(s.text) for s in getattr(bead, lang))
    result = []
    k = 0
    while k < len(beads):
        key = one_sided_key(beads[k])
        if key is None:
            k += 1
            continue
        last = k
        while last + 1 < len(beads) and one_sided_key(beads[last + 1]) == key:
            last += 1
        pairs = pairs_by_paragraph.get(key, []) if paired_chars.get(key, 0) <= most else []
        neighbours = tuple(n for n in (k - 1, last + 1) if holds(pairs, n))
        if neighbours:  # the paragraph's pairs are only read by the literal pass, whose paragraphs are short
            result.append(Passage(k, last, key[0], () if free else tuple(pairs), neighbours))
        k = last + 1
    return result


def holds(ordered: list[int], k: int) -> bool:
    """Whether the ascending list `ordered` holds `k`."""
    at = bisect.bisect_left(ordered, k)
    return at < len(ordered) and ordered[at] == k


def one_sided_key(bead: Bead) -> tuple[str, str, int] | None:
    """(language, file, paragraph) of a one-sided bead of one sentence, else None."""
    if bead.paired or bead.other or bead.loose or len(bead.ru) + len(bead.en) != 1:
        return None
    segment = (bead.ru + bead.en)[0]
    return ("ru" if bead.ru else "en", segment.file, segment.paragraph)


def passage_segments(beads: Sequence[Bead], passage: Passage) -> list[Segment]:
    """The passage's sentences in text order."""
    return [s for bead in beads[passage.first : passage.last + 1] for s in bead.ru + bead.en]


def sides(beads: Sequence[Bead], passage: Passage) -> tuple[list[Segment], list[Segment]]:
    """The paragraph's paired sentences of the passage's language and their translations, each in text order."""
    other = "en" if passage.lang == "ru" else "ru"
    own = sorted((s for k in passage.pairs for s in getattr(beads[k], passage.lang)), key=lambda s: s.start)
    translation = sorted((s for k in passage.pairs for s in getattr(beads[k], other)), key=lambda s: (s.file, s.start))
    return own, translation


def plausible_length(beads: Sequence[Bead], passage: Passage, ratio: float) -> bool:
    """Whether the paragraph's paired side is short enough to judge and its length fits the translation's about as
    well with the passage as without it (the document's ratio `ratio` expected)."""
    own, translation = sides(beads, passage)
    paired = sum(len(s.text) for s in own)
    other = sum(len(s.text) for s in translation)
    if not paired or not other or paired > CONDENSED_MAX_PAIRED_CHARS:
        return False
    added = paired + sum(len(s.text) for s in passage_segments(beads, passage))
    loss = abs(math.log(added * ratio / other)) - abs(math.log(paired * ratio / other))
    return loss <= CONDENSED_MAX_LENGTH_LOSS


def cosine_drops(beads: Sequence[Bead], passages: list[Passage], encode: Encode, text: Text) -> list[float]:
    """For each passage: cosine(paragraph without it, translation) - cosine(paragraph with it, translation)."""
    texts = []
    for passage in passages:
        own, translation = sides(beads, passage)
        whole = sorted(own + passage_segments(beads, passage), key=lambda s: s.start)
        texts += [joined_text(own, text), joined_text(whole, text), joined_text(translation, text)]
    vectors = normalised(np.asarray(encode(texts), dtype=np.float32))
    without, with_passage, translations = vectors[0::3], vectors[1::3], vectors[2::3]
    drops = np.sum(without * translations, axis=1) - np.sum(with_passage * translations, axis=1)
    return [float(d) for d in drops]


def best_neighbours(beads: Sequence[Bead], passages: list[Passage], encode: Encode, text: Text) -> list[int]:
    """For each passage, the neighbouring pair whose translation matches the pair's side joined with the passage
    best (the only one, when one neighbour lies in the paragraph)."""
    texts, owners = [], []
    for i, passage in enumerate(passages):
        if len(passage.neighbours) < 2:
            continue
        for n in passage.neighbours:
            texts += [
                joined_text(merged_side(beads, passage, n), text),
                joined_text(other_side(beads[n], passage), text),
            ]
            owners.append(i)
    choices = [p.neighbours[0] for p in passages]
    if not texts:
        return choices
    vectors = normalised(np.asarray(encode(texts), dtype=np.float32))
    scores = np.sum(vectors[0::2] * vectors[1::2], axis=1)
    for i, passage in enumerate(passages):
        if len(passage.neighbours) == 2:
            first, second = (float(s) for s, owner in zip(scores, owners, strict=True) if owner == i)
            choices[i] = passage.neighbours[0] if first >= second else passage.neighbours[1]
    return choices


def merged_side(beads: Sequence[Bead], passage: Passage, pair: int) -> tuple[Segment, ...]:
    """The pair's side of the passage's language with the passage's sentences, in text order."""
    side = getattr(beads[pair], passage.lang) + tuple(passage_segments(beads, passage))
    return tuple(sorted(side, key=lambda s: s.start))


def other_side(bead: Bead, passage: Passage) -> tuple[Segment, ...]:
    """The bead's side of the language the passage is not in."""
    return bead.en if passage.lang == "ru" else bead.ru


def joined(beads: Sequence[Bead], chosen: list[tuple[Passage, int]]) -> list[Bead]:
    """The beads with each passage moved into its chosen pair, which becomes loose, and the passage's beads gone."""
    takes: dict[int, list[int]] = {}
    for passage, pair in chosen:
        takes.setdefault(pair, []).extend(range(passage.first, passage.last + 1))
    return taken_in(beads, takes, lambda bead: dataclasses.replace(bead, score=LOOSE_CONFIDENCE, loose=True))
