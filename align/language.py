"""Tell Russian, English and other-language text apart: script letter counts first, lingua for the rest."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from align.declared_language import is_third_language
from align.language_words import (
    ENGLISH_MARKERS,
    ENGLISH_ONLY_WORDS,
    ENGLISH_SPELLING,
    ENGLISH_WORDS,
    NOT_BELARUSIAN_LETTERS,
    NOT_BELARUSIAN_SPELLING,
    NOT_BULGARIAN_SPELLING,
    NOT_BULGARIAN_WORDS,
    NOT_SERBIAN_OR_MACEDONIAN_LETTERS,
    NOT_SERBIAN_OR_MACEDONIAN_SPELLING,
    NOT_SERBIAN_OR_MACEDONIAN_WORDS,
    NOT_UKRAINIAN_SPELLING,
    NOT_UKRAINIAN_WORDS,
    RUSSIAN_MARKERS,
    WORD,
    any_letter_of,
)
from align.mixed_language import fill_from_neighbours, kept_originals, names_in_their_paragraph, twin_headings
from align.model import Segment
from align.third_language import CYRILLIC_ODDITIES, LowAccuracyScreen, foreign_code, has_foreign_words

if TYPE_CHECKING:
    from lingua import ConfidenceValue, LanguageDetector

# Languages lingua weighs against each other: loading all 75 costs 1.25 GB of RAM.
CYRILLIC_LANGS = ("RUSSIAN", "UKRAINIAN", "BELARUSIAN", "BULGARIAN", "SERBIAN", "KAZAKH", "MACEDONIAN")
LATIN_LANGS = (
    "ENGLISH",
    "GERMAN",
    "FRENCH",
    "SPANISH",
    "ITALIAN",
    "PORTUGUESE",
    "POLISH",
    "TURKISH",
    "DUTCH",
    "CZECH",
    "SWEDISH",
    "ROMANIAN",
    "HUNGARIAN",
    "CROATIAN",
)
ALL_LANGS = CYRILLIC_LANGS + LATIN_LANGS
# Loaded together, in parallel, when a text mostly in that script first needs lingua's full models.
SCRIPT_LANGS = {"cyrillic": CYRILLIC_LANGS, "latin": LATIN_LANGS}
MIN_LETTERS_FOR_DETECTOR = 20  # shorter text (names, acronyms) is too little evidence to call "other" ...
MIN_LETTERS_WITH_FOREIGN_WORDS = 10  # ... unless it has a word only a third language writes so
RUSSIAN_LETTERS = frozenset("ыэЫЭ")  # in no other Cyrillic language weighed here but Belarusian
NON_RUSSIAN_LETTERS = frozenset("іїєґўІЇЄҐЎјљњћђџЈЉЊЋЂЏқғүұһәөҚҒҮҰҺӘӨ")
ANY_RUSSIAN_LETTER, ANY_NON_RUSSIAN_LETTER = any_letter_of(RUSSIAN_LETTERS), any_letter_of(NON_RUSSIAN_LETTERS)
WORD_OFF_DIGITS = re.compile(r"(?<![^\W_])[^\W\d_]+(?![^\W_])")  # a word not glued to digits: not the х of 130х185
DIGIT = re.compile(r"\d")  # in a text without one, WORD_OFF_DIGITS finds what WORD does
MIN_COMMON_WORD_LETTERS = 2  # a word of one small letter tells nothing: Russian's в, и, с and a Latin r/ alike
# A chapter number (a heading of either language): a well-formed Roman numeral, so "CIVIL" or "MID" stays a word.
ROMAN_NUMERAL = re.compile(r"(?=[IVXLCDM])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})[.)]?")
CYRILLIC_NUMERALS = str.maketrans("ХІСМ", "XICM")  # Cyrillic letters typed in a Latin numeral ("ХX", "ХIV")
NUMERAL_CHARS = "IVXLCDM.)ХІСМ"  # every character a chapter number may have: any other rules it out at once
# What rules out each other Cyrillic language weighed: letters, a spelling or words it never writes.
RULED_OUT_BY = (
    (
        any_letter_of(NOT_SERBIAN_OR_MACEDONIAN_LETTERS),
        re.compile(NOT_SERBIAN_OR_MACEDONIAN_SPELLING),
        NOT_SERBIAN_OR_MACEDONIAN_WORDS,
    ),
    (any_letter_of(NOT_BELARUSIAN_LETTERS), re.compile(NOT_BELARUSIAN_SPELLING), frozenset()),
    (any_letter_of(frozenset()), re.compile(NOT_UKRAINIAN_SPELLING), NOT_UKRAINIAN_WORDS),
    (any_letter_of(frozenset()), re.compile(NOT_BULGARIAN_SPELLING), NOT_BULGARIAN_WORDS),
)
ENGLISH_ONLY_SPELLING = re.compile(ENGLISH_SPELLING)
ALL_ENGLISH_WORDS = ENGLISH_MARKERS | ENGLISH_ONLY_WORDS | ENGLISH_WORDS
# The first word of a letter's Unicode name -> the language its script stands for here (never Russian or English).
SCRIPT_CODES = {
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "ARABIC": "ar",
    "HEBREW": "he",
    "GREEK": "el",
    "DEVANAGARI": "hi",
    "BENGALI": "bn",
    "THAI": "th",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
    "TAMIL": "ta",
}
SYMBOLS = "symbols"  # other_script's answer for a text of emoji and symbols alone
SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cf", "Mn"})  # emoji, modifiers, joiners, variation selectors
_CYRILLIC_RANGES = r"\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"  # what script_of calls Cyrillic
CYRILLIC_RUN = re.compile(f"[{_CYRILLIC_RANGES}]+")
CYRILLIC_WORD = re.compile(rf"(?<!\S)[{_CYRILLIC_RANGES}]{{2,}}(?!\S)")  # in words joined by spaces: one all Cyrillic
OTHER_SCRIPT_RUN = re.compile(rf"[^\x00-\x7f{_CYRILLIC_RANGES}]+")  # neither ASCII nor Cyrillic
# Bidirectional formatting characters (ALM, LRM, RLM, LRE…RLO, LRI…PDI): they change how a text is shown, not
# what it says, so an encoder must not read them (one in an unrelated line must not make it look like a match).
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Scripts:
    """Letter counts of a text by script, in all words and in words that start with a small letter."""

    cyrillic: int
    latin: int
    cyrillic_in_common_words: int = 0
    latin_in_common_words: int = 0
    cyrillic_words: int = 0  # words of two Cyrillic letters or more

    @property
    def letters(self) -> int:
        return self.cyrillic + self.latin

    @property
    def names_only(self) -> bool:
        """Whether all letters are in capitalised words, none of them Cyrillic ("Teath-In."): a name or a title."""
        return bool(self.letters) and not (
            self.cyrillic_in_common_words or self.latin_in_common_words or self.cyrillic_words
        )

    @property
    def lang(self) -> str:
        """ "ru" or "en" by majority of letters, "" for a text without letters.

        Words starting with a small letter decide when there are any: "Матрас SkySleep Wave Space BS 150x185 см."
        is Russian although most of its letters are the Latin ones of a brand name. Without any, a Cyrillic word
        does ("Матрас Lonax Cocos TFK 130x185.": English names its goods in Latin letters only). A Cyrillic first
        word counts as a small-letter one, capitalised only as the sentence's first ("Матрас Sontelle Vivre Dual
        royal 70x200.", whose brand has a small-letter word); a Latin one not, as it may be the brand ("Sontelle
        Пружинный матрас Vivre Castom family").
        """
        if not self.letters:
            return ""
        cyrillic, latin = self.cyrillic_in_common_words, self.latin_in_common_words
        if cyrillic == latin == 0 and self.cyrillic_words:
            return "ru"
        if cyrillic == latin:
            cyrillic, latin = self.cyrillic, self.latin
        return "ru" if cyrillic >= latin else "en"


def scripts_of(text: str, all_words: list[str] | None = None) -> Scripts:
    """Count Cyrillic and Latin letters of `text`, in its words not glued to digits (sizes, models: 130х185, R20)
    and not a lone chapter number (II, XIV). `all_words`: its WORD matches, if the caller has them (without a digit
    in the text they are those words)."""
    if is_chapter_number(text):
        words = []
    elif all_words is not None and DIGIT.search(text) is None:
        words = all_words
    else:
        words = WORD_OFF_DIGITS.findall(text)
    letters = "".join(words)
    cyrillic, latin = script_counts(letters)
    common = [w for w in words if w[0].islower() and len(w) >= MIN_COMMON_WORD_LETTERS]
    if words and words[0][0].isupper() and len(words[0]) >= MIN_COMMON_WORD_LETTERS and CYRILLIC_RUN.match(words[0]):
        common.append(words[0])  # capitalised as the sentence's first word: "Матрас Sontelle Vivre Dual royal"
    cyrillic_in_common_words, latin_in_common_words = script_counts("".join(common))
    cyrillic_words = len(CYRILLIC_WORD.findall(" ".join(words))) if cyrillic else 0
    return Scripts(cyrillic, latin, cyrillic_in_common_words, latin_in_common_words, cyrillic_words)


def is_chapter_number(text: str) -> bool:
    """Whether `text` is a well-formed Roman numeral alone ("II", "XIV."), also one typed with Cyrillic Х, І, С or М
    beside Latin letters ("ХX"); a numeral all in Cyrillic letters ("ХХ") stays Russian."""
    stripped = text.strip()
    if stripped.strip(NUMERAL_CHARS):
        return False
    if not stripped.isascii() and any(char.isascii() and char.isalpha() for char in stripped):
        stripped = stripped.translate(CYRILLIC_NUMERALS)
    return ROMAN_NUMERAL.fullmatch(stripped) is not None


def script_letters(text: str) -> tuple[int, int]:
    """(Cyrillic, Latin) letters of `text`: scripts_of without the counts in common words, for less work."""
    return script_counts("".join(WORD.findall(text)))


def script_counts(letters: str) -> tuple[int, int]:
    """(Cyrillic, Latin) counts of `letters`, the joined WORD matches of a text (so its ASCII is all Latin letters),
    as script_of counts them: by runs of a script for speed, only letters neither ASCII nor Cyrillic looked up."""
    if letters.isascii():
        return 0, len(letters)
    cyrillic = sum(map(len, CYRILLIC_RUN.findall(letters)))
    others = "".join(OTHER_SCRIPT_RUN.findall(letters))
    latin_others = sum(script_of(char) == "latin" for char in others)
    return cyrillic, len(letters) - cyrillic - len(others) + latin_others


def script_of(char: str) -> str:
    """ "cyrillic", "latin" or "" for a letter of another script."""
    if CYRILLIC_RUN.match(char):
        return "cyrillic"
    if char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
        return "latin"
    return ""


@dataclass
class LanguageIdentifier:
    """Labels segments "ru", "en" or "other"; lingua is loaded on first need (it is slow to import)."""

    _detector: LanguageDetector | None = field(default=None, init=False, repr=False)
    _loaded_scripts: set[str] = field(default_factory=set, init=False, repr=False)
    _screen: LowAccuracyScreen = field(default_factory=lambda: LowAccuracyScreen(ALL_LANGS), init=False, repr=False)

    def preload(self) -> None:
        """Nothing ahead of need: lingua's models load when a text first needs them, only those of its script
        (`confidence_values`). Loading every script's models here in a thread (2-4 s of CPU) overlapped an
        encoder load that memory-mapped weights made a few milliseconds, and was wasted on the many pages whose
        sentences letters and marker words settle, or whose lingua verdicts the cache holds (align/cache.py)."""

    def detector(self) -> LanguageDetector:
        if self._detector is None:
            from lingua import Language, LanguageDetectorBuilder

            langs = [getattr(Language, name) for name in ALL_LANGS]
            self._detector = LanguageDetectorBuilder.from_languages(*langs).build()
        return self._detector

    def foreign_language(self, text: str, expected: str) -> str:
        """The ISO 639-1 code of the language of `text` when it is clearly neither Russian nor English, else "".

        A Russian sentence full of English names stays Russian: only a third language makes text "other".
        """
        return self.foreign_languages([text], [expected])[0]

    def foreign_languages(
        self, texts: Sequence[str], expected: Sequence[str], words: Sequence[list[str]] | None = None
    ) -> list[str]:
        """foreign_language of each text ("" where `expected` is empty), lingua weighing all of them in one batch:
        its low-accuracy mode first, its full models only for texts that mode cannot settle (align.third_language).
        `words`: each text's WORD matches, when the caller has them already."""
        found = words if words is not None else [None] * len(texts)
        pairs = zip(texts, expected, found, strict=True)
        queries = [detector_text(text, its_words) if lang else None for text, lang, its_words in pairs]
        asked = [(q, text, lang) for q, text, lang in zip(queries, texts, expected, strict=True) if q is not None]
        screened = self._screen.settled(asked, self.screen_values([query for query, _, _ in asked]))
        unsettled = [query for (query, _, _), found in zip(asked, screened, strict=True) if found is None]
        full = iter(self.confidence_values(unsettled))
        values = [next(full) if found is None else found for found in screened]
        verdicts = iter([foreign_code(found, lang) for (_, _, lang), found in zip(asked, values, strict=True)])
        return ["" if query is None else next(verdicts) for query in queries]

    def screen_values(self, texts: list[str]) -> list[list[ConfidenceValue]]:
        """lingua's low-accuracy confidence values for each text (the screen before its full models)."""
        return self._screen.values(texts)

    def confidence_values(self, texts: list[str]) -> list[list[ConfidenceValue]]:
        """lingua's confidence values for each text, computed in parallel threads."""
        if not texts:
            return []
        self.load_models(
            {"cyrillic" if cyrillic >= latin else "latin" for cyrillic, latin in map(script_letters, texts)}
        )
        return self.detector().compute_language_confidence_values_in_parallel(texts)

    def load_models(self, scripts: set[str]) -> None:
        """Load lingua's models of the languages written in `scripts` ("cyrillic", "latin") in parallel threads,
        twice as fast on two cores as lingua loading each on first use.

        The detector built for this is thrown away: lingua's models are shared by all its detectors in a process.
        """
        from lingua import Language, LanguageDetectorBuilder

        for script in sorted(scripts - self._loaded_scripts):
            langs = [getattr(Language, name) for name in SCRIPT_LANGS[script]]
            LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()
            self._loaded_scripts.add(script)

    @staticmethod
    def mixed_guesses(
        segments: list[Segment], proses: list[str], words: list[list[str]], side: str | None
    ) -> list[str]:
        """Each segment's language by its script letter counts (`proses`: the segments' prose, `words`: its WORD
        matches), else the one its file declares; in a mixed file (`side` None) a name alone takes its paragraph's."""
        counts = [scripts_of(prose, found) for prose, found in zip(proses, words, strict=True)]
        guesses = [found.lang or seg.declared for seg, found in zip(segments, counts, strict=True)]
        if side is None:  # markup says nothing; a name alone speaks its paragraph's language
            guesses = names_in_their_paragraph(guesses, segments, [found.names_only for found in counts])
            guesses = kept_originals(guesses, segments)  # an epigraph both editions keep in the original
        return guesses

    def label(self, segments: list[Segment], side: str | None = None) -> list[Segment]:
        """Give every segment its language.

        `side` is "ru" or "en" when the file is one side of a pair: every segment then belongs to that side
        unless it is clearly written in a third language. For a mixed file (`side` None) script letter
        counts decide; segments without letters take the language of their neighbours.

        A language the file declares for a segment (Segment.declared, e.g. HTML's `lang`) is weighed: a third
        one makes it "other" with that code, whatever its text; Russian or English names the language of a
        segment without letters in a mixed file ("2024", "* * *"), while letters that say otherwise win (a
        Latin-only sentence inside `lang="ru"` is read as any other) and a third language found in the text
        still makes it "other".
        """
        third = [is_third_language(seg.declared) for seg in segments]  # never paired, and no clue to neighbours
        proses = [seg.prose for seg in segments]
        words = [WORD.findall(prose) for prose in proses]  # read once, by other_script and detector_text alike
        # Chinese, Arabic, Greek, … or emoji: never ru/en
        scripts = [other_script(prose, found) for prose, found in zip(proses, words, strict=True)]
        guesses = [side] * len(segments) if side else self.mixed_guesses(segments, proses, words, side)
        guesses = ["" if other else lang for other, lang in zip(third, guesses, strict=True)]
        guesses = fill_from_neighbours(twin_headings(guesses, segments), [seg.paragraph for seg in segments])
        guesses = ["" if script or other else lang for script, other, lang in zip(scripts, third, guesses, strict=True)]
        foreign = self.foreign_languages(proses, guesses, words)
        foreign = [code if script in ("", SYMBOLS) else script for script, code in zip(scripts, foreign, strict=True)]
        foreign = [seg.declared if other else code for seg, other, code in zip(segments, third, foreign, strict=True)]
        return [
            replace(seg, lang="other", detected=code) if code or not lang else replace(seg, lang=lang)
            for seg, lang, code in zip(segments, guesses, foreign, strict=True)
        ]


