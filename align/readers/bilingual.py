"""Already-bilingual files (XLIFF 1.2 and 2.x, PO/POT, TMX) read with translate-toolkit: one bead per unit.

Nothing is aligned: each translation unit is a bead whose Russian and English segments are its source and
target, scored 1.0 (the translator paired them). `align check` runs its rules on these beads directly.

Decisions, in one place:
- Languages. XLIFF 1.2 `source-language`/`target-language` (per <file>), XLIFF 2 `srcLang`/`trgLang`, PO's
  `Language` header (the msgid side is then the other language), TMX's `xml:lang` on each <tuv>. Codes are
  matched by their primary subtag (`ru-RU`, `en_US`, `rus`, `eng`). A side without a language takes the other
  of ru/en; a file naming neither is judged by script (mostly Cyrillic sources: ru → en, else en → ru). A pair
  that is not Russian/English (`de` → `fr`, `ru` → `uk`) is refused with one line: align checks RU/EN only.
- Untranslated. An empty or missing target, a fuzzy PO entry (gettext does not use it), an XLIFF 1.2 target in
  state `new` or `needs-translation` and an XLIFF 2 segment in state `initial` give a one-sided bead: the
  source alone (`align check` reports it as `untranslated`). Units marked `translate="no"`, the PO header and
  obsolete (`#~`) entries are left out; of a plural PO entry the singular and the first form are read.
- Location. `location` is the unit id: XLIFF `id` (XLIFF 2: `unit` or `unit::segment`), PO's first `#:`
  reference or else `msgctxt::msgid`, TMX `tuid` (or `tu N`). `line` is the 1-based line of the element or
  keyword holding the text: <source>/<target>, <seg>, `msgid`/`msgstr`. `start`/`end` index the text inside
  Source.text when it is found there as written or escaped (XML entities, PO backslashes) from that line on;
  otherwise they span that line. So source.text[start:end] is the unit's text as written in the file, which
  may differ from `text` by its escapes.
- Safety. XML is parsed with entity resolution and network access off; a DOCTYPE declaring entities (billion
  laughs, external entities) is refused with one line before anything is expanded.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pyexpat import ExpatError, ParserCreate
from typing import TypeVar

from lxml import etree
from translate.storage import pypo, tmx, xliff, xliff2

from align.load import input_error, source_of
from align.model import OTHER_SIDE, Alignment, Bead, Document, Paragraph, Segment, Source
from align.readers.text import line_starts

T = TypeVar("T")

RU, EN = "ru", "en"
LANGUAGE_CODES = {"ru": RU, "rus": RU, "en": EN, "eng": EN}  # primary subtag -> align's language
PAIRED_SCORE = 1.0  # a unit's source and target were paired by the translator
ONE_SIDED_SCORE = 0.0
SEARCH_SLACK = 2_000  # characters past a text's line in which its written form is looked for
XLIFF2_VERSION = "2."
XLIFF2_NAMESPACE_MARK = ":document:2."
UNTRANSLATED_XLIFF1_STATES = frozenset({"new", "needs-translation"})
UNTRANSLATED_XLIFF2_STATES = frozenset({"initial"})
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MSGID_LINE = re.compile(r"^msgid\s", re.MULTILINE)
MSGSTR_LINE = re.compile(r"^msgstr(?:\[0\])?\s", re.MULTILINE)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")
XML_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
PO_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\t", "\\t"), ("\r", "\\r"))
PARSE_ERRORS = (etree.LxmlError, ValueError, AssertionError, StopIteration, LookupError, TypeError, UnicodeError)


@dataclass(frozen=True)
class Side:
    """One side of a unit as read: its text, the line it is on and the forms it may take in the file."""

    text: str
    line: int
    written: tuple[str, ...]  # the text as it may appear in the file (as is, escaped), tried in order


@dataclass(frozen=True)
class Unit:
    """One translation unit: its id, its source and (when translated) its target, with their languages as the
    file names them ("" when it does not)."""

    location: str
    source: Side
    target: Side | None  # None: empty, missing or not usable (fuzzy, state="initial", …)
    languages: tuple[str, str]  # (source language, target language) codes from the file


class BilingualBase:
    """What the bilingual readers share: decoding, and building the alignment from the units of a format."""

    name = "bilingual"
    extra = "formats"
    bilingual = True

    def source(self, path: str, data: bytes) -> Source:
        return source_of(path, data)

    def paragraphs(self, source: Source) -> list[Paragraph]:
        """A bilingual file is never one side of a pair: named as one, it is an error."""
        raise input_error(source.path, f"an already bilingual {self.name} file cannot be one side of a pair")

    def alignment(self, source: Source, name: str) -> Alignment:
        return alignment_of(source, name, self.units(source))

    def units(self, source: Source) -> list[Unit]:
        raise NotImplementedError


class XliffReader(BilingualBase):
    """*.xlf, *.xliff: XLIFF 1.x (translate.storage.xliff) and 2.x (translate.storage.xliff2), by version."""

    name = "xliff"

    def units(self, source: Source) -> list[Unit]:
        data = original_bytes(source)
        root, attributes = xml_root(source.path, data)
        if root.rpartition(":")[2] != "xliff":
            raise input_error(source.path, f"not an XLIFF file (root element <{root}>)")
        if is_xliff2(attributes):
            store = parsed(source.path, lambda: xliff2.Xliff2File.parsestring(data))
            return list(xliff2_units(store))
        store = parsed(source.path, lambda: xliff.xlifffile.parsestring(data))
        return list(xliff1_units(store))


class PoReader(BilingualBase):
    """*.po, *.pot: gettext catalogues (translate.storage.pypo)."""

    name = "po"

    def units(self, source: Source) -> list[Unit]:
        data = original_bytes(source)
        store = parsed(source.path, lambda: pypo.pofile.parsestring(data))
        return list(po_units(store, source.text))


class TmxReader(BilingualBase):
    """*.tmx: translation memories (translate.storage.tmx); each <tu>'s Russian and English <tuv>."""

    name = "tmx"

    def units(self, source: Source) -> list[Unit]:
        data = original_bytes(source)
        root, attributes = xml_root(source.path, data)
        if root != "tmx":
            raise input_error(source.path, f"not a TMX file (root element <{root}>)")
        store = parsed(source.path, lambda: tmx.tmxfile.parsestring(data))
        units = list(tmx_units(store))
        if not units:
            raise input_error(source.path, "no <tu> with a Russian or English <tuv>")
        return units


