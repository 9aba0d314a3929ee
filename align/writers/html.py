"""The HTML review report: every bead side by side, coloured by confidence, with the QA findings.

`html_report(alignments, findings, version=...)` returns one HTML file with inline CSS and JavaScript and
nothing fetched from the network (a Content-Security-Policy forbids it). Translators can filter the rows
(untranslated, low confidence, with findings), search them, jump between findings with `n` / `p`, mark
pairs as accepted or rejected and download their decisions as JSON (read back by `align.decisions`).

The page is rendered from the jinja2 templates in align/templates/ (report.html.j2, summary.html.j2,
rows.html.j2; report.css and report.js are inlined as they are). This module only prepares what the
templates show: the counts (`align.stats.bead_stats`), the histogram's geometry and one view per bead.
Autoescaping is on; every value is escaped as `html.escape(quote=True)` does (`&quot;`, `&#x27;`), which
keeps the page byte-identical to the one align wrote before the templates (see `escaped`). In templates,
put text next to markup with adjacent `{{ }}`, not `markup ~ text` or the `join` filter: those escape the
text with markupsafe's `&#34;` and `&#39;`, as safe but other bytes.

The page stays fast with thousands of beads: rows are rendered here, on the server side; the script adds
no listener per row (one delegated listener per event type) and filters by toggling one class per row
whose visibility changes, without reading layout.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2  # only the html format needs it, and align.writers imports this module only for that format
import markupsafe

from align.model import Alignment, Bead, Finding, Segment
from align.stats import BeadStats, bead_stats

if TYPE_CHECKING:
    from align.writers import WriteContext

HIGH = 0.9  # paired beads at or above this confidence are "high" (green)
LOW = 0.5  # below this they are "low" (red); in between "medium" (amber)
BINS = 10  # bars of the confidence histogram
HISTOGRAM_TICKS = (0.0, LOW, HIGH, 1.0)  # labelled on the histogram's axis: its ends and the level thresholds
# The histogram's SVG geometry, in pixels: its size, and the room left, right, under (tick labels) and above the bars.
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_RIGHT, CHART_BOTTOM, CHART_TOP = 330, 150, 30, 4, 24, 16
AXIS_END = CHART_WIDTH - 2  # where the x axis stops
TICK_LABEL_RISE = 8  # tick labels' baseline above the bottom edge
COUNT_LABEL_GAP = 3  # a bar's count above its top
BAR_GAP = 2  # empty space either side of a bar

SEVERITY_ICONS = {"error": "✖", "warning": "⚠", "note": "ℹ"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\x0b|\x0c|\x85|\u2028|\u2029")
_LANG_CODE = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class Level:
    """How a paired bead's confidence is shown: CSS class, icon and words (colour is never the only signal)."""

    css: str
    icon: str
    label: str


LEVELS = {
    "hi": Level("hi", "✓", "high"),
    "mid": Level("mid", "△", "medium"),
    "lo": Level("lo", "✗", "low"),
}


def level(score: float) -> Level:
    """The confidence level of a paired bead: high ≥ HIGH, medium in [LOW, HIGH), low < LOW."""
    if score >= HIGH:
        return LEVELS["hi"]
    return LEVELS["mid"] if score >= LOW else LEVELS["lo"]


def score_label(score: float) -> str:
    """The score truncated (not rounded) to two decimals, so that 0.899 shows as 0.89, never as a "high" 0.90."""
    return f"{math.floor(score * 100 + 1e-9) / 100:.2f}"


# --------------------------------------------------------------------------------------------- public API


class HtmlWriter:
    """`--format html`: one review page for the whole run (out/report.html), never a file per document.

    `corpus` renders the page with `context.findings` (the default check's when None). `document` is the
    page of one document with that document's findings. `concatenate` raises NotImplementedError: two pages
    cannot be joined into one, and the runner never asks (`per_document` is False)."""

    name = "html"
    suffix = ".html"
    per_document = False
    corpus_name = "report.html"

    def document(self, alignment: Alignment, context: WriteContext) -> str:
        name = alignment.document.name
        found = [finding for finding in page_findings([alignment], context) if finding.document == name]
        return html_report([alignment], found, version=context.version)

    def corpus(self, alignments: Sequence[Alignment], context: WriteContext) -> str:
        return html_report(list(alignments), page_findings(alignments, context), version=context.version)

    def concatenate(self, parts: Sequence[str], context: WriteContext) -> str:
        raise NotImplementedError("HTML pages cannot be concatenated: render the corpus page instead")


