"""Facing gaps (align.facing_gaps): in a free translation, a gap between two pairs holding one paragraph's passage
of each language, of comparable length, becomes one loose bead (check's loose-translation note, no untranslated
error); two paragraphs on a side, lengths too far apart, or a document that is no free translation keep it."""

from __future__ import annotations

from align.checks.options import CheckOptions
from align.checks.untranslated import loose_translations, untranslated_passages
from align.facing_gaps import FACING_LENGTH_RATIO, facing_gaps_paired
from align.loose import LOOSE_CONFIDENCE
from align.model import Alignment, Bead, Document
from tests.test_matched_gaps import segments

BEFORE = ("Полковник открыл окно и посмотрел на двор.", "The colonel opened the window and looked at the yard.")
AFTER = ("Потом он вернулся к столу и сел.", "Then he went back to the table and sat down.")
# Three loose pairs (paragraphs the aligner paired as a whole) make the document a free translation.
FREE = [
    ("Что было, то было.", "The past is the past."),
    ("У тебя не все дома.", "You've lost your marbles."),
    ("Дело в шляпе.", "It's in the bag."),
]
LINE_RU = "— Живёт себе."
LINE_EN = "“He's still there,” the colonel replied."


def alignment(gap_ru: list[str], gap_en: list[str], ru_paragraphs: list[int], free: bool = True) -> Alignment:
    """A pair, the gap's English then Russian sentences one-sided (English in paragraph 1, Russian in 1 +
    ru_paragraphs[k]), a pair, then the three loose pairs (loose only when `free`)."""
    ru_texts = [BEFORE[0], *gap_ru, AFTER[0], *(r for r, _ in FREE)]
    en_texts = [BEFORE[1], *gap_en, AFTER[1], *(e for _, e in FREE)]
    tail = [9, 10, 11, 12]
    ru = segments("ru", ru_texts, [0, *(1 + p for p in ru_paragraphs), *tail])
    en = segments("en", en_texts, [0] + [1] * len(gap_en) + tail)
    n, m = len(gap_ru), len(gap_en)
    beads = [Bead((ru[0],), (en[0],), 0.97)]
    beads += [Bead((), (e,), 0.0) for e in en[1 : 1 + m]] + [Bead((r,), (), 0.0) for r in ru[1 : 1 + n]]
    beads.append(Bead((ru[1 + n],), (en[1 + m],), 0.96))
    for k in range(len(FREE)):
        beads.append(Bead((ru[2 + n + k],), (en[2 + m + k],), LOOSE_CONFIDENCE, loose=free))
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def test_a_line_of_dialogue_facing_its_free_translation_is_one_loose_bead() -> None:
    found = facing_gaps_paired(alignment([LINE_RU], [LINE_EN], [0]))
    bead = found.beads[1]
    assert [s.text for s in bead.ru] == [LINE_RU] and [s.text for s in bead.en] == [LINE_EN]
    assert bead.loose and bead.score == LOOSE_CONFIDENCE
    assert all(b.paired for b in found.beads)
    assert untranslated_passages(found, CheckOptions(require="both")) == []
    assert loose_translations(found, CheckOptions(require="both"))  # a note, not an error


def test_a_heading_with_its_subtitle_facing_the_bare_heading_is_one_loose_bead() -> None:
    found = facing_gaps_paired(alignment(["Часть I.", "Соображения, касающиеся наук"], ["Part I"], [0, 0]))
    bead = found.beads[1]
    assert [s.text for s in bead.ru] == ["Часть I.", "Соображения, касающиеся наук"]
    assert bead.en[0].text == "Part I" and bead.loose


def test_two_paragraphs_on_one_side_stay_one_sided() -> None:
    aligned = alignment([LINE_RU, "— А дети?"], [LINE_EN], [0, 1])
    assert facing_gaps_paired(aligned).beads == aligned.beads


def test_lengths_too_far_apart_stay_one_sided() -> None:
    long_en = "He " + "waited " * int(FACING_LENGTH_RATIO * len("— Да.") / len("waited ") + 1) + "there."
    aligned = alignment(["— Да."], [long_en], [0])
    assert len(long_en) > FACING_LENGTH_RATIO * len("— Да.")
    assert facing_gaps_paired(aligned).beads == aligned.beads


def test_a_document_that_is_no_free_translation_is_left_alone() -> None:
    aligned = alignment([LINE_RU], [LINE_EN], [0], free=False)
    assert facing_gaps_paired(aligned).beads == aligned.beads
