"""The ODT reader (align/readers/odt.py): real OpenDocument files written by odfdo, read through the pipeline and
the CLI; broken, encrypted, oversized and entity-laden ones are one error line each."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from odfdo import Cell, Document, Header, List, ListItem, Note, Paragraph, Row, Section, Table

from align.load import InputError
from align.model import Source
from align.readers import reader_for
from align.readers.odt import OdtReader
from align.readers.zipped import MAX_UNPACKED_BYTES
from tests import story

HEADING = {"ru": "Кошка и дождь", "en": "The cat and the rain"}
CELLS = {
    "ru": ("Кошку зовут Мурка.", "Ей три года."),
    "en": ("The cat is called Murka.", "She is three years old."),
}
SECRET = "The secret password is swordfish."


def new_document() -> Document:
    document = Document("text")
    document.body.clear()
    return document


def table_of(texts: tuple[str, ...]) -> Table:
    table = Table("Table1")
    row = Row()
    for text in texts:
        cell = Cell()
        cell.append(Paragraph(text))
        row.append(cell)
    table.append(row)
    return table


def write_story(path: Path, lang: str) -> Path:
    """The story in one language as an ODT: a heading, its paragraphs, a table of two cells."""
    document = new_document()
    document.body.append(Header(1, HEADING[lang]))
    for text in story.RU if lang == "ru" else story.EN:
        document.body.append(Paragraph(text))
    document.body.append(table_of(CELLS[lang]))
    document.save(str(path))
    return path


def read(path: Path) -> Source:
    return OdtReader().source(str(path), path.read_bytes())


def test_the_story_gives_the_text_pairs_and_the_one_finding_at_its_paragraph(tmp_path: Path) -> None:
    text_pairs, _ = story.pairs_and_findings(*story.write_text_pair(tmp_path / "txt"))
    ru, en = write_story(tmp_path / "story.ru.odt", "ru"), write_story(tmp_path / "story.en.odt", "en")
    pairs, findings = story.pairs_and_findings(ru, en)
    cells = list(zip(CELLS["ru"], CELLS["en"], strict=True))
    assert pairs == [(HEADING["ru"], HEADING["en"]), *text_pairs, *cells]
    assert [(f.rule, f.file, f.en) for f in findings] == [("untranslated", str(en), story.EN[story.DELETED])]
    line = findings[0].line
    assert read(en).text.split("\n")[line - 1] == story.EN[story.DELETED]
    assert line == 2 + story.DELETED  # the heading is line 1
    unpaired = [s for bead in story.aligned(ru, en).beads if not bead.paired for s in bead.en]
    assert [(s.text, s.location) for s in unpaired] == [(story.EN[story.DELETED], f"paragraph {2 + story.DELETED}")]


def test_units_are_located_by_paragraph_and_table_cell_lists_and_sections_opened(tmp_path: Path) -> None:
    document = new_document()
    document.body.append(Header(2, "Заголовок"))
    document.body.append(Paragraph(""))  # counted, not read
    noted = Paragraph("Текст со сноской.")
    noted.append(Note(note_id="ftn1", citation="1", body="Сноска не входит в абзац."))
    noted.append(" И продолжение.")
    document.body.append(noted)
    items = List()
    items.append(ListItem("Пункт списка."))
    document.body.append(items)
    section = Section()
    section.append(Paragraph("В разделе."))
    document.body.append(section)
    document.body.append(table_of(("", "Вторая ячейка.")))
    path = tmp_path / "units.odt"
    document.save(str(path))

    source = read(path)
    paragraphs = reader_for(str(path)).paragraphs(source)
    assert source.encoding == "odt"
    assert source.text == "Заголовок\nТекст со сноской. И продолжение.\nПункт списка.\nВ разделе.\nВторая ячейка."
    assert [(p.line, p.location, p.whole) for p in paragraphs] == [
        (1, "paragraph 1", True),
        (2, "paragraph 3", False),
        (3, "paragraph 4", False),
        (4, "paragraph 5", False),
        (5, "table 1, row 1, cell 2", True),
    ]
    assert all(source.text[p.start : p.end] == p.text for p in paragraphs)


# ---------------------------------------------------------------------------------------- bad input


def rewritten(good: Path, target: Path, changes: dict[str, Callable[[bytes], bytes]]) -> Path:
    """A copy of the archive `good` at `target`, the members named in `changes` changed."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info.filename, changes[info.filename](data) if info.filename in changes else data)
    return target


def with_external_entity(folder: Path) -> Path:
    """An ODT whose content.xml declares an external entity pointing at a local file, used in a paragraph."""
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    good = write_story(folder / "good.odt", "en")

    def change(xml: bytes) -> bytes:
        declaration = f'<!DOCTYPE office:document-content [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>'.encode()
        head, _, rest = xml.partition(b"?>")
        return head + b"?>" + declaration + rest.replace(b"The cat sat", b"&secret; The cat sat", 1)

    return rewritten(good, folder / "entity.odt", {"content.xml": change})


def encrypted(folder: Path) -> Path:
    """An ODT as a password-protected one is stored: content.xml encrypted, the manifest saying how."""
    good = write_story(folder / "plain.odt", "en")
    entry = b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
    encryption = b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'

    def manifest(xml: bytes) -> bytes:
        return xml.replace(
            b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
            entry + encryption + b"</manifest:file-entry>",
        )

    return rewritten(
        good, folder / "locked.odt", {"META-INF/manifest.xml": manifest, "content.xml": lambda _: os.urandom(4000)}
    )


def zip_bomb(path: Path) -> Path:
    """A small archive that unpacks past the limit: a content.xml of blanks."""
    chunk = b" " * 1_048_576
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        with archive.open("content.xml", "w") as member:
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                member.write(chunk)
    return path


def spreadsheet(path: Path) -> Path:
    Document("spreadsheet").save(str(path))
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BAD = {
    "corrupt": (lambda folder: write_bytes(folder / "corrupt.odt", os.urandom(3000)), "not a valid ODT"),
    "encrypted": (encrypted, "password-protected"),
    "zip bomb": (lambda folder: zip_bomb(folder / "bomb.odt"), "zip bomb"),
    "entity": (with_external_entity, "declares a DOCTYPE"),
    "spreadsheet": (lambda folder: spreadsheet(folder / "sheet.odt"), "not an OpenDocument text"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_odt_is_one_error_line_and_the_good_file_is_aligned(tmp_path: Path, case: str) -> None:
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
