"""What the rules on paired beads share: the pairs a rule looks at and the finding pointing at one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from align.checks import severity_of
from align.checks.text import is_ignored, joined, last_line, prose, side, target_lang
from align.model import Alignment, Bead, Finding

if TYPE_CHECKING:
    from align.checks.options import CheckOptions


@dataclass(frozen=True)
class Pair:
    """A paired bead with its Russian and English prose (the texts without markup)."""

    bead: Bead
    ru: str
    en: str


def checked_pairs(alignment: Alignment, options: CheckOptions) -> list[Pair]:
    """The paired beads of `alignment` in order, leaving out those an ignore pattern matches."""
    pairs = (Pair(bead, prose(bead.ru), prose(bead.en)) for bead in alignment.beads if bead.paired)
    return [pair for pair in pairs if not is_ignored(options, pair.ru, pair.en)]


def pair_findings(
    alignment: Alignment, options: CheckOptions, rule: str, problem: Callable[[Pair], str]
) -> list[Finding]:
    """A finding of rule `rule` for each checked pair for which `problem` gives a message (not "")."""
    result = []
    for pair in checked_pairs(alignment, options):
        message = problem(pair)
        if message:
            result.append(pair_finding(alignment, pair.bead, rule, message, options))
    return result


def pair_finding(alignment: Alignment, bead: Bead, rule: str, message: str, options: CheckOptions) -> Finding:
    """The finding of rule `rule` about a paired bead, pointing at its translation side."""
    segments = side(bead, target_lang(options))
    return Finding(
        rule=rule,
        severity=severity_of(rule),
        document=alignment.document.name,
        file=segments[0].file,
        line=segments[0].line,
        end_line=last_line(segments),
        message=message,
        ru=joined(bead.ru),
        en=joined(bead.en),
        location=segments[0].location,
    )
