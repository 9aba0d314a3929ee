"""align.findings_cache: `align check`'s findings read back for unchanged documents, recomputed for edited ones,
and the cross-document rules judged again from each unchanged document's cached part, its beads never decoded."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from align import checks, findings_cache
from align.cache import cache_path, left_note
from align.checks import CheckOptions, findings
from align.files import written_state
from align.findings_cache import cached_findings
from align.runner import Request, run
from align.stored import StoredAlignment
from tests.conftest import run_cli
from tests.story import EN, RU

OTHER_WAY = "The cat was sitting on the windowsill, looking at the rain. Drops ran down the glass."  # EN[0] again


def write_tree(root: Path, pages: int) -> Path:
    """docs/en/pN.md + docs/ru/pN.md: the story in each page, one English paragraph without Russian; page p1
    translates the first paragraph another way (an inconsistent-translation finding across pages)."""
    for k in range(pages):
        for lang, paragraphs in (("ru", RU), ("en", EN)):
            paragraphs = [OTHER_WAY, *EN[1:]] if (lang, k) == ("en", 1) else paragraphs
            page = root / lang / f"p{k}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"# {k}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return root


NEW = {"en": "A new paragraph nobody translated yet.", "ru": "Новый абзац, который ещё никто не перевёл."}


def checked_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tree of 3 pages checked once, its findings in the cache folder ALIGN_CACHE_DIR names (tmp_path / "cache")."""
    tree = write_tree(tmp_path / "docs", pages=3)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    run_cli("check", str(tree), "-f", "json")
    return tree


def edit(tree: Path, lang: str = "en") -> None:
    """A paragraph nobody translated, added to p1 in `lang`."""
    page = tree / lang / "p1.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{NEW[lang]}\n", encoding="utf-8")


def test_unchanged_documents_are_read_back_and_an_edited_one_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_tree(tmp_path / "docs", pages=3)
    options = CheckOptions(require="ru")
    path = cache_path(tmp_path / "cache")
    request = Request(paths=(str(tree),), cache_dir=tmp_path / "cache")
    first = cached_findings(run(request).alignments, options, path)
    assert first == findings(run(request).alignments, options)
    assert {"untranslated", "shared-translation"} <= {finding.rule for finding in first}  # English is the source

    ran: list[tuple[str, str]] = []  # (what ran, on which document or "all")
    original_load, original_loaded = checks.Rule.load, findings_cache.loaded

    def counting(function: object, what: str) -> object:
        def counted(subject: object, options: CheckOptions) -> list:
            ran.append((what, subject.document.name if hasattr(subject, "document") else "all"))
            return function(subject, options)

        return counted

    monkeypatch.setattr(checks.Rule, "load", lambda rule: counting(original_load(rule), rule.id))
    monkeypatch.setattr(findings_cache, "loaded", lambda target: counting(original_loaded(target), target))
    again = cached_findings(run(request).alignments, options, path)
    assert again == first and ran == []

    edit(tree)
    alignments = run(request).alignments
    edited = cached_findings(alignments, options, path)
    assert {subject for _, subject in ran} == {"p1", "all"}  # the edited page, and the cross-document rules
    assert ("align.checks.consistency:paired_texts", "p1") in ran  # only its part of them is made again
    assert ("align.checks.consistency:shared_of_summaries", "all") in ran
    assert any("nobody translated" in finding.en for finding in edited)
    unread = [a.name for a in alignments if isinstance(a, StoredAlignment) and a.body is not None]
    assert unread == ["p0", "p2"]  # the unchanged pages' sentences and beads were never decoded
    assert edited == findings(run(request).alignments, options)


def test_the_cross_document_rules_judged_from_cached_parts_find_what_they_find_on_the_beads(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "docs", pages=3)
    request = Request(paths=(str(tree),), cache_dir=tmp_path / "cache")
    for options in (CheckOptions(require="ru"), CheckOptions(require="en"), CheckOptions(ignore=("rain",))):
        cached_findings(run(request).alignments, options, cache_path(tmp_path / "cache"))
        (tree / "ru" / "p2.md").write_text("# 2\n\n" + "\n\n".join(RU[1:]) + "\n", encoding="utf-8")
        again = cached_findings(run(request).alignments, options, cache_path(tmp_path / "cache"))
        across = [f for f in again if f.rule in ("inconsistent-translation", "shared-translation")]
        assert again == findings(run(request).alignments, options)
        assert bool(across) == (options.ignore == ())  # ignoring "rain" leaves no variant translation
        write_tree(tree, pages=3)


