"""The EPUB reader: books made by ebooklib read chapter by chapter; corrupt, encrypted and hostile ones refused."""

from __future__ import annotations

import html
import io
import zipfile
from pathlib import Path

import pytest
from ebooklib import epub

from align.load import InputError
from align.model import Source
from align.readers import reader_for
from align.readers.epub import MAX_UNPACKED_BYTES, EpubReader
from tests import story
from tests.conftest import SEEDS, run_cli

TITLE_RU, TITLE_EN = "Кошка и дождь", "The cat and the rain"
SPLIT = 2  # the story's paragraphs from this one on are chapter 2
AES = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
FONT_MANGLING = "http://www.idpf.org/2008/embedding"
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE package [\n<!ENTITY lol "lol">\n'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
    b'<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata>&lol3;</metadata></package>\n'
)


def write_book(path: Path, title: str, paragraphs: list[str], lang: str) -> Path:
    """An EPUB 3 made by ebooklib: chapter 1 the title and the first paragraphs, chapter 2 the rest; a nav
    document (the table of contents) first in the spine."""
    book = epub.EpubBook()
    book.set_identifier(f"story-{lang}")
    book.set_title(title)
    book.set_language(lang)
    chapters = []
    for number, part in enumerate((paragraphs[:SPLIT], paragraphs[SPLIT:]), start=1):
        chapter = epub.EpubHtml(title=f"{title} {number}", file_name=f"chapter{number}.xhtml", lang=lang)
        heading = [f"<h1>{html.escape(title)}</h1>"] if number == 1 else []
        chapter.content = "\n".join(heading + [f"<p>{html.escape(p, quote=False)}</p>" for p in part])
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    epub.write_epub(str(path), book)
    return path


