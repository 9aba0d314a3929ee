"""Run the stages in order for each input: load → language → segment → embed → align (shared by every command)."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import cast

from align.align import AlignOptions, align_document, merge_runs, run_groups
from align.cache import CachedEncoder, ResultCache, cache_path, result_fingerprint
from align.embed import DEFAULT_MODEL, Encoder, encoder_for
from align.language import LanguageIdentifier
from align.load import DEFAULT_MAX_BYTES, Input, InputError, file_bytes, paragraphs, read_source, source_of
from align.model import Alignment, Document, Segment, Source, Span
from align.segment import segments_of

Notify = Callable[[str], None]
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
    """Everything a run needs: the encoder, the aligner's options and the language identifier."""

    encoder: Encoder
    options: AlignOptions = field(default_factory=AlignOptions)
    identifier: LanguageIdentifier = field(default_factory=LanguageIdentifier)
    max_bytes: int = DEFAULT_MAX_BYTES  # larger input files are refused with an InputError
    finished: ResultCache | None = None  # alignments of earlier runs, reused for unchanged inputs

    def document(self, item: Input, notify: Notify | None = None) -> Document:
        """Load, label and segment one input (raises InputError for a user's mistake)."""
        return self.document_of_sources(item, [read_source(path, self.max_bytes) for path in item.paths], notify)

    def document_of_sources(self, item: Input, sources: Sequence[Source], notify: Notify | None = None) -> Document:
        """Label and segment the already decoded files of one input (local or read from a remote store)."""
        for source in sources:
            if notify and source.encoding not in ("utf-8", "utf-8-sig", "ascii"):
                notify(f"{source.path}: decoded as {source.encoding}")
        if item.is_pair:
            ru_source, en_source = sources
            labelled = self.sentences(ru_source, side="ru") + self.sentences(en_source, side="en")
            document = Document(item.name, ru_source.path, en_source.path)
        else:
            labelled = self.sentences(sources[0], side=None)
            document = Document(item.name, sources[0].path, sources[0].path)
        document.ru = [s for s in labelled if s.lang == "ru"]
        document.en = [s for s in labelled if s.lang == "en"]
        document.other = [s for s in labelled if s.lang == "other"]
        document.encodings = {source.path: source.encoding for source in sources}
        return document

    def sentences(self, source: Source, side: str | None) -> list[Segment]:
        """The labelled sentences of one file."""
        return self.identifier.label(segments_of(paragraphs(source), source.text), side)

    def align(self, document: Document) -> Alignment:
        """Embed and align one document."""
        return self.align_all([document])[0]

    def align_all(self, documents: Sequence[Document]) -> list[Alignment]:
        """Embed the documents in one batch (fuller encoder batches than one document gives), then align each.
        Each alignment's `seconds` is its share of the encoding, by sentences, plus its own search."""
        if not documents:
            return []
        start = time.perf_counter()
        max_bead = self.options.max_bead if self.options.encode_merges else 1
        texts: list[str] = []
        runs: list[Span] = []
        layout: list[tuple[int, int, list[Span], list[Span]]] = []  # first text, first run, RU runs, EN runs
        for document in documents:
            ru_runs, en_runs = merge_runs(document.ru, max_bead), merge_runs(document.en, max_bead)
            layout.append((len(texts), len(runs), ru_runs, en_runs))
            ru_base, en_base = len(texts), len(texts) + len(document.ru)
            runs += [(a + ru_base, b + ru_base) for a, b in ru_runs] + [(a + en_base, b + en_base) for a, b in en_runs]
            texts += [s.text for s in document.ru + document.en]
        vectors, run_vectors = self.encoder.encode_with_runs(texts, runs)
        encoding = time.perf_counter() - start
        alignments = []
        for document, (first, first_run, ru_runs, en_runs) in zip(documents, layout, strict=True):
            start = time.perf_counter()
            n, m = len(document.ru), len(document.en)
            en_run = first_run + len(ru_runs)
            alignment = align_document(
                document,
                vectors[first : first + n],
                vectors[first + n : first + n + m],
                self.options,
                run_groups(ru_runs, run_vectors[first_run:en_run], n),
                run_groups(en_runs, run_vectors[en_run : en_run + len(en_runs)], m),
            )
            share = (n + m) / len(texts) if texts else 1 / len(documents)
            alignment.seconds = encoding * share + time.perf_counter() - start
            alignments.append(alignment)
        return alignments

    def results(self, inputs: Iterable[Input]) -> Iterator[tuple[Alignment | InputError, list[str]]]:
        """Each input's alignment, or the InputError that stopped it, with the notes made on the way (e.g.
        "decoded as cp1251"), in input order. Documents are embedded in batches of about BATCH_SENTENCES
        (the first document alone, so that output starts at once); an input whose files, model, options and
        code are unchanged since an earlier run is read back. Each file is read once: the cache key and the
        document come from the same bytes."""
        batch: list[Pending] = []
        sentences = 0
        loaded = started = False
        for item in inputs:
            pending = self.pending(item, load=not loaded)
            loaded = loaded or isinstance(pending.result, Document)
            batch.append(pending)
            if isinstance(pending.result, Document):
                sentences += len(pending.result.ru) + len(pending.result.en)
            waiting = any(isinstance(p.result, Document) for p in batch)
            if not waiting or sentences >= BATCH_SENTENCES or not started:
                started = started or waiting
                yield from self.aligned_batch(batch)
                batch, sentences = [], 0
        yield from self.aligned_batch(batch)

    def pending(self, item: Input, load: bool) -> Pending:
        """The input read once: its cached alignment, its document to align, or its error. `load`: this may be
        the first document to align, so start loading lingua in a thread and the encoder meanwhile."""
        notes: list[str] = []
        try:
            payloads = [file_bytes(path, self.max_bytes) for path in item.paths]
            key = self.finished.key(item, payloads) if self.finished else None
            found = self.finished.get(key) if self.finished and key else None
            if found:
                return Pending(None, *found)
            if load:
                self.identifier.preload()
                self.encoder.load()
            sources = [source_of(path, data) for path, data in zip(item.paths, payloads, strict=True)]
            return Pending(key, self.document_of_sources(item, sources, notes.append), notes)
        except InputError as error:
            return Pending(None, error, notes)

    def aligned_batch(self, batch: list[Pending]) -> Iterator[tuple[Alignment | InputError, list[str]]]:
        """The batch's results, its documents aligned together (and remembered for the next run)."""
        alignments = iter(self.align_all([p.result for p in batch if isinstance(p.result, Document)]))
        for pending in batch:
            result = next(alignments) if isinstance(pending.result, Document) else pending.result
            if self.finished and pending.key and isinstance(result, Alignment):
                self.finished.put(pending.key, result, pending.notes)
            yield result, pending.notes

    def run(self, inputs: Sequence[Input]) -> Iterator[Alignment | InputError]:
        """Align every input in turn; a bad input yields its InputError and the others go on."""
        for result, _ in self.results(inputs):
            yield result

    def result(self, item: Input, notify: Notify | None = None) -> Alignment | InputError:
        """The alignment of one input, or the InputError that stopped it."""
        try:
            document = self.document(item, notify)
        except InputError as error:
            return error
        return self.align(document)


