"""Rule `copy`: a "translation" that is the source text again."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from align.checks.pairs import pair_findings
from align.checks.text import normalised
from align.checks.tokens import latin_words
from align.model import Alignment, Finding

if TYPE_CHECKING:
    from align.checks.options import CheckOptions

CYRILLIC = re.compile(r"[\u0400-\u052f]")
MIN_LATIN_WORDS_FOR_COPY = 3  # a Russian side of a name or two ("iPhone 15 Pro") may well stay in Latin letters
MOSTLY = 0.5  # share of an English side's letters that, once exceeded by Cyrillic ones, makes it a copy


def copied_pairs(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Paired beads one side of which is a copy of the other."""
    return pair_findings(alignment, options, "copy", lambda pair: copy_problem(pair.ru, pair.en))


def copy_problem(ru: str, en: str) -> str:
    """The message when one side of a pair is a copy of the other, or ""."""
    cyrillic_ru = len(CYRILLIC.findall(ru))
    if normalised(ru) == normalised(en) and (cyrillic_ru or len(latin_words(ru)) >= MIN_LATIN_WORDS_FOR_COPY):
        return "the translation is a copy of the source: both sides read the same"
    if not cyrillic_ru and len(latin_words(ru)) >= MIN_LATIN_WORDS_FOR_COPY:
        return "the Russian side has no Cyrillic letters: a copy of the English?"
    letters = sum(char.isalpha() for char in en)
    if letters and len(CYRILLIC.findall(en)) > letters * MOSTLY:
        return "the English side is mostly Cyrillic: a copy of the Russian?"
    return ""
