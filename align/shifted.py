"""Shifted dialogue: one-sided sentences of both languages a few pairs apart, searched again with omissions costing.

In a run of short lines of dialogue ("— Осёл!" / "— Кукурузная лепёшка!" / "— Корова!" against "“Idiot.”" /
"“Polendina!”" / "“Donkey!”") every line resembles every other, and the sentence search, for which leaving a
sentence one-sided costs nothing, pairs the run one off: it leaves a line of one language one-sided at one end and
a line of the other language at the other end, and each pair between them holds a line and its neighbour's
translation ("— Осёл!" with "“Donkey!”"). A real omission of one language is seldom followed within a few pairs by
one of the other language. So where one-sided sentences of both languages lie at most MAX_SHIFT_PAIRS pairs apart,
the stretch from the first to the last of them is searched again, each sentence left one-sided there costing
SHIFT_SKIP_COST: the lines paired in step win when they score about as well as the shifted ones, unrelated
sentences (a news omission on each side) never do. The new path is taken only when it holds more pairs (not a
one-sided sentence merged into its neighbour's pair), pairs no two one-sided sentences that faced each other
(align.loose judges those by their paragraphs), breaks no pair scoring SURE_SCORE, and pairs sentences scoring
below the pairing threshold only when both are lines of dialogue (each its paragraph's only sentence).
Measured (scratch, in-process Pipeline + score.py, SHIFT_SKIP_COST 0 against 0.1): bilinguator_dev complete works,
`align check --require en` errors 44 -> 42; with drops, pair mode, seed 1 strict F1 0.9834 -> 0.9851, untranslated
P 0.9516 -> 0.9556, R 0.9317 -> 0.9333; seed 2 0.9848 -> 0.9866, P 0.9511 -> 0.9595, R 0.9572 = ; wmt22 ru-en,
en-ru, tico19, tatoeba pair seeds 1 and 2 unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from align.dp import NEG, Link, bead_shapes

if TYPE_CHECKING:
    from align.align import Scorer

MAX_SHIFT_PAIRS = 4  # pairs between one-sided sentences of the two languages for the stretch to be searched again
SHIFT_SKIP_COST = 0.1  # what a sentence left one-sided costs in that second search (the first search: nothing)
SURE_SCORE = 0.9  # a pair scoring this much (cosine with margin) is kept: the second search breaks no such pair
MAX_STRETCH_SENTENCES = 64  # a stretch with more sentences on a side is left as it is: the second search is a Python
# loop over its cells (about 60 microseconds each), and windows chained by omissions every few pairs could span a
# book; the largest stretch of the dev corpora's pair cases (seeds 1 and 2) holds 56
TIE = 1e-9  # the second search's path replaces the first one's only when it gains more than this


def unshifted(links: list[Link], scorer: Scorer, max_bead: int) -> list[Link]:
    """`links` with each stretch of shift_windows of at most MAX_STRETCH_SENTENCES a side searched again
    (stretch_links)."""
    result: list[Link] = []
    done = 0
    for start, stop in shift_windows(links):
        if stretch_size(links[start:stop]) > MAX_STRETCH_SENTENCES:
            continue
        result += links[done:start]
        result += stretch_links(links[start:stop], scorer, max_bead)
        done = stop
    return result + links[done:]


def stretch_size(stretch: Sequence[Link]) -> int:
    """The number of sentences on the fuller side of `stretch`."""
    return max(sum(len(link.ru) for link in stretch), sum(len(link.en) for link in stretch))


def one_side(link: Link) -> str | None:
    """'ru' or 'en' for a one-sided link, None for a pair."""
    if link.ru and link.en:
        return None
    return "ru" if link.ru else "en"


def shift_windows(links: Sequence[Link]) -> list[tuple[int, int]]:
    """(start, stop) ranges of `links` from a one-sided link to the nearest one-sided link of the other language
    after it with 1..MAX_SHIFT_PAIRS pairs between them, overlapping ranges merged."""
    ranges: list[tuple[int, int]] = []
    for start, link in enumerate(links):
        side = one_side(link)
        if side is None:
            continue
        pairs = 0
        for k in range(start + 1, len(links)):
            other = one_side(links[k])
            if other is None:
                pairs += 1
                if pairs > MAX_SHIFT_PAIRS:
                    break
            elif other != side:
                if pairs:
                    ranges.append((start, k + 1))
                break
    merged: list[tuple[int, int]] = []
    for start, stop in ranges:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def stretch_links(stretch: Sequence[Link], scorer: Scorer, max_bead: int) -> list[Link]:
    """The best path through the sentences of `stretch` when each one left one-sided costs SHIFT_SKIP_COST, or
    `stretch` itself when that path gains no more than it."""
    ru = [i for link in stretch for i in link.ru]
    en = [j for link in stretch for j in link.en]
    first_ru, first_en = ru[0], en[0]
    best, moves = stretch_search(scorer, first_ru, first_en, len(ru), len(en), max_bead)
    if best <= path_gain(stretch, scorer) + TIE:
        return list(stretch)
    links: list[Link] = []
    i, j = len(ru), len(en)
    while i or j:
        a, b = moves[i][j]
        if a and b:
            score = float(scorer.scores(a, b, first_ru + i - 1, first_en + j - 1, first_en + j - 1)[0])
            rival = scorer.rival(a, b, first_ru + i - 1, first_en + j - 1)
        else:
            score, rival = 0.0, math.nan
        links.append(
            Link(
                tuple(range(first_ru + i - a, first_ru + i)), tuple(range(first_en + j - b, first_en + j)), score, rival
            )
        )
        i, j = i - a, j - b
    links.reverse()
    if pair_count(links) <= pair_count(stretch) or pairs_facing(stretch, links) or breaks_sure(stretch, links):
        return list(stretch)  # no shift undone: a one-sided sentence merged into a pair, or two facing ones paired
    return links


def breaks_sure(old: Sequence[Link], new: Sequence[Link]) -> bool:
    """Whether `new` lacks a pair of `old` scoring SURE_SCORE or more."""
    kept = {(link.ru, link.en) for link in new}
    return any(link.score >= SURE_SCORE and (link.ru, link.en) not in kept for link in old if link.ru and link.en)


def pairs_facing(old: Sequence[Link], new: Sequence[Link]) -> bool:
    """Whether a pair of `new` is made of one-sided links of `old` that follow each other (two omissions facing
    each other: align.loose's to judge by their paragraphs)."""
    owner = {("ru", i): k for k, link in enumerate(old) for i in link.ru}
    owner.update({("en", j): k for k, link in enumerate(old) for j in link.en})
    for link in new:
        if not (link.ru and link.en):
            continue
        ks = sorted({owner["ru", i] for i in link.ru} | {owner["en", j] for j in link.en})
        if all(one_side(old[k]) for k in ks) and ks[-1] - ks[0] == len(ks) - 1:
            return True
    return False


def pair_count(links: Sequence[Link]) -> int:
    """How many of `links` pair sentences of both languages."""
    return sum(bool(link.ru and link.en) for link in links)


def lone_line(paragraphs: np.ndarray, k: int) -> bool:
    """Whether sentence k is its paragraph's only sentence (a line of dialogue)."""
    before = k == 0 or paragraphs[k - 1] != paragraphs[k]
    after = k == len(paragraphs) - 1 or paragraphs[k + 1] != paragraphs[k]
    return bool(before and after)


def bead_gain(scorer: Scorer, a: int, b: int, ru_end: int, en_end: int) -> float:
    """The search's gain of the a-b bead ending at RU sentence ru_end and EN sentence en_end; minus SHIFT_SKIP_COST
    for a one-sided one."""
    if not (a and b):
        return -SHIFT_SKIP_COST
    lines = lone_line(scorer.ru.paragraphs, ru_end) and lone_line(scorer.en.paragraphs, en_end)
    if a == b == 1 and not lines and float(scorer.scores(1, 1, ru_end, en_end, en_end)[0]) < scorer.options.threshold:
        return NEG  # below the pairing threshold, only two lines of dialogue pair here
    return float(scorer.gains(a, b, ru_end, en_end, en_end)[0])


def path_gain(stretch: Sequence[Link], scorer: Scorer) -> float:
    """The gain of the links of `stretch` as they are, each one-sided sentence costing SHIFT_SKIP_COST."""
    return sum(
        bead_gain(scorer, len(link.ru), len(link.en), link.ru[-1] if link.ru else -1, link.en[-1] if link.en else -1)
        for link in stretch
    )


def stretch_search(
    scorer: Scorer, first_ru: int, first_en: int, n: int, m: int, max_bead: int
) -> tuple[float, list[list[tuple[int, int]]]]:
    """The best gain through RU sentences first_ru.. (n of them) and EN sentences first_en.. (m), one-sided ones
    costing SHIFT_SKIP_COST, and the move into each cell."""
    best = np.full((n + 1, m + 1), NEG)
    best[0, 0] = 0.0
    moves = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    shapes = bead_shapes(max_bead)
    for i in range(n + 1):
        for j in range(m + 1):
            for a, b in shapes:
                if a > i or b > j or best[i - a, j - b] <= NEG:
                    continue
                value = best[i - a, j - b] + bead_gain(scorer, a, b, first_ru + i - 1, first_en + j - 1)
                if value > best[i, j] + TIE:
                    best[i, j], moves[i][j] = value, (a, b)
    return float(best[n, m]), moves
