"""The HTML review report (align/writers/html.py, align/templates/) and reviewer decisions (align/decisions.py).

Unit tests build alignments by hand; the end-to-end tests align the repository's seeds with the real
pipeline and encoder, open the report in headless Chromium through Playwright and use it as a reviewer
would (filters, search, n/p, Reject, Download), then apply the downloaded decisions.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from align.decisions import apply_decisions, read_decisions
from align.model import Alignment, Bead, Document, Finding, Segment
from align.writers import WriteContext, writer_for
from align.writers.html import HIGH, LOW, HtmlWriter, html_report, json_for_script, level, score_label
from tests.browser import chromium

browser = chromium.browser  # the fixture


# --------------------------------------------------------------------------------------------- helpers


class Texts:
    """Builds a RU and an EN "file" sentence by sentence, one sentence per line, with true offsets."""

    def __init__(self, name: str) -> None:
        self.document = Document(name, f"{name}.ru.txt", f"{name}.en.txt")
        self.text: dict[str, str] = {}

    def sentence(self, lang: str, text: str, detected: str = "") -> Segment:
        file = self.document.en_file if lang in ("en", "other") else self.document.ru_file
        before = self.text.get(file, "")
        segment = Segment(file, len(before), len(before) + len(text), before.count("\n") + 1, text, lang, 0, detected)
        self.text[file] = before + text + "\n"
        {"ru": self.document.ru, "en": self.document.en, "other": self.document.other}[lang].append(segment)
        return segment


def small_alignment() -> Alignment:
    """Every kind of bead: 1-1 at each confidence level, 2-1, 1-0, 0-1 and a Ukrainian sentence."""
    t = Texts("small & <doc>")
    beads = [
        Bead(
            (t.sentence("ru", "Павел Латушко о диктаторе."),),
            (t.sentence("en", "Pavel Latushka on the dictator."),),
            0.97,
        ),
        Bead(
            (t.sentence("ru", "Первая часть."), t.sentence("ru", "Вторая часть.")),
            (t.sentence("en", "Both parts."),),
            0.72,
        ),
        Bead((t.sentence("ru", "Цена 15%."),), (t.sentence("en", "The price is <script>alert(1)</script>."),), 0.31),
        Bead((t.sentence("ru", "Без перевода."),), (), 0.0),
        Bead((), (t.sentence("en", "No Russian here."),), 0.0),
        Bead((), (), 0.0, other=(t.sentence("other", "Привіт, як справи?", detected="uk"),)),
    ]
    return Alignment(t.document, beads)


def synthetic_alignment(count: int, name: str = "big") -> Alignment:
    """`count` beads of every kind (for the 5,000-bead timing and the decisions invariants)."""
    t = Texts(name)
    beads: list[Bead] = []
    for i in range(count):
        kind = i % 10
        if kind in (0, 1, 2, 3):
            score = (0.95, 0.7, 0.3, 0.91)[kind]
            beads.append(
                Bead((t.sentence("ru", f"Предложение номер {i}."),), (t.sentence("en", f"Sentence {i}."),), score)
            )
        elif kind == 4:
            ru = (t.sentence("ru", f"Первая половина {i}."), t.sentence("ru", f"Вторая половина {i}."))
            beads.append(Bead(ru, (t.sentence("en", f"Both halves {i}."),), 0.85))
        elif kind in (5, 6):
            beads.append(Bead((), (t.sentence("en", f"Only English {i}."),), 0.0))
        elif kind == 7:
            beads.append(Bead((t.sentence("ru", f"Только по-русски {i}."),), (), 0.0))
        elif kind == 8:
            beads.append(Bead((), (), 0.0, other=(t.sentence("other", f"Тільки українською {i}.", detected="uk"),)))
        else:
            beads.append(Bead((t.sentence("ru", f"Ещё {i}."),), (t.sentence("en", f"More {i}."),), 0.55))
    return Alignment(t.document, beads)


def finding_on(alignment: Alignment, bead: Bead, rule: str = "low-confidence") -> Finding:
    segment = bead.en[0] if bead.en else bead.ru[0]
    return Finding(
        rule=rule,
        severity="warning",
        document=alignment.document.name,
        file=segment.file,
        line=segment.line,
        end_line=segment.line,
        message=f"{rule} <b>here</b>",
        ru=" ".join(s.text for s in bead.ru),
        en=" ".join(s.text for s in bead.en),
    )


class Elements(HTMLParser):
    """Collects (tag, attributes) of every start tag."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(page)
    return parser.tags


