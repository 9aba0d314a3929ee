"""Rule `missing-token`: footnote markers, URLs, e-mail addresses and Latin-script names on one side only."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from align.checks.pairs import pair_findings
from align.model import Alignment, Finding

if TYPE_CHECKING:
    from align.checks.options import CheckOptions

FOOTNOTE = re.compile(r"\[\d{1,4}\]")
URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"'«»“”]+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_TRAILER = ".,;:!?)]}»”’'\""  # punctuation after a URL that is not part of it
URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?", re.IGNORECASE)  # not compared when looking for a URL
# A whole word of Latin letters (not glued to Cyrillic or other letters), e.g. "SkySleep", "OSCE".
LATIN_WORD = re.compile(r"(?<![^\W\d_])[A-Za-z\u00c0-\u024f]{2,}(?![^\W\d_])")
ROMAN_NUMERAL = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def missing_token_pairs(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Paired beads with a special token or Latin-script word on one side only."""
    return pair_findings(alignment, options, "missing-token", lambda pair: missing_tokens(pair.ru, pair.en))


def missing_tokens(ru: str, en: str) -> str:
    """The message naming the footnote markers, URLs, e-mail addresses and Latin-script words of `ru` missing
    from `en`, and the footnote markers, URLs and e-mail addresses of `en` missing from `ru`; or ""."""
    missing_in_en = [token for token in special_tokens(ru) + latin_words(ru) if not present(token, en)]
    missing_in_ru = [token for token in special_tokens(en) if not present(token, ru)]
    parts = []
    if missing_in_en:
        parts.append(f"missing in English: {', '.join(dict.fromkeys(missing_in_en))}")
    if missing_in_ru:
        parts.append(f"missing in Russian: {', '.join(dict.fromkeys(missing_in_ru))}")
    return "; ".join(parts)


def special_tokens(text: str) -> list[str]:
    """Footnote markers, URLs (without trailing punctuation) and e-mail addresses in `text`, in that order."""
    urls = [url.rstrip(URL_TRAILER) for url in URL.findall(text)]
    emails = EMAIL.findall(URL.sub(" ", text))
    return FOOTNOTE.findall(text) + urls + emails


def latin_words(text: str) -> list[str]:
    """Words of two or more Latin letters outside URLs and e-mail addresses, Roman numerals ("XX век") left out."""
    text = EMAIL.sub(" ", URL.sub(" ", text))
    return [word for word in LATIN_WORD.findall(text) if not ROMAN_NUMERAL.fullmatch(word)]


def present(token: str, text: str) -> bool:
    """Whether `token` appears in `text`, ignoring case and, for a URL, its scheme, "www." and final slash."""
    key = URL_PREFIX.sub("", token).rstrip("/")
    return key.casefold() in text.casefold()
