"""A document longer than a window is aligned window by window: the beads it gets aligned whole, every sentence
once and in order, and never more than one window's sentences embedded or searched at a time."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from align.align import Link
from align.encoders import Keep
from align.encoders.use import UseEncoder
from align.load import Input
from align.model import Alignment, Segment
from align.pipeline import Pipeline
from align.windows import kept_links, window_widths
from tests.test_reliability import article

WINDOW = 40  # sentences per side in these tests (align.windows.WINDOW_SENTENCES is 20,000)


class Recording:
    """The real encoder, recording how many sentences each batch it is given holds."""

    def __init__(self) -> None:
        self.encoder = UseEncoder()
        self.batches: list[int] = []

    def encode_with_runs(
        self, texts: list[str], runs: list[tuple[int, int]], keep: Keep | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        self.batches.append(len(texts))
        return self.encoder.encode_with_runs(texts, runs, keep)

    def __getattr__(self, name: str):
        return getattr(self.encoder, name)


@pytest.fixture(scope="module")
def encoder() -> Recording:
    return Recording()


def aligned(encoder: Recording, page: Path, window: int) -> Alignment:
    encoder.batches.clear()
    (result,) = [result for result, _ in Pipeline(encoder, window=window).results([Input(page.stem, (str(page),))])]
    assert isinstance(result, Alignment)
    return result


def shapes(alignment: Alignment) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(tuple(s.start for s in bead.ru), tuple(s.start for s in bead.en)) for bead in alignment.beads]


def test_a_page_longer_than_a_window_gets_the_beads_it_gets_aligned_whole(encoder: Recording, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(article(random.Random(3), 50), encoding="utf-8")  # 150 sentences a side, 50 paragraphs

    whole = aligned(encoder, page, window=1000)
    assert encoder.batches == [300]
    windowed = aligned(encoder, page, window=WINDOW)

    assert len(encoder.batches) > 3 and max(encoder.batches) <= 2 * WINDOW  # one window at a time
    assert shapes(windowed) == shapes(whole)
    assert all(bead.kind == "1-1" for bead in windowed.beads)
    assert [bead.score for bead in windowed.beads] == pytest.approx([bead.score for bead in whole.beads], abs=0.02)


def test_windows_keep_every_sentence_once_in_order_and_leave_an_untranslated_passage_unpaired(
    encoder: Recording, tmp_path: Path
) -> None:
    blocks = article(random.Random(4), 40).strip().split("\n\n")  # RU, EN, RU, EN, …
    untranslated = {11, 12, 13}  # three Russian paragraphs whose English was left out
    kept = [block for k, block in enumerate(blocks) if not (k % 2 and k // 2 in untranslated)]
    page = tmp_path / "page.txt"
    page.write_text("\n\n".join(kept) + "\n", encoding="utf-8")

    windowed = aligned(encoder, page, window=WINDOW)

    assert max(encoder.batches) <= 2 * WINDOW
    document = windowed.document
    for side in ("ru", "en"):
        placed = [segment for bead in windowed.beads for segment in getattr(bead, side)]
        assert placed == getattr(document, side)  # each sentence exactly once, in order
    lonely = {segment.text for bead in windowed.beads if not bead.paired for segment in bead.ru}
    left_out = [blocks[2 * k] for k in untranslated]  # the Russian paragraphs of the English left out
    assert lonely == {s.text for s in document.ru if any(s.text in block for block in left_out)}
    assert len(lonely) == 9


def test_a_window_ends_at_the_last_confident_pair_closing_a_paragraph_in_its_first_half() -> None:
    def side(paragraph_sizes: list[int]) -> list[Segment]:
        numbers = [p for p, size in enumerate(paragraph_sizes) for _ in range(size)]
        return [Segment("x.txt", k, k + 1, 1, "x", "ru", p) for k, p in enumerate(numbers)]

    ru = en = side([3, 3, 3, 3, 3, 3, 3, 3])  # 24 sentences, paragraphs end after 3, 6, 9, …
    links = [Link((k,), (k,), 0.9) for k in range(24)]
    assert kept_links(links, ru, en) == 12  # the first half ends at 12, a paragraph end

    doubtful = [Link(link.ru, link.en, 0.2 if link.ru == (11,) else 0.9) for link in links]
    assert kept_links(doubtful, ru, en) == 9  # not after a doubtful pair: the paragraph end before it

    one_paragraph = side([24])
    assert kept_links(links, one_paragraph, one_paragraph) == 12  # no paragraph end: the last confident pair
    unrelated = [Link((k,), (k,), 0.1) for k in range(24)]
    assert kept_links(unrelated, one_paragraph, one_paragraph) == 12  # no anchor at all: where the half ends


def test_a_window_holds_the_same_share_of_both_sides() -> None:
    assert window_widths(100, 50, 1000) == (100, 50)
    assert window_widths(40_000, 20_000, 10_000) == (10_000, 5_000)
    assert window_widths(3, 90_000, 10_000) == (1, 10_000)
