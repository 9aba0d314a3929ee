"""Where the cache database lives, found without importing the cache itself (align.early_load asks first thing)."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE = "embeddings.sqlite3"


def default_cache_dir() -> Path:
    """$ALIGN_CACHE_DIR, else the user cache directory of the platform."""
    if os.environ.get("ALIGN_CACHE_DIR"):
        return Path(os.environ["ALIGN_CACHE_DIR"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("align", appauthor=False))


def cache_path(directory: Path | None = None) -> Path:
    """The cache database file."""
    return (directory or default_cache_dir()) / DATABASE
