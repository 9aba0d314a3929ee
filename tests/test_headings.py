"""Headings (align.headings): a subtitle left one-sided beside its heading's pair joins it, a chapter heading facing
its bare numeral between two pairs is one bead (both loose: check's note, no untranslated error, in any
document); a sentence of running text ending in punctuation keeps its verdict."""

from __future__ import annotations

from align.checks.options import CheckOptions
from align.checks.untranslated import loose_translations, untranslated_passages
from align.headings import headings_joined, is_heading
from align.model import Alignment, Bead, Document, Segment
from tests.test_matched_gaps import segments

BEFORE = (
    "Таковы были мои первые мысли об этом предмете.",
    "Such were my first thoughts on the subject.",
)
AFTER = (
    "Я находился тогда в Германии, куда меня призвала война.",
    "I was then in Germany, attracted thither by the wars.",
)


def document(ru: list[Segment], en: list[Segment], beads: list[Bead]) -> Alignment:
    """The alignment of one document with these sentences and beads."""
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def subtitled(tail: str) -> Alignment:
    """A pair, the heading "Часть II." + `tail` (one paragraph) against "Part II", the pair of "Часть II." and
    "Part II", `tail` one-sided, then a pair."""
    ru = segments("ru", [BEFORE[0], "Часть II.", tail, AFTER[0]], [0, 1, 1, 2])
    en = segments("en", [BEFORE[1], "Part II", AFTER[1]], [0, 1, 2])
    beads = [Bead((ru[0],), (en[0],), 0.99), Bead((ru[1],), (en[1],), 0.99), Bead((ru[2],), (), 0.0)]
    return document(ru, en, [*beads, Bead((ru[3],), (en[2],), 0.98)])


def test_a_subtitle_left_beside_its_heading_pair_joins_it() -> None:
    found = headings_joined(subtitled("Основные правила метода"))
    bead = found.beads[1]
    assert [s.text for s in bead.ru] == ["Часть II.", "Основные правила метода"] and bead.en[0].text == "Part II"
    assert bead.loose and len(found.beads) == 3
    assert untranslated_passages(found, CheckOptions(require="both")) == []
    assert loose_translations(found, CheckOptions(require="both"))  # a note, not an error


def test_a_sentence_of_running_text_beside_a_heading_pair_stays_one_sided() -> None:
    aligned = subtitled("Здесь я изложу основные правила метода.")
    assert headings_joined(aligned).beads == aligned.beads


def test_a_chapter_heading_facing_its_numeral_is_one_bead_however_short_the_numeral() -> None:
    ru = segments("ru", [BEFORE[0], "ГЛАВА ПЕРВАЯ", AFTER[0]], [0, 1, 2])
    en = segments("en", [BEFORE[1], "I", AFTER[1]], [0, 1, 2])
    beads = [Bead((ru[0],), (en[0],), 0.99), Bead((), (en[1],), 0.0), Bead((ru[1],), (), 0.0)]
    found = headings_joined(document(ru, en, [*beads, Bead((ru[2],), (en[2],), 0.98)]))
    assert [(b.kind, b.loose) for b in found.beads] == [("1-1", False), ("1-1", True), ("1-1", False)]


def test_a_deleted_sentence_facing_a_heading_is_no_heading_gap() -> None:
    ru = segments("ru", [BEFORE[0], "Он долго молчал, глядя в окно.", AFTER[0]], [0, 1, 2])
    en = segments("en", [BEFORE[1], "Part III", AFTER[1]], [0, 1, 2])
    beads = [Bead((ru[0],), (en[0],), 0.99), Bead((), (en[1],), 0.0), Bead((ru[1],), (), 0.0)]
    aligned = document(ru, en, [*beads, Bead((ru[2],), (en[2],), 0.98)])
    assert headings_joined(aligned).beads == aligned.beads


def test_heading_lines_end_in_a_letter_or_digit() -> None:
    lines = ["Part IV", "«Глава 3»", "Доводы, доказывающие существование бога", "— Зачем?", "Кругом тишина…"]
    ru = segments("ru", lines, [0, 1, 2, 3, 4])
    assert [is_heading(s) for s in ru] == [True, True, True, False, False]
