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


def test_a_number_before_a_run_left_without_translation_belongs_to_the_run(identifier: LanguageIdentifier) -> None:
    """English opens every pair; after a pair, "XXIV" stands before an English paragraph that another English one
    follows (its Russian left out): the chapter's opening and its number are the run without translation."""
    untranslated = "An old woman entered, so old that she was almost bent double."
    text = f"{ENGLISH}\n\n{RUSSIAN}\n\nXXIV\n\n{untranslated}\n\n{ENGLISH}\n\n{RUSSIAN}\n"
    assert [seg.lang for seg in identifier.label(segments(text))] == ["en", "ru", "en", "en", "en", "ru"]


def test_a_number_between_two_pairs_takes_the_paragraph_before(identifier: LanguageIdentifier) -> None:
    """Nothing after "XX" is left without translation: the paragraph before decides, as before."""
    text = f"{ENGLISH}\n\n{RUSSIAN}\n\nXX\n\n{ENGLISH}\n\n{RUSSIAN}\n"
    assert [seg.lang for seg in identifier.label(segments(text))] == ["en", "ru", "ru", "en", "ru"]


def test_a_name_alone_as_a_sentence_takes_the_language_of_its_paragraph(identifier: LanguageIdentifier) -> None:
    labelled = identifier.label(segments(f"{ENGLISH_PARAGRAPH}\n\n{RUSSIAN_PARAGRAPH}\n"))
    assert [(seg.text, seg.lang) for seg in labelled if seg.text == "Teath-In."] == [
        ("Teath-In.", "en"),
        ("Teath-In.", "ru"),
    ]
    assert [seg.lang for seg in labelled] == ["en"] * 3 + ["ru"] * 3


EPIGRAPH = "By this art you may contemplate the variations of the 23 letters… The Anatomy of Melancholy, part 2"
EPIGRAPH_KEPT = "By this art you may contemplate the variation of the 23 letters… The Anatomy of melancholy, part 2"


def paragraph_languages(identifier: LanguageIdentifier, text: str) -> list[set[str]]:
    """The languages of each paragraph's segments, in file order."""
    labelled = identifier.label(segments(text))
    found: dict[int, set[str]] = {}
    for seg in labelled:
        found.setdefault(seg.paragraph, set()).add(seg.lang)
    return [found[paragraph] for paragraph in sorted(found)]


@pytest.mark.parametrize(
    ("text", "langs"),
    [
        (f"{EPIGRAPH}\n\n{EPIGRAPH_KEPT}\n\n{ENGLISH}\n\n{RUSSIAN}\n\n{ENGLISH}\n\n{RUSSIAN}\n", ["en", "ru"] * 3),
        (f"{EPIGRAPH_KEPT}\n\n{EPIGRAPH}\n\n{RUSSIAN}\n\n{ENGLISH}\n\n{RUSSIAN}\n\n{ENGLISH}\n", ["ru", "en"] * 3),
    ],
)
def test_an_epigraph_both_editions_keep_in_english_is_one_paragraph_of_each_in_the_pages_order(
    identifier: LanguageIdentifier, text: str, langs: list[str]
) -> None:
    """Borges's «Вавилонская библиотека» keeps Burton's English epigraph: the second copy is the Russian side's."""
    assert paragraph_languages(identifier, text) == [{lang} for lang in langs]


def test_a_paragraph_repeated_on_an_english_page_quoting_some_russian_stays_english(
    identifier: LanguageIdentifier,
) -> None:
    """One Russian paragraph in five: no page of paragraphs and their translations, so no kept epigraph."""
    text = f"{ENGLISH}\n\n{EPIGRAPH}\n\n{EPIGRAPH}\n\n{RUSSIAN}\n\n{ENGLISH}\n"
    assert paragraph_languages(identifier, text) == [{"en"}, {"en"}, {"en"}, {"ru"}, {"en"}]


def test_a_repeated_paragraph_of_one_side_of_a_pair_stays_on_that_side(identifier: LanguageIdentifier) -> None:
    text = f"{EPIGRAPH}\n\n{EPIGRAPH_KEPT}\n\n{ENGLISH}\n\n{ENGLISH}\n"
    assert {seg.lang for seg in identifier.label(segments(text), side="en")} == {"en"}


def test_short_lines_repeated_in_a_row_are_no_kept_epigraph(identifier: LanguageIdentifier) -> None:
    """ "Yes, sir." twice (a reply whose translation is missing, then the next one): under KEPT_MIN_CHARS."""
    text = f"{ENGLISH}\n\n{RUSSIAN}\n\nYes, sir.\n\nYes, sir.\n\n{ENGLISH}\n\n{RUSSIAN}\n"
    assert paragraph_languages(identifier, text) == [{"en"}, {"ru"}, {"en"}, {"en"}, {"en"}, {"ru"}]
