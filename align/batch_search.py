"""The search of a batch of embedded documents: each document's best path through its beads, one after the other.

A pure function of the documents and their vectors (no encoder, no cache, no language identifier).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from align.align import AlignOptions, align_document, run_groups
from align.markup import has_markup, side_with_markup
from align.model import Alignment, Document, Segment, Span

Embedded = tuple[np.ndarray, np.ndarray, list[Span]]  # one side's sentence vectors, run vectors and runs


def searched(
    documents: Sequence[Document], embedded: Sequence[Embedded], options: AlignOptions, encoding: float = 0.0
) -> list[Alignment]:
    """Each document aligned from its sides' vectors (embedded: RU, EN, RU, EN, … in document order). Each
    alignment's `seconds` is its share of the batch's `encoding` seconds, by sentences, plus its own search."""
    total = sum(len(document.ru) + len(document.en) for document in documents)
    alignments = []
    for document, ru_side, en_side in zip(documents, embedded[::2], embedded[1::2], strict=True):
        start = time.perf_counter()
        if has_markup(document.ru + document.en):  # shared link targets, code and anchors count too
            ru_side, en_side = (
                with_markup_dimensions(ru_side, document.ru),
                with_markup_dimensions(en_side, document.en),
            )
        (ru_vectors, ru_joint, ru_runs), (en_vectors, en_joint, en_runs) = ru_side, en_side
        n, m = len(document.ru), len(document.en)
        alignment = align_document(
            document,
            ru_vectors,
            en_vectors,
            options,
            run_groups(ru_runs, ru_joint, n),
            run_groups(en_runs, en_joint, m),
        )
        share = (n + m) / total if total else 1 / len(documents)
        alignment.seconds = encoding * share + time.perf_counter() - start
        alignments.append(alignment)
    return alignments


def with_markup_dimensions(embedded: Embedded, segments: Sequence[Segment]) -> Embedded:
    """One side's vectors with their markup dimensions (align.markup.side_with_markup), its runs unchanged."""
    vectors, joint, runs = embedded
    return (*side_with_markup(vectors, joint, segments, runs), runs)
