"""OpenDocument text (odfdo): paragraphs, headings and table cells in document order, each located in the file."""

from __future__ import annotations

import io
from collections.abc import Iterator

import odfdo
from odfdo import Element

from align.load import input_error
from align.model import Paragraph, Source
from align.readers.zipped import Unit, checked_archive, detail, extracted_source, member_bytes, unit_paragraphs

ENCODING = "odt"  # Source.encoding of an extracted OpenDocument text
KIND = "ODT"
TEXT_MIMETYPE = "application/vnd.oasis.opendocument.text"  # -template and -master variants too
MANIFEST = "META-INF/manifest.xml"
ENCRYPTED_MARK = b"encryption-data"  # the manifest entry of a password-protected member
PARAGRAPH_TAGS = ("text:p", "text:h")
TABLE_TAG, ROW_TAG, CELL_TAG = "table:table", "table:table-row", "table:table-cell"
# Never the document's running text: notes (kept out of their paragraph), annotations, deleted tracked changes,
# generated indexes, drawing frames, forms and declarations.
SKIPPED_TAGS = frozenset(
    {
        "text:note",
        "office:annotation",
        "text:tracked-changes",
        "text:table-of-content",
        "text:alphabetical-index",
        "text:illustration-index",
        "text:table-index",
        "text:object-index",
        "text:user-index",
        "text:bibliography",
        "draw:frame",
        "office:forms",
        "text:sequence-decls",
        "text:variable-decls",
        "text:user-field-decls",
    }
)
SPACING_TAGS = ("text:s", "text:tab", "text:line-break")

Found = tuple[str, Unit]


class OdtReader:
    """*.odt: one line of text per non-empty paragraph or heading ("paragraph N", N counting every text:p and
    text:h outside tables from 1) or table cell ("table T, row R, cell C"). Headings and cells are whole units."""

    name = "odt"
    extra = "formats"

    def source(self, path: str, data: bytes) -> Source:
        archive = checked_archive(path, data, KIND)
        if ENCRYPTED_MARK in (member_bytes(archive, MANIFEST) or b""):
            raise input_error(path, f"{KIND} is password-protected: save it without a password")
        mimetype = (member_bytes(archive, "mimetype") or b"").decode("ascii", "replace").strip()
        if mimetype and not mimetype.startswith(TEXT_MIMETYPE):
            raise input_error(path, f"not an OpenDocument text ({mimetype})")
        try:
            body = odfdo.Document(io.BytesIO(data)).body
            found = list(body_units(body))
        except Exception as error:  # odfdo and lxml raise many kinds on a malformed package
            raise input_error(path, f"not a valid {KIND} ({detail(error)})") from None
        return extracted_source(path, ENCODING, found)

    def paragraphs(self, source: Source) -> list[Paragraph]:
        return unit_paragraphs(source)


def body_units(body: Element) -> Iterator[Found]:
    """(text, unit) of every paragraph, heading and table cell below `body`, in document order."""
    counters = {"paragraph": 0, "table": 0}
    yield from units_below(body, counters)


def units_below(element: Element, counters: dict[str, int]) -> Iterator[Found]:
    """The units inside `element` (lists, sections and other containers are opened)."""
    for child in element.children:
        if child.tag in PARAGRAPH_TAGS:
            counters["paragraph"] += 1
            whole = child.tag == "text:h"
            yield inline_text(child), Unit(f"paragraph {counters['paragraph']}", whole=whole)
        elif child.tag == TABLE_TAG:
            counters["table"] += 1
            yield from table_units(child, counters["table"])
        elif child.tag not in SKIPPED_TAGS:
            yield from units_below(child, counters)


def table_units(table: Element, number: int) -> Iterator[Found]:
    """(text, unit) of each cell of the table, row by row (header rows and row groups included)."""
    for row_number, row in enumerate(descendants(table, ROW_TAG), start=1):
        cells = [child for child in row.children if child.tag == CELL_TAG]
        for cell_number, cell in enumerate(cells, start=1):
            text = " ".join(inline_text(p) for p in descendants(cell, *PARAGRAPH_TAGS))
            yield text, Unit(f"table {number}, row {row_number}, cell {cell_number}", whole=True)


def descendants(element: Element, *tags: str) -> Iterator[Element]:
    """The elements with one of `tags` below `element`, not looking inside a match (nor a nested table)."""
    for child in element.children:
        if child.tag in tags:
            yield child
        elif child.tag != TABLE_TAG and child.tag not in SKIPPED_TAGS:
            yield from descendants(child, *tags)


def inline_text(element: Element) -> str:
    """The text of a paragraph: its spans, links and fields, with spaces, tabs and line breaks; notes,
    annotations and frames left out."""
    parts = [element.text]
    for child in element.children:
        if child.tag in SPACING_TAGS:
            parts.append(" ")  # runs of spaces become one space in the extracted line anyway
        elif child.tag not in SKIPPED_TAGS:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
