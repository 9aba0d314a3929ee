"""Rules `untranslated` and `other-language`: passages without a counterpart, or in a third language."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from align.checks import severity_of
from align.checks.pairs import Pair, pair_findings
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
        "pl": "Polish",
        "tr": "Turkish",
        "nl": "Dutch",
        "cs": "Czech",
        "sv": "Swedish",
        "ro": "Romanian",
        "hu": "Hungarian",
        "hr": "Croatian",
        "zh": "Chinese",
        "ja": "Japanese",
        "ko": "Korean",
        "ar": "Arabic",
        "he": "Hebrew",
        "el": "Greek",
        "hi": "Hindi",
        "bn": "Bengali",
        "th": "Thai",
        "ka": "Georgian",
        "hy": "Armenian",
        "ta": "Tamil",
    }
)
UNTRANSLATED_SIDES = MappingProxyType({"en": ("ru",), "ru": ("en",), "both": ("ru", "en")})  # by `require`
OTHER = "other:"  # status prefix of a sentence in a third language: "other:uk"
FACING_LENGTH_RATIO = 8.0  # unpaired Russian and English text facing each other, at most this much longer one way
# (a heading with its subtitle against the bare heading: "Часть I. Соображения, касающиеся наук" / "Part I", 6.2
# times; dev complete bilinguator_dev, false untranslated per 1000 by check at 5 / 6 / 8: 3.08 / 2.85 / 2.73, seeds
# 1 and 2 with drops: check recall equal, precision 0.932 / 0.932 / 0.933 and 0.927 / 0.930 / 0.931)


@dataclass(frozen=True)
class Passage:
    """Consecutive sentences of one paragraph sharing a status: untranslated Russian or English, or a third language."""

    status: str  # "ru", "en" or "other:CODE"
    segments: tuple[Segment, ...]


def untranslated_passages(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Runs of sentences without a counterpart in a required language, one finding per paragraph-bound passage
    (except those facing unpaired text of the other language: see loose_translations)."""
    wanted = UNTRANSLATED_SIDES[options.require]
    if alignment.document.missing:  # a whole page without its other language: one untranslated-page finding
        return []
    facing = facing_sentences(alignment)
    result = []
    for passage in passages(alignment, options):
        if passage.status not in wanted or all(id(segment) in facing for segment in passage.segments):
            continue
        lang = passage.status
        count = plural(len(passage.segments), "sentence")
        text = preview(joined(passage.segments))
        message = f'{LANG_NAMES[lang]} passage without {LANG_NAMES[other_lang(lang)]} counterpart ({count}): "{text}"'
        result.append(passage_finding(alignment, passage, "untranslated", message, lang))
    return result


def loose_translations(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Passages without a counterpart that face unpaired text of the other language between the same two pairs,
    and paragraphs the aligner paired by position only (loose beads, align.loose): almost always a free
    translation the aligner could not match sentence by sentence, not an omission."""
    wanted = UNTRANSLATED_SIDES[options.require]
    facing = facing_sentences(alignment)
    result = pair_findings(alignment, options, "loose-translation", loose_pair_message)
    for passage in passages(alignment, options):
        if passage.status not in wanted or not all(id(segment) in facing for segment in passage.segments):
            continue
        lang = passage.status
        count = plural(len(passage.segments), "sentence")
        text = preview(joined(passage.segments))
        message = (
            f"{LANG_NAMES[lang]} passage ({count}) faces {LANG_NAMES[other_lang(lang)]} text that is unpaired too, "
            f'probably a free translation: "{text}"'
        )
        result.append(passage_finding(alignment, passage, "loose-translation", message, lang))
    return result


def loose_pair_message(pair: Pair) -> str:
    """The message for a loose bead (paired as a whole: by its place between two pairs, align.loose; a passage its
    paragraph's translation covers, align.condensed; a regrouped gap, align.matched_gaps), or ""."""
    if not pair.bead.loose:
        return ""
    sentences = f"{plural(len(pair.bead.ru), 'Russian sentence')} and {plural(len(pair.bead.en), 'English sentence')}"
    return (
        f"sentences paired as a whole, not sentence by sentence ({sentences}), "
        f'probably a free translation: "{preview(pair.en)}" / "{preview(pair.ru)}"'
    )


def facing_sentences(alignment: Alignment) -> set[int]:
    """ids of the one-sided sentences whose gap between two pairs holds one-sided sentences of the other
    language as well, of a comparable length (the document's ends are no anchors: there a passage of each
    language may well be two omissions)."""
    gaps: list[list[Segment]] = []
    current: list[Segment] | None = None  # None before the first pair
    for bead in alignment.beads:
        if bead.paired:
            if current:
                gaps.append(current)
            current = []
        elif not bead.other and current is not None:
            current.extend(bead.ru + bead.en)
    return {id(segment) for gap in gaps if facing(gap) for segment in gap}  # a gap after the last pair is left


def facing(gap: list[Segment]) -> bool:
    """Whether a gap's Russian and English sentences could be one free translation of each other: one paragraph's
    passage on each side (two passages on one side may be an omission beside a loose pair), their lengths within
    FACING_LENGTH_RATIO of each other."""
    paragraphs = {lang: {(s.file, s.paragraph) for s in gap if s.lang == lang} for lang in ("ru", "en")}
    if len(paragraphs["ru"]) != 1 or len(paragraphs["en"]) != 1:
        return False
    ru = sum(len(s.text) for s in gap if s.lang == "ru")
    en = sum(len(s.text) for s in gap if s.lang == "en")
    return max(ru, en) <= FACING_LENGTH_RATIO * min(ru, en)


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
        location=first.location,
    )
