"""A second pass over the aligner's beads: the search again, near the first path, with lexical anchors in the gain.

The first pass (align.align.best_links) scores a bead by its embedding similarity alone. Where two cuts of the same
sentences embed alike (two 1-1 beads or one 2-2 bead; a caption joined to a sentence or left on its own), the
sentence encoder cannot tell them apart, but the words the two languages spell the same way often can: numbers
("8848", "1953"), names ("Hartog", "Dhaulagiri") and shared words. This pass searches the band of Anchors.band
columns either side of the first path again, with the first pass's gain plus, per bead, Anchors.weight for each
anchor it holds on both sides, less Anchors.unmatched_share of that for each anchor it holds on one side only (a
bead that splits a number from its translation, or takes in a caption whose number the other side lacks, loses).
A sentence that resembles no sentence of the other side near the path (best cosine below Anchors.lone: captions,
page furniture, OCR debris) costs a bead that joins it to others of its side the skip penalty, what leaving it
one-sided costs. A numbered item (a line opening with the same list number or letter on both sides, "12. ", "b ) ")
opens a bead on both sides: a bead that holds such a pair of lines other than as its first line on both sides pays
Anchors.numbered_item (translators keep a list's numbering; the first pass's embeddings may join an item to the
sentences before it). Bertalign's second step re-searches a window around a first path in the same way; its extra
evidence is the embedding of the joined texts, which align's first pass already has (Side.groups), so what this
pass adds is the lexical evidence and the lone sentences.

Enabled by AlignOptions.refine (align.languages.PRESPLIT_OPTIONS: --presplit input of a pair other than ru,en);
the default RU/EN path never comes here. Measured in bench/textberg.md.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from align.align import (
    AlignOptions,
    Link,
    Scorer,
    Side,
    banded_moves,
    bead_shapes,
    neighbourhoods,
    search_band,
    trace,
    window_sums,
)
from align.model import Segment

WORD = re.compile(r"\w+")
# A line opening a numbered item: up to 3 digits and a full stop or bracket ("12. ", "3) "), or one letter and a
# bracket ("b ) "), then a space or the line's end; tokenised text may hold a space before the mark. A letter and a
# full stop is left out: it is an initial ("A. Desio").
NUMBERED_ITEM = re.compile(r"\s*(\d{1,3}\s?[.)]|[^\W\d_]\s?\))(?=\s|$)")
Bags = tuple[list[Counter[str]], list[Counter[str]]]  # per side, per sentence: how often each anchor occurs in it


@dataclass(frozen=True)
class Anchors:
    """The pass's parameters, chosen on the Text+Berg de-fr dev set (bench/textberg.md) and checked on es-it."""

    band: int = 5  # DP columns searched either side of the first path (Bertalign's second-step window, 5)
    weight: float = 0.3  # gain per anchor a bead holds on both sides (about one merge penalty, 0.31: one shared
    # number or name pays for one more sentence in a bead; 0.2-0.4 give dev strict F1 0.930-0.934)
    unmatched_share: float = 0.5  # of `weight`, lost per anchor a two-sided bead holds on one side only
    min_word: int = 4  # shorter words are no anchors (de "des"/fr "des", es/it "la") ...
    min_number: int = 2  # ... nor single digits: list numbers, "K 2", page numbers occur all over a text
    lone: float = 0.1  # best cosine below which a sentence resembles none of the other side's near the path (dev
    # set, French lines: 16 of the 40 one-sided gold lines score below 0.1, 1 of the 514 others)
    numbered_item: float = 1.0  # cost of a bead holding a numbered item's opening lines other than at its start
    # on both sides: about what a bead's similarity can gain per sentence (a cosine is at most 1), so the rule wins
    # over the embeddings (dev set: 44 numbered German lines, each opens its gold bead; 0.8-10 give the same beads)


def anchor_words(text: str, anchors: Anchors) -> list[str]:
    """The text's candidate anchors: its lowercased words of at least `min_word` characters, or `min_number`
    characters when they hold a digit."""
    words = (word.lower() for word in WORD.findall(text))
    return [w for w in words if len(w) >= (anchors.min_number if any(c.isdigit() for c in w) else anchors.min_word)]


