"""`align check` configuration (align.toml or [tool.align] in pyproject.toml) and baselines of known findings.

Configuration file, either `align.toml`::

    require = "both"          # or in an [align] table
    fail-on = "error"
    min-confidence = 0.6
    length-ratio-z = 3.5
    ignore = ["^boilerplate/", "DRAFT"]
    glossary = "glossary.csv" # relative paths are relative to the configuration file
    baseline = "align-baseline.json"
    format = "text"

or the same keys under `[tool.align]` in `pyproject.toml`. Keys may use dashes or underscores.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from align.model import Finding
from align.report import FAIL_ON, FORMATS, sorted_findings
from align.write import write_atomic

REQUIRE = ("en", "ru", "both")
CONFIG_FILE = "align.toml"
PYPROJECT = "pyproject.toml"
BASELINE_VERSION = 1


class ConfigError(Exception):
    """A problem with a configuration or baseline file; str() is one line, "FILE: problem"."""


@dataclass(frozen=True)
class CheckConfig:
    """Settings of `align check`; the defaults apply when neither a file nor the command line sets them."""

    require: str = "en"  # which side must be complete: "en", "ru" or "both"
    fail_on: str = "warning"  # lowest severity that makes the exit code 1 ("never": always 0)
    min_confidence: float = 0.5  # pairs below this confidence are reported (low-confidence)
    length_ratio_z: float = 3.0  # |z| of a pair's log length ratio above which it is reported (length-ratio)
    ignore: tuple[str, ...] = ()  # regular expressions; matching findings are dropped
    glossary: str | None = None  # glossary file
    baseline: str | None = None  # baseline file of known findings
    format: str = "text"  # one of report.FORMATS


_FIELDS = {field.name: field for field in fields(CheckConfig)}
_PATH_KEYS = ("glossary", "baseline")


def _key_name(name: str) -> str:
    """How a key is written in messages: with dashes, as in the documentation."""
    return name.replace("_", "-")


# --- finding and reading configuration files ----------------------------------------------------------


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
        if pyproject.is_file() and _has_align_table(_read_toml(_display_path(pyproject))):
            return pyproject
    return None


def load_config(start: Path, explicit: Path | None = None) -> CheckConfig:
    """The configuration from `explicit` if given, else from `find_config(start)`, else the defaults.

    A `pyproject.toml` is read from its [tool.align] table; any other file (align.toml) from its top-level
    keys or an [align] table. Relative `glossary` and `baseline` paths are made relative to the file's
    folder. Unknown keys and bad values raise ConfigError("FILE: ...").
    """
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found")
    else:
        found = find_config(start)
        if found is None:
            return CheckConfig()
        path = _display_path(found)
    data = _read_toml(path)
    if path.name == PYPROJECT:
        table = data["tool"]["align"] if _has_align_table(data) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.align] must be a table")
        values = _normalise(path, table)
    else:
        values = _align_toml_values(path, data)
    for key in _PATH_KEYS:
        if isinstance(values.get(key), str) and values[key]:
            values[key] = str(path.parent / Path(values[key]).expanduser())
    return _build(str(path), CheckConfig(), values)


def _align_toml_values(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    top = {key: value for key, value in data.items() if key != "align"}
    values = _normalise(path, top)
    if "align" in data:
        if not isinstance(data["align"], dict):
            raise ConfigError(f"{path}: 'align' must be a table")
        for key, value in _normalise(path, data["align"]).items():
            if key in values:
                raise ConfigError(f"{path}: '{_key_name(key)}' is set both at the top level and in [align]")
            values[key] = value
    return values


def _has_align_table(data: dict[str, Any]) -> bool:
    tool = data.get("tool")
    return isinstance(tool, dict) and "align" in tool


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8") from None


def _display_path(path: Path) -> Path:
    """`path` relative to the working directory when it lies inside it (shorter messages)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _normalise(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    """Keys with dashes turned into underscores; unknown or repeated keys raise ConfigError."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in _FIELDS:
            known = [_key_name(field) for field in _FIELDS]
            close = difflib.get_close_matches(_key_name(name), known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(known)})"
            raise ConfigError(f"{path}: unknown key '{key}'{hint}")
        if name in values:
            raise ConfigError(f"{path}: '{_key_name(name)}' is set twice")
        values[name] = value
    return values


# --- validation ---------------------------------------------------------------------------------------


def _build(source: str, base: CheckConfig, values: dict[str, Any]) -> CheckConfig:
    checked = {name: _check(source, name, value) for name, value in values.items()}
    return replace(base, **checked)


def _check(source: str, name: str, value: Any) -> Any:
    key = _key_name(name)

    def bad(expected: str) -> ConfigError:
        return ConfigError(f"{source}: {key} must be {expected}, not {value!r}")

    if name in ("require", "fail_on", "format"):
        choices = {"require": REQUIRE, "fail_on": FAIL_ON, "format": FORMATS}[name]
        if not isinstance(value, str) or value not in choices:
            raise bad("one of " + ", ".join(choices))
        return value
    if name in ("min_confidence", "length_ratio_z"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise bad("a number")
        if name == "min_confidence" and not 0.0 <= value <= 1.0:
            raise bad("a number from 0 to 1")
        if name == "length_ratio_z" and value <= 0:
            raise bad("a positive number")
        return float(value)
    if name == "ignore":
        patterns = [value] if isinstance(value, str) else value
        if not isinstance(patterns, list | tuple) or not all(isinstance(item, str) for item in patterns):
            raise bad("a list of regular expressions")
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                message = f"{source}: ignore pattern {pattern!r} is not a valid regular expression: {error}"
                raise ConfigError(message) from None
        return tuple(patterns)
    if name in _PATH_KEYS:
        if not isinstance(value, str | Path) or not str(value):
            raise bad("a file path")
        return str(value)
    raise ConfigError(f"{source}: unknown key '{key}'")  # pragma: no cover - _normalise filters these


def merged(config: CheckConfig, **overrides: Any) -> CheckConfig:
    """`config` with every override that is not None (command-line values) put in its place.

    Override names are CheckConfig field names (fail_on, not fail-on); an unknown name raises TypeError.
    An empty `ignore` list counts as not given (a repeatable option nobody used). Values are validated
    like the file's; a bad one raises ConfigError("command line: ...").
    """
    unknown = set(overrides) - _FIELDS.keys()
    if unknown:
        raise TypeError(f"merged() got unknown setting(s): {', '.join(sorted(unknown))}")
    values = {
        name: value
        for name, value in overrides.items()
        if value is not None and not (name == "ignore" and isinstance(value, list | tuple) and not value)
    }
    return _build("command line", config, values)


# --- baselines ----------------------------------------------------------------------------------------


def write_baseline(path: Path, findings: list[Finding]) -> None:
    """Record `findings` as known, atomically: {"version": 1, "fingerprints": {FP: {"rule", "file", "message"}}}.

    Fingerprints are sorted; of several findings with one fingerprint the first in report order is kept.
    """
    entries: dict[str, dict[str, str]] = {}
    for finding in sorted_findings(findings):
        entries.setdefault(
            finding.fingerprint, {"rule": finding.rule, "file": finding.file, "message": finding.message}
        )
    payload = {"version": BASELINE_VERSION, "fingerprints": dict(sorted(entries.items()))}
    write_atomic(Path(path), json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def read_baseline(path: Path) -> set[str]:
    """The fingerprints recorded in baseline file `path`; ConfigError("FILE: ...") if missing or corrupt."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read baseline: {getattr(error, 'strerror', None) or error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{path}: corrupt baseline (invalid JSON: {error})") from None
    if not isinstance(data, dict) or "fingerprints" not in data:
        raise ConfigError(f"{path}: corrupt baseline (expected an object with 'version' and 'fingerprints')")
    if data.get("version") != BASELINE_VERSION:
        raise ConfigError(f"{path}: unsupported baseline version {data.get('version')!r} (expected 1)")
    fingerprints = data["fingerprints"]
    if not isinstance(fingerprints, dict | list) or not all(isinstance(key, str) for key in fingerprints):
        raise ConfigError(f"{path}: corrupt baseline ('fingerprints' must map fingerprints to findings)")
    return set(fingerprints)


def new_findings(findings: list[Finding], baseline: set[str]) -> list[Finding]:
    """The findings whose fingerprint is not in `baseline` (line numbers play no part), in their order."""
    return [finding for finding in findings if finding.fingerprint not in baseline]


__all__ = [
    "CheckConfig",
    "ConfigError",
    "find_config",
    "load_config",
    "merged",
    "new_findings",
    "read_baseline",
    "write_baseline",
]
