"""Markdown and MDX (markdown-it-py): headings, paragraphs, list items, quotes, table cells, containers, front matter
title/description are text; code, HTML/JSX blocks and heading anchors are not; inline code, links' targets and
tags stay inside their sentence as markup."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from align.model import Paragraph, Source, Span
from align.readers.text import LINE_END, Block, block_paragraphs, line_starts

FRONT_MATTER_KEYS = ("title", "description")  # the front matter a reader sees on the page
FRONT_MATTER_LINE = re.compile(r"^(?P<key>[A-Za-z_-]+)\s*:\s*(?P<value>.*?)\s*$")
QUOTES = "\"'"
# Trailing heading decorations that are not the title: {#anchor}, MDX {/*anchor*/}, closing ###.
HEADING_TAIL = re.compile(r"(?:\s*\{#[^}]*\}|\s*\{/\*.*?\*/\}|\s+#+)+\s*$")
# Inline markup inside a sentence: code spans, link and image targets, reference labels, autolinks, bare URLs,
# HTML/JSX tags, {{ interpolations }}. Not prose: the check rules read it blanked out.
INLINE_MARKUP = re.compile(
    r"(?P<code>(?P<ticks>`+).+?(?P=ticks))"
    r"|!?\[(?=[^\[\]]*\][(\[])"
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"
    r"|\]\[[^\]]*\]"
    r"|<(?:https?|mailto):[^>\s]*>"
    r"|(?:\bhttps?://|\bwww\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"
    r"|</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>"
    r"|\{\{.*?\}\}"
    r"|<!--.*?-->",
    re.DOTALL,
)
LETTER = re.compile(r"[^\W\d_]")
TEXT_CONTAINERS = ("paragraph_open", "heading_open", "th_open", "td_open")


@functools.cache
def parser() -> MarkdownIt:
    """CommonMark with tables, front matter and ::: containers (VitePress, Docusaurus admonitions)."""
    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    return md.use(container_plugin, name="container", validate=lambda params, *args: True)


class MarkdownReader:
    """*.md and *.mdx: the translatable text of a page, each paragraph located by line in the file."""

    name = "markdown"
    extra = ""

    def source(self, path: str, data: bytes) -> Source:
        from align.load import source_of

        return source_of(path, data)

    def paragraphs(self, source: Source) -> list[Paragraph]:
        starts = line_starts(source.text)  # markdown-it ends a line at \r\n, \r or \n, as the segmenter does
        blocks = sorted(set(spans_of(source.text, starts)))
        found = [block for block in blocks if has_prose(source.text, *block[:3])]
        return block_paragraphs(source, found, starts)




def spans_of(text: str, starts: list[int]) -> Iterator[Block]:
    """(start, end, markup, whole) of every translatable block of the page."""
    tokens = parser().parse(text)
    lines = LINE_END.split(text)
    for index, token in enumerate(tokens):
        if token.type == "front_matter" and token.map:
            yield from front_matter_values(text, starts, token)
        elif token.type == "inline" and token.map and index and tokens[index - 1].type in TEXT_CONTAINERS:
            if tokens[index - 1].type in ("th_open", "td_open"):
                continue  # cells: one pass per row below, left to right
            heading = tokens[index - 1].type == "heading_open"
            located = located_inline(text, starts, lines, token, heading)
            if located:
                yield (*located, heading)
        elif token.type == "tr_open" and token.map:
            yield from table_cells(text, starts, tokens, index)


def located_inline(
    text: str, starts: list[int], lines: list[str], token: Token, heading: bool
) -> tuple[int, int, tuple[Span, ...]] | None:
    """Where an inline token's content lies in the file: from its first to its last character, with the
    container prefixes of continuation lines (`> `, indentation) and the inline markup as markup spans."""
    assert token.map is not None
    first_line = token.map[0]
    pieces: list[Span] = []
    for k, content in enumerate(token.content.split("\n")):
        number = first_line + k
        if number >= len(lines) or not content.strip():
            continue
        piece = piece_on_line(lines[number], content)
        if piece is not None:
            pieces.append((starts[number] + piece[0], starts[number] + piece[1]))
    if not pieces:
        return None
    start, end = pieces[0][0], pieces[-1][1]
    markup = inline_markup(text, start, end)
    if heading:  # the anchor stays inside the heading as markup: a protected tag, and a clue to its translation
        tail = HEADING_TAIL.search(text, start, end)
        if tail and tail.start() > start:
            markup.append((tail.start(), end))
    pairs = zip(pieces, pieces[1:], strict=False)
    # what lies between two lines' contents besides whitespace: the `>` of a quote, a container's bar
    prefixes = [(a_end, b_start) for (_, a_end), (b_start, _) in pairs if text[a_end:b_start].strip()]
    return start, end, tuple(sorted(prefixes + markup))


def piece_on_line(line: str, content: str) -> Span | None:
    """[start, end) of the content line inside the source line (markdown-it strips prefixes and indentation)."""
    wanted = content.strip()
    if not wanted:
        return None
    stripped = line.rstrip()
    if stripped.endswith(wanted):
        return len(stripped) - len(wanted), len(stripped)
    at = line.find(wanted)
    return (at, at + len(wanted)) if at >= 0 else None


def table_cells(text: str, starts: list[int], tokens: list[Token], row: int) -> Iterator[Block]:
    """Each cell of the table row that starts at tokens[row], found left to right on its line."""
    assert tokens[row].map is not None
    number = tokens[row].map[0]
    line_start = starts[number]
    line_end = text.find("\n", line_start)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    cursor = 0
    for token in tokens[row + 1 :]:
        if token.type == "tr_close":
            return
        wanted = token.content.strip() if token.type == "inline" else ""
        if not wanted:
            continue
        at = line.find(wanted, cursor)
        if at < 0:
            continue
        cursor = at + len(wanted)
        start, end = line_start + at, line_start + cursor
        yield start, end, tuple(inline_markup(text, start, end)), True


def front_matter_values(text: str, starts: list[int], token: Token) -> Iterator[Block]:
    """The title and description values of the front matter (one-line `key: value` entries)."""
    assert token.map is not None
    first, last = token.map
    for number in range(first + 1, min(last, len(starts))):
        line_end = text.find("\n", starts[number])
        line = text[starts[number] : line_end if line_end >= 0 else len(text)]
        match = FRONT_MATTER_LINE.match(line)
        if not match or match["key"].lower() not in FRONT_MATTER_KEYS or not match["value"]:
            continue
        start, end = starts[number] + match.start("value"), starts[number] + match.end("value")
        if end - start >= 2 and text[start] in QUOTES and text[end - 1] == text[start]:
            start, end = start + 1, end - 1
        if end > start:
            yield start, end, (), True


def inline_markup(text: str, start: int, end: int) -> list[Span]:
    """The inline markup spans of text[start:end] (absolute offsets)."""
    return [(start + m.start(), start + m.end()) for m in INLINE_MARKUP.finditer(text[start:end])]


def has_prose(full: str, start: int, end: int, markup: tuple[Span, ...]) -> bool:
    """Whether any letter of full[start:end] lies outside the markup (a line of only code or tags is no text)."""
    chars = list(full[start:end])
    for a, b in markup:
        for k in range(max(a, start), min(b, end)):
            chars[k - start] = " "
    return bool(LETTER.search("".join(chars)))