def anchor_bags(ru: list[Segment], en: list[Segment], anchors: Anchors) -> Bags:
    """Per sentence of each side, the count of each anchor: a candidate word that occurs on both sides somewhere."""
    ru_words = [anchor_words(s.text, anchors) for s in ru]
    en_words = [anchor_words(s.text, anchors) for s in en]
    shared = set(itertools.chain.from_iterable(ru_words)) & set(itertools.chain.from_iterable(en_words))
    return (
        [Counter(w for w in words if w in shared) for words in ru_words],
        [Counter(w for w in words if w in shared) for words in en_words],
    )


def item_number(text: str) -> str | None:
    """The number or letter a line opens a numbered item with ("12.", "b)": spaces left out, lowercased), or None."""
    found = NUMBERED_ITEM.match(text)
    return found.group(1).replace(" ", "").lower() if found else None


def numbered_items(
    ru: list[Segment], en: list[Segment], lo: np.ndarray, hi: np.ndarray, reach: int
) -> list[tuple[int, ...]]:
    """Per RU sentence, the EN sentences in its band (`reach` columns wider) opening the same numbered item."""
    en_at: dict[str, list[int]] = {}
    for j, segment in enumerate(en):
        number = item_number(segment.text)
        if number:
            en_at.setdefault(number, []).append(j)
    items: list[tuple[int, ...]] = []
    for i, segment in enumerate(ru):
        number = item_number(segment.text)
        near = range(lo[i] - reach, hi[i + 1] + reach + 1)
        items.append(tuple(j for j in en_at.get(number, ()) if j in near) if number else ())
    return items


def run_bags(bags: list[Counter[str]], size: int) -> list[Counter[str]]:
    """Row k: the anchors of sentences k-size+1..k together (rows before size-1 hold the run from the start)."""
    runs: list[Counter[str]] = []
    for k in range(len(bags)):
        run: Counter[str] = Counter()
        for bag in bags[max(0, k - size + 1) : k + 1]:
            run.update(bag)
        runs.append(run)
    return runs


class AnchoredScorer(Scorer):
    """align.align.Scorer whose gains add each bead's anchors (see the module docstring); its scores are the
    first pass's, so a bead's recorded score and confidence mean what they always did."""

    def add_evidence(
        self, bags: Bags, lone: tuple[np.ndarray, np.ndarray], items: list[tuple[int, ...]], anchors: Anchors
    ) -> None:
        """The anchors of each sentence (anchor_bags) and which sentences are lone (lone_sentences), per side; the
        numbered items of each RU sentence (numbered_items)."""
        sizes = range(1, self.options.max_bead + 1)
        self.ru_runs = {a: run_bags(bags[0], a) for a in sizes}
        self.en_runs = {b: run_bags(bags[1], b) for b in sizes}
        self.en_totals = {b: np.array([sum(run.values()) for run in self.en_runs[b]], dtype=np.float64) for b in sizes}
        self.ru_lone = {a: window_sums(lone[0].astype(np.float64), a) for a in sizes}
        self.en_lone = {b: window_sums(lone[1].astype(np.float64), b) for b in sizes}
        self.anchors = anchors
        self.items = items
        self.ru_item_runs = {a: window_sums(np.array([len(x) for x in items], dtype=np.float64), a) for a in sizes}

    def gains(self, a: int, b: int, i: int, first: int, last: int) -> np.ndarray:
        return self.with_evidence(super().gains(a, b, i, first, last), a, b, i, first, last)

    def gain_rows(
        self, a: int, b: int, items: np.ndarray, firsts: Sequence[int], lasts: Sequence[int]
    ) -> list[np.ndarray]:
        rows = super().gain_rows(a, b, items, firsts, lasts)
        together = zip(rows, items.tolist(), firsts, lasts, strict=True)
        return [self.with_evidence(gain, a, b, i, first, last) for gain, i, first, last in together]

    def with_evidence(self, gain: np.ndarray, a: int, b: int, i: int, first: int, last: int) -> np.ndarray:
        """The first pass's `gain` of the a-b beads ending at RU item i and EN items first..last, their anchors,
        lone sentences and numbered items counted."""
        ru_run, en_runs = self.ru_runs[a][i], self.en_runs[b]
        held = sum(ru_run.values())
        matched = np.array([sum((ru_run & en_runs[j]).values()) if held else 0 for j in range(first, last + 1)])
        one_sided = held + self.en_totals[b][first : last + 1] - 2 * matched
        gain = gain + self.anchors.weight * (matched - self.anchors.unmatched_share * one_sided)
        joined_lone = (self.ru_lone[a][i] if a > 1 else 0.0) + (self.en_lone[b][first : last + 1] if b > 1 else 0.0)
        gain = gain - self.options.skip_penalty * joined_lone
        if self.ru_item_runs[a][i]:
            gain = gain - self.anchors.numbered_item * self.split_items(a, b, i, first, last)
        return gain

    def split_items(self, a: int, b: int, i: int, first: int, last: int) -> np.ndarray:
        """Per a-b bead ending at RU i and EN first..last: the numbered items (numbered_items) it holds on both
        sides other than as the first line of each."""
        count = np.zeros(last - first + 1)
        start = i - a + 1
        for p in range(start, i + 1):
            for q in self.items[p]:
                # the EN side j-b+1..j holds q for j in q..q+b-1, and opens with it at j = q+b-1
                stop = q + b - 1 if p > start else q + b - 2
                low, high = max(q, first), min(stop, last)
                if low <= high:
                    count[low - first : high - first + 1] += 1
        return count


