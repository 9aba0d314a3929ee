"""How the embedding cache fills in what it lacks of a batch: missing texts and runs, some runs left out by a mask."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from align.encoders import Keep
from align.model import Span

if TYPE_CHECKING:
    from align.cached_encoder import CachedEncoder


def embed_missing(
    cached: CachedEncoder,
    texts: list[str],
    runs: list[Span],
    all_keys: tuple[list[bytes], list[bytes]],
    found: dict[bytes, np.ndarray],
    missing_texts: set[int],
    missing_runs: list[int],
    keep: Callable[..., np.ndarray] | None = None,
) -> None:
    """Embed the missing texts and runs (a run's texts again), store them and add them to `found`; `keep`
    (kept_missing without its last two arguments) may leave runs out: zero rows, neither stored nor found."""
    keys, run_keys = all_keys
    needed = missing_texts.union(k for r in missing_runs for k in range(*runs[r]))
    if not needed:
        return
    order = sorted(needed)
    position = {k: p for p, k in enumerate(order)}
    spans = [(position[runs[r][0]], position[runs[r][1] - 1] + 1) for r in missing_runs]
    inner = None if keep is None else functools.partial(keep, order, missing_runs)
    fresh, fresh_runs = cached.encoder.encode_with_runs([texts[k] for k in order], spans, inner)
    items = [(keys[k], vector) for k, vector in zip(order, fresh, strict=True)]
    items += [(run_keys[r], v) for r, v in zip(missing_runs, fresh_runs, strict=True) if v.any()]
    found.update(items)
    cached.store(items)


def kept_missing(
    keep: Keep,
    keys: list[bytes],
    found: dict[bytes, np.ndarray],
    order: list[int],
    missing: list[int],
    fresh: np.ndarray,
) -> np.ndarray:
    """`keep`'s mask of the missing runs, from every text's vector: found in the cache, or `fresh` (texts `order`)."""
    vectors = [found.get(key) for key in keys]
    for k, vector in zip(order, fresh, strict=True):
        vectors[k] = vector
    return np.asarray(keep(np.stack(vectors)), dtype=bool)[missing]
