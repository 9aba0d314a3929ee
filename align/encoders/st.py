"""Any sentence-transformers model by name or local folder (optional extra `st`: pip install 'align[st]')."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from align.encoders import Keep, ModelError, joined_runs, normalised
from align.model import Span

ST_PREFIX = "st:"
BATCH_SIZE = 64
FINGERPRINT_DIGITS = 8
# Russian sentences and their English translations: a model that aligns RU/EN texts puts each pair much closer than
# the unrelated ones (USE-multilingual: 0.76 against 0.06 on average; the English-only all-MiniLM-L6-v2: 0.02
# against -0.01).
PROBE = (
    ("Кошка спит на диване.", "The cat is sleeping on the sofa."),
    ("Вчера шёл сильный дождь.", "It rained heavily yesterday."),
    ("Мы поехали в город за продуктами.", "We went to town for groceries."),
)
PROBE_MIN_GAP = 0.3  # translations must beat unrelated pairs by this much in mean cosine, or the model is not RU/EN


@dataclass
class SentenceTransformerEncoder:
    """A SentenceTransformer on the CPU; runs of sentences are embedded as joined texts."""

    model: str
    name: str = ""
    _model: Any = field(default=None, init=False, repr=False)
    _fingerprint: str = field(default="", init=False, repr=False)

    def __post_init__(self) -> None:
        self.name = self.name or f"{ST_PREFIX}{self.model}"

    @property
    def cache_name(self) -> str:
        """The embedding cache's key: the name and the fingerprint, so edited model files are not mixed up."""
        return f"{self.name}@{self.fingerprint()}"

    def load(self) -> None:
        if self._model is None:
            self._model = load_sentence_transformer(self.model)
            gap = probe_gap(self.encode([ru for ru, _ in PROBE] + [en for _, en in PROBE]))
            if gap < PROBE_MIN_GAP:
                print(
                    f"warning: {self.name}: the model does not look multilingual (Russian sentences and their "
                    f"English translations score {gap:+.2f} above unrelated pairs, want at least {PROBE_MIN_GAP:.2f}): "
                    "few or no sentences will pair",
                    file=sys.stderr,
                )

    def encode(self, texts: list[str]) -> np.ndarray:
        self.load()
        if not texts:
            dim = self._model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        vectors = self._model.encode(texts, batch_size=BATCH_SIZE, convert_to_numpy=True, show_progress_bar=False)
        return normalised(vectors)

    def encode_with_runs(
        self, texts: list[str], runs: list[Span], keep: Keep | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        return joined_runs(self, texts, runs, keep)

    def fingerprint(self) -> str:
        """A hash of the model folder's files (path, size, modification time), or of the hub snapshot found in
        the local Hugging Face cache; computed once."""
        if not self._fingerprint:
            digest = hashlib.sha256(self.model.encode("utf-8", "surrogatepass"))
            for entry in model_files(self.model):
                digest.update(entry.encode("utf-8", "surrogatepass"))
            self._fingerprint = digest.hexdigest()[:FINGERPRINT_DIGITS]
        return self._fingerprint


def probe_gap(vectors: np.ndarray) -> float:
    """Mean cosine of the PROBE translations minus that of the unrelated RU/EN pairs, from their vectors (the
    Russian sentences first)."""
    count = len(PROBE)
    similarities = vectors[:count] @ vectors[count:].T
    translations = float(np.trace(similarities)) / count
    unrelated = (float(similarities.sum()) - translations * count) / (count * count - count)
    return translations - unrelated


def model_files(model: str) -> list[str]:
    """One line per file of the local folder `model` (or of its cached hub snapshot): path, size, mtime."""
    folder = model if os.path.isdir(model) else hub_snapshot(model)
    if not folder:
        return []
    entries = []
    for directory, subdirectories, files in os.walk(folder):
        subdirectories.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            entries.append(f"{os.path.relpath(path, folder)}\x1f{info.st_size}\x1f{info.st_mtime_ns}")
    return entries


def hub_snapshot(model: str) -> str:
    """The folder of the model's snapshot in the local Hugging Face cache ('' when there is none)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return ""
    try:
        found = try_to_load_from_cache(model, "config.json")
    except Exception:  # noqa: BLE001 - a malformed name is simply not in the cache
        return ""
    return os.path.dirname(found) if isinstance(found, str) else ""


def load_sentence_transformer(model: str) -> Any:
    """Load a SentenceTransformer on the CPU, turning every failure into a one-line ModelError."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ModelError(
            f"{ST_PREFIX}{model}: sentence-transformers is not installed (pip install 'align[st]')"
        ) from error
    try:
        with quiet_loading():
            return SentenceTransformer(model, device="cpu")
    except Exception as error:  # noqa: BLE001 - any loader failure is reported as one line
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(f"{ST_PREFIX}{model}: cannot load the model ({first_line})") from error


@contextlib.contextmanager
def quiet_loading() -> Iterator[None]:
    """transformers' and the Hugging Face hub's progress bars ("Loading weights") off while a model loads: they
    would break into align's own output. Each is restored as it was."""
    from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars
    from transformers.utils import logging as transformers_logging

    hub_was_on = not are_progress_bars_disabled()
    transformers_was_on = transformers_logging.is_progress_bar_enabled()
    disable_progress_bars()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if hub_was_on:
            enable_progress_bars()
        if transformers_was_on:
            transformers_logging.enable_progress_bar()
