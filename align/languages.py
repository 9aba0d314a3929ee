"""Language pairs beyond RU/EN (`--langs SRC,TGT`): the pair, each language's sentence splitter and file tags.

The default pair ru,en never comes here: align.segment and align.language handle it as they always did. For any
other pair of the languages USE-multilingual v3 was trained on, the source language's sentences fill a
Document's `ru` side and the target language's its `en` side (the sides' names are historical); each Segment's
`lang` is the real code ("de", "fr", …).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from align.model import Paragraph

if TYPE_CHECKING:
    from align.layouts import Tags
    from align.options import AlignOptions
    from align.pairing import Explicit

# ISO 639-1 code -> name: the languages USE-multilingual v3 covers (its zh-cn and zh-tw are both "zh").
SUPPORTED: dict[str, str] = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "th": "Thai",
    "tr": "Turkish",
    "zh": "Chinese",
}
DEFAULT_LANGS: tuple[str, str] = ("ru", "en")
# Spellings of a language in file and folder names besides its code (x.deu.txt, docs/fra/…), as for ru and en.
NAME_TAGS: dict[str, tuple[str, ...]] = {
    "ar": ("ara",),
    "de": ("deu", "ger", "de-de", "de_de"),
    "en": ("eng", "en-us", "en_us", "en-gb", "en_gb"),
    "es": ("spa", "es-es", "es_es"),
    "fr": ("fra", "fre", "fr-fr", "fr_fr"),
    "it": ("ita", "it-it", "it_it"),
    "ja": ("jpn", "ja-jp", "ja_jp"),
    "ko": ("kor", "ko-kr", "ko_kr"),
    "nl": ("nld", "dut", "nl-nl", "nl_nl"),
    "pl": ("pol", "pl-pl", "pl_pl"),
    "pt": ("por", "pt-pt", "pt_pt", "pt-br", "pt_br"),
    "ru": ("rus", "ru-ru", "ru_ru"),
    "th": ("tha", "th-th", "th_th"),
    "tr": ("tur", "tr-tr", "tr_tr"),
    "zh": ("zho", "chi", "zh-cn", "zh_cn", "zh-tw", "zh_tw", "zh-hans", "zh-hant"),
}
RAZDEL_LANGS = frozenset({"ru"})  # razdel knows Russian abbreviations; sentencex the others
# Thai writes no sentence-final punctuation: a space between two runs of Thai letters ends a sentence (the rule
# PyThaiNLP's "whitespace" sentence splitter applies; its statistical ones need models we do not ship).
THAI_SENTENCE_GAP = re.compile(r"(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f])")
# Which language of a pair a block of text is in, by the script most of its letters are written in.
SCRIPT_LANGS: dict[str, tuple[str, ...]] = {"cyrillic": ("ru",), "cjk": ("zh", "ja"), "kana": ("ja",)}
# What --presplit input of another pair is aligned with (presplit_options); the rest are align's defaults.
PRESPLIT_OPTIONS: dict[str, float | int | bool] = {
    "max_bead": 5,
    "threshold": 0.1,
    "merge_penalty": 0.31,
    "skip_penalty": 0.3,
    "margin_weight": 0.5,
    "length_weight": 0.02,
    "length_scale": 0.35,
    "refine": True,  # align.refine's second pass: shared numbers and names, lone lines (Text+Berg dev +0.040)
    "part_weight": 0.0,  # align.parts (tuned on RU/EN) left off: Text+Berg's beads as before
}


class LanguagesError(ValueError):
    """A --langs value that is not two different supported languages: str(e) is one line."""


def parse_langs(text: str) -> tuple[str, str]:
    """(source, target) of a --langs value such as "de,fr" (LanguagesError for anything else)."""
    codes = tuple(part.strip().lower() for part in text.split(","))
    unknown = [code for code in codes if code not in SUPPORTED]
    if len(codes) != 2 or unknown:
        known = ", ".join(SUPPORTED)
        raise LanguagesError(f"--langs {text!r}: give two languages as SRC,TGT, each one of {known}")
    if codes[0] == codes[1]:
        raise LanguagesError(f"--langs {text!r}: the two languages must differ")
    return codes[0], codes[1]


def is_default(langs: tuple[str, str]) -> bool:
    """Whether the pair is ru,en: align's own Russian/English machinery, unchanged."""
    return tuple(langs) == DEFAULT_LANGS


