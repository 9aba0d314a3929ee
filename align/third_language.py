"""Whether lingua calls a text a third language: its low-accuracy mode where it can tell, its full models otherwise."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from align.language_words import FOREIGN_MARKERS, SCREEN_FOREIGN_WORDS, WORD, any_letter_of

if TYPE_CHECKING:
    from lingua import ConfidenceValue, LanguageDetector

OTHER_MIN_CONFIDENCE = 0.8  # the third languages together must be at least this sure (closely related ones, such
# as German and Dutch or Spanish and Portuguese, share lingua's confidence between them) ...
TARGET_MAX_CONFIDENCE = 0.05  # ... and the expected one at most this ...
BEST_MIN_CONFIDENCE = 0.5  # ... and the best of them at least this (so misspelt Russian is not "other")
# From this many letters on lingua weighs a text's trigrams alone in either mode (its HIGH_ACCURACY_MODE_MAX_TEXT_
# LENGTH): the low-accuracy mode's values are the full models' own (identical on all 612 such texts of 21,219
# weighed both ways: the dev corpora, Text+Berg de/fr, and 1,500 gettext messages of each of 19 third languages).
TRIGRAMS_ONLY_LETTERS = 120
# A shorter text with no sign of a third language (third_language_signs) is cleared when the low-accuracy mode gives
# the expected language more than this: the full models call a text "other" only when they give it at most
# TARGET_MAX_CONFIDENCE. Measured on the same 21,219 texts: every short text of wmt22 ru-en's pair and mixed cases
# cleared (1 of 117 lines of its corpus left to the full models, 18 of 199 of bilinguator_dev's); of the 18,326
# third-language texts the full models call "other" there, 26 cleared by it (gettext messages such as "Extrait un
# fichier ressource vers la sortie standard", 12 of them Bulgarian; none of Text+Berg's 1,602).
# `python bench/screen.py` re-counts it on its own sample: 26 of 17,515 missed, none added.
SCREEN_MIN_EXPECTED = TARGET_MAX_CONFIDENCE
RUSSIAN_AND_ENGLISH_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя")
# A letter or a numeral (a WORD character) of neither alphabet: what third_language_signs looks at more closely.
OTHER_WORD_CHAR = re.compile(f"[^\\W\\d_{''.join(sorted(RUSSIAN_AND_ENGLISH_LETTERS))}]")
# Latin letters English words never have (names aside): ł, ß, ı, ř, ő, … in a small-letter word are a third language.
FOREIGN_LATIN_LETTERS = frozenset("łśźżćńąęßışğřěůťďňőűãõ")
ANY_FOREIGN_LATIN_LETTER = any_letter_of(FOREIGN_LATIN_LETTERS)
# Cyrillic letters of Macedonian and Kazakh that NON_RUSSIAN_LETTERS leaves out, and a Latin i or an apostrophe
# inside a Cyrillic word (Ukrainian and Belarusian typed with the Latin i, п'ять, з'яўляецца): signs of a
# third language that russian_by_elimination must not overlook (lowercased text).
CYRILLIC_ODDITIES = re.compile(r"[ѓѕќң]|[а-яё][i'’ʼ]|[i'’ʼ][а-яё]")


def has_foreign_words(text: str, words: list[str] | None = None) -> bool:
    """Whether `text` has a frequent word of a third language (any case) or a small-letter word with a Latin letter
    English lacks: "Der Hund biss den Mann.", "Pies ugryzł listonosza." (names such as "Śvieciłovič" do not count).
    `words`: its WORD matches, if the caller has them."""
    words = WORD.findall(text) if words is None else words
    if not FOREIGN_MARKERS.isdisjoint(map(str.lower, words)) and not FOREIGN_MARKERS.isdisjoint(
        word.lower() for word in words if word[1:].islower() or len(word) == 1
    ):
        return True  # "Der" or "der", not the acronym "MIT" (the words in any case tried first, for speed)
    if ANY_FOREIGN_LATIN_LETTER.search(text) is None:
        return False
    return any(word[0].islower() and not FOREIGN_LATIN_LETTERS.isdisjoint(word) for word in words)


def third_language_signs(text: str) -> bool:
    """Whether `text` shows anything of a third language: a letter neither Russian nor English writes (і, ў, ј, é,
    ü, …), a Cyrillic oddity or a frequent word of a third language. Such a text goes to lingua's full models."""
    low = text.lower()
    if any(map(str.isalpha, OTHER_WORD_CHAR.findall(low))) or CYRILLIC_ODDITIES.search(low):
        return True
    small = {word for word in WORD.findall(text) if word.islower()}
    return not SCREEN_FOREIGN_WORDS.isdisjoint(small) or has_foreign_words(text)


def foreign_code(values: list[ConfidenceValue], expected: str) -> str:
    """The ISO 639-1 code of lingua's best language if it is a third one, the third languages together sure
    enough, and `expected` unlikely."""
    if not values:
        return ""
    confidence = {value.language.iso_code_639_1.name.lower(): value.value for value in values}
    best_code = values[0].language.iso_code_639_1.name.lower()
    third = sum(value for code, value in confidence.items() if code not in ("ru", "en"))
    if best_code in ("ru", "en") or third < OTHER_MIN_CONFIDENCE or values[0].value < BEST_MIN_CONFIDENCE:
        return ""
    if confidence.get(expected, 0.0) > TARGET_MAX_CONFIDENCE:
        return ""
    return best_code


def expected_confidence(values: list[ConfidenceValue], expected: str) -> float:
    """lingua's confidence in the language `expected` ("ru" or "en")."""
    return next((value.value for value in values if value.language.iso_code_639_1.name.lower() == expected), 0.0)


@dataclass
class LowAccuracyScreen:
    """lingua's low-accuracy mode (trigram models only: a few tenths of a second of CPU to load, against 5 s for the
    full models of both scripts), over the languages `names` (lingua's Language names)."""

    names: Sequence[str]
    _detector: LanguageDetector | None = field(default=None, init=False, repr=False)

    def detector(self) -> LanguageDetector:
        """The low-accuracy detector; lingua loads each language's trigrams on first need (only a text's script's)."""
        if self._detector is None:
            from lingua import Language, LanguageDetectorBuilder

            langs = [getattr(Language, name) for name in self.names]
            self._detector = LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()
        return self._detector

    def values(self, texts: list[str]) -> list[list[ConfidenceValue]]:
        """The low-accuracy mode's confidence values of each text."""
        return self.detector().compute_language_confidence_values_in_parallel(texts) if texts else []

    def settled(
        self, asked: Sequence[tuple[str, str, str]], values: Sequence[list[ConfidenceValue]]
    ) -> list[list[ConfidenceValue] | None]:
        """For each (text lingua should weigh, the whole segment, expected language) and the low-accuracy `values`
        of its text: confidence values that give the full models' verdict (the low-accuracy ones of a text long
        enough, or of a short one they clear), or None where only the full models can tell."""
        return [
            found if self.decides(text, whole, expected, found) else None
            for (text, whole, expected), found in zip(asked, values, strict=True)
        ]

    @staticmethod
    def decides(text: str, whole: str, expected: str, values: list[ConfidenceValue]) -> bool:
        """Whether the low-accuracy values of `text` (of the segment `whole`) give the full models' verdict."""
        if sum(map(str.isalpha, text)) >= TRIGRAMS_ONLY_LETTERS:
            return True
        if third_language_signs(text) or third_language_signs(whole):
            return False
        return expected_confidence(values, expected) > SCREEN_MIN_EXPECTED
