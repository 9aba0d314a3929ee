"""In-step paragraphs: in a free translation, a stretch of dialogue the search paired one paragraph off is paired
paragraph by paragraph.

In a run of short lines of dialogue a line's tag ("— спросил Маленький принц.") can resemble the next line's
("demanded the little prince.") more than its own translation does, and the search pairs the run one paragraph off:
"— Что это ты делаешь? — спросил Маленький принц." with "“Why are you drinking?” demanded the little prince.",
"— Пью, — мрачно ответил пьяница." with "“So that I may forget,” replied the tippler.", leaving "“I am drinking,”
replied the tippler" one-sided at one end and "— Зачем?", "— Чтобы забыть." at the other, every pair between them
sure. align.shifted, which breaks no sure pair, cannot undo it; the paragraphs can. Where one-sided sentences of both
languages lie at most MAX_SHIFT_PAIRS pairs apart, the window from the first to the last of them, widened to the
one-sided beads beside it and to every bead sharing a paragraph with it, holding as many whole paragraphs on each
side (2 to MAX_IN_STEP_PARAGRAPHS), is read paragraph by paragraph: when each paragraph matches the one in the same
place on the other side (cosine of the two read as wholes at least IN_STEP_MIN_COSINE) and the paragraphs in step
match IN_STEP_MIN_RATIO times better than one paragraph off either way (the sums of the cosines), each paragraph pair
becomes one loose bead (its beads kept when they are pairs lying in it alone). A one-sided bead's own window, one
paragraph each side beside its one-sided sentences, is one paragraph pair the translator rendered otherwise than
sentence by sentence ("— Чего плакать, моё дитятко, — уговаривает она её. — Полно же, полно!" / "“What have you to
cry for? Come now, stop it!”", its first line paired with both English ones at a confidence unrelated-looking texts
reach, so align.paragraph_pairs left it): one loose bead when its paragraphs match (IN_STEP_MIN_COSINE; dev: the
three such windows left in bilinguator_dev's complete works, all gold pairs, 0.19-0.63, none in its cases with
drops). Two omissions of opposite languages
around a pair one paragraph off its neighbours match one paragraph off, not in step. Only in a free translation
(align.loose.free_translation). Measured with bench/quality.py (figures in the commit that added it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from align.absorb import Encode, Text, joined_text
from align.encoders import normalised
from align.loose import LOOSE_CONFIDENCE, free_translation
from align.model import Alignment, Bead, Segment
from align.shifted import MAX_SHIFT_PAIRS

MAX_IN_STEP_PARAGRAPHS = 6  # paragraphs a side of a window read in step, a larger one left as it is
IN_STEP_MIN_COSINE = 0.25  # each paragraph pair in step (dev, bilinguator_dev complete and seeds 1, 2 with drops:
# the right windows' weakest pair 0.30-0.62 — "— Зачем?" / "“Why are you drinking?” demanded the little prince." 0.30;
# the wrong windows accepted by the ratio alone 0.25 at best)
IN_STEP_MIN_RATIO = 2.0  # the in-step cosines' sum against the best one-off sum (dev: right windows 2.3-6.4, wrong
# ones with every pair at IN_STEP_MIN_COSINE 1.1-1.6)

Key = tuple[str, str, int]  # (side, file, paragraph)
Window = tuple[int, int]  # beads [start, stop)


def in_step_paragraphs(alignment: Alignment, encode: Encode, text: Text) -> Alignment:
    """In a free translation, `alignment` with each window of paragraphs the search paired one off paired in step
    (module docstring)."""
    beads = alignment.beads
    if not free_translation(beads):
        return alignment
    windows = [(w, sides) for w in shift_windows(beads) if (sides := window_paragraphs(beads[w[0] : w[1]]))]
    if not windows:
        return alignment
    texts = [joined_text(p, text) for _, sides in windows for side in sides for p in side]
    vectors = iter(normalised(np.asarray(encode(texts), dtype=np.float32)))
    result: list[Bead] = []
    done = 0
    for (start, stop), (ru, en) in windows:
        ru_vectors = np.stack([next(vectors) for _ in ru])
        en_vectors = np.stack([next(vectors) for _ in en])
        if start < done or not in_step(ru_vectors @ en_vectors.T):
            continue
        result += beads[done:start]
        result += stepped(beads[start:stop], ru, en)
        done = stop
    return dataclasses.replace(alignment, beads=result + list(beads[done:])) if done else alignment


def one_side(bead: Bead) -> str | None:
    """'ru' or 'en' for a one-sided bead, None for a pair or a bead of a third language."""
    if bead.paired or bead.other:
        return None
    return "ru" if bead.ru else "en"


def keys_of(bead: Bead) -> set[Key]:
    """The paragraphs a bead's sentences lie in, by the bead's side."""
    return {(side, s.file, s.paragraph) for side in ("ru", "en") for s in getattr(bead, side)}


def shift_windows(beads: Sequence[Bead]) -> list[Window]:
    """Each one-sided bead's window, alone and to the nearest one-sided bead of the other language after it at most
    MAX_SHIFT_PAIRS pairs on, widened to whole paragraphs (widened); in order, duplicates dropped."""
    spans = paragraph_spans(beads)
    found: set[Window] = set()
    for start, bead in enumerate(beads):
        side = one_side(bead)
        if side is None:
            continue
        found.add(widened(beads, spans, start, start + 1))
        pairs = 0
        for k in range(start + 1, len(beads)):
            other = one_side(beads[k])
            if other is None:
                pairs += beads[k].paired
                if pairs > MAX_SHIFT_PAIRS:
                    break
            elif other != side:
                found.add(widened(beads, spans, start, k + 1))
                break
    return sorted(found)


def paragraph_spans(beads: Sequence[Bead]) -> dict[Key, Window]:
    """Each paragraph -> the beads from the first to the last holding a sentence of it."""
    spans: dict[Key, Window] = {}
    for k, bead in enumerate(beads):
        for key in keys_of(bead):
            first, _ = spans.get(key, (k, k))
            spans[key] = (first, k + 1)
    return spans


def widened(beads: Sequence[Bead], spans: dict[Key, Window], start: int, stop: int) -> Window:
    """[start, stop) widened, until nothing changes, to the one-sided beads next to it and to every bead holding a
    sentence of a paragraph it holds."""
    while True:
        while start > 0 and one_side(beads[start - 1]):
            start -= 1
        while stop < len(beads) and one_side(beads[stop]):
            stop += 1
        keys = set().union(*(keys_of(bead) for bead in beads[start:stop]))
        wider = (min(spans[key][0] for key in keys), max(spans[key][1] for key in keys))
        if wider == (start, stop):
            return start, stop
        start, stop = wider


def window_paragraphs(window: Sequence[Bead]) -> tuple[list[list[Segment]], list[list[Segment]]] | None:
    """The window's Russian and English paragraphs (their sentences in text order) when it holds a pair, a third
    language nowhere, and as many paragraphs of one file on each side: one, beside one-sided sentences, or 2 to
    MAX_IN_STEP_PARAGRAPHS beside one-sided sentences of both languages; else None."""
    kinds = {one_side(bead) for bead in window}
    if None not in kinds or len(kinds) < 2 or any(bead.other for bead in window):
        return None
    sides = []
    for side in ("ru", "en"):
        paragraphs: dict[tuple[str, int], list[Segment]] = {}
        for segment in sorted((s for bead in window for s in getattr(bead, side)), key=lambda s: (s.file, s.start)):
            paragraphs.setdefault((segment.file, segment.paragraph), []).append(segment)
        if len({file for file, _ in paragraphs}) != 1:
            return None
        sides.append(list(paragraphs.values()))
    ru, en = sides
    if len(ru) != len(en) or len(ru) > MAX_IN_STEP_PARAGRAPHS or (len(ru) > 1 and len(kinds) < 3):
        return None
    return ru, en


def in_step(cosines: np.ndarray) -> bool:
    """Whether paragraphs matched by `cosines` (Russian rows, English columns, as many of each) pair in step: each
    at least IN_STEP_MIN_COSINE, their sum IN_STEP_MIN_RATIO times the better one-off sum."""
    steps = np.diagonal(cosines)
    off = max(float(np.sum(np.diagonal(cosines, 1))), float(np.sum(np.diagonal(cosines, -1))))
    return float(np.min(steps)) >= IN_STEP_MIN_COSINE and float(np.sum(steps)) >= IN_STEP_MIN_RATIO * max(off, 0.0)


def stepped(window: Sequence[Bead], ru: list[list[Segment]], en: list[list[Segment]]) -> list[Bead]:
    """The window's beads paragraph pair by paragraph pair: a pair's own beads when they are all pairs and none of
    them reaches outside it, else one loose bead of its two paragraphs."""
    result: list[Bead] = []
    for ru_paragraph, en_paragraph in zip(ru, en, strict=True):
        ids = {id(s) for s in ru_paragraph + en_paragraph}
        own = [b for b in window if any(id(s) in ids for s in b.ru + b.en)]
        if all(b.paired for b in own) and all(id(s) in ids for b in own for s in b.ru + b.en):
            result += own
        else:
            result.append(Bead(tuple(ru_paragraph), tuple(en_paragraph), LOOSE_CONFIDENCE, loose=True))
    return result
