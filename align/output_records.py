"""Output files a re-run leaves alone: per file, the key of what its text is made from and its state once written.

A re-run on unchanged inputs reads every alignment back from the result cache, but rendering each document's
JSONL, TMX or CSV again only to find the file already holds it was most of its time. So each output file written
is recorded, per output folder in the cache database, with a key (the alignment's digest, the writer, everything
in the WriteContext and align's code) and the file's state after writing (align.files.written_state: device,
inode, size, modification and change time). A later run whose key for that file is the same, and finds the file
in the same state, leaves it alone without rendering it. Any write to the file moves its change time, which no
program can set back, so an edited, replaced or deleted output is always written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from align.cache import cache_path, closed, code_digest, dependency_versions, looked_up, open_database, stored
from align.files import written_state
from align.stored import digest_of

if TYPE_CHECKING:
    from align.model import Alignment
    from align.writers import WriteContext

OUTPUTS_TABLE = "outputs"
OUTPUTS_SCHEMA = f"CREATE TABLE IF NOT EXISTS {OUTPUTS_TABLE} (key BLOB PRIMARY KEY, record BLOB)"
KEY_BYTES = 16
Records = dict[str, list]  # output file name -> [key (hex), written_state of the file]


def context_key(context: WriteContext, dated: bool = True) -> bytes:
    """A digest of everything a writer reads besides the alignments, of align's code and its dependencies'
    versions; the creation date only when `dated` (the writer's attribute: whether it writes the date)."""
    signature = context.signature.as_dict() if context.signature is not None else None
    settings = [
        context.version,
        context.creation_date if dated else None,
        signature,
        context.excel_safe,
        context.plain,
        list(context.langs),
        context.presplit,
        None if context.findings is None else [repr(finding) for finding in context.findings],
    ]
    digest = hashlib.blake2b(json.dumps(settings, sort_keys=True).encode(), digest_size=KEY_BYTES)
    digest.update(code_digest())
    digest.update(dependency_versions())  # jinja2 renders the report
    return digest.digest()


def writer_context_key(context: WriteContext, writer: object) -> bytes:
    """context_key as `writer` reads the context (dated unless it says it is not)."""
    return context_key(context, getattr(writer, "dated", True))


def document_key(alignment: Alignment, writer: str, context: bytes) -> str:
    """The key of one document's file of the format `writer`."""
    return hashlib.blake2b(digest_of(alignment) + writer.encode() + context, digest_size=KEY_BYTES).hexdigest()


def corpus_key(alignments: Iterable[Alignment], writer: str, context: bytes) -> str:
    """The key of the whole run's file of the format `writer`: every alignment's digest, in order."""
    digest = hashlib.blake2b(writer.encode() + context, digest_size=KEY_BYTES)
    for alignment in alignments:
        digest.update(digest_of(alignment))
    return digest.hexdigest()


def still_holds(records: Mapping[str, list], path: Path, key: str) -> bool:
    """Whether `path` is as it was when a text made from `key` was written to it (then it holds that text)."""
    recorded = records.get(path.name)
    if recorded is None or recorded[0] != key:
        return False
    try:
        return recorded[1] == written_state(path)
    except OSError:
        return False


def record_of(path: Path, key: str) -> list:
    """What to record of `path` just written from `key`."""
    return [key, written_state(path)]


def folder_key(out: Path) -> bytes:
    """The database key of an output folder's records."""
    return hashlib.blake2b(b"outputs\x1f" + os.fsencode(os.path.abspath(out)), digest_size=KEY_BYTES).digest()


def read_records(cache_dir: Path | None, out: Path) -> Records:
    """The records of the files last written to `out`; none without a cache or when they cannot be read."""
    if cache_dir is None:
        return {}
    try:
        with records_database(cache_dir) as db:
            found = looked_up(db, OUTPUTS_TABLE, [folder_key(out)])
        records = json.loads(next(iter(found.values()), b"{}"))
    except (sqlite3.Error, OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def save_records(cache_dir: Path | None, out: Path, records: Records) -> None:
    """Store the records of `out` (a failure only means the next run renders its files again)."""
    if cache_dir is None:
        return
    with contextlib.suppress(sqlite3.Error, OSError), records_database(cache_dir) as db:
        stored(db, OUTPUTS_TABLE, [(folder_key(out), json.dumps(records).encode())], replace=True)


@contextlib.contextmanager
def records_database(cache_dir: Path) -> Iterator[sqlite3.Connection]:
    """The cache database with the records' table, closed as align.cache.closed closes it (noted as left, so
    that the next open skips SQLite's integrity check)."""
    path = cache_path(cache_dir)
    db = open_database(path)
    try:
        db.execute(OUTPUTS_SCHEMA)
        yield db
    finally:
        closed(db, path)
