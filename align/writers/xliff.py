"""XLIFF 1.2 (`--format xliff`): one bilingual file per document for CAT tools, every bead in it as a unit.

Why 1.2 and not 2.1: XLIFF 1.2 is the version every major CAT tool reads. Trados Studio's own SDLXLIFF is XLIFF
1.2 with extensions; memoQ's "XLIFF" filter is 1.2 (XLIFF 2 has a separate, newer filter); OmegaT's native XLIFF
filter and the Okapi XLIFF filter it bundles are built for 1.2 (Okapi's XLIFF 2 filter is separate and less
used). XLIFF 2 is not backwards compatible, so a 2.1 file is refused by every tool that only knows 1.x.

What is written for a document, in one .xlf (every bead once; ids "DOCUMENT#N", N the bead's 1-based number):
- a <file original="DOCUMENT" source-language="ru" target-language="en"> with a <trans-unit> for each bead with
  Russian text: a paired bead has <source> Russian and <target state="translated"> English; a Russian passage
  without English has an empty <target state="needs-translation"/> (1.2 has no state="initial": this is its
  counterpart, XLIFF 2's "initial" means the same);
- English without Russian cannot be a unit of that <file>: its source would be empty, or English in a file
  whose source language is Russian. It goes to a second <file original="DOCUMENT" source-language="en"
  target-language="ru"> of the same .xlf (XLIFF 1.2 allows any number of <file>s, each with its own languages;
  translate-toolkit reads both, the tests show; how each CAT tool lists the second was not tried): its source
  English, its target empty, state="needs-translation". That <file> is written only when the document has such
  passages;
- a sentence in a third language is a unit with translate="no" (its text as the source, no target) and a
  note naming the language: nobody is to translate it, but it is not left out;
- inline markup (HTML tags, Markdown code, link targets, heading anchors) becomes XLIFF inline elements a CAT
  tool protects: a start tag and its end tag (`<b>`…`</b>`, Markdown `[`…`](url)`) a <bpt id="k">/<ept id="k">
  pair, anything else a <ph id="k">, each holding the native code; a target's code with the same native text
  as one of its source's (a pair: the same opening and closing codes, so a moved link keeps its URL's id)
  takes that one's id. Character references (`&amp;`) are written as the characters
  they stand for. With --plain-text the markup is dropped as in CSV and JSONL (inline code keeps its content);
- no unit is approved="yes": the pairs were aligned by a machine, not reviewed (translate-toolkit and Virtaal
  show such targets as needing review).
The run's signature is a <note> in each <file>'s header.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from lxml import etree

from align.markup import CHARACTER_REFERENCES
from align.model import Alignment, Bead, Segment
from align.writers import WriteContext
from align.writers.common import TMX_DATE_FORMAT, bead_score, line_range, plain_side_text, score_text, side_text
from align.writers.tmx import inline_pieces, xml_safe

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_VERSION = "1.2"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
ROOT_OPEN = f'<xliff xmlns="{XLIFF_NAMESPACE}" version="{XLIFF_VERSION}">\n'
ROOT_CLOSE = "</xliff>\n"
HEAD = XML_DECLARATION + ROOT_OPEN
LANGUAGE_NAMES = {"ru": "Russian", "en": "English"}
DATATYPE = "plaintext"
TOOL_ID = "align"
NOTE_FROM = "align"
LOOSE_NOTE = "loose: sentences paired as a whole, not sentence by sentence"
TRANSLATED, NEEDS_TRANSLATION = "translated", "needs-translation"
XLIFF_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
INDENT = "  "
EMPTY_CORPUS_NAME = "corpus"  # the one (empty) <file> of a run without documents: XLIFF needs one
START_TAG = re.compile(r"<(?P<name>[A-Za-z][\w.:-]*)(?:\s[^<>]*)?(?<!/)>")  # <b>, <a href="…">; not <br/>
END_TAG = re.compile(r"</(?P<name>[A-Za-z][\w.:-]*)\s*>")
LINK_START = re.compile(r"!?\[")  # Markdown's [text](target), ![alt](src), [text][label]
LINK_END = re.compile(r"\][(\[].*", re.DOTALL)
PAIR_KEY_SEPARATOR = "\x00"  # between an opening code and its closing one in a key (XML text never holds it)


class XliffWriter:
    """XLIFF 1.2 files that CAT tools import: out/DOCUMENT.xlf, and out/corpus.xlf with one <file> per document."""

    name = "xliff"
    suffix = ".xlf"
    per_document = True
    corpus_name = "corpus.xlf"

    def document(self, alignment: Alignment, context: WriteContext) -> str:
        return xliff_text([file_text(alignment, context)])

    def corpus(self, alignments: Sequence[Alignment], context: WriteContext) -> str:
        return xliff_text([file_text(alignment, context) for alignment in alignments] or [empty_file(context)])

    def concatenate(self, parts: Iterable[str], context: WriteContext) -> str:
        """The <file>s of per-document XLIFF files under one root: the same bytes as `corpus`."""
        files = [files_of(text) for text in parts]
        return xliff_text(files or [empty_file(context)])


def xliff_text(files: Sequence[str]) -> str:
    """An XLIFF 1.2 document holding the serialised <file> elements `files`, in order."""
    return HEAD + "".join(files) + ROOT_CLOSE


def files_of(text: str) -> str:
    """The serialised <file> elements of an XLIFF text this writer made (ValueError for any other text)."""
    if not text.startswith(HEAD) or not text.endswith(ROOT_CLOSE):
        raise ValueError("not an XLIFF file written by align's XliffWriter")
    return text[len(HEAD) : len(text) - len(ROOT_CLOSE)]


def file_text(alignment: Alignment, context: WriteContext) -> str:
    """One document's <file> elements, each indented one level and ending in a line break: Russian to English
    with every bead that has Russian or a third language, then, if there is any, English to Russian with the
    English passages that have no Russian."""
    document = xml_safe(alignment.document.name)[0]
    russian = file_element(document, context, *context.langs)  # ru, en unless --langs says otherwise
    english: etree._Element | None = None
    for number, bead in enumerate(alignment.beads, start=1):
        unit_id = f"{document}#{number}"
        if bead.ru:
            russian.find("body").append(trans_unit(bead.ru, bead.en, unit_id, bead, context.plain))
        elif bead.en:
            if english is None:
                english = file_element(document, context, context.langs[1], context.langs[0])
            english.find("body").append(trans_unit(bead.en, (), unit_id, bead, context.plain))
        elif bead.other:
            russian.find("body").append(other_unit(bead, unit_id, context.plain))
    return serialised(russian) + (serialised(english) if english is not None else "")


def empty_file(context: WriteContext) -> str:
    """The <file> of a run without documents, with an empty <body>: an XLIFF document needs at least one."""
    return serialised(file_element(EMPTY_CORPUS_NAME, context, *context.langs))


def file_element(original: str, context: WriteContext, source: str, target: str) -> etree._Element:
    """<file> from language `source` to `target`, with a <header> naming the tool and holding the run's signature,
    and an empty <body>."""
    attributes = {
        "original": original,
        "source-language": source,
        "target-language": target,
        "datatype": DATATYPE,
        "tool-id": TOOL_ID,
    }
    date = xliff_date(context.creation_date)
    if date:
        attributes["date"] = date
    element = etree.Element("file", attributes)
    header = etree.SubElement(element, "header")
    etree.SubElement(
        header, "tool", {"tool-id": TOOL_ID, "tool-name": TOOL_ID, "tool-version": xml_safe(context.version)[0]}
    )
    if context.signature is not None:
        note(header, f"align-signature: {xml_safe(str(context.signature))[0]}")
    etree.SubElement(element, "body")
    return element


def trans_unit(
    source: Sequence[Segment], target: Sequence[Segment], unit_id: str, bead: Bead, plain: bool
) -> etree._Element:
    """One <trans-unit>: the source sentences, the target's (an empty target, needing translation, when there
    are none) and a note with the bead's score and lines (and whether it is loose: align.loose)."""
    unit = etree.Element("trans-unit", id=unit_id)
    ids = inline_content(etree.SubElement(unit, "source"), source, plain, {})
    element = etree.SubElement(unit, "target", state=TRANSLATED if target else NEEDS_TRANSLATION)
    inline_content(element, target, plain, ids)
    sides = [f"{lang} {line_range(segments)}" for lang, segments in (("ru", bead.ru), ("en", bead.en)) if segments]
    loose = f"; {LOOSE_NOTE}" if bead.loose else ""  # as TMX's x-loose and JSONL's "loose" say
    note(unit, f"score {score_text(bead_score(bead))}; lines {', '.join(sides)}{loose}")
    return unit


