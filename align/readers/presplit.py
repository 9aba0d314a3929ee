"""Pre-split text (`--presplit`, as vecalign, Bertalign and hunalign take it): each line is one sentence.

Lines end in LF or CRLF. An empty (or blank) line is a paragraph break: it is no sentence, no bead spans it, and
line numbers stay the file's own (sentence ids in `--format vecalign` are 0-based line numbers, so an empty line
uses one up). A line holding another character that some tools take for a line end (a lone CR, VT, FF, NEL,
U+2028, U+2029, …) would give other line numbers elsewhere: it is an error naming the file and the line.
"""

from __future__ import annotations

import re

from align.model import Paragraph, Source

LINE = re.compile(r"[^\n]*(?:\n|$)")
# What str.splitlines() (and so many readers of line-based files) splits on, besides LF and CRLF.
OTHER_LINE_BREAKS = re.compile(r"\r(?!\n)|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
SHOWN = {"\r": "CR", "\x0b": "VT", "\x0c": "FF", "\x85": "NEL", "\u2028": "U+2028", "\u2029": "U+2029"}


class PresplitReader:
    """Any text file read with --presplit: one sentence a line."""

    name = "presplit"
    extra = ""

    def source(self, path: str, data: bytes) -> Source:
        from align.load import source_of

        return source_of(path, data)

    def paragraphs(self, source: Source) -> list[Paragraph]:
        return line_paragraphs(source)


def line_paragraphs(source: Source) -> list[Paragraph]:
    """One Paragraph per non-empty line, never split (`whole`), trimmed of surrounding whitespace; consecutive
    lines share a paragraph index (so a bead may join them), an empty line starts the next index. InputError,
    "FILE: line N: …", for a line holding a character taken elsewhere for a line end."""
    from align.load import input_error

    paragraphs: list[Paragraph] = []
    index = 0
    for number, match in enumerate(LINE.finditer(source.text), 1):
        start, end = match.start(), match.end()
        if start == end:
            break  # the end of the text
        line = source.text[start:end].rstrip("\n").removesuffix("\r")
        odd = OTHER_LINE_BREAKS.search(line)
        if odd:
            shown = SHOWN.get(odd[0], f"U+{ord(odd[0]):04X}")
            problem = f"line {number}: holds a {shown} line break (--presplit: one sentence a line)"
            raise input_error(source.path, problem)
        text = line.strip()
        if not text:
            index += 1 if paragraphs and paragraphs[-1].index == index else 0
            continue
        first = start + line.index(text[0])
        paragraphs.append(Paragraph(source.path, first, first + len(text), number, text, index, whole=True))
    return paragraphs
