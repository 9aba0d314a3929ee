"""Whether a command should start loading the encoder before its imports: judged from file times alone.

`align.cli.start_encoder` starts loading the encoder's piece model (0.19 s of CPU, on the other core) before typer
parses the options, so that the load overlaps the command's imports: an edited page's check then finds the encoder
ready. A re-run on unchanged inputs embeds nothing, and there the early load only took the second core and made
the exit wait for it (0.1 s of a 0.35 s re-run of the wmt22 cases). So the load starts early only when some file
under the command's arguments was written, or had its inode changed, after the cache database was last written
(or there is no cache yet). The guess costs a walk of the arguments' folders and a stat per file; when it is
wrong either way, the pipeline knows exactly (align.pipeline.Pipeline.keys_ahead) and loads the encoder then.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

from align.cache_location import cache_path

MAX_FILES = 20_000  # a larger tree is not walked to the end: loading early is then the cheaper bet
WAL_SUFFIX = "-wal"  # SQLite's write-ahead log beside the database: written before the database itself


def changed_since_cache(paths: Sequence[str]) -> bool:
    """Whether any existing file under `paths` changed after the cache was last written (True without a cache).
    Arguments that name nothing (option values, typos) are passed over: finding the inputs is the runner's job."""
    written = cache_written_ns()
    if written is None:
        return True
    return any(count >= MAX_FILES or changed > written for count, changed in enumerate(change_times(paths)))


def cache_written_ns() -> int | None:
    """When the cache database or its log was last written (ns since the epoch); None if there is no cache."""
    database = str(cache_path())
    times = [stat.st_mtime_ns for stat in map(stat_or_none, (database, database + WAL_SUFFIX)) if stat is not None]
    return max(times) if times else None


def change_times(paths: Sequence[str]) -> Iterator[int]:
    """The latest of modification and inode change time of each file under `paths` (files, or folders walked)."""
    for path in paths:
        if os.path.isdir(path):
            for folder, _, names in os.walk(path):
                yield from file_times(os.path.join(folder, name) for name in names)
        else:
            yield from file_times([path])


def file_times(paths: Iterator[str] | list[str]) -> Iterator[int]:
    """max(mtime, ctime) of each path that can be stat'ed."""
    for stat in map(stat_or_none, paths):
        if stat is not None:
            yield max(stat.st_mtime_ns, stat.st_ctime_ns)


def stat_or_none(path: str) -> os.stat_result | None:
    """os.stat of the path, or None when it does not exist or cannot be read."""
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None
