"""HTML and XHTML pages: block elements are paragraphs located in the file itself, the tags inside them markup."""

from __future__ import annotations

import codecs
import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from align.declared_language import declared_language
from align.markup import character_references
from align.model import Paragraph, Source, Span
from align.readers.text import (
    Block,
    block_paragraphs,
    boilerplate_lines,
    line_starts,
    normalised_line,
    visible_span,
)


def tags(names: str) -> frozenset[str]:
    """The set of the space-separated tag names."""
    return frozenset(names.split())


# Why a tokenizer of its own: a paragraph's span, its line and its markup must point into the file's own text.
# lxml (libxml2) reports only an element's line, never its column or offset. The stdlib html.parser reports
# (line, column), but on Python 3.11 it takes quadratic time on an unterminated tag ("<a " * 40,000: 77 s) or
# comment, and raises AssertionError on "<![". The scanner below follows HTML's tokenizer rules closely enough
# for text extraction, in one linear pass; it resolves no entity and fetches nothing (a DTD is only a token).

# Inline elements: inside a paragraph, their tags are markup and their text is the paragraph's. Every other
# element (p, div, li, td, h1, br, …) starts and ends a paragraph.
INLINE = tags(
    "a abbr acronym audio b bdi bdo big button canvas cite code data del dfn em embed font i iframe img input ins "
    "kbd label map mark math meter nobr noscript object output picture progress q rp rt ruby s samp script select "
    "slot small source span strike strong style sub sup svg template textarea time tt u var video wbr"
)
# Never translatable: the element and all it holds (markup when inline inside a paragraph).
SKIPPED = tags(
    "audio button canvas code datalist head iframe kbd map math nav noembed noframes noscript object pre samp "
    "script select style svg template textarea title var video xmp"
)
LANDMARKS = frozenset({"header", "footer"})  # skipped as a page's banner and footer, kept inside an article
SECTIONING = frozenset({"article", "aside", "main", "section"})
WHOLE = tags("h1 h2 h3 h4 h5 h6 th td caption dt summary legend")  # one unit, never split
# Whose `lang` is the page's, not a passage's: scraped and templated pages declare <html lang="en"> (or "de") on a
# page that is really Russian and English, so it says nothing of any one block (align.language.label).
PAGE_LEVEL = frozenset({"html", "body"})
LANG_ATTRIBUTES = ("xml:lang", "lang")  # XHTML and EPUB write xml:lang, which wins over lang where both are
VOID = tags("area base br col embed hr img input link meta param source track wbr")
CLOSES_P = tags(
    "address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hgroup hr li main menu nav ol p pre section table ul"
)
IMPLIED_END = {  # a start tag that ends the elements left open before it (HTML's optional end tags)
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "tr": frozenset({"tr", "td", "th"}),
    "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
    "tbody": frozenset({"thead", "tbody", "tr", "td", "th"}),
    "tfoot": frozenset({"thead", "tbody", "tr", "td", "th"}),
    "option": frozenset({"option"}),
    "body": frozenset({"head"}),
}
# Elements whose content is text up to their end tag (a "<p>" in a script is no paragraph): tag -> that end tag.
RAW_TEXT = {
    tag: re.compile(rf"</{tag}[\s/>]", re.IGNORECASE)
    for tag in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
}
EMPTY_COMMENTS = ("<!-->", "<!--->")  # complete comments that "-->" after "<!--" would miss
TAG_NAME = re.compile(r"[A-Za-z][^\s/>]*")
TAG_GAP = re.compile(r"[\s/]*")  # between attributes: spaces, and slashes as browsers ignore them
# name[=value]: a value quoted (it may hold ">" and line breaks), or unquoted up to a space or ">"
ATTRIBUTE = re.compile(r"""(?P<name>[^\s/>][^\s/>=]*)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>]*))?""")
QUOTES = "\"'"
LETTER = re.compile(r"[^\W\d_]")
LINE_END = re.compile(r"\r\n|\r|\n")  # the line ends align.readers.text and the segmenter count
PRESCAN_BYTES = 2048  # where a page's declared encoding is looked for, as browsers do
DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*(?P<meta>[\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["'](?P<xml>[\w.:-]+)""",
    re.IGNORECASE,
)
WIDE_CODECS = ("utf-16", "utf-32")  # browsers read a <meta> naming one as UTF-8
BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class HtmlReader:
    """*.html, *.htm and *.xhtml: the translatable text of a page, each paragraph located by line in the file."""

    name = "html"
    extra = ""

    def source(self, path: str, data: bytes) -> Source:
        return html_source(path, data)

    def paragraphs(self, source: Source) -> list[Paragraph]:
        found = declared_blocks(source.text)
        paragraphs = block_paragraphs(source, [block for block, _ in found], line_starts(source.text))
        return [
            replace(paragraph, declared=lang) if lang else paragraph
            for paragraph, (_, lang) in zip(paragraphs, found, strict=True)
        ]


# ---------------------------------------------------------------------------------------- decoding


def html_source(path: str, data: bytes) -> Source:
    """The page's text: a byte-order mark or valid UTF-8 first, then the charset the page declares, then the
    legacy codec align.load detects."""
    from align.load import source_of

    codec = declared_codec(data)
    if codec is None or data.startswith(BOMS) or is_utf8(data):
        return source_of(path, data)
    try:
        return Source(path=path, text=data.decode(codec), encoding=codec)
    except UnicodeDecodeError:
        return source_of(path, data)


def declared_codec(data: bytes) -> str | None:
    """The Python codec of the `<meta charset>` or `<?xml encoding?>` near the top of the page, if it names one."""
    match = DECLARED_CHARSET.search(data[:PRESCAN_BYTES])
    if match is None:
        return None
    label = (match["meta"] or match["xml"]).decode("ascii", "replace")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return None if codec.startswith(WIDE_CODECS) else codec  # a page that says UTF-16 in ASCII is not UTF-16


def is_utf8(data: bytes) -> bool:
    """Whether `data` decodes as UTF-8 without an error."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# ---------------------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    """One piece of the page: a tag, a run of text (entities included), or anything else (comment, doctype, …)."""

    kind: str  # "start", "end", "empty" (<br/>), "text", "other"
    start: int  # [start, end) into the page's text
    end: int
    tag: str = ""
    attrs: tuple[tuple[str, str | None], ...] = ()


def tokens(text: str) -> list[Token]:
    """The page's tokens in order, covering all of `text`, in one pass (HTML's tokenizer rules, simplified: a
    tag left open at the end of the text holds the rest of it, as a browser reads it)."""
    found: list[Token] = []
    position = text_start = 0
    while True:
        at = text.find("<", position)
        if at < 0:
            break
        token = markup_at(text, at)
        if token is None:  # "a < b", "<3": text
            position = at + 1
            continue
        if text_start < at:
            found.append(Token("text", text_start, at))
        found.append(token)
        position = text_start = token.end
        if token.kind == "start" and token.tag in RAW_TEXT:
            closing = RAW_TEXT[token.tag].search(text, position)
            position = closing.start() if closing else len(text)
    if text_start < len(text):
        found.append(Token("text", text_start, len(text)))
    return [token for token in found if token.end > token.start]


def markup_at(text: str, at: int) -> Token | None:
    """The tag, comment, doctype or processing instruction that starts at text[at] == "<", None for text."""
    if text.startswith("<!--", at):
        empty = next((len(whole) for whole in EMPTY_COMMENTS if text.startswith(whole, at)), 0)
        return Token("other", at, at + empty if empty else ended_by(text, "-->", at + 4))
    if text.startswith("<![CDATA[", at):
        return Token("other", at, ended_by(text, "]]>", at + 9))
    if text.startswith(("<!", "<?"), at):
        return Token("other", at, ended_by(text, ">", at + 2))
    name = TAG_NAME.match(text, at + 2 if text.startswith("</", at) else at + 1)
    if text.startswith("</", at):
        if name is None:
            return Token("other", at, ended_by(text, ">", at + 2))  # "</>", "</ x>": nothing to a browser
        return Token("end", at, ended_by(text, ">", name.end()), name[0].lower())
    if name is None:
        return None
    attrs, end, empty = attributes(text, name.end())
    return Token("empty" if empty else "start", at, end, name[0].lower(), attrs)


def ended_by(text: str, closing: str, start: int) -> int:
    """The end of a construct closed by `closing` at or after `start` (the end of the text if it never is)."""
    found = text.find(closing, start)
    return len(text) if found < 0 else found + len(closing)


def attributes(text: str, position: int) -> tuple[tuple[tuple[str, str | None], ...], int, bool]:
    """The attributes of a start tag whose name ends at `position`, where the tag ends, and whether it closes
    itself ("/>"). Each step consumes at least one character: linear in the tag's length."""
    found: list[tuple[str, str | None]] = []
    empty = False
    while position < len(text):
        gap = TAG_GAP.match(text, position)
        assert gap is not None
        empty = "/" in gap[0] and gap.end() < len(text) and text[gap.end()] == ">"
        position = gap.end()
        if position >= len(text) or text[position] == ">":
            return tuple(found), min(position + 1, len(text)), empty
        attribute = ATTRIBUTE.match(text, position)
        assert attribute is not None  # a name takes any character but space, "/" and ">"
        value = attribute["value"]
        if value is not None and value[:1] in QUOTES and len(value) > 1 and value[-1] == value[0]:
            value = value[1:-1]
        found.append((attribute["name"].lower(), None if value is None else html.unescape(value)))
        position = attribute.end()
    return tuple(found), len(text), False


# ---------------------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class Element:
    """An open element and what it passes on to what it holds (each looked up in O(1), however deep the page)."""

    tag: str
    skipped: bool  # it, or an element around it, is left out with all it holds
    block: str  # the innermost block element's tag, its own included ("" at the top)
    sectioned: bool  # inside an article, aside, main or section
    lang: str = ""  # the language declared for it (its own `lang` or the nearest one around it): "de", "ru", ""
    block_lang: str = ""  # the language declared for the innermost block element


TOP = Element("", skipped=False, block="", sectioned=False)


@dataclass
class Open:
    """The paragraph being collected: from its first visible character to its last so far."""

    start: int
    end: int
    whole: bool
    markup: list[Span] = field(default_factory=list)
    pending: list[Span] = field(default_factory=list)  # markup after the last visible character so far
    references: list[Span] = field(default_factory=list)  # character references in its text: markup too
    block_lang: str = ""  # the language declared for its block element
    langs: set[str] = field(default_factory=set)  # the languages declared for its runs of text with a letter


class Walker:
    """Walks the tokens with a stack of open elements and gathers the paragraphs (see `blocks`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stack: list[Element] = []
        self.open_tags: Counter[str] = Counter()  # how many elements of each tag are on the stack
        self.current: Open | None = None
        self.found: list[Block] = []
        self.declared: list[str] = []  # the language declared for each paragraph found ("" for none)

    def walk(self, found: Iterable[Token]) -> list[Block]:
        """The paragraphs of the page whose tokens are `found`, in order."""
        for token in found:
            if token.kind == "text":
                self.on_text(token)
            elif token.kind in ("start", "empty", "end"):
                self.on_tag(token)
            elif self.current is not None:
                self.current.pending.append((token.start, token.end))
        self.flush()
        return self.found

    def here(self) -> Element:
        """The innermost open element (TOP outside every element)."""
        return self.stack[-1] if self.stack else TOP

    def on_text(self, token: Token) -> None:
        """Add a run of text to the paragraph (starting one), or to its markup inside a skipped element."""
        if self.here().skipped:
            if self.current is not None:
                self.current.pending.append((token.start, token.end))
            return
        visible = visible_span(self.text, token.start, token.end)
        if visible is None:
            return
        here = self.here()
        if self.current is None:
            self.current = Open(visible[0], visible[1], here.block in WHOLE, block_lang=here.block_lang)
        else:
            self.current.markup.extend(self.current.pending)
            self.current.pending.clear()
            self.current.end = visible[1]
        self.current.references.extend(character_references(self.text, *visible))
        if has_letter(self.text, *visible):
            self.current.langs.add(here.lang)

    def on_tag(self, token: Token) -> None:
        """An inline tag is the paragraph's markup; any other tag ends the paragraph. Then open or close it."""
        if token.tag in INLINE:
            if self.current is not None:
                self.current.pending.append((token.start, token.end))
        else:
            self.flush()
        if token.kind == "start":
            self.open(token)
        elif token.kind == "end":
            self.close(token.tag)

    def open(self, token: Token) -> None:
        """Push the element `token` opens, first ending those its start tag ends (HTML's optional end tags)."""
        if token.tag not in INLINE:
            ended = IMPLIED_END.get(token.tag, frozenset()) | ({"p"} if token.tag in CLOSES_P else frozenset())
            while self.stack and self.stack[-1].tag in ended:
                self.pop()
        if token.tag in VOID:
            return
        around = self.here()
        lang = declared_in(token, around.lang)
        self.stack.append(
            Element(
                tag=token.tag,
                skipped=around.skipped or self.is_skipped(token, around),
                block=around.block if token.tag in INLINE else token.tag,
                sectioned=around.sectioned or token.tag in SECTIONING,
                lang=lang,
                block_lang=around.block_lang if token.tag in INLINE else lang,
            )
        )
        self.open_tags[token.tag] += 1

    def close(self, tag: str) -> None:
        """End the innermost open `tag` and every element opened inside it (an end tag with none open: nothing)."""
        if self.open_tags[tag]:
            while self.pop().tag != tag:
                pass

    def pop(self) -> Element:
        """Remove the innermost open element and return it."""
        element = self.stack.pop()
        self.open_tags[element.tag] -= 1
        return element

    @staticmethod
    def is_skipped(token: Token, around: Element) -> bool:
        """Whether the element opened by `token` is left out with all it holds."""
        attrs = dict(token.attrs)
        if token.tag in SKIPPED or "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
            return True
        return token.tag in LANDMARKS and not around.sectioned

    def flush(self) -> None:
        """End the paragraph being collected; keep it if it has prose and is not a boilerplate line."""
        current, self.current = self.current, None
        if current is None:
            return
        tags = merged(current.markup)
        prose = html.unescape(prose_of(self.text, current.start, current.end, tags))  # "&copy; 2024": no letter
        if LETTER.search(prose) and normalised_line(prose) not in boilerplate_lines():
            # each reference its own span, never merged with a tag beside it: `&nbsp;<kbd>Ctrl</kbd>` reads as a
            # no-break space and a tag, not as one piece of markup whose space is lost with the tag
            markup = tuple(sorted(tags + tuple(current.references)))
            self.found.append((current.start, current.end, markup, current.whole))
            self.declared.append(current.langs.pop() if len(current.langs) == 1 else current.block_lang)


def has_letter(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has a letter once its character references are read (`&amp;` has none)."""
    piece = text[start:end]
    return LETTER.search(html.unescape(piece) if "&" in piece else piece) is not None


def declared_in(token: Token, around: str) -> str:
    """The language declared for the element `token` opens: its own `xml:lang` or `lang` (base subtag; "" for
    `lang=""` or "und", which declare the language unknown), else `around`'s; the page's own (PAGE_LEVEL) never."""
    if token.tag in PAGE_LEVEL:
        return around
    attrs = dict(token.attrs)
    value = next((attrs[name] or "" for name in LANG_ATTRIBUTES if name in attrs), None)  # `<p lang>`: unknown
    return around if value is None else declared_language(value)


def declared_blocks(text: str) -> list[tuple[Block, str]]:
    """(start, end, markup, whole) of each paragraph of the page `text`, with the language declared for it: the
    text of a block element (p, li, td, h1, a div's own text, …) from its first to its last visible character,
    the tags, comments and skipped inline content (code, scripts) inside it as markup. Left out: script, style,
    code and pre blocks, nav, the page's header and footer, head, forms' controls, hidden elements, boilerplate
    lines and paragraphs without a letter. Text in any language is read, never dropped; its declared language is
    that of the element around all its letters (`<p><q lang="de">…</q>.</p>`: "de"), else its block element's
    (`lang` or `xml:lang`, its own or inherited from below <body>; align.language.label weighs it: a third
    language is `other`, reported and never paired). Character references (`&amp;`, `&nbsp;`, `&#8212;`) are
    markup spans, so the spans stay exact into the file while the plain text (align.markup.plain_text) reads the
    characters they stand for."""
    walker = Walker(text)
    found = walker.walk(tokens(text))
    return list(zip(found, walker.declared, strict=True))


def merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """The spans in order with touching or overlapping ones joined (`<code>`, its text and `</code>`: one)."""
    result: list[Span] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        elif end > start:
            result.append((start, end))
    return tuple(result)


def prose_of(text: str, start: int, end: int, markup: Iterable[Span]) -> str:
    """text[start:end] with its markup blanked out."""
    chars = list(text[start:end])
    for a, b in markup:
        chars[max(a, start) - start : min(b, end) - start] = " " * max(0, min(b, end) - max(a, start))
    return "".join(chars)