def page_findings(alignments: Sequence[Alignment], context: WriteContext) -> list[Finding]:
    """The findings the page shows: the context's, or those of the default check."""
    if context.findings is not None:
        return list(context.findings)
    from align.checks import CheckOptions, findings  # imported here: the check is only needed without findings

    return list(findings(list(alignments), CheckOptions()))


def html_report(alignments: list[Alignment], findings: list[Finding], *, version: str) -> str:
    """The whole review report for `alignments` and the `findings` of `align check` on them, as one HTML string."""
    attached, loose = attach_findings(alignments, findings)
    names = [alignment.document.name for alignment in alignments]
    storage_key = hashlib.sha1("\x1f".join(names).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    data = {"version": version, "storageKey": f"align-review:{storage_key}", "high": HIGH, "low": LOW}
    per_document = Counter(finding.document for finding in findings)
    sections = [
        Section(
            index=d,
            alignment=alignment,
            stats=bead_stats([alignment]),
            findings=per_document[alignment.document.name],
            loose=loose.get(alignment.document.name, []),
            rows=[bead_row(d, b, bead, attached.get((d, b), [])) for b, bead in enumerate(alignment.beads)],
        )
        for d, alignment in enumerate(alignments)
    ]
    environment = templates()
    return environment.get_template("report.html.j2").render(
        version=version,
        sections=sections,
        total_beads=sum(len(alignment.beads) for alignment in alignments),
        summary=Summary(sections, bead_stats(alignments), len(findings)),
        chart=histogram(alignments),
        stray=[finding for name, found in loose.items() if name not in names for finding in found],
        data=safe(json_for_script(data)),
        css=safe(asset("report.css")),
        script=safe(asset("report.js")),
    )


# --------------------------------------------------------------------------------------------- templates


def escaped(value: object) -> object:
    """Every {{ value }} of the templates before autoescaping: quotes become html.escape's `&quot;` and `&#x27;`.

    Markup (what macros return) is left alone; so are numbers and text without quotes, for which markupsafe's
    escaping, which follows, gives the same bytes (and faster)."""
    if isinstance(value, markupsafe.Markup) or type(value) in (int, float):
        return value
    text = value if type(value) is str else str(value)
    return markupsafe.Markup(html.escape(text, quote=True)) if '"' in text or "'" in text else text


def safe(text: str) -> markupsafe.Markup:
    """`text` marked as markup the templates output as it is (the page's CSS, script and JSON data)."""
    return markupsafe.Markup(text)


@functools.cache
def templates() -> jinja2.Environment:
    """The report's template environment (align/templates/, autoescaped), made once."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("align", "templates"),
        autoescape=True,
        finalize=escaped,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals.update(
        high=HIGH, low=LOW, levels=LEVELS, plural=plural, coverage=coverage, where=where, severity_icon=severity_icon
    )
    return environment


@functools.cache
def asset(name: str) -> str:
    """The text of align/templates/`name` (report.css, report.js), inlined into the page unchanged."""
    environment = templates()
    assert environment.loader is not None  # the PackageLoader of templates()
    source, _filename, _uptodate = environment.loader.get_source(environment, name)
    return source


def plural(count: int | Sized) -> str:
    """ "s" unless `count` (a number, or the length of a collection) is one."""
    return "" if (count if isinstance(count, int) else len(count)) == 1 else "s"


def json_for_script(value: object) -> str:
    """JSON safe inside a <script> element: "</" and "<!--" cannot end or confuse the element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "\\u003c!--")


def percent(part: int, whole: int) -> str:
    """ "75%" (whole numbers; "–" when there is nothing to count)."""
    return f"{100 * part / whole:.0f}%" if whole else "–"


