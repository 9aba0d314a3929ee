"""PDF (pypdf): the text layer, page by page, its lines joined into paragraphs; each paragraph located by page."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdf
from pypdf import PasswordType
from pypdf.errors import DependencyError

from align.load import input_error
from align.model import Paragraph, Source
from align.readers.zipped import Unit, detail, extracted_source, unit_paragraphs

ENCODING = "pdf"  # Source.encoding of an extracted PDF
NO_TEXT_LAYER = "PDF has no text layer (scanned?); run OCR first"
GAP_FACTOR = 1.3  # a gap between lines this many times the page's usual line spacing starts a paragraph
MIN_LINE_GAP = 0.5  # in font sizes: a smaller step down the page is a sub- or superscript, not a line
SIZE_CHANGE = 0.15  # a font size this much larger or smaller starts a paragraph (a heading)
SHORT_LINE_SHARE = 0.85  # a line shorter than this share of the page's longest line may end its paragraph
SENTENCE_END = re.compile(r"[.!?…:;][\"'»”’)\]]*$")
CAPITAL_START = re.compile(r"^[\"'«“„‘(\[—–-]*[^\W\d_]")
HYPHENATED = re.compile(r"[^\W\d_][-\u00ad\u2010]$")  # "exam-" at a line end
LOWER_START = re.compile(r"^[^\W\d_]")
PAGE_NUMBER = re.compile(r"^[\W_]*\d{1,4}[\W_]*$")  # a paragraph that is only a page number: not text
QUIET_LOGGER = "pypdf"  # pypdf logs what it repairs; a broken file is one InputError, nothing more


@dataclass
class Line:
    """One line of a page's text layer."""

    parts: list[str] = field(default_factory=list)
    y: float | None = None  # baseline height on the page (PDF units, up is larger), from its first visible text
    size: float = 0.0  # font size of its first visible text

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


class PdfReader:
    """*.pdf: one line of text per paragraph of the text layer ("page P"); a PDF without text, an encrypted or a
    broken one is an InputError."""

    name = "pdf"
    extra = "formats"

    def source(self, path: str, data: bytes) -> Source:
        with quiet_pypdf():
            document = opened(path, data)
            try:
                pages = [page_lines(page) for page in document.pages]
            except Exception as error:  # pypdf raises many kinds on a damaged content stream
                raise input_error(path, f"not a valid PDF ({detail(error)})") from None
        if not pages:
            raise input_error(path, "not a valid PDF (no pages)")
        found = [
            (text, Unit(f"page {number}")) for number, lines in enumerate(pages, start=1) for text in page_text(lines)
        ]
        if not found:
            raise input_error(path, NO_TEXT_LAYER)
        return extracted_source(path, ENCODING, found)

    def paragraphs(self, source: Source) -> list[Paragraph]:
        return unit_paragraphs(source)


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf's log records and warnings silenced while a file is read."""
    logger = logging.getLogger(QUIET_LOGGER)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def opened(path: str, data: bytes) -> pypdf.PdfReader:
    """The PDF, decrypted if it opens without a password; InputError if it is broken or needs one."""
    try:
        document = pypdf.PdfReader(io.BytesIO(data))
        locked = document.is_encrypted and document.decrypt("") == PasswordType.NOT_DECRYPTED
    except DependencyError:
        raise input_error(path, "PDF is encrypted with AES, which needs the cryptography package") from None
    except Exception as error:  # pypdf raises many kinds on a broken file
        raise input_error(path, f"not a valid PDF ({detail(error)})") from None
    if locked:
        raise input_error(path, "PDF is encrypted: it needs a password to be read")
    return document


def page_lines(page: pypdf.PageObject) -> list[Line]:
    """The lines of a page's text layer, in pypdf's reading order, each with its height and font size."""
    lines = [Line()]

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        for k, piece in enumerate(text.split("\n")):
            if k:
                lines.append(Line())
            line = lines[-1]
            line.parts.append(piece)
            if line.y is None and piece.strip():
                line.y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                line.size = size * abs(tm[2] * cm[1] + tm[3] * cm[3])

    page.extract_text(visitor_text=visit)
    return lines


def page_text(lines: list[Line]) -> list[str]:
    """The paragraphs of one page: its lines joined, a paragraph ending at a blank line, a wider gap, a change
    of font size, or a short line ending a sentence before a capital; hyphenated words mended."""
    spacing = line_spacing(lines)
    longest = max((len(line.text) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    previous: Line | None = None
    for line in lines:
        text = line.text
        if not text:
            previous = None  # a blank line ends the paragraph
            continue
        if current and (previous is None or starts_paragraph(previous, line, spacing, longest)):
            paragraphs.append(current)
            current = ""
        current = joined(current, text) if current else text
        previous = line
    if current:
        paragraphs.append(current)
    return [text for text in paragraphs if not PAGE_NUMBER.match(text)]


def line_spacing(lines: list[Line]) -> float | None:
    """The page's usual distance between the baselines of consecutive lines of a paragraph: the lower quartile of
    the gaps (paragraph gaps are the wider ones; a sub- or superscript's small jump is left out)."""
    placed = [(line.y, line.size or 1.0) for line in lines if line.text and line.y is not None]
    steps = [(above - below, size) for (above, _), (below, size) in zip(placed, placed[1:], strict=False)]
    gaps = sorted(gap for gap, size in steps if gap >= MIN_LINE_GAP * size)
    return gaps[len(gaps) // 4] if gaps else None


def starts_paragraph(previous: Line, line: Line, spacing: float | None, longest: int) -> bool:
    """Whether `line` begins a new paragraph after `previous`."""
    if previous.y is not None and line.y is not None:
        gap = previous.y - line.y
        if gap < 0 or (spacing is not None and gap > spacing * GAP_FACTOR):
            return True  # a wider gap, or back up the page (a new column)
    if previous.size and line.size and abs(line.size - previous.size) > SIZE_CHANGE * previous.size:
        return True
    short = len(previous.text) < SHORT_LINE_SHARE * longest
    return short and bool(SENTENCE_END.search(previous.text)) and bool(CAPITAL_START.match(line.text))


def joined(paragraph: str, line: str) -> str:
    """`line` appended to the paragraph: "exam-" + "ple" is "example", otherwise a space between."""
    if HYPHENATED.search(paragraph) and LOWER_START.match(line) and line[0].islower():
        return paragraph[:-1] + line
    return f"{paragraph} {line}"
