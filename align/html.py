"""A self-contained HTML review report: every bead side by side, coloured by confidence, with the QA findings.

`html_report(alignments, findings, version=...)` returns one HTML file with inline CSS and JavaScript and
nothing fetched from the network (a Content-Security-Policy forbids it). Translators can filter the rows
(untranslated, low confidence, with findings), search them, jump between findings with `n` / `p`, mark
pairs as accepted or rejected and download their decisions as JSON (read back by `align.decisions`).

The page stays fast with thousands of beads: rows are rendered here, on the server side; the script adds
no listener per row (one delegated listener per event type) and filters by toggling one class per row
whose visibility changes, without reading layout.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from align.model import Alignment, Bead, Finding, Segment

HIGH = 0.9  # paired beads at or above this confidence are "high" (green)
LOW = 0.5  # below this they are "low" (red); in between "medium" (amber)
BINS = 10  # bars of the confidence histogram

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


def html_report(alignments: list[Alignment], findings: list[Finding], *, version: str) -> str:
    """The whole review report for `alignments` and the `findings` of `align check` on them, as one HTML string."""
    attached, loose = attach_findings(alignments, findings)
    names = [alignment.document.name for alignment in alignments]
    storage_key = hashlib.sha1("\x1f".join(names).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    data = {"version": version, "storageKey": f"align-review:{storage_key}", "high": HIGH, "low": LOW}
    total_beads = sum(len(alignment.beads) for alignment in alignments)
    parts = [
        "<!DOCTYPE html>\n",
        '<html lang="en" class="nojs">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
        f'<meta name="generator" content="align {esc(version)}">\n',
        f"<title>align review report: {len(alignments)} document{'s' if len(alignments) != 1 else ''}</title>\n",
        f"<style>{CSS}</style>\n</head>\n<body>\n",
        '<a class="skip" href="#rows-start">Skip to the aligned sentences</a>\n',
        f'<header id="top"><h1>align review report</h1><p class="meta">align {esc(version)} · '
        f"{len(alignments)} document{'s' if len(alignments) != 1 else ''} · {total_beads} rows</p></header>\n",
        '<noscript><p class="note">JavaScript is off: the whole report is below, but filtering, search, '
        "keyboard navigation (n / p) and reviewer decisions need JavaScript.</p></noscript>\n",
        '<main>\n<section aria-labelledby="summary-h" id="summary">\n<h2 id="summary-h">Summary</h2>\n',
        summary_table(alignments, findings),
        '<div class="side-by-side">\n',
        histogram(alignments),
        legend(),
        "</div>\n</section>\n",
        controls(total_beads),
        '<div id="rows-start"></div>\n',
    ]
    per_document = Counter(finding.document for finding in findings)
    for index, alignment in enumerate(alignments):
        name = alignment.document.name
        parts.append(document_section(index, alignment, attached, loose.get(name, []), per_document[name]))
    stray = [finding for name, found in loose.items() if name not in names for finding in found]
    if stray:
        parts.append(
            '<section class="doc" aria-labelledby="stray-h"><h2 id="stray-h">Findings in other documents</h2>'
            + findings_list(stray)
            + "</section>\n"
        )
    parts += [
        "</main>\n",
        f"<footer><p>Made by align {esc(version)}. Thresholds: high ≥ {HIGH}, medium {LOW}–{HIGH}, "
        f'low &lt; {LOW}. <a href="#top">Back to top</a></p></footer>\n',
        f'<script type="application/json" id="align-data">{json_for_script(data)}</script>\n',
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)


# --------------------------------------------------------------------------------------------- helpers


def esc(text: object) -> str:
    """`text` escaped for HTML text and attribute values (quotes included)."""
    return escape(str(text), quote=True)


def json_for_script(value: object) -> str:
    """JSON safe inside a <script> element: "</" and "<!--" cannot end or confuse the element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "\\u003c!--")


def last_line(segment: Segment) -> int:
    """The 1-based line where `segment` ends."""
    return segment.line + len(_LINE_BREAK.findall(segment.text))


def lines_of(segments: Sequence[Segment]) -> str:
    """ "12" or "12–14": the lines `segments` span."""
    first, last = segments[0].line, max(last_line(segment) for segment in segments)
    return str(first) if first == last else f"{first}–{last}"


