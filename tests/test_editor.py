"""The alignment editor of the HTML report (align/templates/editor.js, export.js) in headless Chromium.

Each edit is driven as a reviewer would (click a row or move to it with j / k, press the edit's key or
click its button), undone and redone; the TMX, CSV and decisions downloads are read back (the TMX against
the TMX 1.4 DTD and with translate-toolkit); and a real run of a literary pair with the real encoder is
edited in the page, its input changed (a paragraph inserted at the top, a sentence deleted) and run again
with the downloaded decisions.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from lxml import etree

from align.model import Alignment, Finding
from align.writers.html import html_report
from tests.browser import chromium
from tests.browser.chromium import open_report
from tests.conftest import REPO, SHARED
from tests.test_html import finding_on, small_alignment

browser = chromium.browser  # the fixture
DOCS_SCREENSHOT = REPO / "docs" / "report.png"  # the README's, written only with ALIGN_SCREENSHOT=1
LITERARY = SHARED / "bench" / "corpora" / "bilinguator_dev" / "pairs.tsv"
WORK = "boof_e_koor"  # Hedayat's The Blind Owl, its first paragraphs
PARAGRAPHS = 10
SMALL_KINDS = ["1-1", "2-1", "1-1", "1-0", "0-1", "other"]


# --------------------------------------------------------------------------------------------- helpers


def kinds(page) -> list[str]:
    """Each row's kind ("2-1"), "other" for a sentence in another language."""
    script = "Array.from(document.querySelectorAll('.bead')).map(b => (b.querySelector('.st .kind') || {}).textContent)"
    return [kind or "other" for kind in page.evaluate(script)]


def row_ids(page) -> list[str]:
    return page.evaluate("Array.from(document.querySelectorAll('.bead')).map(b => b.id)")


def total(page, key: str) -> str:
    return page.inner_text(f'#summary tr.total td[data-k="{key}"]')


def select(page, row_id: str) -> None:
    """Click a row (its line numbers): the row gets the focus and is the one edits act on."""
    page.click(f"#{row_id} .loc")


def status(page) -> str:
    return page.inner_text("#edit-status")


