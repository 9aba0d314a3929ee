"""A persistent embedding cache in SQLite, keyed by model name and text hash, safe for concurrent runs."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from align.embed import Encoder, Span

SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key BLOB, vector BLOB, PRIMARY KEY (model, key))"


def default_cache_dir() -> Path:
    """$ALIGN_CACHE_DIR, else the user cache directory of the platform."""
    if os.environ.get("ALIGN_CACHE_DIR"):
        return Path(os.environ["ALIGN_CACHE_DIR"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("align", appauthor=False))


def text_key(text: str) -> bytes:
    """A 16-byte digest of the text."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def open_database(path: Path) -> sqlite3.Connection:
    """Open (or rebuild, if it is corrupt) the cache database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return checked_connection(path)
    except sqlite3.DatabaseError:
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        return checked_connection(path)


def checked_connection(path: Path) -> sqlite3.Connection:
    """A connection to a database that passed SQLite's quick integrity check."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError(f"{path}: integrity check failed")
        connection.execute(SCHEMA)
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection


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

    def database(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_database(self.path)
        return self._db

    def encode(self, texts: list[str]) -> np.ndarray:
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

    def encode_with_runs(self, texts: list[str], runs: list[Span]) -> tuple[np.ndarray, np.ndarray]:
        """Like encode, for texts and runs of them; a missing run re-encodes just the sentences it spans."""
        if not texts:
            return self.encoder.encode_with_runs([], [])
        keys = [text_key(text) for text in texts]
        run_keys = [text_key(" ".join(texts[start:stop])) for start, stop in runs]
        found = self.lookup(keys + run_keys)
        missing_runs = [r for r, key in enumerate(run_keys) if key not in found]
        needed = {k for k, key in enumerate(keys) if key not in found}
        needed.update(k for r in missing_runs for k in range(*runs[r]))
        misses = sum(key not in found for key in keys) + len(missing_runs)
        self.misses += misses
        self.hits += len(keys) + len(run_keys) - misses
        if needed:
            order = sorted(needed)
            position = {k: p for p, k in enumerate(order)}
            spans = [(position[runs[r][0]], position[runs[r][1] - 1] + 1) for r in missing_runs]
            fresh, fresh_runs = self.encoder.encode_with_runs([texts[k] for k in order], spans)
            items = [(keys[k], vector) for k, vector in zip(order, fresh, strict=True)]
            items += [(run_keys[r], vector) for r, vector in zip(missing_runs, fresh_runs, strict=True)]
            found.update(items)
            self.store(items)
        vectors = np.stack([found[key] for key in keys]).astype(np.float32)
        dim = vectors.shape[1]
        run_vectors = np.stack([found[key] for key in run_keys]).astype(np.float32) if runs else np.zeros((0, dim))
        return vectors, run_vectors.astype(np.float32)

    def lookup(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        """Cached vectors for those keys that have one."""
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.database().execute(
                f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})", [self.name, *chunk]
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def store(self, items: list[tuple[bytes, np.ndarray]]) -> None:
        """Save new vectors in one transaction."""
        db = self.database()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT OR IGNORE INTO vectors (model, key, vector) VALUES (?, ?, ?)",
                [(self.name, key, np.asarray(vector, dtype=np.float32).tobytes()) for key, vector in items],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def cache_path(directory: Path | None = None) -> Path:
    """The cache database file."""
    return (directory or default_cache_dir()) / "embeddings.sqlite3"


def cache_info(path: Path) -> dict[str, object]:
    """Size and number of vectors per model of the cache at `path`."""
    if not path.exists():
        return {"path": str(path), "bytes": 0, "models": {}}
    db = open_database(path)
    try:
        models = dict(db.execute("SELECT model, COUNT(*) FROM vectors GROUP BY model").fetchall())
    finally:
        db.close()
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return {"path": str(path), "bytes": size, "models": models}


def clear_cache(path: Path) -> None:
    """Delete the cache database and its journal files."""
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink(missing_ok=True)