def spans(segments: Sequence[Segment]) -> str:
    """The [start, end) offsets of `segments` for the page's data attributes, e.g. "0:42,43:90"."""
    return ",".join(f"{segment.start}:{segment.end}" for segment in segments)


def is_untranslated(bead: Bead) -> bool:
    """A one-sided RU or EN bead (a sentence in neither language is not "untranslated")."""
    return not bead.paired and not bead.other


def percent(part: int, whole: int) -> str:
    """ "75%" (whole numbers; "–" when there is nothing to count)."""
    return f"{100 * part / whole:.0f}%" if whole else "–"


# --------------------------------------------------------------------------------------------- findings


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


def findings_list(found: Sequence[Finding]) -> str:
    """A list of findings: severity (icon and word), rule, message, location."""
    items = []
    for finding in found:
        where = f"{finding.file}:{finding.line}" + (f"–{finding.end_line}" if finding.end_line > finding.line else "")
        icon = SEVERITY_ICONS.get(finding.severity, "•")
        items.append(
            f'<li class="sev-{esc(finding.severity)}"><span class="sev"><span aria-hidden="true">{icon}</span> '
            f'{esc(finding.severity)}</span> <code class="rule">{esc(finding.rule)}</code> '
            f'<span class="msg">{esc(finding.message)}</span> <span class="where">{esc(where)}</span></li>'
        )
    return '<ul class="findings">' + "".join(items) + "</ul>"


# --------------------------------------------------------------------------------------------- summary


def document_counts(alignment: Alignment, found: int) -> dict[str, int]:
    """Sentences per side, pairs, untranslated and other-language sentences, paired sentences per side."""
    counts: Counter[str] = Counter(ru=len(alignment.document.ru), en=len(alignment.document.en), findings=found)
    for bead in alignment.beads:
        if bead.paired:
            counts["pairs"] += 1
            counts["paired-ru"] += len(bead.ru)
            counts["paired-en"] += len(bead.en)
        elif bead.other:
            counts["other"] += len(bead.other)
        else:
            counts["untr-ru"] += len(bead.ru)
            counts["untr-en"] += len(bead.en)
    return counts


def summary_table(alignments: list[Alignment], findings: list[Finding]) -> str:
    """One row per document (linking to its section) and a total row."""
    per_document = Counter(finding.document for finding in findings)
    head = (
        '<div class="scroll" role="region" aria-labelledby="summary-caption" tabindex="0">'
        '<table class="summary"><caption id="summary-caption">Sentences, pairs and findings per document '
        "(coverage: share of each side's sentences that are paired)</caption><thead><tr>"
        '<th scope="col">Document</th><th scope="col">RU sentences</th><th scope="col">EN sentences</th>'
        '<th scope="col">Pairs</th><th scope="col">Untranslated RU</th><th scope="col">Untranslated EN</th>'
        '<th scope="col">Other language</th><th scope="col">Findings</th><th scope="col">RU coverage</th>'
        '<th scope="col">EN coverage</th></tr></thead><tbody>'
    )
    rows = []
    total: Counter[str] = Counter()
    for index, alignment in enumerate(alignments):
        counts = document_counts(alignment, per_document.get(alignment.document.name, 0))
        total.update(counts)
        link = f'<a href="#doc-{index}">{esc(alignment.document.name)}</a>'
        rows.append(summary_row(link, counts, ""))
    if len(alignments) != 1:
        total["findings"] = len(findings)
        rows.append(summary_row(f"Total ({len(alignments)} documents)", total, ' class="total"'))
    else:
        rows[0] = rows[0].replace("<tr>", '<tr class="total">', 1)
    return head + "".join(rows) + "</tbody></table></div>\n"


def summary_row(label: str, counts: Counter[str] | dict[str, int], attributes: str) -> str:
    cells = [f'<th scope="row">{label}</th>']
    for key in ("ru", "en", "pairs", "untr-ru", "untr-en", "other", "findings"):
        cells.append(f'<td data-k="{key}">{counts.get(key, 0)}</td>')
    for side in ("ru", "en"):
        paired, whole = counts.get(f"paired-{side}", 0), counts.get(side, 0)
        share = 100 * paired / whole if whole else 0
        cells.append(
            f'<td data-k="cov-{side}"><span class="cov">{percent(paired, whole)}</span> '
            f'<span class="sub">({paired}/{whole})</span>'
            f'<span class="bar" aria-hidden="true"><span style="width:{share:.1f}%"></span></span></td>'
        )
    return f"<tr{attributes}>" + "".join(cells) + "</tr>"


