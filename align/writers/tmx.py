"""TMX 1.4b: one <tu> per paired bead, the run's signature in the header."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence

from lxml import etree

from align.markup import pieces_of
from align.model import Alignment, Bead, Segment
from align.writers import WriteContext
from align.writers.common import bead_score, line_range, plain_side_text, score_text, side_text

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
TMX_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SIGNATURE_PROP = "x-align-signature"
# Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
NON_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BODY_OPEN, BODY_CLOSE, EMPTY_BODY = "<body>\n", "</body>\n", "<body/>"
LONG_TEXT = 1_000_000  # a <seg> text longer than this is written in pieces of this many characters
LONG_TEXT_MARK = "\ue000"  # a private-use character around a long text's number while its <tu> is serialised


class TmxWriter:
    """TMX 1.4b files that CAT tools import (validated against the TMX 1.4 DTD in the tests)."""

    name = "tmx"
    suffix = ".tmx"
    per_document = True
    corpus_name = "corpus.tmx"

    def document(self, alignment: Alignment, context: WriteContext) -> str:
        return tmx_text([alignment], context)

    def corpus(self, alignments: Sequence[Alignment], context: WriteContext) -> str:
        return tmx_text(alignments, context)

    def pieces(self, alignments: Sequence[Alignment], context: WriteContext) -> Iterator[str]:
        """The text of `corpus` in pieces, a <tu> at a time (written as they come: memory bounded by a bead)."""
        empty = tmx_text([], context)
        units = (
            unit_pieces(bead, alignment.document.name, context)
            for alignment in alignments
            for bead in alignment.beads
            if bead.paired
        )
        first = next(units, None)
        if first is None:  # "<body/>": not a single pair
            yield empty
            return
        head, _, _ = empty.rpartition(EMPTY_BODY)
        yield head
        yield BODY_OPEN
        for unit in itertools.chain([first], units):
            yield from unit
        yield head[len(head.rstrip(" ")) :]
        yield BODY_CLOSE
        yield "</tmx>\n"

    def concatenate(self, parts: Iterable[str], context: WriteContext) -> str:
        """The bodies of per-document TMX files under one header: the same bytes as `corpus`."""
        empty = tmx_text([], context)
        head, _, _ = empty.rpartition(EMPTY_BODY)
        bodies = []
        for text in parts:
            start = text.find(BODY_OPEN)
            if start >= 0:  # "<body/>": a document without a single pair
                bodies.append(text[start + len(BODY_OPEN) : text.rindex(BODY_CLOSE)].rstrip(" "))
        if not bodies:
            return empty
        return f"{head}{BODY_OPEN}{''.join(bodies)}{head[len(head.rstrip(' ')) :]}{BODY_CLOSE}</tmx>\n"


def tmx_text(alignments: Sequence[Alignment], context: WriteContext) -> str:
    """A TMX 1.4b document with one <tu> per paired bead of `alignments`, in order."""
    root = etree.Element("tmx", version="1.4")
    root.append(tmx_header(context))
    body = etree.SubElement(root, "body")
    for alignment in alignments:
        for bead in alignment.beads:
            if bead.paired:
                body.append(tmx_unit(bead, alignment.document.name, context.plain, context.langs))
    tree = etree.tostring(root, encoding="unicode", pretty_print=True)
    return f"{XML_DECLARATION}\n{TMX_DOCTYPE}\n{tree}"


def unit_pieces(bead: Bead, document: str, context: WriteContext) -> Iterator[str]:
    """The <tu> of one bead as it stands inside <body> in tmx_text (pretty-printed at its depth), in pieces: a text
    of over LONG_TEXT characters is serialised LONG_TEXT characters at a time (lxml and its output hold 4 copies
    of a text at once: 1.2 GB for a bead of 200 MB)."""
    unit = tmx_unit(bead, document, context.plain, context.langs)
    long_segs = [seg for seg in unit.iter("seg") if len(seg) == 0 and seg.text and len(seg.text) > LONG_TEXT]
    texts = [seg.text or "" for seg in long_segs]
    for number, seg in enumerate(long_segs):
        seg.text = f"{LONG_TEXT_MARK}{number}{LONG_TEXT_MARK}"
    inside = inside_body(unit)
    if inside.count(LONG_TEXT_MARK) != 2 * len(long_segs):  # the mark is in the text itself: all in one piece
        for seg, text in zip(long_segs, texts, strict=True):
            seg.text = text
        yield inside_body(unit)
        return
    for position, piece in enumerate(inside.split(LONG_TEXT_MARK)):
        if position % 2 == 0:
            yield piece
        else:
            yield from escaped_pieces(texts[int(piece)])


def inside_body(unit: etree._Element) -> str:
    """A <tu> serialised as it stands inside <body> in tmx_text: pretty-printed at its depth."""
    root = etree.Element("tmx")
    etree.SubElement(root, "body").append(unit)
    tree = etree.tostring(root, encoding="unicode", pretty_print=True)
    return tree[tree.index(BODY_OPEN) + len(BODY_OPEN) : tree.rindex(BODY_CLOSE)].rstrip(" ")


def escaped_pieces(text: str) -> Iterator[str]:
    """`text` as lxml writes an element's text (&, <, > and CR escaped), LONG_TEXT characters at a time."""
    for start in range(0, len(text), LONG_TEXT):
        element = etree.Element("s")
        element.text = text[start : start + LONG_TEXT]
        yield etree.tostring(element, encoding="unicode")[len("<s>") : -len("</s>")]


