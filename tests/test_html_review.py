"""Reviewer decisions applied after the HTML report, and the report used in headless Chromium.

The alignments are built by hand (tests/test_html.py's helpers) or, for the browser tests, the seeds aligned
with the real pipeline and encoder; the page is used as a reviewer would (filters, search, n/p, Reject,
Download), then the downloaded decisions are applied. The editor's own tests are in tests/test_editor.py.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from align import __version__
from align.decisions import apply_decisions, key_of, read_decisions, unmatched
from align.model import Alignment, Bead, Document
from align.writers.html import LOW, html_report
from tests.browser import chromium
from tests.browser.chromium import open_report
from tests.conftest import REPO
from tests.test_html import Texts, finding_on, sentences_of, small_alignment, synthetic_alignment

browser = chromium.browser  # the fixture

# --------------------------------------------------------------------------------------------- decisions


def decisions_file(tmp_path: Path, entries: list[dict], **extra: object) -> str:
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps({"version": 1, "tool": "align", "decisions": entries, **extra}), encoding="utf-8")
    return str(path)


def entry(alignment: Alignment, bead: Bead, decision: str) -> dict:
    return {
        "document": alignment.document.name,
        "ru": [[s.start, s.end] for s in bead.ru],
        "en": [[s.start, s.end] for s in bead.en],
        "decision": decision,
    }


def test_rejected_one_to_one_becomes_one_to_zero_and_zero_to_one(tmp_path: Path) -> None:
    alignment = small_alignment()
    first = alignment.beads[0]
    decisions = read_decisions(decisions_file(tmp_path, [entry(alignment, first, "rejected")]))
    result = apply_decisions(alignment, decisions)
    assert [b.kind for b in result.beads] == ["1-0", "0-1", "2-1", "1-1", "1-0", "0-1", "other"]
    assert result.beads[0].ru == first.ru and result.beads[1].en == first.en
    assert result.beads[0].score == result.beads[1].score == 0.0
    assert result.beads[2:] == alignment.beads[1:]
    assert alignment.beads[0] is first  # the input is left alone


def test_accepted_beads_are_kept_verbatim_and_a_rejected_merge_is_split(tmp_path: Path) -> None:
    alignment = small_alignment()
    accepted, merged = alignment.beads[0], alignment.beads[1]
    path = decisions_file(tmp_path, [entry(alignment, accepted, "accepted"), entry(alignment, merged, "rejected")])
    result = apply_decisions(alignment, read_decisions(path))
    assert result.beads[0] is accepted
    assert [b.kind for b in result.beads[1:4]] == ["1-0", "1-0", "0-1"]


def test_decisions_keep_every_sentence_exactly_once_and_in_order(tmp_path: Path) -> None:
    alignment = synthetic_alignment(300)
    paired = [bead for bead in alignment.beads if bead.paired]
    entries = [entry(alignment, bead, "rejected" if i % 3 else "accepted") for i, bead in enumerate(paired[::2])]
    decisions = read_decisions(decisions_file(tmp_path, entries))
    result = apply_decisions(alignment, decisions)
    for lang in ("ru", "en"):
        assert sentences_of(result, lang) == sentences_of(alignment, lang)
    assert [b.other for b in result.beads if b.other] == [b.other for b in alignment.beads if b.other]
    rejected = {key for key, value in decisions.items() if value == "rejected"}
    assert not any(bead.paired and key_of("big", bead) in rejected for bead in result.beads)
    pairs_before = sum(bead.paired for bead in alignment.beads)
    assert sum(bead.paired for bead in result.beads) == pairs_before - len(rejected)
    assert unmatched([alignment], decisions) == []
    assert apply_decisions(alignment, {}).beads == alignment.beads


def test_realign_may_pair_freed_sentences_but_never_recreates_a_rejected_pair(tmp_path: Path) -> None:
    t = Texts("shift")
    a, x, y = t.sentence("ru", "Один."), t.sentence("en", "Two."), t.sentence("en", "One.")
    alignment = Alignment(t.document, [Bead((a,), (x,), 0.6), Bead((), (y,), 0.0)])
    decisions = {key_of("shift", alignment.beads[0]): "rejected"}

    def pair_with_last(document: Document) -> Alignment:  # a stand-in aligner: pairs RU with the last EN
        return Alignment(
            document, [Bead((), tuple(document.en[:-1]), 0.0), Bead(tuple(document.ru), (document.en[-1],), 0.8)]
        )

    result = apply_decisions(alignment, decisions, realign=pair_with_last)
    assert [(b.ru, b.en) for b in result.beads] == [((), (x,)), ((a,), (y,))]

    def same_again(document: Document) -> Alignment:
        return Alignment(document, [Bead(tuple(document.ru), (document.en[0],), 0.6), Bead((), (document.en[1],), 0.0)])

    result = apply_decisions(alignment, decisions, realign=same_again)
    assert [b.kind for b in result.beads] == ["1-0", "0-1", "0-1"]

    def loses_one(document: Document) -> Alignment:
        return Alignment(document, [Bead(tuple(document.ru), (document.en[0],), 0.6)])

    with pytest.raises(ValueError, match="exactly once"):
        apply_decisions(alignment, decisions, realign=loses_one)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"version": 3, "decisions": []}', "unsupported decisions version"),
        ('{"version": 1, "tool": "other", "decisions": []}', "not an align decisions file"),
        ('{"version": 1}', "'decisions' must be a list"),
        ('{"version": 1, "decisions": [3]}', "decision 1: expected an object"),
        ('{"version": 1, "decisions": [{"document": "d", "ru": [[0, 1]], "en": [], "decision": "maybe"}]}', "decision"),
        ('{"version": 1, "decisions": [{"document": "d", "ru": [[5, 1]], "en": [], "decision": "accepted"}]}', "'ru'"),
        (
            '{"version": 1, "decisions": [{"document": "d", "ru": [[0, true]], "en": [], "decision": "accepted"}]}',
            "'ru'",
        ),
        (
            '{"version": 1, "decisions": [{"document": "", "ru": [], "en": [[0, 1]], "decision": "accepted"}]}',
            "document",
        ),
        ('{"version": 1, "decisions": [{"document": "d", "ru": [], "en": [], "decision": "accepted"}]}', "both empty"),
        (
            '{"version": 1, "decisions": [{"document": "d", "ru": [[0, 1]], "en": [], "decision": "accepted"},'
            '{"document": "d", "ru": [[0, 1]], "en": [], "decision": "rejected"}]}',
            "contradicts",
        ),
    ],
)
def test_a_bad_decisions_file_gives_a_one_line_error(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        read_decisions(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message
    assert "\n" not in message


def test_a_missing_decisions_file_gives_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing\.json: cannot read decisions") as caught:
        read_decisions(str(tmp_path / "missing.json"))
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def seeds():
    """The seeds aligned by the real pipeline (relative paths, as `align run seeds/` shows them) and
    their findings with require="ru" (every untranslated English passage is one)."""
    from align.checks import CheckOptions, findings
    from align.encoders.use import UseEncoder
    from align.load import find_inputs
    from align.pipeline import Pipeline

    with contextlib.chdir(REPO):
        inputs, errors = find_inputs(["seeds"])
        assert not errors
        alignments = [result for result, _notes in Pipeline(UseEncoder()).results(inputs)]
    assert all(isinstance(a, Alignment) for a in alignments)
    return alignments, findings(alignments, CheckOptions(require="ru"))


def visible_rows(page) -> int:
    return page.evaluate("Array.from(document.querySelectorAll('.bead')).filter(b => b.getClientRects().length).length")


def shown_label(page) -> str:
    return page.inner_text("#shown")


def test_seeds_report_in_a_browser(browser, seeds, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    alignments, found = seeds
    path = tmp_path / "report.html"
    path.write_text(html_report(alignments, found, version=__version__), encoding="utf-8")
    beads = sum(len(a.beads) for a in alignments)
    untranslated = sum(1 for a in alignments for b in a.beads if not b.paired and not b.other)
    low = sum(1 for a in alignments for b in a.beads if b.paired and b.score < LOW)
    assert (beads, untranslated, low) == (127, 123, 0)

    problems: list[str] = []
    page = open_report(browser, path, problems)

    total = page.locator("#summary tr.total")
    assert total.locator('td[data-k="pairs"]').inner_text() == "4"
    assert total.locator('td[data-k="untr-en"]').inner_text() == "123"
    assert total.locator('td[data-k="untr-ru"]').inner_text() == "0"
    assert total.locator('td[data-k="findings"]').inner_text() == str(len(found))
    assert "4/4" in total.locator('td[data-k="cov-ru"]').inner_text()
    assert visible_rows(page) == 127 and shown_label(page) == "Showing 127 of 127 rows"

    # A passage finding is shown once, under the passage's first row: 63 rows, not one per untranslated sentence.
    assert page.locator(".fnd li").count() == len(found)
    for key, expected in (("untr", untranslated), ("lo", low), ("f", 63), ("all", 127)):
        page.click(f'button[data-filter="{key}"]')
        assert page.get_attribute(f'button[data-filter="{key}"]', "aria-pressed") == "true"
        assert visible_rows(page) == expected, key
        assert shown_label(page) == f"Showing {expected} of 127 rows"

    page.fill("#search", "latushka")
    expect(page.locator("#shown")).to_have_text("Showing 1 of 127 rows")
    assert visible_rows(page) == 1
    assert "Pavel Latushka" in page.locator(".bead:not(.off)").inner_text()
    page.fill("#search", "")
    expect(page.locator("#shown")).to_have_text("Showing 127 of 127 rows")

    page.locator("h1").click()  # focus leaves the search box: n / p are shortcuts again
    page.keyboard.press("n")
    first = page.evaluate("document.activeElement.closest('.bead').id")
    assert page.evaluate("document.activeElement.matches('.bead.has-f > .row')")
    assert page.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; })()"
    )
    page.keyboard.press("n")
    second = page.evaluate("document.activeElement.closest('.bead').id")
    assert second != first and page.evaluate("document.activeElement.matches('.bead.has-f > .row')")
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.closest('.bead').id") == first
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    latushka = page.locator(".bead", has_text="Pavel Latushka")
    reject = latushka.locator('button[data-d="rejected"]')
    reject.focus()
    page.keyboard.press("Enter")  # the toggles work from the keyboard
    assert reject.get_attribute("aria-pressed") == "true"
    assert latushka.locator('button[data-d="accepted"]').get_attribute("aria-pressed") == "false"
    assert page.inner_text("#decided") == "1 decision"
    with page.expect_download() as download_info:
        page.click("#download")
    download = download_info.value
    assert download.suggested_filename == "decisions.json"
    saved = tmp_path / "decisions.json"
    download.save_as(str(saved))
    assert problems == []
    page.context.close()

    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["version"] == 2 and data["tool"] == "align" and len(data["decisions"]) == 1
    assert data["decisions"][0]["decision"] == "rejected"
    decisions = read_decisions(str(saved))
    assert unmatched(alignments, decisions) == []
    applied = [apply_decisions(alignment, decisions) for alignment in alignments]
    for before, after in zip(alignments, applied, strict=True):
        for lang in ("ru", "en"):
            assert sentences_of(after, lang) == sentences_of(before, lang)
    pairs = [b for a in applied for b in a.beads if b.paired]
    assert len(pairs) == 3 and not any("Pavel Latushka" in b.en[0].text for b in pairs)
    alone = [b for a in applied for b in a.beads if not b.paired and not b.other]
    assert any(b.ru and "Латушко" in b.ru[0].text for b in alone)
    assert any(b.en and b.en[0].text.startswith("Pavel Latushka") for b in alone)
    assert sum(len(b.en) for b in alone) == 124 and sum(len(b.ru) for b in alone) == 1


def test_report_is_keyboard_reachable_and_fits_a_narrow_window(browser, seeds, tmp_path: Path) -> None:
    alignments, found = seeds
    path = tmp_path / "report.html"
    path.write_text(html_report(alignments, found, version="test"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 400, "height": 800})
    page.goto(path.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    ru = page.locator(".bead.pair .c.ru").first.bounding_box()
    en = page.locator(".bead.pair .c.en").first.bounding_box()
    assert ru and en and en["y"] >= ru["y"] + ru["height"] - 1  # the columns stack
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.getAttribute('data-filter')"))
    assert {"all", "untr", "lo", "f", "search", "prev-f", "next-f", "download"} <= reached
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.close()


def test_five_thousand_beads_open_and_every_filter_works(browser, tmp_path: Path) -> None:
    """Each filter shows its rows of a 5,000-bead page (the page's speed is bench/editor.py's, not a test's)."""
    from playwright.sync_api import expect

    alignment = synthetic_alignment(5000)
    found = [finding_on(alignment, bead) for bead in alignment.beads if bead.paired and bead.score < LOW]
    untranslated = sum(1 for bead in alignment.beads if not bead.paired and not bead.other)
    low = sum(1 for bead in alignment.beads if bead.paired and bead.score < LOW)
    path = tmp_path / "big.html"
    path.write_text(html_report([alignment], found, version="test"), encoding="utf-8")
    problems: list[str] = []
    page = open_report(browser, path, problems)
    for key, expected in (("untr", untranslated), ("lo", low), ("f", len(found)), ("all", 5000)):
        page.click(f'button[data-filter="{key}"]')
        assert page.inner_text("#shown") == f"Showing {expected} of 5000 rows", key
    assert (untranslated, low, len(found)) == (1500, 500, 500)
    page.fill("#search", "sentence 4321.")
    expect(page.locator("#shown")).to_have_text("Showing 1 of 5000 rows")
    page.context.close()
    assert problems == []