# ------------------------------------------------------------------------------------------------- parsing


class _Entities(Exception):
    """The document declares an entity."""


class _RootReached(Exception):
    """The root element starts: the prolog is over."""


def original_bytes(source: Source) -> bytes:
    """The file's bytes again (its text encoded as it was decoded): what the parsers read, honouring the file's
    own declaration of its encoding (XML prolog, PO charset)."""
    return source.text.encode(source.encoding)


def xml_root(path: str, data: bytes) -> tuple[str, dict[str, str]]:
    """The root element's name and attributes, read by expat up to the root's start tag; InputError for a DOCTYPE
    that declares entities (nothing is expanded: the declaration stops the scan) or malformed XML."""
    scanner = ParserCreate()
    found: dict[str, object] = {}

    def entity(*_: object) -> None:
        raise _Entities

    def start(tag: str, attributes: dict[str, str]) -> None:
        found.update(tag=tag, attributes=attributes)
        raise _RootReached

    scanner.EntityDeclHandler = entity
    scanner.StartElementHandler = start
    try:
        scanner.Parse(data, True)
    except _Entities:
        raise input_error(path, "the DOCTYPE declares XML entities: refused (entities are never expanded)") from None
    except _RootReached:
        return str(found["tag"]), dict(found["attributes"])  # type: ignore[call-overload]
    except ExpatError as error:
        raise input_error(path, f"not well-formed XML: {error}") from None
    raise input_error(path, "no root element: not an XML document")


def is_xliff2(attributes: dict[str, str]) -> bool:
    """Whether the <xliff> root's version or namespace is 2.x."""
    namespace = attributes.get("xmlns", "")
    return attributes.get("version", "").startswith(XLIFF2_VERSION) or XLIFF2_NAMESPACE_MARK in namespace


def parsed(path: str, parse: Callable[[], T]) -> T:
    """`parse()` (translate-toolkit's safe parsers: no entities, no network), its errors as one-line InputErrors."""
    try:
        return parse()
    except PARSE_ERRORS as error:
        problem = " ".join(str(error).split()) or type(error).__name__
        kind = "not well-formed XML" if isinstance(error, etree.XMLSyntaxError) else "cannot read it"
        raise input_error(path, f"{kind}: {problem}") from None


# --------------------------------------------------------------------------------------------- the formats


