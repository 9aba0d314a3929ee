"""Each document's part of a cross-document rule kept row by row in the cache, indexed by the rows' group keys, so
that a re-check reads only the rows of the groups that can hold a finding.

A rule that declares `Rule.grouped_by = (key, other)` finds something only in a group of rows (the last element
of every document's part) sharing a non-empty `row[key]` and holding more than one distinct `row[other]`; every
other row can be left out of what its `from_summaries` is given, and the findings are the same (the groups keep
their rows, in document and row order). So each row is stored with digests of its two key fields, and SQLite finds
the groups of the documents checked together (`GROUPS_SQL`, from an index of each part's keys) without reading the
rows' texts, then reads those groups' rows alone (`ROWS_SQL`): on a 208-page tree with one page edited, 16,500 rows
are grouped inside SQLite and a few hundred read, where every page's part, about 5 MB of JSON, was decoded and
grouped in Python.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from align.cache import SQL_VARIABLES, transaction

ROWS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS summary_rows (part BLOB, position INTEGER, first_key BLOB, second_key BLOB, "
    "row BLOB, PRIMARY KEY (part, position)) WITHOUT ROWID"
)
KEY_INDEXES = (  # per part, its rows by either key: what a check reads of its own parts' rows, never the others'
    "CREATE INDEX IF NOT EXISTS summary_rows_by_first ON summary_rows (part, first_key, second_key)",
    "CREATE INDEX IF NOT EXISTS summary_rows_by_second ON summary_rows (part, second_key, first_key)",
)
CHECKED_SCHEMA = "CREATE TEMP TABLE IF NOT EXISTS checked_parts (part BLOB PRIMARY KEY, place INTEGER)"
KEY_BYTES = 16
COLUMNS = ("first_key", "second_key")  # the digests of row[min(fields)] and row[max(fields)]
# CROSS JOIN: the parts checked drive both queries (SQLite keeps that order), so their cost grows with the rows of
# the documents checked, not with the table, which keeps the rows of every version of every page ever checked;
# MIN != MAX: more than one distinct value, without the temporary tree COUNT(DISTINCT) builds
GROUPS_SQL = """
SELECT g.{key} FROM checked_parts c CROSS JOIN summary_rows g ON g.part = c.part
WHERE g.{key} != ? GROUP BY g.{key} HAVING MIN(g.{other}) != MAX(g.{other})
"""
ROWS_SQL = """
SELECT c.place, r.position, r.row FROM checked_parts c CROSS JOIN summary_rows r INDEXED BY summary_rows_by_{order}
ON r.part = c.part WHERE r.{key} IN ({keys})
"""


def key_digest(text: str) -> bytes:
    """The digest a row's key field is indexed by (equal texts, equal digests)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=KEY_BYTES).digest()


EMPTY = key_digest("")  # rows with an empty key belong to no group


def encoded(value: Any) -> bytes:
    """A JSON value as a record."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def decoded(record: bytes) -> Any:
    """The JSON value of a record."""
    return json.loads(record.decode("utf-8", "surrogatepass"))


def forgotten(db: sqlite3.Connection, parts: Sequence[bytes]) -> None:
    """Delete the indexed rows of those parts (their heads are the caller's to delete), inside the caller's
    transaction; nothing when no part was ever indexed."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'summary_rows'").fetchone():
        db.execute(f"DELETE FROM summary_rows WHERE part IN ({','.join('?' * len(parts))})", list(parts))


class DamagedRows(ValueError):
    """A stored row that cannot be read (cut short, not JSON, not bytes): the parts are made again."""


class IndexedParts:
    """The parts of the documents checked together, their rows in `summary_rows` and the rest of each part (its
    head) as a record of the findings table, both under the part's key.

    `fields`: the two row fields the rules group by. `heads`: each document's head, read from the findings table
    (None where missing or damaged: that document's part is made again by `make` and stored, rows and head in
    one transaction)."""

    def __init__(
        self,
        db: sqlite3.Connection,
        keys: Sequence[bytes],
        heads: Sequence[list | None],
        make: Callable[[int], list],
        fields: tuple[int, int],
    ) -> None:
        self.db, self.fields = db, (min(fields), max(fields))
        db.execute(ROWS_SCHEMA)
        for index in KEY_INDEXES:
            db.execute(index)
        made = {k: make(k) for k, head in enumerate(heads) if head is None}
        if made:
            self._stored({keys[k]: part for k, part in made.items()})
        self.heads = [head if head is not None else made[k][:-1] for k, head in enumerate(heads)]
        db.execute(CHECKED_SCHEMA)
        db.execute("DELETE FROM checked_parts")
        places = [(key, k) for k, key in enumerate(keys)]
        db.executemany("INSERT INTO checked_parts (part, place) VALUES (?, ?)", places)

    def _stored(self, parts: dict[bytes, list]) -> None:
        """Store the parts made afresh (each one's rows replacing any left under its key), in one transaction."""
        first, second = self.fields
        with transaction(self.db):
            for key, part in parts.items():
                rows = [
                    (key, position, key_digest(row[first]), key_digest(row[second]), encoded(row))
                    for position, row in enumerate(part[-1])
                ]
                self.db.execute("DELETE FROM summary_rows WHERE part = ?", (key,))
                self.db.executemany("INSERT INTO summary_rows VALUES (?, ?, ?, ?, ?)", rows)
                head = encoded(part[:-1])
                self.db.execute("INSERT OR REPLACE INTO findings (key, record) VALUES (?, ?)", (key, head))

    def grouped(self, by: tuple[int, int]) -> list[list]:
        """Every document's part with only the rows of the groups by row[key] (by = (key, other)) that hold more
        than one distinct row[other], in document and row order; DamagedRows if a stored row cannot be read."""
        key, other = (COLUMNS[self.fields.index(field)] for field in by)
        groups = [group for (group,) in self.db.execute(GROUPS_SQL.format(key=key, other=other), (EMPTY,))]
        kept: list[list[tuple[int, bytes]]] = [[] for _ in self.heads]
        for start in range(0, len(groups), SQL_VARIABLES):
            chunk = groups[start : start + SQL_VARIABLES]
            query = ROWS_SQL.format(order=key.split("_")[0], key=key, keys=",".join("?" * len(chunk)))
            rows = self.db.execute(query, chunk)
            for place, position, record in rows:
                kept[place].append((position, record))
        heads = zip(self.heads, kept, strict=True)
        try:
            return [[*head, [decoded(record) for _, record in sorted(rows)]] for head, rows in heads]
        except (ValueError, AttributeError) as error:  # AttributeError: a NULL or number where a row's bytes were
            raise DamagedRows(str(error)) from None
