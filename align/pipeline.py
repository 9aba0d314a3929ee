"""Run the stages in order for each input: load → language → segment → embed → align (shared by every command)."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from align.align import AlignOptions, align_document, merge_runs, run_groups
from align.cache import CachedEncoder, cache_path
from align.embed import DEFAULT_MODEL, Encoder, encoder_for
from align.language import LanguageIdentifier
from align.load import DEFAULT_MAX_BYTES, Input, InputError, paragraphs, read_source
from align.model import Alignment, Document, Segment, Source
from align.segment import segments_of

Notify = Callable[[str], None]


@dataclass
class Pipeline:
    """Everything a run needs: the encoder, the aligner's options and the language identifier."""

    encoder: Encoder
    options: AlignOptions = field(default_factory=AlignOptions)
    identifier: LanguageIdentifier = field(default_factory=LanguageIdentifier)
    max_bytes: int = DEFAULT_MAX_BYTES  # larger input files are refused with an InputError

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
        start = time.perf_counter()
        max_bead = self.options.max_bead if self.options.encode_merges else 1
        ru_runs, en_runs = merge_runs(document.ru, max_bead), merge_runs(document.en, max_bead)
        n = len(document.ru)
        runs = ru_runs + [(first + n, stop + n) for first, stop in en_runs]
        vectors, run_vectors = self.encoder.encode_with_runs([s.text for s in document.ru + document.en], runs)
        if not len(vectors):
            vectors = np.zeros((0, 1), dtype=np.float32)
        alignment = align_document(
            document,
            vectors[:n],
            vectors[n:],
            self.options,
            run_groups(ru_runs, run_vectors[: len(ru_runs)], n),
            run_groups(en_runs, run_vectors[len(ru_runs) :], len(document.en)),
        )
        alignment.seconds = time.perf_counter() - start
        return alignment

    def run(self, inputs: Sequence[Input], notify: Notify | None = None) -> Iterator[Alignment | InputError]:
        """Align every input in turn; a bad input yields its InputError and the others go on."""
        for item in inputs:
            yield self.result(item, notify)

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
        if self.cache:
            encoder = CachedEncoder(encoder, cache_path())
        return Pipeline(encoder, self.options, max_bytes=self.max_bytes)


def run_in_processes(
    spec: PipelineSpec, inputs: Sequence[Input], jobs: int
) -> Iterator[tuple[Alignment | InputError, list[str]]]:
    """Align the inputs in `jobs` worker processes (each loads the encoder once), yielding in input order
    each result with the notes (e.g. "decoded as cp1251") produced on the way."""
    threads = max(1, (os.cpu_count() or 1) // jobs)
    worker_spec = replace(spec, threads=threads)
    context = multiprocessing.get_context("spawn")  # fork would copy BLAS thread pools and sqlite handles
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=start_worker, initargs=(worker_spec,)) as pool:
        yield from pool.map(worker_result, inputs, chunksize=1)


_worker: dict[str, Pipeline] = {}  # the pipeline of this worker process (set once by start_worker)


def start_worker(spec: PipelineSpec) -> None:
    """Process-pool initializer: build this worker's pipeline once."""
    _worker["pipeline"] = spec.build()


def worker_result(item: Input) -> tuple[Alignment | InputError, list[str]]:
    notes: list[str] = []
    return _worker["pipeline"].result(item, notes.append), notes
