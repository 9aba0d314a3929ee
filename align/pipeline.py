"""The stages in order for each input: read → segment → language → embed → align (every engine runs this)."""

from __future__ import annotations

import codecs
import contextlib
import functools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.cache import CachedIdentifier, ResultCache, cache_path, result_fingerprint
from align.cached_encoder import CachedEncoder
from align.encoders import DEFAULT_MODEL, Encoder, encoder_for
from align.language import LanguageIdentifier
from align.languages import DEFAULT_LANGS, is_default, paragraph_language
from align.load import DEFAULT_MAX_BYTES, STDIN, Input, InputError, file_bytes
from align.model import Alignment, Bead, Document, Paragraph, Segment, Source
from align.options import WINDOW_SENTENCES, AlignOptions
from align.pair_language import PairIdentifier
from align.placement import with_other_segments
from align.readers import reader_for
from align.readers.presplit import PresplitReader
from align.unit_text import labelled

if TYPE_CHECKING:
    from align.aligner import Aligner

Notify = Callable[[str], None]
ReadBytes = Callable[[str, int], bytes]  # (path, max_bytes) -> the file's bytes: local files, or fsspec URLs
Result = tuple[Alignment | InputError, list[str]]  # an alignment or the error that stopped it, and notes
BATCH_SENTENCES = 2000  # documents are embedded together until they hold this many sentences
LOOK_AHEAD_MAX_BYTES = 64 * 2**20  # local inputs of at most this many bytes in all are read ahead and looked up in the
# result cache before the first is aligned (Pipeline.read_ahead); larger ones are not held at once: the encoder loads


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

    def results(
        self, inputs: Iterable[Input], read: ReadBytes = file_bytes, look: LookAhead | None = None
    ) -> Iterator[Result]:
        """Each input's alignment, or the InputError that stopped it, with the notes made on the way (e.g.
        "decoded as cp1251"), in input order. Documents are embedded in batches of about BATCH_SENTENCES
        (the first document alone, so that output starts at once); an input whose files, model, options and
        code are unchanged since an earlier run is read back. Each file is read once: the cache key and the
        document come from the same bytes. A list of small local inputs is read before the first is handled
        (look_ahead; `look`: that done already), so that the encoder starts loading at once if one of them will be
        aligned, and not at all if none will; streamed inputs are not."""
        listed = inputs if isinstance(inputs, Sequence) else None
        look = look or (self.look_ahead(listed, read) if listed is not None else None)
        if look is None or look.to_align:
            self.identifier.preload()  # an input will be aligned: start loading now, while the first ones are read
            self.encoder.load()
        ahead, keys = (look.ahead, look.keys) if look else (None, None)
        if ahead:
            read = handed_over(ahead, read)
        batch: list[Pending] = []
        sentences = 0
        loaded = started = False
        for item in inputs:
            pending = self._pending(item, read, load=not loaded, key=ahead_key(item, keys, ahead))
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

    def look_ahead(self, inputs: Sequence[Input], read: ReadBytes = file_bytes) -> LookAhead:
        """The inputs read ahead (read_ahead) and looked up in the result cache: which of them are left to align
        (every one when they are not read ahead; none when the cache holds each readable one's alignment)."""
        ahead = self.read_ahead(inputs, read)
        if ahead is None or self.finished is None:
            return LookAhead(None, {}, list(inputs))
        keys = self.keys_ahead(inputs, ahead)
        held = self.finished.held(list(keys.values()))
        return LookAhead(ahead, keys, [item for item, key in keys.items() if key not in held])

    def read_ahead(self, inputs: Sequence[Input], read: ReadBytes = file_bytes) -> dict[str, bytes] | None:
        """The bytes of every readable file of the inputs, if there is a result cache to look them up in and they
        are local files of at most LOOK_AHEAD_MAX_BYTES in all (a cached re-run then never loads the encoder,
        whose load would be most of its time); None otherwise (standard input, fsspec URLs, large inputs)."""
        if self.finished is None or read is not file_bytes:
            return None
        paths = list(dict.fromkeys(path for item in inputs for path in item.paths))
        if STDIN in paths or sum(map(size_or_nothing, paths)) > LOOK_AHEAD_MAX_BYTES:
            return None
        ahead = {}
        for path in paths:
            with contextlib.suppress(InputError):  # read again in turn, and reported then
                ahead[path] = read(path, self.max_bytes)
        return ahead

    def keys_ahead(self, inputs: Sequence[Input], ahead: dict[str, bytes]) -> dict[Input, bytes]:
        """The result key of every input whose files were all read ahead (computed once: _pending takes it)."""
        assert self.finished is not None
        readable = [item for item in inputs if all(path in ahead for path in item.paths)]
        return {item: self.finished.key(item, [ahead[path] for path in item.paths]) for item in readable}

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
        return self.aligner().aligned([document])[0]

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
        """The labelled sentences of one file, its paragraphs found by the reader of its format (the splitters are
        imported here: a run whose every result is cached segments nothing)."""
        from align.segment import segments_of

        reader = presplit_reader() if self.presplit else reader_for(source.path)
        paragraphs = drained(reader.paragraphs(source))  # each paragraph's copy of its text goes once it is split
        if is_default(self.langs):
            return labelled(self.identifier, segments_of(paragraphs, source.text), side)
        language = functools.partial(paragraph_language, side=side, langs=self.langs)  # each paragraph's splitter
        return labelled(self.identifier, segments_of(paragraphs, source.text, language), side)

    def aligner(self) -> Aligner:
        """The embed and align stages on this pipeline's encoder and options (align.aligner, imported now: a run
        whose every result is cached imports neither it nor numpy)."""
        from align.aligner import Aligner

        return Aligner(self.encoder, self.options, self.window, self.presplit)

    def _align_all(self, documents: Sequence[Document]) -> list[Alignment]:
        """The documents embedded and aligned, in order (none: nothing imported)."""
        return self.aligner().aligned(documents) if documents else []

    def _pending(self, item: Input, read: ReadBytes, load: bool, key: bytes | None = None) -> Pending:
        """The input read once: its cached alignment, its document to align, or its error. `load`: this may be
        the first document to align, so start loading lingua in a thread and the encoder meanwhile. `key`: its
        result key, when keys_ahead made it from the same bytes."""
        notes: list[str] = []
        try:
            payloads = [read(path, self.max_bytes) for path in item.paths]
            if key is None and self.finished:
                key = self.finished.key(item, payloads)
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


