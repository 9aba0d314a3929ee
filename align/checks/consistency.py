"""Rules `inconsistent-translation` and `shared-translation`, judged across every document checked together."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from align.checks import PAIRED_SOURCE_KEY, PAIRED_TRANSLATION_KEY, severity_of
from align.checks.text import is_ignored, joined, last_line, normalised, plural, preview, side, source_lang, target_lang
from align.model import Alignment, Finding

if TYPE_CHECKING:
    from align.checks.options import CheckOptions


class Occurrence(NamedTuple):
    """One paired bead seen by the consistency rules: its source and translation texts, where they start, and
    their normalised forms (the texts compared)."""

    document: str
    source: str
    translation: str
    source_at: tuple[str, int]  # (file, line) of the source side
    translation_at: tuple[str, int]  # (file, line) of the translation side
    end_line: int  # last line of the translation side
    source_key: str  # normalised(source)
    translation_key: str  # normalised(translation)


# A row of paired_texts: each paired bead's texts, (file index, line) of each side, normalised texts.
SOURCE, TRANSLATION, SOURCE_FILE, SOURCE_LINE, TRANSLATION_FILE, TRANSLATION_LINE, END_LINE = range(7)
SOURCE_KEY, TRANSLATION_KEY = PAIRED_SOURCE_KEY, PAIRED_TRANSLATION_KEY  # the fields Rule.grouped_by names


def inconsistent_translations(alignments: list[Alignment], options: CheckOptions) -> list[Finding]:
    """One finding per source sentence (by normalised text) translated in more than one way."""
    return inconsistent_of_summaries([paired_texts(alignment, options) for alignment in alignments], options)


def shared_translations(alignments: list[Alignment], options: CheckOptions) -> list[Finding]:
    """One finding per translation (by normalised text) given to more than one different source sentence."""
    return shared_of_summaries([paired_texts(alignment, options) for alignment in alignments], options)


def inconsistent_of_summaries(summaries: Sequence[Sequence], options: CheckOptions) -> list[Finding]:
    """inconsistent_translations of the documents whose paired_texts are `summaries`."""
    return variant_findings(summaries, options, by_source=True)


def shared_of_summaries(summaries: Sequence[Sequence], options: CheckOptions) -> list[Finding]:
    """shared_translations of the documents whose paired_texts are `summaries`."""
    return variant_findings(summaries, options, by_source=False)


def paired_texts(alignment: Alignment, options: CheckOptions) -> list:
    """What the consistency rules need of one document, as JSON values (the findings cache keeps them with the
    document's findings): [its name, its files, a row for each paired bead not ignored, in order] (a row's
    fields: SOURCE … TRANSLATION_KEY)."""
    files: dict[str, int] = {}
    rows = []
    for bead in alignment.beads:
        if not bead.paired:
            continue
        source, target = side(bead, source_lang(options)), side(bead, target_lang(options))
        source_text, translation = joined(source), joined(target)
        if is_ignored(options, source_text, translation):
            continue
        source_file, target_file = (files.setdefault(s.file, len(files)) for s in (source[0], target[0]))
        places = [source_file, source[0].line, target_file, target[0].line, last_line(target)]
        rows.append([source_text, translation, *places, normalised(source_text), normalised(translation)])
    return [alignment.document.name, list(files), rows]


def occurrence_of(document: str, files: Sequence[str], row: Sequence) -> Occurrence:
    """The Occurrence of one row of a document's paired_texts."""
    source_at = (files[row[SOURCE_FILE]], row[SOURCE_LINE])
    translation_at = (files[row[TRANSLATION_FILE]], row[TRANSLATION_LINE])
    texts = row[SOURCE], row[TRANSLATION]
    return Occurrence(document, *texts, source_at, translation_at, row[END_LINE], row[SOURCE_KEY], row[TRANSLATION_KEY])


def variant_findings(summaries: Sequence[Sequence], options: CheckOptions, by_source: bool) -> list[Finding]:
    """Findings for the paired beads of every document's paired_texts grouped by normalised source (`by_source`)
    or by normalised translation, where a group holds more than one distinct text on the other side. Only such
    groups' rows become Occurrences: most texts of a tree occur once."""
    key_at, other_key_at = (SOURCE_KEY, TRANSLATION_KEY) if by_source else (TRANSLATION_KEY, SOURCE_KEY)
    groups: dict[str, list[tuple[str, Sequence[str], Sequence]]] = {}
    for document, files, rows in summaries:
        for row in rows:
            if row[key_at]:
                groups.setdefault(row[key_at], []).append((document, files, row))
    result = []
    for group in groups.values():
        if len(group) == 1 or len({row[other_key_at] for _, _, row in group}) == 1:
            continue
        occurrences = [occurrence_of(*place) for place in group]
        ordered = sorted(occurrences, key=lambda o: (o.translation_at, o.source_at))
        variants = distinct_texts(occurrences, of_translations=by_source)
        result.append(variant_finding(ordered, variants, options, by_source))
    return result


def distinct_texts(group: Iterable[Occurrence], of_translations: bool) -> list[str]:
    """The first translation (or source text) of each normalised form, in order."""
    first: dict[str, str] = {}
    for o in group:
        if of_translations:
            first.setdefault(o.translation_key, o.translation)
        else:
            first.setdefault(o.source_key, o.source)
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
        severity=severity_of(rule),
        document=first.document,
        file=first.translation_at[0],
        line=first.translation_at[1],
        end_line=first.end_line,
        message=message,
        ru=source if ru_source else translation,
        en=translation if ru_source else source,
        related=tuple(sorted(related)),
    )
