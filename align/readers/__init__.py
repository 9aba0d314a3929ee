"""Input formats as plugins: one module per format behind the `Reader` protocol, chosen by the file's suffix.

A reader turns one decoded file (a Source) into paragraphs that remember where they came from; the
segmenter splits them into sentences. Adding a format is one new module here and one line in `REGISTRY`.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from align.model import Paragraph, Source

# suffix -> "module:Class", imported when a file of that kind is read.
REGISTRY: dict[str, str] = {
    ".txt": "align.readers.text:TextReader",
    ".md": "align.readers.text:TextReader",
}


class Reader(Protocol):
    """One input format."""

    name: str  # e.g. "text"

    def paragraphs(self, source: Source) -> list[Paragraph]:
        """The paragraphs of one decoded file, in order, each with its location in the file."""
        ...


def suffixes() -> tuple[str, ...]:
    """Every file suffix some reader takes (lower case, with the dot), in registry order."""
    return tuple(REGISTRY)


def reader_for(path: str) -> Reader:
    """The reader of the file `path`, by its suffix (the plain-text reader for any other name given explicitly)."""
    target = REGISTRY.get(os.path.splitext(path)[1].lower(), REGISTRY[".txt"])
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)()
