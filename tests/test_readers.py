"""The reader registry: a format is one module, found by the file's suffix."""

from __future__ import annotations

from align.model import Source
from align.readers import REGISTRY, reader_for, suffixes
from align.readers.text import TextReader


def test_text_and_markdown_are_read_as_text() -> None:
    assert suffixes() == (".txt", ".md")
    assert isinstance(reader_for("notes/a.MD"), TextReader) and isinstance(reader_for("a.txt"), TextReader)


def test_a_file_named_explicitly_with_another_suffix_is_read_as_text() -> None:
    assert isinstance(reader_for("page.text"), TextReader)


def test_every_registry_entry_imports_and_reads_paragraphs_with_their_lines() -> None:
    source = Source(path="x.txt", text="Первый абзац.\n\nSecond paragraph\nwraps here.\n", encoding="utf-8")
    for suffix in REGISTRY:
        paragraphs = reader_for(f"x{suffix}").paragraphs(source)
        assert [(p.line, p.text) for p in paragraphs] == [(1, "Первый абзац."), (3, "Second paragraph\nwraps here.")]
