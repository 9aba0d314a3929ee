"""The findings of `align check`: untranslated or third-language passages, suspicious pairs, consistency, glossary."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

import snowballstemmer

from align.model import Alignment, Bead, Finding, Segment

REQUIRES = ("en", "ru", "both")
LANG_NAMES = MappingProxyType({"ru": "Russian", "en": "English"})
OTHER_LANG_NAMES = MappingProxyType(
    {
        "uk": "Ukrainian",
        "be": "Belarusian",
        "bg": "Bulgarian",
        "sr": "Serbian",
        "kk": "Kazakh",
        "mk": "Macedonian",
        "de": "German",
        "fr": "French",
        "es": "Spanish",
        "it": "Italian",
        "pt": "Portuguese",
    }
)
PREVIEW_WORDS = 8
MIN_PAIRS_FOR_LENGTH = 8  # fewer paired beads say too little about a document's own length ratio
MIN_LENGTH_SPREAD = 0.2  # floor of the log-ratio standard deviation, so a very regular document is not over-judged
MIN_LATIN_WORDS_FOR_COPY = 3  # a Russian side of a name or two ("iPhone 15 Pro") may well stay in Latin letters

LINE_BREAK = re.compile(r"\r\n|\r|\n")
WORD = re.compile(r"\w+")
NON_WORD = re.compile(r"[\W_]+")
CYRILLIC = re.compile(r"[\u0400-\u052f]")
FOOTNOTE = re.compile(r"\[\d{1,4}\]")
URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"'«»“”]+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_TRAILER = ".,;:!?)]}»”’'\""
# A whole word of Latin letters (not glued to Cyrillic or other letters), e.g. "SkySleep", "OSCE".
LATIN_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z\u00c0-\u024f]{2,}(?![^\W\d_])")
ROMAN_NUMERAL = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
ROMAN_WORD = re.compile(r"(?<![^\W\d_])[IVXLCDM]+(?![^\W\d_])")
ROMAN_VALUES = MappingProxyType({"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1})

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
class CheckOptions:
    """What `align check` requires and how strict it is."""

    require: str = "en"  # "en": every Russian passage needs an English counterpart; "ru": the reverse; "both"
    min_confidence: float = 0.5  # paired beads below this are "low-confidence"
    length_ratio_z: float = 3.0  # |z| of the log length ratio, within the document, above which a pair is reported
    ignore: tuple[str, ...] = ()  # regexes; a sentence matching one is never reported
    glossary: tuple[tuple[str, str], ...] = ()  # (ru term, en term) pairs

    def __post_init__(self) -> None:
        if self.require not in REQUIRES:
            raise ValueError(f"require must be one of {', '.join(REQUIRES)}, not {self.require!r}")
        for pattern in self.ignore:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"invalid ignore pattern {pattern!r}: {error}") from None


@dataclass(frozen=True)
class Passage:
    """Consecutive sentences of one paragraph sharing a status: untranslated Russian or English, or a third language."""

    status: str  # "ru", "en" or "other:CODE"
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Number:
    """A number as written (`text`) and the values it may stand for, the likeliest first."""

    text: str
    values: tuple[str, ...]
    optional: bool = False  # a Roman numeral: it may match a number on the other side but is never reported


@dataclass(frozen=True)
class Term:
    """A glossary term oriented from the source language, with its accepted translations (several entries
    for one term are alternatives); texts as written, words as (word, stem)."""

    source: str
    targets: tuple[str, ...]
    source_forms: tuple[tuple[str, str], ...]
    target_forms: tuple[tuple[tuple[str, str], ...], ...]  # one per target


@dataclass
class Stems:
    """A Snowball stemmer with a memo of the words it has stemmed (one per glossary check: stemming is slow)."""

    stemmer: snowballstemmer.Stemmer
    known: dict[str, str] = field(default_factory=dict)

    def of(self, word: str) -> str:
        """The stem of `word`."""
        if word not in self.known:
            self.known[word] = self.stemmer.stemWord(word)
        return self.known[word]


@dataclass(frozen=True)
class Occurrence:
    """One paired bead seen by the consistency rules: its source and translation texts and where they start."""

    document: str
    source: str
    translation: str
    source_at: tuple[str, int]  # (file, line) of the source side
    translation_at: tuple[str, int]  # (file, line) of the translation side
    end_line: int  # last line of the translation side


# ---------------------------------------------------------------------------------------- all findings


def findings(alignments: list[Alignment], options: CheckOptions) -> list[Finding]:
    """Every finding of every rule, without duplicates, sorted by (file, line, rule)."""
    result: list[Finding] = []
    for alignment in alignments:
        result += untranslated_passages(alignment, options)
        result += other_language_passages(alignment, options)
        result += suspicious_pairs(alignment, options)
        result += glossary_violations(alignment, options)
    result += inconsistent_translations(alignments, options)
    return sorted_findings(result)


def sorted_findings(found: Iterable[Finding]) -> list[Finding]:
    """`found` without duplicates, in a deterministic order: file, line, rule, then the rest."""
    return sorted(
        dict.fromkeys(found),
        key=lambda f: (f.file, f.line, f.rule, f.end_line, f.document, f.message, f.ru, f.en, f.related),
    )


def is_ignored(options: CheckOptions, *texts: str) -> bool:
    """Whether any of `texts` matches one of the ignore patterns."""
    return any(re.search(pattern, text) for pattern in options.ignore for text in texts if text)


def source_lang(options: CheckOptions) -> str:
    """The language translated from: Russian unless only Russian counterparts are required."""
    return "en" if options.require == "ru" else "ru"


def target_lang(options: CheckOptions) -> str:
    """The language translated into, where a bad translation is pointed at."""
    return "ru" if options.require == "ru" else "en"


def side(bead: Bead, lang: str) -> tuple[Segment, ...]:
    """The sentences of `bead` in `lang`."""
    return bead.ru if lang == "ru" else bead.en


def joined(segments: Sequence[Segment]) -> str:
    """The texts of `segments` joined by spaces."""
    return " ".join(segment.text for segment in segments)


def last_line(segments: Sequence[Segment]) -> int:
    """The 1-based line where the last of `segments` ends."""
    last = segments[-1]
    return last.line + len(LINE_BREAK.findall(last.text))


def preview(text: str) -> str:
    """The first words of `text` on one line, with "…" when some were cut."""
    words = text.split()
    shown = " ".join(words[:PREVIEW_WORDS])
    return shown + "…" if len(words) > PREVIEW_WORDS else shown


def plural(count: int, noun: str) -> str:
    """ "1 sentence", "2 sentences"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# ---------------------------------------------------------------------------------------- passages