def lone_sentences(ru: Side, en: Side, lo: np.ndarray, hi: np.ndarray, lone: float) -> tuple[np.ndarray, np.ndarray]:
    """Per side, whether each sentence's best cosine with a sentence of the other side in the band is below `lone`
    (a sentence with nothing in the band to compare with is not lone)."""
    ru_best, en_best = neighbourhoods(ru.vectors, en.vectors, lo, hi, 1)
    return np.nan_to_num(ru_best, nan=1.0) < lone, np.nan_to_num(en_best, nan=1.0) < lone


def path_band(links: list[Link], n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """For each DP row 0..n, the first and last column searched: the columns the path passes through in that row,
    widened by `width` each way, monotone, consecutive rows overlapping (so a path always exists)."""
    lo, hi = np.full(n + 1, m, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
    i = j = 0
    lo[0] = 0
    for link in links:
        rows = slice(i, i + len(link.ru) + 1)
        lo[rows] = np.minimum(lo[rows], j)
        hi[rows] = np.maximum(hi[rows], j + len(link.en))
        i, j = i + len(link.ru), j + len(link.en)
    lo = np.minimum.accumulate(np.clip(lo - width, 0, m)[::-1])[::-1]
    hi = np.maximum.accumulate(np.clip(hi + width, 0, m))
    lo[0], hi[n] = 0, m
    lo[1:] = np.minimum(lo[1:], hi[:-1])
    return lo, hi


def refined_links(
    ru_segments: list[Segment],
    en_segments: list[Segment],
    ru: Side,
    en: Side,
    options: AlignOptions,
    links: list[Link],
    anchors: Anchors | None = None,
) -> list[Link]:
    """The beads of a second search near the first pass's `links`, anchors counted (the links themselves when a
    side is empty)."""
    anchors = anchors or Anchors()
    n, m = len(ru), len(en)
    if n == 0 or m == 0:
        return links
    lo, hi = search_band(ru, en, options)  # the first pass's neighbourhoods: the same similarity scores
    ru_hood, en_hood = neighbourhoods(ru.vectors, en.vectors, lo, hi, options.margin_k, options.margin_skip)
    scorer = AnchoredScorer(ru, en, options, ru_hood, en_hood)
    lo, hi = path_band(links, n, m, anchors.band)
    lone = lone_sentences(ru, en, lo, hi, anchors.lone)
    items = numbered_items(ru_segments, en_segments, lo, hi, options.max_bead)
    scorer.add_evidence(anchor_bags(ru_segments, en_segments, anchors), lone, items, anchors)
    shapes = bead_shapes(options.max_bead)
    return trace(banded_moves(scorer, shapes, lo, hi, options.skip_penalty), lo, shapes, scorer)
