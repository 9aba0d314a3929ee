"""The stages in order for each input: read → segment → language → embed → align (every engine runs this)."""

from __future__ import annotations

import codecs
import functools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from align.absorb import absorbed
from align.align import (
    AlignOptions,
    Side,
    beads_of,
    merge_runs,
    run_groups,
    with_other_segments,
)
from align.batch_search import Embedded, searched, with_markup_dimensions
from align.cache import CachedEncoder, CachedIdentifier, ResultCache, cache_path, result_fingerprint
from align.condensed import condensed, condensed_freely
from align.encoders import DEFAULT_MODEL, Encoder, encoder_for
from align.known_vectors import KnownVectors, known_texts
from align.language import LanguageIdentifier
from align.languages import DEFAULT_LANGS, is_default, paragraph_language
from align.load import DEFAULT_MAX_BYTES, Input, InputError, file_bytes
from align.markup import has_markup
from align.matched_gaps import matched_gaps
from align.model import Alignment, Bead, Document, Paragraph, Segment, Source, Span
from align.pair_language import PairIdentifier
from align.readers import reader_for
from align.readers.presplit import PresplitReader
from align.run_choice import RunMask, sum_vectors
from align.segment import segments_of
from align.unit_text import embedding_text, labelled
from align.windows import WINDOW_SENTENCES, windowed_links

Notify = Callable[[str], None]
ReadBytes = Callable[[str, int], bytes]  # (path, max_bytes) -> the file's bytes: local files, or fsspec URLs
Result = tuple[Alignment | InputError, list[str]]  # an alignment or the error that stopped it, and notes
BATCH_SENTENCES = 2000  # documents are embedded together until they hold this many sentences


@dataclass
class Pending:
    """An input on its way through `Pipeline.results`: its result-cache key (None: do not store) and what it
    is so far: a document to align, a finished alignment, or the error that stopped it."""

    key: bytes | None
    result: Document | Alignment | InputError
    notes: list[str]


