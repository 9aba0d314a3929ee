"""Rule `number-mismatch`, and the reading of numbers as written in Russian and English texts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import TYPE_CHECKING

from align.checks.pairs import Pair, pair_findings
from align.checks.tokens import EMAIL, FOOTNOTE, ROMAN_NUMERAL, URL
from align.markup import pieces_of
from align.model import Alignment, Finding, Segment

if TYPE_CHECKING:
    from align.checks.options import CheckOptions

ROMAN_WORD = re.compile(r"(?<![^\W\d_])[IVXLCDM]+(?![^\W\d_])")
ROMAN_VALUES = MappingProxyType({"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1})
NOON = 12  # hours: "p.m." adds NOON to an hour before it, "12 a.m." is hour 0
HOURS_PER_DAY = 24
MINUTES_PER_HOUR = 60
FULL_YEAR_DIGITS = 4  # "2022"; a two-digit year "22" may be any of TWO_DIGIT_YEAR_CENTURIES
TWO_DIGIT_YEAR_CENTURIES = ("20", "19")
MATCHING_ROUNDS = ("exact", "any", "optional")  # see unmatched_numbers

_GROUP_SPACE = "[ \u00a0\u2007\u2009\u202f]"
NUMBER = re.compile(
    rf"""(?<!\d)(?:
      (?P<iso_year>\d{{4}})-\d{{1,2}}-(?P<iso_day>\d{{1,2}})(?!\d)
    | (?P<date_a>\d{{1,2}})(?P<date_sep>[./])(?P<date_b>\d{{1,2}})(?P=date_sep)
        (?P<date_year>\d{{4}}|\d{{2}})(?![\d.,]\d)
    | (?P<hour>\d{{1,2}}):(?P<minute>[0-5]\d)(?![\d:])(?:\s?(?P<ampm>[aApP])\.?\s?[mM]\b\.?)?
    | (?P<hour12>\d{{1,2}})\s?(?P<ampm12>[aApP])\.?\s?[mM](?!\w)\.?
    | (?P<range_start>\d{{4}})[-–—](?P<range_end>\d{{2}})(?!\d)
    | (?P<spaced>\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}}(?![\d\w]))+(?:[.,]\d+(?!\d))?)
    | (?P<commas>\d{{1,3}}(?:,\d{{3}}(?!\d))+(?:\.\d+(?!\d))?)
    | (?P<dots>\d{{1,3}}(?:\.\d{{3}}(?!\d))+(?:,\d+(?!\d))?)
    | (?P<decimal>\d+[.,]\d+)
    | (?P<integer>\d+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Number:
    """A number as written (`text`) and the values it may stand for, the likeliest first."""

    text: str
    values: tuple[str, ...]
    optional: bool = False  # a Roman numeral: it may match a number on the other side but is never reported


def number_mismatches(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Paired beads with numbers in one side's prose that the other side lacks (numbers inside code, URLs and
    tags are not compared; a number one side writes as code and the other as text is no mismatch)."""

    def problem(pair: Pair) -> str:
        return number_mismatch(pair.ru, pair.en, markup_text(pair.bead.ru), markup_text(pair.bead.en))

    return pair_findings(alignment, options, "number-mismatch", problem)


def number_mismatch(ru: str, en: str, ru_markup: str = "", en_markup: str = "") -> str:
    """The message naming the numbers found in one side's prose only, or ""; a number the other side has inside
    its markup (`3.4` written as code) is not reported."""
    only_ru, only_en = unmatched_numbers(numbers_in(ru, "ru"), numbers_in(en, "en"))
    if ru_markup or en_markup:
        only_ru = unmatched_numbers(only_ru, numbers_in(en_markup, "en"))[0]
        only_en = unmatched_numbers(numbers_in(ru_markup, "ru"), only_en)[1]
    only_ru, only_en = [n for n in only_ru if not n.optional], [n for n in only_en if not n.optional]
    parts = []
    if only_ru:
        parts.append(f"only in Russian: {', '.join(dict.fromkeys(n.text for n in only_ru))}")
    if only_en:
        parts.append(f"only in English: {', '.join(dict.fromkeys(n.text for n in only_en))}")
    return "numbers differ: " + "; ".join(parts) if parts else ""


def markup_text(segments: Sequence[Segment]) -> str:
    """The markup inside `segments` (inline code, link targets, tags), pieces joined by spaces."""
    return " ".join(s.text[a - s.start : b - s.start] for s in segments for a, b in pieces_of(s))


def unmatched_numbers(left: list[Number], right: list[Number]) -> tuple[list[Number], list[Number]]:
    """The numbers of each side with no counterpart on the other. Pairs are taken greedily in rounds: digits
    with the same likeliest value, then with any value in common, then Roman numerals with anything."""
    left_rest, right_rest = list(left), list(right)
    for round_ in MATCHING_ROUNDS:
        remaining = []
        for number in left_rest:
            match = next((i for i, other in enumerate(right_rest) if same_number(number, other, round_)), None)
            if match is None:
                remaining.append(number)
            else:
                del right_rest[match]
        left_rest = remaining
    return left_rest, right_rest


def same_number(a: Number, b: Number, round_: str) -> bool:
    """Whether `a` and `b` match in this round of `unmatched_numbers`."""
    if round_ != "optional" and (a.optional or b.optional):
        return False
    if round_ == "exact":
        return a.values[0] == b.values[0]
    return bool(set(a.values) & set(b.values))


def numbers_in(text: str, lang: str) -> list[Number]:
    """The numbers written in digits in `text` (footnote markers, URLs and e-mail addresses left out), then
    its Roman numerals (optional numbers).

    Thousands separators, decimal commas, "%", ordinal endings ("1st", "2-го"), "2022 г." and month names
    are normalised away: "1 апреля" and "April 1" both give 1, "1 000 000" and "1,000,000" both 1000000.
    """
    text = EMAIL.sub(" ", URL.sub(" ", FOOTNOTE.sub(" ", text)))
    result: list[Number] = []
    for match in NUMBER.finditer(text):
        result += numbers_of_match(match, lang)
    return result + roman_numerals(text, lang)


def roman_numerals(text: str, lang: str) -> list[Number]:
    """Roman numerals ("XX век", "Peter I") as optional numbers; a lone "I" in English is the pronoun."""
    words = ROMAN_WORD.findall(text)
    valid = [word for word in words if ROMAN_NUMERAL.fullmatch(word) and not (lang == "en" and word == "I")]
    return [Number(word, (str(roman_value(word)),), optional=True) for word in valid]


def roman_value(numeral: str) -> int:
    """The value of a valid Roman numeral."""
    values = [ROMAN_VALUES[char] for char in numeral]
    return sum(-v if v < w else v for v, w in zip(values, values[1:] + [0], strict=True))


def numbers_of_match(match: re.Match[str], lang: str) -> list[Number]:
    """The numbers one match of NUMBER stands for (a date gives its day and its year)."""
    text = match.group().strip()
    if match["iso_year"]:
        return [Number(text, (value(match["iso_year"]),)), Number(text, (value(match["iso_day"]),))]
    if match["date_year"]:
        return date_numbers(match, lang)
    if match["hour"]:
        return [Number(text, clock_values(match["hour"], match["minute"], match["ampm"]))]
    if match["hour12"]:
        return [Number(text, clock_values(match["hour12"], "00", match["ampm12"]))]
    if match["range_start"]:
        start, end = match["range_start"], match["range_end"]
        return [Number(text, (value(start),)), Number(text, (start[:2] + end, value(end)))]
    if match["spaced"]:
        return [Number(text, (grouped_value(match["spaced"], _GROUP_SPACE),))]
    if match["commas"]:
        return [Number(text, grouped_values(match["commas"], ",", ".", lang))]
    if match["dots"]:
        return [Number(text, grouped_values(match["dots"], ".", ",", lang))]
    if match["decimal"]:
        return [Number(text, decimal_values(match["decimal"]))]
    return [Number(text, (value(match["integer"]),))]


def date_numbers(match: re.Match[str], lang: str) -> list[Number]:
    """Day and year of "01.04.2022" or "4/1/2022"; a slashed date may be day- or month-first (month-first
    likelier in English)."""
    text = match.group()
    a, b, year = match["date_a"], match["date_b"], match["date_year"]
    days = (value(a),) if match["date_sep"] == "." else (value(b), value(a)) if lang == "en" else (value(a), value(b))
    if len(year) == FULL_YEAR_DIGITS:
        years: tuple[str, ...] = (value(year),)
    else:
        years = (value(year), *(century + year for century in TWO_DIGIT_YEAR_CENTURIES))
    return [Number(text, days), Number(text, years)]


def clock_values(hour: str, minute: str, ampm: str | None) -> tuple[str, ...]:
    """A time of day as "H:MM" on the 24-hour clock; a full hour may also be written as its hour alone
    ("23:00" ↔ "в 23 часа", "10 p.m." ↔ "в 10 вечера")."""
    hours = int(hour)
    if ampm and ampm.lower() == "p" and hours < NOON:
        hours += NOON
    elif ampm and ampm.lower() == "a" and hours == NOON:
        hours = 0
    if minute != "00":
        return (f"{hours}:{minute}",)
    return tuple(dict.fromkeys((f"{hours}:00", str(hours), str(int(hour)))))


def grouped_value(text: str, separator: str) -> str:
    """The value of a number whose thousands are grouped with `separator` (a regex) and whose decimals may
    follow a comma or a point."""
    whole, _, decimals = re.sub(separator, "", text).replace(",", ".").partition(".")
    return value(f"{whole}.{decimals}" if decimals else whole)


def grouped_values(text: str, thousands: str, point: str, lang: str) -> tuple[str, ...]:
    """Possible values of "1,000" / "1.000.000" / "3,500": grouped thousands, unless a single group of three
    digits may be decimals ("3,500" is 3.5 in Russian, 3500 in English)."""
    grouped = value(text.replace(thousands, "").replace(point, "."))
    if text.count(thousands) > 1 or point in text:
        return (grouped,)
    decimal = value(text.replace(thousands, "."))
    decimal_first = thousands == "," and lang == "ru" or thousands == "." and lang == "en"
    return (decimal, grouped) if decimal_first else (grouped, decimal)


def decimal_values(text: str) -> tuple[str, ...]:
    """The value of "3,5" / "3.5"; "23.00" (one or two digits, a point, two digits) may also be a time of day."""
    whole, _, decimals = text.replace(",", ".").partition(".")
    values = (value(f"{whole}.{decimals}"),)
    if looks_like_time(text, whole, decimals):
        values += (f"{int(whole)}:{decimals}",)
    return values


def looks_like_time(text: str, whole: str, decimals: str) -> bool:
    """Whether decimal `text` (split into `whole` and `decimals`) may be a time of day written "H.MM"."""
    return (
        text[len(whole)] == "."
        and len(whole) <= len("HH")
        and len(decimals) == len("MM")
        and int(whole) <= HOURS_PER_DAY
        and int(decimals) < MINUTES_PER_HOUR
    )


def value(digits: str) -> str:
    """The canonical form of a decimal number: no leading zeros, no trailing decimal zeros."""
    try:
        number = Decimal(digits).normalize()
    except InvalidOperation:
        return digits
    return format(number, "f")
