"""Rule `untranslated-page`: a page of a two-language tree whose other language's file does not exist."""

from __future__ import annotations

from typing import TYPE_CHECKING

from align.checks import severity_of
from align.checks.text import LANG_NAMES, other_lang, plural
from align.checks.untranslated import UNTRANSLATED_SIDES
from align.model import Alignment, Finding

if TYPE_CHECKING:
    from align.checks.options import CheckOptions


def untranslated_pages(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """One finding for a page without its counterpart on the required side (instead of one per passage)."""
    document = alignment.document
    present = other_lang(document.missing) if document.missing else ""
    if not present or present not in UNTRANSLATED_SIDES[options.require]:
        return []
    from align.layouts import partner_candidates

    expected = partner_candidates(document.en_file)
    where = f" (expected {expected[0]})" if expected else ""
    count = plural(len(document.ru if present == "ru" else document.en), "sentence")
    message = f"{LANG_NAMES[present]} page without {LANG_NAMES[document.missing]} counterpart{where}: {count}"
    return [
        Finding(
            rule="untranslated-page",
            severity=severity_of("untranslated-page"),
            document=document.name,
            file=document.en_file,
            line=1,
            end_line=1,
            message=message,
            lang=present,
        )
    ]
