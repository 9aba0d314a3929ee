"""Side files (align.toml, a glossary, decisions, a baseline): regular files only, read with a size limit."""

from __future__ import annotations

import errno
import os
import stat

SIDE_FILE_LIMIT = 64 * 1024 * 1024  # no glossary, decisions file or baseline is this large; /dev/zero would be


def side_bytes(path: str | os.PathLike[str], limit: int = SIDE_FILE_LIMIT) -> bytes:
    """The bytes of the regular file at `path`; OSError (naming the file and the problem, for the caller's one-line
    message) for a FIFO, a device, a folder or a file over `limit` bytes, without blocking or reading it whole."""
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file (a FIFO, device or socket)", str(path))
    if info.st_size > limit:
        raise OSError(errno.EFBIG, f"too large for a side file ({info.st_size} bytes, limit {limit})", str(path))
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"too large for a side file (over {limit} bytes)", str(path))
    return data


def side_text(path: str | os.PathLike[str], limit: int = SIDE_FILE_LIMIT) -> str:
    """The UTF-8 text (a byte-order mark allowed) of the side file at `path` (see side_bytes)."""
    return side_bytes(path, limit).decode("utf-8-sig")
