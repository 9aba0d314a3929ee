"""Input formats as plugins: one module per format behind the `Reader` protocol, chosen by the file's suffix.

A reader turns a file's bytes into a Source (decoded text, or the text extracted from a document format) and
the Source into paragraphs that remember where they came from — translatable text only: code, markup and
front matter are left out. The segmenter splits the paragraphs into sentences. Adding a format is one new
module here and one line in `REGISTRY`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from align.model import Alignment, Paragraph, Source

# suffix -> "module:Class", imported when a file of that kind is read.
REGISTRY: dict[str, str] = {
    ".txt": "align.readers.text:TextReader",
    ".md": "align.readers.markdown:MarkdownReader",
    ".mdx": "align.readers.markdown:MarkdownReader",
    ".html": "align.readers.html:HtmlReader",
    ".htm": "align.readers.html:HtmlReader",
    ".xhtml": "align.readers.html:HtmlReader",
    ".epub": "align.readers.epub:EpubReader",
    ".docx": "align.readers.docx:DocxReader",
    ".odt": "align.readers.odt:OdtReader",
    ".pdf": "align.readers.pdf:PdfReader",
    ".srt": "align.readers.subtitles:SrtReader",
    ".vtt": "align.readers.subtitles:VttReader",
    ".xlf": "align.readers.bilingual:XliffReader",
    ".xliff": "align.readers.bilingual:XliffReader",
    ".po": "align.readers.bilingual:PoReader",
    ".pot": "align.readers.bilingual:PoReader",
    ".tmx": "align.readers.bilingual:TmxReader",
}

EXTRAS: dict[str, str] = {}  # suffix -> the pip extra its reader's libraries come with (default "formats")
BILINGUAL_MODULE = "align.readers.bilingual:"  # the readers of files that hold both languages
# import name -> the package that provides it, for the message when one is missing
PACKAGES = {
    "docx": "python-docx",
    "webvtt": "webvtt-py",
    "translate": "translate-toolkit",
    "mdit_py_plugins": "mdit-py-plugins",
}


class Reader(Protocol):
    """One input format."""

    name: str  # e.g. "text"
    extra: str  # the pip extra its libraries come with ("" for none), named when one is missing

    def source(self, path: str, data: bytes) -> Source:
        """The file's text (InputError, one line naming the file, for a corrupt or unreadable one)."""
        ...

    def paragraphs(self, source: Source) -> list[Paragraph]:
        """The paragraphs of one decoded file, in order, each with its location in the file."""
        ...


class BilingualReader(Protocol):
    """A file that is already aligned (XLIFF, PO, TMX): its units are the beads, nothing is embedded. The pipeline
    recognises one by `bilingual = True`; `align check` runs its rules on the units directly."""

    name: str
    extra: str
    bilingual: bool  # True

    def source(self, path: str, data: bytes) -> Source:
        """The file's text (InputError, one line naming the file, for a corrupt or unreadable one)."""
        ...

    def alignment(self, source: Source, name: str) -> Alignment:
        """One bead per unit: the Russian and English segments (an empty target is a one-sided bead), each
        located at its unit's line, with its unit id as `location`."""
        ...


def suffixes() -> tuple[str, ...]:
    """Every file suffix some reader takes (lower case, with the dot), in registry order."""
    return tuple(REGISTRY)


def is_bilingual(path: str) -> bool:
    """Whether the file is of an already bilingual format (XLIFF, PO, TMX): never one side of a pair."""
    return REGISTRY.get(os.path.splitext(path)[1].lower(), "").startswith(BILINGUAL_MODULE)


def reader_for(path: str) -> Reader:
    """The reader of the file `path`, by its suffix (the plain-text reader for any other name given explicitly);
    InputError when the format's optional library is not installed."""
    suffix = os.path.splitext(path)[1].lower()
    target = REGISTRY.get(suffix, REGISTRY[".txt"])
    from align.plugins import loaded

    try:
        return loaded(target)()
    except ImportError as error:
        from align.load import input_error

        extra = EXTRAS.get(suffix, "formats")
        package = PACKAGES.get(error.name or "", error.name)
        raise input_error(path, f"reading {suffix} files needs {package}: pip install 'align[{extra}]'") from None
