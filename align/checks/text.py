"""Text helpers shared by the rules: sides of a bead, joined texts, previews, ignore patterns, normal forms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

from align.model import OTHER_SIDE, Bead, Segment
from align.readers.text import LINE_END

if TYPE_CHECKING:
    from align.checks.options import CheckOptions

LANG_NAMES = MappingProxyType({"ru": "Russian", "en": "English"})
PREVIEW_WORDS = 8  # words of a text quoted in a message

NON_WORD = re.compile(r"[\W_]+")


def is_ignored(options: CheckOptions, *texts: str) -> bool:
    """Whether any of `texts` matches one of the ignore patterns."""
    return any(re.search(pattern, text) for pattern in options.ignore for text in texts if text)


def source_lang(options: CheckOptions) -> str:
    """The language translated from: Russian unless only Russian counterparts are required."""
    return "en" if options.require == "ru" else "ru"


def target_lang(options: CheckOptions) -> str:
    """The language translated into, where a bad translation is pointed at."""
    return "ru" if options.require == "ru" else "en"


def other_lang(lang: str) -> str:
    """English for Russian, Russian for English."""
    return OTHER_SIDE[lang]


def side(bead: Bead, lang: str) -> tuple[Segment, ...]:
    """The sentences of `bead` in `lang`."""
    return bead.ru if lang == "ru" else bead.en


def joined(segments: Sequence[Segment]) -> str:
    """The texts of `segments` joined by spaces."""
    return " ".join(segment.text for segment in segments)


def prose(segments: Sequence[Segment]) -> str:
    """The texts of `segments` without their markup (inline code, URLs, tags blanked), joined by spaces: what
    the rules on pairs compare, so that nothing inside code or a link's target is ever reported."""
    return " ".join(segment.prose for segment in segments)


def last_line(segments: Sequence[Segment]) -> int:
    """The 1-based line where the last of `segments` ends."""
    last = segments[-1]
    return last.line + len(LINE_END.findall(last.text))


def preview(text: str) -> str:
    """The first PREVIEW_WORDS words of `text` on one line, with "…" when some were cut."""
    words = text.split()
    shown = " ".join(words[:PREVIEW_WORDS])
    return shown + "…" if len(words) > PREVIEW_WORDS else shown


def plural(count: int, noun: str) -> str:
    """ "1 sentence", "2 sentences"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def normalised(text: str) -> str:
    """`text` casefolded, "ё" as "е", punctuation and symbols dropped, whitespace squashed: the form compared
    by the copy and consistency rules."""
    return " ".join(NON_WORD.sub(" ", text.casefold().replace("ё", "е")).split())