def untranslated_passages(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Runs of sentences without a counterpart in a required language, one finding per paragraph-bound passage."""
    wanted = {"en": ("ru",), "ru": ("en",), "both": ("ru", "en")}[options.require]
    result = []
    for passage in passages(alignment, options):
        if passage.status not in wanted:
            continue
        lang = passage.status
        other = "en" if lang == "ru" else "ru"
        count = plural(len(passage.segments), "sentence")
        text = joined(passage.segments)
        message = f'{LANG_NAMES[lang]} passage without {LANG_NAMES[other]} counterpart ({count}): "{preview(text)}"'
        result.append(passage_finding(alignment, passage, "untranslated", "error", message, lang))
    return result


def other_language_passages(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Runs of sentences in a third language (never paired), one finding per paragraph-bound passage."""
    result = []
    for passage in passages(alignment, options):
        if not passage.status.startswith("other:"):
            continue
        code = passage.status.removeprefix("other:")
        name = f"{OTHER_LANG_NAMES.get(code, code)} ({code})" if code else "an unidentified language"
        count = plural(len(passage.segments), "sentence")
        text = joined(passage.segments)
        message = f'passage in {name}, neither Russian nor English ({count}): "{preview(text)}"'
        result.append(passage_finding(alignment, passage, "other-language", "warning", message, code or "other"))
    return result


def passages(alignment: Alignment, options: CheckOptions) -> list[Passage]:
    """Maximal runs of consecutive sentences (in file order) of one file and paragraph with the same status.

    A sentence's status is "ru" / "en" when it has no counterpart, "other:CODE" when it is in a third
    language; paired sentences and those matching an ignore pattern belong to no passage and end one.
    """
    ordered = sorted(sentence_statuses(alignment, options), key=lambda item: (item[0].file, item[0].start))
    result: list[Passage] = []
    run: list[Segment] = []
    run_status = ""
    for segment, status in ordered:
        continues = (
            run and status == run_status and (segment.file, segment.paragraph) == (run[-1].file, run[-1].paragraph)
        )
        if not continues:
            if run and run_status:
                result.append(Passage(run_status, tuple(run)))
            run, run_status = [], status
        run.append(segment)
    if run and run_status:
        result.append(Passage(run_status, tuple(run)))
    return result


def sentence_statuses(alignment: Alignment, options: CheckOptions) -> list[tuple[Segment, str]]:
    """Every sentence of the alignment with its status ("" for paired or ignored sentences)."""
    result = []
    for bead in alignment.beads:
        if bead.other:
            statuses = [(segment, f"other:{segment.detected}") for segment in bead.other]
        elif bead.paired:
            statuses = [(segment, "") for segment in bead.ru + bead.en]
        else:
            statuses = [(segment, "ru" if bead.ru else "en") for segment in bead.ru + bead.en]
        result += [(segment, "" if is_ignored(options, segment.text) else status) for segment, status in statuses]
    return result


def passage_finding(
    alignment: Alignment, passage: Passage, rule: str, severity: str, message: str, lang: str
) -> Finding:
    """The finding pointing at `passage`; its text goes to `ru` or `en` by the file it is in."""
    document = alignment.document
    first = passage.segments[0]
    text = joined(passage.segments)
    in_en = passage.status == "en" or (passage.status != "ru" and first.file != document.ru_file)
    return Finding(
        rule=rule,
        severity=severity,
        document=document.name,
        file=first.file,
        line=first.line,
        end_line=last_line(passage.segments),
        message=message,
        ru="" if in_en else text,
        en=text if in_en else "",
        lang=lang,
    )


# ---------------------------------------------------------------------------------------- suspicious pairs


def suspicious_pairs(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Paired beads that look wrong: low confidence, numbers or tokens on one side only, odd length, a copy."""
    z_scores = length_z_scores([bead for bead in alignment.beads if bead.paired])
    result = []
    paired = (bead for bead in alignment.beads if bead.paired)
    for bead, z in zip(paired, z_scores, strict=True):
        ru, en = joined(bead.ru), joined(bead.en)
        if is_ignored(options, ru, en):
            continue
        problems = {
            "low-confidence": low_confidence(bead, options),
            "number-mismatch": number_mismatch(ru, en),
            "missing-token": missing_tokens(ru, en),
            "length-ratio": length_ratio_problem(ru, en, z, options),
            "copy": copy_problem(ru, en),
        }
        result += [
            pair_finding(alignment, bead, rule, message, options) for rule, message in problems.items() if message
        ]
    return result


def pair_finding(alignment: Alignment, bead: Bead, rule: str, message: str, options: CheckOptions) -> Finding:
    """A warning about a paired bead, pointing at its translation side."""
    segments = side(bead, target_lang(options))
    return Finding(
        rule=rule,
        severity="warning",
        document=alignment.document.name,
        file=segments[0].file,
        line=segments[0].line,
        end_line=last_line(segments),
        message=message,
        ru=joined(bead.ru),
        en=joined(bead.en),
    )


def low_confidence(bead: Bead, options: CheckOptions) -> str:
    """The message for a bead the aligner was unsure of, or ""."""
    if bead.score >= options.min_confidence:
        return ""
    return f"low alignment confidence {bead.score:.2f} (below {options.min_confidence:.2f})"


# ---------------------------------------------------------------------------------------- numbers


def number_mismatch(ru: str, en: str) -> str:
    """The message naming the numbers found on one side only, or ""."""
    only_ru, only_en = unmatched_numbers(numbers_in(ru, "ru"), numbers_in(en, "en"))
    only_ru, only_en = [n for n in only_ru if not n.optional], [n for n in only_en if not n.optional]
    parts = []
    if only_ru:
        parts.append(f"only in Russian: {', '.join(dict.fromkeys(n.text for n in only_ru))}")
    if only_en:
        parts.append(f"only in English: {', '.join(dict.fromkeys(n.text for n in only_en))}")
    return "numbers differ: " + "; ".join(parts) if parts else ""


def unmatched_numbers(left: list[Number], right: list[Number]) -> tuple[list[Number], list[Number]]:
    """The numbers of each side with no counterpart on the other. Pairs are taken greedily in rounds: digits
    with the same likeliest value, then with any value in common, then Roman numerals with anything."""
    left_rest, right_rest = list(left), list(right)
    for round_ in ("exact", "any", "optional"):
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
    """The numbers written in digits in `text` (footnote markers, URLs and e-mail addresses left out).

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
    """Day and year of "01.04.2022" or "4/1/2022"; a slashed date may be day- or month-first."""
    text = match.group()
    a, b, year = match["date_a"], match["date_b"], match["date_year"]
    days = (value(a),) if match["date_sep"] == "." else (value(b), value(a)) if lang == "en" else (value(a), value(b))
    years = (value(year),) if len(year) == 4 else (value(year), f"20{year}", f"19{year}")
    return [Number(text, days), Number(text, years)]


def clock_values(hour: str, minute: str, ampm: str | None) -> tuple[str, ...]:
    """A time of day as "H:MM" on the 24-hour clock; a full hour may also be written as its hour alone
    ("23:00" ↔ "в 23 часа", "10 p.m." ↔ "в 10 вечера")."""
    hours = int(hour)
    if ampm and ampm.lower() == "p" and hours < 12:
        hours += 12
    elif ampm and ampm.lower() == "a" and hours == 12:
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
    """The value of "3,5" / "3.5"; "23.00" may also be a time of day."""
    whole, _, decimals = text.replace(",", ".").partition(".")
    values = (value(f"{whole}.{decimals}"),)
    if text[len(whole)] == "." and len(whole) <= 2 and len(decimals) == 2 and int(whole) <= 24 and int(decimals) < 60:
        values += (f"{int(whole)}:{decimals}",)
    return values


def value(digits: str) -> str:
    """The canonical form of a decimal number: no leading zeros, no trailing decimal zeros."""
    try:
        number = Decimal(digits).normalize()
    except InvalidOperation:
        return digits
    return format(number, "f")


# ---------------------------------------------------------------------------------------- tokens


def missing_tokens(ru: str, en: str) -> str:
    """The message naming footnote markers, URLs, e-mail addresses and Latin-script words on one side only, or ""."""
    missing_in_en = [token for token in special_tokens(ru) + latin_words(ru) if not present(token, en)]
    missing_in_ru = [token for token in special_tokens(en) if not present(token, ru)]
    parts = []
    if missing_in_en:
        parts.append(f"missing in English: {', '.join(dict.fromkeys(missing_in_en))}")
    if missing_in_ru:
        parts.append(f"missing in Russian: {', '.join(dict.fromkeys(missing_in_ru))}")
    return "; ".join(parts)


def special_tokens(text: str) -> list[str]:
    """Footnote markers, URLs (without trailing punctuation) and e-mail addresses in `text`, in order."""
    urls = [url.rstrip(URL_TRAILER) for url in URL.findall(text)]
    emails = EMAIL.findall(URL.sub(" ", text))
    return FOOTNOTE.findall(text) + urls + emails


def latin_words(text: str) -> list[str]:
    """Words of two or more Latin letters outside URLs and e-mail addresses, Roman numerals ("XX век") left out."""
    text = EMAIL.sub(" ", URL.sub(" ", text))
    return [word for word in LATIN_WORD.findall(text) if not ROMAN_NUMERAL.fullmatch(word)]


def present(token: str, text: str) -> bool:
    """Whether `token` appears in `text`, ignoring case and, for a URL, its scheme, "www." and final slash."""
    key = re.sub(r"^(?:https?://)?(?:www\.)?", "", token, flags=re.IGNORECASE).rstrip("/")
    return key.casefold() in text.casefold()


# ---------------------------------------------------------------------------------------- length and copies


def length_z_scores(beads: Sequence[Bead]) -> list[float | None]:
    """For each paired bead, the z-score of log(len RU / len EN) against the other beads of the document
    (leave-one-out mean and spread, the spread floored at MIN_LENGTH_SPREAD); None for all when the
    document has fewer than MIN_PAIRS_FOR_LENGTH pairs."""
    ratios = [math.log(max(len(joined(b.ru)), 1) / max(len(joined(b.en)), 1)) for b in beads]
    count = len(ratios)
    if count < MIN_PAIRS_FOR_LENGTH:
        return [None] * count
    total, total_squares = math.fsum(ratios), math.fsum(r * r for r in ratios)
    scores: list[float | None] = []
    for ratio in ratios:
        mean = (total - ratio) / (count - 1)
        variance = (total_squares - ratio * ratio - (count - 1) * mean * mean) / (count - 2)
        spread = max(math.sqrt(max(variance, 0.0)), MIN_LENGTH_SPREAD)
        scores.append((ratio - mean) / spread)
    return scores


def length_ratio_problem(ru: str, en: str, z: float | None, options: CheckOptions) -> str:
    """The message for a pair whose length ratio is an outlier in its document, or ""."""
    if z is None or abs(z) <= options.length_ratio_z:
        return ""
    if len(ru) >= len(en):
        ratio = f"Russian side {len(ru) / max(len(en), 1):.1f}× as long as the English"
    else:
        ratio = f"English side {len(en) / max(len(ru), 1):.1f}× as long as the Russian"
    return f"unusual length ratio for this document: {ratio} (z = {z:+.1f})"


def copy_problem(ru: str, en: str) -> str:
    """The message when one side of a pair is a copy of the other, or ""."""
    cyrillic_ru = len(CYRILLIC.findall(ru))
    if normalised(ru) == normalised(en) and (cyrillic_ru or len(latin_words(ru)) >= MIN_LATIN_WORDS_FOR_COPY):
        return "the translation is a copy of the source: both sides read the same"
    if not cyrillic_ru and len(latin_words(ru)) >= MIN_LATIN_WORDS_FOR_COPY:
        return "the Russian side has no Cyrillic letters: a copy of the English?"
    letters = sum(char.isalpha() for char in en)
    if letters and len(CYRILLIC.findall(en)) > letters / 2:
        return "the English side is mostly Cyrillic: a copy of the Russian?"
    return ""


def normalised(text: str) -> str:
    """`text` casefolded, "ё" as "е", punctuation and symbols dropped, whitespace squashed: the form compared
    by the copy and consistency rules."""
    return " ".join(NON_WORD.sub(" ", text.casefold().replace("ё", "е")).split())


# ---------------------------------------------------------------------------------------- consistency


def inconsistent_translations(alignments: list[Alignment], options: CheckOptions) -> list[Finding]:
    """Across all alignments: one source sentence translated in different ways ("inconsistent-translation"),
    and different source sentences sharing one translation ("shared-translation"), one finding each."""
    found = occurrences(alignments, options)
    return variant_findings(found, options, by_source=True) + variant_findings(found, options, by_source=False)


def occurrences(alignments: Sequence[Alignment], options: CheckOptions) -> list[Occurrence]:
    """Every paired bead of every alignment, as source and translation texts, in document order."""
    result = []
    for alignment in alignments:
        for bead in alignment.beads:
            if not bead.paired:
                continue
            source, target = side(bead, source_lang(options)), side(bead, target_lang(options))
            occurrence = Occurrence(
                document=alignment.document.name,
                source=joined(source),
                translation=joined(target),
                source_at=(source[0].file, source[0].line),
                translation_at=(target[0].file, target[0].line),
                end_line=last_line(target),
            )
            if not is_ignored(options, occurrence.source, occurrence.translation):
                result.append(occurrence)
    return result


def variant_findings(found: Sequence[Occurrence], options: CheckOptions, by_source: bool) -> list[Finding]:
    """Findings for occurrences grouped by normalised source (`by_source`) or by normalised translation,
    where a group holds more than one distinct text on the other side."""
    groups: dict[str, list[Occurrence]] = {}
    for occurrence in found:
        key = normalised(occurrence.source if by_source else occurrence.translation)
        if key:
            groups.setdefault(key, []).append(occurrence)
    result = []
    for group in groups.values():
        variants = distinct_texts(o.translation if by_source else o.source for o in group)
        if len(variants) > 1:
            ordered = sorted(group, key=lambda o: (o.translation_at, o.source_at))
            result.append(variant_finding(ordered, variants, options, by_source))
    return result


def distinct_texts(texts: Iterable[str]) -> list[str]:
    """The first text of each normalised form, in order."""
    first: dict[str, str] = {}
    for text in texts:
        first.setdefault(normalised(text), text)
    return list(first.values())


def variant_finding(group: list[Occurrence], variants: list[str], options: CheckOptions, by_source: bool) -> Finding:
    """One consistency finding pointing at the first occurrence's translation.

    `related` holds where the differing texts are: every translation of an inconsistently translated
    sentence, every source sentence of a shared translation.
    """
    first = group[0]
    places = plural(len(group), "place")
    if by_source:
        rule, fixed, varied = "inconsistent-translation", first.source, "\n".join(variants)
        message = f'the same sentence is translated {len(variants)} ways in {places}: "{preview(fixed)}"'
        related = {o.translation_at for o in group}
    else:
        rule, fixed, varied = "shared-translation", first.translation, "\n".join(variants)
        message = f'{len(variants)} different sentences share one translation in {places}: "{preview(fixed)}"'
        related = {o.source_at for o in group}
    source, translation = (fixed, varied) if by_source else (varied, fixed)
    ru_source = source_lang(options) == "ru"
    return Finding(
        rule=rule,
        severity="warning",
        document=first.document,
        file=first.translation_at[0],
        line=first.translation_at[1],
        end_line=first.end_line,
        message=message,
        ru=source if ru_source else translation,
        en=translation if ru_source else source,
        related=tuple(sorted(related)),
    )


# ---------------------------------------------------------------------------------------- glossary


def glossary_violations(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Paired beads whose source uses a glossary term (in any word form) while the translation lacks the
    term's prescribed translation."""
    if not options.glossary:
        return []
    stemmers = {"ru": Stems(snowballstemmer.stemmer("russian")), "en": Stems(snowballstemmer.stemmer("english"))}
    src, tgt = source_lang(options), target_lang(options)
    terms = glossary_terms(options.glossary, stemmers, src)
    index = terms_by_first_word(terms)
    result = []
    for bead in alignment.beads:
        if not bead.paired or is_ignored(options, joined(bead.ru), joined(bead.en)):
            continue
        source_words = word_forms(joined(side(bead, src)), stemmers[src])
        candidates = sorted({i for word in source_words for form in word for i in index.get(form, ())})
        found = [terms[i] for i in candidates if contains_term(source_words, terms[i].source_forms)]
        target_words = word_forms(joined(side(bead, tgt)), stemmers[tgt]) if found else []
        for term in found:
            if not any(contains_term(target_words, forms) for forms in term.target_forms):
                wanted = " or ".join(f'"{target}"' for target in term.targets)
                message = f'glossary: "{term.source}" should be translated as {wanted}'
                result.append(pair_finding(alignment, bead, "glossary", message, options))
    return result


def glossary_terms(glossary: Iterable[tuple[str, str]], stemmers: dict[str, Stems], source: str) -> list[Term]:
    """The glossary's terms in the `source` language, in order, each with every translation it is given."""
    target = "en" if source == "ru" else "ru"
    translations: dict[str, list[str]] = {}
    for ru, en in glossary:
        texts = {"ru": ru, "en": en}
        if texts[target] not in translations.setdefault(texts[source], []):
            translations[texts[source]].append(texts[target])
    result = []
    for term, targets in translations.items():
        forms = tuple(word_forms(term, stemmers[source]))
        if forms:
            target_forms = tuple(tuple(word_forms(text, stemmers[target])) for text in targets)
            result.append(Term(term, tuple(targets), forms, target_forms))
    return result


def terms_by_first_word(terms: Sequence[Term]) -> dict[str, list[int]]:
    """Indices of `terms` by the first source word and its stem: a word can only start a term whose first
    word or stem equals the word or the word's stem."""
    index: dict[str, list[int]] = {}
    for number, term in enumerate(terms):
        for form in dict.fromkeys(term.source_forms[0]):
            index.setdefault(form, []).append(number)
    return index


def word_forms(text: str, stems: Stems) -> list[tuple[str, str]]:
    """Each word of `text` as (casefolded word with "ё" as "е", its stem)."""
    return [(word, stems.of(word)) for word in WORD.findall(text.casefold().replace("ё", "е"))]


def contains_term(words: Sequence[tuple[str, str]], term: Sequence[tuple[str, str]]) -> bool:
    """Whether the words of `term` occur consecutively in `words`, each in some form of the term's word.

    A word matches a term word when they are equal or the word's stem is the term word or its stem
    ("трибуналом" → "трибунал"; the stemmer cuts "трибунал" itself to "трибуна").
    """
    if not term:
        return False
    first, rest = term[0], term[1:]
    for start in range(len(words) - len(term) + 1):
        if same_word(words[start], first) and all(
            same_word(word, term_word) for word, term_word in zip(words[start + 1 :], rest, strict=False)
        ):
            return True
    return False


def same_word(word: tuple[str, str], term_word: tuple[str, str]) -> bool:
    """Whether `word` is a form of `term_word` (both as (word, stem))."""
    return word[0] == term_word[0] or word[1] in term_word


def read_glossary(path: str) -> tuple[tuple[str, str], ...]:
    """The (ru, en) term pairs of a CSV file with a header row naming the columns ru and en (UTF-8, BOM ok;
    comma, semicolon or tab separated). Raises ValueError("PATH: problem") for a file that cannot be used."""
    if path.lower().endswith(".tbx"):
        raise ValueError(f"{path}: TBX glossaries are not supported; use a CSV file with the header ru,en")
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise ValueError(f"{path}: cannot read: {error.strerror or error}") from None
    return glossary_rows(path, text)


def glossary_rows(path: str, text: str) -> tuple[tuple[str, str], ...]:
    """The term pairs of the CSV `text` read from `path`, duplicates dropped."""
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = next((d for d in (",", ";", "\t") if d in header_line), ",")
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    pairs: list[tuple[str, str]] = []
    try:
        for row in rows:
            number = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().casefold() for cell in row]
                if "ru" not in header or "en" not in header:
                    raise ValueError(f"{path}: line {number}: expected a header row with the columns ru,en")
                continue
            ru_column, en_column = header.index("ru"), header.index("en")
            if len(row) <= max(ru_column, en_column):
                raise ValueError(f"{path}: line {number}: expected {len(header)} columns, found {len(row)}")
            ru, en = row[ru_column].strip(), row[en_column].strip()
            if not ru or not en:
                raise ValueError(f"{path}: line {number}: empty {'Russian' if not ru else 'English'} term")
            pairs.append((ru, en))
    except csv.Error as error:
        raise ValueError(f"{path}: not a valid CSV file: {error}") from None
    if header is None:
        raise ValueError(f"{path}: empty file; expected a header row with the columns ru,en")
    return tuple(dict.fromkeys(pairs))
