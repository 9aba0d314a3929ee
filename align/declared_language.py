"""The language a file declares for a passage (HTML `lang`, `xml:lang`), as align codes it."""

from __future__ import annotations

import re

from align.model import OTHER_SIDE

# A declared language tag (BCP 47, HTML `lang`): its primary subtag, two or three letters, before any region or
# script subtag ("ru-RU", "zh-Hans", "en_US" as some pages write it); "x-…" and "i-…" are private or old tags.
PRIMARY_SUBTAG = re.compile(r"\s*(?P<code>[A-Za-z]{2,3})(?:[-_]|\s*$)")
NO_LANGUAGE_CODES = frozenset({"und", "mul", "zxx", "mis"})  # undetermined, several, no language, not coded
THREE_LETTER_CODES = {"rus": "ru", "eng": "en"}  # ISO 639-2 codes some files declare for align's two


def declared_language(tag: str) -> str:
    """The language a declared tag names, as align codes it: its primary subtag in small letters ("ru-RU" -> "ru",
    "zh-Hans" -> "zh", "rus" -> "ru"); "" for an empty tag or one that names no language ("und", "zxx", "x-…")."""
    match = PRIMARY_SUBTAG.match(tag)
    code = match["code"].lower() if match else ""
    return "" if code in NO_LANGUAGE_CODES else THREE_LETTER_CODES.get(code, code)


def is_third_language(declared: str) -> bool:
    """Whether a declared language (declared_language's code) is neither Russian nor English."""
    return bool(declared) and declared not in OTHER_SIDE
