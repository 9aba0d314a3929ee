"""Run the stages in order for each input: load → language → segment → embed → align (shared by every command)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from align.align import AlignOptions, align_document
from align.embed import Encoder
from align.language import LanguageIdentifier
from align.load import Input, InputError, paragraphs, read_source
from align.model import Alignment, Document, Segment, Source
from align.segment import segments_of

Notify = Callable[[str], None]


@dataclass
class Pipeline:
    """Everything a run needs: the encoder, the aligner's options and the language identifier."""

    encoder: Encoder
    options: AlignOptions = field(default_factory=AlignOptions)
    identifier: LanguageIdentifier = field(default_factory=LanguageIdentifier)

    def document(self, item: Input, notify: Notify | None = None) -> Document:
        """Load, label and segment one input (raises InputError for a user's mistake)."""
        sources = [read_source(path) for path in item.paths]
        for source in sources:
            if notify and source.encoding not in ("utf-8", "utf-8-sig", "ascii"):
                notify(f"{source.path}: decoded as {source.encoding}")
        if item.is_pair:
            ru_source, en_source = sources
            ru = self.sentences(ru_source, side="ru")
            en = self.sentences(en_source, side="en")
            labelled = ru + en
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
        vectors = self.encoder.encode([s.text for s in document.ru + document.en])
        ru_vecs = vectors[: len(document.ru)]
        en_vecs = vectors[len(document.ru) :]
        if not len(vectors):
            ru_vecs = en_vecs = np.zeros((0, 1), dtype=np.float32)
        alignment = align_document(document, ru_vecs, en_vecs, self.options, self.encoder.encode)
        alignment.seconds = time.perf_counter() - start
        return alignment

    def run(self, inputs: Sequence[Input], notify: Notify | None = None) -> Iterator[Alignment | InputError]:
        """Align every input in turn; a bad input yields its InputError and the others go on."""
        for item in inputs:
            try:
                document = self.document(item, notify)
            except InputError as error:
                yield error
                continue
            yield self.align(document)