@dataclass
class Pipeline:
    """Everything a run needs: the encoder, the aligner's options and the language identifier.

    One way in: `results(inputs)` reads each input once (through `read`), reuses a finished alignment of an
    unchanged input from the result cache, and otherwise reads, segments, labels, embeds and aligns it."""

    encoder: Encoder
    options: AlignOptions = field(default_factory=AlignOptions)
    identifier: LanguageIdentifier | PairIdentifier = field(default_factory=LanguageIdentifier)
    max_bytes: int = DEFAULT_MAX_BYTES  # larger input files are refused with an InputError
    finished: ResultCache | None = None  # alignments of earlier runs, reused for unchanged inputs
    langs: tuple[str, str] = DEFAULT_LANGS  # --langs: the languages of the `ru` and `en` sides (align.languages)
    presplit: bool = False  # --presplit: each line of an input is one sentence (align.readers.presplit)
    window: int = WINDOW_SENTENCES  # a document with a longer side is aligned window by window (align.windows)

    def results(self, inputs: Iterable[Input], read: ReadBytes = file_bytes) -> Iterator[Result]:
        """Each input's alignment, or the InputError that stopped it, with the notes made on the way (e.g.
        "decoded as cp1251"), in input order. Documents are embedded in batches of about BATCH_SENTENCES
        (the first document alone, so that output starts at once); an input whose files, model, options and
        code are unchanged since an earlier run is read back. Each file is read once: the cache key and the
        document come from the same bytes."""
        batch: list[Pending] = []
        sentences = 0
        loaded = started = False
        for item in inputs:
            pending = self._pending(item, read, load=not loaded)
            loaded = loaded or isinstance(pending.result, Document)
            batch.append(pending)
            if isinstance(pending.result, Document):
                sentences += len(pending.result.ru) + len(pending.result.en)
            waiting = any(isinstance(p.result, Document) for p in batch)
            if not waiting or sentences >= BATCH_SENTENCES or not started:
                started = started or waiting
                yield from self._aligned_batch(batch)
                batch, sentences = [], 0
        yield from self._aligned_batch(batch)

    def close(self) -> None:
        """Close the cache cleanly (align.cache.CachedEncoder.close) once the pipeline's work is done."""
        close = getattr(self.encoder, "close", None)
        if close is not None:
            close()

    def result(self, item: Input) -> Alignment | InputError:
        """One input's alignment, or the InputError that stopped it (results() for a single input)."""
        return next(self.results([item]))[0]

    def run(self, inputs: Iterable[Input]) -> Iterator[Alignment | InputError]:
        """Each input's alignment or InputError, in order (results() without the notes)."""
        return (result for result, _ in self.results(inputs))

    def document(self, item: Input, notify: Notify | None = None, read: ReadBytes = file_bytes) -> Document:
        """One input read, segmented and labelled, not aligned (raises InputError for a user's mistake)."""
        payloads = [read(path, self.max_bytes) for path in item.paths]
        return self._document_of_sources(item, sources_of(item, payloads), notify)

    def align(self, document: Document) -> Alignment:
        """Embed and align one document (e.g. a part of one again, after a reviewer's decisions)."""
        return self._align_all([document])[0]

    def _document_of_sources(self, item: Input, sources: Sequence[Source], notify: Notify | None) -> Document:
        """Label and segment the decoded files of one input."""
        for source in sources:
            if notify and is_legacy_codec(source.encoding):
                notify(f"{source.path}: decoded as {source.encoding}")
            for note in source.notes if notify else ():
                notify(note)
        if item.is_pair:
            ru_source, en_source = sources
            source_lang, target_lang = self.langs
            labelled = self._sentences(ru_source, side=source_lang) + self._sentences(en_source, side=target_lang)
            document = Document(item.name, ru_source.path, en_source.path)
        else:
            labelled = self._sentences(sources[0], side=None)
            document = Document(item.name, sources[0].path, sources[0].path)
        document.ru = [s for s in labelled if s.lang == self.langs[0]]
        document.en = [s for s in labelled if s.lang == self.langs[1]]
        document.other = [s for s in labelled if s.lang == "other"]
        document.encodings = {source.path: source.encoding for source in sources}
        return document

    def _sentences(self, source: Source, side: str | None) -> list[Segment]:
        """The labelled sentences of one file, its paragraphs found by the reader of its format."""
        reader = presplit_reader() if self.presplit else reader_for(source.path)
        paragraphs = drained(reader.paragraphs(source))  # each paragraph's copy of its text goes once it is split
        if is_default(self.langs):
            return labelled(self.identifier, segments_of(paragraphs, source.text), side)
        language = functools.partial(paragraph_language, side=side, langs=self.langs)  # each paragraph's splitter
        return labelled(self.identifier, segments_of(paragraphs, source.text, language), side)

    def _align_all(self, documents: Sequence[Document]) -> list[Alignment]:
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
        for segments, embedded in zip((ru, en), self._embedded([ru, en]), strict=True):
            vectors, joint, runs = with_markup_dimensions(embedded, segments) if markup else embedded
            sides.append(Side.of(vectors, list(segments), run_groups(runs, joint, len(segments))))
        return sides[0], sides[1]

    def _embedded(self, sides: Sequence[Sequence[Segment]]) -> list[Embedded]:
        """Each side's sentence vectors, run vectors and runs (merge_runs), all embedded in one encoder batch."""
        return self._embedded_and_known(sides)[0]

    def _embedded_and_known(self, sides: Sequence[Sequence[Segment]]) -> tuple[list[Embedded], dict[str, np.ndarray]]:
        """`_embedded`, and the vector of every text it embedded (align.known_vectors)."""
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

    def _pending(self, item: Input, read: ReadBytes, load: bool) -> Pending:
        """The input read once: its cached alignment, its document to align, or its error. `load`: this may be
        the first document to align, so start loading lingua in a thread and the encoder meanwhile."""
        notes: list[str] = []
        try:
            payloads = [read(path, self.max_bytes) for path in item.paths]
            key = self.finished.key(item, payloads) if self.finished else None
            found = self.finished.get(key) if self.finished and key else None
            if found:
                return Pending(None, *found)
            already = bilingual_alignment(item, payloads) or self._one_sided(item, payloads, notes)
            if already is not None:
                return Pending(key, already, notes)
            if load:
                self.identifier.preload()
                self.encoder.load()
            sources = sources_of(item, payloads)
            payloads.clear()  # the files' bytes go before segmenting: a 200 MB file is not held twice meanwhile
            return Pending(key, self._document_of_sources(item, sources, notes.append), notes)
        except InputError as error:
            return Pending(None, error, notes)

    def _one_sided(self, item: Input, payloads: Sequence[bytes], notes: list[str]) -> Alignment | None:
        """A page whose other language's file does not exist: its sentences, each unpaired (nothing to embed)."""
        if not item.missing:
            return None
        present = self.langs[1] if item.missing == "ru" else self.langs[0]
        source = sources_of(item, payloads)[0]
        labelled = self._sentences(source, side=present)
        document = Document(item.name, source.path, source.path, encodings={source.path: source.encoding})
        document.missing = item.missing
        document.ru = [s for s in labelled if s.lang == self.langs[0]]
        document.en = [s for s in labelled if s.lang == self.langs[1]]
        document.other = [s for s in labelled if s.lang == "other"]
        beads = [Bead((s,), (), 0.0) for s in document.ru] + [Bead((), (s,), 0.0) for s in document.en]
        return Alignment(document, with_other_segments(beads, document.other))

    def _aligned_batch(self, batch: list[Pending]) -> Iterator[Result]:
        """The batch's results, its documents aligned together (and remembered for the next run)."""
        alignments = iter(self._align_all([p.result for p in batch if isinstance(p.result, Document)]))
        for pending in batch:
            result = next(alignments) if isinstance(pending.result, Document) else pending.result
            if self.finished and pending.key and isinstance(result, Alignment):
                self.finished.put(pending.key, result, pending.notes)
            yield result, pending.notes