# --------------------------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Section:
    """One document of the page: its counts, findings (all, and those no row shows) and bead rows."""

    index: int
    alignment: Alignment
    stats: BeadStats
    findings: int  # findings in the document, tied to a row or not
    loose: list[Finding]
    rows: list[Row]


@dataclass(frozen=True)
class Summary:
    """The summary table: a row per document and the whole run's counts."""

    documents: list[Section]
    stats: BeadStats
    findings: int  # every finding, those in documents not on the page included


@dataclass(frozen=True)
class Coverage:
    """The share of one side's sentences that are paired, as the summary shows it."""

    lang: str
    paired: int
    whole: int
    percent: str  # "80%"
    width: str  # the bar's width in percent, "80.0"


def coverage(stats: BeadStats) -> list[Coverage]:
    """The RU and EN coverage of `stats`."""
    sides = (("ru", stats.paired_ru, stats.ru), ("en", stats.paired_en, stats.en))
    return [
        Coverage(lang, paired, whole, percent(paired, whole), f"{100 * paired / whole if whole else 0:.1f}")
        for lang, paired, whole in sides
    ]


@dataclass(frozen=True)
class Bin:
    """One bar of the histogram, its position formatted for the SVG."""

    css: str
    label: str  # "0.9–1.0"
    count: int
    x: str
    y: str
    width: str
    height: str
    text_x: str  # where its count is written
    text_y: str


@dataclass(frozen=True)
class Tick:
    x: str
    label: str


@dataclass(frozen=True)
class Chart:
    """The histogram of paired-bead confidence: BINS bars coloured by level, and the axis."""

    pairs: int
    bins: list[Bin]
    ticks: list[Tick]
    description: str  # the counts in words, for the SVG's aria-label
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_LEFT
    right: int = AXIS_END
    baseline: int = CHART_HEIGHT - CHART_BOTTOM
    tick_y: int = CHART_HEIGHT - TICK_LABEL_RISE


def histogram(alignments: list[Alignment]) -> Chart:
    """Paired-bead confidence in BINS bins, bar heights scaled to the tallest."""
    scores = [bead.score for alignment in alignments for bead in alignment.beads if bead.paired]
    counts = [0] * BINS
    for score in scores:
        counts[min(BINS - 1, max(0, int(score * BINS)))] += 1
    step = (CHART_WIDTH - CHART_LEFT - CHART_RIGHT) / BINS
    tallest = max(counts) or 1
    labels = [f"{i / BINS:.1f}–{(i + 1) / BINS:.1f}" for i in range(BINS)]
    baseline = CHART_HEIGHT - CHART_BOTTOM
    bins = []
    for i, count in enumerate(counts):
        x = CHART_LEFT + i * step
        h = (baseline - CHART_TOP) * count / tallest
        bins.append(
            Bin(
                css=level((i + 0.5) / BINS).css,
                label=labels[i],
                count=count,
                x=f"{x + BAR_GAP:.1f}",
                y=f"{baseline - h:.1f}",
                width=f"{step - 2 * BAR_GAP:.1f}",
                height=f"{h:.1f}",
                text_x=f"{x + step / 2:.1f}",
                text_y=f"{baseline - h - COUNT_LABEL_GAP:.1f}",
            )
        )
    ticks = [Tick(f"{CHART_LEFT + tick * BINS * step:.1f}", f"{tick:g}") for tick in HISTOGRAM_TICKS]
    description = ", ".join(f"{label}: {count}" for label, count in zip(labels, counts, strict=True))
    return Chart(len(scores), bins, ticks, description)


# --------------------------------------------------------------------------------------------- findings


def last_line(segment: Segment) -> int:
    """The 1-based line where `segment` ends."""
    return segment.line + len(_LINE_BREAK.findall(segment.text))


