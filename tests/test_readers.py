"""The reader registry: a format is one module, found by the file's suffix."""

from __future__ import annotations

import pytest

from align.model import Source
from align.readers import reader_for, suffixes
from align.readers.markdown import MarkdownReader
from align.readers.text import TextReader


def test_each_suffix_has_its_reader() -> None:
    assert suffixes()[:3] == (".txt", ".md", ".mdx") and ".docx" in suffixes() and ".srt" in suffixes()
    assert isinstance(reader_for("notes/a.MD"), MarkdownReader) and isinstance(reader_for("a.txt"), TextReader)


def test_a_file_named_explicitly_with_another_suffix_is_read_as_text() -> None:
    assert isinstance(reader_for("page.text"), TextReader)


def test_text_and_markdown_read_plain_paragraphs_with_their_lines() -> None:
    source = Source(path="x.txt", text="Первый абзац.\n\nSecond paragraph\nwraps here.\n", encoding="utf-8")
    for suffix in (".txt", ".md", ".mdx"):
        paragraphs = reader_for(f"x{suffix}").paragraphs(source)
        assert [(p.line, p.text) for p in paragraphs] == [(1, "Первый абзац."), (3, "Second paragraph\nwraps here.")]


def test_a_missing_optional_library_is_one_error_naming_the_extra(tmp_path, monkeypatch) -> None:
    import builtins

    from align.load import InputError

    real_import = builtins.__import__

    def without_docx(name, *args, **kwargs):
        if name == "docx" or name.startswith("docx."):
            raise ModuleNotFoundError("No module named 'docx'", name="docx")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_docx)
    monkeypatch.delitem(__import__("sys").modules, "align.readers.docx", raising=False)
    expected = r"^report\.docx: reading \.docx files needs python-docx: pip install 'align\[formats\]'$"
    with pytest.raises(InputError, match=expected):
        reader_for("report.docx")
