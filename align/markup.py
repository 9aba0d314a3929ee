"""Markup inside sentences: their plain text (what is embedded and written as CSV/JSONL), and the markup a
sentence shares with its translation (a link's target, inline code, a heading's anchor) as extra dimensions of
its vector, so that a short heading or a link-only line finds its translation."""

from __future__ import annotations

import hashlib
import html
import html.entities
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from align.model import Segment, Span

if TYPE_CHECKING:  # numpy is imported by with_markup: plain_text, read on every input, needs none
    import numpy as np

DIMENSIONS = 256  # hashed markup tokens
WEIGHT = 0.35  # share of a vector's squared length given to its markup (the rest keeps the meaning)
LINK_TARGET = re.compile(r"^\]\((?P<target>[^)\s]*)")
ALPHANUMERIC = re.compile(r"\w")
CODE_SPAN = re.compile(r"(?P<ticks>`+)(?P<code>.*?)(?P=ticks)", re.DOTALL)  # inline code: its content is text
# A character reference as HTML's tokenizer reads one in text (`&amp;`, `&#8212;`, `&#x2014;`, and the legacy
# `&nbsp` or `&copy` without their semicolon); CommonMark (strict) takes only the first three, with the semicolon.
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")
STRICT_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]*);")  # CommonMark's limits
CHARACTER_REFERENCES = re.compile(rf"(?:{CHARACTER_REFERENCE.pattern})+")  # a markup piece made of references
# An HTML page's inline code (the HTML reader keeps the element as markup, so the check rules never read it):
# the page shows its text, which the plain text keeps, as it keeps a Markdown code span's.
HTML_CODE = re.compile(r"<(?P<tag>code|kbd|samp|var)\b[^<>]*>(?P<content>.*?)</(?P=tag)\s*>", re.DOTALL | re.IGNORECASE)
HTML_TAG = re.compile(r"<[^<>]*>")
ENTITY_NAMES = frozenset(html.entities.html5)  # "amp;", "nbsp;" and the legacy names also read without ";"


def tokens_of(segment: Segment) -> list[str]:
    """The markup inside the sentence that a translation keeps as it is: link targets, code, anchors, tags."""
    found = []
    for start, end in segment.markup:
        piece = segment.text[max(start, segment.start) - segment.start : min(end, segment.end) - segment.start]
        target = LINK_TARGET.match(piece)
        piece = target["target"] if target else piece.strip()
        if ALPHANUMERIC.search(piece) and not CHARACTER_REFERENCES.fullmatch(piece):
            found.append(piece)
    return found


def with_markup(vectors: np.ndarray, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """`vectors` with DIMENSIONS more columns: zero for rows without markup (their cosines are unchanged), else
    the row scaled to sqrt(1 - WEIGHT) beside its hashed, unit-length markup scaled to sqrt(WEIGHT)."""
    import numpy as np

    extra = np.zeros((len(vectors), DIMENSIONS), dtype=np.float32)
    scale = np.ones((len(vectors), 1), dtype=np.float32)
    for row, tokens in enumerate(token_lists):
        if not tokens:
            continue
        for token in tokens:
            extra[row, bucket(token)] += 1.0
        extra[row] *= math.sqrt(WEIGHT) / np.linalg.norm(extra[row])
        scale[row] = math.sqrt(1.0 - WEIGHT)
    return np.hstack([np.asarray(vectors, dtype=np.float32) * scale, extra])


def bucket(token: str) -> int:
    """The column a token is counted in (a stable hash, the same in every process)."""
    digest = hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=4).digest()
    return int.from_bytes(digest, "big") % DIMENSIONS


def run_tokens(segments: Sequence[Segment], runs: Sequence[Span]) -> list[list[str]]:
    """The markup tokens of each run of sentences (all of its sentences' tokens)."""
    return [[token for segment in segments[start:stop] for token in tokens_of(segment)] for start, stop in runs]


def side_with_markup(
    vectors: np.ndarray, run_vectors: np.ndarray, segments: Sequence[Segment], runs: Sequence[Span]
) -> tuple[np.ndarray, np.ndarray]:
    """One side's sentence and run vectors with their markup dimensions (see with_markup)."""
    return with_markup(vectors, [tokens_of(s) for s in segments]), with_markup(run_vectors, run_tokens(segments, runs))


def has_markup(segments: Sequence[Segment]) -> bool:
    """Whether any of the segments holds markup."""
    return any(segment.markup for segment in segments)


def plain_text(segment: Segment) -> str:
    """One segment's text without its markup: link targets, tags and anchors go, code keeps what is inside its
    backticks (an HTML page's <code>, <kbd>, <samp> and <var> their text), character references (`&amp;`) become
    the characters they stand for."""
    pieces, cursor = [], segment.start
    for start, end in pieces_of(segment):
        pieces.append(segment.text[cursor - segment.start : start - segment.start])
        piece = segment.text[start - segment.start : end - segment.start]
        inner = CODE_SPAN.fullmatch(piece)
        pieces.append(inner["code"] if inner else referenced_characters(piece) or html_code_text(piece))
        cursor = end
    pieces.append(segment.text[cursor - segment.start :])
    return "".join(pieces)


def referenced_characters(piece: str) -> str:
    """The characters a markup piece names when it is made of character references (`&nbsp;`, `&#8212;`), else ""
    (a tag, a link's target)."""
    return html.unescape(piece) if CHARACTER_REFERENCES.fullmatch(piece) else ""


def html_code_text(piece: str) -> str:
    """The text an HTML markup piece's inline code elements show (`<a href="/x"><code>v-if</code></a>`: "v-if",
    `&lt;` as "<"), "" for a piece without one (a tag, a script)."""
    return "".join(html.unescape(HTML_TAG.sub("", m["content"])) for m in HTML_CODE.finditer(piece))


def character_references(text: str, start: int, end: int, strict: bool = False) -> list[Span]:
    """[start, end) of each character reference in text[start:end] that resolves to a character, as an HTML page's
    text reads them: numeric ones, known names with their `;`, and the longest legacy name without one
    (`&nbspall` is `&nbsp` then "all"); `strict` (CommonMark): only numeric ones and known names with a `;`.
    Never an unknown name (`&foo;`), which stays text."""
    found: list[Span] = []
    for match in (STRICT_REFERENCE if strict else CHARACTER_REFERENCE).finditer(text, start, end):
        reference = match[0]
        if reference.startswith("&#") or reference[1:] in ENTITY_NAMES:
            found.append(match.span())
        elif not strict:
            legacy = next((k for k in range(len(reference), 2, -1) if reference[1:k] in ENTITY_NAMES), None)
            if legacy is not None:
                found.append((match.start(), match.start() + legacy))
    return found


def pieces_of(segment: Segment) -> list[tuple[int, int]]:
    """The segment's markup spans, cut to it, in order, without overlaps."""
    spans, last = [], segment.start
    for start, end in sorted(segment.markup):
        start, end = max(start, last, segment.start), min(end, segment.end)
        if end > start:
            spans.append((start, end))
            last = end
    return spans
