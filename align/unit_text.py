"""What the encoder and the language identifier read of a unit: its plain text, a long one by its head and tail."""

from __future__ import annotations

from dataclasses import replace

from align.language import LanguageIdentifier, without_bidi_controls
from align.markup import plain_text
from align.model import Segment
from align.pair_language import PairIdentifier

MAX_EMBEDDED_CHARS = 20_000  # longer units are embedded by their head and tail (about 5,000 tokens in all)


def embedding_text(segment: Segment) -> str:
    """What every encoder reads of a sentence: its plain text (tags say nothing) without bidi controls (an RLO
    must not make unrelated text look close), and of a unit longer than MAX_EMBEDDED_CHARS (an unpunctuated
    paragraph of megabytes) only its head and tail, so memory stays bounded; the segment's text and span are
    untouched."""
    return head_and_tail(without_bidi_controls(plain_text(segment) if segment.markup else segment.text))


def head_and_tail(text: str) -> str:
    """`text` if it is at most MAX_EMBEDDED_CHARS long, else its first and last MAX_EMBEDDED_CHARS / 2 characters."""
    if len(text) <= MAX_EMBEDDED_CHARS:
        return text
    half = MAX_EMBEDDED_CHARS // 2
    return f"{text[:half]} {text[-half:]}"


Identifier = LanguageIdentifier | PairIdentifier


def labelled(identifier: Identifier, segments: list[Segment], side: str | None) -> list[Segment]:
    """The segments with their languages; the identifier reads a unit longer than MAX_EMBEDDED_CHARS by its head
    and tail only (a stand-in segment whose text is that), so that telling the language of an unpunctuated
    paragraph of 100 MB costs what one of 20,000 characters does (lingua weighed the whole text: 3.7 GB at
    peak for a 200 MB page); the segments returned keep their whole text and span."""
    read = [stand_in(segment) for segment in segments]
    found = identifier.label(read, side)
    return [
        label if shown is segment else replace(segment, lang=label.lang, detected=label.detected)
        for segment, shown, label in zip(segments, read, found, strict=True)
    ]


def stand_in(segment: Segment) -> Segment:
    """The segment itself, or for a unit longer than MAX_EMBEDDED_CHARS one holding only the head and tail of its
    prose (markup already blanked out)."""
    if len(segment.text) <= MAX_EMBEDDED_CHARS:
        return segment
    text = head_and_tail(segment.prose)
    return replace(segment, end=segment.start + len(text), text=text, markup=())
