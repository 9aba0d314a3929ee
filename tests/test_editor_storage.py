"""What the editor keeps in the browser (localStorage): the edits made again when the page is opened again,
undo included, and never on another page: a new report of the same document (the re-run with the
downloaded decisions) or another text of the same name. Headless Chromium, as tests/test_editor.py."""

from __future__ import annotations

from pathlib import Path

from align.model import Alignment
from tests.browser import chromium
from tests.browser.chromium import open_report
from tests.test_editor import SMALL_KINDS, download, kinds, report_in, select, small, status, total
from tests.test_html import small_alignment

browser = chromium.browser  # the fixtures
__all__ = ["small"]


def test_edits_are_kept_in_this_browser_and_made_again_when_the_page_is_opened_again(small) -> None:
    page = small
    select(page, "d0-b3")
    page.keyboard.press("l")
    page.keyboard.press("r")  # the linked pair, rejected
    select(page, "d0-b1")
    page.keyboard.press("u")
    page.keyboard.press("Control+z")  # undone: not kept
    page.reload()
    assert kinds(page) == ["1-1", "2-1", "1-1", "1-1", "other"]
    assert "rej" in page.locator(".bead.edited").get_attribute("class").split()
    assert status(page) == "Restored the 2 edits made in this browser"
    assert total(page, "pairs") == "3"
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    assert kinds(page) == SMALL_KINDS
    page.reload()
    assert kinds(page) == SMALL_KINDS and status(page) == ""


def test_a_new_report_of_the_same_document_does_not_take_the_edits_kept_for_the_old(browser, tmp_path: Path) -> None:
    """The report of a run with the downloaded decisions has the same document name as the one edited: its
    rows already are the edits, so none is made again there, and the old report still gets all of its own."""
    from align.decisions import apply_decisions, read_decisions

    old = report_in(tmp_path / "old", small_alignment())
    problems: list[str] = []
    page = open_report(browser, old, problems)
    select(page, "d0-b3")
    page.keyboard.press("l")
    select(page, "d0-b0")
    page.keyboard.press("r")
    decisions = download(page, "#download", tmp_path)
    new = report_in(tmp_path / "new", apply_decisions(small_alignment(), read_decisions(str(decisions))))
    page.goto(new.as_uri())
    assert kinds(page) == ["1-0", "0-1", "2-1", "1-1", "1-1", "other"] and status(page) == ""
    assert page.locator(".bead.edited").count() == 0
    page.goto(old.as_uri())
    assert kinds(page) == ["1-1", "2-1", "1-1", "1-1", "other"]
    assert status(page) == "Restored the 2 edits made in this browser"
    page.context.close()
    assert problems == []


def test_a_mark_made_again_when_the_page_is_opened_again_is_undone_by_one_undo(small) -> None:
    page = small
    select(page, "d0-b0")
    page.keyboard.press("r")
    page.reload()
    assert "rej" in page.get_attribute("#d0-b0", "class").split() and total(page, "pairs") == "2"
    page.keyboard.press("Control+z")
    assert "rej" not in page.get_attribute("#d0-b0", "class").split()
    assert total(page, "pairs") == "3" and page.inner_text("#decided") == "0 decisions"


def test_a_mark_restored_on_a_new_report_of_the_same_document_is_in_the_summary(browser, tmp_path: Path) -> None:
    from align.model import Bead

    old = report_in(tmp_path / "old", small_alignment())
    problems: list[str] = []
    page = open_report(browser, old, problems)
    select(page, "d0-b0")
    page.keyboard.press("r")
    alignment = small_alignment()  # a new run: the same first pair, the two one-sided rows now a pair
    linked = Bead(alignment.beads[3].ru, alignment.beads[4].en, 0.8)
    new = report_in(
        tmp_path / "new", Alignment(alignment.document, [*alignment.beads[:3], linked, *alignment.beads[5:]])
    )
    page.goto(new.as_uri())
    assert "rej" in page.get_attribute("#d0-b0", "class").split()  # the mark of the same pair, restored
    assert (total(page, "pairs"), total(page, "untr-ru"), total(page, "untr-en")) == ("3", "1", "1")
    page.context.close()
    assert problems == []


def test_marks_and_edits_of_another_text_with_the_same_name_and_offsets_are_not_made_on_this_one(
    browser, tmp_path: Path
) -> None:
    from align.model import Bead
    from tests.test_html import Texts

    def report(folder: str, ru: str, en: str) -> Path:
        t = Texts("index")  # a common document name: two sites, two texts of the same length
        beads = [Bead((t.sentence("ru", ru),), (t.sentence("en", en),), 0.9)]
        beads += [Bead((t.sentence("ru", "Без перевода."),), (), 0.0), Bead((), (t.sentence("en", "Alone."),), 0.0)]
        return report_in(tmp_path / folder, Alignment(t.document, beads))

    first = report("a", "Павел Латушко о диктаторе.", "Pavel Latushka on the dictator.")
    second = report("b", "Павел Латушко о директоре.", "Pavel Latushka on the director.")
    problems: list[str] = []
    page = open_report(browser, first, problems)
    select(page, "d0-b0")
    page.keyboard.press("r")
    select(page, "d0-b1")
    page.keyboard.press("l")
    page.goto(second.as_uri())
    assert "rej" not in page.get_attribute("#d0-b0", "class").split() and status(page) == ""
    assert kinds(page) == ["1-1", "1-0", "0-1"] and total(page, "pairs") == "1"
    page.goto(first.as_uri())
    assert status(page) == "Restored the 2 edits made in this browser" and kinds(page) == ["1-1", "1-1"]
    page.context.close()
    assert problems == []
