"""`align check`'s findings read back from the cache: per document, and across documents, when nothing they
depend on changed (a pre-commit hook or a CI job re-checking a docs tree where one page was edited).

A document's findings of the per-document rules are stored under a digest of its alignment (every sentence with
its place, language and text, and the beads) and of the check's settings, align's code and its dependencies'
versions; the cross-document rules' findings under the digests of every document checked together, and each
document's part of them (align.checks.Rule.summary: its paired texts, for the consistency rules) under its
digest, so that a tree with one page edited judges them again without decoding the unchanged pages' beads.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import fields, replace
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from align.cache import (
    SQL_VARIABLES,
    SYNCHRONOUS,
    cache_path,
    closed,
    distrusted,
    looked_up,
    result_fingerprint,
    stored,
    transaction,
)
from align.model import Alignment, Finding
from align.plugins import loaded
from align.stored import DIGEST_BYTES, digest_of
from align.summary_index import DamagedRows, IndexedParts, forgotten

if TYPE_CHECKING:
    from align.checks.options import CheckOptions
    from align.runner import RunResult

FINDINGS_SCHEMA = "CREATE TABLE IF NOT EXISTS findings (key BLOB PRIMARY KEY, record BLOB)"
T = TypeVar("T")
BUSY_SECONDS = 30  # how long to wait for another run's write, as the embedding cache does
INDEXED_FIELDS = 2  # the row fields align.summary_index indexes: the two a rule groups by
# the day each record was last read or written by a check: a record (and its part's indexed rows) that no check
# has used for KEEP_DAYS days is deleted, so that the old versions of pages edited since do not pile up for ever
USED_TABLE = "findings_used"
USED_SCHEMA = f"CREATE TABLE IF NOT EXISTS {USED_TABLE} (key BLOB PRIMARY KEY, day INTEGER) WITHOUT ROWID"
USED_INDEX = f"CREATE INDEX IF NOT EXISTS {USED_TABLE}_by_day ON {USED_TABLE} (day)"
KEEP_DAYS = 30
WHOLE_PARTS, INDEXED_PARTS = b"summary", b"summary-rows"  # the kinds of a document's part of the cross-document rules
SECONDS_A_DAY = 86_400


def run_findings(result: RunResult, options: CheckOptions) -> list[Finding]:
    """Every finding of the run's alignments (align.checks.findings), through the cache unless the run had it
    off; a cache that cannot be read or written means computing them all."""
    from align.checks import findings

    request = result.request
    if not request.cache:
        return findings(result.alignments, options)
    path = cache_path(request.cache_dir)
    try:
        return cached_findings(result.alignments, options, path)
    except sqlite3.Error:
        distrusted(path)  # its close noted the file: the next open checks it all the same
        return findings(result.alignments, options)


def cached_findings(alignments: list[Alignment], options: CheckOptions, path: Path) -> list[Finding]:
    """align.checks.findings(alignments, options), each document's and the cross-document findings read back
    when stored before, computed and stored otherwise."""
    from align.checks import RULES, sorted_findings

    salt = result_fingerprint("findings", judged(options))
    digests = [digest_of(alignment) for alignment in alignments]  # a stored alignment's, without decoding it
    keys = [keyed(salt, digest) for digest in digests]
    together = keyed(salt, b"all", *digests)
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)  # the run checked this file just now
    try:
        db.execute(SYNCHRONOUS)
        db.execute(FINDINGS_SCHEMA)
        day = today()
        with_use_recorded(db, day)
        records = looked_up(db, "findings", [*keys, together])
        found: list[Finding] = []
        new: dict[bytes, bytes] = {}
        per_document = []  # the rules' functions, imported only when a document is not in the cache
        for alignment, key in zip(alignments, keys, strict=True):
            mine = read_back(records, key, findings_of_record)
            if mine is not None:
                found += mine
                continue
            per_document = per_document or [rule.load() for rule in RULES.values() if rule.per_document]
            mine = [finding for function in per_document for finding in function(alignment, options)]
            new[key] = record_of_findings(mine)
            found += mine
        across = read_back(records, together, findings_of_record)
        if across is not None:
            found += across
        else:
            theirs: list[Finding] = []
            parts: dict[str, list] = {}  # each summary function's part of every document, made or read once
            indexes: dict[str, IndexedParts | None] = {}  # or its rows, indexed by their group keys
            for rule in RULES.values():
                if rule.per_document:
                    continue
                if not rule.summary:  # a rule that reads every alignment in full
                    theirs += rule.load()(alignments, options)
                    continue
                if rule.summary not in indexes:
                    indexes[rule.summary] = indexed_parts(db, rule.summary, alignments, (salt, digests, options))
                index = indexes[rule.summary]
                if index is not None:
                    try:
                        grouped = index.grouped(rule.grouped_by)
                    except DamagedRows:  # every checked part's rows made again and stored in their place
                        index = indexes[rule.summary] = indexed_parts(
                            db, rule.summary, alignments, (salt, digests, options), afresh=True
                        )
                        grouped = index.grouped(rule.grouped_by)  # the same rules and documents: indexed again
                    theirs += loaded(rule.from_summaries)(grouped, options)
                    continue
                if rule.summary not in parts:
                    parts[rule.summary] = document_parts(db, rule.summary, alignments, (salt, digests, options), new)
                theirs += loaded(rule.from_summaries)(parts[rule.summary], options)
            new[together] = record_of_findings(theirs)
            found += theirs
        if new:
            stored(db, "findings", list(new.items()), replace=True)  # a damaged record is replaced
        kept_in_use(db, [*keys, together], (salt, digests), day)
    finally:
        closed(db, path)
    return sorted_findings(dict.fromkeys(found))


def kept_in_use(db: sqlite3.Connection, keys: list[bytes], check: tuple[bytes, list[bytes]], day: int) -> None:
    """Note the records a check used as used `day`: its documents' and cross-document findings (`keys`) and every
    document's parts of the cross-document rules, read back or made (an unchanged tree re-checked daily keeps
    them); then evict those no check used for KEEP_DAYS."""
    from align.checks import RULES

    salt, digests = check
    summaries = sorted({rule.summary for rule in RULES.values() if rule.summary and not rule.per_document})
    used(db, [*keys, *(key for summary in summaries for key in part_keys(salt, summary, digests))], day)
    evicted(db, day)


def today() -> int:
    """Days since 1970-01-01 (UTC): the unit in which a record's last use is kept."""
    return int(time.time() // SECONDS_A_DAY)


def with_use_recorded(db: sqlite3.Connection, day: int) -> None:
    """The table of the records' last use, made; records stored before there was one count as used today."""
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (USED_TABLE,)).fetchone()
    if exists:
        return
    with transaction(db):
        db.execute(USED_SCHEMA)
        db.execute(USED_INDEX)
        db.execute(f"INSERT OR IGNORE INTO {USED_TABLE} (key, day) SELECT key, ? FROM findings", (day,))


