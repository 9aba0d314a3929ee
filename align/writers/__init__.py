"""Output formats as plugins: one module per format behind the `Writer` protocol, looked up by name, imported lazily.

Adding a format is one new file here (a class with the attributes and methods of `Writer`) plus one line in
`REGISTRY`. The runner asks a writer for a document's text, the whole run's text, or (Dask shards) the text
of several per-document files joined; it writes the files itself (atomically, see align.files).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from align.model import Alignment, Finding
    from align.signature import Signature

# name -> "module:Class", imported only when the format is asked for (html pulls in jinja2, for one).
REGISTRY: dict[str, str] = {
    "tmx": "align.writers.tmx:TmxWriter",
    "csv": "align.writers.csv:CsvWriter",
    "jsonl": "align.writers.jsonl:JsonlWriter",
    "html": "align.writers.html:HtmlWriter",
    "xliff": "align.writers.xliff:XliffWriter",
    "vecalign": "align.writers.vecalign:VecalignWriter",
}
CORPUS_STEM = "corpus"  # out/corpus.tmx, … (align.load reserves the name)


@dataclass(frozen=True)
class WriteContext:
    """Everything a writer may need besides the alignments: who made them, with what, and when."""

    version: str  # align's version
    creation_date: str  # YYYYMMDDThhmmssZ (TMX creationdate), passed explicitly for reproducible output
    signature: Signature | None = None  # the settings and versions that made the result
    excel_safe: bool = False  # CSV: prefix cells a spreadsheet would run as formulas
    findings: Sequence[Finding] | None = field(default=None)  # html: the check's findings (None: default check)
    plain: bool = False  # TMX: inline markup (code, link targets, tags) dropped instead of kept as <ph> elements
    langs: tuple[str, str] = ("ru", "en")  # --langs: the languages of a bead's `ru` and `en` sides
    presplit: bool = False  # --presplit: one sentence a line (vecalign: ids are line numbers)


class Writer(Protocol):
    """One output format."""

    name: str  # the --format value, e.g. "tmx"
    suffix: str  # file suffix, e.g. ".tmx"
    per_document: bool  # False: only a whole-run file is written (html: out/report.html)
    corpus_name: str  # file name of the whole-run output, e.g. "corpus.tmx" or "report.html"

    def document(self, alignment: Alignment, context: WriteContext) -> str:
        """The text of one document's file."""
        ...

    def corpus(self, alignments: Sequence[Alignment], context: WriteContext) -> str:
        """The text of the whole run's file."""
        ...

    def concatenate(self, parts: Iterable[str], context: WriteContext) -> str:
        """The whole-run text made from per-document texts (what `document` returned), in order."""
        ...

    # A writer may also have pieces(alignments, context) -> Iterator[str]: the text of `corpus` in pieces of about
    # a bead, which the runner writes as they come (tmx, csv, jsonl); see corpus_text.
    # And `dated = False` when it never writes the context's creation date (csv, jsonl, vecalign, html): then a
    # re-run that leaves its files alone need not tell the time apart (align.output_records).


class UnknownFormat(ValueError):
    """A --format value no writer has."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def names() -> list[str]:
    """Every format name, in registry order."""
    return list(REGISTRY)


def writer_for(name: str) -> Writer:
    """The writer of the format `name` (UnknownFormat if there is none)."""
    target = REGISTRY.get(name)
    if target is None:
        raise UnknownFormat(f"{name!r}: unknown format (use {', '.join(REGISTRY)})")
    from align.plugins import loaded

    return loaded(target)()


def parse_formats(text: str) -> list[str]:
    """The formats named in a comma-separated --format value, without repeats (UnknownFormat for a bad one)."""
    chosen = list(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in REGISTRY]
    if unknown or not chosen:
        raise UnknownFormat(f"--format {text!r}: unknown format (use {', '.join(REGISTRY)})")
    return chosen


def document_paths(alignment: Alignment, out: Path, formats: Sequence[str]) -> list[tuple[Writer, Path]]:
    """Each per-document format's writer in `formats` with its file out/<document>.<suffix>; ValueError for a
    document name that cannot be a file name inside `out`."""
    from align.files import output_stem
    from align.stored import name_of

    writers = [writer_for(name) for name in dict.fromkeys(formats)]
    stem = output_stem(name_of(alignment))  # a stored alignment's from its header, its beads left undecoded
    return [(writer, Path(out) / f"{stem}{writer.suffix}") for writer in writers if writer.per_document]


def write_document(
    alignment: Alignment,
    out: Path,
    formats: Sequence[str],
    context: WriteContext,
    leave: Collection[Path] = (),
) -> list[Path]:
    """Write out/<document>.<suffix> for each per-document format in `formats` (checked before any is written),
    except the files in `leave` (known to hold their text already: align.output_records); the paths written or
    left. ValueError for a document name that cannot be a file name inside `out`."""
    from align.files import write_atomic

    paths = []
    for writer, path in document_paths(alignment, out, formats):
        if path not in leave:
            streamed = getattr(writer, "pieces", None)  # the same text, a bead at a time
            write_atomic(path, streamed([alignment], context) if streamed else writer.document(alignment, context))
        paths.append(path)
    return paths


def corpus_text(writer: Writer, alignments: Sequence[Alignment], context: WriteContext) -> str | Iterator[str]:
    """What the whole run's file of `writer` holds: its text, or the same text in pieces (a bead at a time) from a
    writer that has `pieces` (tmx, csv, jsonl), so that a run of a 200 MB page never holds the file's text."""
    streamed = getattr(writer, "pieces", None)
    return streamed(alignments, context) if streamed else writer.corpus(alignments, context)


def write_corpus(
    alignments: Sequence[Alignment], out: Path, formats: Sequence[str], context: WriteContext
) -> list[Path]:
    """Write the whole run's file (corpus.<suffix>, report.html) of each format in `formats`; the paths written."""
    from align.files import write_atomic

    writers = [writer_for(name) for name in dict.fromkeys(formats)]
    paths = []
    for writer in writers:
        path = Path(out) / writer.corpus_name
        write_atomic(path, corpus_text(writer, alignments, context))
        paths.append(path)
    return paths
