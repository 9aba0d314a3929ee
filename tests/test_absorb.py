"""Absorption (align.absorb): a one-sided sentence beside a pair of its paragraph joins it when the joined text
matches the pair's other side at least as well, with the real encoder."""

from __future__ import annotations

import pytest

from align.absorb import ABSORBED_MAX_CONFIDENCE, absorbed, candidates_of, clause_joined_text
from align.encoders.use import UseEncoder
from align.model import Alignment, Bead, Document, Segment

PAIR_RU, PAIR_EN = "Он долго молчал.", "He said nothing for a long time, not a single word."


@pytest.fixture(scope="module")
def encoder() -> UseEncoder:
    return UseEncoder()


def sentence(lang: str, text: str, start: int, paragraph: int = 0) -> Segment:
    return Segment(f"x.{lang}.txt", start, start + len(text), 1, text, lang, paragraph)


def alignment(extra: str, paragraph: int = 0) -> Alignment:
    """The pair, then a Russian sentence the search left one-sided, in paragraph `paragraph` of the Russian file."""
    ru = [sentence("ru", PAIR_RU, 0), sentence("ru", extra, len(PAIR_RU) + 1, paragraph)]
    en = [sentence("en", PAIR_EN, 0)]
    beads = [Bead((ru[0],), (en[0],), 0.97), Bead((ru[1],), (), 0.0)]
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def absorbed_kinds(found: Alignment) -> list[str]:
    return [bead.kind for bead in found.beads]


def test_a_sentence_the_translation_folded_into_its_neighbour_joins_the_pair(encoder: UseEncoder) -> None:
    found = absorbed(alignment("Ни слова."), encoder.encode, 0.0, lambda s: s.text)
    assert absorbed_kinds(found) == ["2-1"]
    assert [s.text for s in found.beads[0].ru] == [PAIR_RU, "Ни слова."]  # in text order
    assert found.beads[0].score == ABSORBED_MAX_CONFIDENCE  # at most this sure: the calibration never saw it


def test_a_real_omission_beside_the_pair_stays_one_sided(encoder: UseEncoder) -> None:
    found = absorbed(alignment("Цены на нефть выросли."), encoder.encode, 0.0, lambda s: s.text)
    assert absorbed_kinds(found) == ["1-1", "1-0"]


def test_a_sentence_of_another_paragraph_is_no_candidate() -> None:
    assert candidates_of(alignment("Ни слова.", paragraph=1).beads) == []
    assert len(candidates_of(alignment("Ни слова.").beads)) == 1


def test_loose_pairs_neither_give_nor_take() -> None:
    found = alignment("Ни слова.")
    found.beads[0] = Bead(found.beads[0].ru, found.beads[0].en, 0.45, loose=True)
    assert candidates_of(found.beads) == []


def test_a_pair_the_aligner_doubts_takes_no_sentence_in() -> None:
    """Between texts that look unrelated every pair is at most 0.5 sure: none of them hides a one-sided sentence."""
    found = alignment("Ни слова.")
    found.beads[0] = Bead(found.beads[0].ru, found.beads[0].en, 0.5)
    assert candidates_of(found.beads) == []


def merged_alignment(between: list[str]) -> Alignment:
    """A Russian sentence the translation merged from two English ones (a 1-2), searched as a 1-1 for the first,
    Russian sentences `between` one-sided after it, then the second English sentence one-sided (the search lists a
    gap's Russian sentences before its English ones)."""
    merged = "Не думаю, что это разумно, том учил."
    first, second = "I don't think that it's reasonable.", "Tom has learned."
    ru = [sentence("ru", merged, 0)]
    for text in between:
        ru.append(sentence("ru", text, ru[-1].end + 1))
    en = [sentence("en", first, 0), sentence("en", second, len(first) + 1)]
    beads = [Bead((ru[0],), (en[0],), 0.98)] + [Bead((s,), (), 0.0) for s in ru[1:]] + [Bead((), (en[1],), 0.0)]
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def test_the_pair_past_the_other_languages_one_sided_sentences_takes_in_the_merged_sentence(
    encoder: UseEncoder,
) -> None:
    found = absorbed(merged_alignment(["Тома поймали на лжи."]), encoder.encode, 0.0, lambda s: s.text)
    assert absorbed_kinds(found) == ["1-2", "1-0"]
    assert [s.text for s in found.beads[0].en] == ["I don't think that it's reasonable.", "Tom has learned."]


def test_the_search_for_a_pair_stops_at_a_one_sided_sentence_of_the_same_language() -> None:
    beads = merged_alignment(["Тома поймали на лжи."]).beads
    assert [(c.orphan, c.pair, c.beside) for c in candidates_of(beads)] == [(1, 0, True), (2, 0, False)]
    english_between = [beads[0], Bead((), beads[2].en, 0.0), beads[2]]
    assert [(c.orphan, c.pair) for c in candidates_of(english_between)] == [(1, 0)]


def test_a_clause_ends_in_a_comma_and_the_next_starts_in_lower_case_but_not_an_acronym_or_i() -> None:
    texts = ["Я устал.", "Мы идём домой!", "NASA знает.", "I know."]
    segments = [sentence("en", text, 20 * k) for k, text in enumerate(texts)]
    assert clause_joined_text(segments, lambda s: s.text) == "Я устал, мы идём домой, NASA знает, I know."
