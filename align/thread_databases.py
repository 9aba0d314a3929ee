"""The cache database for the worker thread that labels ahead (align.ahead): a connection of its own.

SQLite objects are bound to the thread that made them, and the cache's one connection (CachedEncoder.database)
belongs to the thread that runs the pipeline. Labelling reads and stores lingua's verdicts (CachedIdentifier)
on the worker thread, so that thread gets its own connection to the same write-ahead-logged database: SQLite
serialises the two connections' writes, and each reads what the other committed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from align.cache import CONFIDENCES_SCHEMA, RESULTS_SCHEMA, SCHEMA, SYNCHRONOUS

BUSY_TIMEOUT_S = 30  # as long as the main connection waits for the other's write (align.cache.checked_connection)


@dataclass
class ThreadDatabases:
    """A `connect` for CachedIdentifier: the owner's connection in the thread that made this, one other connection
    (made on first use, usable from any thread) everywhere else."""

    main: Callable[[], sqlite3.Connection]  # the owner's connection, e.g. CachedEncoder.database
    path: Path
    owner: int = field(default_factory=threading.get_ident)
    _other: sqlite3.Connection | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __call__(self) -> sqlite3.Connection:
        if threading.get_ident() == self.owner:
            return self.main()
        with self._lock:
            if self._other is None:
                self._other = other_connection(self.path)
            return self._other

    def close(self) -> None:
        """Close the other connection, if one was made (the owner closes its own)."""
        with self._lock:
            if self._other is not None:
                other, self._other = self._other, None
                other.close()


def other_connection(path: Path) -> sqlite3.Connection:
    """A second connection to the cache database, usable from another thread, its tables made if the owner's
    connection has not made them yet (the owner's open checks the file's integrity)."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    connection.execute(SYNCHRONOUS)
    for schema in (SCHEMA, RESULTS_SCHEMA, CONFIDENCES_SCHEMA):
        connection.execute(schema)
    return connection