def download(page, button: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(button)
    saved = folder / info.value.suggested_filename
    info.value.save_as(str(saved))
    return saved


def report_in(folder: Path, alignment: Alignment) -> Path:
    """folder/report.html of `alignment`, without findings (several reports of one document, one a folder)."""
    folder.mkdir()
    path = folder / "report.html"
    path.write_text(html_report([alignment], [], version="t"), encoding="utf-8")
    return path


@pytest.fixture
def small(browser, tmp_path: Path):
    """The small alignment's report in a page (a low-confidence finding on its third row); no page error,
    console error or network request may happen while a test uses it."""
    alignment = small_alignment()
    path = tmp_path / "report.html"
    path.write_text(html_report([alignment], [finding_on(alignment, alignment.beads[2])], version="t"), "utf-8")
    problems: list[str] = []
    page = open_report(browser, path, problems)
    yield page
    page.context.close()
    assert problems == []


# --------------------------------------------------------------------------------------------- each edit


def test_link_joins_two_facing_one_sided_rows_and_undo_redo_take_it_back_and_again(small) -> None:
    page = small
    assert kinds(small) == SMALL_KINDS and total(page, "pairs") == "3"
    select(page, "d0-b3")  # "Без перевода." (RU only), above "No Russian here." (EN only)
    page.keyboard.press("l")
    assert kinds(page) == ["1-1", "2-1", "1-1", "1-1", "other"]
    linked = page.locator(".bead.edited")
    assert linked.count() == 1 and "Без перевода." in linked.inner_text() and "No Russian here." in linked.inner_text()
    assert "edited" in linked.locator(".tag.ed").inner_text()
    assert page.evaluate("document.activeElement.closest('.bead').classList.contains('edited')")
    assert (total(page, "pairs"), total(page, "untr-ru"), total(page, "untr-en")) == ("4", "0", "0")
    assert "100%" in total(page, "cov-ru")
    page.keyboard.press("Control+z")
    assert kinds(page) == SMALL_KINDS and page.locator(".bead.edited").count() == 0
    assert row_ids(page) == [f"d0-b{i}" for i in range(6)] and total(page, "pairs") == "3"
    assert status(page).startswith("Undone")
    page.keyboard.press("Control+y")
    assert kinds(page) == ["1-1", "2-1", "1-1", "1-1", "other"] and total(page, "pairs") == "4"


def test_merge_up_and_down_make_2_1_and_3_2_beads_and_split_takes_a_merge_apart(small) -> None:
    page = small
    select(page, "d0-b3")
    page.keyboard.press("Shift+M")  # the RU-only row into the 1-1 pair above it
    assert kinds(page) == ["1-1", "2-1", "2-1", "0-1", "other"]
    assert status(page) == "Merged with the row above: 2-1"
    page.keyboard.press("s")  # the merged row is selected: split it again
    assert kinds(page) == SMALL_KINDS and page.locator(".bead.edited").count() == 2
    select(page, "d0-b0")
    page.keyboard.press("m")  # the 1-1 pair and the 2-1 pair below it
    assert kinds(page)[0] == "3-2" and total(page, "pairs") == "2"
    page.keyboard.press("s")
    assert kinds(page)[:2] == ["2-1", "1-1"]
    for _ in range(4):
        page.keyboard.press("Control+z")
    assert kinds(page) == SMALL_KINDS and row_ids(page) == [f"d0-b{i}" for i in range(6)]
    page.keyboard.press("Control+z")
    assert status(page) == "Nothing to undo"


def test_unlink_fine_and_reject_change_the_row_and_the_counts(small) -> None:
    page = small
    select(page, "d0-b1")
    page.keyboard.press("u")  # 2-1 -> two RU-only rows and one EN-only row
    assert kinds(page) == ["1-1", "1-0", "1-0", "0-1", "1-1", "1-0", "0-1", "other"]
    assert (total(page, "pairs"), total(page, "untr-ru"), total(page, "untr-en")) == ("2", "3", "2")
    assert total(page, "findings") == "1"
    select(page, "d0-b2")  # the low-confidence pair with a finding: a loose translation that is fine
    page.keyboard.press("f")
    assert "acc" in page.get_attribute("#d0-b2", "class").split()
    assert page.get_attribute('#d0-b2 button[data-d="accepted"]', "aria-pressed") == "true"
    assert total(page, "findings") == "0"  # a finding on a row marked fine is resolved
    select(page, "d0-b0")
    page.click('button[data-edit="reject"]')  # the toolbar's button acts on the selected row
    assert "rej" in page.get_attribute("#d0-b0", "class").split() and total(page, "pairs") == "1"
    assert page.inner_text("#decided") == "5 decisions"  # the three rows the unlink made and two marks
    page.keyboard.press("Control+z")
    assert "rej" not in page.get_attribute("#d0-b0", "class").split() and total(page, "pairs") == "2"


def test_edits_that_cannot_be_made_say_why_and_change_nothing(small) -> None:
    page = small
    for row, key, why in (
        ("d0-b0", "s", "A 1-1 pair cannot be split: unlink it (u)"),
        ("d0-b0", "l", "Link joins two one-sided rows: this row is not one-sided"),
        ("d0-b4", "m", "Sentences in another language are never paired"),
        ("d0-b3", "u", "Only a pair can be unlinked"),
        ("d0-b0", "Shift+M", "No row above to merge with"),
    ):
        select(page, row)
        page.keyboard.press(key)
        assert status(page) == why
    assert kinds(page) == SMALL_KINDS


def test_the_editor_works_from_the_keyboard_alone(small) -> None:
    page = small
    reached = []
    while "redo" not in reached and len(reached) < 60:  # every edit's button is reachable with Tab
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('data-edit') || document.activeElement.id"))
    assert {"link", "merge-up", "merge-down", "split", "unlink", "fine", "reject", "undo", "redo"} <= set(reached)
    for _ in range(4):
        page.keyboard.press("j")  # row by row from the top
    assert page.evaluate("document.activeElement.closest('.bead').id") == "d0-b3"
    page.keyboard.press("k")
    page.keyboard.press("j")
    page.keyboard.press("l")
    assert kinds(page)[3] == "1-1"
    page.keyboard.press("Control+z")
    assert kinds(page) == SMALL_KINDS
    page.keyboard.press("Control+Shift+Z")
    assert kinds(page)[3] == "1-1"
    page.keyboard.press("Tab")  # from the linked row to its Accept button: Enter presses it
    page.keyboard.press("Enter")
    assert "acc" in page.locator(".bead.edited").get_attribute("class").split()


# --------------------------------------------------------------------------------------------- downloads


def test_tmx_and_csv_downloads_hold_the_corrected_alignment(small, tmp_path: Path, tmx_dtd: Path) -> None:
    from translate.storage import tmx

    page = small
    select(page, "d0-b3")
    page.keyboard.press("l")
    select(page, "d0-b0")
    page.keyboard.press("r")
    saved = download(page, "#download-tmx", tmp_path)
    assert saved.name == "corrected.tmx"
    root = etree.parse(str(saved)).getroot()
    dtd = etree.DTD(str(tmx_dtd))
    assert dtd.validate(root), dtd.error_log.filter_from_errors()
    store = tmx.tmxfile.parsestring(saved.read_bytes())
    pairs = [(unit.source, unit.target) for unit in store.units]
    assert pairs == [
        ("Первая часть. Вторая часть.", "Both parts."),
        ("Цена 15%.", "The price is <script>alert(1)</script>."),
        ("Без перевода.", "No Russian here."),  # the pair made by linking; the rejected one is not there
    ]
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in root.iter("tu")]
    assert props[2]["x-edited"] == "yes" and props[2]["x-score"] == "1.0000" and props[0]["x-score"] == "0.7200"
    saved = download(page, "#download-csv", tmp_path)
    table = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"), newline="")))
    assert table[0] == ["document", "ru", "en", "score", "kind", "ru_lines", "en_lines"]
    assert table[1][1:5] == ["Павел Латушко о диктаторе.", "", "0.0000", "1-0"]  # rejected: one-sided rows
    assert table[2][1:5] == ["", "Pavel Latushka on the dictator.", "0.0000", "0-1"]
    assert table[5][1:] == ["Без перевода.", "No Russian here.", "1.0000", "1-1", "5", "4"]
    assert saved.read_bytes().count(b"\r\n") == len(table)


