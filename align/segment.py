"""Split paragraphs into sentences with exact spans: razdel for Russian and mixed text, sentencex for English."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable

from razdel import sentenize
from sentencex import segment as sentencex_segment

from align.boundaries import english_ends, quotes_on_their_side, russian_ends
from align.language import CYRILLIC_RUN, script_letters
from align.model import Paragraph, Segment
from align.readers.text import LINE_END  # the line ends the readers count lines by

HEAD_CHARS = 5  # the first visible character of the rest and the four after it: all is_hard_break reads
LATIN_MASK, CYRILLIC_MASK = "x", "ж"  # what markup characters read as while sentences are split
COUNTED_CHARS = 1_000_000  # a longer text's letters are counted this many characters at a time
SHORT_LINE = 80  # a line shorter than this, followed by a capital, ends its unit (a title, a list line)

ENGLISH_MIN_LATIN_SHARE = 0.9  # a paragraph this Latin is English text; anything else goes to razdel
# A unit that is only a footnote marker, a bracketed number or punctuation stays with the sentence before it.
TRAILING_ONLY = re.compile(r"^(?:[\[(]\d{1,4}[\])]|\W)+$")
HARD_LINE_END = re.compile(r"[.!?…:;\"»”’)\]]\s*$")
VISIBLE = re.compile(r"\S")
ASCII_LETTER = re.compile("[A-Za-z]")
WHITESPACE = re.compile(r"\s")  # what str.isspace calls whitespace, as \S is what it does not
LIST_ITEM_START = re.compile(r"^\s*(?:[-*•–—]\s|\d{1,3}[.)]\s)")
# A sentence end, then footnote markers, then the next sentence: the markers belong to the first one.
FOOTNOTE_BOUNDARY = re.compile(r"[.!?…][\"”»’]?\s*(?:\[\d{1,4}\])+(?=\s+[\"“«„]?[A-ZА-ЯЁ])")
LEADING_FOOTNOTES = re.compile(r"(?:\[\d{1,4}\]\s*)+")
TRAILING_FOOTNOTES = re.compile(r"(?:\s*\[\d{1,4}\])+[.,;:]?$")
OPENING_QUOTES = "\"“«„'‘"
CLOSING_QUOTES = "\"”»“'’"


def segments_of(
    paragraphs: Iterable[Paragraph], source_text: str, language: Callable[[Paragraph], str] | None = None
) -> list[Segment]:
    """All sentences of the paragraphs, in order, each with its span and line; `lang` is left empty. `language`
    (a --langs pair other than ru,en) names each paragraph's language, whose splitter align.languages chooses;
    without it razdel or sentencex-English splits by the script."""
    segments: list[Segment] = []
    for paragraph in paragraphs:
        breaks = line_break_starts(source_text, paragraph.start, paragraph.start + len(paragraph.text))
        if paragraph.whole:
            spans = [(0, len(paragraph.text))]
        else:
            spans = sentence_spans(masked(paragraph), language(paragraph) if language else "")
        for start, end in spans:
            absolute = paragraph.start + start
            segments.append(
                Segment(
                    file=paragraph.file,
                    start=absolute,
                    end=paragraph.start + end,
                    line=paragraph.line + bisect_left(breaks, absolute),  # the breaks before the sentence
                    text=unit_text(paragraph, source_text, start, end),
                    lang="",
                    paragraph=paragraph.index,
                    location=paragraph.location,
                    declared=paragraph.declared,
                    markup=inside(paragraph.markup, absolute, paragraph.start + end),
                    whole=paragraph.whole,
                )
            )
    return segments


def unit_text(paragraph: Paragraph, source_text: str, start: int, end: int) -> str:
    """The text of the unit at [start, end) of the paragraph: the paragraph's own string when the unit is all of it
    (a heading, an unpunctuated paragraph of megabytes: not a second copy), else a slice of the source text."""
    if start == 0 and end == len(paragraph.text):
        return paragraph.text
    return source_text[paragraph.start + start : paragraph.start + end]


def masked(paragraph: Paragraph) -> str:
    """The paragraph's text with every visible character of its markup (inline code, URLs, tags) made a letter,
    so that a dot in `a.b()` or a URL never ends a sentence; offsets and line breaks are unchanged."""
    if not paragraph.markup:
        return paragraph.text
    text = paragraph.text
    spans = merged_spans(
        [
            (max(start, paragraph.start) - paragraph.start, min(end, paragraph.end) - paragraph.start)
            for start, end in paragraph.markup
        ]
    )
    starts, ends = [start for start, _ in spans] + [len(text)], [0] + [end for _, end in spans]
    outside = [text[end:start] for end, start in zip(ends, starts, strict=True)]  # the text between the spans
    blanked = [" " * (end - start) for start, end in spans]
    cyrillic, latin = script_letters(interleaved(outside, blanked))
    mask = CYRILLIC_MASK if cyrillic > latin else LATIN_MASK  # the paragraph's own script: razdel or sentencex
    return interleaved(outside, [VISIBLE.sub(mask, WHITESPACE.sub(" ", text[start:end])) for start, end in spans])


def merged_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The non-empty spans, sorted, overlapping or touching ones merged into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def interleaved(outside: list[str], inside: list[str]) -> str:
    """outside[0] + inside[0] + outside[1] + … + outside[-1] (one more of outside than of inside)."""
    return "".join(piece for pair in zip(outside, [*inside, ""], strict=True) for piece in pair)


def inside(spans: tuple[tuple[int, int], ...], start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The spans that overlap [start, end), cut to it."""
    return tuple((max(a, start), min(b, end)) for a, b in spans if a < end and b > start)


