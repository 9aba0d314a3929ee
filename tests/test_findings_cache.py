"""align.findings_cache: `align check`'s findings read back for unchanged documents, recomputed for edited ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from align import checks
from align.cache import cache_path
from align.checks import CheckOptions, findings
from align.findings_cache import cached_findings
from align.runner import Request, run
from tests.story import EN, RU


def write_tree(root: Path, pages: int) -> Path:
    """docs/en/pN.md + docs/ru/pN.md: the story in each page, one English paragraph without Russian."""
    for k in range(pages):
        for lang, paragraphs in (("ru", RU), ("en", EN)):
            page = root / lang / f"p{k}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"# {k}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return root


def test_unchanged_documents_are_read_back_and_an_edited_one_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = write_tree(tmp_path / "docs", pages=3)
    options = CheckOptions(require="ru")
    path = cache_path(tmp_path / "cache")
    request = Request(paths=(str(tree),), cache_dir=tmp_path / "cache")
    first = cached_findings(run(request).alignments, options, path)
    assert first == findings(run(request).alignments, options)
    assert any(finding.rule == "untranslated" for finding in first)

    ran: list[str] = []
    original = checks.Rule.load

    def counting_load(rule: checks.Rule) -> object:
        function = original(rule)

        def counting(subject: object, options: CheckOptions) -> list:
            ran.append(subject.document.name if hasattr(subject, "document") else "all")
            return function(subject, options)

        return counting

    monkeypatch.setattr(checks.Rule, "load", counting_load)
    again = cached_findings(run(request).alignments, options, path)
    assert again == first and ran == []

    page = tree / "en" / "p1.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new paragraph nobody translated yet.\n", encoding="utf-8")
    edited = cached_findings(run(request).alignments, options, path)
    assert set(ran) == {"p1", "all"}  # the edited page and the cross-document rules, nothing else
    assert any("nobody translated" in finding.en for finding in edited)
    assert edited == findings(run(request).alignments, options)
