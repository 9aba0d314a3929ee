"""The rules of `align check`: a registry of one rule (or rule family) per module, imported on first use.

    from align.checks import CheckOptions, findings
    found = findings(alignments, CheckOptions(require="both"))

`RULES` (rule id → `Rule`) is the single list of rules: `findings` runs them, align.report takes their
descriptions for SARIF, `rules_markdown` writes the README's table and `rules_help` the `--help` list.
A new rule is one new module with a function `(alignment, options) -> list[Finding]` (or
`(alignments, options)` for a rule judged across documents) plus one `Rule` line below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from align.model import SEVERITIES, Alignment, Finding

if TYPE_CHECKING:
    from align.checks.options import CheckOptions

DEFAULT_MIN_CONFIDENCE = 0.5  # pairs aligned with less confidence are low-confidence findings
DEFAULT_LENGTH_RATIO_Z = 3.0  # |z| of a pair's log length ratio, within its document, above which it is reported
# the fields of a row of align.checks.consistency.paired_texts its two rules group by (Rule.grouped_by)
PAIRED_SOURCE_KEY, PAIRED_TRANSLATION_KEY = 7, 8


@dataclass(frozen=True)
class Rule:
    """One rule of `align check`: what it is called, how severe its findings are and where it is implemented."""

    id: str  # e.g. "number-mismatch": Finding.rule, SARIF ruleId
    severity: str  # one of SEVERITIES, given to every finding of the rule
    description: str  # one sentence: SARIF shortDescription and the `--help` list
    function: str  # "module:function" returning the rule's findings, imported when the rule first runs
    per_document: bool = True  # function(alignment, options) per document; False: function(alignments, options)
    details: str = ""  # what a finding means, in Markdown, for the README's table (the description when empty)
    # A rule across documents may also be judged from what it needs of each document, so that a re-check reads
    # unchanged documents' parts from the cache (align.findings_cache) instead of their sentences and beads:
    summary: str = ""  # "module:function": (alignment, options) -> a JSON value, that document's part
    from_summaries: str = ""  # "module:function": (every document's part, options) -> the rule's findings
    # (key, other): the findings come only from groups of rows (a part's last element) sharing row[key], non-empty,
    # with more than one distinct row[other], so from_summaries may be given only those (align.summary_index)
    grouped_by: tuple[int, int] | tuple[()] = ()

    def load(self) -> Callable[[Any, CheckOptions], list[Finding]]:
        """The function implementing the rule, imported from its module."""
        from align.plugins import loaded

        return loaded(self.function)


def _registry(*rules: Rule) -> dict[str, Rule]:
    """`rules` by id, in order; ids must be unique and severities known."""
    registry: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in registry or rule.severity not in SEVERITIES:
            raise ValueError(f"rule {rule.id!r}: duplicate id or unknown severity {rule.severity!r}")
        registry[rule.id] = rule
    return registry


RULES: dict[str, Rule] = _registry(
    Rule(
        "untranslated",
        "error",
        "A sentence has no counterpart in the other language.",
        "align.checks.untranslated:untranslated_passages",
        details="a passage (consecutive sentences of one paragraph) with no counterpart on the required side",
    ),
    Rule(
        "untranslated-page",
        "error",
        "A page of a two-language tree has no counterpart in the other language.",
        "align.checks.pages:untranslated_pages",
        details="a page of a two-language docs tree (`docs/en/x.md` without `docs/ru/x.md`) on the required side",
    ),
    Rule(
        "loose-translation",
        "note",
        "Text paired only paragraph by paragraph, or facing unpaired text: probably a free translation.",
        "align.checks.untranslated:loose_translations",
        details="a paragraph pair the aligner could only pair by its place between two pairs (a loose bead), or a "
        "passage facing unpaired text of the other language there: a free translation to look at, not an omission",
    ),
    Rule(
        "other-language",
        "warning",
        "A sentence is in neither Russian nor English (e.g. Ukrainian, Belarusian, German).",
        "align.checks.untranslated:other_language_passages",
        details="text in a third language (Ukrainian, German, …), never paired",
    ),
    Rule(
        "low-confidence",
        "warning",
        "A sentence pair was aligned with a confidence below the threshold.",
        "align.checks.confidence:low_confidence_pairs",
        details=f"a pair whose confidence is below `--min-confidence` ({DEFAULT_MIN_CONFIDENCE})",
    ),
    Rule(
        "number-mismatch",
        "warning",
        "A sentence and its translation contain different numbers.",
        "align.checks.numbers:number_mismatches",
        details="numbers differ (`1 апреля`/`April 1`, `23:00`, `2022 г.`, `1 000`/`1,000`, `%` are normalised)",
    ),
    Rule(
        "missing-token",
        "warning",
        "A token that should carry over unchanged (URL, e-mail, code) is missing from the translation.",
        "align.checks.tokens:missing_token_pairs",
        details="a footnote marker, URL, e-mail or Latin-script name on one side only",
    ),
    Rule(
        "length-ratio",
        "warning",
        "A sentence pair's length ratio is an outlier for its document.",
        "align.checks.length:length_ratio_outliers",
        details="the length ratio is far outside the document's own distribution",
    ),
    Rule(
        "copy",
        "warning",
        "The translation is a copy of the source text.",
        "align.checks.copies:copied_pairs",
        details='the "translation" is a copy of the source',
    ),
    Rule(
        "inconsistent-translation",
        "warning",
        "The same sentence is translated differently in different places.",
        "align.checks.consistency:inconsistent_translations",
        per_document=False,
        summary="align.checks.consistency:paired_texts",
        from_summaries="align.checks.consistency:inconsistent_of_summaries",
        grouped_by=(PAIRED_SOURCE_KEY, PAIRED_TRANSLATION_KEY),
        details="one source sentence translated differently in different places (every location listed)",
    ),
    Rule(
        "shared-translation",
        "warning",
        "Different sentences share the same translation.",
        "align.checks.consistency:shared_translations",
        per_document=False,
        summary="align.checks.consistency:paired_texts",
        from_summaries="align.checks.consistency:shared_of_summaries",
        grouped_by=(PAIRED_TRANSLATION_KEY, PAIRED_SOURCE_KEY),
        details="two source sentences sharing one translation (every location listed)",
    ),
    Rule(
        "glossary",
        "warning",
        "A glossary term is not translated as the glossary requires.",
        "align.checks.glossary:glossary_violations",
        details="a glossary term (any Russian word form) not rendered with its required English term",
    ),
)


def severity_of(rule: str) -> str:
    """The severity of the findings of rule `rule` (an id of RULES)."""
    return RULES[rule].severity


# --------------------------------------------------------------------------------- running the rules


def findings(alignments: list[Alignment], options: CheckOptions) -> list[Finding]:
    """Every finding of every rule of RULES, without duplicates, in `sorted_findings` order."""
    found: list[Finding] = []
    for rule in RULES.values():
        function = rule.load()
        if rule.per_document:
            found += [finding for alignment in alignments for finding in function(alignment, options)]
        else:
            found += function(alignments, options)
    return sorted_findings(dict.fromkeys(found))


def severity_rank(severity: str) -> int:
    """Position of `severity` in SEVERITIES (note 0 < warning 1 < error 2); unknown severities rank as error."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES) - 1