@dataclass(frozen=True)
class PipelineSpec:
    """What it takes to build a Pipeline anywhere, e.g. in a worker process: a model name, options, caching."""

    model: str = DEFAULT_MODEL
    options: AlignOptions = field(default_factory=AlignOptions)
    cache: bool = True
    threads: int | None = None  # BLAS threads of the default encoder (None: every core)
    max_bytes: int = DEFAULT_MAX_BYTES

    def build(self) -> Pipeline:
        encoder: Encoder = encoder_for(self.model, threads=self.threads)
        if not self.cache:
            return Pipeline(encoder, self.options, max_bytes=self.max_bytes)
        cached = CachedEncoder(encoder, cache_path())
        finished = ResultCache(cache_path(), result_fingerprint(self.model, self.options), cached.database)
        return Pipeline(cached, self.options, max_bytes=self.max_bytes, finished=finished)


def run_in_processes(
    spec: PipelineSpec, inputs: Sequence[Input], jobs: int
) -> Iterator[tuple[Alignment | InputError, list[str]]]:
    """Align the inputs in `jobs` worker processes (each loads the encoder once), yielding in input order
    each result with the notes (e.g. "decoded as cp1251") produced on the way. Each task is a chunk of a
    few inputs, so a worker embeds them in one batch; there are several chunks per worker for balance."""
    threads = max(1, (os.cpu_count() or 1) // jobs)
    worker_spec = replace(spec, threads=threads)
    size = max(1, min(16, len(inputs) // (4 * jobs)))
    chunks = [list(inputs[k : k + size]) for k in range(0, len(inputs), size)]
    context = multiprocessing.get_context("spawn")  # fork would copy BLAS thread pools and sqlite handles
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=start_worker, initargs=(worker_spec,)) as pool:
        for results in pool.map(worker_results, chunks):
            yield from results


_worker: dict[str, object] = {}  # this worker process's pipeline and BLAS limit (set once by start_worker)


def start_worker(spec: PipelineSpec) -> None:
    """Process-pool initializer: build this worker's pipeline once, and hold every BLAS pool of the process to
    its share of the cores (numpy outside the encoder would otherwise start a thread per core in each worker,
    and their OpenBLAS threads spinning against each other made two jobs slower than one)."""
    from threadpoolctl import threadpool_limits

    _worker["blas"] = threadpool_limits(limits=spec.threads)
    _worker["pipeline"] = spec.build()


def worker_results(items: list[Input]) -> list[tuple[Alignment | InputError, list[str]]]:
    pipeline = cast(Pipeline, _worker["pipeline"])
    return list(pipeline.results(items))