def rewritten(path: Path, changes: dict[str, bytes]) -> bytes:
    """The EPUB at `path` with members replaced or added (the mimetype stays first, stored)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = changes.pop(info.filename, None)
            target.writestr(info, source.read(info) if data is None else data)
        for name, data in changes.items():
            target.writestr(name, data)
    return out.getvalue()


def encryption_xml(algorithm: str, uri: str) -> bytes:
    return (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        f'<enc:EncryptionMethod Algorithm="{algorithm}"/><enc:CipherData><enc:CipherReference URI="{uri}"/>'
        "</enc:CipherData></enc:EncryptedData></encryption>"
    ).encode()


@pytest.fixture
def ru_book(tmp_path: Path) -> Path:
    return write_book(tmp_path / "story.ru.epub", TITLE_RU, story.RU, "ru")


def test_the_epub_suffix_has_the_epub_reader() -> None:
    assert isinstance(reader_for("Book.EPUB"), EpubReader) and EpubReader.extra == "formats"


def test_the_spine_documents_are_read_in_order_each_paragraph_located_in_its_document(ru_book: Path) -> None:
    reader = EpubReader()
    source = reader.source(str(ru_book), ru_book.read_bytes())
    paragraphs = reader.paragraphs(source)
    assert [p.text for p in paragraphs] == [TITLE_RU, *story.RU]  # the nav document's table of contents: left out
    assert [p.location for p in paragraphs] == [
        "chapter1.xhtml, paragraph 1",
        "chapter1.xhtml, paragraph 2",
        "chapter1.xhtml, paragraph 3",
        "chapter2.xhtml, paragraph 1",
    ]
    assert [p.whole for p in paragraphs] == [True, False, False, False]
    with zipfile.ZipFile(ru_book) as archive:
        documents = {name: archive.read(f"EPUB/{name}").decode("utf-8").split("\n") for name in ("chapter1.xhtml",)}
        documents["chapter2.xhtml"] = archive.read("EPUB/chapter2.xhtml").decode("utf-8").split("\n")
    for paragraph in paragraphs:
        assert source.text[paragraph.start : paragraph.end] == paragraph.text
        document = documents[paragraph.location.split(",")[0]]
        assert html.escape(paragraph.text, quote=False) in document[paragraph.line - 1]


def test_the_story_as_epub_gives_the_text_versions_pairs_and_finding(tmp_path: Path) -> None:
    txt_pairs, txt_findings = story.pairs_and_findings(*story.write_text_pair(tmp_path / "txt"))
    ru = write_book(tmp_path / "story.ru.epub", TITLE_RU, story.RU, "ru")
    en = write_book(tmp_path / "story.en.epub", TITLE_EN, story.EN, "en")
    pairs, findings = story.pairs_and_findings(ru, en)
    assert pairs == [(TITLE_RU, TITLE_EN), *txt_pairs]
    assert [f.rule for f in findings] == [f.rule for f in txt_findings] == ["untranslated"]
    [finding] = findings
    deleted = story.EN[story.DELETED]
    assert finding.file == str(en) and finding.en == deleted
    with zipfile.ZipFile(en) as archive:
        lines = archive.read("EPUB/chapter2.xhtml").decode("utf-8").split("\n")
    assert f"<p>{deleted}</p>" in lines[finding.line - 1]  # its line in chapter2.xhtml, the document it is in


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"PK\x03\x04 this is not a zip archive at all", "not a valid EPUB (BadZipFile"),
        (b"", "not a valid EPUB (BadZipFile"),
    ],
)
def test_bytes_that_are_no_zip_archive_are_one_line_error(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as error:
        EpubReader().source("bad.epub", data)
    assert str(error.value).startswith(f"bad.epub: {problem}") and "\n" not in str(error.value)


def test_a_truncated_or_incomplete_epub_is_one_line_error(ru_book: Path) -> None:
    data = ru_book.read_bytes()
    incomplete = io.BytesIO()
    with zipfile.ZipFile(incomplete, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")  # no META-INF/container.xml
    for broken in (data[: len(data) // 2], incomplete.getvalue()):
        with pytest.raises(InputError, match=r"^book\.epub: not a valid EPUB \(") as error:
            EpubReader().source("book.epub", broken)
        assert "\n" not in str(error.value)


def test_a_zip_bomb_is_refused_before_anything_is_unpacked() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("mimetype", "application/epub+zip")
        with archive.open("EPUB/zeros.xhtml", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                member.write(chunk)
    assert len(bomb.getvalue()) < MAX_UNPACKED_BYTES // 100
    with pytest.raises(InputError, match=r"^bomb\.epub: EPUB too large when unpacked \(\d+ bytes, limit \d+\)$"):
        EpubReader().source("bomb.epub", bomb.getvalue())


def test_an_encrypted_epub_is_refused_but_obfuscated_fonts_are_not(ru_book: Path) -> None:
    drm = rewritten(ru_book, {"META-INF/encryption.xml": encryption_xml(AES, "EPUB/chapter1.xhtml")})
    with pytest.raises(InputError, match=r"^drm\.epub: EPUB is encrypted \(DRM\)"):
        EpubReader().source("drm.epub", drm)
    adobe = rewritten(ru_book, {"META-INF/rights.xml": b"<rights/>"})
    with pytest.raises(InputError, match="encrypted"):
        EpubReader().source("adobe.epub", adobe)
    password = bytearray(ru_book.read_bytes())  # every member flagged as encrypted with a password
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = password.find(signature)
        while at >= 0:
            password[at + flags_at] |= 0x1
            at = password.find(signature, at + 4)
    with pytest.raises(InputError, match="encrypted"):
        EpubReader().source("password.epub", bytes(password))
    fonts = rewritten(ru_book, {"META-INF/encryption.xml": encryption_xml(FONT_MANGLING, "EPUB/fonts/a.otf")})
    reader = EpubReader()
    assert [p.text for p in reader.paragraphs(reader.source("fonts.epub", fonts))] == [TITLE_RU, *story.RU]


def test_xml_that_declares_entities_is_refused(ru_book: Path) -> None:
    hostile = rewritten(ru_book, {"EPUB/content.opf": BILLION_LAUGHS})
    with pytest.raises(InputError, match=r"^laughs\.epub: not a valid EPUB \(EPUB/content\.opf: EntitiesForbidden"):
        EpubReader().source("laughs.epub", hostile)
    external = b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><container>&x;</container>'
    with pytest.raises(InputError, match="META-INF/container.xml"):
        EpubReader().source("external.epub", rewritten(ru_book, {"META-INF/container.xml": external}))


def test_a_corrupt_epub_is_one_error_and_the_other_input_is_still_aligned(tmp_path: Path) -> None:
    bad = tmp_path / "bad.epub"
    bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    good = tmp_path / "good.txt"
    good.write_bytes((SEEDS / "003_10744da6f6ab660d.txt").read_bytes())
    out = tmp_path / "out"
    code, _, stderr = run_cli("run", str(bad), str(good), "--out", str(out), "--format", "jsonl", "-q")
    assert code == 2
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(bad) in errors[0] and "not a valid EPUB" in errors[0]
    assert "Traceback" not in stderr and (out / "good.jsonl").exists()


def test_the_source_keeps_each_documents_text_as_stored(ru_book: Path) -> None:
    source = EpubReader().source(str(ru_book), ru_book.read_bytes())
    with zipfile.ZipFile(ru_book) as archive:
        chapter = archive.read("EPUB/chapter2.xhtml").decode("utf-8")
    assert isinstance(source, Source) and chapter in source.text and "\fchapter2.xhtml\n" in source.text
    assert source.text.count("\f") == 2  # chapter 1 and 2; not the nav document
