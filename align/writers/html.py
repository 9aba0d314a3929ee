"""The HTML review report: every bead side by side, coloured by confidence, with the QA findings.

`html_report(alignments, findings, version=...)` returns one HTML file with inline CSS and JavaScript and
nothing fetched from the network (a Content-Security-Policy forbids it). Translators can filter the rows
(untranslated, low confidence, with findings), search them, jump between findings with `n` / `p`, edit
the alignment (link, merge, split, unlink, mark fine or rejected, undo / redo: report.js, editor.js) and
download the corrected alignment as TMX or CSV, or their decisions as JSON (read back by
`align.decisions`; export.js). Each RU / EN sentence carries its hash (`align.anchors.sentence_hash`),
offsets and line, which is all the editor and the downloads need. With `check=True` it is the page of
`align check --format html`: a findings panel on top (`align.writers.html_findings`).

The page is rendered from the jinja2 templates in align/templates/ (report.html.j2, summary.html.j2,
rows.html.j2, check.html.j2; report.css and the SCRIPTS are inlined as they are). This module only prepares what the
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
from collections import Counter
from collections.abc import Sequence, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2  # only the html format needs it, and align.writers imports this module only for that format
import markupsafe

from align.anchors import sentence_hash, shown_text
from align.model import Alignment, Bead, Finding, Segment
from align.stats import BeadStats, bead_stats
from align.writers.common import score_text
from align.writers.html_findings import Attached, attach_findings, findings_panel, last_line, severity_icon, where

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
LOOSE = Level("mid", "≈", "loose")  # a loose pair (align.loose): paired by place, worth a look, not "low"


def level(score: float) -> Level:
    """The confidence level of a paired bead: high ≥ HIGH, medium in [LOW, HIGH), low < LOW."""
    if score >= HIGH:
        return LEVELS["hi"]
    return LEVELS["mid"] if score >= LOW else LEVELS["lo"]


def score_label(score: float) -> str:
    """The score truncated (not rounded) to two decimals, so that 0.899 shows as 0.89, never as a "high" 0.90."""
    return f"{math.floor(score * 100 + 1e-9) / 100:.2f}"


# --------------------------------------------------------------------------------------------- public API


# The editor's actions on the selected row: (key, button label, action); report.js and editor.js use the same keys.
EDIT_BUTTONS = (
    ("l", "Link", "link"),
    ("Shift+M", "Merge up", "merge-up"),
    ("m", "Merge down", "merge-down"),
    ("s", "Split", "split"),
    ("u", "Unlink", "unlink"),
    ("f", "Fine", "fine"),
    ("r", "Reject", "reject"),
    ("Control+Z", "Undo", "undo"),
    ("Control+Y", "Redo", "redo"),
)
SCRIPTS = ("report.js", "editor.js", "export.js")  # inlined in this order: the filters, the editor, the downloads


class HtmlWriter:
    """`--format html`: one review page for the whole run (out/report.html), never a file per document.

    `corpus` renders the page with `context.findings` (the default check's when None). `document` is the
    page of one document with that document's findings. `concatenate` raises NotImplementedError: two pages
    cannot be joined into one, and the runner never asks (`per_document` is False)."""

    name = "html"
    suffix = ".html"
    per_document = False
    dated = False  # the creation date is not written (align.output_records)
    corpus_name = "report.html"

    def document(self, alignment: Alignment, context: WriteContext) -> str:
        name = alignment.document.name
        found = [finding for finding in page_findings([alignment], context) if finding.document == name]
        return html_report([alignment], found, version=context.version)

    def corpus(self, alignments: Sequence[Alignment], context: WriteContext) -> str:
        return html_report(list(alignments), page_findings(alignments, context), version=context.version)

    def concatenate(self, parts: Sequence[str], context: WriteContext) -> str:
        raise NotImplementedError("HTML pages cannot be concatenated: render the corpus page instead")


def write_check_page(alignments: Sequence[Alignment], findings: Sequence[Finding], out: Path, version: str) -> Path:
    """out/report.html for `align check --format html`: the check page (findings panel, rule filters)."""
    from align.files import write_atomic

    path = out / HtmlWriter.corpus_name
    write_atomic(path, html_report(list(alignments), list(findings), version=version, check=True))
    return path


def page_findings(alignments: Sequence[Alignment], context: WriteContext) -> list[Finding]:
    """The findings the page shows: the context's, or those of the default check."""
    if context.findings is not None:
        return list(context.findings)
    from align.checks import CheckOptions, findings  # imported here: the check is only needed without findings

    return list(findings(list(alignments), CheckOptions()))


def html_report(alignments: list[Alignment], findings: list[Finding], *, version: str, check: bool = False) -> str:
    """The whole review report for `alignments` and the `findings` of `align check` on them, as one HTML string.

    With `check` (`align check --format html`) the page is the check's: a findings panel on top (every
    finding once, grouped by rule and severity, with rule filters and links to the rows). Text the page
    cannot hold as UTF-8 (a lone surrogate: an undecodable byte of a file name) is shown escaped ("\\udcfe")."""
    attached = attach_findings(alignments, findings)
    names = [alignment.document.name for alignment in alignments]
    storage_key = hashlib.sha1("\x1f".join(names).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    per_document = Counter(finding.document for finding in findings)
    sections = [
        Section(
            index=d,
            alignment=alignment,
            stats=bead_stats([alignment]),
            findings=per_document[alignment.document.name],
            loose=attached.loose.get(alignment.document.name, []),
            rows=[bead_row(d, b, bead, attached) for b, bead in enumerate(alignment.beads)],
        )
        for d, alignment in enumerate(alignments)
    ]
    data = {
        "version": version,
        "storageKey": f"align-review:{storage_key}",
        "editsKey": f"align-review:{storage_key}:edits:{layout_key(sections)}",
        "high": HIGH,
        "low": LOW,
    }
    environment = templates()
    page = environment.get_template("report.html.j2").render(
        version=version,
        sections=sections,
        total_beads=sum(len(alignment.beads) for alignment in alignments),
        summary=Summary(sections, bead_stats(alignments), len(findings)),
        chart=histogram(alignments),
        stray=[finding for name, found in attached.loose.items() if name not in names for finding in found],
        panel=findings_panel(findings, attached) if check else None,
        data=safe(json_for_script(data)),
        css=safe(asset("report.css")),
        scripts=[safe(asset(name)) for name in SCRIPTS],
    )
    return shown_text(page)


def layout_key(sections: Sequence[Section]) -> str:
    """A digest of the page's rows as written (each bead's sentences: offsets and hashes): the edits the browser
    keeps are this page's, never made again on a new report of the same documents (one made with the decisions
    has them) nor on another text of the same name."""
    rows = "\x1e".join(
        f"{row.ru_spans}\x1f{row.en_spans}\x1f" + ",".join(s.hash for s in row.ru + row.en)
        for section in sections
        for row in section.rows
    )
    return hashlib.sha1(rows.encode("ascii")).hexdigest()[:16]


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
    environment.globals.update(
        edit_buttons=EDIT_BUTTONS, shortcuts=[(key, label.lower()) for key, label, _ in EDIT_BUTTONS]
    )
    return environment


@functools.cache
def asset(name: str) -> str:
    """The text of align/templates/`name` (report.css and the SCRIPTS), inlined into the page unchanged."""
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


# --------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Sentence:
    """One RU or EN sentence of a row, with what the editor needs: its hash, offsets and first line."""

    text: str
    hash: str
    span: str  # "0:42"
    line: int


@dataclass(frozen=True)
class Row:
    """What the row of one bead shows besides its texts (the template reads those from `bead`)."""

    bead: Bead
    ru: list[Sentence]
    en: list[Sentence]
    id: str  # "d0-b12"
    classes: str  # "bead pair hi has-f", …
    ru_spans: str  # the [start, end) offsets of its sentences, for the reviewer's decisions
    en_spans: str
    files: str  # the files its sentences come from (a tooltip)
    lines: list[str]  # "ru:12", "en:14–15", "uk:3"
    findings: list[Finding]
    grade: Level | None = None  # paired beads: their confidence level
    score: str = ""  # and its label
    exact: str = ""  # and the score as align's TMX and CSV writers write it (the page's downloads use it)
    lang: str = ""  # other-language beads: the lang attribute ("und" when the code is not one)
    language: str = ""  # and the language shown ("unidentified" without a code)


def lines_of(segments: Sequence[Segment]) -> str:
    """ "12" or "12–14": the lines `segments` span."""
    first, last = segments[0].line, max(last_line(segment) for segment in segments)
    return str(first) if first == last else f"{first}–{last}"


def spans(segments: Sequence[Segment]) -> str:
    """The [start, end) offsets of `segments` for the page's data attributes, e.g. "0:42,43:90"."""
    return ",".join(f"{segment.start}:{segment.end}" for segment in segments)


def sentence_views(segments: Sequence[Segment]) -> list[Sentence]:
    return [Sentence(s.text, sentence_hash(s.text), f"{s.start}:{s.end}", s.line) for s in segments]


def bead_row(doc: int, number: int, bead: Bead, attached: Attached) -> Row:
    """The row of bead `number` of document `doc`, with the findings shown under it."""
    found = attached.rows.get((doc, number), [])
    lines = [f"{lang}:{lines_of(side)}" for lang, side in (("ru", bead.ru), ("en", bead.en)) if side]
    if bead.other:
        lines.append(f"{bead.other[0].detected or 'other'}:{lines_of(bead.other)}")
    classes = ["bead"]
    extra: dict[str, Any] = {}
    if bead.paired:
        grade = LOOSE if bead.loose else level(bead.score)
        classes += ["pair", grade.css]
        extra.update(grade=grade, score=score_label(bead.score), exact=score_text(bead.score))
    elif bead.other:
        classes.append("oth")
        code = bead.other[0].detected
        extra.update(lang=code if code and _LANG_CODE.fullmatch(code) else "und", language=code or "unidentified")
    else:
        classes.append("untr")
    if found:
        classes.append("has-f")
    elif (doc, number) in attached.in_passage:
        classes.append("in-psg")  # its passage's finding is under the passage's first row
    return Row(
        bead=bead,
        ru=sentence_views(bead.ru),
        en=sentence_views(bead.en),
        id=f"d{doc}-b{number}",
        classes=" ".join(classes),
        ru_spans=spans(bead.ru),
        en_spans=spans(bead.en),
        files=", ".join(sorted({segment.file for segment in bead.ru + bead.en + bead.other})),
        lines=lines,
        findings=found,
        **extra,
    )
