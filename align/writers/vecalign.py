"""vecalign's bead lines (`[src ids]:[tgt ids]:score`), the format vecalign, Bertalign and their scorers use.

One bead a line, in order: the 0-based ids of the source-language sentences (the first language of --langs),
of the target-language ones, and the bead's confidence; `[]` is an empty side (an untranslated sentence). With
--presplit an id is the sentence's 0-based line number in its file; otherwise it is the sentence's 0-based
number among all of its file's sentences, in file order. A sentence in a third language is a one-sided bead on
its file's side. corpus.vecalign is the documents' files one after the other (ids restart with each document).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from align.model import Alignment, Bead, Segment
from align.writers import WriteContext
from align.writers.common import bead_score

SCORE_DECIMALS = 4


class VecalignWriter:
    """One `[src]:[tgt]:score` line per bead."""

    name = "vecalign"
    suffix = ".vecalign"
    per_document = True
    dated = False  # the creation date is not written (align.output_records)
    corpus_name = "corpus.vecalign"

    def document(self, alignment: Alignment, context: WriteContext) -> str:
        return vecalign_text(alignment, context.presplit)

    def corpus(self, alignments: Sequence[Alignment], context: WriteContext) -> str:
        return "".join(vecalign_text(alignment, context.presplit) for alignment in alignments)

    def concatenate(self, parts: Iterable[str], context: WriteContext) -> str:
        return "".join(parts)


def vecalign_text(alignment: Alignment, presplit: bool) -> str:
    """The document's bead lines, each ending in '\\n'."""
    ids = sentence_ids(alignment, presplit)
    return "".join(bead_line(bead, alignment, ids) + "\n" for bead in alignment.beads)


def sentence_ids(alignment: Alignment, presplit: bool) -> dict[int, int]:
    """id(segment) -> its vecalign id: 0-based line number (presplit) or its number among its file's sentences."""
    document = alignment.document
    segments = document.ru + document.en + document.other
    if presplit:
        return {id(segment): segment.line - 1 for segment in segments}
    ids: dict[int, int] = {}
    for file in dict.fromkeys(segment.file for segment in segments):
        in_file = sorted((s for s in segments if s.file == file), key=lambda s: s.start)
        ids.update((id(segment), number) for number, segment in enumerate(in_file))
    return ids


def bead_line(bead: Bead, alignment: Alignment, ids: dict[int, int]) -> str:
    """`[src ids]:[tgt ids]:score` of one bead (a third-language sentence on its own file's side)."""
    source, target = bead.ru, bead.en
    if bead.other:
        document = alignment.document
        on_target = document.en_file != document.ru_file and bead.other[0].file == document.en_file
        source, target = ((), bead.other) if on_target else (bead.other, ())
    return f"{id_list(source, ids)}:{id_list(target, ids)}:{bead_score(bead):.{SCORE_DECIMALS}f}"


def id_list(segments: Sequence[Segment], ids: dict[int, int]) -> str:
    """`[3, 4]` — the ids as vecalign prints them (a Python list), `[]` for none."""
    return "[" + ", ".join(str(ids[id(segment)]) for segment in segments) + "]"
