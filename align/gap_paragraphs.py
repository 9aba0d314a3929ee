"""Gap paragraphs: in a free translation, the paragraphs of a gap between two pairs paired in order, as wholes.

A literary translator keeps the story's order but not its paragraph breaks: a reply goes into the next speaker's
paragraph, a line of narration into the reply it introduces, and no sentence of either side matches one of the
other well enough for the sentence search. Between two pairs (align.gaps.gaps_between_pairs) such a gap
holds one-sided text of both languages, paragraph by paragraph (a paragraph partly paired outside the gap gives
the gap its one-sided sentences). The gap's paragraphs of each side are aligned in order as wholes
(paragraph_blocks): one or two paragraphs of one side with one or two of the other, or a paragraph left alone;
a block becomes one loose bead when its texts match (cosine at least GAP_PARAGRAPH_MIN_COSINE, or CLOSE_MIN_COSINE
when their lengths fit within CLOSE_LENGTH_MISFIT) and their lengths fit the document's ratio
(GAP_PARAGRAPH_MAX_LENGTH_MISFIT, each side LENGTH_SLACK_CHARS longer). The order with the largest summed cosine
of its blocks wins. A paragraph whose translation was deleted matches nothing and keeps its one-sided beads. A gap
with more paragraphs on one side than the other is most often one with an omission, where two facing paragraphs
of a story can share names and scene without being each other's translation: there a block must reach
UNEVEN_MIN_COSINE, or stand UNEVEN_MIN_MARGIN above every other block of its shape sharing a paragraph with it.
Figures: docs/quality-history.md (bench/quality.py).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np

from align.absorb import Encode, Text, joined_text
from align.encoders import normalised
from align.gaps import Gap, gaps_between_pairs, length_misfit
from align.in_step import in_step_paragraphs
from align.loose import LOOSE_CONFIDENCE, free_translation
from align.model import Alignment, Bead, Segment

GAP_MAX_PARAGRAPHS = 10  # paragraphs on each side of a gap aligned as wholes, a longer gap left as it is (dev,
# complete: at 6, 86 false untranslated units by check and 85 by score.py; at 10, 82 and 81; seed 1 with drops equal)
BLOCK_SHAPES = ((1, 1), (1, 2), (2, 1), (2, 2))  # paragraphs of each side a block joins
GAP_PARAGRAPH_MIN_COSINE = 0.3  # a block's Russian and English read as wholes (dev, seeds 1, 2 and complete, at
# misfit 0.7, 1 x 1 and 2 x 2 gaps paired in order: 98 of 99 such pairs were gold paragraph pairs)
GAP_PARAGRAPH_MAX_LENGTH_MISFIT = 0.7  # |log(Russian x the document's ratio / English)|, about 2 times
UNEVEN_MIN_MARGIN = 0.1  # ... or GAP_PARAGRAPH_MIN_COSINE and this far above every rival block (dev, margin 0.1 /
# 0.2 / none: seed 1 untranslated P 0.935 / 0.933 / 0.922, R 0.924 / 0.924 / 0.931; seed 2 P 0.929 / 0.926 / 0.912)
LENGTH_SLACK_CHARS = 60  # added to each side's length before the fit test: a line of dialogue of 11 characters
# against one of 39 ("— А почему?" / "“Why is that?” asked the little prince.") is no misfit (dev: at 0, 40, 60, 100:
# seed 1 untranslated P 0.9098, 0.9199, 0.9199, 0.9199, complete score.py false per 1000 4.61, 3.70, 3.59, 3.59)
CLOSE_LENGTH_MISFIT = 0.5  # a block this close in length needs only CLOSE_MIN_COSINE (dev: 17 more gold pairs, no
CLOSE_MIN_COSINE = 0.15  # wrong one; the wrong in-order pairs of 1 x 1 and 2 x 2 gaps were all at misfit >= 0.55)
UNEVEN_MIN_COSINE = 0.5  # a block of a gap with more paragraphs on one side, whatever its lengths (an omission is
# what makes most such gaps uneven: dev seed 1, of 43 blocks of uneven gaps at cosine 0.15-0.5, 15 held real
# one-sided paragraphs; at 0.5 or more 0 of 16)

Paragraph = tuple[Segment, ...]  # a gap's sentences of one paragraph, in text order
Block = tuple[int, int, int, int]  # Russian paragraphs [a, b) with English paragraphs [c, d) of one gap


def gap_paragraphs_paired(alignment: Alignment, ratio: float, encode: Encode, text: Text) -> Alignment:
    """In a free translation, `alignment` with each gap's matching paragraph blocks made loose beads (module
    docstring), after the windows of paragraphs the search paired one off are paired in step (align.in_step);
    `ratio`: the document's English characters per Russian character."""
    if not free_translation(alignment.beads):
        return alignment
    alignment = in_step_paragraphs(alignment, encode, text)
    beads = alignment.beads
    gaps = [(gap, paragraphs_of(gap)) for gap in gaps_between_pairs(beads)]
    gaps = [(gap, sides) for gap, sides in gaps if max(map(len, sides)) <= GAP_MAX_PARAGRAPHS]
    candidates = [[b for b in blocks_of(*sides) if fits(sides, b, ratio)] for _, sides in gaps]
    texts = [
        joined_text(side, text)
        for (_, sides), blocks in zip(gaps, candidates, strict=True)
        for b in blocks
        for side in block_sides(sides, b)
    ]
    if not texts:
        return alignment
    vectors = normalised(np.asarray(encode(texts), dtype=np.float32))
    cosines = iter(np.sum(vectors[0::2] * vectors[1::2], axis=1))
    result: list[Bead] = []
    done = 0
    for (gap, sides), blocks in zip(gaps, candidates, strict=True):
        scored = {b: float(next(cosines)) for b in blocks}
        matched = {b: c for b, c in scored.items() if matches(sides, b, c, ratio, rival(scored, b))}
        chosen = paragraph_blocks(sides, matched)
        if not chosen:
            continue
        result.extend(beads[done : gap.first])
        result.extend(regrouped(beads[gap.first : gap.last + 1], sides, chosen))
        done = gap.last + 1
    return dataclasses.replace(alignment, beads=result + list(beads[done:])) if done else alignment