def sentences_of(alignment: Alignment, lang: str) -> list[Segment]:
    return [segment for bead in alignment.beads for segment in (bead.ru if lang == "ru" else bead.en)]


# --------------------------------------------------------------------------------------------- the page


def test_page_makes_no_network_references() -> None:
    alignment = small_alignment()
    page = html_report([alignment], [finding_on(alignment, alignment.beads[2])], version="1.2.3")
    assert "http://" not in page and "https://" not in page
    for tag, attributes in elements(page):
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            value = attributes.get(name) or ""
            assert not re.match(r"\s*(?:[a-z][a-z0-9+.-]*:|//)", value, re.IGNORECASE), (tag, name, value)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page  # the Content-Security-Policy forbids any fetch


def test_url_in_a_sentence_is_text_not_a_reference() -> None:
    t = Texts("urls")
    bead = Bead(
        (t.sentence("ru", "См. https://example.org/ru."),), (t.sentence("en", "See https://example.org/en."),), 0.9
    )
    page = html_report([Alignment(t.document, [bead])], [], version="1")
    assert "See https://example.org/en." in page
    for _tag, attributes in elements(page):
        assert not any("example.org" in (value or "") for value in attributes.values())


def test_sentence_text_is_escaped() -> None:
    alignment = small_alignment()
    page = html_report([alignment], [finding_on(alignment, alignment.beads[2])], version="<v>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert page.count("<script") == 2  # the JSON data block and the page's own script
    assert "small &amp; &lt;doc&gt;" in page and "<doc>" not in page
    assert "low-confidence &lt;b&gt;here&lt;/b&gt;" in page
    assert "align &lt;v&gt;" in page


def special_alignment() -> Alignment:
    """A pair and an other-language bead whose every text (names, sentences, language code) is HTML-special."""
    t = Texts('Q&A "quoted" <doc>')
    beads = [
        Bead(
            (t.sentence("ru", "Цена <b>15%</b> & «кавычки»."),),
            (t.sentence("en", "It's \"x\" <script>alert('x')</script> & co."),),
            0.93,
        ),
        Bead((), (), 0.0, other=(t.sentence("other", "Ça va? <i>oui</i>", detected='"><script>'),)),
    ]
    return Alignment(t.document, beads)


SPECIAL_NAME = "Q&amp;A &quot;quoted&quot; &lt;doc&gt;"
# The section of special_alignment(), byte for byte as align/html.py wrote it before the jinja2 templates, plus
# what the editor needs (each RU / EN sentence's hash, offsets and line; a pair's score as the writers write it).
SPECIAL_SECTION = (
    f'<section class="doc" id="doc-0" aria-labelledby="doc-0-h"><h2 id="doc-0-h">{SPECIAL_NAME}</h2>'
    f'<p class="meta">RU {SPECIAL_NAME}.ru.txt · EN {SPECIAL_NAME}.en.txt · 1 RU / 1 EN sentences · 1 pairs · '
    '0 RU + 0 EN untranslated · 1 finding · <span class="doc-shown" data-total="2">2 of 2 rows shown</span> · '
    '<a href="#top">top</a></p>'
    f'<div class="beads" role="table" aria-label="Aligned sentences of {SPECIAL_NAME}" data-doc="{SPECIAL_NAME}">'
    '<div class="bh" role="rowgroup"><div class="r" role="row"><span class="c" role="columnheader">Lines</span>'
    '<span class="c" role="columnheader">Russian (RU)</span><span class="c" role="columnheader">English (EN)</span>'
    '<span class="c" role="columnheader">Match</span></div></div>'
    '<div class="bead pair hi has-f" id="d0-b0" role="rowgroup" data-ru="0:28" data-en="0:42" data-score="0.9300">'
    '<div class="r row" role="row" tabindex="-1">'
    f'<div class="c loc" role="cell" title="{SPECIAL_NAME}.en.txt, {SPECIAL_NAME}.ru.txt">'
    '<span class="ln">ru:1</span><span class="ln">en:1</span></div>'
    '<div class="c t ru" role="cell" lang="ru">'
    '<span class="s" data-h="a40c14d9323e" data-a="0:28" data-l="1">'
    "Цена &lt;b&gt;15%&lt;/b&gt; &amp; «кавычки».</span></div>"
    '<div class="c t en" role="cell" lang="en"><span class="s" data-h="56bf06a4dba6" data-a="0:42" data-l="1">'
    "It&#x27;s &quot;x&quot; "
    "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co.</span></div>"
    '<div class="c st" role="cell"><span class="tag hi"><span aria-hidden="true">✓</span> high 0.93</span> '
    '<span class="kind" title="1 RU sentence(s) with 1 EN">1-1</span>'
    '<span class="decide" role="group" aria-label="Review decision">'
    '<button type="button" class="dec acc-b" data-d="accepted" aria-pressed="false">Accept</button>'
    '<button type="button" class="dec rej-b" data-d="rejected" aria-pressed="false">Reject</button></span></div></div>'
    '<div class="r fnd" role="row"><div class="c" role="cell" aria-colspan="3"><ul class="findings">'
    '<li class="sev-warning"><span class="sev"><span aria-hidden="true">⚠</span> warning</span> '
    '<code class="rule">rule&quot;&lt;x&gt;</code> '
    '<span class="msg">message &lt;img src=x onerror=alert(1)&gt; &amp; &#x27;quotes&#x27;</span> '
    f'<span class="where">{SPECIAL_NAME}.en.txt:1</span></li></ul></div></div></div>'
    '<div class="bead oth" id="d0-b1" role="rowgroup" data-ru="" data-en="">'
    '<div class="r row" role="row" tabindex="-1">'
    f'<div class="c loc" role="cell" title="{SPECIAL_NAME}.en.txt">'
    '<span class="ln">&quot;&gt;&lt;script&gt;:2</span></div>'
    '<div class="c t oth" role="cell" aria-colspan="2" lang="und">'
    '<span class="olang" lang="en">other language: &quot;&gt;&lt;script&gt;</span>'
    '<span class="s">Ça va? &lt;i&gt;oui&lt;/i&gt;</span></div>'
    '<div class="c st" role="cell"><span class="tag oth"><span aria-hidden="true">◇</span> '
    "other language (&quot;&gt;&lt;script&gt;)</span></div></div></div></div></section>\n"
)


def test_html_special_text_is_escaped_everywhere_and_the_markup_is_unchanged() -> None:
    alignment = special_alignment()
    en = alignment.beads[0].en[0]
    message = "message <img src=x onerror=alert(1)> & 'quotes'"
    finding = Finding('rule"<x>', "warning", alignment.document.name, en.file, 1, 1, message, en=en.text)
    page = html_report([alignment], [finding], version="1 <b>&'\"")
    assert SPECIAL_SECTION in page
    data = re.search(r'<script type="application/json" id="align-data">(.*?)</script>', page, re.DOTALL)
    assert data and json.loads(data.group(1))["version"] == "1 <b>&'\""  # JSON, safe in its <script>
    markup = page.replace(data.group(1), "")
    assert markup.count("<script") == 2 and not any(tag in markup for tag in ("<img", "<b>", "<i>"))
    assert '<meta name="generator" content="align 1 &lt;b&gt;&amp;&#x27;&quot;">' in page
    assert f'<th scope="row"><a href="#doc-0">{SPECIAL_NAME}</a></th>' in page


def test_the_page_is_byte_identical_to_the_one_before_the_templates() -> None:
    """The sha-256 of the small page as align/html.py (inline strings) wrote it: a change of the page's bytes
    must be deliberate, and this pin updated with it."""
    page = html_report([small_alignment()], [], version="1")
    assert hashlib.sha256(page.encode("utf-8")).hexdigest() == (
        "21cd19d47a999c25874275c671a2fc50d8dac8639831f081f0966b1083de1479"  # export.js: x-loose
    )


def test_html_writer_renders_the_page_for_the_run_and_for_one_document() -> None:
    writer = writer_for("html")
    assert isinstance(writer, HtmlWriter)
    assert (writer.name, writer.suffix, writer.corpus_name) == ("html", ".html", "report.html")
    assert writer.per_document is False
    first, second = small_alignment(), synthetic_alignment(20, name="second")
    found = [finding_on(first, first.beads[2]), finding_on(second, second.beads[2])]
    context = WriteContext(version="9.9", creation_date="20240101T000000Z", findings=found)
    assert writer.corpus([first, second], context) == html_report([first, second], found, version="9.9")
    assert writer.document(second, context) == html_report([second], found[1:], version="9.9")
    with pytest.raises(NotImplementedError):
        writer.concatenate(["<p>a</p>", "<p>b</p>"], context)


def test_html_writer_without_findings_shows_the_default_check() -> None:
    from align.checks import CheckOptions, findings

    alignment = small_alignment()
    expected = findings([alignment], CheckOptions())
    assert expected  # the untranslated sentences of the small alignment are findings
    context = WriteContext(version="1", creation_date="20240101T000000Z")
    assert HtmlWriter().corpus([alignment], context) == html_report([alignment], expected, version="1")


def test_templates_and_assets_are_package_data() -> None:
    from importlib.resources import files

    templates = files("align") / "templates"
    for name in ("report.html.j2", "summary.html.j2", "rows.html.j2", "report.css", "report.js"):
        assert (templates / name).is_file(), name
    page = html_report([small_alignment()], [], version="1")
    assert (templates / "report.css").read_text(encoding="utf-8") in page
    assert (templates / "report.js").read_text(encoding="utf-8") in page


def test_json_in_a_script_element_cannot_close_it() -> None:
    text = json_for_script({"a": "</script><!-- x"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"a": "</script><!-- x"}


def test_every_bead_is_a_row_with_line_numbers_and_languages() -> None:
    alignments = [small_alignment(), synthetic_alignment(40, name="second")]
    page = html_report(alignments, [], version="1")
    tags = elements(page)
    rows = [a for _tag, a in tags if "bead" in (a.get("class") or "").split()]
    assert len(rows) == sum(len(a.beads) for a in alignments)
    assert len({row["id"] for row in rows}) == len(rows)
    for alignment in alignments:
        for bead in alignment.beads:
            for segment in bead.ru + bead.en + bead.other:
                assert segment.text.replace("<", "&lt;").replace(">", "&gt;") in page
    assert "ru:1" in page and "en:1" in page and "uk:1" in page  # source lines on the rows
    cells = [a for _tag, a in tags if "t" in (a.get("class") or "").split()]
    assert {(a["class"], a.get("lang")) for a in cells} == {("c t ru", "ru"), ("c t en", "en"), ("c t oth", "uk")}
    assert (
        page.count('<span class="none">no translation</span>') == 2 + 12
    )  # 1-0 and 0-1 of the small one, 3 per 10 of the other
    assert ">2-1</span>" in page
    assert "<noscript>" in page


def test_a_loose_pair_is_shown_as_loose_not_low() -> None:
    """A loose bead (paired by place, confidence 0.45) is one to look at: amber and "loose", not a red "low"."""
    t = Texts("loose")
    ru, en = t.sentence("ru", "Он как в воду глядел."), t.sentence("en", "His hunch proved right.")
    bead = Bead((ru,), (en,), 0.45, loose=True)
    page = html_report([Alignment(t.document, [bead])], [], version="1")
    assert "≈</span> loose 0.45" in page and "low 0.45" not in page
    assert 'data-loose="paragraphs"' in page


def test_levels_and_labels_follow_the_stated_thresholds() -> None:
    assert (HIGH, LOW) == (0.9, 0.5)
    assert [level(s).label for s in (1.0, 0.9, 0.8999, 0.5, 0.4999, 0.0)] == [
        "high",
        "high",
        "medium",
        "medium",
        "low",
        "low",
    ]
    assert score_label(0.899) == "0.89" and score_label(0.9) == "0.90" and score_label(0.4999) == "0.49"
    page = html_report([small_alignment()], [], version="1")
    assert "✓</span> high 0.97" in page and "△</span> medium 0.72" in page and "✗</span> low 0.31" in page
    assert "confidence ≥ 0.9" in page and "confidence &lt; 0.5" in page


def test_findings_show_on_their_rows_and_in_the_counts() -> None:
    alignment = small_alignment()
    on_row = finding_on(alignment, alignment.beads[1], "number-mismatch")
    nowhere = Finding("glossary", "note", alignment.document.name, "elsewhere.txt", 99, 99, "loose one")
    page = html_report([alignment], [on_row, nowhere], version="1")
    row = re.search(r'<div class="([^"]*)" id="d0-b1".*?id="d0-b2"', page, re.DOTALL)
    assert row and "has-f" in row.group(1).split()
    assert "number-mismatch" in row.group(0) and "⚠" in row.group(0)
    assert "Findings not tied to a row" in page and "loose one" in page
    assert '<td data-k="findings">2</td>' in page
    with_findings = [a for _tag, a in elements(page) if "has-f" in (a.get("class") or "").split()]
    assert [a["id"] for a in with_findings] == ["d0-b1"]


def test_summary_counts_and_coverage() -> None:
    page = html_report([small_alignment()], [], version="1")
    expected = {"ru": 5, "en": 4, "pairs": 3, "untr-ru": 1, "untr-en": 1, "other": 1, "findings": 0}
    for key, value in expected.items():
        assert f'<td data-k="{key}">{value}</td>' in page
    assert '<td data-k="cov-ru"><span class="cov">80%</span> <span class="sub">(4/5)</span>' in page
    assert 'href="#doc-0"' in page and 'id="doc-0"' in page
    assert page.count("<rect") == 10


def test_a_file_name_with_an_undecodable_byte_is_shown_escaped_and_the_report_written(tmp_path: Path) -> None:
    from align.runner import Request, run

    folder = tmp_path / "d"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/en\xfe.txt", "wb") as handle:  # not UTF-8: os.fsdecode keeps it as \udcfe
        handle.write(b"There is silence all around. Nobody answers.\n")
    result = run(Request(paths=(str(folder),), out=tmp_path / "out", formats=("html",)))  # `align run d -f html`
    assert not result.failed and result.details.get("write_errors") is None
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "en\\udcfe.txt" in page and "There is silence all around." in page
    name = "en\udcfe"
    t = Texts(name)
    bead = Bead((t.sentence("ru", "Кругом тишина."),), (t.sentence("en", "There is silence all around."),), 0.95)
    shown = html_report([Alignment(t.document, [bead])], [], version="1")
    assert 'data-doc="en\\udcfe"' in shown  # what the page's decisions name: read back as the same document
    entry = {"document": "en\\udcfe", "decision": "rejected", "ru": [[0, 14]], "en": [[0, 28]]}
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps({"version": 1, "decisions": [entry]}), encoding="utf-8")
    assert [b.kind for b in apply_decisions(Alignment(t.document, [bead]), read_decisions(str(path))).beads] == [
        "1-0",
        "0-1",
    ]


def test_align_check_format_html_writes_a_check_page_not_the_run_report(tmp_path: Path) -> None:
    from tests.conftest import SEEDS, run_cli

    code, _out, err = run_cli("check", str(SEEDS), "--require", "ru", "-f", "html", "-o", str(tmp_path / "check"))
    assert code == 1 and "wrote" in err  # untranslated English passages: findings, exit 1
    code, _out, err = run_cli("run", str(SEEDS), "-f", "html", "-o", str(tmp_path / "run"))
    assert code == 0, err
    check = (tmp_path / "check" / "report.html").read_text(encoding="utf-8")
    report = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert check != report
    assert "<h1>align check report</h1>" in check and '<section id="panel"' in check
    assert "<h1>align review report</h1>" in report and 'id="panel"' not in report
    entries = re.findall(r'<a href="#(d\d+-b\d+)" class="jump"', check)
    assert len(entries) == len(set(entries)) == check.count('<ul class="findings"><li') > 0  # one entry per passage
    assert re.search(r'<details class="fgroup sev-error" data-rule="untranslated" open>', check)