def other_script(text: str, words: list[str] | None = None) -> str:
    """The language code of the script most letters of `text` are written in, when that is neither Cyrillic nor
    Latin ("zh", "ja", "ko", "ar", "he", "el", "hi", "th", …; "other" for a script not listed); SYMBOLS for a text
    of emoji and symbols alone; "" otherwise (Russian, English, or letterless text such as "* * *" or "12.").
    `words`: its WORD matches, if the caller has them."""
    letters = "".join(WORD.findall(text) if words is None else words)
    if not letters:
        visible = [char for char in text if not char.isspace()]
        emoji = visible and all(unicodedata.category(char) in SYMBOL_CATEGORIES for char in visible)
        return SYMBOLS if emoji else ""
    cyrillic, latin = script_counts(letters)
    rest = len(letters) - cyrillic - latin
    if rest <= cyrillic + latin:
        return ""
    names = Counter(script_name(char) for char in OTHER_SCRIPT_RUN.findall(letters) for char in char)
    return SCRIPT_CODES.get(names.most_common(1)[0][0], "other") if names else "other"


def script_name(char: str) -> str:
    """The first word of a letter's Unicode name: "CJK", "HIRAGANA", "ARABIC", "GREEK", …"""
    return unicodedata.name(char, "UNKNOWN").split()[0]


