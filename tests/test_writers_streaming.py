"""The streaming writers (tmx, csv, jsonl `pieces`): the same bytes as the whole text, a bead at a time, a bead
of megabytes in pieces of at most a million characters; write_atomic writes pieces as they come."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from align.files import write_atomic
from align.model import Alignment, Bead, Document
from align.writers import corpus_text, write_corpus, write_document, writer_for
from align.writers.csv import LONG_CELL, csv_cell, csv_row
from align.writers.tmx import LONG_TEXT, tmx_text
from tests.test_writers import context, make_alignment, one_pair

# Everything a format escapes or quotes: XML specials, CR, quotes, commas, line ends, a private-use character.
TRICKY = 'a & b < c > d\r\n"quoted", «ёлки» \ue000 tab\tend'


def whole_csv(alignments) -> str:
    """The CSV as Python's csv module writes it in one go (what csv_text wrote before it streamed)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(("document", "ru", "en", "score", "kind", "ru_lines", "en_lines"))
    for alignment in alignments:
        for bead in alignment.beads:
            if not bead.other:
                writer.writerow([csv_cell(cell) for cell in csv_row(bead, alignment.document.name)])
    return buffer.getvalue()


def long_pair() -> list:
    """A page of one bead whose sides are 1.5 and 2.2 million characters of TRICKY text."""
    return [one_pair(TRICKY * (LONG_TEXT * 3 // 2 // len(TRICKY)), TRICKY * (LONG_CELL * 11 // 5 // len(TRICKY)))]


@pytest.mark.parametrize("alignments", [[], [make_alignment()], [make_alignment("a"), make_alignment("b")]])
def test_the_pieces_of_each_streaming_writer_are_the_text_it_writes_whole(alignments) -> None:
    ctx = context()
    assert "".join(writer_for("tmx").pieces(alignments, ctx)) == tmx_text(alignments, ctx)
    assert "".join(writer_for("csv").pieces(alignments, ctx)) == whole_csv(alignments)
    jsonl = writer_for("jsonl")
    assert "".join(jsonl.pieces(alignments, ctx)) == "".join(jsonl.document(a, ctx) for a in alignments)


def test_a_bead_of_megabytes_is_written_in_pieces_with_the_bytes_it_has_whole() -> None:
    alignments, ctx = long_pair(), context()

    tmx_pieces = list(writer_for("tmx").pieces(alignments, ctx))
    csv_pieces = list(writer_for("csv").pieces(alignments, ctx))

    assert "".join(tmx_pieces) == tmx_text(alignments, ctx)
    assert "".join(csv_pieces) == whole_csv(alignments)
    # escaping makes a piece longer than LONG_TEXT characters (1.34 M here), never the whole side (2 M escaped)
    assert max(map(len, tmx_pieces)) < 1.5 * LONG_TEXT and max(map(len, csv_pieces)) < 1.5 * LONG_CELL


def test_write_atomic_writes_pieces_leaves_a_file_that_holds_them_untouched_and_replaces_one_that_does_not(
    tmp_path: Path,
) -> None:
    path = tmp_path / "out.txt"
    write_atomic(path, iter(["Кошка ", "& ", "dog\n"]))
    assert path.read_bytes() == "Кошка & dog\n".encode()
    before = path.stat()

    write_atomic(path, iter(["Кошка & ", "dog\n"]))
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)

    write_atomic(path, iter(["Кошка & cat\n"]))
    assert path.read_text(encoding="utf-8") == "Кошка & cat\n"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_streamed_pieces_that_equal_the_file_are_only_read_no_temporary_file_and_no_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"ru": "Кошка"}\n{"en": "cat"}\n', encoding="utf-8")
    before = path.stat()

    def no_fsync(fd: int) -> None:
        raise AssertionError("an unchanged file was written and synced")

    monkeypatch.setattr(os, "fsync", no_fsync)
    write_atomic(path, iter(['{"ru": "Кошка"}\n', '{"en": "cat"}\n']))

    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert os.listdir(tmp_path) == ["out.jsonl"]


@pytest.mark.parametrize(
    "old",
    [
        "one\ntwo\nthree\n",  # differs in the second piece, after a matched head
        "one\ntw",  # ends inside the second piece
        "one\ntwo\nfour\nand a tail\n",  # longer than the pieces
        "",  # empty
    ],
)
def test_a_file_that_differs_anywhere_ends_up_holding_exactly_the_pieces(tmp_path: Path, old: str) -> None:
    path = tmp_path / "out.txt"
    path.write_text(old, encoding="utf-8")

    write_atomic(path, iter(["one\n", "two\n", "four\n"]))

    assert path.read_text(encoding="utf-8") == "one\ntwo\nfour\n"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_pieces_equal_to_a_head_of_a_longer_file_cut_it_to_them(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("one\ntwo\nthree\n", encoding="utf-8")

    write_atomic(path, iter(["one\n", "two\n"]))

    assert path.read_text(encoding="utf-8") == "one\ntwo\n"


def test_streamed_pieces_replace_a_symlink_and_leave_its_target_alone(tmp_path: Path) -> None:
    target, link = tmp_path / "target.txt", tmp_path / "out.txt"
    target.write_text("same\n", encoding="utf-8")
    link.symlink_to(target)

    write_atomic(link, iter(["same\n"]))

    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "same\n"
    assert target.read_text(encoding="utf-8") == "same\n"


def test_a_piece_that_cannot_be_written_leaves_the_file_as_it_was_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old\n", encoding="utf-8")

    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, iter(["new ", "\udcff"]))

    assert path.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_document_and_corpus_files_are_written_from_the_pieces_and_hold_the_whole_text(tmp_path: Path) -> None:
    alignment, ctx = make_alignment(), context()
    formats = ("tmx", "csv", "jsonl", "html")
    write_document(alignment, tmp_path, formats, ctx)
    write_corpus([alignment], tmp_path, formats, ctx)

    for name in ("tmx", "csv", "jsonl"):
        writer = writer_for(name)
        assert not isinstance(corpus_text(writer, [alignment], ctx), str)  # streamed
        expected = writer.corpus([alignment], ctx).encode("utf-8")
        assert (tmp_path / f"interview{writer.suffix}").read_bytes() == expected
        assert (tmp_path / writer.corpus_name).read_bytes() == expected
    assert isinstance(corpus_text(writer_for("html"), [alignment], ctx), str)  # a writer without pieces


def test_writing_a_page_holds_about_one_bead_of_it_at_a_time_not_the_page(tmp_path: Path) -> None:
    import tracemalloc

    from tests.test_writers import SourceText

    ru, en = SourceText("big.ru.txt", "ru"), SourceText("big.en.txt", "en")
    pairs = [
        (ru.segment(f"{k} " + "Кошка & собака. " * 400), en.segment(f"{k} " + "Cat & dog. " * 400)) for k in range(1500)
    ]
    document = Document("big", ru.file, en.file, ru=[p[0] for p in pairs], en=[p[1] for p in pairs])
    alignment = Alignment(document, [Bead((r,), (e,), 0.9) for r, e in pairs])
    text_bytes = sum(len(s.text.encode()) for pair in pairs for s in pair)  # about 18 MB
    del ru, en

    tracemalloc.start()
    try:
        write_document(alignment, tmp_path, ("tmx", "csv", "jsonl"), context())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (tmp_path / "big.csv").stat().st_size > text_bytes
    assert peak < text_bytes / 10  # the whole text as one string, then as bytes, took more than twice text_bytes
