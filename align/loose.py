"""Loose translations: a sentence or a paragraph left unpaired facing one between two pairs becomes one bead.

A free (literary) translation often says a paragraph's content in sentences no single one of which matches a
sentence of the original: the sentence search then leaves both paragraphs one-sided, though the translator
translated the paragraph as a whole; an idiom is rendered by another ("You've lost your marbles." / "У тебя не
все дома."). Between two pairs, a gap made of one sentence on each side, or of whole paragraphs, one on each side,
of comparable length, is one bead the aligner did not verify sentence by sentence: it is kept as a pair marked
loose, with a low confidence, and `align check` notes it as a loose translation. The before/after
figures on the dev bench are in docs/quality-history.md (bench/quality.py).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from typing import Protocol, TypeVar

from align.model import Bead, Document, Segment

MAX_LOOSE_PARAGRAPHS = 1  # paragraphs on each side of a loose bead (translators join or split paragraphs, but
# a gap of several paragraphs on a side is as often an omission beside a loose pair)
MAX_LOOSE_LENGTH_RATIO = 3.0  # the longer side of a loose bead is at most this many times the shorter (characters)
LOOSE_CONFIDENCE = 0.45  # a loose bead's confidence: paired by the paragraphs around it, not by what it says
FREE_MIN_LOOSE_BEADS = 3  # a free translation: at least this many loose beads (no dev news, health or Tatoeba
FREE_MIN_LOOSE_SHARE = 0.005  # document has more than 2) making at least this share of its pairs (Tatoeba: 0.002)
FREE_MIN_REGROUPED = 10  # or: a loose bead, and at least this many pairs that regroup sentences (2-1, 1-2, ...)
FREE_MIN_REGROUPED_SHARE = 0.25  # making at least this share of its pairs: a short tale whose paragraphs were
# deleted keeps too few loose beads (dev seed 1: three of Andersen's and Grimm's, 33-44 % of their pairs regrouped;
# of the news, health and Tatoeba documents with a loose bead, at most 17 % and 9 pairs)


def free_translation(beads: Sequence[Bead]) -> bool:
    """Whether a document reads as a free translation: enough of its pairs are loose (FREE_MIN_LOOSE_BEADS,
    FREE_MIN_LOOSE_SHARE), or one is and many regroup sentences (FREE_MIN_REGROUPED, FREE_MIN_REGROUPED_SHARE).
    There a sentence left one-sided inside a translated paragraph is almost always said in a neighbouring
    sentence's translation, not left out (align.condensed)."""
    pairs = [b for b in beads if b.paired]
    loose = sum(b.loose for b in pairs)
    if loose >= FREE_MIN_LOOSE_BEADS and loose >= FREE_MIN_LOOSE_SHARE * len(pairs):
        return True
    regrouped = sum(len(b.ru) + len(b.en) > 2 for b in pairs)
    return bool(loose) and regrouped >= FREE_MIN_REGROUPED and regrouped >= FREE_MIN_REGROUPED_SHARE * len(pairs)


class Linked(Protocol):
    """What the pass needs of a link (align.align.Link): a dataclass with the indices of its RU and EN sentences,
    its score and whether it is loose."""

    ru: tuple[int, ...]
    en: tuple[int, ...]
    score: float
    loose: bool


def with_loose_pairs(document: Document, links: Sequence[L]) -> list[L]:
    """`links` with each run of loose_spans joined into one link marked loose (score: none, as for one side)."""
    result: list[L] = []
    done = 0
    for start, stop in loose_spans(document, links):
        result.extend(links[done:start])
        gap = links[start:stop]
        ru = tuple(i for link in gap for i in link.ru)
        en = tuple(j for link in gap for j in link.en)
        result.append(dataclasses.replace(gap[0], ru=ru, en=en, score=0.0, loose=True))
        done = stop
    return result + list(links[done:])


L = TypeVar("L", bound=Linked)


def loose_spans(document: Document, links: Sequence[Linked]) -> list[tuple[int, int]]:
    """(start, stop) index ranges of `links` to join into one loose bead each: runs of one-sided links between
    two paired links whose sentences are one sentence on each side, or whole paragraphs, at most
    MAX_LOOSE_PARAGRAPHS on each side, within MAX_LOOSE_LENGTH_RATIO of each other in length (the document's ends
    are no anchors)."""
    spans = []
    sizes = {"ru": paragraph_sizes(document.ru), "en": paragraph_sizes(document.en)}
    paired = [k for k, link in enumerate(links) if link.ru and link.en]
    for before, after in zip(paired, paired[1:], strict=False):
        if after - before < 3:  # a gap needs a one-sided link of each language
            continue
        ru = [document.ru[i] for link in links[before + 1 : after] for i in link.ru]
        en = [document.en[j] for link in links[before + 1 : after] for j in link.en]
        facing_sentences = len(ru) == len(en) == 1  # "The past is the past." / "Что было, то было."
        paragraphs = whole_paragraphs(ru, sizes["ru"]) and whole_paragraphs(en, sizes["en"])
        if (facing_sentences or paragraphs) and comparable(ru, en):
            spans.append((before + 1, after))
    return spans


def paragraph_sizes(side: list[Segment]) -> Counter[tuple[str, int]]:
    """Sentences per (file, paragraph) of one side."""
    return Counter((s.file, s.paragraph) for s in side)


def whole_paragraphs(gap: list[Segment], sizes: Counter[tuple[str, int]]) -> bool:
    """Whether a gap's sentences of one side are whole paragraphs, one to MAX_LOOSE_PARAGRAPHS of them."""
    paragraphs = {(s.file, s.paragraph) for s in gap}
    if not 1 <= len(paragraphs) <= MAX_LOOSE_PARAGRAPHS:
        return False
    return sum(sizes[paragraph] for paragraph in paragraphs) == len(gap)


def comparable(ru: list[Segment], en: list[Segment]) -> bool:
    """Whether two sides' lengths are within MAX_LOOSE_LENGTH_RATIO of each other."""
    ru_length, en_length = sum(len(s.text) for s in ru), sum(len(s.text) for s in en)
    return max(ru_length, en_length) <= MAX_LOOSE_LENGTH_RATIO * min(ru_length, en_length)
