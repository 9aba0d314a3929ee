"""Tests for align.engines.processes: which chunk of documents the workers take first."""

from __future__ import annotations

from pathlib import Path

from align.engines.processes import largest_first
from align.load import Input


def pair(folder: Path, name: str, chars: int) -> Input:
    """A RU + EN pair of `chars` characters a side, written to `folder`."""
    paths = []
    for lang, text in (("ru", "Пример. "), ("en", "Example. ")):
        path = folder / f"{name}.{lang}.txt"
        path.write_text((text * chars)[:chars], encoding="utf-8")
        paths.append(str(path))
    return Input(name, tuple(paths))


def test_the_chunk_holding_a_long_document_goes_to_the_workers_first(tmp_path: Path) -> None:
    """A long book at the end of the inputs would otherwise start last and keep one worker busy alone."""
    short = [[pair(tmp_path, f"short{k}", 2_000)] for k in range(3)]
    long = [[pair(tmp_path, "book", 50_000)]]
    assert largest_first(short + long) == [3, 0, 1, 2]


def test_chunks_of_equal_size_keep_the_input_order(tmp_path: Path) -> None:
    chunks = [[pair(tmp_path, f"page{k}", 1_000)] for k in range(4)]
    assert largest_first(chunks) == [0, 1, 2, 3]


def test_a_file_that_has_gone_counts_as_empty(tmp_path: Path) -> None:
    """Reading it is the worker's error to report; ordering it needs no size."""
    gone = Input("gone", (str(tmp_path / "gone.ru.txt"), str(tmp_path / "gone.en.txt")))
    assert largest_first([[gone], [pair(tmp_path, "here", 100)]]) == [1, 0]