def used(db: sqlite3.Connection, keys: list[bytes], day: int) -> None:
    """Note that a check used those records `day` (written only for those not noted that day already, so an
    unchanged re-check the same day writes nothing)."""
    unique = list(dict.fromkeys(keys))
    noted: set[bytes] = set()
    for start in range(0, len(unique), SQL_VARIABLES):
        chunk = unique[start : start + SQL_VARIABLES]
        query = f"SELECT key FROM {USED_TABLE} WHERE day = ? AND key IN ({','.join('?' * len(chunk))})"
        noted.update(key for (key,) in db.execute(query, (day, *chunk)))
    stale = [(key, day) for key in unique if key not in noted]
    if stale:
        with transaction(db):
            db.executemany(f"INSERT OR REPLACE INTO {USED_TABLE} (key, day) VALUES (?, ?)", stale)


def evicted(db: sqlite3.Connection, day: int) -> int:
    """Delete the records no check has used for KEEP_DAYS days before `day`, and their parts' indexed rows
    (align.summary_index.forgotten), in one transaction; how many records went."""
    old = [key for (key,) in db.execute(f"SELECT key FROM {USED_TABLE} WHERE day < ?", (day - KEEP_DAYS,))]
    if not old:
        return 0
    with transaction(db):
        for start in range(0, len(old), SQL_VARIABLES):
            chunk = old[start : start + SQL_VARIABLES]
            marks = ",".join("?" * len(chunk))
            db.execute(f"DELETE FROM findings WHERE key IN ({marks})", chunk)
            db.execute(f"DELETE FROM {USED_TABLE} WHERE key IN ({marks})", chunk)
            forgotten(db, chunk)
    return len(old)


