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
    extra = scorer([x, y], [x])  # the second Russian sentence says nothing of the English one
    assert best_part_scores(extra.scores, (2, 1), 1, 0, 0) == pytest.approx([1.0])
    assert extra.scores(2, 1, 1, 0, 0) == pytest.approx([np.sqrt(0.5)])  # the run scores less than x alone
    merge = scorer([x, y], [both])  # the English sentence says both
    assert best_part_scores(merge.scores, (2, 1), 1, 0, 0) == pytest.approx([np.sqrt(0.5)])
    assert merge.scores(2, 1, 1, 0, 0) == pytest.approx([1.0])
    assert best_part_scores(scorer([both], [x, y]).scores, (1, 2), 0, 1, 1) == pytest.approx([np.sqrt(0.5)])
    assert best_part_scores(merge.scores, (1, 1), 0, 0, 0) == [-np.inf]  # no merged side


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
