"""Finding and reading align's configuration file (align.toml, or [tool.align] in pyproject.toml) without pydantic.

`align run` asks only for its language spellings, and with no such file reads nothing more (align.config validates
what a file holds)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from align.sidefiles import side_bytes

CONFIG_FILE = "align.toml"
PYPROJECT = "pyproject.toml"


class ConfigError(Exception):
    """A problem with a configuration or baseline file; str() is one line, "FILE: problem"."""


def find_config(start: Path) -> Path | None:
    """The configuration file that applies to `start` (a file or folder), or None.

    Searching `start` (its folder for a file) and then each parent folder, the first folder holding an
    `align.toml`, or a `pyproject.toml` with a [tool.align] table, wins; in one folder align.toml wins.
    """
    start = Path(start).resolve()
    folder = start if start.is_dir() else start.parent
    for directory in (folder, *folder.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and has_align_table(read_toml(display_path(pyproject))):
            return pyproject
    return None


def has_align_table(data: dict[str, Any]) -> bool:
    tool = data.get("tool")
    return isinstance(tool, dict) and "align" in tool


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(side_bytes(path).decode("utf-8-sig"))
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8") from None


def display_path(path: Path) -> Path:
    """`path` relative to the working directory when it lies inside it (shorter messages)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
