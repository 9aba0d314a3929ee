"""align.early_load: the encoder starts loading early only when a file under the arguments changed since the cache
was last written."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from align.cache_location import cache_path
from align.early_load import changed_since_cache

TICK = 0.05  # seconds: longer than the file system's coarsest time step, so that a later write has a later time


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """docs/{en,ru}/page.md, and the cache folder (no database in it yet)."""
    for lang, text in (("en", "The cat sleeps."), ("ru", "Кошка спит.")):
        page = tmp_path / "docs" / lang / "page.md"
        page.parent.mkdir(parents=True)
        page.write_text(text, encoding="utf-8")
    (tmp_path / "cache").mkdir()
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "docs"


def test_without_a_cache_every_run_loads_early(tree: Path) -> None:
    assert changed_since_cache([str(tree)])


def test_unchanged_files_older_than_the_cache_load_nothing_early(tree: Path) -> None:
    cache_path().write_bytes(b"")  # written after the pages

    assert not changed_since_cache([str(tree)])
    assert not changed_since_cache([str(tree / "en" / "page.md"), "jsonl", "--no-such-file"])  # option values pass


def test_a_page_edited_after_the_cache_was_written_loads_early(tree: Path) -> None:
    cache_path().write_bytes(b"")  # written after the pages ...
    assert not changed_since_cache([str(tree)])
    time.sleep(TICK)

    (tree / "ru" / "page.md").write_text("Кошка спит. Собака лает.", encoding="utf-8")  # ... and one edited since

    assert changed_since_cache([str(tree)])


def test_the_write_ahead_log_counts_as_the_cache_written(tree: Path) -> None:
    cache_path().write_bytes(b"")
    os.utime(cache_path(), ns=(0, 0))  # the database itself last written in 1970
    assert changed_since_cache([str(tree)])

    Path(f"{cache_path()}-wal").write_bytes(b"")

    assert not changed_since_cache([str(tree)])
