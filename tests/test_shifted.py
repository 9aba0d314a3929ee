"""Shifted dialogue (align.shifted): a stretch where the search left a line of each language one-sided a few pairs
apart and paired the lines between one off is searched again with omissions costing, with the real encoder; news
omissions of each language, and a strong pair, stay as they are."""

from __future__ import annotations

import numpy as np
import pytest

from align.align import AlignOptions, Scorer, Side, best_links, neighbourhoods
from align.dp import Link
from align.encoders.use import UseEncoder
from align.model import Segment
from align.shifted import MAX_SHIFT_PAIRS, MAX_STRETCH_SENTENCES, shift_windows, stretch_links, unshifted

PORRIDGE = "— Тыквенная каша!"
RU_LINES = ["— Обманщик!", "— Осёл!", PORRIDGE, "— Корова!", PORRIDGE, "— Глупая обезьяна!", PORRIDGE]
EN_LINES = ["“Liar!”", "“Idiot.”", "“Zucchetta!”", "“Donkey!”", "“Zucchetta!”", "“Ugly monkey!”", "“Zucchetta!”"]


@pytest.fixture(scope="module")
def encoder() -> UseEncoder:
    return UseEncoder()


def side(encoder: UseEncoder, lang: str, texts: list[str], paragraphs: list[int]) -> tuple[Side, list[Segment]]:
    lines = enumerate(zip(texts, paragraphs, strict=True))
    segments = [Segment(f"x.{lang}.txt", k, k + 1, 1, text, lang, paragraph) for k, (text, paragraph) in lines]
    return Side.of(encoder.encode(texts), segments), segments


def scorer(ru: Side, en: Side) -> Scorer:
    options = AlignOptions()
    n, m = len(ru), len(en)
    lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    ru_hood, en_hood = neighbourhoods(ru.vectors, en.vectors, lo, hi, options.margin_k, options.margin_skip)
    return Scorer(ru, en, options, ru_hood, en_hood)


def pairs(links: list[Link]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(link.ru, link.en) for link in links]


def test_lines_of_dialogue_paired_one_off_are_paired_in_step(encoder: UseEncoder) -> None:
    ru, _ = side(encoder, "ru", RU_LINES, list(range(len(RU_LINES))))
    en, _ = side(encoder, "en", EN_LINES, list(range(len(EN_LINES))))
    found = scorer(ru, en)
    links = [Link((0,), (0,), 0.38), Link((), (1,), 0.0), Link((), (2,), 0.0), Link((1,), (3,), 0.6)]
    links += [Link((2,), (), 0.0), Link((3,), (4,), 0.57), Link((4,), (), 0.0), Link((5,), (5,), 0.96)]
    links += [Link((), (6,), 0.0), Link((6,), (), 0.0)]  # what the search made of a work's insults
    assert shift_windows(links) == [(1, 9)]
    in_step = [((k,), (k,)) for k in range(1, 6)] + [((), (6,))]
    assert pairs(stretch_links(links[1:9], found, 2)) == in_step


def test_omissions_of_each_language_in_news_stay_one_sided(encoder: UseEncoder) -> None:
    ru_texts = [
        "Американские учёные определили, какой объём алкоголя в неделю повышает риск болезней сердца.",
        "Специалисты пришли к выводу, что четыре и более порции в день заметно вредят здоровью.",
    ]
    en_texts = [
        "Experts concluded that four or more servings a day noticeably harm health.",
        "The city council will vote on the new bus routes next Tuesday.",
    ]
    ru, _ = side(encoder, "ru", ru_texts, [0, 0])
    en, _ = side(encoder, "en", en_texts, [0, 0])
    found = scorer(ru, en)
    old = [Link((0,), (), 0.0), Link((1,), (0,), float(found.scores(1, 1, 1, 0, 0)[0])), Link((), (1,), 0.0)]
    assert stretch_links(old, found, 2) == old


def test_one_sided_lines_too_many_pairs_apart_make_no_window() -> None:
    far = [Link((0,), (), 0.0), *(Link((k,), (k,), 0.8) for k in range(1, MAX_SHIFT_PAIRS + 2)), Link((), (9,), 0.0)]
    assert shift_windows(far) == []
    assert shift_windows([Link((0,), (), 0.0), Link((), (0,), 0.0)]) == []  # facing omissions: align.loose's


def test_the_search_pairs_the_insults_in_step_only_with_its_second_search(encoder: UseEncoder) -> None:
    ru, _ = side(encoder, "ru", RU_LINES, list(range(len(RU_LINES))))
    en, _ = side(encoder, "en", EN_LINES, list(range(len(EN_LINES))))

    first = pairs(best_links(ru, en, AlignOptions(), unshift=False))
    found = pairs(best_links(ru, en, AlignOptions()))

    assert first[:3] == [((0,), ()), ((1,), (0,)), ((), (1,))]  # the first search pairs "— Осёл!" with "“Liar!”"
    assert found == [((k,), (k,)) for k in range(len(RU_LINES))]


def test_a_stretch_chained_past_the_size_limit_is_left_as_it_is() -> None:
    """Omissions of alternating languages every pair chain one window over a whole text: the second search (a loop
    over its cells) is not run on it (the scorer, which it would read, is not even given)."""
    links, k = [], 0
    while k <= MAX_STRETCH_SENTENCES:
        links += [Link((k,), (), 0.0), Link((k + 1,), (k,), 0.8)]
        links += [Link((), (k + 1,), 0.0), Link((k + 2,), (k + 2,), 0.8)]
        k += 3
    assert shift_windows(links) == [(0, len(links) - 1)]
    assert unshifted(links, None, 2) == links  # type: ignore[arg-type]
