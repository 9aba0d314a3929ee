"""Plain text: paragraphs are blocks between blank or boilerplate lines (and what the structured readers share)."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from align.model import Paragraph, Source, Span

BOILERPLATE_FILE = Path(__file__).resolve().parent.parent / "boilerplate.txt"
LINE_END = re.compile(r"\r\n|\r|\n")
_SPACE = r"\s\u200b\u200c\u200d\u2060\ufeff"  # whitespace plus zero-width characters
_FIRST_VISIBLE = re.compile(rf"[^{_SPACE}]")
_VISIBLE = re.compile(r"\S")  # what str.split keeps
_UP_TO_LAST_VISIBLE = re.compile(rf"[\s\S]*[^{_SPACE}]")


class TextReader:
    """*.txt (and any file named explicitly whose suffix no other reader takes)."""

    name = "text"
    extra = ""

    def source(self, path: str, data: bytes) -> Source:
        from align.load import source_of

        return source_of(path, data)

    def paragraphs(self, source: Source) -> list[Paragraph]:
        return paragraphs(source)


@functools.cache
def boilerplate_lines() -> frozenset[str]:
    """Lowercased web-scrape boilerplate lines ("top of page", "наверх", …) from align/boilerplate.txt."""
    text = BOILERPLATE_FILE.read_text(encoding="utf-8")
    entries = (line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return frozenset(normalised_line(line) for line in entries)


def normalised_line(line: str) -> str:
    """`line` trimmed, casefolded, with runs of whitespace collapsed: the form compared to boilerplate."""
    return " ".join(line.split()).casefold()


def paragraphs(source: Source) -> list[Paragraph]:
    """Blocks of `source.text` between blank or boilerplate lines, trimmed of surrounding whitespace."""
    return [
        Paragraph(
            file=source.path,
            start=start,
            end=end,
            line=line,
            text=source.text[start:end],
            index=index,
        )
        for index, (start, end, line) in enumerate(paragraph_spans(source.text))
    ]


def paragraph_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, 1-based line of start) of each paragraph of `text`."""
    boilerplate = boilerplate_lines()
    spans: list[tuple[int, int, int]] = []
    current: tuple[int, int, int] | None = None
    for number, (line_start, line_end) in enumerate(lines(text), start=1):
        visible = visible_span(text, line_start, line_end)
        if visible is None or is_boilerplate(text, *visible, boilerplate):
            if current is not None:
                spans.append(current)
            current = None
        elif current is None:
            current = (visible[0], visible[1], number)
        else:
            current = (current[0], visible[1], current[2])
    if current is not None:
        spans.append(current)
    return spans


def is_boilerplate(text: str, start: int, end: int, boilerplate: frozenset[str]) -> bool:
    """Whether the line text[start:end] is a boilerplate line. One with more visible characters than the longest
    of them is not, and is never copied or split (a 100 MB line split into its words took 1.2 GB)."""
    longest = longest_boilerplate()
    if end - start > longest and next(itertools.islice(_VISIBLE.finditer(text, start, end), longest, None), None):
        return False  # normalising keeps every visible character (casefold never shortens one)
    return normalised_line(text[start:end]) in boilerplate


@functools.cache
def longest_boilerplate() -> int:
    """The length of the longest boilerplate line."""
    return max(map(len, boilerplate_lines()), default=0)


def lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of `text`, line ends (\\r\\n, \\r, \\n) excluded."""
    start = 0
    for match in LINE_END.finditer(text):
        yield start, match.start()
        start = match.end()
    if start < len(text):
        yield start, len(text)


def visible_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of text[start:end] without leading/trailing whitespace, or None if nothing is left."""
    first = _FIRST_VISIBLE.search(text, start, end)
    if first is None:
        return None
    last = _UP_TO_LAST_VISIBLE.match(text, first.start(), end)
    assert last is not None
    return first.start(), last.end()


def line_starts(text: str) -> list[int]:
    """The offset where each line of `text` starts (\\r\\n, \\r and \\n end a line, as the segmenter counts)."""
    return [0, *(match.end() for match in LINE_END.finditer(text))]


def line_of(starts: list[int], offset: int) -> int:
    """The 1-based line of `offset`, given where each line starts."""
    return bisect.bisect_right(starts, offset)


Block = tuple[int, int, tuple[Span, ...], bool]  # start, end, markup spans, one unit (a heading, a table cell)


def block_paragraphs(source: Source, blocks: Iterable[Block], starts: list[int]) -> list[Paragraph]:
    """One Paragraph per block of a structured format (Markdown, HTML), numbered in order, its line counted
    from `starts` (where each line of the file begins)."""
    return [
        Paragraph(
            source.path,
            start,
            end,
            line_of(starts, start),
            source.text[start:end],
            index,
            markup=markup,
            whole=whole,
        )
        for index, (start, end, markup, whole) in enumerate(blocks)
    ]
