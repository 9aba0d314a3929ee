"""Loose pairs (align.loose): whole paragraphs left unpaired facing each other between two pairs become one bead."""

from __future__ import annotations

import json
from pathlib import Path

from align.align import Link
from align.checks import DEFAULT_MIN_CONFIDENCE
from align.loose import (
    FREE_MIN_LOOSE_BEADS,
    FREE_MIN_LOOSE_SHARE,
    FREE_MIN_REGROUPED,
    FREE_MIN_REGROUPED_SHARE,
    LOOSE_CONFIDENCE,
    free_translation,
    loose_spans,
    with_loose_pairs,
)
from align.model import Bead, Document, Segment
from tests.conftest import run_cli


def side(lang: str, paragraphs: list[list[str]]) -> list[Segment]:
    """Segments of one file: each inner list one paragraph of sentences."""
    result, start = [], 0
    for number, sentences in enumerate(paragraphs):
        for text in sentences:
            result.append(Segment(f"x.{lang}.txt", start, start + len(text), number + 1, text, lang, number))
            start += len(text) + 1
    return result


def document(ru: list[list[str]], en: list[list[str]]) -> Document:
    return Document("x", "x.ru.txt", "x.en.txt", side("ru", ru), side("en", en))


RU = [["Утро было тихим."], ["Кругом тишина.", "Ни звука."], ["Вечером пошёл дождь."]]
EN = [["The morning was quiet."], ["There is silence all around, not a sound."], ["In the evening it rained."]]


def sentence_links() -> list[Link]:
    """What the sentence search gives for RU/EN: the first and last paragraphs paired, the middle ones one-sided."""
    return [Link((0,), (0,), 0.9), Link((1,), (), 0.0), Link((2,), (), 0.0), Link((), (1,), 0.0), Link((3,), (2,), 0.9)]


def test_a_facing_pair_of_whole_paragraphs_between_two_pairs_becomes_one_loose_link() -> None:
    links = with_loose_pairs(document(RU, EN), sentence_links())
    assert [(link.ru, link.en, link.loose) for link in links] == [
        ((0,), (0,), False),
        ((1, 2), (1,), True),
        ((3,), (2,), False),
    ]


def test_part_of_a_paragraph_is_no_loose_pair() -> None:
    """The Russian middle paragraph's first sentence is paired: its second one may be an omission."""
    ru = [["Утро было тихим."], ["Кругом тишина.", "Ни звука."], ["Вечером пошёл дождь."]]
    links = [Link((0,), (0,), 0.9), Link((1,), (1,), 0.8), Link((2,), (), 0.0), Link((3,), (2,), 0.9)]
    assert loose_spans(document(ru, EN), links) == []
    en = [["The morning was quiet."], ["There is silence.", "Not a sound.", "Nothing."], ["In the evening it rained."]]
    links = [Link((0,), (0,), 0.9), Link((1,), (1,), 0.8), Link((2,), (), 0.0), Link((), (2,), 0.0)]
    links += [Link((), (3,), 0.0), Link((3,), (4,), 0.9)]
    assert loose_spans(document(ru, en), links) == []  # one Russian and two English sentences of a paragraph


def test_one_sentence_facing_one_between_two_pairs_is_a_loose_pair_anywhere() -> None:
    """An idiom rendered by another: the search leaves both one-sided inside their paragraphs."""
    ru = [["Мэри плохо ладила с девочками.", "У тебя не все дома.", "Ты выжил из ума?"]]
    en = [["Mary did not get along with the girls.", "You've lost your marbles.", "Are you losing your head?"]]
    links = [Link((0,), (0,), 0.9), Link((), (1,), 0.0), Link((1,), (), 0.0), Link((2,), (2,), 0.9)]
    assert [(link.ru, link.en, link.loose) for link in with_loose_pairs(document(ru, en), links)] == [
        ((0,), (0,), False),
        ((1,), (1,), True),
        ((2,), (2,), False),
    ]


def test_a_gap_of_one_language_or_at_the_document_ends_is_left_as_it_is() -> None:
    only_ru = [Link((0,), (0,), 0.9), Link((1,), (), 0.0), Link((2,), (), 0.0), Link((3,), (1,), 0.9)]
    assert loose_spans(document(RU, [EN[0], EN[2]]), only_ru) == []
    at_start = [Link((0,), (), 0.0), Link((), (0,), 0.0), Link((1, 2), (1,), 0.9), Link((3,), (2,), 0.9)]
    assert loose_spans(document(RU, EN), at_start) == []


def test_two_paragraphs_on_a_side_or_very_different_lengths_are_no_loose_pair() -> None:
    ru = [["Утро было тихим."], ["Кругом тишина."], ["Ни звука."], ["Вечером пошёл дождь."]]
    links = [Link((0,), (0,), 0.9), Link((1,), (), 0.0), Link((2,), (), 0.0), Link((), (1,), 0.0)]
    links.append(Link((3,), (2,), 0.9))
    assert loose_spans(document(ru, EN), links) == []
    short = [["Утро было тихим."], ["Да."], ["Вечером пошёл дождь."]]
    links = [Link((0,), (0,), 0.9), Link((1,), (), 0.0), Link((), (1,), 0.0), Link((2,), (2,), 0.9)]
    assert loose_spans(document(short, EN), links) == []


