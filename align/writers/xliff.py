"""XLIFF 1.2 (`--format xliff`): one bilingual file per document, Russian source and English target, for CAT tools.

Why 1.2 and not 2.1: XLIFF 1.2 is the version every major CAT tool reads. Trados Studio's own SDLXLIFF is XLIFF
1.2 with extensions; memoQ's "XLIFF" filter is 1.2 (XLIFF 2 has a separate, newer filter); OmegaT's native XLIFF
filter and the Okapi XLIFF filter it bundles are built for 1.2 (Okapi's XLIFF 2 filter is separate and less
used). XLIFF 2 is not backwards compatible, so a 2.1 file is refused by every tool that only knows 1.x.

What is written, per document one <file original="DOCUMENT" source-language="ru" target-language="en">:
- a <trans-unit> per bead with Russian text, its id "DOCUMENT#N" (N: the bead's 1-based number, stable for the
  same alignment), a note with its score and lines;
- a paired bead: <source> Russian, <target state="translated"> English;
- a Russian passage without English: an empty <target state="needs-translation"/> (1.2's counterpart of
  XLIFF 2's state="initial": it needs translating);
- English without Russian has no source to translate: no unit (a trans-unit with an empty source confuses
  importers); the <file>'s header notes how many such beads were left out, and their numbers stay unused;
- beads in a third language are not written;
- no unit is approved="yes": the pairs were aligned by a machine, not reviewed (translate-toolkit and Virtaal
  show such targets as needing review).
The run's signature is a <note> in each <file>'s header. Plain text only: inline markup is not kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from lxml import etree

from align.model import Alignment, Bead
from align.writers import WriteContext
from align.writers.common import TMX_DATE_FORMAT, bead_score, line_range, score_text, side_text
from align.writers.tmx import xml_safe

XLIFF_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_VERSION = "1.2"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
ROOT_OPEN = f'<xliff xmlns="{XLIFF_NAMESPACE}" version="{XLIFF_VERSION}">\n'
ROOT_CLOSE = "</xliff>\n"
HEAD = XML_DECLARATION + ROOT_OPEN
SOURCE_LANGUAGE, TARGET_LANGUAGE = "ru", "en"
DATATYPE = "plaintext"
TOOL_ID = "align"
NOTE_FROM = "align"
TRANSLATED, NEEDS_TRANSLATION = "translated", "needs-translation"
XLIFF_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
INDENT = "  "
EMPTY_CORPUS_NAME = "corpus"  # the one (empty) <file> of a run without documents: XLIFF needs one


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
    """One document's <file> element, indented one level, ending in a line break."""
    document = xml_safe(alignment.document.name)[0]
    element = file_element(document, context)
    body = etree.SubElement(element, "body")
    left_out = 0
    for number, bead in enumerate(alignment.beads, start=1):
        if bead.ru:
            body.append(trans_unit(bead, f"{document}#{number}"))
        elif bead.en:
            left_out += 1
    if left_out:
        header = element.find("header")
        assert header is not None
        note(header, f"{left_out} English passage(s) without Russian source left out (no source to translate)")
    return serialised(element)


def empty_file(context: WriteContext) -> str:
    """The <file> of a run without documents, with an empty <body>: an XLIFF document needs at least one."""
    element = file_element(EMPTY_CORPUS_NAME, context)
    etree.SubElement(element, "body")
    return serialised(element)


def file_element(original: str, context: WriteContext) -> etree._Element:
    """<file> with its attributes and a <header> naming the tool and holding the run's signature."""
    attributes = {
        "original": original,
        "source-language": SOURCE_LANGUAGE,
        "target-language": TARGET_LANGUAGE,
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
    return element


def trans_unit(bead: Bead, unit_id: str) -> etree._Element:
    """One <trans-unit>: the Russian source, the English target (empty when there is none) and a note."""
    unit = etree.Element("trans-unit", id=unit_id)
    etree.SubElement(unit, "source").text = xml_safe(side_text(bead.ru))[0]
    target = etree.SubElement(unit, "target", state=TRANSLATED if bead.en else NEEDS_TRANSLATION)
    if bead.en:
        target.text = xml_safe(side_text(bead.en))[0]
    lines = f"ru {line_range(bead.ru)}" + (f", en {line_range(bead.en)}" if bead.en else "")
    note(unit, f"score {score_text(bead_score(bead))}; lines {lines}")
    return unit


def note(parent: etree._Element, text: str) -> None:
    """Append <note from="align">text</note> to `parent`."""
    etree.SubElement(parent, "note", {"from": NOTE_FROM}).text = text


def serialised(element: etree._Element) -> str:
    """`element` as text indented one level below the root (text content untouched), with a final line break."""
    etree.indent(element, space=INDENT, level=1)
    return INDENT + etree.tostring(element, encoding="unicode") + "\n"


def xliff_date(creation_date: str) -> str:
    """A TMX-style YYYYMMDDThhmmssZ date as XLIFF's xsd:dateTime (YYYY-MM-DDThh:mm:ssZ); "" if it is not one."""
    try:
        return datetime.strptime(creation_date, TMX_DATE_FORMAT).strftime(XLIFF_DATE_FORMAT)
    except ValueError:
        return ""