def line_break_starts(text: str, start: int, end: int) -> list[int]:
    """Where each line break in text[start:end] begins, in order."""
    return [match.start() for match in LINE_END.finditer(text, start, end)]


def sentence_spans(text: str, lang: str = "") -> list[tuple[int, int]]:
    """[start, end) of each sentence of a paragraph, whitespace trimmed, covering every non-space character;
    `lang` (not ru,en's "") chooses the splitter of that language (align.languages.splitter_for)."""
    spans: list[tuple[int, int]] = []
    split = split_block if not lang else splitter_in(lang)
    for block_start, block_end in block_spans(text):
        block = text[block_start:block_end]
        for start, end in split(block):
            spans.append((block_start + start, block_start + end))
    return attach_trailing_units(text, split_after_footnotes(text, attach_leading_footnotes(text, spans)))


def block_spans(text: str) -> list[tuple[int, int]]:
    """Split a paragraph at line breaks that end a unit (a heading, a list item, a finished sentence)."""
    blocks: list[tuple[int, int]] = []
    start = 0
    for match in LINE_END.finditer(text):
        if is_hard_break(text[start : match.start()], rest_head(text, match.end())):
            blocks.append((start, match.start()))
            start = match.end()
    blocks.append((start, len(text)))
    return [trimmed for trimmed in (trim(text, s, e) for s, e in blocks) if trimmed]


def rest_head(text: str, position: int) -> str:
    """text[position:] cut after its first visible character and the four after it, all that is_hard_break reads of
    it: copying the whole rest at each line break made splitting a long paragraph quadratic."""
    visible = VISIBLE.search(text, position)
    return text[position : visible.start() + HEAD_CHARS] if visible else text[position:]


def is_hard_break(line: str, rest: str) -> bool:
    """True when the line break after `line` separates two units rather than wrapping one sentence."""
    if not line.strip() or not rest.strip():
        return True
    if HARD_LINE_END.search(line) or LIST_ITEM_START.match(rest):
        return True
    next_char = rest.lstrip()[:1]
    return len(line.strip()) < SHORT_LINE and not line.rstrip().endswith((",", "-", "–")) and next_char.isupper()


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without surrounding whitespace, None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_block(block: str) -> list[tuple[int, int]]:
    """Sentence spans inside one block, by the splitter that suits its script."""
    if is_english_block(block):
        sentences = [span for start, end in english_spans(block) for span in split_enclosing_quote(block, start, end)]
        spans = [span for start, end in sentences for span in english_ends(block, start, end)]
    else:
        spans = [span for s in sentenize(block) for span in russian_ends(block, s.start, s.stop)]
    return quotes_on_their_side(block, spans)