def attach_findings(
    alignments: list[Alignment], findings: Iterable[Finding]
) -> tuple[dict[tuple[int, int], list[Finding]], dict[str, list[Finding]]]:
    """Findings by (document index, bead index) of the rows they point at, and those no row matches, by document.

    A finding belongs to a bead of its document with a sentence in the finding's file whose lines overlap
    the finding's; when the finding quotes text, the sentence must be part of it (two beads on one line
    are then told apart). A passage finding (several sentences) shows on each of its rows.
    """
    index: dict[tuple[str, str, int], list[tuple[int, int, Segment]]] = defaultdict(list)
    for d, alignment in enumerate(alignments):
        for b, bead in enumerate(alignment.beads):
            for segment in bead.ru + bead.en + bead.other:
                for line in range(segment.line, last_line(segment) + 1):
                    index[(alignment.document.name, segment.file, line)].append((d, b, segment))
    attached: dict[tuple[int, int], list[Finding]] = defaultdict(list)
    loose: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        texts = [text for text in (finding.ru, finding.en) if text]
        hits: dict[tuple[int, int], None] = {}
        for line in range(finding.line, max(finding.line, finding.end_line) + 1):
            for d, b, segment in index.get((finding.document, finding.file, line), ()):
                if not texts or any(segment.text in text for text in texts):
                    hits[(d, b)] = None
        for key in hits:
            attached[key].append(finding)
        if not hits:
            loose[finding.document].append(finding)
    return attached, loose


def where(finding: Finding) -> str:
    """ "file:12" or "file:12–14": the lines a finding points at."""
    return f"{finding.file}:{finding.line}" + (f"–{finding.end_line}" if finding.end_line > finding.line else "")


def severity_icon(finding: Finding) -> str:
    return SEVERITY_ICONS.get(finding.severity, "•")


# --------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Row:
    """What the row of one bead shows besides its texts (the template reads those from `bead`)."""

    bead: Bead
    id: str  # "d0-b12"
    classes: str  # "bead pair hi has-f", …
    ru_spans: str  # the [start, end) offsets of its sentences, for the reviewer's decisions
    en_spans: str
    files: str  # the files its sentences come from (a tooltip)
    lines: list[str]  # "ru:12", "en:14–15", "uk:3"
    findings: list[Finding]
    grade: Level | None = None  # paired beads: their confidence level
    score: str = ""  # and its label
    lang: str = ""  # other-language beads: the lang attribute ("und" when the code is not one)
    language: str = ""  # and the language shown ("unidentified" without a code)


def lines_of(segments: Sequence[Segment]) -> str:
    """ "12" or "12–14": the lines `segments` span."""
    first, last = segments[0].line, max(last_line(segment) for segment in segments)
    return str(first) if first == last else f"{first}–{last}"


def spans(segments: Sequence[Segment]) -> str:
    """The [start, end) offsets of `segments` for the page's data attributes, e.g. "0:42,43:90"."""
    return ",".join(f"{segment.start}:{segment.end}" for segment in segments)


def bead_row(doc: int, number: int, bead: Bead, found: list[Finding]) -> Row:
    """The row of bead `number` of document `doc`, with the findings shown under it."""
    lines = [f"{lang}:{lines_of(side)}" for lang, side in (("ru", bead.ru), ("en", bead.en)) if side]
    if bead.other:
        lines.append(f"{bead.other[0].detected or 'other'}:{lines_of(bead.other)}")
    classes = ["bead"]
    extra: dict[str, Any] = {}
    if bead.paired:
        grade = level(bead.score)
        classes += ["pair", grade.css]
        extra.update(grade=grade, score=score_label(bead.score))
    elif bead.other:
        classes.append("oth")
        code = bead.other[0].detected
        extra.update(lang=code if code and _LANG_CODE.fullmatch(code) else "und", language=code or "unidentified")
    else:
        classes.append("untr")
    if found:
        classes.append("has-f")
    return Row(
        bead=bead,
        id=f"d{doc}-b{number}",
        classes=" ".join(classes),
        ru_spans=spans(bead.ru),
        en_spans=spans(bead.en),
        files=", ".join(sorted({segment.file for segment in bead.ru + bead.en + bead.other})),
        lines=lines,
        findings=found,
        **extra,
    )
