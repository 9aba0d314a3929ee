"""align.thread_databases: the owner's connection on its thread, one other connection for the labelling thread."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from align.cache import CachedIdentifier, open_database
from align.language import LanguageIdentifier
from align.thread_databases import ThreadDatabases


def in_another_thread(function):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def test_the_owner_thread_gets_the_owners_connection_and_another_thread_its_own(tmp_path: Path):
    path = tmp_path / "cache.sqlite"
    main = open_database(path)
    databases = ThreadDatabases(lambda: main, path)
    assert databases() is main
    other = in_another_thread(databases)
    assert other is not main
    assert in_another_thread(databases) is other  # made once, then reused by the next worker thread
    databases.close()
    main.close()


def test_verdicts_stored_by_the_labelling_thread_are_read_back_on_the_owners_thread(tmp_path: Path):
    """The identifier stores lingua's confidence values from a worker thread (no "SQLite objects created in a
    thread can only be used in that same thread"); the owner's connection reads them."""
    path = tmp_path / "cache.sqlite"
    main = open_database(path)
    databases = ThreadDatabases(lambda: main, path)
    texts = ["Der Hund biss den Mann in das Bein.", "Le chien a mordu l'homme à la jambe."]
    computed: list[str] = []

    identifier = CachedIdentifier(connect=databases)

    def compute(todo: list[str]):
        computed.extend(todo)
        return LanguageIdentifier.confidence_values(identifier, todo)  # lingua itself, not the cache

    first = in_another_thread(lambda: identifier.cached_values(texts, compute, ""))
    assert computed == texts
    again = identifier.cached_values(texts, compute, "")  # on the owner's thread
    assert computed == texts  # nothing computed again
    assert [[(str(v.language), round(v.value, 6)) for v in row] for row in again] == [
        [(str(v.language), round(v.value, 6)) for v in row] for row in first
    ]
    assert threading.get_ident() == databases.owner
    databases.close()
    main.close()