@dataclass
class LookAhead:
    """What Pipeline.look_ahead found before the first input is handled."""

    ahead: dict[str, bytes] | None  # the files read ahead; None when not read ahead (then every input is to align)
    keys: dict[Input, bytes]  # the result key of each input whose files were all read ahead
    to_align: list[Input]  # the inputs whose alignment the result cache does not hold, in order

    def bytes_of(self, item: Input) -> int:
        """The bytes of an input's files (those read ahead, or their sizes on disk)."""
        ahead = self.ahead or {}
        return sum(len(ahead[path]) if path in ahead else size_or_nothing(path) for path in item.paths)


def ahead_key(item: Input, keys: dict[Input, bytes] | None, ahead: dict[str, bytes] | None) -> bytes | None:
    """The input's result key made by keys_ahead, if the bytes it was made from are those it will be read as
    (every one of its files still waiting in `ahead`: a file named by two inputs is served once, then read again)."""
    if not keys or ahead is None or item not in keys or not all(path in ahead for path in item.paths):
        return None
    return keys[item]


def handed_over(ahead: dict[str, bytes], read: ReadBytes) -> ReadBytes:
    """`read`, serving each file read ahead from `ahead` once (and letting go of its bytes)."""

    def read_once(path: str, max_bytes: int) -> bytes:
        found = ahead.pop(path, None)
        return found if found is not None else read(path, max_bytes)

    return read_once


def size_or_nothing(path: str) -> int:
    """A file's size in bytes; 0 for one that cannot be found (reading it is an InputError, aligned never)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


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