def is_english_block(block: str) -> bool:
    """Whether the block's letters are at least ENGLISH_MIN_LATIN_SHARE Latin ones: at once when it has an ASCII
    letter and nothing Cyrillic (no letter counts needed), else by letters_by_script."""
    if CYRILLIC_RUN.search(block) is None and ASCII_LETTER.search(block) is not None:
        return True
    cyrillic, latin = letters_by_script(block)
    return bool(latin) and latin >= ENGLISH_MIN_LATIN_SHARE * (cyrillic + latin)


def letters_by_script(text: str) -> tuple[int, int]:
    """script_letters of `text`, counted COUNTED_CHARS characters at a time (letters are counted one by one, so the
    sums are the same): it lists the words, about 18 bytes a character, 1 GB for an unpunctuated 55 MB paragraph."""
    if len(text) <= COUNTED_CHARS:
        return script_letters(text)
    counts = [script_letters(text[start : start + COUNTED_CHARS]) for start in range(0, len(text), COUNTED_CHARS)]
    return sum(c for c, _ in counts), sum(latin for _, latin in counts)


def splitter_in(lang: str) -> Callable[[str], list[tuple[int, int]]]:
    """The block splitter of a --langs language: its library's sentences, quotations split as for English."""
    from align.languages import splitter_for

    split = splitter_for(lang)
    return lambda block: [span for start, end in split(block) for span in split_enclosing_quote(block, start, end)]


def english_spans(block: str, lang: str = "en") -> list[tuple[int, int]]:
    """sentencex sentences located in the block (its pieces carry the trailing spaces); `lang`: the splitter of
    another language than English (a --langs pair)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in sentencex_segment(lang, block):
        stripped = piece.strip()
        if not stripped:
            continue
        start = block.find(stripped, cursor)
        if start < 0:  # the splitter altered the text: fall back to the whole rest as one sentence
            remainder = trim(block, cursor, len(block))
            return spans + ([remainder] if remainder else [])
        spans.append((start, start + len(stripped)))
        cursor = start + len(stripped)
    remainder = trim(block, cursor, len(block))
    if remainder:  # never lose text the splitter skipped
        spans.append(remainder)
    return spans


def split_enclosing_quote(block: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence that is one long quotation of several sentences (sentencex keeps those whole)."""
    text = block[start:end]
    if len(text) < 3 or text[0] not in OPENING_QUOTES:
        return [(start, end)]
    footnotes = TRAILING_FOOTNOTES.search(text)
    close = (footnotes.start() if footnotes else len(text)) - 1
    while close > 0 and not text[close].isalnum() and text[close] not in CLOSING_QUOTES:
        close -= 1
    if close <= 1 or text[close] not in CLOSING_QUOTES:
        return [(start, end)]
    inner = [(start + 1 + s, start + 1 + e) for s, e in english_spans(text[1:close])]
    if len(inner) < 2:
        return [(start, end)]
    inner[0] = (start, inner[0][1])
    inner[-1] = (inner[-1][0], end)
    return inner


def attach_leading_footnotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Move footnote markers that a splitter put at the start of a sentence to the end of the one before."""
    moved: list[tuple[int, int]] = []
    for start, end in spans:
        marker = LEADING_FOOTNOTES.match(text, start, end)
        if moved and marker and marker.end() < end:
            previous_start, _ = moved.pop()
            marker_end = start + len(text[start : marker.end()].rstrip())
            moved.append((previous_start, marker_end))
            start = marker.end()
        moved.append((start, end))
    return moved


def split_after_footnotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split sentences that run on past "end. [7] Next": a splitter may not see the end behind the marker."""
    result: list[tuple[int, int]] = []
    for start, end in spans:
        for match in FOOTNOTE_BOUNDARY.finditer(text, start, end):
            after = trim(text, match.end(), end)
            if after is None:
                break
            result.append((start, match.end()))
            start = after[0]
        result.append((start, end))
    return result


def attach_trailing_units(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge units that are only a footnote marker or punctuation into the sentence before them."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and TRAILING_ONLY.match(text[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