def other_unit(bead: Bead, unit_id: str, plain: bool) -> etree._Element:
    """The <trans-unit translate="no"> of a passage in a third language: its text, no target, a note saying so."""
    unit = etree.Element("trans-unit", id=unit_id, translate="no")
    inline_content(etree.SubElement(unit, "source"), bead.other, plain, {})
    codes = sorted({segment.detected for segment in bead.other if segment.detected})
    language = f"in another language ({', '.join(codes)})" if codes else "in another language"
    note(unit, f"{language}, neither Russian nor English: not for translation; lines {line_range(bead.other)}")
    return unit


def inline_content(
    element: etree._Element, segments: Sequence[Segment], plain: bool, source_ids: dict[str, list[str]]
) -> dict[str, list[str]]:
    """Fill <source> or <target> with the sentences' text, their markup as <bpt>/<ept>/<ph> (see the module's
    docstring); returns the ids given to each native code (see code_key), so the target can take its source's."""
    if plain or not any(segment.markup for segment in segments):
        element.text = xml_safe(plain_side_text(segments) if plain else side_text(segments))[0]
        return {}
    pieces = inline_pieces(segments)  # text, markup, text, markup, …, text
    codes = pieces[1::2]
    pairs = paired_codes(codes)
    ends = {end: start for start, end in pairs.items()}
    given: dict[str, list[str]] = {}
    numbers: dict[int, str] = {}
    taken = {code: list(ids) for code, ids in source_ids.items()}
    next_id = 1 + max((int(i) for ids in source_ids.values() for i in ids), default=0)
    last = element
    append_text(element, last, pieces[0])
    for index, code in enumerate(codes):
        if CHARACTER_REFERENCES.fullmatch(code):
            append_text(element, last, html.unescape(code))
        else:
            key = code_key(codes, index, pairs)
            if index in ends:
                code_id = numbers[ends[index]]
            elif taken.get(key):
                code_id = taken[key].pop(0)
            else:
                code_id, next_id = str(next_id), next_id + 1
            numbers[index] = code_id
            given.setdefault(key, []).append(code_id)
            tag = "bpt" if index in pairs else "ept" if index in ends else "ph"
            last = etree.SubElement(element, tag, id=code_id)
            last.text = xml_safe(code)[0]
        append_text(element, last, pieces[2 * index + 2])
    return given


