"""A re-run leaves alone the output files that still hold what it would write, without rendering them, and writes
again every file that was edited, replaced or deleted, or whose alignment, format settings or date changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.runner import Request, run
from align.writers.jsonl import JsonlWriter

PAGES = {
    "one": ("Кошка спит на диване. Собака во дворе.\n", "The cat sleeps on the sofa. The dog is in the yard.\n"),
    "two": ("Дом стоит у реки.\n", "The house stands by the river.\n"),
}
DATE = "20240101T000000Z"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (ru, en) in PAGES.items():
        (folder / f"{name}.ru.txt").write_text(ru, encoding="utf-8")
        (folder / f"{name}.en.txt").write_text(en, encoding="utf-8")
    return folder


def request_for(pages: Path, formats: tuple[str, ...] = ("jsonl",), created: str = DATE, cache: bool = True) -> Request:
    out, cache_dir = pages.parent / "out", pages.parent / "cache"
    return Request(paths=(str(pages),), out=out, formats=formats, created=created, cache=cache, cache_dir=cache_dir)


def states(out: Path) -> dict[str, tuple[int, int]]:
    """Each output file's inode and modification time: what a write or a replacement changes."""
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in sorted(out.iterdir())}


def rendering_recorded(monkeypatch: pytest.MonkeyPatch, writer: type) -> list[str]:
    """The names of the documents `writer` renders from now on, in order (a corpus: each of its documents)."""
    asked: list[str] = []
    pieces = writer.pieces

    def recorded(self: object, alignments: list, context: object) -> object:
        asked.extend(alignment.document.name for alignment in alignments)
        return pieces(self, alignments, context)

    monkeypatch.setattr(writer, "pieces", recorded)
    return asked


def test_an_unchanged_re_run_renders_nothing_and_leaves_every_file_as_it_was(
    pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(request_for(pages))
    before = states(first.request.out)
    asked = rendering_recorded(monkeypatch, JsonlWriter)

    second = run(request_for(pages))

    assert asked == [] and not second.failed and not second.details.get("write_errors")
    assert states(second.request.out) == before
    assert sorted(second.written) == ["corpus.jsonl", "signature.json"]
    assert [sorted(outcome.written) for outcome in second.outcomes] == [["one.jsonl"], ["two.jsonl"]]


def test_an_output_edited_by_hand_is_written_again_and_the_others_are_left_alone(pages: Path) -> None:
    out = run(request_for(pages)).request.out
    expected = (out / "one.jsonl").read_bytes()
    (out / "one.jsonl").write_bytes(expected.replace(b"cat", b"dog"))  # same size
    untouched = states(out)["two.jsonl"]

    run(request_for(pages))

    assert (out / "one.jsonl").read_bytes() == expected
    assert states(out)["two.jsonl"] == untouched


def test_a_deleted_output_is_written_again(pages: Path) -> None:
    out = run(request_for(pages)).request.out
    expected = (out / "corpus.jsonl").read_bytes()
    (out / "corpus.jsonl").unlink()

    run(request_for(pages))

    assert (out / "corpus.jsonl").read_bytes() == expected


def test_an_edited_input_renders_its_own_file_and_the_corpus_again(
    pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run(request_for(pages)).request.out
    (pages / "two.en.txt").write_text("The house stands by the lake.\n", encoding="utf-8")
    asked = rendering_recorded(monkeypatch, JsonlWriter)

    run(request_for(pages))

    assert asked == ["two", "one", "two"]  # its own file, then the corpus of both
    assert "lake" in (out / "two.jsonl").read_text(encoding="utf-8")
    assert "lake" in (out / "corpus.jsonl").read_text(encoding="utf-8")


def test_a_new_date_renders_the_dated_tmx_again_but_not_the_undated_jsonl(
    pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run(request_for(pages, formats=("tmx", "jsonl"))).request.out
    asked = rendering_recorded(monkeypatch, JsonlWriter)

    run(request_for(pages, formats=("tmx", "jsonl"), created="20250101T000000Z"))

    assert asked == []
    assert 'creationdate="20250101T000000Z"' in (out / "one.tmx").read_text(encoding="utf-8")
    assert 'creationdate="20250101T000000Z"' in (out / "corpus.tmx").read_text(encoding="utf-8")


def test_without_the_cache_every_file_is_rendered_again(pages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(request_for(pages, cache=False))
    asked = rendering_recorded(monkeypatch, JsonlWriter)

    run(request_for(pages, cache=False))

    assert asked == ["one", "two", "one", "two"]
    assert not (pages.parent / "cache").exists()
