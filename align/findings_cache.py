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
from collections.abc import Callable
from dataclasses import astuple, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from align.cache import SYNCHRONOUS, cache_path, closed, distrusted, looked_up, result_fingerprint, stored
from align.model import Alignment, Finding
from align.plugins import loaded
from align.stored import DIGEST_BYTES, digest_of
from align.summary_index import DamagedRows, IndexedParts

if TYPE_CHECKING:
    from align.checks.options import CheckOptions
    from align.runner import RunResult

FINDINGS_SCHEMA = "CREATE TABLE IF NOT EXISTS findings (key BLOB PRIMARY KEY, record BLOB)"
T = TypeVar("T")
BUSY_SECONDS = 30  # how long to wait for another run's write, as the embedding cache does
INDEXED_FIELDS = 2  # the row fields align.summary_index indexes: the two a rule groups by


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
    finally:
        closed(db, path)
    return sorted_findings(dict.fromkeys(found))


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
    keys = [keyed(salt, b"summary", summary.encode(), digest) for digest in digests]
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
    from align.checks import RULES

    salt, digests, options = check
    groupings = {rule.grouped_by for rule in RULES.values() if rule.summary == summary}
    fields = {field for grouping in groupings for field in grouping}
    if () in groupings or len(fields) != INDEXED_FIELDS or len(set(digests)) < len(digests):
        return None
    keys = [keyed(salt, b"summary-rows", summary.encode(), digest) for digest in digests]
    records = looked_up(db, "findings", keys)
    heads = [None if afresh else read_back(records, key, value_of_record) for key in keys]
    make = loaded(summary)
    return IndexedParts(db, keys, heads, lambda k: make(alignments[k], options), tuple(sorted(fields)))


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


def record_of_findings(found: list[Finding]) -> bytes:
    """Findings as JSON: one list of field values each."""
    return json.dumps([astuple(finding) for finding in found], ensure_ascii=False).encode("utf-8", "surrogatepass")


def findings_of_record(record: bytes) -> list[Finding]:
    """The findings record_of_findings stored."""
    names = [field.name for field in fields(Finding)]
    found = []
    for values in json.loads(record.decode("utf-8", "surrogatepass")):
        data = dict(zip(names, values, strict=True))
        data["related"] = tuple(tuple(place) for place in data["related"])
        found.append(Finding(**data))
    return found
