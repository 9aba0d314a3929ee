"""EPUB books (ebooklib): the spine's XHTML documents in reading order, each read as a page by the HTML reader."""

# ebooklib and defusedxml are imported here, not where they are used: a missing one then makes the reader
# registry name the extra to install (align.readers.reader_for).

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from ebooklib import epub

from align.model import Paragraph, Source
from align.readers.html import declared_blocks, html_source
from align.readers.text import line_of, line_starts

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

MAX_UNPACKED_BYTES = 200_000_000  # an EPUB whose members add up to more is refused unopened (a zip bomb)
ENCRYPTION = "META-INF/encryption.xml"
ZIP_ENCRYPTED = 0x1  # general purpose flag bit 0: the member is encrypted with a password
DRM_FILES = ("META-INF/rights.xml", "META-INF/sinf.xml")  # Adobe ADEPT, Apple FairPlay
# "Encryption" that only obfuscates embedded fonts (IDPF, Adobe): the text is readable.
FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})
XML_SUFFIXES = (".xml", ".opf", ".ncx", ".xhtml", ".html", ".htm", ".svg", ".smil")
# Source.text is each spine document's text after a header line "\f<its name in the book>\n" (a form feed is
# not allowed in XML, so no document holds one; any stray one is blanked).
PART_HEADER = re.compile(r"\f(?P<name>[^\n\f]*)\n")
SEPARATOR = "\f"
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


class EpubReader:
    """*.epub: the book's text, each paragraph located by its spine document, paragraph number and line in it.

    Source.text is the spine's documents as stored (decoded), each after a header line naming it, so spans
    index into it; a paragraph's `line` is its line in its own document, which `location` names."""

    name = "epub"
    extra = "formats"

    def source(self, path: str, data: bytes) -> Source:
        archive = opened(path, data)
        with archive:
            refuse_unsafe(path, archive)
        texts: list[str] = []
        encoding = "utf-8"
        for name, content in spine_documents(path, data):
            page = html_source(f"{path}: {name}", content)
            encoding = page.encoding
            texts.append(f"{SEPARATOR}{UNSAFE_NAME.sub('_', name)}\n{page.text.replace(SEPARATOR, ' ')}")
        return Source(path=path, text="\n".join(texts), encoding=encoding)

    def paragraphs(self, source: Source) -> list[Paragraph]:
        result: list[Paragraph] = []
        for name, start, end in parts(source.text):
            starts = line_starts(source.text[start:end])
            for number, ((a, b, markup, whole), lang) in enumerate(declared_blocks(source.text[start:end]), start=1):
                result.append(
                    Paragraph(
                        file=source.path,
                        start=start + a,
                        end=start + b,
                        line=line_of(starts, a),  # the line in its spine document, which `location` names
                        text=source.text[start + a : start + b],
                        index=len(result),
                        location=f"{name}, paragraph {number}",
                        markup=tuple((start + x, start + y) for x, y in markup),
                        whole=whole,
                        declared=lang,
                    )
                )
        return result


def parts(text: str) -> Iterator[tuple[str, int, int]]:
    """(document name, start, end) of each spine document inside an EPUB's Source.text."""
    headers = list(PART_HEADER.finditer(text))
    for k, header in enumerate(headers):
        end = headers[k + 1].start() - 1 if k + 1 < len(headers) else len(text)
        yield header["name"], header.end(), max(header.end(), end)


# ---------------------------------------------------------------------------------------- checks before reading


def opened(path: str, data: bytes) -> zipfile.ZipFile:
    """The EPUB's zip archive (its directory only: nothing is unpacked yet)."""
    from align.load import input_error

    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise input_error(path, f"not a valid EPUB ({one_line(error)})") from None


def refuse_unsafe(path: str, archive: zipfile.ZipFile) -> None:
    """InputError for an EPUB too large when unpacked, encrypted (DRM), or whose XML declares entities."""
    from align.load import input_error

    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise input_error(path, f"EPUB too large when unpacked ({unpacked} bytes, limit {MAX_UNPACKED_BYTES})")
    names = set(archive.namelist())
    password = any(info.flag_bits & ZIP_ENCRYPTED for info in archive.infolist())
    if password or any(name in names for name in DRM_FILES) or (ENCRYPTION in names and encrypted(path, archive)):
        raise input_error(path, "EPUB is encrypted (DRM): its text cannot be read")
    for name in sorted(names):
        if name.lower().endswith(XML_SUFFIXES):
            safe_xml(path, name, read_member(path, archive, name))


def encrypted(path: str, archive: zipfile.ZipFile) -> bool:
    """Whether META-INF/encryption.xml encrypts anything more than embedded fonts."""
    root = safe_xml(path, ENCRYPTION, read_member(path, archive, ENCRYPTION))
    if root is None:
        return True  # an encryption.xml no one can read: assume the worst
    algorithms = {method.get("Algorithm", "") for method in root.iter() if local_name(method.tag) == "EncryptionMethod"}
    return bool(algorithms - FONT_OBFUSCATION)


def safe_xml(path: str, name: str, data: bytes) -> Element | None:
    """The member's XML root parsed with entities and external references forbidden (defusedxml); InputError
    if it declares entities (billion laughs, external entities), None if it is not well-formed (ebooklib
    reads those leniently, and a spine document is read as HTML)."""
    from align.load import input_error

    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise input_error(path, f"not a valid EPUB ({name}: {type(error).__name__}, refused)") from None
    except (ParseError, ValueError):
        return None


def read_member(path: str, archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes (at most its declared size, which refuse_unsafe has checked)."""
    from align.load import input_error

    try:
        return archive.read(name)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as error:
        raise input_error(path, f"not a valid EPUB ({name}: {one_line(error)})") from None


def one_line(error: BaseException) -> str:
    """The error's type and message on one line."""
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def local_name(tag: object) -> str:
    """An XML tag without its {namespace}."""
    return str(tag).rpartition("}")[2]


# ---------------------------------------------------------------------------------------- the spine


def spine_documents(path: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """(name, bytes as stored) of each XHTML document of the spine, in reading order (the navigation document,
    a table of contents that repeats the headings, left out)."""
    from align.load import input_error

    try:
        book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    except Exception as error:  # ebooklib lets through whatever a malformed book makes lxml or zipfile raise
        raise input_error(path, f"not a valid EPUB ({one_line(error)})") from None
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if isinstance(item, epub.EpubHtml) and not isinstance(item, epub.EpubNav) and item.content:
            yield item.get_name(), bytes(item.content)
