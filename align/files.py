"""Output files written atomically (temp file, fsync, rename) under names that cannot leave the output folder."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import BinaryIO

_MAX_NAME_BYTES = 255  # longest file name on common file systems (ext4, APFS, NTFS in UTF-16 units)
_LONGEST_SUFFIX = len(".jsonl")  # the longest suffix a per-document output gets
_COPY_BLOCK = 1 << 20  # bytes copied back at a time from a file found to differ part-way
_TEMP_NAME_EXTRA = 22  # ".", "." + 16 hex digits, ".tmp" around the name of a temporary file


# --- atomic file output ------------------------------------------------------------------------------


def write_atomic(path: Path, data: str | Iterable[str]) -> None:
    """Write `data` as UTF-8 to `path` via a temp file in the same directory, fsync and os.replace.

    Parent directories are created. On any error the temp file is removed and an existing `path`
    is left as it was. A regular file that already holds exactly these bytes is left untouched (a re-run
    on an unchanged corpus rewrites nothing). `data` may be the text's pieces (a streaming writer's: the whole
    text is never held), compared with the existing file as they come and written only from the first piece
    that differs, so an unchanged file costs one read: no temporary file, no fsync. An unencodable piece fails
    the same way, leaving the file as it was.
    """
    path = Path(path)
    if isinstance(data, str):
        payload = data.encode("utf-8")  # fail on unencodable text before touching the file system
        if not already_holds(path, payload):
            _write_replacing(path, (payload,))
        return
    with _open_regular(path) as existing:
        changed = _changed_pieces(existing, (piece.encode("utf-8") for piece in data))
        if changed is not None:
            _write_replacing(path, changed)


def _write_replacing(path: Path, pieces: Iterable[bytes]) -> None:
    """Write `pieces` to a new temp file beside `path`, fsync it and rename it over `path`."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{truncated(path.name, _MAX_NAME_BYTES - _TEMP_NAME_EXTRA)}.{secrets.token_hex(8)}.tmp")
    try:
        # O_EXCL: never clobber anything; mode 0o666 lets the umask decide permissions like open() would.
        # Inside the try: an interrupt (SIGINT/SIGTERM) right after the file is created must still remove it.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):  # the original error is the one to report
            temp.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.strerror and error.filename in (None, str(temp)):
            error.filename = str(path)  # the file the user named, not our temporary one (ENOSPC names none)
        raise
    _fsync_directory(path.parent)


@contextlib.contextmanager
def _open_regular(path: Path) -> Iterator[BinaryIO | None]:
    """`path` open for reading when it is a regular file (not a symlink), else None."""
    try:
        handle = open(path, "rb") if stat.S_ISREG(path.lstat().st_mode) else None  # noqa: SIM115
    except OSError:
        handle = None
    try:
        yield handle
    finally:
        if handle is not None:
            handle.close()


def _changed_pieces(existing: BinaryIO | None, pieces: Iterable[bytes]) -> Iterator[bytes] | None:
    """None when `pieces` make exactly the bytes of `existing`, compared as they come (nothing written, nothing
    held); else all the pieces: the matched head copied back from `existing`, then the rest as they come."""
    if existing is None:
        return iter(pieces)
    pieces = iter(pieces)
    matched = 0
    for piece in pieces:
        if existing.read(len(piece)) != piece:
            return _closed_after(existing, chain(_head(existing, matched), (piece,), pieces))
        matched += len(piece)
    if existing.read(1):
        return _closed_after(existing, _head(existing, matched))
    return None


def _closed_after(existing: BinaryIO, pieces: Iterable[bytes]) -> Iterator[bytes]:
    """`pieces`, then `existing` closed (before the rename: some systems refuse to replace an open file)."""
    try:
        yield from pieces
    finally:
        existing.close()


def _head(existing: BinaryIO, size: int) -> Iterator[bytes]:
    """The first `size` bytes of `existing`, a block at a time."""
    existing.seek(0)
    while size > 0:
        block = existing.read(min(size, _COPY_BLOCK))
        if not block:
            raise OSError(errno.EIO, "changed while being compared", existing.name)
        size -= len(block)
        yield block


def already_holds(path: Path, payload: bytes) -> bool:
    """Whether `path` is a regular file (not a symlink) whose bytes are `payload`."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(payload):
            return False
        return path.read_bytes() == payload
    except OSError:
        return False


def written_state(path: Path) -> list[int]:
    """What changes when a file is written or replaced: device, inode, size, modification time and change time
    (ns; a write that keeps the size and puts the modification time back, as `cp -p` or `touch -r` do, still
    moves the change time, which no program can set)."""
    status = path.stat()
    return [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def truncated(name: str, max_bytes: int) -> str:
    """`name` cut to at most `max_bytes` bytes in the file system encoding (a cut character stays as
    surrogate escapes, which encode back to the same bytes)."""
    raw = os.fsencode(name)
    return name if len(raw) <= max_bytes else os.fsdecode(raw[:max_bytes])


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows fsync on a directory (best effort)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def output_stem(name: str) -> str:
    """`name` as a file stem inside the output directory, else ValueError (a name that is empty, "." or "..",
    or holds a path separator or NUL could write elsewhere: align.load.safe_name never produces one).

    A name too long for "<name>.jsonl" to fit in 255 bytes is cut and given a hash of the whole name, so
    distinct long names stay distinct.
    """
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"document name {name!r} cannot be used as an output file name")
    limit = _MAX_NAME_BYTES - _LONGEST_SUFFIX
    if len(os.fsencode(name)) <= limit:
        return name
    digest = hashlib.blake2b(os.fsencode(name), digest_size=4).hexdigest()
    return f"{truncated(name, limit - len(digest) - 1)}~{digest}"