def histogram(alignments: list[Alignment]) -> str:
    """An inline SVG bar chart of paired-bead confidence in BINS bins, coloured and labelled by level."""
    scores = [bead.score for alignment in alignments for bead in alignment.beads if bead.paired]
    counts = [0] * BINS
    for score in scores:
        counts[min(BINS - 1, max(0, int(score * BINS)))] += 1
    width, height, left, bottom, top = 330, 150, 30, 24, 16
    bar = (width - left - 4) / BINS
    tallest = max(counts) or 1
    bins = [f"{i / BINS:.1f}–{(i + 1) / BINS:.1f}" for i in range(BINS)]
    description = ", ".join(f"{label}: {count}" for label, count in zip(bins, counts, strict=True))
    shapes = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 2}" y2="{height - bottom}" class="axis"/>',
    ]
    for i, count in enumerate(counts):
        x = left + i * bar
        h = (height - bottom - top) * count / tallest
        css = level((i + 0.5) / BINS).css
        shapes.append(
            f'<rect class="b-{css}" x="{x + 2:.1f}" y="{height - bottom - h:.1f}" width="{bar - 4:.1f}" '
            f'height="{h:.1f}"><title>{bins[i]}: {count}</title></rect>'
        )
        if count:
            shapes.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom - h - 3:.1f}" text-anchor="middle">{count}</text>'
            )
    for tick in (0, 0.5, 0.9, 1):
        x = left + tick * BINS * bar
        shapes.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{tick:g}</text>')
    return (
        '<figure class="hist"><figcaption>Confidence of the '
        f"{len(scores)} pair{'s' if len(scores) != 1 else ''} ({BINS} bins)</figcaption>"
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="Histogram of pair confidence. {esc(description)}">' + "".join(shapes) + "</svg></figure>\n"
    )


def legend() -> str:
    """What the colours, icons and labels mean; the thresholds are stated."""
    hi, mid, lo = LEVELS["hi"], LEVELS["mid"], LEVELS["lo"]
    return (
        '<div class="legend"><h3>Legend</h3><ul>'
        f'<li><span class="tag hi"><span aria-hidden="true">{hi.icon}</span> high</span> '
        f"confidence ≥ {HIGH}</li>"
        f'<li><span class="tag mid"><span aria-hidden="true">{mid.icon}</span> medium</span> '
        f"{LOW} ≤ confidence &lt; {HIGH}</li>"
        f'<li><span class="tag lo"><span aria-hidden="true">{lo.icon}</span> low</span> confidence &lt; {LOW}</li>'
        '<li><span class="tag untr"><span aria-hidden="true">∅</span> untranslated</span> '
        'one side is empty: <span class="gap-sample">no translation</span></li>'
        '<li><span class="tag oth"><span aria-hidden="true">◇</span> other language</span> '
        "neither Russian nor English, never paired</li>"
        '<li><span class="kind">2-1</span> bead kind: sentences on the RU and EN side</li>'
        "<li>Keys: <kbd>n</kbd> / <kbd>p</kbd> next / previous finding</li>"
        "</ul></div>\n"
    )


def controls(total: int) -> str:
    """The sticky toolbar: filters, search, finding navigation, counts and the decisions download."""
    filters = (
        ("all", "All"),
        ("untr", "Only untranslated"),
        ("lo", f"Only low confidence (&lt; {LOW})"),
        ("f", "Only findings"),
    )
    buttons = "".join(
        f'<button type="button" data-filter="{key}" aria-pressed="{"true" if key == "all" else "false"}">'
        f"{label}</button>"
        for key, label in filters
    )
    return (
        '<div class="controls" role="region" aria-label="Filters and review controls">'
        f'<div class="group" role="group" aria-label="Show rows">{buttons}</div>'
        '<div class="group"><label for="search">Search</label> '
        '<input id="search" type="search" autocomplete="off" spellcheck="false" placeholder="text in either language">'
        "</div>"
        '<div class="group"><button type="button" id="prev-f" aria-keyshortcuts="p">◀ Previous finding (p)</button>'
        '<button type="button" id="next-f" aria-keyshortcuts="n">Next finding (n) ▶</button></div>'
        f'<div class="group"><span id="shown" role="status" aria-live="polite">Showing {total} of {total} rows</span>'
        '<span id="nav-status" aria-live="polite"></span></div>'
        '<div class="group"><button type="button" id="download">Download decisions</button> '
        '<span id="decided" aria-live="polite">0 decisions</span></div>'
        "</div>\n"
    )


