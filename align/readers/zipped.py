"""Shared by the document readers (DOCX, ODT, PDF): text extracted one unit per line, and zip-safety checks."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from align.load import input_error
from align.model import Paragraph, Source
from align.readers.text import paragraphs as text_paragraphs

MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a document's archive may unpack to this much, no more (zip bombs)
MAX_MEMBERS = 10_000  # members of one archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: a legacy .doc, or an encrypted Office file
XML_SUFFIXES = (".xml", ".rels", ".rdf")  # archive members the document libraries parse as XML
# A DOCTYPE is where entities are declared (billion laughs, external entities): no Office or ODF part has one.
DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
LINE_BREAKING = re.compile(r"\s+")  # any run of whitespace, line breaks included, becomes one space
MAX_DETAIL = 120  # characters of a library's error message quoted in an InputError


@dataclass(frozen=True)
class Unit:
    """Where one line of an extracted text came from."""

    location: str  # "paragraph 3", "table 1, row 2, cell 1", "page 4"
    whole: bool = False  # a heading or a table cell: one unit, never split into sentences


@dataclass(frozen=True)
class ExtractedSource(Source):
    """The text of a document format: one unit (paragraph, cell) per line, `units[k]` describing line k + 1."""

    units: tuple[Unit, ...] = ()


def extracted_source(path: str, encoding: str, found: Iterable[tuple[str, Unit]]) -> ExtractedSource:
    """The Source of a document whose units are (text, unit) in reading order; empty units are left out."""
    lines: list[str] = []
    units: list[Unit] = []
    for text, unit in found:
        flat = one_line(text)
        if flat:
            lines.append(flat)
            units.append(unit)
    return ExtractedSource(path=path, text="\n".join(lines), encoding=encoding, units=tuple(units))


def one_line(text: str) -> str:
    """`text` with every run of whitespace (line breaks, tabs) made one space, trimmed."""
    return LINE_BREAKING.sub(" ", text).strip()


def unit_paragraphs(source: Source) -> list[Paragraph]:
    """One Paragraph per line of an extracted Source, located by its unit; a Source read any other way (plain
    text given to a document reader) is split into paragraphs as text is."""
    if not isinstance(source, ExtractedSource):
        return text_paragraphs(source)
    result: list[Paragraph] = []
    start = 0
    for number, (line, unit) in enumerate(zip(source.text.split("\n"), source.units, strict=False), start=1):
        end = start + len(line)
        if line:
            result.append(
                Paragraph(source.path, start, end, number, line, len(result), location=unit.location, whole=unit.whole)
            )
        start = end + 1
    return result


def detail(error: BaseException) -> str:
    """A library's error as a short one-line detail: its type and the first line of its message."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def checked_archive(path: str, data: bytes, kind: str) -> zipfile.ZipFile:
    """The zip archive of a `kind` document ("DOCX", "ODT"), opened only to be checked before its library
    unpacks it: not a zip, too many members, too large unpacked, or an XML part with a DOCTYPE → InputError."""
    if data.startswith(OLE_MAGIC):
        raise input_error(path, f"password-protected or legacy binary Office file, not a {kind}: save it unencrypted")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise input_error(path, f"not a valid {kind} (not a zip archive)") from None
    except (zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise input_error(path, f"not a valid {kind} ({detail(error)})") from None
    if len(members) > MAX_MEMBERS:
        raise input_error(path, f"{len(members)} archive members, over the limit of {MAX_MEMBERS}")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise input_error(path, f"unpacks to {unpacked} bytes, over the limit of {MAX_UNPACKED_BYTES} (zip bomb?)")
    refuse_doctypes(path, archive, kind)
    return archive


def refuse_doctypes(path: str, archive: zipfile.ZipFile, kind: str) -> None:
    """InputError if an XML member of the archive declares a DOCTYPE (entity definitions: billion laughs,
    external entities), or cannot be unpacked; the members' sizes were checked before."""
    for member in archive.infolist():
        if member.is_dir() or not member.filename.lower().endswith(XML_SUFFIXES):
            continue
        try:
            content = archive.read(member)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as error:
            raise input_error(path, f"not a valid {kind} ({member.filename}: {detail(error)})") from None
        if any(mark in content for mark in DOCTYPE_MARKS):
            raise input_error(path, f"{member.filename} declares a DOCTYPE (XML entities are refused)")


def member_bytes(archive: zipfile.ZipFile, name: str) -> bytes | None:
    """The unpacked member `name`, or None if the archive has none (or it cannot be read)."""
    try:
        return archive.read(name)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return None
