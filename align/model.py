"""Plain dataclasses passed between the pipeline stages (read → segment → language → embed → align → check → write)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

OTHER_SIDE = MappingProxyType({"ru": "en", "en": "ru"})  # the other language of a pair's side

Span = tuple[int, int]  # a run of consecutive sentences (or texts): items[start:stop]


@dataclass(frozen=True)
class Source:
    """One decoded input file."""

    path: str  # path as the user gave it (used in messages and outputs)
    text: str  # decoded text; all spans index into this string (Unicode code points)
    encoding: str  # codec used to decode, e.g. "utf-8", "utf-8-sig", "cp1251"
    notes: tuple[str, ...] = ()  # what decoding changed, "FILE: 3 bytes are not valid UTF-8, replaced by …"


@dataclass(frozen=True)
class Paragraph:
    """A block of text between blank lines, boilerplate lines excluded."""

    file: str
    start: int  # [start, end) into Source.text
    end: int
    line: int  # 1-based line of `start`
    text: str  # == source.text[start:end]
    index: int  # paragraph number within its file, from 0
    location: str = ""  # where it is in a file that has no lines to speak of, e.g. "paragraph 12", "cue 3"
    markup: tuple[Span, ...] = ()  # [start, end) into Source.text of inline code, URLs and tags: not prose
    whole: bool = False  # one unit, never split into sentences (a heading, a table cell, a subtitle cue)
    declared: str = ""  # the language its file declares for it (HTML `lang`), base subtag: "ru", "de", "zh"; "" none


@dataclass(frozen=True)
class Segment:
    """One sentence: the unit that gets aligned."""

    file: str
    start: int
    end: int
    line: int  # 1-based line of `start`
    text: str  # == source.text[start:end]
    lang: str  # "ru", "en" or "other"
    paragraph: int  # index of its Paragraph within the file
    detected: str = ""  # ISO 639-1 code found by the detector when lang == "other" (e.g. "uk")
    location: str = ""  # its paragraph's location (see Paragraph.location)
    declared: str = ""  # its paragraph's declared language (see Paragraph.declared): align.language weighs it
    markup: tuple[Span, ...] = ()  # [start, end) into Source.text of the markup inside the sentence
    whole: bool = False  # its paragraph is one unit (a heading, a table cell): see Paragraph.whole

    @property
    def prose(self) -> str:
        """The text with its markup (inline code, URLs, tags) blanked out: what the check rules read."""
        if not self.markup:
            return self.text
        chars = list(self.text)
        for start, end in self.markup:
            for k in range(max(start, self.start), min(end, self.end)):
                chars[k - self.start] = " "
        return "".join(chars)


@dataclass
class Document:
    """What the aligner works on: the RU and EN sentence streams of one article."""

    name: str  # output stem: file stem for a mixed article, "X" for X.ru.txt + X.en.txt
    ru_file: str
    en_file: str
    ru: list[Segment] = field(default_factory=list)
    en: list[Segment] = field(default_factory=list)
    other: list[Segment] = field(default_factory=list)  # never paired, reported
    encodings: dict[str, str] = field(default_factory=dict)  # file -> encoding used
    missing: str = ""  # "ru" or "en": a page of a two-language tree whose other language's file does not exist


@dataclass(frozen=True)
class Bead:
    """An alignment unit: RU sentences paired with EN sentences (one side may be empty)."""

    ru: tuple[Segment, ...]
    en: tuple[Segment, ...]
    score: float  # confidence in [0, 1]; 0.0 for one-sided beads
    other: tuple[Segment, ...] = ()  # a sentence in neither language (ru and en then empty)
    loose: bool = False  # paired as a whole, not sentence by sentence (align.loose, condensed, matched_gaps)

    @property
    def kind(self) -> str:
        if self.other:
            return "other"
        return f"{len(self.ru)}-{len(self.en)}"

    @property
    def paired(self) -> bool:
        return bool(self.ru) and bool(self.en)


@dataclass
class Alignment:
    """The aligned document: every sentence of `document` in exactly one bead, in order per side."""

    document: Document
    beads: list[Bead]
    seconds: float = 0.0


SEVERITIES = ("note", "warning", "error")  # in increasing order


@dataclass(frozen=True)
class Finding:
    """One thing `align check` reports, pointing at a file and a line."""

    rule: str  # e.g. "untranslated", "other-language", "number-mismatch", "glossary" (align.checks.RULES)
    severity: str  # one of SEVERITIES
    document: str  # Document.name
    file: str  # the file the finding points at (the side where the problem is)
    line: int  # 1-based first line
    end_line: int  # 1-based last line (== line for one line)
    message: str  # one line for a human, e.g. "3 English sentences have no Russian counterpart"
    ru: str = ""  # the Russian text concerned, if any
    en: str = ""  # the English text concerned, if any
    lang: str = ""  # language of the passage for untranslated / other-language findings
    related: tuple[tuple[str, int], ...] = ()  # other (file, line) locations, e.g. for consistency findings
    location: str = ""  # the first sentence's Segment.location: "cue 3 00:00:01,000 --> …", "page 4", a unit id

    @property
    def fingerprint(self) -> str:
        """A stable id for baselines: rule, file and the texts, not line numbers (which shift with edits)."""
        import hashlib

        key = "\x1f".join((self.rule, self.file, " ".join(self.ru.split()), " ".join(self.en.split())))
        return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
