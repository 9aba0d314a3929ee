"""The embedding cache's encoder: wraps an encoder, reading back the vectors of texts it embedded before.

numpy is imported where vectors are made, as in align.encoders: a re-run whose every result is cached builds this
wrapper but embeds nothing, and imports no numpy."""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from align.cache import SQL_VARIABLES, closed, open_database, text_key, transaction
from align.encoders import Encoder, Keep
from align.model import Span

if TYPE_CHECKING:
    import numpy as np


@dataclass
class CachedEncoder:
    """Wraps an encoder; vectors already computed for the same model and text are read back, not recomputed."""

    encoder: Encoder
    path: Path
    hits: int = 0
    misses: int = 0
    _db: sqlite3.Connection | None = field(default=None, init=False, repr=False)

    @property
    def name(self) -> str:
        return self.encoder.name

    @property
    def cache_name(self) -> str:
        """The key vectors are stored under: the encoder's `cache_name`, or its `name` if it has none."""
        return getattr(self.encoder, "cache_name", self.encoder.name)

    def fingerprint(self) -> str:
        return self.encoder.fingerprint()

    def database(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_database(self.path)
        return self._db

    def close(self) -> None:
        """Close the connection the one clean way every command closes the cache (`closed`: the log emptied into
        the file, the file's state noted, so that the next open skips SQLite's quick_check); a later use opens it
        again."""
        if self._db is not None:
            db, self._db = self._db, None
            closed(db, self.path)

    def load(self) -> None:
        self.encoder.load()

    def encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        if not texts:
            return self.encoder.encode([])
        keys = [text_key(text) for text in texts]
        found = self.lookup(keys)
        todo = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
        self.hits += len(texts) - sum(key not in found for key in keys)
        self.misses += len(todo)
        if todo:
            fresh = self.encoder.encode(list(todo.values()))
            found.update(zip(todo, fresh, strict=True))
            self.store(list(zip(todo, fresh, strict=True)))
        return np.stack([found[key] for key in keys]).astype(np.float32)

    def encode_with_runs(
        self, texts: list[str], runs: list[Span], keep: Keep | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Like encode, for texts and runs of them; a missing run re-encodes just the sentences it spans. `keep`
        sees every text's vector, found or fresh: a missing run through a missing text is embedded if it keeps it
        (in the same batch as the text), a missing run of found texts (one left out before) only if it keeps it
        now; a run left out comes back a zero row and is not stored."""
        import numpy as np

        from align.cached_runs import embed_missing, kept_missing

        if not texts:
            return self.encoder.encode_with_runs([], [])
        keys = [text_key(text) for text in texts]
        run_keys = [text_key(" ".join(texts[start:stop])) for start, stop in runs]
        found = self.lookup(keys + run_keys)
        missing_texts = {k for k, key in enumerate(keys) if key not in found}
        missing_runs = [r for r, key in enumerate(run_keys) if key not in found]
        misses = len(missing_texts) + len(missing_runs)
        self.misses += misses
        self.hits += len(keys) + len(run_keys) - misses
        if keep is None:
            embed_missing(self, texts, runs, (keys, run_keys), found, missing_texts, missing_runs)
        else:
            through = [r for r in missing_runs if missing_texts.intersection(range(*runs[r]))]
            inner = functools.partial(kept_missing, keep, keys, found)
            embed_missing(self, texts, runs, (keys, run_keys), found, missing_texts, through, inner)
            left = sorted(set(missing_runs) - set(through))
            if left:
                mask = np.asarray(keep(np.stack([found[key] for key in keys])), dtype=bool)
                embed_missing(self, texts, runs, (keys, run_keys), found, set(), [r for r in left if mask[r]])
        vectors = np.stack([found[key] for key in keys]).astype(np.float32, copy=False)
        if not runs:
            return vectors, np.zeros((0, vectors.shape[1]), dtype=np.float32)
        unembedded = np.zeros(vectors.shape[1], dtype=np.float32)
        return vectors, np.stack([found.get(key, unembedded) for key in run_keys]).astype(np.float32, copy=False)

    def lookup(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        """Cached vectors for those keys that have one."""
        import numpy as np

        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), SQL_VARIABLES):
            chunk = unique[start : start + SQL_VARIABLES]
            marks = ",".join("?" * len(chunk))
            rows = self.database().execute(
                f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})", [self.cache_name, *chunk]
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def store(self, items: list[tuple[bytes, np.ndarray]]) -> None:
        """Save new vectors in one transaction."""
        import numpy as np

        db = self.database()
        with transaction(db):
            db.executemany(
                "INSERT OR IGNORE INTO vectors (model, key, vector) VALUES (?, ?, ?)",
                [(self.cache_name, key, np.asarray(vector, dtype=np.float32).tobytes()) for key, vector in items],
            )
