"""Sentence encoders as plugins: the `Encoder` protocol, and a registry of name -> "module:Class", imported lazily.

`--model use` (the default, USE-multilingual v3 in numpy) and `--model st:NAME_OR_FOLDER` (any
sentence-transformers model, extra `st`). Adding an encoder is one new module here and one registry line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from align.model import Span

if TYPE_CHECKING:  # numpy is imported where vectors are made: align.cli starts an encoder's load before importing it
    import numpy as np

DEFAULT_MODEL = "use"
# --model value (or prefix ending in ":") -> "module:Class"; a prefixed class is built with the rest of the value.
REGISTRY: dict[str, str] = {
    "use": "align.encoders.use:UseEncoder",
    "use-m3": "align.encoders.use:UseEncoder",
    "use-multilingual-v3": "align.encoders.use:UseEncoder",
    "st:": "align.encoders.st:SentenceTransformerEncoder",
}
Keep = Callable[["np.ndarray"], "np.ndarray"]  # the texts' vectors -> a mask of the runs worth embedding
MIN_NORM = 1e-12  # rows shorter than this are zero vectors: left as they are instead of divided by ~0


class ModelError(Exception):
    """The requested model cannot be loaded (a user's mistake: wrong name, missing extra, no weights)."""


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str  # shown in outputs and signatures, e.g. "use-multilingual-v3"
    cache_name: str  # what the embedding cache keys vectors by (changes when the weights do)

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def load(self) -> None:
        """Load the model now (encoding loads it anyway), e.g. while something else loads in a thread."""
        ...

    def encode_with_runs(
        self, texts: list[str], runs: list[Span], keep: Keep | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of the texts, and of each run of them joined by spaces; given `keep`, a run it leaves out of
        its mask (called with the texts' vectors) may be left unembedded, a zero row (align.run_choice)."""
        ...

    def fingerprint(self) -> str:
        """A short hash that changes when the model's weights (or the package that holds them) change."""
        ...


def joined_runs(
    encoder: Encoder, texts: list[str], runs: list[Span], keep: Keep | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """encode_with_runs for any encoder: the runs are embedded as joined texts, in the same batch (given `keep`,
    only those it keeps, once the sentences are embedded)."""
    import numpy as np

    if keep is None:
        vectors = encoder.encode(list(texts) + [" ".join(texts[start:stop]) for start, stop in runs])
        return vectors[: len(texts)], vectors[len(texts) :]
    vectors = encoder.encode(list(texts))
    mask = np.asarray(keep(vectors), dtype=bool)
    run_vectors = np.zeros((len(runs), vectors.shape[1]), dtype=np.float32)
    chosen = [" ".join(texts[start:stop]) for (start, stop), kept in zip(runs, mask, strict=True) if kept]
    if chosen:
        run_vectors[mask] = encoder.encode(chosen)
    return vectors, run_vectors


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    import numpy as np

    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, MIN_NORM)


def names() -> list[str]:
    """The --model values the registry knows ("st:" takes a model name or folder after it)."""
    return list(REGISTRY)


def encoder_for(spec: str = DEFAULT_MODEL, threads: int | None = None) -> Encoder:
    """The encoder a `--model` value names: "use" (default) or "st:NAME_OR_PATH"; ModelError otherwise."""
    if spec in REGISTRY and not spec.endswith(":"):
        return loaded_class(REGISTRY[spec])(threads=threads) if threads else loaded_class(REGISTRY[spec])()
    for prefix, target in REGISTRY.items():
        if prefix.endswith(":") and spec.startswith(prefix) and len(spec) > len(prefix):
            return loaded_class(target)(spec[len(prefix) :])
    raise ModelError(f"{spec}: unknown model (use 'use' or 'st:NAME_OR_PATH')")


def start_loading(spec: str) -> None:
    """Start now, in a thread, what building the encoder `spec` names can load before the caller's imports: the
    default encoder's piece model (align.encoders.pieces); nothing for another model."""
    if spec in REGISTRY and REGISTRY[spec] == REGISTRY[DEFAULT_MODEL]:
        from align.encoders import pieces

        pieces.start()


def loaded_class(target: str) -> type:
    """The class a registry entry "module:Class" names, imported now."""
    from align.plugins import loaded

    return loaded(target)