def xliff1_units(store: xliff.xlifffile) -> Iterator[Unit]:
    """XLIFF 1.x <trans-unit>s, each with its <file>'s languages."""
    for unit in store.units:
        if unit.isheader() or not unit.istranslatable():
            continue
        element = unit.xmlelement
        source_node, target_node = child(element, "source"), child(element, "target")
        file_node = next(element.iterancestors(qualified(element, "file")), None)
        languages = ("", "") if file_node is None else languages_of(file_node, "source-language", "target-language")
        usable = target_node is not None and target_node.get("state", "") not in UNTRANSLATED_XLIFF1_STATES
        target = xml_side(str(unit.target or ""), target_node, element) if usable else None
        source = xml_side(str(unit.source or ""), source_node, element)
        yield Unit(element.get("id") or element.get("resname") or "", source, target, languages)


def xliff2_units(store: xliff2.Xliff2File) -> Iterator[Unit]:
    """XLIFF 2.x <segment>s (each one a unit of translate-toolkit), with the document's languages."""
    languages = languages_of(store.document.getroot(), "srcLang", "trgLang")
    for unit in store.units:
        if not unit.istranslatable():
            continue
        element = unit.xmlelement
        source_node, target_node = child(element, "source"), child(element, "target")
        usable = target_node is not None and element.get("state", "") not in UNTRANSLATED_XLIFF2_STATES
        target = xml_side(str(unit.target or ""), target_node, element) if usable else None
        yield Unit(unit.getid() or "", xml_side(str(unit.source or ""), source_node, element), target, languages)


def po_units(store: pypo.pofile, text: str) -> Iterator[Unit]:
    """Gettext entries but the header and obsolete ones; fuzzy entries count as untranslated."""
    languages = ("", store.gettargetlanguage() or "")
    starts = line_starts(text)
    msgids = iter(MSGID_LINE.finditer(text))
    for unit in store.units:
        if unit.isobsolete():
            continue
        msgid = next(msgids, None)
        if unit.isheader():
            continue
        offset = msgid.start() if msgid else 0
        msgstr = MSGSTR_LINE.search(text, offset)
        source = po_side(str(unit.source or ""), starts, offset)
        translated = bool(str(unit.target or "").strip()) and not unit.isfuzzy()
        target = po_side(str(unit.target), starts, msgstr.start() if msgstr else offset) if translated else None
        yield Unit(po_location(unit), source, target, languages)


def tmx_units(store: tmx.tmxfile) -> Iterator[Unit]:
    """Each <tu> with a Russian or English <tuv>: the one in the header's srclang first, when it is ru or en."""
    first = language_of(header_srclang(store))
    order = [first, OTHER_SIDE[first]] if first in OTHER_SIDE else [RU, EN]
    for number, unit in enumerate(store.units, start=1):
        variants = {}
        for node in unit.getlanguageNodes():
            lang = language_of(node.get(XML_LANG) or node.get("lang") or "")
            if lang and lang not in variants:
                variants[lang] = node
        present = [(lang, variants[lang]) for lang in order if lang in variants]
        sides = [(lang, tmx_side(unit, node)) for lang, node in present if unit.getNodeText(node).strip()]
        if not sides:
            continue
        (source_lang, source), *rest = sides
        target_lang, target = rest[0] if rest else (OTHER_SIDE[source_lang], None)
        yield Unit(unit.xmlelement.get("tuid") or f"tu {number}", source, target, (source_lang, target_lang))


def header_srclang(store: tmx.tmxfile) -> str:
    """The TMX header's srclang ("" when absent or "*all*")."""
    header = store.document.getroot().find("header")
    return "" if header is None else header.get("srclang", "")


# ---------------------------------------------------------------------------------------------- the sides


def child(element: etree._Element, name: str) -> etree._Element | None:
    """The first child of `element` named `name` in its namespace."""
    return element.find(qualified(element, name))


def qualified(element: etree._Element, name: str) -> str:
    """`name` in the namespace of `element` ("{ns}name")."""
    namespace = etree.QName(element).namespace
    return f"{{{namespace}}}{name}" if namespace else name


def languages_of(element: etree._Element, source_attribute: str, target_attribute: str) -> tuple[str, str]:
    """The (source, target) language codes `element` names in those attributes ("" for a missing one)."""
    return element.get(source_attribute, ""), element.get(target_attribute, "")


def xml_side(text: str, node: etree._Element | None, unit: etree._Element) -> Side:
    """A side read from an XML element (its line; the unit's when the element is not there)."""
    line = (node if node is not None else unit).sourceline or 1
    return Side(text.strip(), line, written_forms(text.strip(), XML_ESCAPES))


