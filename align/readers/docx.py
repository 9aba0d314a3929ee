"""Word documents (python-docx): body paragraphs and table cells in document order, each located in the file."""

from __future__ import annotations

import io
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from align.load import input_error
from align.model import Paragraph, Source
from align.readers.zipped import Unit, checked_archive, detail, extracted_source, unit_paragraphs

ENCODING = "docx"  # Source.encoding of an extracted Word document
KIND = "DOCX"
HEADING_STYLES = ("heading", "title", "subtitle")  # style names (casefolded) that mark a heading
BODY_LEVEL_OUTLINE = 9  # w:outlineLvl 9 is body text; 0-8 are heading levels
PARAGRAPH, TABLE, CONTENT_CONTROL = qn("w:p"), qn("w:tbl"), qn("w:sdt")
CONTENT_CONTROL_BODY, ROW, CELL = qn("w:sdtContent"), qn("w:tr"), qn("w:tc")
OUTLINE_LEVEL = f"./{qn('w:pPr')}/{qn('w:outlineLvl')}"

Found = tuple[str, Unit]


class DocxReader:
    """*.docx: one line of text per non-empty body paragraph ("paragraph N", N counting every body paragraph from
    1, empty ones and those in content controls too) or table cell ("table T, row R, cell C"). Headings and cells
    are whole units; headers, footers, footnotes and text boxes are not read. python-docx's parser resolves no
    entities; a DOCTYPE in any XML part is refused before it parses (align.readers.zipped)."""

    name = "docx"
    extra = "formats"

    def source(self, path: str, data: bytes) -> Source:
        checked_archive(path, data, KIND)
        try:
            document = docx.Document(io.BytesIO(data))
            found = list(body_units(document))
        except Exception as error:  # python-docx and lxml raise many kinds on a malformed package
            raise input_error(path, f"not a valid {KIND} ({detail(error)})") from None
        return extracted_source(path, ENCODING, found)

    def paragraphs(self, source: Source) -> list[Paragraph]:
        return unit_paragraphs(source)


def body_units(document: docx.document.Document) -> Iterator[Found]:
    """(text, unit) of every body paragraph and table cell, in document order."""
    body = document._body  # the BlockItemContainer that body paragraphs need for their styles
    counters = {"paragraph": 0, "table": 0}
    for element in block_elements(body._element):
        if element.tag == PARAGRAPH:
            counters["paragraph"] += 1
            paragraph = DocxParagraph(element, body)
            yield paragraph.text, Unit(f"paragraph {counters['paragraph']}", whole=is_heading(paragraph))
        else:
            counters["table"] += 1
            yield from table_units(element, body, counters["table"])


def block_elements(container: object) -> Iterator[object]:
    """The w:p and w:tbl elements of a body in order, content controls (w:sdt) opened."""
    for child in container:  # type: ignore[attr-defined]
        if child.tag in (PARAGRAPH, TABLE):
            yield child
        elif child.tag == CONTENT_CONTROL:
            for content in child.iterchildren(CONTENT_CONTROL_BODY):
                yield from block_elements(content)


def table_units(table: object, body: object, number: int) -> Iterator[Found]:
    """(text, unit) of each cell of the table, row by row; a cell's paragraphs (nested tables' too) joined."""
    for row_number, row in enumerate(table.iterchildren(ROW), start=1):  # type: ignore[attr-defined]
        for cell_number, cell in enumerate(row.iterchildren(CELL), start=1):
            text = " ".join(DocxParagraph(p, body).text for p in cell.iter(PARAGRAPH))  # type: ignore[arg-type]
            yield text, Unit(f"table {number}, row {row_number}, cell {cell_number}", whole=True)


def is_heading(paragraph: DocxParagraph) -> bool:
    """Whether the paragraph is a heading: a Heading/Title style, or an outline level on it or its style."""
    if outline_level(paragraph._p) is not None:
        return True
    style = paragraph.style
    while style is not None:
        if (style.name or "").casefold().startswith(HEADING_STYLES) or outline_level(style.element) is not None:
            return True
        style = style.base_style
    return False


def outline_level(element: object) -> int | None:
    """The heading level (0-8) an element's paragraph properties give, if any."""
    found = element.find(OUTLINE_LEVEL)  # type: ignore[attr-defined]
    if found is None:
        return None
    try:
        level = int(found.get(qn("w:val"), BODY_LEVEL_OUTLINE))
    except ValueError:
        return None
    return level if level < BODY_LEVEL_OUTLINE else None
