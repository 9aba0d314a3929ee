"""The DOCX reader (align/readers/docx.py): real Word files written by python-docx, read through the pipeline and
the CLI; broken, encrypted, oversized and entity-laden ones are one error line each."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from align.load import InputError
from align.model import Source
from align.readers import reader_for
from align.readers.docx import DocxReader
from align.readers.zipped import MAX_UNPACKED_BYTES, OLE_MAGIC
from tests import story

HEADING = {"ru": "Кошка и дождь", "en": "The cat and the rain"}
CELLS = {
    "ru": ("Кошку зовут Мурка.", "Ей три года."),
    "en": ("The cat is called Murka.", "She is three years old."),
}
SECRET = "The secret password is swordfish."


def write_story(path: Path, lang: str) -> Path:
    """The story in one language as a Word file: a heading, its paragraphs, a table of two cells."""
    document = docx.Document()
    document.add_heading(HEADING[lang], level=1)
    for text in story.RU if lang == "ru" else story.EN:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    for cell, text in zip(table.rows[0].cells, CELLS[lang], strict=True):
        cell.text = text
    document.save(str(path))
    return path


def story_pair(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return write_story(folder / "story.ru.docx", "ru"), write_story(folder / "story.en.docx", "en")


def read(path: Path) -> Source:
    return DocxReader().source(str(path), path.read_bytes())


def test_the_story_gives_the_text_pairs_and_the_one_finding_at_its_paragraph(tmp_path: Path) -> None:
    text_pairs, _ = story.pairs_and_findings(*story.write_text_pair(tmp_path / "txt"))
    ru, en = story_pair(tmp_path / "docx")
    pairs, findings = story.pairs_and_findings(ru, en)
    cells = list(zip(CELLS["ru"], CELLS["en"], strict=True))
    assert pairs == [(HEADING["ru"], HEADING["en"]), *text_pairs, *cells]
    assert [(f.rule, f.file, f.en) for f in findings] == [("untranslated", str(en), story.EN[story.DELETED])]
    line = findings[0].line
    assert read(en).text.split("\n")[line - 1] == story.EN[story.DELETED]
    assert line == 2 + story.DELETED  # the heading is line 1
    unpaired = [s for bead in story.aligned(ru, en).beads if not bead.paired for s in bead.en]
    assert [(s.text, s.location) for s in unpaired] == [(story.EN[story.DELETED], f"paragraph {2 + story.DELETED}")]


def test_units_are_located_by_paragraph_and_table_cell(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Заголовок", level=2)
    document.add_paragraph("")  # counted, not read
    broken = document.add_paragraph("Первая строка,")
    broken.add_run().add_break()
    broken.add_run("вторая строка.")
    table = document.add_table(rows=2, cols=2)
    table.cell(1, 1).text = "Последняя ячейка."
    document.add_paragraph("После таблицы.")
    path = tmp_path / "units.docx"
    document.save(str(path))

    source = read(path)
    paragraphs = reader_for(str(path)).paragraphs(source)
    assert source.encoding == "docx"
    assert source.text == "Заголовок\nПервая строка, вторая строка.\nПоследняя ячейка.\nПосле таблицы."
    assert [(p.line, p.location, p.whole) for p in paragraphs] == [
        (1, "paragraph 1", True),
        (2, "paragraph 3", False),
        (3, "table 1, row 2, cell 2", True),
        (4, "paragraph 4", False),
    ]
    assert all(source.text[p.start : p.end] == p.text for p in paragraphs)


def test_a_heading_by_outline_level_is_whole(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Глава первая")
    paragraph.paragraph_format.element.get_or_add_pPr()
    outline = docx.oxml.OxmlElement("w:outlineLvl")
    outline.set(docx.oxml.ns.qn("w:val"), "0")
    paragraph._p.pPr.append(outline)
    document.add_paragraph("Обычный текст.")
    path = tmp_path / "outline.docx"
    document.save(str(path))
    assert [p.whole for p in DocxReader().paragraphs(read(path))] == [True, False]


# ---------------------------------------------------------------------------------------- bad input


def rewritten(good: Path, target: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the archive `good` at `target`, its `member` changed by `change`."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info.filename, change(data) if info.filename == member else data)
    return target


def with_external_entity(folder: Path) -> Path:
    """A Word file whose document.xml declares an external entity pointing at a local file, used in a run."""
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    good = write_story(folder / "good.docx", "en")

    def change(xml: bytes) -> bytes:
        declaration = f'<!DOCTYPE w:document [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>'.encode()
        head, _, rest = xml.partition(b"?>")
        return head + b"?>" + declaration + rest.replace(b"The cat sat", b"&secret; The cat sat", 1)

    return rewritten(good, folder / "entity.docx", "word/document.xml", change)


def zip_bomb(path: Path) -> Path:
    """A small archive that unpacks past the limit: a document.xml of blanks."""
    chunk = b" " * 1_048_576
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                member.write(chunk)
    return path


def not_a_word_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "just a zip")
    return path


BAD = {
    "corrupt": (lambda folder: write_bytes(folder / "corrupt.docx", b"PK\x03\x04 not really"), "not a valid DOCX"),
    "encrypted": (lambda folder: write_bytes(folder / "locked.docx", OLE_MAGIC + bytes(600)), "password-protected"),
    "zip bomb": (lambda folder: zip_bomb(folder / "bomb.docx"), "zip bomb"),
    "entity": (with_external_entity, "declares a DOCTYPE"),
    "other zip": (lambda folder: not_a_word_zip(folder / "other.docx"), "not a valid DOCX"),
}


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_docx_is_one_error_line_and_the_good_file_is_aligned(tmp_path: Path, case: str) -> None:
    make, problem = BAD[case]
    bad = make(tmp_path)
    code, errors, stdout, stderr, out = story.run_beside_a_good_file(bad, tmp_path)
    assert code == 2
    assert len(errors) == 1 and errors[0].startswith(f"error: {bad}: ") and problem in errors[0]
    assert "Traceback" not in stdout + stderr
    assert (out / "mixed.jsonl").exists() and "aligned mixed" in stderr
    assert all(SECRET not in file.read_text(encoding="utf-8") for file in out.iterdir() if file.is_file())


def test_the_reader_refuses_what_it_cannot_read_with_one_line(tmp_path: Path) -> None:
    for make, problem in BAD.values():
        bad = make(tmp_path)
        with pytest.raises(InputError, match=re.escape(problem)) as caught:
            read(bad)
        assert str(caught.value).startswith(f"{bad}: ") and "\n" not in str(caught.value)


def test_an_archive_under_the_limit_is_read(tmp_path: Path) -> None:
    path = write_story(tmp_path / "story.en.docx", "en")
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert sum(info.file_size for info in archive.infolist()) < MAX_UNPACKED_BYTES
    assert read(path).text.split("\n")[0] == HEADING["en"]
