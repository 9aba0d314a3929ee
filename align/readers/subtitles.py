"""SubRip (.srt, read with `srt`) and WebVTT (.vtt, with `webvtt-py`) subtitles: one whole paragraph per cue."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import srt
import webvtt
from webvtt import Caption
from webvtt.errors import MalformedCaptionError, MalformedFileError
from webvtt.models import Timestamp
from webvtt.vtt import WebVTTCueBlock

from align.load import InputError, input_error, source_of
from align.model import Paragraph, Source, Span
from align.readers.text import line_of, line_starts, lines, visible_span

# A cue is one unit (`whole`): never split into sentences, located by its cue number and times. Its span runs from
# the first to the last visible character of its text lines, so the line breaks inside a cue stay. Cues closer in
# time than SCENE_GAP share a paragraph index, so the aligner may pair one cue with two (a sentence the translation
# split over two cues); a longer pause starts a new "paragraph".
SCENE_GAP = timedelta(seconds=3)
# Inline tags: SRT <i> <b> <u> <font …>, ASS overrides {\an8}, VTT <c.x> <v Speaker> <lang en> <ruby>, <00:01.000>.
CUE_TAG = re.compile(r"</?[A-Za-z][^<>\r\n]*>|<\d[\d:.]*>|\{\\[^{}\r\n]*\}")
TEXT_CHARACTER = re.compile(r"[^\W_]")  # a cue with no letter or digit outside its tags is no text ("♪", "<i></i>")
# A line that starts like a timing line ("00:0x:02,000 --> …"): one the parser could not read if it is not a cue's.
TIMING_LIKE = re.compile(r"\s*\d\S*\s*-->")  # used with .match: anchored at the line start
LONE_CR = re.compile(r"\r(?!\n)")  # old Mac line ends, which `srt` does not take: read as "\n" (same offsets)
SRT_CONTENT_GROUP = 5  # the cue text in srt.SRT_REGEX (index, start, end, proprietary, content)
PREVIEW_CHARS = 40


@dataclass(frozen=True)
class Cue:
    """Where one cue's text lies in the file, and what names it."""

    start: int  # [start, end) of its text lines in Source.text
    end: int
    label: str  # its number (SRT), its identifier or ordinal (VTT)
    timing: str  # "00:00:01,000 --> 00:00:03,500"
    begins: timedelta
    ends: timedelta


class SrtReader:
    """*.srt: each cue's text, with its number and times as its location."""

    name = "srt"
    extra = "formats"

    def source(self, path: str, data: bytes) -> Source:
        source = source_of(path, data)
        srt_cues(source)  # a file `srt` cannot read is refused here, with the line where reading stopped
        return source

    def paragraphs(self, source: Source) -> list[Paragraph]:
        return cue_paragraphs(source, srt_cues(source))


class VttReader:
    """*.vtt: each cue's text, with its identifier (or ordinal) and times as its location; header, NOTE, STYLE and
    REGION blocks are skipped."""

    name = "webvtt"
    extra = "formats"

    def source(self, path: str, data: bytes) -> Source:
        source = source_of(path, data)
        vtt_cues(source)
        return source

    def paragraphs(self, source: Source) -> list[Paragraph]:
        return cue_paragraphs(source, vtt_cues(source))


# ---------------------------------------------------------------------------------------- paragraphs


def cue_paragraphs(source: Source, cues: Sequence[Cue]) -> list[Paragraph]:
    """One whole Paragraph per cue that has text, its tags as markup, cues of one scene under one index."""
    text = source.text
    starts = line_starts(text)
    result: list[Paragraph] = []
    scene, previous_end = 0, None
    for cue in cues:
        visible = visible_span(text, cue.start, cue.end)
        if visible is None:
            continue
        start, end = visible
        markup = tags(text, start, end)
        if not has_text(text, start, end, markup):
            continue
        if previous_end is not None and cue.begins - previous_end >= SCENE_GAP:
            scene += 1
        previous_end = cue.ends
        location = f"cue {cue.label} {cue.timing}"
        line = line_of(starts, start)
        result.append(Paragraph(source.path, start, end, line, text[start:end], scene, location, markup, True))
    return result


def tags(text: str, start: int, end: int) -> tuple[Span, ...]:
    """The [start, end) spans (absolute offsets) of the inline tags in text[start:end]."""
    return tuple(match.span() for match in CUE_TAG.finditer(text, start, end))


def has_text(text: str, start: int, end: int, markup: Sequence[Span]) -> bool:
    """Whether text[start:end] has a letter or digit outside its tags."""
    cursor = start
    for tag_start, tag_end in (*markup, (end, end)):
        if TEXT_CHARACTER.search(text, cursor, tag_start):
            return True
        cursor = tag_end
    return False






def invalid(source: Source, kind: str, offset: int, problem: str) -> InputError:
    """The one-line error for a subtitle file that cannot be read: "FILE: not a valid SRT file (line N: …)"."""
    line = line_of(line_starts(source.text), offset)
    return input_error(source.path, f"not a valid {kind} file (line {line}: {problem})")