def tmx_header(context: WriteContext) -> etree._Element:
    """The <header> element, attributes in the order the DTD lists them, with the signature as a <prop>."""
    header = etree.Element(
        "header",
        {
            "creationtool": "align",
            "creationtoolversion": xml_safe(context.version)[0],
            "segtype": "sentence",
            "o-tmf": "align",
            "adminlang": "en",
            "srclang": context.langs[0],
            "datatype": "plaintext",
            "creationdate": xml_safe(context.creation_date)[0],
        },
    )
    if context.signature is not None:
        etree.SubElement(header, "prop", type=SIGNATURE_PROP).text = xml_safe(str(context.signature))[0]
    return header


def tmx_unit(bead: Bead, document: str, plain: bool = False, langs: tuple[str, str] = ("ru", "en")) -> etree._Element:
    """One <tu>: props (score, document, kind, lines, loose and replaced chars if any), then the ru and en <tuv>; inline
    markup (code, link targets, tags) as <ph> elements a CAT tool protects, or dropped with `plain`."""
    document_name, replaced_in_name = xml_safe(document)
    ru_seg, replaced_in_ru = tmx_seg(bead.ru, plain)
    en_seg, replaced_in_en = tmx_seg(bead.en, plain)
    props = [
        ("x-score", score_text(bead_score(bead))),
        ("x-document", document_name),
        ("x-kind", bead.kind),
        ("x-lines", f"{langs[0]}:{line_range(bead.ru)} {langs[1]}:{line_range(bead.en)}"),
    ]
    if bead.loose:  # paired as a whole, not sentence by sentence (align.loose, condensed, matched_gaps)
        props.append(("x-loose", "paragraphs"))
    replaced = replaced_in_name + replaced_in_ru + replaced_in_en
    if replaced:
        props.append(("x-replaced-chars", str(replaced)))
    unit = etree.Element("tu")
    for kind, value in props:
        etree.SubElement(unit, "prop", type=kind).text = value
    unit.append(tmx_variant(langs[0], ru_seg))  # --langs: the source language's code, then the target's
    unit.append(tmx_variant(langs[1], en_seg))
    return unit


def tmx_variant(lang: str, seg: etree._Element) -> etree._Element:
    """<tuv xml:lang="..."><seg>…</seg></tuv>."""
    variant = etree.Element("tuv", {XML_LANG: lang})
    variant.append(seg)
    return variant


def tmx_seg(segments: Sequence[Segment], plain: bool) -> tuple[etree._Element, int]:
    """The <seg> of one side, XML-safe, and how many characters were replaced to make it so."""
    seg = etree.Element("seg")
    if plain or not any(segment.markup for segment in segments):
        seg.text, replaced = xml_safe(plain_side_text(segments) if plain else side_text(segments))
        return seg, replaced
    pieces = inline_pieces(segments)  # text, markup, text, markup, …, text
    seg.text, replaced = xml_safe(pieces[0])
    for number, index in enumerate(range(1, len(pieces), 2), start=1):
        placeholder = etree.SubElement(seg, "ph", x=str(number))
        placeholder.text, count = xml_safe(pieces[index])
        placeholder.tail, more = xml_safe(pieces[index + 1])
        replaced += count + more
    return seg, replaced


def inline_pieces(segments: Sequence[Segment]) -> list[str]:
    """The side's text cut at its markup: [text, markup, text, …, text], segments joined by a space."""
    pieces = [""]
    for position, segment in enumerate(segments):
        if position:
            pieces[-1] += " "
        cursor = segment.start
        for start, end in pieces_of(segment):
            pieces[-1] += segment.text[cursor - segment.start : start - segment.start]
            pieces += [segment.text[start - segment.start : end - segment.start], ""]
            cursor = end
        pieces[-1] += segment.text[cursor - segment.start :]
    return pieces


def xml_safe(text: str) -> tuple[str, int]:
    """`text` with each character XML 1.0 forbids replaced by U+FFFD, and how many were replaced."""
    return NON_XML_CHARS.subn("\ufffd", text)
