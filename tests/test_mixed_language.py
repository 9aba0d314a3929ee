"""Tests for align.mixed_language: chapter numbers, headings and names of a mixed file, each on its side."""

from __future__ import annotations

import pytest

from align.language import LanguageIdentifier, is_chapter_number, scripts_of
from tests.test_language import ENGLISH, RUSSIAN, segments

RUSSIAN_PARAGRAPH = (
    "Огромнейшая благодарность автору за эту статью. Teath-In. "
    "В те далекие семидесятые-восьмидесятые ни одна танцплощадка не обходилась без мелодий этой группы."
)
ENGLISH_PARAGRAPH = (
    "Huge thanks to the author for this article. Teath-In. "
    "In those distant seventies-eighties, there wasn't a dancefloor where the tunes from this band were not played."
)


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(("text", "number"), [("XIV.", True), ("ХX", True), ("ХIV", True), ("ХХ", False)])
def test_a_chapter_number_typed_with_a_cyrillic_x_beside_latin_letters_is_a_number(text: str, number: bool) -> None:
    """A numeral all in Cyrillic letters ("ХХ век") stays Russian, as before."""
    assert is_chapter_number(text) is number
    assert (scripts_of(text).letters == 0) is number


def test_a_cyrillic_typed_number_after_a_heading_that_holds_it_is_the_headings_translation(
    identifier: LanguageIdentifier,
) -> None:
    labelled = identifier.label(segments(f"{RUSSIAN}\n\n{ENGLISH}\n\nГЛАВА ХX\n\nХX\n\n{RUSSIAN}\n\n{ENGLISH}\n"))
    assert [seg.lang for seg in labelled] == ["ru", "en", "ru", "en", "ru", "en"]


def test_a_number_after_a_capitals_heading_of_the_language_that_leads_is_its_translation(
    identifier: LanguageIdentifier,
) -> None:
    """Russian opens every pair; "ГЛАВА ПЕРВАЯ" is followed by a lone "I" and a Russian paragraph: the "I" is the
    English chapter heading (the paragraph before would make it Russian)."""
    text = f"{RUSSIAN}\n\n{ENGLISH}\n\nГЛАВА ПЕРВАЯ\n\nI\n\n{RUSSIAN}\n\n{ENGLISH}\n"
    assert [seg.lang for seg in identifier.label(segments(text))] == ["ru", "en", "ru", "en", "ru", "en"]


def test_a_number_before_a_capitals_heading_of_the_language_that_follows_is_its_translation(
    identifier: LanguageIdentifier,
) -> None:
    text = f"{ENGLISH}\n\n{RUSSIAN}\n\nI\n\nГЛАВА ПЕРВАЯ\n\n{ENGLISH}\n\n{RUSSIAN}\n"
    assert [seg.lang for seg in identifier.label(segments(text))] == ["en", "ru", "en", "ru", "en", "ru"]


def test_a_number_after_an_ordinary_sentence_takes_the_paragraph_before_as_before(
    identifier: LanguageIdentifier,
) -> None:
    """ "And that set me thinking." is no heading: the "IV" after it, before another English paragraph, is English."""
    text = f"{ENGLISH}\n\n{RUSSIAN}\n\nAnd that set me thinking.\n\nIV\n\n{ENGLISH}\n\n{RUSSIAN}\n"
    assert [seg.lang for seg in identifier.label(segments(text))] == ["en", "ru", "en", "en", "en", "ru"]


def test_a_name_alone_as_a_sentence_takes_the_language_of_its_paragraph(identifier: LanguageIdentifier) -> None:
    labelled = identifier.label(segments(f"{ENGLISH_PARAGRAPH}\n\n{RUSSIAN_PARAGRAPH}\n"))
    assert [(seg.text, seg.lang) for seg in labelled if seg.text == "Teath-In."] == [
        ("Teath-In.", "en"),
        ("Teath-In.", "ru"),
    ]
    assert [seg.lang for seg in labelled] == ["en"] * 3 + ["ru"] * 3