def tmx_side(unit: tmx.tmxunit, variant: etree._Element) -> Side:
    """A side read from a <tuv>: the text and line of its <seg>."""
    seg = variant.find("seg")
    line = (seg if seg is not None else variant).sourceline or 1
    text = unit.getNodeText(variant).strip()
    return Side(text, line, written_forms(text, XML_ESCAPES))


def po_side(text: str, starts: Sequence[int], offset: int) -> Side:
    """A side of a PO entry whose keyword (msgid, msgstr) starts at `offset` (`starts`: the file's line starts)."""
    return Side(text.strip(), bisect.bisect_right(starts, offset), written_forms(text.strip(), PO_ESCAPES))


def written_forms(text: str, escapes: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """`text` as is, then with `escapes` applied (when that differs)."""
    escaped = text
    for char, escape in escapes:
        escaped = escaped.replace(char, escape)
    return (text,) if escaped == text else (text, escaped)


def po_location(unit: pypo.pounit) -> str:
    """A PO entry's first `#:` reference, or its msgctxt::msgid."""
    locations = unit.getlocations()
    if locations:
        return str(locations[0])
    context = unit.getcontext()
    return f"{context}::{unit.source}" if context else str(unit.source)


# ------------------------------------------------------------------------------------------ the alignment


def alignment_of(source: Source, name: str, units: Sequence[Unit]) -> Alignment:
    """One bead per unit, in file order: paired when it has a target, the source alone when it has not."""
    document = Document(name, source.path, source.path, encodings={source.path: source.encoding})
    starts = line_starts(source.text)
    beads = []
    langs = resolved_languages(source.path, units)
    for index, unit in enumerate(units):
        source_lang, target_lang = langs[unit.languages]
        texts = [(unit.source, source_lang), (unit.target, target_lang)]
        sides = {
            lang: segment_of(source, starts, side, lang, index, unit.location)
            for side, lang in texts
            if side is not None and side.text
        }
        if not sides:
            continue
        ru, en = ((sides[lang],) if lang in sides else () for lang in (RU, EN))
        document.ru.extend(ru)
        document.en.extend(en)
        beads.append(Bead(ru, en, PAIRED_SCORE if ru and en else ONE_SIDED_SCORE))
    return Alignment(document, beads)


def resolved_languages(path: str, units: Sequence[Unit]) -> dict[tuple[str, str], tuple[str, str]]:
    """(ru/en of the source, ru/en of the target) for each language pair the file names; InputError for a pair
    that is not Russian and English."""
    result = {}
    for named in dict.fromkeys(unit.languages for unit in units):
        source, target = (language_of(code) for code in named)
        if not source and not target:
            texts = " ".join(unit.source.text for unit in units if unit.languages == named)
            source = RU if len(CYRILLIC.findall(texts)) > len(LATIN.findall(texts)) else EN
        source = source or OTHER_SIDE.get(target, "")
        target = target or OTHER_SIDE.get(source, "")
        if {source, target} != {RU, EN}:
            shown = " → ".join(code or "?" for code in named)
            raise input_error(path, f"languages {shown}: align reads Russian/English files only")
        result[named] = (source, target)
    return result


def language_of(code: str) -> str:
    """The language of a code by its primary subtag: ru or en ("ru-RU", "en_US", "eng"), "" for no code, the
    primary subtag itself for any other language ("de-AT" -> "de")."""
    primary = re.split(r"[-_@.]", code.strip().lower(), maxsplit=1)[0]
    return LANGUAGE_CODES.get(primary, primary)


def segment_of(source: Source, starts: Sequence[int], side: Side, lang: str, index: int, location: str) -> Segment:
    """The segment of one side of unit number `index`: located in the file (see the module's docstring)."""
    start, end = written_span(source.text, starts, side)
    return Segment(
        file=source.path,
        start=start,
        end=end,
        line=side.line,
        text=side.text,
        lang=lang,
        paragraph=index,
        location=location,
        whole=True,
    )


def written_span(text: str, starts: Sequence[int], side: Side) -> tuple[int, int]:
    """Where the side's text is written in the file from its line on, or else its line's span."""
    line_start = starts[min(side.line, len(starts)) - 1]
    for form in side.written:
        found = text.find(form, line_start, line_start + len(form) + SEARCH_SLACK)
        if form and found >= 0:
            return found, found + len(form)
    line_end = text.find("\n", line_start)
    return line_start, len(text) if line_end < 0 else line_end
