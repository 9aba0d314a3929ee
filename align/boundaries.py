"""Sentence ends the RU/EN splitters miss, and quotation marks they put on the wrong side of an end.

sentencex keeps "to me. A woman came", "clearly ill. Drinking", "etc. Different", "of course... I was" as one
sentence (it reads "me", "ill" as the states' abbreviations, and an ellipsis before "I" as a pause), and a
straight quote that opens the next sentence stays on the one before when the sentence holds an odd number of
them ('Everything," he said. "' / 'And obviously it has some impact here."'). razdel reads "см." and "г." as
"смотри" and "город" even after a number ("высота 22 см. Максимально") and joins any abbreviation to an opening
quote ("120 км в час. «Китайская"); it never ends a sentence before a lower-case letter, which sentencex does on
the English side ("fever now? and are you", "check your email. in order to"): transcribed speech and chats start
their sentences lower-case, so the English sentences were split and their Russian ones not, and each Russian
sentence of two became a 2-2 bead against two gold 1-1 ones. Nor does it end one after a token of digits and
letters ("HCoV-229E. С другой стороны", "в 1960-х. С тех пор") or a single Latin capital in Russian text
("витамин D. Крупномасштабные"), which it reads as initials. Each such sentence counted as one made the aligner
pair two sentences of the other side with it, or leave one of them unpaired; the figures are in docs/quality-history.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Span = tuple[int, int]

# Lower-case English abbreviations a capital may follow inside a sentence ("approx. US$100", "vs. Smith").
ENGLISH_ABBREVIATIONS = frozenset(
    "approx vs cf incl excl viz al ed eds trans esp resp ca pp vol vols fig figs op ibid ft oz lb lbs sq st nr "  # noqa: SIM905
    "tel ext dept est orig repr ref refs sec ch chap pt para abbr".split()
)
_CLOSE = "[\"”’')]{0,3}"  # closing quotes or a bracket after the end mark
_NEXT = r"(?=[\"“‘'(]?[A-Z])"  # the next sentence starts with a capital, maybe after an opening quote or bracket
ENGLISH_END = re.compile(rf"(?:\b(?P<word>[a-z]{{2,}})\.|\d ?[mgl]\.|\.\.\.|…|[.!?]\)){_CLOSE}\s+{_NEXT}")
# A unit of measure after a number, then a capital (a year's "г." excepted: "в 1812 г. Наполеон").
RUSSIAN_END = re.compile(r"(?P<number>\d+)\s?(?P<unit>см|мм|км|м|кг|г|мг|л|мл|час|мин|сек)\.\s+(?=[\"«„“]?[А-ЯЁ])")
# An end razdel leaves inside a sentence before a lower-case letter: a question or exclamation mark, or a full
# stop after a word (not an abbreviation: RUSSIAN_ABBREVIATIONS, or a word shorter than MIN_FULL_WORD).
RUSSIAN_LOWER_END = re.compile(r"(?:(?P<marks>[?!]+)|\b(?P<word>[а-яё]+)\.)\s+(?=[а-яё])")
# A token of digits and letters ("229E", "1960-х", "COVID-19") or a Latin capital after a Russian word ("белка
# S"; not a Roman numeral I, V or X: "Часть I. Соображения" is a heading), then a full stop and a capital: razdel
# reads the letter as an initial.
RUSSIAN_INITIAL_END = re.compile(r"(?:\d-?[A-Za-zА-Яа-яЁё]{1,3}|(?<=[а-яё] )[A-HJ-UWYZ])\.\s+(?=[\"«„“]?[А-ЯЁ])")
HEADING_WORD = re.compile(r"[А-ЯЁ][а-яё]+")  # a heading's label before its letter ("Приложение", "Раздел")
MIN_FULL_WORD = 3  # shorter words before a full stop are abbreviations ("т. д.", "см.", "им.")
RUSSIAN_ABBREVIATIONS = frozenset(
    "тыс млн млрд трлн руб коп долл стр рис табл напр англ франц нем греч обл проф акад доц канд изд ред "  # noqa: SIM905
    "перев прим сокр букв просп пер наб пос дер тов экз мин сек мес нед вып прибл род тел доп искл разг "
    "отд зам зав нач пом ген полк капит лейт серж компл соч кн гос куб чел бывш наз лат рус укр амер прил абз "
    "коэф".split()
)
YEAR_DIGITS = 4  # "г." after a number of this many digits is "год"
OPENING_QUOTES = '"“«„'  # at the end of a sentence after a space, such a quote opens the next one
CLOSING_QUOTES = '"”»'  # at the start of a sentence before a space, such a quote closes the one before


def english_ends(block: str, start: int, end: int) -> list[Span]:
    """The sentence at [start, end) of the block split at the ends sentencex missed (ENGLISH_END)."""
    return split_at(block, start, end, ENGLISH_END, lambda match: match["word"] not in ENGLISH_ABBREVIATIONS)


def russian_ends(block: str, start: int, end: int) -> list[Span]:
    """The sentence at [start, end) of the block split after a unit of measure razdel read as an abbreviation,
    before a lower-case letter after an end outside quotation marks, and after what razdel read as an initial."""
    spans = split_at(block, start, end, RUSSIAN_END, lambda match: not is_year(match))
    spans = [
        span
        for a, b in spans
        for span in split_at(block, a, b, RUSSIAN_LOWER_END, lambda match, a=a: ends_lower(block, a, match))
    ]
    return [
        span
        for a, b in spans
        for span in split_at(block, a, b, RUSSIAN_INITIAL_END, lambda match, a=a: not is_heading_label(block, a, match))
    ]


def is_heading_label(block: str, start: int, match: re.Match[str]) -> bool:
    """Whether a RUSSIAN_INITIAL_END match is the letter of a heading's label, one word and a Latin capital at the
    start of the sentence ("Приложение A. Список литературы", as English keeps "Appendix A. List of references")."""
    return match.group()[0].isupper() and HEADING_WORD.fullmatch(block[start : match.start()].rstrip()) is not None


def ends_lower(block: str, start: int, match: re.Match[str]) -> bool:
    """Whether a RUSSIAN_LOWER_END match ends the sentence begun at `start`: a full stop after a full word, or a
    question or exclamation mark, and no quotation opened before it still open (a quoted «Что? как? а?» or
    “Что? как? а?” is one)."""
    if match["word"] is not None and (len(match["word"]) < MIN_FULL_WORD or match["word"] in RUSSIAN_ABBREVIATIONS):
        return False
    return not quotation_open(block[start : match.start()])


def quotation_open(text: str) -> bool:
    """Whether a quotation opened in `text` is still open at its end: «…», „…“ or “…” (a “ closes „ first), or an
    odd number of straight quotes."""
    german = text.count("„")
    english = max(0, text.count("“") - german)  # the “ that close no „ open an English-style quotation
    return (
        text.count("«") > text.count("»")
        or german > text.count("“")
        or english > text.count("”")
        or text.count('"') % 2 == 1
    )


def is_year(match: re.Match[str]) -> bool:
    """Whether a RUSSIAN_END match is a year ("1812 г."), not a weight."""
    return match["unit"] == "г" and len(match["number"]) == YEAR_DIGITS


def split_at(
    block: str, start: int, end: int, pattern: re.Pattern[str], wanted: Callable[[re.Match[str]], bool]
) -> list[Span]:
    """[start, end) cut after each match of `pattern` (its trailing whitespace left out) that `wanted` accepts."""
    spans: list[Span] = []
    for match in pattern.finditer(block, start, end):
        if match.end() < end and wanted(match):
            spans.append((start, match.end() - len(match.group()) + len(match.group().rstrip())))
            start = match.end()
    return spans + [(start, end)]


def quotes_on_their_side(block: str, spans: list[Span]) -> list[Span]:
    """The spans with a quotation mark the splitter left on the wrong side of an end moved across it: an opening
    quote ending a sentence after a space goes to the next one, a closing quote starting one before a space to
    the one before. Only between neighbours separated by nothing but spaces."""
    moved = list(spans)
    for k in range(len(moved) - 1):
        (a, b), (c, d) = moved[k], moved[k + 1]
        if block[b:c].strip():
            continue
        if b - a > 1 and block[b - 1] in OPENING_QUOTES and block[b - 2].isspace():
            moved[k], moved[k + 1] = (a, len(block[: b - 1].rstrip())), (b - 1, d)
        elif d - c > 1 and block[c] in CLOSING_QUOTES and block[c + 1].isspace():
            rest = c + 1 + len(block[c + 1 : d]) - len(block[c + 1 : d].lstrip())
            moved[k], moved[k + 1] = (a, c + 1), (rest, d)
    return moved
