"""The findings of the HTML review report: which row each belongs to, and the check page's findings panel.

A finding belongs to the first bead of its document with a sentence in the finding's file whose lines
overlap the finding's; when the finding quotes text, the sentence must be part of it. A passage finding
(several sentences, so several rows) is shown once, under its first row; the passage's other rows are
marked as part of it (`in_passage`), so that n / p and the panel stop at it once.

`findings_panel` is what `align check --format html` adds on top of the rows: every finding once, grouped
by rule and then by severity, each a link to its row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from align.model import SEVERITIES, Alignment, Finding, Segment

SEVERITY_ICONS = {"error": "✖", "warning": "⚠", "note": "ℹ"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\x0b|\x0c|\x85|\u2028|\u2029")

RowKey = tuple[int, int]  # (document index, bead index)


def last_line(segment: Segment) -> int:
    """The 1-based line where `segment` ends."""
    return segment.line + len(_LINE_BREAK.findall(segment.text))


@dataclass
class Attached:
    """Where the findings go: under which row, which rows belong to a passage shown elsewhere, and the rest."""

    rows: dict[RowKey, list[Finding]]  # shown under that row (a passage's first row)
    in_passage: dict[RowKey, RowKey]  # a passage's other rows -> the row its finding is shown under
    loose: dict[str, list[Finding]]  # by document: findings no row matches
    home: dict[int, RowKey]  # id(finding) -> its row (for the panel's links)


def attach_findings(alignments: list[Alignment], findings: Iterable[Finding]) -> Attached:
    """Each finding attached to the first row it points at (see the module's docstring)."""
    index: dict[tuple[str, str, int], list[tuple[int, int, Segment]]] = defaultdict(list)
    for d, alignment in enumerate(alignments):
        for b, bead in enumerate(alignment.beads):
            for segment in bead.ru + bead.en + bead.other:
                for line in range(segment.line, last_line(segment) + 1):
                    index[(alignment.document.name, segment.file, line)].append((d, b, segment))
    attached = Attached(defaultdict(list), {}, defaultdict(list), {})
    for finding in findings:
        texts = [text for text in (finding.ru, finding.en) if text]
        hits: dict[RowKey, None] = {}
        for line in range(finding.line, max(finding.line, finding.end_line) + 1):
            for d, b, segment in index.get((finding.document, finding.file, line), ()):
                if not texts or any(segment.text in text for text in texts):
                    hits[(d, b)] = None
        if not hits:
            attached.loose[finding.document].append(finding)
            continue
        first, *others = sorted(hits)
        attached.rows[first].append(finding)
        attached.home[id(finding)] = first
        for other in others:
            attached.in_passage.setdefault(other, first)
    return attached


def where(finding: Finding) -> str:
    """ "file:12" or "file:12–14": the lines a finding points at."""
    return f"{finding.file}:{finding.line}" + (f"–{finding.end_line}" if finding.end_line > finding.line else "")


def severity_icon(finding: Finding) -> str:
    return SEVERITY_ICONS.get(finding.severity, "•")


@dataclass(frozen=True)
class PanelEntry:
    """One finding in the panel: the row it jumps to ("" when no row shows it)."""

    finding: Finding
    target: str  # "d0-b12"


@dataclass(frozen=True)
class PanelGroup:
    """The findings of one rule and severity."""

    rule: str
    severity: str
    entries: list[PanelEntry]


def findings_panel(findings: Iterable[Finding], attached: Attached) -> list[PanelGroup]:
    """Every finding once, grouped by rule (alphabetically), then severity (most severe first), in row order."""
    groups: dict[tuple[str, str], list[PanelEntry]] = defaultdict(list)
    for finding in findings:
        row = attached.home.get(id(finding))
        target = f"d{row[0]}-b{row[1]}" if row else ""
        groups[(finding.rule, finding.severity)].append(PanelEntry(finding, target))

    def order(key: tuple[str, str]) -> tuple[str, int]:
        rule, severity = key
        return rule, -SEVERITIES.index(severity) if severity in SEVERITIES else 1

    return [PanelGroup(rule, severity, groups[(rule, severity)]) for rule, severity in sorted(groups, key=order)]