# --------------------------------------------------------------------------------------------- rows


def document_section(
    index: int,
    alignment: Alignment,
    attached: dict[tuple[int, int], list[Finding]],
    loose: list[Finding],
    found: int,
) -> str:
    """A document's heading, its files and counts, and its table of beads."""
    document = alignment.document
    counts = document_counts(alignment, 0)
    files = (
        esc(document.ru_file)
        if document.ru_file == document.en_file
        else (f"RU {esc(document.ru_file)} · EN {esc(document.en_file)}")
    )
    total = len(alignment.beads)
    parts = [
        f'<section class="doc" id="doc-{index}" aria-labelledby="doc-{index}-h">',
        f'<h2 id="doc-{index}-h">{esc(document.name)}</h2>',
        f'<p class="meta">{files} · {counts["ru"]} RU / {counts["en"]} EN sentences · {counts["pairs"]} pairs · '
        f"{counts['untr-ru']} RU + {counts['untr-en']} EN untranslated · {found} finding{'s' if found != 1 else ''} · "
        f'<span class="doc-shown" data-total="{total}">{total} of {total} rows shown</span> · '
        '<a href="#top">top</a></p>',
    ]
    if loose:
        parts.append('<div class="loose"><h3>Findings not tied to a row</h3>' + findings_list(loose) + "</div>")
    parts.append(
        f'<div class="beads" role="table" aria-label="Aligned sentences of {esc(document.name)}" '
        f'data-doc="{esc(document.name)}"><div class="bh" role="rowgroup"><div class="r" role="row">'
        '<span class="c" role="columnheader">Lines</span><span class="c" role="columnheader">Russian (RU)</span>'
        '<span class="c" role="columnheader">English (EN)</span><span class="c" role="columnheader">Match</span>'
        "</div></div>"
    )
    parts += [bead_rows(index, b, bead, attached.get((index, b), [])) for b, bead in enumerate(alignment.beads)]
    parts.append("</div></section>\n")
    return "".join(parts)


def sentences(segments: Sequence[Segment]) -> str:
    """Each sentence on its own line."""
    return "".join(f'<span class="s">{esc(segment.text)}</span>' for segment in segments)


def bead_rows(doc: int, number: int, bead: Bead, found: list[Finding]) -> str:
    """One row group per bead: its row and, when it has findings, a row listing them under the texts.

    The table is an ARIA table of CSS grid rows rather than a <table>: each bead can then skip layout
    while off screen (content-visibility), which keeps a report of thousands of beads fast.
    """
    classes = ["bead"]
    lines = []
    if bead.ru:
        lines.append(f"ru:{lines_of(bead.ru)}")
    if bead.en:
        lines.append(f"en:{lines_of(bead.en)}")
    if bead.other:
        code = bead.other[0].detected or "other"
        lines.append(f"{code}:{lines_of(bead.other)}")
    location = "".join(f'<span class="ln">{esc(text)}</span>' for text in lines)
    files = sorted({segment.file for segment in bead.ru + bead.en + bead.other})
    if bead.paired:
        grade = level(bead.score)
        classes += ["pair", grade.css]
        texts = (
            f'<div class="c t ru" role="cell" lang="ru">{sentences(bead.ru)}</div>'
            f'<div class="c t en" role="cell" lang="en">{sentences(bead.en)}</div>'
        )
        status = (
            f'<span class="tag {grade.css}"><span aria-hidden="true">{grade.icon}</span> {grade.label} '
            f"{score_label(bead.score)}</span> "
            f'<span class="kind" title="{len(bead.ru)} RU sentence(s) with {len(bead.en)} EN">{bead.kind}</span>'
            '<span class="decide" role="group" aria-label="Review decision">'
            '<button type="button" class="dec acc-b" data-d="accepted" aria-pressed="false">Accept</button>'
            '<button type="button" class="dec rej-b" data-d="rejected" aria-pressed="false">Reject</button></span>'
        )
    elif bead.other:
        classes.append("oth")
        code = bead.other[0].detected
        lang = code if code and _LANG_CODE.fullmatch(code) else "und"
        name = code or "unidentified"
        texts = (
            f'<div class="c t oth" role="cell" aria-colspan="2" lang="{esc(lang)}"><span class="olang" lang="en">'
            f"other language: {esc(name)}</span>{sentences(bead.other)}</div>"
        )
        status = f'<span class="tag oth"><span aria-hidden="true">◇</span> other language ({esc(name)})</span>'
    else:
        classes.append("untr")
        # The empty side: its label is English text, hence lang="en" on both sides' gaps.
        if bead.ru:
            gap = '<div class="c gap en" role="cell" lang="en"><span class="none">no translation</span></div>'
            texts = f'<div class="c t ru" role="cell" lang="ru">{sentences(bead.ru)}</div>{gap}'
        else:
            gap = '<div class="c gap ru" role="cell" lang="en"><span class="none">no translation</span></div>'
            texts = f'{gap}<div class="c t en" role="cell" lang="en">{sentences(bead.en)}</div>'
        status = (
            '<span class="tag untr"><span aria-hidden="true">∅</span> untranslated</span> '
            f'<span class="kind">{bead.kind}</span>'
        )
    if found:
        classes.append("has-f")
    row = (
        f'<div class="{" ".join(classes)}" id="d{doc}-b{number}" role="rowgroup" data-ru="{spans(bead.ru)}" '
        f'data-en="{spans(bead.en)}"><div class="r row" role="row" tabindex="-1">'
        f'<div class="c loc" role="cell" title="{esc(", ".join(files))}">{location}</div>{texts}'
        f'<div class="c st" role="cell">{status}</div></div>'
    )
    if found:
        row += (
            '<div class="r fnd" role="row"><div class="c" role="cell" aria-colspan="3">'
            f"{findings_list(found)}</div></div>"
        )
    return row + "</div>"