def test_an_edited_tree_s_warm_check_reports_byte_for_byte_what_a_cold_check_of_it_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_tree(tmp_path / "docs", pages=3)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "warm"))
    cold_code, cold, _ = run_cli("check", str(tree), "-f", "json")
    assert (cold_code, run_cli("check", str(tree), "-f", "json")[1]) == (1, cold)  # unchanged, from the cache
    edit(tree, "ru")  # the default check requires English counterparts
    code, warm, _ = run_cli("check", str(tree), "-f", "json")
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cold"))
    assert (code, warm) == run_cli("check", str(tree), "-f", "json")[:2]
    assert (code, warm) == run_cli("check", str(tree), "-f", "json", "--no-cache")[:2]
    report = json.loads(warm)
    assert any(NEW["ru"] in finding["ru"] for finding in report["findings"]) and warm != cold
    assert any(finding["rule"] == "inconsistent-translation" for finding in report["findings"])


def test_a_check_differing_only_in_how_it_reports_reads_the_findings_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_tree(tmp_path / "docs", pages=2)
    request = Request(paths=(str(tree),), cache_dir=tmp_path / "cache")
    path = cache_path(tmp_path / "cache")
    first = cached_findings(run(request).alignments, CheckOptions(require="ru"), path)
    ran: list[str] = []
    original = checks.Rule.load
    monkeypatch.setattr(checks.Rule, "load", lambda rule: ran.append(rule.id) or original(rule))
    reported_otherwise = CheckOptions(require="ru", format="sarif", fail_on="never", baseline="known.json")
    assert cached_findings(run(request).alignments, reported_otherwise, path) == first and ran == []
    cached_findings(run(request).alignments, CheckOptions(require="en"), path)  # what is required: judged again
    assert "untranslated" in ran


def test_damaged_findings_records_are_judged_again_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_tree(tmp_path / "docs", pages=2)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    expected = run_cli("check", str(tree), "-f", "json", "--no-cache")[:2]
    assert run_cli("check", str(tree), "-f", "json")[:2] == expected
    db = sqlite3.connect(cache_path(tmp_path / "cache"))
    with db:  # every record cut in half (the documents' findings, their parts and the cross-document findings)
        db.execute("UPDATE findings SET record = substr(record, 1, length(record) / 2)")
    db.close()
    assert run_cli("check", str(tree), "-f", "json")[:2] == expected  # judged again, not an internal error
    db = sqlite3.connect(cache_path(tmp_path / "cache"))
    records = [record for (record,) in db.execute("SELECT record FROM findings")]
    db.close()
    assert records and all(json.loads(record) is not None for record in records)  # and stored whole again