def detector_text(text: str, words: list[str] | None = None) -> str | None:
    """What lingua should weigh to tell whether `text` is in a third language: the text without names, or the whole
    text if it has letters Russian lacks or a word only a third language writes; None when it is too short for
    that or plainly Russian or English. `words`: the WORD matches of `text`, if the caller has them."""
    telling = ANY_NON_RUSSIAN_LETTER.search(text) is not None  # і, ї, ў, …: Cyrillic that is not Russian, even if short
    words = WORD.findall(text) if words is None else words
    foreign = not telling and has_foreign_words(text, words)
    whole = text
    if not telling and not foreign:
        text = without_names(text)  # "Śvieciłovič said sternly." must not read as Polish or Portuguese
        words = WORD.findall(text)
    minimum = MIN_LETTERS_WITH_FOREIGN_WORDS if foreign else MIN_LETTERS_FOR_DETECTOR
    short = letter_count(text, words) < minimum and not telling
    if short or plainly_russian_or_english(text, words):
        return None
    if not telling and not foreign and settled_by_elimination(text, first_word(whole), words):
        return None
    return text


def letter_count(text: str, words: list[str]) -> int:
    """How many letters (str.isalpha) `text` has, its WORD matches `words` given: their length, unless they hold
    a numeral letter that is not one ("²", "½")."""
    letters = "".join(words)
    return len(letters) if letters.isalpha() else sum(map(str.isalpha, text))


