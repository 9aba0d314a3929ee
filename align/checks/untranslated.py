"""Rules `untranslated` and `other-language`: passages without a counterpart, or in a third language."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from align.checks import severity_of
from align.checks.text import LANG_NAMES, is_ignored, joined, last_line, other_lang, plural, preview
from align.model import Alignment, Finding, Segment

if TYPE_CHECKING:
    from align.checks.options import CheckOptions

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
UNTRANSLATED_SIDES = MappingProxyType({"en": ("ru",), "ru": ("en",), "both": ("ru", "en")})  # by `require`
OTHER = "other:"  # status prefix of a sentence in a third language: "other:uk"


@dataclass(frozen=True)
class Passage:
    """Consecutive sentences of one paragraph sharing a status: untranslated Russian or English, or a third language."""

    status: str  # "ru", "en" or "other:CODE"
    segments: tuple[Segment, ...]


def untranslated_passages(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Runs of sentences without a counterpart in a required language, one finding per paragraph-bound passage."""
    wanted = UNTRANSLATED_SIDES[options.require]
    result = []
    for passage in passages(alignment, options):
        if passage.status not in wanted:
            continue
        lang = passage.status
        count = plural(len(passage.segments), "sentence")
        text = preview(joined(passage.segments))
        message = f'{LANG_NAMES[lang]} passage without {LANG_NAMES[other_lang(lang)]} counterpart ({count}): "{text}"'
        result.append(passage_finding(alignment, passage, "untranslated", message, lang))
    return result


def other_language_passages(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Runs of sentences in a third language (never paired), one finding per paragraph-bound passage."""
    result = []
    for passage in passages(alignment, options):
        if not passage.status.startswith(OTHER):
            continue
        code = passage.status.removeprefix(OTHER)
        name = f"{OTHER_LANG_NAMES.get(code, code)} ({code})" if code else "an unidentified language"
        count = plural(len(passage.segments), "sentence")
        text = preview(joined(passage.segments))
        message = f'passage in {name}, neither Russian nor English ({count}): "{text}"'
        result.append(passage_finding(alignment, passage, "other-language", message, code or "other"))
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
            statuses = [(segment, f"{OTHER}{segment.detected}") for segment in bead.other]
        elif bead.paired:
            statuses = [(segment, "") for segment in bead.ru + bead.en]
        else:
            statuses = [(segment, "ru" if bead.ru else "en") for segment in bead.ru + bead.en]
        result += [(segment, "" if is_ignored(options, segment.text) else status) for segment, status in statuses]
    return result


def passage_finding(alignment: Alignment, passage: Passage, rule: str, message: str, lang: str) -> Finding:
    """The finding of rule `rule` pointing at `passage`; its text goes to `ru` for a Russian passage, to
    `en` for an English one, and for a third language by the file it is in (a mixed file counts as Russian)."""
    document = alignment.document
    first = passage.segments[0]
    text = joined(passage.segments)
    in_en = passage.status == "en" or (passage.status != "ru" and first.file != document.ru_file)
    return Finding(
        rule=rule,
        severity=severity_of(rule),
        document=document.name,
        file=first.file,
        line=first.line,
        end_line=last_line(passage.segments),
        message=message,
        ru="" if in_en else text,
        en=text if in_en else "",
        lang=lang,
    )