# --------------------------------------------------------------------------------------------- page assets

CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--focus:#0b57d0;
--hi-bg:#dafbe1;--hi-fg:#116329;--hi-bd:#2da44e;--mid-bg:#fff1c2;--mid-fg:#6f4400;--mid-bd:#bf8700;
--lo-bg:#ffe3e0;--lo-fg:#a40e26;--lo-bd:#cf222e;--un-bg:#eef1f6;--un-fg:#2f3f56;--un-bd:#6e7f99;
--oth-bg:#f3ecff;--oth-fg:#5a32a3;--oth-bd:#8250df}
*{box-sizing:border-box}
html{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--fg);
background:var(--bg)}
body{margin:0 auto;padding:0 1rem 2rem;max-width:1400px}
h1{font-size:1.5rem;margin:.8rem 0 .2rem}h2{font-size:1.2rem;margin:1.4rem 0 .3rem}h3{font-size:1rem;margin:.3rem 0}
.meta{color:var(--muted);margin:.2rem 0 .6rem;overflow-wrap:anywhere}
a{color:#0550ae}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem;z-index:9}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.note{border:2px solid var(--mid-bd);background:var(--mid-bg);padding:.5rem .8rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse}
.summary{margin:.3rem 0 1rem;font-variant-numeric:tabular-nums}
.summary caption{text-align:left;color:var(--muted);padding:.2rem 0}
.summary th,.summary td{border:1px solid var(--line);padding:.25rem .5rem;text-align:right;vertical-align:top}
.summary th[scope=row],.summary thead th{text-align:left}
.summary thead th{background:#f6f8fa;font-weight:600}
.summary tr.total{font-weight:600;background:#f6f8fa}
.summary .sub{color:var(--muted);font-weight:400}
.bar{display:block;height:5px;background:#e6e9ee;margin-top:3px;min-width:4rem}
.bar span{display:block;height:100%;background:#0969da}
.side-by-side{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
.hist{margin:0}.hist figcaption{font-weight:600;margin-bottom:.2rem}
.hist svg{max-width:100%;height:auto;font-size:11px;fill:var(--fg)}
.hist .axis{stroke:var(--muted)}
.b-hi{fill:var(--hi-bd)}.b-mid{fill:var(--mid-bd)}.b-lo{fill:var(--lo-bd)}
.legend ul{list-style:none;margin:0;padding:0}.legend li{margin:.25rem 0}
.tag{display:inline-block;border:1px solid;border-radius:3px;padding:0 .35rem;font-weight:600;white-space:nowrap;
font-variant-numeric:tabular-nums}
.tag.hi{background:var(--hi-bg);color:var(--hi-fg);border-color:var(--hi-bd)}
.tag.mid{background:var(--mid-bg);color:var(--mid-fg);border-color:var(--mid-bd)}
.tag.lo{background:var(--lo-bg);color:var(--lo-fg);border-color:var(--lo-bd)}
.tag.untr{background:var(--un-bg);color:var(--un-fg);border-color:var(--un-bd)}
.tag.oth{background:var(--oth-bg);color:var(--oth-fg);border-color:var(--oth-bd);white-space:normal}
.kind{display:inline-block;border-radius:999px;background:#24292f;color:#fff;font-size:.8rem;padding:0 .45rem;
margin-left:.2rem;font-variant-numeric:tabular-nums}
.gap-sample,.none{font-style:italic;color:var(--un-fg)}
kbd{border:1px solid var(--line);border-bottom-width:2px;border-radius:3px;padding:0 .3rem;font-size:.85em}
.controls{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem 0;margin:.5rem 0;
background:var(--bg);border-bottom:1px solid var(--line);z-index:5}
.nojs .controls,.nojs .decide{display:none}
.group{display:flex;flex-wrap:wrap;gap:.3rem;align-items:center}
button{font:inherit;font-size:.9rem;padding:.2rem .6rem;border:1px solid #8c959f;border-radius:4px;background:#f6f8fa;
color:var(--fg);cursor:pointer}
button:hover{background:#eaeef2}
button[aria-pressed=true]{background:#24292f;color:#fff;border-color:#24292f}
input[type=search]{font:inherit;padding:.2rem .4rem;border:1px solid #8c959f;border-radius:4px;width:16rem;
max-width:100%}
#shown{font-weight:600}#nav-status{color:var(--muted)}
.beads{margin-bottom:1rem;border-bottom:1px solid var(--line)}
.beads .r{display:grid;grid-template-columns:6.5rem minmax(0,1fr) minmax(0,1fr) 13.5rem}
.bh{position:sticky;top:0;z-index:2;background:#f6f8fa;border-bottom:2px solid var(--line);font-weight:600;
border-left:6px solid transparent}
.c{padding:.35rem .5rem;overflow-wrap:anywhere;min-width:0}
.bead{content-visibility:auto;contain-intrinsic-size:auto 4.5rem;border-top:1px solid var(--line);
border-left:6px solid transparent}
.bead.off{display:none}
.doc,.bead{scroll-margin-top:calc(var(--bar,0px) + 3rem)}
.c.loc{font-size:.8rem;color:var(--muted);font-variant-numeric:tabular-nums}
.ln{display:block;white-space:nowrap}
.s{display:block}.s+.s{margin-top:.3rem;padding-top:.3rem;border-top:1px dashed var(--line)}
.bead.hi{border-left-color:var(--hi-bd)}.bead.hi .st{background:var(--hi-bg)}
.bead.mid{border-left-color:var(--mid-bd)}.bead.mid .st{background:var(--mid-bg)}
.bead.lo{border-left-color:var(--lo-bd)}.bead.lo .st{background:var(--lo-bg)}
.bead.untr{border-left-color:var(--un-bd)}
.bead.oth{border-left-color:var(--oth-bd)}
.c.t.oth{grid-column:2/4}
.c.gap{background:repeating-linear-gradient(135deg,var(--un-bg) 0 8px,#fff 8px 16px);
outline:2px dashed var(--un-bd);outline-offset:-4px;align-self:start;min-height:2.2rem}
.olang{display:block;font-size:.8rem;font-weight:600;color:var(--oth-fg)}
.decide{display:flex;gap:.3rem;margin-top:.35rem}
.dec{font-size:.8rem;padding:.1rem .5rem}
.dec.acc-b[aria-pressed=true]{background:var(--hi-fg);border-color:var(--hi-fg)}
.dec.rej-b[aria-pressed=true]{background:var(--lo-fg);border-color:var(--lo-fg)}
.dec[aria-pressed=true]::before{content:"✓ "}
.bead.acc .t{box-shadow:inset 3px 0 0 var(--hi-bd)}
.bead.rej .t{text-decoration:line-through;text-decoration-color:var(--lo-bd);color:var(--muted)}
.row:focus{outline:3px solid var(--focus);outline-offset:-3px}
.row:focus .c:not(.st):not(.gap){background-color:#e8f0fe}
.fnd .c{grid-column:2/-1;padding-top:0}
.findings{margin:0;padding:0;list-style:none;font-size:.88rem}
.findings li{margin:.15rem 0;padding:.15rem .4rem;border-left:4px solid var(--mid-bd);background:#fffbea}
.findings li.sev-error{border-left-color:var(--lo-bd);background:#fff5f4}
.findings li.sev-note{border-left-color:var(--un-bd);background:var(--un-bg)}
.sev{font-weight:700;text-transform:uppercase;font-size:.75rem}
.rule{font-size:.8rem;background:#eff2f5;padding:0 .25rem;border-radius:3px}
.where{color:var(--muted);font-size:.8rem;white-space:nowrap}
.loose{margin:.4rem 0}
footer{color:var(--muted);border-top:1px solid var(--line);margin-top:2rem}
@media (min-width:701px){.controls{position:sticky;top:0}.bh{top:var(--bar,0px)}}
@media (max-width:700px){
body{padding:0 .5rem 1rem}
.beads .r{grid-template-columns:minmax(0,1fr)}
.bh{display:none}
.bead{border-top:2px solid var(--line)}
.c.loc{display:flex;gap:.8rem}
.c.ru::before,.c.en::before{display:block;font-size:.75rem;font-weight:700;color:var(--muted)}
.c.ru::before{content:"RU"}.c.en::before{content:"EN"}
.c.t.oth,.fnd .c{grid-column:auto}
input[type=search]{width:100%}
}
@media print{.controls,.decide,.skip{display:none}.bh{position:static}.bead{content-visibility:visible}}
"""

SCRIPT = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("nojs");
  root.classList.add("js");
  var config = JSON.parse(document.getElementById("align-data").textContent);
  var beads = Array.prototype.slice.call(document.querySelectorAll(".bead"));
  var count = beads.length;
  var tables = Array.prototype.slice.call(document.querySelectorAll(".beads"));
  var docOf = new Int32Array(count), untr = new Uint8Array(count), low = new Uint8Array(count);
  var hasF = new Uint8Array(count), shown = new Uint8Array(count), indexOf = new Map();
  var texts = null, filter = "all", query = "", current = -1;
  var t, i, d;
  for (t = 0, i = 0; t < tables.length; t++) {
    var bodies = tables[t].querySelectorAll(".bead");
    for (d = 0; d < bodies.length; d++, i++) { docOf[i] = t; }
  }
  for (i = 0; i < count; i++) {
    var c = beads[i].classList;
    untr[i] = c.contains("untr") ? 1 : 0;
    low[i] = c.contains("lo") ? 1 : 0;
    hasF[i] = c.contains("has-f") ? 1 : 0;
    shown[i] = 1;
    indexOf.set(beads[i].id, i);
  }
  var shownLabel = document.getElementById("shown");
  var navLabel = document.getElementById("nav-status");
  var decidedLabel = document.getElementById("decided");
  var docLabels = Array.prototype.slice.call(document.querySelectorAll(".doc-shown"));
  var search = document.getElementById("search");

  function searchTexts() {
    if (!texts) {
      texts = new Array(count);
      for (var k = 0; k < count; k++) {
        var cells = beads[k].firstElementChild.querySelectorAll(".t"), parts = [];
        for (var m = 0; m < cells.length; m++) { parts.push(cells[m].textContent); }
        texts[k] = parts.join("\n").toLowerCase();
      }
    }
    return texts;
  }

  function keep(k) {
    if (filter === "untr" && !untr[k]) { return false; }
    if (filter === "lo" && !low[k]) { return false; }
    if (filter === "f" && !hasF[k]) { return false; }
    return !query || texts[k].indexOf(query) !== -1;
  }

  function apply() {
    if (query) { searchTexts(); }
    var perDoc = new Int32Array(tables.length), total = 0;
    for (var k = 0; k < count; k++) {
      var ok = keep(k) ? 1 : 0;
      if (ok !== shown[k]) { beads[k].classList.toggle("off", !ok); shown[k] = ok; }
      if (ok) { total++; perDoc[docOf[k]]++; }
    }
    shownLabel.textContent = "Showing " + total + " of " + count + " rows";
    for (var j = 0; j < docLabels.length; j++) {
      docLabels[j].textContent = perDoc[j] + " of " + docLabels[j].getAttribute("data-total") + " rows shown";
    }
  }

  function setFilter(button) {
    filter = button.getAttribute("data-filter");
    var all = document.querySelectorAll("[data-filter]");
    for (var k = 0; k < all.length; k++) { all[k].setAttribute("aria-pressed", String(all[k] === button)); }
    apply();
  }

  var pending = 0;
  search.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { query = search.value.trim().toLowerCase(); apply(); }, 60);
  });

  function go(step) {
    var start = current;
    var active = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".bead") : null;
    if (active && indexOf.has(active.id)) { start = indexOf.get(active.id); }
    if (start < 0 && step < 0) { start = count; }
    for (var n = 1; n <= count; n++) {
      var k = ((start + step * n) % count + count) % count;
      if (hasF[k] && shown[k]) {
        current = k;
        var row = beads[k].firstElementChild;
        row.focus({preventScroll: true});
        row.scrollIntoView({block: "center"});
        var rank = 0, all = 0;
        for (var m = 0; m < count; m++) { if (hasF[m] && shown[m]) { all++; if (m <= k) { rank++; } } }
        navLabel.textContent = "Finding row " + rank + " of " + all;
        return;
      }
    }
    navLabel.textContent = "No findings among the rows shown";
  }

  // ---- reviewer decisions (kept in this browser's localStorage until downloaded)
  var decisions = new Map();
  function parseSpans(text) {
    if (!text) { return []; }
    return text.split(",").map(function (p) { var q = p.split(":"); return [Number(q[0]), Number(q[1])]; });
  }
  function keyOf(body) {
    return body.closest(".beads").getAttribute("data-doc") + "\u001f" + body.getAttribute("data-ru") + "\u001f" +
      body.getAttribute("data-en");
  }
  function show(body, decision) {
    body.classList.toggle("acc", decision === "accepted");
    body.classList.toggle("rej", decision === "rejected");
    var buttons = body.querySelectorAll("button.dec");
    for (var k = 0; k < buttons.length; k++) {
      buttons[k].setAttribute("aria-pressed", String(buttons[k].getAttribute("data-d") === decision));
    }
  }
  function store() {
    var saved = {};
    decisions.forEach(function (value, id) { saved[keyOf(beads[indexOf.get(id)])] = value; });
    try { localStorage.setItem(config.storageKey, JSON.stringify(saved)); } catch (e) { /* storage off */ }
    var n = decisions.size;
    decidedLabel.textContent = n + (n === 1 ? " decision" : " decisions");
  }
  function decide(button) {
    var body = button.closest(".bead"), decision = button.getAttribute("data-d");
    if (decisions.get(body.id) === decision) { decisions.delete(body.id); decision = ""; }
    else { decisions.set(body.id, decision); }
    show(body, decision);
    store();
  }
  function restore() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(config.storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved) { return; }
    for (var k = 0; k < count; k++) {
      var body = beads[k], value = body.classList.contains("pair") ? saved[keyOf(body)] : undefined;
      if (value === "accepted" || value === "rejected") { decisions.set(body.id, value); show(body, value); }
    }
    if (decisions.size) { store(); decidedLabel.textContent += " (restored)"; }
  }
  function download() {
    var list = [];
    for (var k = 0; k < count; k++) {
      var body = beads[k], value = decisions.get(body.id);
      if (!value) { continue; }
      list.push({document: body.closest(".beads").getAttribute("data-doc"),
                 ru: parseSpans(body.getAttribute("data-ru")), en: parseSpans(body.getAttribute("data-en")),
                 decision: value});
    }
    var text = JSON.stringify({version: 1, tool: "align", decisions: list}, null, 1) + "\n";
    var url = URL.createObjectURL(new Blob([text], {type: "application/json"}));
    var link = document.createElement("a");
    link.href = url;
    link.download = "decisions.json";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ---- one delegated listener per event type, none per row
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) { return; }
    if (button.classList.contains("dec")) { decide(button); }
    else if (button.hasAttribute("data-filter")) { setFilter(button); }
    else if (button.id === "download") { download(); }
    else if (button.id === "next-f") { go(1); }
    else if (button.id === "prev-f") { go(-1); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target, tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) { return; }
    if (event.key === "n") { event.preventDefault(); go(1); }
    else if (event.key === "p") { event.preventDefault(); go(-1); }
  });
  var bar = document.querySelector(".controls");
  function barHeight() { root.style.setProperty("--bar", bar.offsetHeight + "px"); }
  window.addEventListener("resize", barHeight);
  barHeight();
  restore();
})();
"""