def document_parts(
    db: sqlite3.Connection,
    summary: str,
    alignments: list[Alignment],
    check: tuple[bytes, list[bytes], CheckOptions],
    new: dict[bytes, bytes],
) -> list:
    """Each document's part for the cross-document rules of a summary function ("module:function", see
    align.checks.Rule.summary): read back under the document's digest, or made and added to `new`."""
    salt, digests, options = check
    keys = [keyed(salt, WHOLE_PARTS, summary.encode(), digest) for digest in digests]
    records = looked_up(db, "findings", keys)
    parts = []
    for alignment, key in zip(alignments, keys, strict=True):
        part = read_back(records, key, value_of_record)
        if part is not None:
            parts.append(part)
            continue
        part = loaded(summary)(alignment, options)
        new[key] = json.dumps(part, ensure_ascii=False).encode("utf-8", "surrogatepass")
        parts.append(part)
    return parts


def indexed_parts(
    db: sqlite3.Connection,
    summary: str,
    alignments: list[Alignment],
    check: tuple[bytes, list[bytes], CheckOptions],
    afresh: bool = False,
) -> IndexedParts | None:
    """The documents' parts of a summary function, their rows indexed by group keys (align.summary_index), when
    every rule reading it declares the same two fields it groups by and no document is checked twice; else None
    (every part read whole, document_parts). `afresh`: every part made again, its stored rows replaced."""
    salt, digests, options = check
    fields = indexed_fields(summary, digests)
    if fields is None:
        return None
    keys = [keyed(salt, INDEXED_PARTS, summary.encode(), digest) for digest in digests]
    records = looked_up(db, "findings", keys)
    heads = [None if afresh else read_back(records, key, value_of_record) for key in keys]
    make = loaded(summary)
    return IndexedParts(db, keys, heads, lambda k: make(alignments[k], options), fields)


def indexed_fields(summary: str, digests: list[bytes]) -> tuple[int, int] | None:
    """The two row fields the parts of a summary function are indexed by, when every rule reading it declares the
    same two and no document is checked twice; else None (its parts are kept whole)."""
    from align.checks import RULES

    groupings = {rule.grouped_by for rule in RULES.values() if rule.summary == summary}
    named = {field for grouping in groupings for field in grouping}
    if () in groupings or len(named) != INDEXED_FIELDS or len(set(digests)) < len(digests):
        return None
    first, second = sorted(named)
    return first, second


def part_keys(salt: bytes, summary: str, digests: list[bytes]) -> list[bytes]:
    """The keys the documents' parts of a summary function are stored under (indexed rows or whole parts)."""
    kind = WHOLE_PARTS if indexed_fields(summary, digests) is None else INDEXED_PARTS
    return [keyed(salt, kind, summary.encode(), digest) for digest in digests]


def judged(options: CheckOptions) -> CheckOptions:
    """The options as the rules read them: the report's own settings (format, exit threshold, baseline file) at
    their defaults, so that a check differing only in those (pre-commit's text, CI's SARIF) shares the findings."""
    from align.checks import CheckOptions

    default = CheckOptions()
    return replace(options, format=default.format, fail_on=default.fail_on, baseline=default.baseline)


def keyed(salt: bytes, *parts: bytes) -> bytes:
    """A digest of the salt and the parts."""
    digest = hashlib.blake2b(salt, digest_size=DIGEST_BYTES)
    for part in parts:
        digest.update(part)
    return digest.digest()


def read_back(records: dict[bytes, bytes], key: bytes, reader: Callable[[bytes], T]) -> T | None:
    """reader(records[key]), or None when there is no such record or it cannot be read (damaged: judged again)."""
    record = records.get(key)
    if record is None:
        return None
    try:
        return reader(record)
    except (ValueError, TypeError, KeyError, AttributeError):  # cut short, not JSON, not bytes, other fields
        return None


def value_of_record(record: bytes) -> Any:
    """The JSON value of a record (a document's part for the cross-document rules)."""
    return json.loads(record.decode("utf-8", "surrogatepass"))


FINDING_FIELDS = [field.name for field in fields(Finding)]
finding_values = attrgetter(*FINDING_FIELDS)  # a Finding's field values in order (astuple's, without its deep copy)
RELATED = FINDING_FIELDS.index("related")


def record_of_findings(found: list[Finding]) -> bytes:
    """Findings as JSON: one list of field values each."""
    return json.dumps([finding_values(finding) for finding in found], ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


def findings_of_record(record: bytes) -> list[Finding]:
    """The findings record_of_findings stored (ValueError for a list of other fields: damaged)."""
    found = []
    for values in json.loads(record.decode("utf-8", "surrogatepass")):
        if len(values) != len(FINDING_FIELDS):
            raise ValueError(f"a finding of {len(values)} fields, not {len(FINDING_FIELDS)}")
        values[RELATED] = tuple(tuple(place) for place in values[RELATED])
        found.append(Finding(*values))
    return found
