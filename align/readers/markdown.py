"""Markdown and MDX (markdown-it-py): headings, paragraphs, list items, quotes, table cells, containers, front matter
title/description and a VitePress home page's hero and features are text; code, HTML/JSX blocks and heading anchors
are not; inline code, links' targets and tags stay inside their sentence as markup."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from align.markup import character_references
from align.model import Paragraph, Source, Span
from align.readers.text import LINE_END, Block, block_paragraphs, line_starts, visible_span

if TYPE_CHECKING:
    import yaml  # PyYAML is imported only for a page with front matter (a re-check of one page rarely needs it)

FRONT_MATTER_KEYS = ("title", "description")  # the front matter a reader sees on the page, at any depth
# A VitePress home page (`layout: home`) shows these values as its text, by where they sit (sequences pass through:
# each `features` item, each of `hero.actions`); VitePress renders them as HTML, so their tags are markup.
HOME_PAGE_KEYS = {
    "hero": ("name", "text", "tagline"),
    "hero.actions": ("text",),  # a button's label; its `link` is a URL
    "features": ("title", "details", "linktext"),  # `linkText: Learn more`
}
NEVER_TEXT_KEYS = frozenset({"icon", "image"})  # an emoji, an <svg>, a logo's src and alt: nothing under them is text
OTHER_SECTION = "*"  # where a value sits outside HOME_PAGE_KEYS' sections (all such places read alike)
FRONT_MATTER_LINE = re.compile(r"^(?P<key>[A-Za-z_-]+)\s*:\s*(?P<value>.*?)\s*$")
QUOTES = "\"'"
BLOCK_SCALARS = "|>"  # YAML literal and folded block scalars
NODE_PROPERTIES = re.compile(r"(?:[!&]\S*\s+)*")  # a value's tag (`!!str`, `!custom`) and anchor (`&name`): no text
# Trailing heading decorations that are not the title: {#anchor}, MDX {/*anchor*/}, closing ###.
HEADING_TAIL = re.compile(r"(?:\s*\{#[^}]*\}|\s*\{/\*.*?\*/\}|\s+#+)+\s*$")
# Inline markup inside a sentence: code spans, link and image targets, reference labels, autolinks, bare URLs,
# HTML/JSX tags, {{ interpolations }}, the backslash of an escaped punctuation character (`\*`: the markup is
# the backslash alone, the character is text). Not prose: the check rules read it blanked out.
INLINE_MARKUP = re.compile(
    r"(?P<escape>\\)[!-/:-@\[-`{-~]"
    r"|(?P<code>(?P<ticks>`+).+?(?P=ticks))"
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
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# What opens a table row's line inside a block quote or a list item: `> `, `- `, `1. ` (CommonMark allows up to
# nine digits in an ordered list's number), each any number of times; the row's own cells come after it.
CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))*")
YAML_ESCAPE = {'"': re.compile(r'(\\)["\\/]'), "'": re.compile(r"(')'")}  # the markup of `\"`, `\\`, `''`
ESCAPED_PIPE = re.compile(r"\\\|")
# A container's opening line: its marker, its kind, then a title in brackets or after a space, before any {attrs}.
CONTAINER_TITLE = re.compile(
    r"[ \t]*:{3,}[ \t]*[\w-]+(?:\[(?P<bracketed>.*)\]|[ \t]+(?P<title>.*?))?[ \t]*(?:\{[^{}]*\})?[ \t]*$"
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
        elif token.type == "container_container_open" and token.map:
            yield from container_title(text, starts, token)


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
    """Each cell of the table row that starts at tokens[row]: the row's line cut at its unescaped pipes (as
    GFM cuts it), the k-th piece for the k-th cell markdown-it found; the `\\` of an escaped `\\|` is markup."""
    assert tokens[row].map is not None
    number = tokens[row].map[0]
    line_start = starts[number]
    line_end = LINE_END.search(text, line_start)
    row_start = CONTAINER_PREFIX.match(text, line_start).end()  # after a quote's `>`, a list item's marker
    pieces = iter(row_pieces(text, row_start, line_end.start() if line_end else len(text)))
    for token in tokens[row + 1 :]:
        if token.type == "tr_close":
            return
        if token.type != "inline":
            continue
        piece = next(pieces, None)
        if piece is None:
            return
        if token.content.strip():
            start, end = piece
            escapes = [(m.start(), m.start() + 1) for m in ESCAPED_PIPE.finditer(text, start, end)]
            yield start, end, tuple(sorted({*inline_markup(text, start, end), *escapes})), True


def row_pieces(text: str, start: int, end: int) -> list[Span]:
    """[start, end) of each cell of a table row's line, trimmed: split at the pipes no backslash escapes,
    without the empty pieces before a leading and after a trailing pipe."""
    pipes = [m.start() for m in UNESCAPED_PIPE.finditer(text, start, end)]
    pieces = zip([start, *(pipe + 1 for pipe in pipes)], [*pipes, end], strict=True)
    trimmed = [visible_span(text, a, b) or (a, a) for a, b in pieces]
    if trimmed and trimmed[0][0] == trimmed[0][1]:
        trimmed = trimmed[1:]
    if trimmed and trimmed[-1][0] == trimmed[-1][1] and text[start:end].rstrip().endswith("|"):
        trimmed = trimmed[:-1]
    return trimmed


def container_title(text: str, starts: list[int], token: Token) -> Iterator[Block]:
    """The title of a `::: tip Title` (VitePress) or `:::note[Title]` (Docusaurus) container: one unit (its line
    may open with a block quote's `>` or a list item's marker)."""
    assert token.map is not None
    line_start = starts[token.map[0]]
    line_end = LINE_END.search(text, line_start)
    match = CONTAINER_TITLE.search(text, line_start, line_end.start() if line_end else len(text))
    group = "bracketed" if match and match["bracketed"] else "title"
    if match and match[group] and has_prose(text, *match.span(group), ()):
        start, end = match.span(group)
        yield start, end, tuple(inline_markup(text, start, end)), True


def front_matter_values(text: str, starts: list[int], token: Token) -> Iterator[Block]:
    """The title and description values of the front matter, at any depth (a home page's `hero: title:`), read
    by PyYAML's composer so that block scalars (`description: >`), multi-line and quoted values and lists of
    strings are found where they are written; front matter YAML cannot parse is read line by line instead."""
    assert token.map is not None
    first, last = token.map
    if last - 1 <= first + 1 or last - 1 >= len(starts):
        return
    body_start, body_end = starts[first + 1], starts[last - 1]
    import yaml

    try:
        root = yaml.compose(text[body_start:body_end], Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):  # not YAML, or nested deeper than PyYAML's recursive composer goes
        yield from front_matter_lines(text, starts, first, last)
        return
    for node, home in translatable_nodes(root):
        span = scalar_span(text, body_start, node)
        if span is None:
            continue
        markup = (*quoting_escapes(text, *span, node.style), *(inline_markup(text, *span) if home else ()))
        if has_prose(text, *span, markup):
            yield *span, tuple(sorted(markup)), True


def translatable_nodes(root: yaml.Node | None) -> Iterator[tuple[yaml.ScalarNode, bool]]:
    """The scalars under a FRONT_MATTER_KEYS key or a home page's HOME_PAGE_KEYS key (the value itself, or each
    string of a list), in file order, each with whether it is a home page's; nothing under NEVER_TEXT_KEYS. A node
    an alias repeats is visited once per kind of place it sits in (HOME_PAGE_KEYS' sections, or any other), so
    that it is text wherever one of them makes it text, whichever comes first, and a cycle of aliases ends."""
    import yaml

    seen: set[tuple[int, bool | None, str]] = set()
    # a node, whether it is text (None: not) and a home page's, and where it sits ("hero.actions")
    stack: list[tuple[yaml.Node | None, bool | None, str]] = [(root, None, "")]
    found: dict[int, tuple[yaml.ScalarNode, bool]] = {}
    while stack:
        node, home, section = stack.pop()
        if node is None or (id(node), home, section) in seen:
            continue
        seen.add((id(node), home, section))
        if isinstance(node, yaml.ScalarNode):
            if home is not None and not found.get(id(node), (node, False))[1]:  # a home page's wins: its markup
                found[id(node)] = (node, home)
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, home, section) for item in node.value]
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = str(key.value).lower() if isinstance(key, yaml.ScalarNode) else ""
                if name in NEVER_TEXT_KEYS:
                    continue
                inside = f"{section}.{name}" if section else name
                stack.append((value, home_text(name, section), inside if inside in HOME_PAGE_KEYS else OTHER_SECTION))
    return iter(sorted(found.values(), key=lambda item: item[0].start_mark.index))


def home_text(key: str, section: str) -> bool | None:
    """Whether the value of `key` inside `section` ("hero", "features", "" at the top) is a home page's text
    (True), other text (False: a title or description), or no text at all (None)."""
    if key in HOME_PAGE_KEYS.get(section, ()):
        return True
    return False if key in FRONT_MATTER_KEYS else None


def scalar_span(text: str, offset: int, node: yaml.ScalarNode) -> Span | None:
    """[start, end) in the file of a scalar's text: without its tag and anchor, without its quotes, without a block
    scalar's `|`/`>` line, without trailing whitespace; None for an empty value or one without a letter."""
    start, end = offset + node.start_mark.index, offset + node.end_mark.index
    start = NODE_PROPERTIES.match(text, start, end).end()  # PyYAML's mark is where the properties begin
    if node.style and node.style in QUOTES and end - start >= 2:
        start, end = start + 1, end - 1
    elif node.style and node.style in BLOCK_SCALARS:
        line_end = LINE_END.search(text, start, end)
        start = line_end.end() if line_end else end
    visible = visible_span(text, start, end)
    return visible if visible is not None and has_prose(text, *visible, ()) else None


def quoting_escapes(text: str, start: int, end: int, style: str | None) -> tuple[Span, ...]:
    """The markup of a quoted scalar's escapes: the backslash of `\"` and `\\` in double quotes, the first
    quote of `''` in single quotes (the plain text reads `"` and `'`)."""
    escape = YAML_ESCAPE.get(style or "")
    return tuple(m.span(1) for m in escape.finditer(text, start, end)) if escape else ()


def front_matter_lines(text: str, starts: list[int], first: int, last: int) -> Iterator[Block]:
    """The one-line `title: value` and `description: value` entries of front matter that is not valid YAML."""
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
    """The inline markup spans of text[start:end] (absolute offsets), and the character references (`&amp;`,
    `&nbsp;`, `&#8212;`) outside them, which CommonMark reads as the characters they name."""
    matches = list(INLINE_MARKUP.finditer(text[start:end]))
    spans = [m.span("escape") if m["escape"] else m.span() for m in matches]
    covered = [m.span() for m in matches]
    found = [(start + a, start + b) for a, b in spans]
    found += [
        (a, b)
        for a, b in character_references(text, start, end, strict=True)
        if not any(start + c <= a < start + d for c, d in covered)  # not inside code, a tag or a link's target
    ]
    return sorted(found)


def has_prose(full: str, start: int, end: int, markup: tuple[Span, ...]) -> bool:
    """Whether any letter of full[start:end] lies outside the markup (a line of only code or tags is no text)."""
    chars = list(full[start:end])
    for a, b in markup:
        for k in range(max(a, start), min(b, end)):
            chars[k - start] = " "
    return bool(LETTER.search("".join(chars)))