def first_word(text: str) -> str:
    """The first word of `text` in small letters if it is written as an ordinary word at a sentence's start
    ("The", "Это"; not "IT" or "McCain"), else "": the word without_names drops that still tells the language."""
    found = WORD.search(text)
    word = found.group() if found else ""
    return word.lower() if word[1:].islower() or len(word) == 1 else ""


def settled_by_elimination(text: str, first: str = "", words: list[str] | None = None) -> bool:
    """True when `text` (names dropped; `first`: the sentence's first word) is Russian because its letters,
    spelling and words rule out every other Cyrillic language weighed one by one, or English because it has a
    word or a spelling only English writes and no letter English lacks: lingua would only confirm it. `words`: the
    WORD matches of `text`, if the caller has them."""
    low = text.lower()
    found = set(WORD.findall(low)) | ({first} if first else set())
    cyrillic, latin = script_letters(text) if words is None else script_counts("".join(words))
    if cyrillic > latin:
        return russian_by_elimination(low, found)
    if not all(word.isascii() for word in found):
        return False
    return not ALL_ENGLISH_WORDS.isdisjoint(found) or ENGLISH_ONLY_SPELLING.search(low) is not None


def russian_by_elimination(low: str, found: set[str]) -> bool:
    """True when the small-letter text `low` (its words `found`) has no letter Russian lacks and shows, for each
    of Serbian, Macedonian, Belarusian, Ukrainian and Bulgarian, a letter, a spelling or a word that language
    never writes (align.language_words). Kazakh is ruled out by the absence of its own letters alone, as for
    the ы rule."""
    if ANY_NON_RUSSIAN_LETTER.search(low) or CYRILLIC_ODDITIES.search(low):
        return False
    return all(
        letters.search(low) is not None or not found.isdisjoint(words) or spelling.search(low) is not None
        for letters, spelling, words in RULED_OUT_BY
    )