def preview(text: str) -> str:
    """The first non-blank line of `text`, shortened, quoted: what a message shows of it."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    shown = first if len(first) <= PREVIEW_CHARS else first[: PREVIEW_CHARS - 1] + "…"
    return repr(shown)


def first_visible(text: str, start: int, end: int) -> int:
    """The offset of the first visible character of text[start:end] (`start` if there is none)."""
    visible = visible_span(text, start, end)
    return visible[0] if visible else start


# ---------------------------------------------------------------------------------------- SRT


def srt_cues(source: Source) -> list[Cue]:
    """The cues of an SRT file, as `srt` parses them, each with the span of its text in the file."""
    text = LONE_CR.sub("\n", source.text)
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as error:
        raise unparsed(source, text, error.expected_start, error.actual_start) from None
    spans = [match.span(SRT_CONTENT_GROUP) for match in srt.SRT_REGEX.finditer(text)]
    if len(spans) != len(subtitles):  # the library's own expression gives its cues: never expected
        raise invalid(source, "SRT", 0, "its cues could not be located")
    cues = []
    for ordinal, (subtitle, (start, end)) in enumerate(zip(subtitles, spans, strict=True), start=1):
        if timing_like_line(text, start, end) is not None:  # `srt` read a cue it could not parse as text
            raise unparsed(source, text, start, end)
        label = str(subtitle.index if subtitle.index is not None else ordinal)
        timing = f"{srt.timedelta_to_srt_timestamp(subtitle.start)} --> {srt.timedelta_to_srt_timestamp(subtitle.end)}"
        cues.append(Cue(start, end, label, timing, subtitle.start, subtitle.end))
    return cues


def unparsed(source: Source, text: str, start: int, end: int) -> InputError:
    """The error for text[start:end], which `srt` could not read: a timing line in it, or the text itself."""
    unread = timing_like_line(text, start, end)
    if unread is not None:
        return invalid(source, "SRT", unread, f"a cue timing that cannot be read: {preview(text[unread:end])}")
    at = first_visible(text, start, end)
    return invalid(source, "SRT", at, f"text outside a cue: {preview(text[start:end])}")


def timing_like_line(text: str, start: int, end: int) -> int | None:
    """The offset of the first line inside text[start:end] that looks like a timing line (`srt` takes a cue
    whose timing it cannot read as text of the cue before), or None."""
    for line_start, line_end in lines(text[start:end]):
        if TIMING_LIKE.match(text, start + line_start, start + line_end):
            return start + line_start
    return None


# ---------------------------------------------------------------------------------------- WebVTT


def vtt_cues(source: Source) -> list[Cue]:
    """The cues of a WebVTT file, as `webvtt-py` parses them, each with the span of its text lines in the file.

    The parser sees the file's lines without trailing whitespace (a line of spaces ends a block, as it looks), so
    line k of what it reads is line k of the file; each caption is then found at the next timing line that has
    its times and payload. A timing-like line that is no caption's is a cue the parser skipped: an error.
    """
    spans = list(lines(source.text))
    cleaned = [source.text[start:end].rstrip() for start, end in spans]
    try:
        captions = webvtt.from_string("\n".join(cleaned)).captions
    except MalformedFileError:
        raise invalid(source, "WebVTT", 0, "it does not start with WEBVTT") from None
    except MalformedCaptionError as error:
        raise invalid(source, "WebVTT", 0, f"a cue is malformed: {preview(str(error))}") from None
    timing_rows = [row for row, line in enumerate(cleaned) if TIMING_LIKE.match(line)]
    cues = []
    for ordinal, caption in enumerate(captions, start=1):
        if not timing_rows or not is_timing_of(cleaned, timing_rows[0], caption):
            raise unreadable_cue(source, spans, cleaned, timing_rows[0] if timing_rows else None)
        cues.append(vtt_cue(source.text, spans, timing_rows.pop(0), caption, ordinal))
    if timing_rows:
        raise unreadable_cue(source, spans, cleaned, timing_rows[0])
    return cues


def unreadable_cue(source: Source, spans: Sequence[Span], cleaned: Sequence[str], row: int | None) -> InputError:
    """The error for the timing-like line `row`, which is no caption's: a cue the parser skipped."""
    if row is None:  # a caption without its timing line in the file: never expected
        return invalid(source, "WebVTT", 0, "its cues could not be located")
    return invalid(source, "WebVTT", spans[row][0], f"a cue that cannot be read: {preview(cleaned[row])}")


def is_timing_of(cleaned: Sequence[str], row: int, caption: Caption) -> bool:
    """Whether line `row` is the timing line of `caption`: its times, then its payload lines."""
    match = WebVTTCueBlock.CUE_TIMINGS_PATTERN.match(cleaned[row])
    if match is None:
        return False
    try:
        times = (str(Timestamp.from_string(match[1])), str(Timestamp.from_string(match[2])))
    except MalformedCaptionError:
        return False
    payload = list(cleaned[row + 1 : row + 1 + len(caption.lines)])
    return times == (caption.start, caption.end) and payload == caption.lines


def vtt_cue(text: str, spans: Sequence[Span], row: int, caption: Caption, ordinal: int) -> Cue:
    """The Cue of `caption`, whose timing line is line `row`: its payload lines follow it."""
    count = len(caption.lines)
    start, end = (spans[row + 1][0], spans[row + count][1]) if count else (spans[row][1], spans[row][1])
    label = caption.identifier or str(ordinal)
    timing = f"{caption.start} --> {caption.end}"
    begins = timedelta(milliseconds=caption.start_time.in_milliseconds())
    ends = timedelta(milliseconds=caption.end_time.in_milliseconds())
    return Cue(start, end, label, timing, begins, ends)