def sort_key(finding: Finding) -> tuple:
    """File, line, end line, most severe first, rule, message, texts; then document, related lines and language,
    so that no two different findings tie."""
    return (
        finding.file,
        finding.line,
        finding.end_line,
        -severity_rank(finding.severity),
        finding.rule,
        finding.message,
        finding.ru,
        finding.en,
        finding.document,
        finding.related,
        finding.lang,
    )


def sorted_findings(found: Iterable[Finding]) -> list[Finding]:
    """`found` in the one order every output uses (`sort_key`); duplicates are kept."""
    return sorted(found, key=sort_key)


# --------------------------------------------------------------------------------- documenting the rules


def rules_markdown() -> str:
    """The rules as a Markdown table (rule, severity, what it means), one row per rule, for the README."""
    rows = ["| rule | severity | what it means |", "|---|---|---|"]
    for rule in RULES.values():
        meaning = (rule.details or rule.description).replace("|", "\\|")
        rows.append(f"| `{rule.id}` | {rule.severity} | {meaning} |")
    return "\n".join(rows) + "\n"


def rules_help() -> str:
    """The rules as plain text, one "  id  severity  description" line each, for `align check --help`
    (click rewraps a paragraph unless a line holding only "\\b" precedes it)."""
    id_width = max(len(rule.id) for rule in RULES.values())
    severity_width = max(len(rule.severity) for rule in RULES.values())
    lines = ["Rules:"]
    for rule in RULES.values():
        lines.append(f"  {rule.id.ljust(id_width)}  {rule.severity.ljust(severity_width)}  {rule.description}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------- lazily imported names

_LAZY = {"CheckOptions": "align.checks.options", "read_glossary": "align.checks.glossary"}


def __getattr__(name: str) -> Any:
    """`CheckOptions` and `read_glossary`, imported on first use (align.report, which they need, imports RULES)."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RULES",
    "CheckOptions",
    "Rule",
    "findings",
    "read_glossary",
    "rules_help",
    "rules_markdown",
    "severity_of",
    "sort_key",
    "sorted_findings",
]
