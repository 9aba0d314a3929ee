"""Rules `inconsistent-translation` and `shared-translation`, judged across every document checked together."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from align.checks import severity_of
from align.checks.text import is_ignored, joined, last_line, normalised, plural, preview, side, source_lang, target_lang
from align.model import Alignment, Finding

if TYPE_CHECKING:
    from align.checks.options import CheckOptions


@dataclass(frozen=True)
class Occurrence:
    """One paired bead seen by the consistency rules: its source and translation texts and where they start."""

    document: str
    source: str
    translation: str
    source_at: tuple[str, int]  # (file, line) of the source side
    translation_at: tuple[str, int]  # (file, line) of the translation side
    end_line: int  # last line of the translation side


def inconsistent_translations(alignments: list[Alignment], options: CheckOptions) -> list[Finding]:
    """One finding per source sentence (by normalised text) translated in more than one way."""
    return variant_findings(occurrences(alignments, options), options, by_source=True)


def shared_translations(alignments: list[Alignment], options: CheckOptions) -> list[Finding]:
    """One finding per translation (by normalised text) given to more than one different source sentence."""
    return variant_findings(occurrences(alignments, options), options, by_source=False)


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