# --------------------------------------------------------------------------------------------- round trip


def literary_pair(folder: Path, *, preface: bool = False, drop: str = "") -> None:
    """The first paragraphs of a literary work as owl.ru.txt and owl.en.txt; `preface` puts one more
    paragraph at the top of both, `drop` deletes that English sentence."""
    if not LITERARY.is_file():
        pytest.skip(f"{LITERARY} not found (../shared is absent)")
    rows = []
    with LITERARY.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["doc_id"] == WORK:
                rows.append(row)
            if len(rows) == PARAGRAPHS:
                break
    ru, en = [row["ru"] for row in rows], [row["en"] for row in rows]
    if preface:
        ru.insert(0, "Предисловие издателя. Эта повесть печатается по рукописи, найденной после смерти автора.")
        en.insert(0, "The publisher's preface. This story is printed from a manuscript found after the author's death.")
    if drop:
        en = [paragraph.replace(drop, "").replace("  ", " ").strip() for paragraph in en]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "owl.ru.txt").write_text("\n\n".join(ru) + "\n", encoding="utf-8")
    (folder / "owl.en.txt").write_text("\n\n".join(en) + "\n", encoding="utf-8")


class Notes:
    """A runner Listener keeping every note (the run's and each document's)."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def started(self, total: int) -> None:
        pass

    def note(self, text: str) -> None:
        self.notes.append(text)

    def error(self, text: str) -> None:
        self.notes.append(f"error: {text}")

    def outcome(self, outcome) -> None:
        self.notes.extend(outcome.notes)


def aligned(folder: Path, out: Path, decisions: Path | None = None) -> tuple[Alignment, list[str]]:
    """`folder` aligned from its parent folder (the page shows relative paths), out/report.html written."""
    from align.runner import Request, run

    listener = Notes()
    request = Request(paths=(folder.name,), out=out, formats=("html",), decisions=str(decisions) if decisions else None)
    with contextlib.chdir(folder.parent):
        result = run(request, listener)
    assert not result.failed
    (alignment,) = result.alignments
    return alignment, listener.notes


def bead_with(alignment: Alignment, ru: str = "", en: str = ""):
    """The bead holding the RU sentence starting with `ru` (or the EN one starting with `en`)."""
    for bead in alignment.beads:
        if any(s.text.startswith(ru) for s in bead.ru) if ru else any(s.text.startswith(en) for s in bead.en):
            return bead
    raise AssertionError(f"no bead with {ru or en!r}")


def row_with(page, text: str):
    return page.locator(".bead", has_text=text)


def test_decisions_made_in_the_page_survive_a_paragraph_inserted_at_the_top(browser, tmp_path: Path) -> None:
    source = tmp_path / "in"
    deleted = "It is for him that I am making this experiment to see if we can know each other better."
    literary_pair(source)
    before, notes = aligned(source, tmp_path / "out")
    assert notes == []
    linked_ru, linked_en = "Я написал: «своим ядом»", "Did I say poisoned?"
    loose = bead_with(before, ru=linked_ru)  # a paragraph the sentence search left unpaired on both sides ...
    assert loose.loose and [s.text[:19] for s in loose.en] == [linked_en, "Well, I meant it sc"]  # ... paired by place
    rejected = bead_with(before, en="It is immaterial whether others believe")
    assert rejected.paired

    problems: list[str] = []
    page = open_report(browser, tmp_path / "out" / "report.html", problems)
    row_with(page, linked_ru).locator(".loc").click()
    page.keyboard.press("s")  # the reviewer cuts the loose pair's last English sentence off
    row_with(page, "It is immaterial whether others believe").locator(".loc").click()
    page.keyboard.press("r")
    row_with(page, deleted).locator(".loc").click()
    page.keyboard.press("f")
    row_with(page, "My life experiences have taught me").locator(".loc").click()
    page.keyboard.press("m")  # an English sentence left one-sided joins the pair below
    page.wait_for_timeout(50)  # the status line, in the screenshot
    page.screenshot(path=str(tmp_path / "editing.png"))
    page_label = page.inner_text("#decided")
    decisions = download(page, "#download", tmp_path)
    page.context.close()
    assert problems == []
    if os.environ.get("ALIGN_SCREENSHOT") == "1":  # a test run leaves the tracked files alone
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(tmp_path / "editing.png", DOCS_SCREENSHOT)
    saved = json.loads(decisions.read_text(encoding="utf-8"))
    assert saved["version"] == 2 and page_label == "5 decisions"
    assert sorted(entry["decision"] for entry in saved["decisions"]) == ["accepted", "bead", "bead", "bead", "rejected"]

    changed = tmp_path / "changed"
    literary_pair(changed, preface=True, drop=deleted)
    after, notes = aligned(changed, tmp_path / "out2", decisions)
    again = bead_with(after, ru=rejected.ru[0].text[:30])
    assert again.ru[0].start > rejected.ru[0].start  # every offset moved: decisions are found by content
    assert not again.en  # the rejected pair stays rejected
    assert not bead_with(after, en="It is immaterial whether others believe").ru
    link = bead_with(after, ru=linked_ru)
    assert [s.text[:19] for s in link.en] == [linked_en] and not link.loose  # the reviewer's pair is made again
    merged = bead_with(after, en="My life experiences have taught me")
    assert merged.ru[0].text.startswith("Из опыта") and len(merged.en) == 4  # merged into the row below again
    fine = next(entry for entry in saved["decisions"] if entry["decision"] == "accepted")
    assert fine["en"]["text"] == deleted[:60]
    assert notes == [
        f"owl: 1 of 5 decisions no longer match: accepted «{fine['ru']['text'].rstrip()}…» / «{deleted[:60].rstrip()}…»"
    ], notes  # the sentence deleted from the English file


def test_the_check_page_lists_each_finding_once_by_rule_and_jumps_to_its_row(browser, tmp_path: Path) -> None:
    alignment = small_alignment()
    passage = Finding("untranslated", "warning", alignment.document.name, alignment.document.ru_file, 4, 5, "x")
    found = [finding_on(alignment, alignment.beads[2]), finding_on(alignment, alignment.beads[1], "numbers"), passage]
    path = tmp_path / "check.html"
    path.write_text(html_report([alignment], found, version="t", check=True), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != html_report([alignment], found, version="t")
    problems: list[str] = []
    page = open_report(browser, path, problems)
    assert page.inner_text("h1") == "align check report"
    groups = page.locator("#panel details.fgroup")
    assert [groups.nth(i).get_attribute("data-rule") for i in range(groups.count())] == [
        "low-confidence",
        "numbers",
        "untranslated",
    ]
    assert page.locator("#panel li").count() == 3 and page.locator(".fnd li").count() == 3
    page.click('#panel a.jump[data-jump="d0-b1"]')
    assert page.evaluate("document.activeElement.closest('.bead').id") == "d0-b1"
    page.click('#panel button[data-rule="numbers"]')
    assert page.inner_text("#shown") == "Showing 1 of 6 rows"
    assert [groups.nth(i).is_visible() for i in range(3)] == [False, True, False]
    page.click('#panel button[data-rule=""]')
    assert page.inner_text("#shown") == "Showing 6 of 6 rows"
    page.context.close()
    assert problems == []


def test_a_pair_made_by_an_edit_and_rejected_is_downloaded_as_its_sentences_apart(small, tmp_path: Path) -> None:
    from align.decisions import apply_decisions, read_decisions

    page = small
    select(page, "d0-b2")
    page.keyboard.press("m")  # the low pair and the RU-only row below: 2-1
    page.keyboard.press("r")
    saved = download(page, "#download", tmp_path)
    entries = json.loads(saved.read_text(encoding="utf-8"))["decisions"]
    assert [(e["decision"], len(e["ru"]["sentences"]), len(e["en"]["sentences"])) for e in entries] == [
        ("bead", 1, 0),
        ("bead", 1, 0),
        ("bead", 0, 1),
    ]
    result = apply_decisions(small_alignment(), read_decisions(str(saved)))
    assert [b.kind for b in result.beads] == ["1-1", "2-1", "1-0", "0-1", "1-0", "0-1", "other"]


def test_a_rejected_repeated_line_stays_the_one_rejected_after_a_preface(small, tmp_path: Path) -> None:
    from align.decisions import apply_decisions, read_decisions
    from align.model import Bead
    from tests.test_html import Texts

    def dialogue(preface: bool) -> Alignment:  # the same two lines twice: the second "Да." has the same one before
        t = Texts("dialogue")
        beads = [Bead((t.sentence("ru", "Вступление, написанное позже."),), (t.sentence("en", "A preface."),), 0.9)]
        beads = beads if preface else []
        for _ in range(2):
            beads.append(Bead((t.sentence("ru", "Он кивнул."),), (t.sentence("en", "He nodded."),), 0.9))
            beads.append(Bead((t.sentence("ru", "Да."),), (t.sentence("en", "Yes."),), 0.9))
        return Alignment(t.document, beads)

    page = small
    page.goto(report_in(tmp_path / "dialogue", dialogue(preface=False)).as_uri())
    select(page, "d0-b3")  # the second "Да." / "Yes."
    page.keyboard.press("r")
    saved = download(page, "#download", tmp_path)
    assert [entry["ru"]["n"] for entry in json.loads(saved.read_text(encoding="utf-8"))["decisions"]] == [1]
    result = apply_decisions(dialogue(preface=True), read_decisions(str(saved)))
    assert [b.kind for b in result.beads] == ["1-1", "1-1", "1-1", "1-1", "1-0", "0-1"]


def test_the_tmx_download_marks_a_loose_pair_as_aligns_tmx_does(browser, tmp_path: Path) -> None:
    """A real run of a free translation (the real encoder): its loose bead is x-loose in align's TMX, and in the
    page's corrected.tmx too while the reviewer has not edited it; a pair the reviewer made from it is not loose."""
    from tests.conftest import run_cli
    from tests.test_loose import FREE_EN, FREE_RU

    (tmp_path / "story.ru.txt").write_text(FREE_RU, encoding="utf-8")
    (tmp_path / "story.en.txt").write_text(FREE_EN, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli("run", str(tmp_path), "-f", "tmx,html", "--out", str(out), "-q")
    assert code == 0, err

    def loose_props(path: Path) -> list[str | None]:
        units = etree.parse(str(path)).getroot().iter("tu")
        return [{p.get("type"): p.text for p in tu.findall("prop")}.get("x-loose") for tu in units]

    assert loose_props(out / "story.tmx") == [None, "paragraphs", None]
    problems: list[str] = []
    page = open_report(browser, out / "report.html", problems)
    assert loose_props(download(page, "#download-tmx", tmp_path)) == [None, "paragraphs", None]
    select(page, "d0-b1")
    page.keyboard.press("s")  # split the loose pair: the rows made of it are the reviewer's, not loose
    assert "paragraphs" not in loose_props(download(page, "#download-tmx", tmp_path))
    page.context.close()
    assert problems == []
