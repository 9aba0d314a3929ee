"""Gap paragraphs (align.gap_paragraphs): in a free translation, the paragraphs of a gap between two pairs are
paired in order as wholes, one or two a side, when they say the same (the real encoder); a paragraph that matches
nothing, a deleted paragraph's neighbour, keeps its one-sided beads."""

from __future__ import annotations

import numpy as np
import pytest

from align.checks.options import CheckOptions
from align.checks.untranslated import untranslated_passages
from align.condensed import length_ratios
from align.encoders import normalised
from align.encoders.use import UseEncoder
from align.gap_paragraphs import (
    CLOSE_LENGTH_MISFIT,
    GAP_PARAGRAPH_MAX_LENGTH_MISFIT,
    UNEVEN_MIN_COSINE,
    gap_paragraphs_paired,
    rival,
)
from align.gaps import length_misfit
from align.loose import LOOSE_CONFIDENCE
from align.model import Alignment, Bead, Document
from tests.test_matched_gaps import segments, text  # sentences of numbered paragraphs; their plain text
from tests.test_paragraph_pairs import FREE_EN, FREE_RU, SURE_EN, SURE_RU


@pytest.fixture(scope="module")
def encoder() -> UseEncoder:
    return UseEncoder()


GAP_RU = ["— Чего суёшься? — сказала пани, когда я вошла.", "Я молчала и смотрела в пол."]
GAP_EN = [
    "“Why are you barging in like this?” said the lady when I entered.",
    "I said nothing and looked at the floor.",
]
OTHER_EN = ["Oil prices rose again, and the government promised that petrol would not cost more by winter."]


def gap(ru_texts: list[str], en_texts: list[str]) -> Alignment:
    """A pair, then the gap's Russian and English sentences one-sided, a paragraph each, then sure pairs and the
    loose pairs that make the document a free translation, each in a paragraph of its own."""
    first_ru, first_en = "Я постучала в дверь.", "I knocked at the door."
    tail_ru, tail_en = SURE_RU + FREE_RU, SURE_EN + FREE_EN
    ru_texts, en_texts = [first_ru, *ru_texts, *tail_ru], [first_en, *en_texts, *tail_en]
    n, m = len(ru_texts) - len(tail_ru), len(en_texts) - len(tail_en)
    ru = segments("ru", ru_texts, list(range(len(ru_texts))))
    en = segments("en", en_texts, list(range(len(en_texts))))
    beads = [Bead((ru[0],), (en[0],), 0.95)]
    beads += [Bead((s,), (), 0.0) for s in ru[1:n]] + [Bead((), (s,), 0.0) for s in en[1:m]]
    for k in range(len(tail_ru)):
        free = k >= len(SURE_RU)
        beads.append(Bead((ru[n + k],), (en[m + k],), LOOSE_CONFIDENCE if free else 0.97, loose=free))
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def paired(aligned: Alignment, encoder: UseEncoder) -> Alignment:
    """The gap pass at the document's own length ratio."""
    return gap_paragraphs_paired(aligned, length_ratios(aligned.beads)["ru"], encoder.encode, text)


def test_a_gap_of_as_many_paragraphs_each_side_pairs_them_in_order(encoder: UseEncoder) -> None:
    found = paired(gap(GAP_RU, GAP_EN), encoder)
    assert [(len(b.ru), len(b.en), b.loose) for b in found.beads[1:3]] == [(1, 1, True), (1, 1, True)]
    assert [s.text for s in found.beads[1].ru + found.beads[1].en] == [GAP_RU[0], GAP_EN[0]]  # first with first
    assert untranslated_passages(found, CheckOptions(require="both")) == []


def test_three_paragraphs_each_side_are_paired_in_order_too(encoder: UseEncoder) -> None:
    ru = [*GAP_RU, "Потом она велела мне идти на кухню."]
    en = [*GAP_EN, "Then she told me to go to the kitchen."]
    found = paired(gap(ru, en), encoder)
    assert [[s.text for s in b.ru + b.en] for b in found.beads[1:4]] == [[r, e] for r, e in zip(ru, en, strict=True)]


def test_two_facing_paragraphs_that_say_different_things_stay_one_sided(encoder: UseEncoder) -> None:
    aligned = gap(GAP_RU[:1], OTHER_EN)
    assert paired(aligned, encoder).beads == aligned.beads