def code_key(codes: Sequence[str], index: int, pairs: dict[int, int]) -> str:
    """What a target's code is matched on to take a source code's id: its native code, and for an opening code
    its closing one too (every Markdown link opens with `[`; its `](target)` tells it from the others)."""
    code = codes[index]
    return code + PAIR_KEY_SEPARATOR + codes[pairs[index]] if index in pairs else code


def append_text(element: etree._Element, last: etree._Element, text: str) -> None:
    """Add `text` (made XML-safe) after the last child written into `element` (or inside it, before any)."""
    if not text:
        return
    safe = xml_safe(text)[0]
    if last is element:
        element.text = (element.text or "") + safe
    else:
        last.tail = (last.tail or "") + safe


def paired_codes(codes: Sequence[str]) -> dict[int, int]:
    """{index of an opening code: index of the code that closes it}: a start tag and the next end tag of its name
    not yet taken, a Markdown link's `[` and its `](target)`; every other code stands alone."""
    pairs: dict[int, int] = {}
    waiting: list[tuple[int, str]] = []
    for index, code in enumerate(codes):
        start, end, link_start, link_end = (
            START_TAG.fullmatch(code),
            END_TAG.fullmatch(code),
            LINK_START.fullmatch(code),
            LINK_END.fullmatch(code),
        )
        if start or link_start:
            waiting.append((index, start["name"].lower() if start else "["))
        elif end or link_end:
            name = end["name"].lower() if end else "["
            opener = next((k for k in range(len(waiting) - 1, -1, -1) if waiting[k][1] == name), None)
            if opener is not None:
                pairs[waiting.pop(opener)[0]] = index
    return pairs


def note(parent: etree._Element, text: str) -> None:
    """Append <note from="align">text</note> to `parent`."""
    etree.SubElement(parent, "note", {"from": NOTE_FROM}).text = text


def serialised(element: etree._Element) -> str:
    """`element` as text indented one level below the root, with a final line break. The text of a <source> or
    <target> with inline codes is put back as it was: lxml's indent would put a line break and spaces wherever
    that text is empty or blank (between two codes that touch, after the last one), and a CAT tool shows them."""
    inline = [(part, part.text, [code.tail for code in part]) for part in element.iter("source", "target") if len(part)]
    etree.indent(element, space=INDENT, level=1)
    for part, text, tails in inline:
        part.text = text
        for code, tail in zip(part, tails, strict=True):
            code.tail = tail
    return INDENT + etree.tostring(element, encoding="unicode") + "\n"


def xliff_date(creation_date: str) -> str:
    """A TMX-style YYYYMMDDThhmmssZ date as XLIFF's xsd:dateTime (YYYY-MM-DDThh:mm:ssZ); "" if it is not one."""
    try:
        return datetime.strptime(creation_date, TMX_DATE_FORMAT).strftime(XLIFF_DATE_FORMAT)
    except ValueError:
        return ""
