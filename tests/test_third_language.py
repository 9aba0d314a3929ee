"""Tests for align.third_language: lingua's low-accuracy mode settles what it can, its full models the rest."""

from __future__ import annotations

import pytest
from lingua import Language, LanguageDetectorBuilder

from align.language import ALL_LANGS, detector_text
from align.model import Segment
from align.third_language import TRIGRAMS_ONLY_LETTERS, LowAccuracyScreen, third_language_signs
from tests.test_language import RecordingIdentifier  # keeps the texts handed to lingua's full models

# Lines of the wmt22 ru-en test set that letters and marker words leave to lingua (detector_text is not None).
PLAIN_RUSSIAN = ["Биолог перечислил ранние признаки деменции", "Мелкие канавки и насечки отводят тепло."]
PLAIN_ENGLISH = ["Micro Ultimate orthopedic spring mattress.", "40% cotton, 60% polyester, density 230 g/sq m."]
# A Ukrainian sentence about Kyiv, over TRIGRAMS_ONLY_LETTERS letters long.
LONG_UKRAINIAN = (
    "Київ — столиця та найбільше місто України, розташоване в середній течії Дніпра, у північній Наддніпрянщині, "
    "політичний, соціально-економічний, транспортний і освітньо-науковий центр країни."
)


def lines(texts: list[str]) -> list[Segment]:
    return [Segment("page.txt", 0, len(text), k, text, "", k) for k, text in enumerate(texts)]


def test_short_lines_that_reach_lingua_are_cleared_without_its_full_models() -> None:
    identifier = RecordingIdentifier()
    assert all(detector_text(text) is not None for text in PLAIN_RUSSIAN + PLAIN_ENGLISH)  # lingua must weigh them
    russian = identifier.label(lines(PLAIN_RUSSIAN), side="ru")
    english = identifier.label(lines(PLAIN_ENGLISH), side="en")
    assert [seg.lang for seg in russian + english] == ["ru", "ru", "en", "en"]
    assert identifier.asked == [] and identifier._detector is None and not identifier._loaded_scripts


def test_a_long_third_language_sentence_is_told_by_the_low_accuracy_mode_alone() -> None:
    identifier = RecordingIdentifier()
    (labelled,) = identifier.label(lines([LONG_UKRAINIAN]), side="ru")
    assert (labelled.lang, labelled.detected) == ("other", "uk")
    assert identifier.asked == [] and not identifier._loaded_scripts


def test_from_trigrams_only_letters_on_both_modes_give_the_same_values() -> None:
    """The premise of the long-text rule: lingua weighs such a text by its trigrams alone in either mode."""
    assert sum(map(str.isalpha, LONG_UKRAINIAN)) >= TRIGRAMS_ONLY_LETTERS
    langs = [getattr(Language, name) for name in ALL_LANGS]
    full = LanguageDetectorBuilder.from_languages(*langs).build().compute_language_confidence_values(LONG_UKRAINIAN)
    low = LowAccuracyScreen(ALL_LANGS).detector().compute_language_confidence_values(LONG_UKRAINIAN)
    assert [(v.language, round(v.value, 9)) for v in low] == [(v.language, round(v.value, 9)) for v in full]


@pytest.mark.parametrize(
    ("text", "signs"),
    [
        ("Водступ між слупкоў", True),  # Belarusian letters
        ("Grâce aux cordes fixes, l'arête", True),  # French letters
        ("Der Hund biss den Mann.", True),  # a German word
        ("Зашто не пише ништа?", False),  # Serbian in letters Russian has: for lingua to weigh
        ("orthopedic spring mattress.", False),
    ],
)
def test_a_letter_or_word_of_a_third_language_is_a_sign_of_one(text: str, signs: bool) -> None:
    assert third_language_signs(text) is signs


def test_a_short_line_with_a_sign_of_a_third_language_goes_to_the_full_models() -> None:
    identifier = RecordingIdentifier()
    (labelled,) = identifier.label(lines(["Водступ між слупкоў"]), side="ru")
    assert (labelled.lang, labelled.detected) == ("other", "be")
    assert identifier.asked == ["Водступ між слупкоў"] and identifier._loaded_scripts == {"cyrillic"}