def without_names(text: str) -> str:
    """The text without its capitalised words (names say little about the language, sentence starts little)."""
    return " ".join([word for word in text.split() if not word.lstrip("«\"“„'‘(")[:1].isupper()])


def plainly_russian_or_english(text: str, words: list[str] | None = None) -> bool:
    """True when letters or words alone show the text is Russian (ы or э, or a word only Russian writes so, and
    no letter Russian lacks) or English (an English function word): names with diacritics must not fool the
    statistical detector, and lingua's models (2 s to load) are needed only where these cannot tell. `words`: the
    WORD matches of `text`, if the caller has them."""
    small = set(map(str.lower, WORD.findall(text) if words is None else words))
    if ANY_NON_RUSSIAN_LETTER.search(text) is None and (
        ANY_RUSSIAN_LETTER.search(text) is not None or not RUSSIAN_MARKERS.isdisjoint(small)
    ):
        return True
    return not ENGLISH_MARKERS.isdisjoint(small) or not ENGLISH_ONLY_WORDS.isdisjoint(small)


def without_bidi_controls(text: str) -> str:
    """`text` without its bidirectional formatting characters: what an encoder should read of it (the segment's
    text and span stay as they are)."""
    return BIDI_CONTROLS.sub("", text) if not text.isascii() else text