def freed(alignment: Alignment, encode: Callable[[list[str]], np.ndarray], presplit: bool = False) -> Alignment:
    """The alignment with what a free translation left one-sided paired loosely: passages its paragraph's
    translation covers (align.condensed), then gaps whose two languages say the same (align.matched_gaps; not with
    --presplit, whose empty lines are paragraph breaks no bead spans), then, in a free translation, a sentence left
    alone beside a pair of its paragraph (align.condensed.condensed_freely)."""
    found = condensed(alignment, encode, embedding_text)
    found = found if presplit else matched_gaps(found, encode, embedding_text)
    return condensed_freely(found, encode, embedding_text)


def drained(paragraphs: Iterable[Paragraph]) -> Iterator[Paragraph]:
    """The paragraphs in order, each let go of as soon as it is given."""
    waiting = list(paragraphs)[::-1]
    del paragraphs
    while waiting:
        yield waiting.pop()


def is_legacy_codec(encoding: str) -> bool:
    """Whether a file was decoded with a codec other than UTF-8 (worth a note); False for the formats whose
    text a reader extracts (their "encoding" is the format's name, e.g. "docx")."""
    if encoding in ("utf-8", "utf-8-sig", "ascii"):
        return False
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def bilingual_alignment(item: Input, payloads: Sequence[bytes]) -> Alignment | None:
    """The alignment an already bilingual file (XLIFF, PO, TMX) holds, or None for any other input."""
    if item.is_pair:
        return None
    reader = reader_for(item.paths[0])
    if not getattr(reader, "bilingual", False):
        return None
    return reader.alignment(reader.source(item.paths[0], payloads[0]), item.name)  # type: ignore[attr-defined]


def presplit_reader() -> PresplitReader:
    """The reader of every input with --presplit, whatever its suffix."""
    return PresplitReader()


def sources_of(item: Input, payloads: Sequence[bytes]) -> list[Source]:
    """Each file of the input as its reader decodes or extracts it."""
    return [reader_for(path).source(path, data) for path, data in zip(item.paths, payloads, strict=True)]


@dataclass(frozen=True)
class PipelineSpec:
    """What it takes to build a Pipeline anywhere, e.g. in a worker process or a Dask task (small, picklable):
    the model, the aligner's options, the cache folder (None: no cache) and the input size limit."""

    model: str = DEFAULT_MODEL
    options: AlignOptions = field(default_factory=AlignOptions)
    cache_dir: Path | None = None  # the embedding and result cache's folder; None: nothing cached
    threads: int | None = None  # BLAS threads of the default encoder (None: every core)
    max_bytes: int = DEFAULT_MAX_BYTES
    langs: tuple[str, str] = DEFAULT_LANGS
    presplit: bool = False

    def build(self) -> Pipeline:
        encoder: Encoder = encoder_for(self.model, threads=self.threads)
        languages = self.languages()
        if self.cache_dir is None:
            return Pipeline(encoder, self.options, max_bytes=self.max_bytes, **languages)
        path = cache_path(self.cache_dir)
        cached = CachedEncoder(encoder, path)
        decides = self.options if not languages else (self.options, self.langs, self.presplit)  # ru,en: as before
        model = cached.cache_name  # an st: model folder's files edited or replaced: another key, as for vectors
        finished = ResultCache(path, result_fingerprint(model, decides), cached.database)
        languages.setdefault("identifier", CachedIdentifier(connect=cached.database))  # lingua's verdicts kept too
        return Pipeline(cached, self.options, max_bytes=self.max_bytes, finished=finished, **languages)

    def languages(self) -> dict[str, Any]:
        """The Pipeline's language settings when they are not the default ru,en without --presplit."""
        if is_default(self.langs) and not self.presplit:
            return {}
        identifier = LanguageIdentifier() if is_default(self.langs) else PairIdentifier(self.langs)
        return {"langs": self.langs, "presplit": self.presplit, "identifier": identifier}
