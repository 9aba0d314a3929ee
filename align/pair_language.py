"""Label sentences with the languages of a --langs pair (or "other"): lingua weighing the pair and its look-alikes.

The RU/EN pair keeps align.language's identifier; this one serves every other pair. lingua loads only the pair's
two languages plus the ones each is usually confused with (Dutch for German, Catalan for Spanish, Ukrainian for
Russian, Japanese for Chinese, …), so a third language is told apart where it is likely, and memory stays small.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from align.language import SYMBOLS, fill_from_neighbours, other_script, script_letters, without_names
from align.model import Segment

if TYPE_CHECKING:
    from lingua import ConfidenceValue, LanguageDetector

# ISO 639-1 code -> lingua's name of the language.
LINGUA_NAMES: dict[str, str] = {
    "ar": "ARABIC",
    "ca": "CATALAN",
    "cs": "CZECH",
    "da": "DANISH",
    "de": "GERMAN",
    "en": "ENGLISH",
    "es": "SPANISH",
    "fa": "PERSIAN",
    "fr": "FRENCH",
    "it": "ITALIAN",
    "ja": "JAPANESE",
    "ko": "KOREAN",
    "nl": "DUTCH",
    "af": "AFRIKAANS",
    "pl": "POLISH",
    "pt": "PORTUGUESE",
    "ro": "ROMANIAN",
    "ru": "RUSSIAN",
    "sk": "SLOVAK",
    "th": "THAI",
    "tr": "TURKISH",
    "az": "AZERBAIJANI",
    "uk": "UKRAINIAN",
    "be": "BELARUSIAN",
    "bg": "BULGARIAN",
    "ur": "URDU",
    "zh": "CHINESE",
}
# The languages each one is usually mistaken for (or mixed with on the same pages).
CONFUSIONS: dict[str, tuple[str, ...]] = {
    "ar": ("fa", "ur"),
    "de": ("nl", "da", "en"),
    "en": ("de", "fr"),
    "es": ("pt", "ca", "it"),
    "fr": ("it", "ca", "en"),
    "it": ("es", "fr", "ro"),
    "ja": ("zh",),
    "ko": (),
    "nl": ("de", "af", "en"),
    "pl": ("cs", "sk"),
    "pt": ("es", "ca"),
    "ru": ("uk", "be", "bg"),
    "th": (),
    "tr": ("az",),
    "zh": ("ja",),
}
MIN_LETTERS_FOR_DETECTOR = 20  # shorter text (names, numbers, captions) is too little evidence: its side's
OTHER_MIN_CONFIDENCE = 0.8  # a third language must be at least this sure ...
EXPECTED_MAX_CONFIDENCE = 0.05  # ... and the side's own language at most this, for a sentence to be "other"
NON_LATIN_LANGS = frozenset({"ar", "ja", "ko", "ru", "th", "zh"})
UNIDENTIFIED = "other"  # the detected code of text in a script the pair's detector does not weigh


def weighed_languages(langs: tuple[str, str]) -> tuple[str, ...]:
    """The pair's languages, then their usual confusions, each once."""
    confusions = [code for lang in langs for code in CONFUSIONS.get(lang, ())]
    return tuple(dict.fromkeys((*langs, *confusions)))


@dataclass
class PairIdentifier:
    """Labels segments with one of the pair's languages or "other" (with the code found in `detected`); lingua
    is loaded on first need, or in the background by preload()."""

    langs: tuple[str, str]
    _detector: LanguageDetector | None = field(default=None, init=False, repr=False)
    _loading: threading.Thread | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def preload(self) -> None:
        """Start building lingua's detector (its models load in 1-2 s) while the caller loads its encoder."""
        if self._loading is None and self._detector is None:
            self._loading = threading.Thread(target=self.detector, daemon=False)
            self._loading.start()

    def detector(self) -> LanguageDetector:
        with self._lock:
            if self._detector is None:
                from lingua import Language, LanguageDetectorBuilder

                languages = [getattr(Language, LINGUA_NAMES[code]) for code in weighed_languages(self.langs)]
                builder = LanguageDetectorBuilder.from_languages(*languages)
                self._detector = builder.with_preloaded_language_models().build()
            return self._detector

    def label(self, segments: list[Segment], side: str | None = None) -> list[Segment]:
        """Give every segment its language. `side` is the file's language when the file is one side of a pair:
        every segment is in it unless clearly in a third language. On a mixed page (`side` None) lingua picks
        the likelier language of the pair; a segment too short to tell takes its neighbours' language."""
        texts = [segment.prose for segment in segments]
        values = self.confidences(texts)
        guesses = [side or likelier(confidence, self.langs) for confidence in values]
        guesses = fill_from_neighbours(guesses, [segment.paragraph for segment in segments])
        labelled = []
        for segment, text, confidence, lang in zip(segments, texts, values, guesses, strict=True):
            code = third_language(text, confidence, lang or self.langs[0], self.langs)
            if code or not lang:
                labelled.append(replace(segment, lang="other", detected=code))
            else:
                labelled.append(replace(segment, lang=lang))
        return labelled

    def confidences(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """lingua's confidence per language code for each text long enough to weigh ({} for the others)."""
        queries = [detector_text(text) for text in texts]
        asked = [query for query in queries if query is not None]
        found = iter(self.detector().compute_language_confidence_values_in_parallel(asked) if asked else [])
        return [{} if query is None else as_codes(next(found)) for query in queries]


def detector_text(text: str) -> str | None:
    """What lingua weighs of a sentence: the text without capitalised words (names) if enough letters remain,
    the whole text otherwise; None when it has too few letters to tell anything."""
    if sum(map(str.isalpha, text)) < MIN_LETTERS_FOR_DETECTOR:
        return None
    named = without_names(text)
    return named if sum(map(str.isalpha, named)) >= MIN_LETTERS_FOR_DETECTOR else text


def as_codes(values: list[ConfidenceValue]) -> dict[str, float]:
    """lingua's confidence values keyed by ISO 639-1 code."""
    return {value.language.iso_code_639_1.name.lower(): value.value for value in values}


def likelier(confidence: dict[str, float], langs: tuple[str, str]) -> str:
    """The pair's language lingua finds likelier ("" when it weighed nothing or finds both equally likely)."""
    first, second = (confidence.get(lang, 0.0) for lang in langs)
    if first == second:
        return ""
    return langs[0] if first > second else langs[1]


def third_language(text: str, confidence: dict[str, float], expected: str, langs: tuple[str, str]) -> str:
    """The code of the language `text` is clearly written in when that is neither of the pair's, else "": a
    script neither language of the pair uses, or lingua sure of a third language and not of `expected`."""
    script = other_script(text)
    if script and script != SYMBOLS and script not in langs and not (script == "zh" and "ja" in langs):
        return script
    cyrillic, latin = script_letters(text)
    if not script and max(cyrillic, latin) >= MIN_LETTERS_FOR_DETECTOR and unweighed_script(cyrillic, latin, langs):
        return UNIDENTIFIED
    if not confidence:
        return ""
    best = max(confidence, key=lambda code: confidence[code])
    if best in langs or confidence[best] < OTHER_MIN_CONFIDENCE:
        return ""
    return best if confidence.get(expected, 0.0) <= EXPECTED_MAX_CONFIDENCE else ""


def unweighed_script(cyrillic: int, latin: int, langs: tuple[str, str]) -> bool:
    """Whether text mostly in Cyrillic (or Latin) letters is in a script no language of the pair is written in."""
    if cyrillic > latin:
        return "ru" not in langs
    return all(lang in NON_LATIN_LANGS for lang in langs)