def parts_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the documents whose consistency part is made (not read back) from now on, as they are made."""
    made: list[str] = []
    original = findings_cache.loaded

    def counting(target: str) -> object:
        function = original(target)
        return lambda alignment, options: made.append(alignment.document.name) or function(alignment, options)

    monkeypatch.setattr(findings_cache, "loaded", lambda name: counting(name) if "paired" in name else original(name))
    return made


def test_damaged_consistency_rows_are_judged_again_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = checked_tree(tmp_path, monkeypatch)
    db = sqlite3.connect(cache_path(tmp_path / "cache"))
    with db:  # every page's consistency rows cut in half
        db.execute("UPDATE summary_rows SET row = substr(row, 1, length(row) / 2)")
    db.close()
    edit(tree)  # the cross-document findings judged again, from the unchanged pages' rows
    expected = run_cli("check", str(tree), "-f", "json", "--no-cache")[:2]
    assert "inconsistent-translation" in expected[1]  # a group the rows are read for
    assert run_cli("check", str(tree), "-f", "json")[:2] == expected  # judged again, not an internal error

    edit(tree, "ru")  # judged again from the rows the last check stored whole in place of the damaged ones
    expected = run_cli("check", str(tree), "-f", "json", "--no-cache")[:2]
    made = parts_made(monkeypatch)
    assert run_cli("check", str(tree), "-f", "json")[:2] == expected
    assert made == ["p1"]  # the edited page's part alone made: the others' rows were read back


def test_a_cache_damaged_where_its_clean_close_note_cannot_see_is_rebuilt_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = checked_tree(tmp_path, monkeypatch)
    path = cache_path(tmp_path / "cache")
    size = path.stat().st_size
    with path.open("r+b") as file:  # the rows' pages damaged, the schema's first pages intact
        file.seek(size // 4)
        file.write(bytes(size - size // 4))
    left_note(path).write_text(json.dumps(written_state(path)), encoding="utf-8")  # as bit rot leaves it: unseen
    edit(tree)
    expected = run_cli("check", str(tree), "-f", "json", "--no-cache")[:2]

    code, _, error = run_cli("check", str(tree), "-f", "json")
    assert code == 2 and error.startswith("error: embedding cache:")  # one line, no traceback
    assert run_cli("check", str(tree), "-f", "json")[:2] == expected  # checked, rebuilt, not failing for ever


def stored_keys(cache: Path) -> tuple[set[bytes], set[bytes]]:
    """The keys of the findings records, and of the parts whose consistency rows are indexed, in a cache folder."""
    db = sqlite3.connect(cache_path(cache))
    records = {key for (key,) in db.execute("SELECT key FROM findings")}
    parts = {part for (part,) in db.execute("SELECT DISTINCT part FROM summary_rows")}
    db.close()
    return records, parts


def checked_on(day: int, tree: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """`align check TREE -f json` as if run on that day (days since 1970): its exit code and report."""
    monkeypatch.setattr(findings_cache, "today", lambda: day)
    return run_cli("check", str(tree), "-f", "json")[:2]


def test_records_and_rows_no_check_used_for_keep_days_are_evicted_and_the_ones_in_use_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_tree(tmp_path / "docs", pages=3)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    day = findings_cache.today()
    checked_on(day, tree, monkeypatch)
    first = stored_keys(tmp_path / "cache")
    edit(tree)  # p1 edited every day: each version's records and rows are added
    for later in range(1, 4):
        checked_on(day + later, tree, monkeypatch)
        edit(tree, "ru" if later % 2 else "en")
    latest = checked_on(day + 4, tree, monkeypatch)
    grown = stored_keys(tmp_path / "cache")
    assert grown[0] > first[0] and grown[1] > first[1]

    unchanged = checked_on(day + findings_cache.KEEP_DAYS + 4, tree, monkeypatch)  # every version but today's gone
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "fresh"))
    assert unchanged == latest == checked_on(day + 4, tree, monkeypatch)  # the same report as a fresh cache's
    assert stored_keys(tmp_path / "cache") == stored_keys(tmp_path / "fresh")  # holding what a fresh cache holds


def test_an_unchanged_tree_checked_now_and_then_keeps_its_rows_and_re_checks_an_edit_from_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = checked_tree(tmp_path, monkeypatch)
    day = findings_cache.today()
    kept = stored_keys(tmp_path / "cache")
    for gap in range(1, 4):  # each check reads every record back (no part is made again), each within KEEP_DAYS
        checked_on(day + gap * findings_cache.KEEP_DAYS, tree, monkeypatch)
        assert stored_keys(tmp_path / "cache") == kept

    made = parts_made(monkeypatch)
    edit(tree)
    checked_on(day + 3 * findings_cache.KEEP_DAYS + 1, tree, monkeypatch)
    assert made == ["p1"]  # the unchanged pages' rows were still there to read


def test_findings_read_back_are_the_ones_stored_and_a_record_of_other_fields_is_damaged(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "docs", pages=2)
    found = findings(run(Request(paths=(str(tree),), cache_dir=tmp_path / "cache")).alignments, CheckOptions())
    assert any(finding.related for finding in found)  # the consistency finding's places come back as tuples too

    record = findings_cache.record_of_findings(found)

    assert findings_cache.findings_of_record(record) == found
    one_short = json.dumps([values[:-1] for values in json.loads(record)]).encode()
    assert findings_cache.read_back({b"k": one_short}, b"k", findings_cache.findings_of_record) is None
