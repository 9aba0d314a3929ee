"""The embed and align stages of the pipeline: documents embedded in batches (or window by window), searched, and
the passes after the search; imported only when a document needs aligning (align.pipeline.Pipeline.aligner)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from align.absorb import absorbed
from align.align import Side, beads_of, merge_runs, run_groups
from align.batch_search import Embedded, searched, with_markup_dimensions
from align.condensed import condensed, condensed_freely
from align.encoders import Encoder
from align.known_vectors import KnownVectors, known_texts
from align.markup import has_markup
from align.matched_gaps import matched_gaps
from align.model import Alignment, Document, Segment, Span
from align.options import AlignOptions
from align.run_choice import RunMask, sum_vectors
from align.unit_text import embedding_text
from align.windows import windowed_links


@dataclass
class Aligner:
    """Embeds and aligns documents with one encoder and the aligner's options."""

    encoder: Encoder
    options: AlignOptions
    window: int  # a document with a longer side is aligned window by window (align.windows)
    presplit: bool = False  # --presplit: no matched gaps (its empty lines are paragraph breaks no bead spans)

    def aligned(self, documents: Sequence[Document]) -> list[Alignment]:
        """Align the documents in order: those within a window embedded in one batch (fuller encoder batches than
        one document gives), a longer one window by window (align.windows), so memory stays bounded."""
        whole = iter(self._aligned_together([d for d in documents if not self._windowed(d)]))
        return [self._aligned_in_windows(d) if self._windowed(d) else next(whole) for d in documents]

    def _after_search(self, alignment: Alignment, encode: Callable[[list[str]], np.ndarray]) -> Alignment:
        """The searched alignment with one-sided sentences absorbed into their pairs and free translation paired
        loosely (absorb_min_gain None: neither)."""
        if self.options.absorb_min_gain is None:
            return alignment
        absorbed_alignment = absorbed(alignment, encode, self.options.absorb_min_gain, embedding_text)
        return freed(absorbed_alignment, encode, self.presplit)

    def _windowed(self, document: Document) -> bool:
        """Whether a document is too long to align in one window."""
        return max(len(document.ru), len(document.en)) > self.window

    def _aligned_together(self, documents: Sequence[Document]) -> list[Alignment]:
        """Embed the documents in one batch, then align each (align.batch_search). Each alignment's `seconds` is its
        share of the encoding, by sentences, plus its own search."""
        if not documents:
            return []
        start = time.perf_counter()
        embedded, known = self._embedded_and_known([side for d in documents for side in (d.ru, d.en)])
        alignments = searched(documents, embedded, self.options, time.perf_counter() - start)
        encode = KnownVectors(self.encoder.encode, known)
        return [self._after_search(alignment, encode) for alignment in alignments]

    def _aligned_in_windows(self, document: Document) -> Alignment:
        """A document longer than a window, aligned window by window: only one window's embeddings at a time."""
        start = time.perf_counter()
        markup = has_markup(document.ru + document.en)
        embed = functools.partial(self._window_sides, markup=markup)
        links = windowed_links(document.ru, document.en, embed, self.options, self.window)
        alignment = Alignment(document, beads_of(document, links, self.options), time.perf_counter() - start)
        return self._after_search(alignment, self.encoder.encode)

    def _window_sides(self, ru: Sequence[Segment], en: Sequence[Segment], markup: bool) -> tuple[Side, Side]:
        """The aligner's view of one window's RU and EN sentences, embedded together."""
        sides = []
        for segments, embedded in zip((ru, en), self.embedded([ru, en]), strict=True):
            vectors, joint, runs = with_markup_dimensions(embedded, segments) if markup else embedded
            sides.append(Side.of(vectors, list(segments), run_groups(runs, joint, len(segments))))
        return sides[0], sides[1]

    def embedded(self, sides: Sequence[Sequence[Segment]]) -> list[Embedded]:
        """Each side's sentence vectors, run vectors and runs (merge_runs), all embedded in one encoder batch."""
        return self._embedded_and_known(sides)[0]

    def _embedded_and_known(self, sides: Sequence[Sequence[Segment]]) -> tuple[list[Embedded], dict[str, np.ndarray]]:
        """`embedded`, and the vector of every text it embedded (align.known_vectors)."""
        max_bead = self.options.max_bead if self.options.encode_merges else 1
        texts: list[str] = []
        runs: list[Span] = []
        layout: list[tuple[int, int, list[Span]]] = []  # first text, first run, the side's runs
        for segments in sides:
            side_runs = merge_runs(list(segments), max_bead)
            layout.append((len(texts), len(runs), side_runs))
            base = len(texts)
            runs += [(a + base, b + base) for a, b in side_runs]
            texts += [embedding_text(s) for s in segments]
        placed = [
            (first, len(segments), first_run, side_runs)
            for segments, (first, first_run, side_runs) in zip(sides, layout, strict=True)
        ]
        keep = RunMask(placed)
        vectors, run_vectors = self.encoder.encode_with_runs(texts, runs, keep)
        needed = keep(vectors)  # the same whether or not the encoder embedded the others (a cached run, a long batch)
        run_vectors = np.array(run_vectors, dtype=np.float32)
        run_vectors[~needed] = sum_vectors(vectors, [runs[r] for r in np.flatnonzero(~needed)])
        embedded = [
            (vectors[first : first + len(segments)], run_vectors[first_run : first_run + len(side_runs)], side_runs)
            for segments, (first, first_run, side_runs) in zip(sides, layout, strict=True)
        ]
        embedded_runs = [run for run, kept in zip(runs, needed, strict=True) if kept]
        return embedded, known_texts(texts, vectors, embedded_runs, run_vectors[needed])


def freed(alignment: Alignment, encode: Callable[[list[str]], np.ndarray], presplit: bool = False) -> Alignment:
    """The alignment with what a free translation left one-sided paired loosely: passages its paragraph's
    translation covers (align.condensed), then gaps whose two languages say the same (align.matched_gaps; not with
    --presplit, whose empty lines are paragraph breaks no bead spans), then, in a free translation, a sentence left
    alone beside a pair of its paragraph (align.condensed.condensed_freely)."""
    found = condensed(alignment, encode, embedding_text)
    found = found if presplit else matched_gaps(found, encode, embedding_text)
    return condensed_freely(found, encode, embedding_text)