def language_name(code: str) -> str:
    """ "German" for "de"; the code itself for one not listed."""
    return SUPPORTED.get(code, code)


def name_tags(code: str) -> tuple[str, ...]:
    """Every spelling of the language in file and folder names: its code first."""
    return (code, *NAME_TAGS.get(code, ()))


def pair_tags(langs: tuple[str, str], extra: dict[str, tuple[str, ...]] | None = None) -> Tags:
    """align.layouts.Tags for the pair: the source language's spellings in the "ru" slot, the target's in "en"
    (align.toml's `languages` table may add spellings under either code)."""
    from align.layouts import Tags

    extra = extra or {}
    source, target = langs
    slots = (("ru", source), ("en", target))
    return Tags(tuple((slot, tuple(dict.fromkeys((*name_tags(code), *extra.get(code, ()))))) for slot, code in slots))


def given_pair(first: str, second: str) -> Explicit:
    """`align pair FIRST SECOND --langs SRC,TGT`: the two files in the order given (FIRST in SRC), never swapped
    (both may be written in the same script); an Explicit with one error line per problem."""
    from align.load import Input, with_unique_names
    from align.pairing import Explicit, pair_name

    if os.path.realpath(first) == os.path.realpath(second):
        return Explicit(errors=[f"{first}: the same file twice; align pair takes one file per language"])
    missing = [f"{path}: no such file" for path in (first, second) if not os.path.isfile(path)]
    if missing:
        return Explicit(errors=missing)
    return Explicit(inputs=with_unique_names([Input(name=pair_name(first), paths=(first, second))]))


def splitter_for(lang: str) -> Callable[[str], list[tuple[int, int]]]:
    """The function giving [start, end) of each sentence of a block of text in `lang`."""
    if lang in RAZDEL_LANGS:
        return razdel_spans
    if lang == "th":
        return thai_spans
    return lambda block: sentencex_spans(lang, block)


def razdel_spans(block: str) -> list[tuple[int, int]]:
    """razdel's sentences of a block."""
    from razdel import sentenize

    return [(sentence.start, sentence.stop) for sentence in sentenize(block)]


def thai_spans(block: str) -> list[tuple[int, int]]:
    """Thai sentences: the block cut at each space between Thai letters (and at sentencex's ends in between, for
    the Latin-script text a Thai page quotes)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for gap in [*THAI_SENTENCE_GAP.finditer(block), None]:
        end = gap.start() if gap else len(block)
        spans += [(start + a, start + b) for a, b in sentencex_spans("th", block[start:end])]
        start = gap.end() if gap else end
    return spans


def sentencex_spans(lang: str, block: str) -> list[tuple[int, int]]:
    """sentencex's sentences located in the block, whitespace trimmed; text it skipped stays in a span."""
    from align.segment import english_spans

    return english_spans(block, lang)


def block_language(block: str, langs: tuple[str, str]) -> str:
    """The language of the pair a block of a mixed page is most likely in, by its script alone (for choosing a
    sentence splitter; align.pair_language labels the sentences): Cyrillic, CJK, kana, Hangul, Arabic or Thai
    letters point at the pair's language written so, anything else at a Latin-script language of the pair."""
    from align.language import other_script, script_letters

    script = other_script(block)
    cyrillic, latin = script_letters(block)
    for lang in langs:
        if script and script == lang:
            return lang
        if script == "zh" and lang == "ja":  # kanji without kana
            return lang
        if not script and cyrillic > latin and lang in RAZDEL_LANGS:
            return lang
    latin_langs = [lang for lang in langs if lang not in RAZDEL_LANGS and lang not in ("ar", "ja", "ko", "th", "zh")]
    return latin_langs[0] if latin_langs else langs[0]


def paragraph_language(paragraph: Paragraph, side: str | None, langs: tuple[str, str]) -> str:
    """The language whose splitter cuts the paragraph: its file's, or on a mixed page the one its script says."""
    return side if side else block_language(paragraph.text, langs)


def presplit_options() -> AlignOptions:
    """The aligner's options for --presplit input in a pair other than ru,en: tuned on the Text+Berg de-fr dev set
    (pre-split, few omissions, beads of up to 5 sentences a side), where align's RU/EN defaults give strict F1 0.773,
    these without the second pass (align.refine) 0.894 and with it 0.934 (bench/textberg.md). RU/EN keeps its
    defaults."""
    from align.options import AlignOptions

    return AlignOptions(**PRESPLIT_OPTIONS)
