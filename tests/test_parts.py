"""A merged bead's lead over its best part (align.parts): a sentence the other side does not say is left one-sided
instead of riding in a 2-1 bead on its neighbour's match (with the real encoder); a translator's merge stays one
bead."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from align.align import AlignOptions, Scorer, Side
from align.encoders.use import UseEncoder
from align.load import find_inputs
from align.parts import best_part_scores
from align.pipeline import Pipeline

PAIRS = [
    (
        "Вчера вечером в нашем районе отключили электричество.",
        "Last night the electricity went out in our neighbourhood.",
    ),
    ("Свет не включали почти четыре часа.", "The lights stayed off for almost four hours."),
    ("Я позвонил в энергетическую компанию, но там было занято.", "I called the power company, but the line was busy."),
    (
        "Соседи сказали, что на подстанции случился пожар.",
        "The neighbours said there had been a fire at the substation.",
    ),
    ("Утром ремонтная бригада всё починила.", "In the morning a repair crew fixed everything."),
    ("Теперь я держу дома фонарик и запасные батарейки.", "Now I keep a torch and spare batteries at home."),
]


@pytest.fixture(scope="module")
def encoder() -> UseEncoder:
    return UseEncoder()


def kinds(tmp_path: Path, ru: list[str], en: list[str], options: AlignOptions, encoder: UseEncoder) -> list[str]:
    (tmp_path / "d.ru.txt").write_text(" ".join(ru) + "\n", encoding="utf-8")
    (tmp_path / "d.en.txt").write_text(" ".join(en) + "\n", encoding="utf-8")
    inputs, _ = find_inputs([str(tmp_path / "d.ru.txt"), str(tmp_path / "d.en.txt")])
    alignment = next(Pipeline(encoder, options).results(inputs))[0]
    return [bead.kind for bead in alignment.beads]


def scorer(ru: list[np.ndarray], en: list[np.ndarray]) -> Scorer:
    """A Scorer of hand-made unit vectors, one paragraph a side, no neighbours (so a score is a cosine)."""
    sides = [Side(np.array(v, dtype=np.float32), np.ones(len(v)), np.zeros(len(v), dtype=np.int64)) for v in (ru, en)]
    return Scorer(sides[0], sides[1], AlignOptions(), np.full(len(ru), np.nan), np.full(len(en), np.nan))


def test_a_merge_that_matches_no_better_than_its_best_sentence_alone_has_no_lead() -> None:
    x, y = np.eye(2, dtype=np.float32)
    both = (x + y) / np.sqrt(2)
    one, two = np.array([0]), np.array([1])  # the bead's RU side ends at sentence 0, 1
    extra = scorer([x, y], [x])  # the second Russian sentence says nothing of the English one
    assert best_part_scores(extra.score_block, (2, 1), two, 0, 0)[0] == pytest.approx([1.0])
    assert extra.scores(2, 1, 1, 0, 0) == pytest.approx([np.sqrt(0.5)])  # the run scores less than x alone
    merge = scorer([x, y], [both])  # the English sentence says both
    assert best_part_scores(merge.score_block, (2, 1), two, 0, 0)[0] == pytest.approx([np.sqrt(0.5)])
    assert merge.scores(2, 1, 1, 0, 0) == pytest.approx([1.0])
    assert best_part_scores(scorer([both], [x, y]).score_block, (1, 2), one, 1, 1)[0] == pytest.approx([np.sqrt(0.5)])
    assert best_part_scores(merge.score_block, (1, 1), one, 0, 0)[0] == [-np.inf]  # no merged side


def test_a_block_of_gains_is_each_row_of_it() -> None:
    rng = np.random.default_rng(1)
    ru, en = (list(v / np.linalg.norm(v, axis=1, keepdims=True)) for v in rng.normal(size=(2, 6, 4)))
    many = scorer(ru, en)
    for a, b in [(1, 1), (2, 1), (1, 2), (2, 2)]:
        items = np.arange(a - 1, 6)
        rows = many.gain_rows(a, b, items, [b - 1] * len(items), [5] * len(items))
        for i, row in zip(items, rows, strict=True):
            assert row == pytest.approx(many.gains(a, b, int(i), b - 1, 5), abs=1e-6)  # one product or many
    lone = many.gain_rows(1, 1, np.arange(6), [0] * 6, [5] * 6)  # every sentence 1 character: one length term
    differences = [row - many.scores(1, 1, i, 0, 5) for i, row in enumerate(lone)]  # scores: row by row
    assert np.ptp(differences) == pytest.approx(0.0, abs=1e-6)


def test_a_merge_that_leads_too_little_pays_for_it() -> None:
    x, y = np.eye(2, dtype=np.float32)
    extra = scorer([x, y], [x])
    free = dataclasses.replace(extra, options=AlignOptions(part_weight=0.0))
    assert extra.gains(2, 1, 1, 0, 0)[0] < free.gains(2, 1, 1, 0, 0)[0]
    assert extra.gains(1, 1, 0, 0, 0)[0] == free.gains(1, 1, 0, 0, 0)[0]  # a 1-1 bead pays nothing


def test_an_untranslated_exclamation_beside_a_pair_is_left_one_sided(tmp_path: Path, encoder: UseEncoder) -> None:
    ru = [r for r, _ in PAIRS]
    ru.insert(2, "Ужас.")  # "Horrible.": not in the English
    en = [e for _, e in PAIRS]
    assert kinds(tmp_path, ru, en, AlignOptions(), encoder) == ["1-1", "1-1", "1-0", "1-1", "1-1", "1-1", "1-1"]
    # without the cost of a merge that does not lead, the search carries it in a 2-1 bead on its neighbour's match
    assert kinds(tmp_path, ru, en, AlignOptions(part_weight=0.0), encoder)[1] == "2-1"


def test_a_translators_merge_of_two_sentences_stays_one_bead(tmp_path: Path, encoder: UseEncoder) -> None:
    ru = [r for r, _ in PAIRS]
    ru[1:3] = ["Свет не включали почти четыре часа, и я позвонил в энергетическую компанию, но там было занято."]
    en = [e for _, e in PAIRS]
    assert kinds(tmp_path, ru, en, AlignOptions(), encoder) == ["1-1", "1-2", "1-1", "1-1", "1-1"]
