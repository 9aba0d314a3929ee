"""align.summary_index: the consistency rules given only the rows of groups that can hold a finding find exactly
what they find given every document's whole part, and a part stored once is read back, not made again."""

from __future__ import annotations

import sqlite3

from align.checks import RULES, CheckOptions
from align.checks.consistency import inconsistent_of_summaries, shared_of_summaries
from align.findings_cache import FINDINGS_SCHEMA
from align.summary_index import IndexedParts

OPTIONS = CheckOptions()


def row(source: str, translation: str, line: int, source_key: str | None = None, key: str | None = None) -> list:
    """A row of paired_texts: texts, (file index, line) of each side, end line, normalised texts."""
    source_key = source.lower() if source_key is None else source_key
    return [source, translation, 0, line, 1, line, line, source_key, translation.lower() if key is None else key]


PARTS = [
    ["a", ["ru/a.md", "en/a.md"], [row("Кошка.", "Cat.", 1), row("Дом.", "House.", 2), row("?", "!", 3, "", "")]],
    ["b", ["ru/b.md", "en/b.md"], [row("Кошка.", "A cat.", 4), row("Дом.", "House.", 5), row("!", "?", 6, "", "x")]],
    ["c", ["ru/c.md", "en/c.md"], [row("КОШКА.", "Cat.", 7), row("Сад.", "", 8), row("Лес.", "House.", 9)]],
    ["d", ["ru/d.md", "en/d.md"], [row("Сад.", "Garden.", 1), row("Пусто.", "", 2, key="")]],
    ["e", ["ru/e.md", "en/e.md"], []],
]


def indexed(db: sqlite3.Connection, made: list[int]) -> IndexedParts:
    """The index of PARTS in `db`, noting which parts had to be made."""
    keys = [f"part-{k}".encode() for k in range(len(PARTS))]
    found = dict(db.execute("SELECT key, record FROM findings"))
    heads = [None if key not in found else [*PARTS[k][:-1]] for k, key in enumerate(keys)]

    def make(k: int) -> list:
        made.append(k)
        return PARTS[k]

    return IndexedParts(db, keys, heads, make, (7, 8))


def test_the_rules_find_the_same_in_the_groups_the_index_keeps_as_in_every_whole_part() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute(FINDINGS_SCHEMA)
    made: list[int] = []
    index = indexed(db, made)
    assert made == [0, 1, 2, 3, 4]
    by_source = index.grouped(RULES["inconsistent-translation"].grouped_by)
    by_translation = index.grouped(RULES["shared-translation"].grouped_by)
    expected_inconsistent = inconsistent_of_summaries(PARTS, OPTIONS)
    expected_shared = shared_of_summaries(PARTS, OPTIONS)
    assert expected_inconsistent and expected_shared  # the parts do hold findings of both rules
    assert inconsistent_of_summaries(by_source, OPTIONS) == expected_inconsistent
    assert shared_of_summaries(by_translation, OPTIONS) == expected_shared
    kept = sum(len(part[-1]) for part in by_source)
    assert 0 < kept < sum(len(part[-1]) for part in PARTS)  # "Дом." / "House." twice is no group to read

    again: list[int] = []
    second = indexed(db, again)
    assert again == []  # every part read back
    assert inconsistent_of_summaries(second.grouped((7, 8)), OPTIONS) == expected_inconsistent


def test_a_part_made_again_replaces_the_rows_stored_under_its_key() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute(FINDINGS_SCHEMA)
    indexed(db, [])
    db.execute("DELETE FROM findings WHERE key = ?", (b"part-1",))  # its head lost: the part is made again
    made: list[int] = []
    index = indexed(db, made)
    assert made == [1]
    assert db.execute("SELECT COUNT(*) FROM summary_rows WHERE part = ?", (b"part-1",)).fetchone()[0] == 3
    assert shared_of_summaries(index.grouped((8, 7)), OPTIONS) == shared_of_summaries(PARTS, OPTIONS)