def test_beside_a_deleted_paragraph_the_one_that_matches_is_paired_and_the_other_stays_one_sided(
    encoder: UseEncoder,
) -> None:
    """The English of the second paragraph was deleted: a gap with more paragraphs on one side, whose block must
    reach UNEVEN_MIN_COSINE."""
    found = paired(gap(GAP_RU, GAP_EN[:1]), encoder)
    assert [s.text for s in found.beads[1].ru + found.beads[1].en] == [GAP_RU[0], GAP_EN[0]]
    assert found.beads[1].loose
    assert (found.beads[2].ru[0].text, found.beads[2].en) == (GAP_RU[1], ())
    (finding,) = untranslated_passages(found, CheckOptions(require="both"))
    assert GAP_RU[1][:20] in finding.ru


def test_a_reply_the_translation_puts_into_the_next_paragraph_is_one_block_with_it(encoder: UseEncoder) -> None:
    """Shifted dialogue: two Russian paragraphs, one English one saying both."""
    ru = ["— Чего суёшься?", "Так сказала пани, когда я вошла."]
    found = paired(gap(ru, GAP_EN[:1]), encoder)
    assert (found.beads[1].kind, found.beads[1].loose) == ("2-1", True)
    assert untranslated_passages(found, CheckOptions(require="both")) == []


def test_an_idiom_rendered_by_another_of_the_same_length_is_paired_on_a_lower_cosine(encoder: UseEncoder) -> None:
    """The two say the same in other words (cosine about 0.23, under GAP_PARAGRAPH_MIN_COSINE), but their lengths
    fit the document's ratio within CLOSE_LENGTH_MISFIT."""
    aligned = gap(["Она только махнула рукой."], ["She would not hear of it."])
    ratio = length_ratios(aligned.beads)["ru"]
    assert length_misfit(aligned.document.ru[1:2], aligned.document.en[1:2], ratio) <= CLOSE_LENGTH_MISFIT
    found = paired(aligned, encoder)
    assert (len(found.beads[1].ru), len(found.beads[1].en), found.beads[1].loose) == (1, 1, True)


def test_a_gap_of_two_paragraphs_each_side_that_say_different_things_keeps_its_beads_in_order(
    encoder: UseEncoder,
) -> None:
    other = ["The train to Berlin leaves at 9:40 from platform 3.", "Tax rates for 2021 were set by the council."]
    aligned = gap(GAP_RU, other)
    assert paired(aligned, encoder).beads == aligned.beads  # 1-0 1-0 0-1 0-1, not regrouped


def test_outside_a_free_translation_nothing_moves(encoder: UseEncoder) -> None:
    aligned = gap(GAP_RU, GAP_EN)
    beads = [Bead(b.ru, b.en, b.score) for b in aligned.beads]  # no loose pair: not a free translation
    assert paired(Alignment(aligned.document, beads), encoder).beads == beads


def test_a_short_line_facing_a_long_tagged_reply_fits_with_the_length_slack(encoder: UseEncoder) -> None:
    """A line of dialogue of 11 characters against one of 39: a misfit of more than GAP_PARAGRAPH_MAX_LENGTH_MISFIT
    by characters alone, none with LENGTH_SLACK_CHARS on each side."""
    aligned = gap(["— А почему?"], ["“Why is that?” asked the little prince."])
    ratio = length_ratios(aligned.beads)["ru"]
    assert length_misfit(aligned.document.ru[1:2], aligned.document.en[1:2], ratio) > GAP_PARAGRAPH_MAX_LENGTH_MISFIT
    found = paired(aligned, encoder)
    assert (found.beads[1].kind, found.beads[1].loose) == ("1-1", True)


def test_in_an_uneven_gap_a_block_clearly_above_its_rivals_is_paired_under_the_uneven_cosine(
    encoder: UseEncoder,
) -> None:
    """Two Russian paragraphs, one English: the English says the second (cosine about 0.48, under
    UNEVEN_MIN_COSINE), far better than it says the first."""
    ru = ["Поезд на Берлин отходит в 9:40 с третьей платформы.", "Она только махнула рукой."]
    en = "She waved it all away."
    vectors = normalised(np.asarray(encoder.encode([ru[1], en]), dtype=np.float32))
    assert float(vectors[0] @ vectors[1]) < UNEVEN_MIN_COSINE
    found = paired(gap(ru, [en]), encoder)
    assert (found.beads[1].ru[0].text, found.beads[1].en) == (ru[0], ())
    assert [s.text for s in found.beads[2].ru] == [ru[1]] and found.beads[2].loose
    assert rival({(0, 1, 0, 1): 0.1, (1, 2, 0, 1): 0.45, (0, 2, 0, 1): 0.44}, (1, 2, 0, 1)) == 0.1  # same shape only
