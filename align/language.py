"""Tell Russian, English and other-language text apart: script letter counts first, lingua for the rest."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from align.model import Segment

if TYPE_CHECKING:
    from lingua import LanguageDetector

# Languages lingua weighs against each other: loading all 75 costs 1.25 GB of RAM.
CYRILLIC_LANGS = ("RUSSIAN", "UKRAINIAN", "BELARUSIAN", "BULGARIAN", "SERBIAN", "KAZAKH", "MACEDONIAN")
LATIN_LANGS = ("ENGLISH", "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "PORTUGUESE")
MIN_LETTERS_FOR_DETECTOR = 20  # shorter text (names, acronyms) is too little evidence to call "other"
OTHER_MIN_CONFIDENCE = 0.8  # the rival language must be at least this sure ...
TARGET_MAX_CONFIDENCE = 0.05  # ... and the expected one at most this
# Words only English uses among the Latin-script languages weighed (German and Spanish share "was", "an",
# "will", "her", "he", "has", so those are left out).
ENGLISH_MARKERS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "is",
        "were",
        "are",
        "been",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "with",
        "for",
        "not",
        "you",
        "she",
        "they",
        "we",
        "his",
        "their",
        "our",
        "my",
        "your",
        "which",
        "would",
        "there",
        "what",
        "who",
        "from",
        "but",
        "at",
        "by",
    ]
)
RUSSIAN_LETTERS = frozenset("ыэЫЭ")  # in no other Cyrillic language weighed here but Belarusian
NON_RUSSIAN_LETTERS = frozenset("іїєґўІЇЄҐЎјљњћђџЈЉЊЋЂЏқғүұһәөҚҒҮҰҺӘӨ")
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Scripts:
    """Letter counts of a text by script, in all words and in words that start with a small letter."""

    cyrillic: int
    latin: int
    cyrillic_in_common_words: int = 0
    latin_in_common_words: int = 0

    @property
    def letters(self) -> int:
        return self.cyrillic + self.latin

    @property
    def lang(self) -> str:
        """ "ru" or "en" by majority of letters, "" for a text without letters.

        Words starting with a small letter decide when there are any: "Матрас SkySleep Wave Space BS 150x185 см."
        is Russian although most of its letters are the Latin ones of a brand name.
        """
        if not self.letters:
            return ""
        cyrillic, latin = self.cyrillic_in_common_words, self.latin_in_common_words
        if cyrillic == latin:
            cyrillic, latin = self.cyrillic, self.latin
        return "ru" if cyrillic >= latin else "en"


def scripts_of(text: str) -> Scripts:
    """Count Cyrillic and Latin letters of `text`."""
    counts = {"cyrillic": 0, "latin": 0, "cyrillic_in_common_words": 0, "latin_in_common_words": 0}
    for word in WORD.findall(text):
        common = word[0].islower()
        for char in word:
            script = script_of(char)
            if script:
                counts[script] += 1
                if common:
                    counts[f"{script}_in_common_words"] += 1
    return Scripts(**counts)


def script_of(char: str) -> str:
    """ "cyrillic", "latin" or "" for a letter of another script."""
    if "\u0400" <= char <= "\u052f" or "\u1c80" <= char <= "\u1c8f" or "\u2de0" <= char <= "\ua69f":
        return "cyrillic"
    if char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
        return "latin"
    return ""


@dataclass
class LanguageIdentifier:
    """Labels segments "ru", "en" or "other"; lingua is loaded on first need (it is slow to import)."""

    _detector: LanguageDetector | None = field(default=None, init=False, repr=False)

    def detector(self) -> LanguageDetector:
        if self._detector is None:
            from lingua import Language, LanguageDetectorBuilder

            langs = [getattr(Language, name) for name in CYRILLIC_LANGS + LATIN_LANGS]
            self._detector = LanguageDetectorBuilder.from_languages(*langs).build()
        return self._detector

    def foreign_language(self, text: str, expected: str) -> str:
        """The ISO 639-1 code of the language of `text` when it is clearly neither Russian nor English, else "".

        A Russian sentence full of English names stays Russian: only a third language makes text "other".
        """
        telling = bool(set(text) & NON_RUSSIAN_LETTERS)  # і, ї, ў, …: Cyrillic that is not Russian, even if short
        if not telling:
            text = without_names(text)  # "Śvieciłovič said sternly." must not read as Polish or Portuguese
        letters = sum(char.isalpha() for char in text)
        short = letters < MIN_LETTERS_FOR_DETECTOR and not telling
        if short or plainly_russian_or_english(text):
            return ""
        values = self.detector().compute_language_confidence_values(text)
        if not values:
            return ""
        confidence = {value.language.iso_code_639_1.name.lower(): value.value for value in values}
        best = values[0]
        best_code = best.language.iso_code_639_1.name.lower()
        if best_code in ("ru", "en") or best.value < OTHER_MIN_CONFIDENCE:
            return ""
        if confidence.get(expected, 0.0) > TARGET_MAX_CONFIDENCE:
            return ""
        return best_code

    def label(self, segments: list[Segment], side: str | None = None) -> list[Segment]:
        """Give every segment its language.

        `side` is "ru" or "en" when the file is one side of a pair: every segment then belongs to that side
        unless it is clearly written in a third language. For a mixed file (`side` None) script letter
        counts decide; segments without letters take the language of their neighbours.
        """
        guesses = [side or scripts_of(seg.text).lang for seg in segments]
        guesses = fill_from_neighbours(guesses, [seg.paragraph for seg in segments])
        labelled = []
        for seg, lang in zip(segments, guesses, strict=True):
            foreign = self.foreign_language(seg.text, lang) if lang else ""
            if foreign or not lang:
                labelled.append(replace(seg, lang="other", detected=foreign))
            else:
                labelled.append(replace(seg, lang=lang))
        return labelled


def without_names(text: str) -> str:
    """The text without its capitalised words (names say little about the language, sentence starts little)."""
    return " ".join(word for word in text.split() if not word.lstrip("«\"“„'‘(")[:1].isupper())


def plainly_russian_or_english(text: str) -> bool:
    """True when the letters alone show the text is Russian (ы, э, ъ and no letter Russian lacks) or
    English (an English function word): names with diacritics must not fool the statistical detector."""
    chars = set(text)
    if chars & RUSSIAN_LETTERS and not chars & NON_RUSSIAN_LETTERS:
        return True
    return any(word.lower() in ENGLISH_MARKERS for word in WORD.findall(text))


def fill_from_neighbours(langs: list[str], paragraphs: list[int]) -> list[str]:
    """Replace empty guesses with the nearest known one, preferring the same paragraph, then the one before."""
    before = nearest_known(langs, range(len(langs)))
    after = nearest_known(langs, range(len(langs) - 1, -1, -1))
    filled = list(langs)
    for i, lang in enumerate(langs):
        if lang:
            continue
        options = [j for j in (before[i], after[i]) if j is not None]
        same = [j for j in options if paragraphs[j] == paragraphs[i]]
        if options:
            filled[i] = langs[min(same or options, key=lambda j: (abs(j - i), j > i))]
    return filled


def nearest_known(langs: list[str], order: range) -> list[int | None]:
    """For each position, the index of the last non-empty guess met walking in `order`."""
    found: list[int | None] = [None] * len(langs)
    last = None
    for i in order:
        if langs[i]:
            last = i
        found[i] = last
    return found