def paragraphs_of(gap: Gap) -> tuple[list[Paragraph], list[Paragraph]]:
    """The gap's Russian and English paragraphs (its sentences grouped by paragraph), each in text order."""
    sides = []
    for segments in (gap.ru, gap.en):
        paragraphs: dict[tuple[str, int], list[Segment]] = {}
        for segment in sorted(segments, key=lambda s: s.start):
            paragraphs.setdefault((segment.file, segment.paragraph), []).append(segment)
        sides.append([tuple(p) for p in paragraphs.values()])
    return sides[0], sides[1]


def blocks_of(ru: list[Paragraph], en: list[Paragraph]) -> list[Block]:
    """Every block of BLOCK_SHAPES that fits inside the gap."""
    return [
        (a, a + n, c, c + m)
        for a in range(len(ru))
        for c in range(len(en))
        for n, m in BLOCK_SHAPES
        if a + n <= len(ru) and c + m <= len(en)
    ]


def block_sides(sides: tuple[list[Paragraph], list[Paragraph]], block: Block) -> tuple[Paragraph, Paragraph]:
    """A block's Russian sentences and English sentences, each in text order."""
    a, b, c, d = block
    return tuple(s for p in sides[0][a:b] for s in p), tuple(s for p in sides[1][c:d] for s in p)


def fits(sides: tuple[list[Paragraph], list[Paragraph]], block: Block, ratio: float) -> bool:
    """Whether a block's lengths fit the document's ratio within GAP_PARAGRAPH_MAX_LENGTH_MISFIT, each side
    LENGTH_SLACK_CHARS longer."""
    ru, en = (sum(len(s.text) for s in side) for side in block_sides(sides, block))
    return (
        abs(math.log((ru * ratio + LENGTH_SLACK_CHARS) / (en + LENGTH_SLACK_CHARS))) <= GAP_PARAGRAPH_MAX_LENGTH_MISFIT
    )


def rival(scored: dict[Block, float], block: Block) -> float:
    """The best cosine of another block of the same shape sharing a paragraph with `block` (-1 when none)."""
    a, b, c, d = block
    shape = (b - a, d - c)
    return max(
        (
            cosine
            for (e, f, g, h), cosine in scored.items()
            if (f - e, h - g) == shape and (e, g) != (a, c) and (e < b and a < f or g < d and c < h)
        ),
        default=-1.0,
    )


def matches(
    sides: tuple[list[Paragraph], list[Paragraph]], block: Block, cosine: float, ratio: float, rivalled: float
) -> bool:
    """Whether a block's two sides say the same: in a gap with more paragraphs on one side, at least
    UNEVEN_MIN_COSINE, or GAP_PARAGRAPH_MIN_COSINE and UNEVEN_MIN_MARGIN above `rivalled` (the best block of its
    shape sharing a paragraph with it); else the module's thresholds."""
    if len(sides[0]) != len(sides[1]):
        clear = cosine >= GAP_PARAGRAPH_MIN_COSINE and cosine - rivalled >= UNEVEN_MIN_MARGIN
        return cosine >= UNEVEN_MIN_COSINE or clear
    close = length_misfit(*block_sides(sides, block), ratio) <= CLOSE_LENGTH_MISFIT
    return cosine >= GAP_PARAGRAPH_MIN_COSINE or (close and cosine >= CLOSE_MIN_COSINE)


def paragraph_blocks(sides: tuple[list[Paragraph], list[Paragraph]], matched: dict[Block, float]) -> list[Block]:
    """The matched blocks of the in-order alignment of the gap's paragraphs with the largest summed cosine (a
    paragraph in no block stays as it was), in order."""
    n, m = len(sides[0]), len(sides[1])
    best: dict[tuple[int, int], tuple[float, list[Block]]] = {(0, 0): (0.0, [])}
    for i in range(n + 1):
        for j in range(m + 1):
            if (i, j) == (0, 0):
                continue
            options = [best[(i - 1, j)] if i else None, best[(i, j - 1)] if j else None]
            for di, dj in BLOCK_SHAPES:
                block = (i - di, i, j - dj, j)
                if block in matched:
                    total, blocks = best[(i - di, j - dj)]
                    options.append((total + matched[block], [*blocks, block]))
            best[(i, j)] = max((o for o in options if o is not None), key=lambda o: o[0])
    return best[(n, m)][1]


def regrouped(gap: Sequence[Bead], sides: tuple[list[Paragraph], list[Paragraph]], chosen: list[Block]) -> list[Bead]:
    """The gap's beads with each chosen block one loose bead; the beads of paragraphs in no block keep their order,
    placed between the blocks they lie between."""
    result: list[Bead] = []
    ru_done = en_done = 0
    for a, b, c, d in [*chosen, (len(sides[0]), len(sides[0]), len(sides[1]), len(sides[1]))]:
        left = {id(s) for p in sides[0][ru_done:a] + sides[1][en_done:c] for s in p}
        result.extend(bead for bead in gap if id((bead.ru + bead.en)[0]) in left)
        if b > a:
            ru, en = block_sides(sides, (a, b, c, d))
            result.append(Bead(ru, en, LOOSE_CONFIDENCE, loose=True))
        ru_done, en_done = b, d
    return result
