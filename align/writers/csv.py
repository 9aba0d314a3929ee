"""CSV (RFC 4180, CRLF): one row per Russian/English bead, paired or not."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence

from align.model import Alignment, Bead
from align.writers import WriteContext
from align.writers.common import SURROGATES, bead_score, line_range, plain_side_text, score_text

CSV_COLUMNS = ("document", "ru", "en", "score", "kind", "ru_lines", "en_lines")
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and Google Sheets.
SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LONG_CELL = 1_000_000  # a row with a longer cell is written in pieces of this many characters
CSV_SPECIAL = (",", '"', "\r", "\n")  # a cell holding one of these is quoted (csv.QUOTE_MINIMAL, excel dialect)


class CsvWriter:
    """CSV with a header row; `other` (third-language) beads are left out."""

    name = "csv"
    suffix = ".csv"
    per_document = True
    dated = False  # the creation date is not written (align.output_records)
    corpus_name = "corpus.csv"

    def document(self, alignment: Alignment, context: WriteContext) -> str:
        return csv_text([alignment], context.excel_safe)

    def corpus(self, alignments: Sequence[Alignment], context: WriteContext) -> str:
        return csv_text(alignments, context.excel_safe)

    def pieces(self, alignments: Sequence[Alignment], context: WriteContext) -> Iterator[str]:
        """The text of `corpus` in pieces, a row at a time (written as they come: memory bounded by a bead)."""
        return csv_pieces(alignments, context.excel_safe)

    def concatenate(self, parts: Iterable[str], context: WriteContext) -> str:
        """Per-document CSV files as one: their rows under one header (the same bytes as `corpus`)."""
        header = csv_text([])
        rows = []
        for text in parts:
            if not text.startswith(header):
                raise ValueError("a per-document CSV file does not start with the CSV header")
            rows.append(text[len(header) :])
        return header + "".join(rows)


def csv_text(alignments: Sequence[Alignment], excel_safe: bool = False) -> str:
    """CSV (header row, RFC 4180 CRLF line ends) with one row per ru/en bead; `other` beads are skipped.

    Lone surrogates (UTF-8 cannot hold them; only possible in names, never in decoded text) become U+FFFD.
    With `excel_safe`, a cell a spreadsheet would run as a formula (see csv_cell) is prefixed with "'".
    """
    return "".join(csv_pieces(alignments, excel_safe))


def csv_pieces(alignments: Sequence[Alignment], excel_safe: bool = False) -> Iterator[str]:
    """csv_text in pieces: the header row, then each bead's row (a row with a cell of over LONG_CELL characters
    in pieces of its cells: Python's csv module holds a row in 4 bytes a character, 1.1 GB for one of 200 MB)."""
    last = LastRow()
    writer = csv.writer(last)
    writer.writerow(CSV_COLUMNS)
    yield last.text
    for alignment in alignments:
        for bead in alignment.beads:
            if bead.other:
                continue
            cells = [csv_cell(cell, excel_safe) for cell in csv_row(bead, alignment.document.name)]
            if any(len(cell) > LONG_CELL for cell in cells):
                yield from long_row_pieces(cells)
            else:
                writer.writerow(cells)
                yield last.text


class LastRow:
    """What csv.writer writes a row into: it keeps the last row's text."""

    text = ""

    def write(self, text: str) -> None:
        self.text = text


def long_row_pieces(cells: Sequence[str]) -> Iterator[str]:
    """One CSV row as csv.writer writes it (the excel dialect: a cell holding a comma, a quote, CR or LF is quoted,
    its quotes doubled; CRLF after the row), in pieces of at most LONG_CELL characters."""
    for position, cell in enumerate(cells):
        if position:
            yield ","
        quoted = any(char in cell for char in CSV_SPECIAL)
        if quoted:
            yield '"'
        for start in range(0, len(cell), LONG_CELL):
            piece = cell[start : start + LONG_CELL]
            yield piece.replace('"', '""') if quoted else piece
        if quoted:
            yield '"'
    yield "\r\n"


def csv_cell(text: str, excel_safe: bool = False) -> str:
    """One cell: lone surrogates replaced by U+FFFD; with `excel_safe`, "'" before a leading =, +, -, @,
    tab or carriage return, so that a spreadsheet shows the text instead of evaluating it (OWASP CSV injection)."""
    text = SURROGATES.sub("\ufffd", text)
    if excel_safe and text.startswith(SPREADSHEET_TRIGGERS):
        return "'" + text
    return text


def csv_row(bead: Bead, document: str) -> tuple[str, ...]:
    """The CSV cells of one bead, in CSV_COLUMNS order."""
    return (
        document,
        plain_side_text(bead.ru),
        plain_side_text(bead.en),
        score_text(bead_score(bead)),
        bead.kind,
        line_range(bead.ru),
        line_range(bead.en),
    )
