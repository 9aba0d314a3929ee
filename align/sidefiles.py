"""Side files (align.toml, a glossary, decisions, a baseline): regular files only, read with a size limit, and
JSON parsed with every failure one line."""

from __future__ import annotations

import errno
import json
import os
import stat
import sys

SIDE_FILE_LIMIT = 64 * 1024 * 1024  # no glossary, decisions file or baseline is this large; /dev/zero would be


def side_bytes(path: str | os.PathLike[str], limit: int = SIDE_FILE_LIMIT) -> bytes:
    """The bytes of the regular file at `path`; OSError (naming the file and the problem, for the caller's one-line
    message) for a FIFO, a device, a folder or a file over `limit` bytes, without blocking or reading it whole."""
    if "\x00" in os.fspath(path):
        raise OSError(errno.EINVAL, "a path cannot hold a NUL character", str(path))
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


def json_value(text: str) -> object:
    """The JSON value `text` holds; NotJson, with a one-line problem, for anything json.loads refuses (bad
    syntax, nesting past the recursion limit, an integer over Python's 4,300-digit conversion limit)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise NotJson(f"invalid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except RecursionError:
        raise NotJson("nested too deeply") from None
    except ValueError as error:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise NotJson(json_problem(error)) from None


def json_problem(error: ValueError) -> str:
    """One line for what json.loads raised: a huge integer is said plainly, anything else as it is."""
    if "integer string conversion" in str(error):
        return f"a number too long (over {sys.get_int_max_str_digits()} digits)"
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def naming_the_file(path: str | os.PathLike[str], error: ValueError) -> str:
    """The one-line message "PATH: problem" for a side file's ValueError, adding the path when it lacks it."""
    message = str(error)
    shown = str(path)
    return message if message.startswith(f"{shown}: ") else f"{shown}: {json_problem(error)}"


class NotJson(ValueError):
    """A side file that is not JSON json.loads can read; str() is the problem, one line, without the file."""