FREE_RU = """Утром мы вышли из дома и пошли к реке по старой дороге через поле.

Он как в воду глядел. Ни слуху ни духу.

Вечером мы вернулись домой усталые, но счастливые, и сразу легли спать.
"""
FREE_EN = """In the morning we left the house and walked to the river along the old road across the field.

His hunch proved right: nobody had heard a thing from them since.

In the evening we came back home tired but happy, and went straight to bed.
"""


def test_an_idiomatic_paragraph_is_one_low_confidence_loose_bead_and_a_note_not_an_error(tmp_path: Path) -> None:
    """Two Russian idioms rendered by one English sentence that says the same in other words: no sentence of one
    matches a sentence of the other (the real encoder), but the paragraphs translate each other."""
    (tmp_path / "story.ru.txt").write_text(FREE_RU, encoding="utf-8")
    (tmp_path / "story.en.txt").write_text(FREE_EN, encoding="utf-8")
    code, _, _ = run_cli("run", str(tmp_path), "-f", "jsonl", "--out", str(tmp_path / "out"), "-q")
    assert code == 0
    beads = [json.loads(line) for line in (tmp_path / "out" / "story.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = [("1-1", False), ("2-1", True), ("1-1", False)]
    assert [(bead["kind"], bead.get("loose", False)) for bead in beads] == expected
    assert beads[1]["score"] == LOOSE_CONFIDENCE < DEFAULT_MIN_CONFIDENCE < beads[0]["score"]
    code, out, _ = run_cli("check", str(tmp_path / "story.ru.txt"), str(tmp_path / "story.en.txt"), "--require", "en")
    assert code == 0, out
    assert "loose-translation" in out and "untranslated" not in out and "low-confidence" not in out
    assert "story.en.txt:3" in out


def test_a_loose_pair_of_two_sentences_inside_paragraphs_is_not_called_paragraphs() -> None:
    """align check's note and the XLIFF note say what a loose bead is: sentences paired as a whole, whether
    they are whole paragraphs or, as here, one sentence of a paragraph on each side."""
    from align.align import AlignOptions, beads_of
    from align.checks import CheckOptions, findings
    from align.model import Alignment
    from align.writers.xliff import LOOSE_NOTE

    ru = [["Мэри плохо ладила с девочками.", "У тебя не все дома.", "Ты выжил из ума?"]]
    en = [["Mary did not get along with the girls.", "You've lost your marbles.", "Are you losing your head?"]]
    links = [Link((0,), (0,), 0.9), Link((), (1,), 0.0), Link((1,), (), 0.0), Link((2,), (2,), 0.9)]
    doc = document(ru, en)
    alignment = Alignment(doc, beads_of(doc, links, AlignOptions()))
    assert [bead.loose for bead in alignment.beads] == [False, True, False]
    found = findings([alignment], CheckOptions())
    (note,) = [finding.message for finding in found if finding.rule == "loose-translation"]
    assert note.startswith("sentences paired as a whole, not sentence by sentence (1 Russian")
    assert "paragraph" not in note and "paragraph" not in LOOSE_NOTE


def test_a_free_translation_has_enough_loose_pairs_for_its_size() -> None:
    segment = Segment("x.ru.txt", 0, 1, 1, "а", "ru", 0)
    pair, loose = Bead((segment,), (segment,), 0.9), Bead((segment,), (segment,), LOOSE_CONFIDENCE, loose=True)
    assert free_translation([pair] * 10 + [loose] * FREE_MIN_LOOSE_BEADS)
    assert not free_translation([pair] * 10 + [loose] * (FREE_MIN_LOOSE_BEADS - 1))
    few = int(FREE_MIN_LOOSE_BEADS / FREE_MIN_LOOSE_SHARE)  # Tatoeba's 2 of 1,000 pairs: a literal translation
    assert not free_translation([pair] * few + [loose] * FREE_MIN_LOOSE_BEADS)


def test_a_short_tale_with_one_loose_pair_and_many_regrouped_sentences_is_a_free_translation() -> None:
    """Paragraphs deleted from a tale leave it one loose bead; a quarter of its pairs regroup sentences."""
    ru = Segment("x.ru.txt", 0, 1, 1, "а", "ru", 0)
    en = Segment("x.en.txt", 0, 1, 1, "a", "en", 0)
    pair, loose = Bead((ru,), (en,), 0.9), Bead((ru,), (en,), LOOSE_CONFIDENCE, loose=True)
    merged = Bead((ru, ru), (en,), 0.9)
    share = int(FREE_MIN_REGROUPED / FREE_MIN_REGROUPED_SHARE)
    assert free_translation([pair] * (share - FREE_MIN_REGROUPED - 1) + [merged] * FREE_MIN_REGROUPED + [loose])
    assert not free_translation([pair] * (share - FREE_MIN_REGROUPED) + [merged] * FREE_MIN_REGROUPED)  # none loose
    assert not free_translation([pair] * share + [merged] * FREE_MIN_REGROUPED + [loose])  # too few regrouped
