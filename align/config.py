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
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.anchors import shown_text
from align.checks import sorted_findings
from align.checks.options import SETTINGS, CheckOptions, OptionError, validated
from align.config_files import (  # finding and reading the file, without pydantic (align.console reads it so)
    PYPROJECT,
    ConfigError,
    display_path,
    find_config,
    has_align_table,
    read_toml,
)
from align.files import write_atomic
from align.model import Finding
from align.sidefiles import NotJson, json_value, side_text

if TYPE_CHECKING:
    from pydantic import ValidationError

    from align.baseline_models import Baseline, BaselineEntry

_PATH_KEYS = ("glossary", "baseline")  # relative to the configuration file that sets them


def _key_name(name: str) -> str:
    """How a key is written in messages: with dashes, as in the documentation."""
    return name.replace("_", "-")


# --- finding and reading configuration files ----------------------------------------------------------


def load_config(start: Path, explicit: Path | None = None) -> CheckOptions:
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
            return CheckOptions()
        path = display_path(found)
    data = read_toml(path)
    if path.name == PYPROJECT:
        table = data["tool"]["align"] if has_align_table(data) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.align] must be a table")
        values = _normalise(path, table)
    else:
        values = _align_toml_values(path, data)
    for key in _PATH_KEYS:
        if isinstance(values.get(key), str) and values[key]:
            values[key] = str(path.parent / _expanded(path, key, values[key]))
    return _build(str(path), CheckOptions(), values)


def _expanded(path: Path, key: str, value: str) -> Path:
    """The path a configuration value names, "~" and "~user" expanded; ConfigError for one that names no file."""
    if "\x00" in value:
        raise ConfigError(f"{path}: {_key_name(key)} {value!r}: a path cannot hold a NUL character")
    try:
        return Path(value).expanduser()
    except RuntimeError:  # "~nosuchuser/…", or "~" without a home folder
        user = value.split("/", 1)[0]
        raise ConfigError(f"{path}: {_key_name(key)} {value!r}: cannot expand {user} (no such user)") from None


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


def printable(text: str) -> str:
    """The text with each character that is not printable escaped (a key "\\x1e" would break the message's line)."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _normalise(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    """Keys with dashes turned into underscores; unknown or repeated keys raise ConfigError."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in SETTINGS:
            known = [_key_name(setting) for setting in SETTINGS]
            close = difflib.get_close_matches(_key_name(name), known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(known)})"
            raise ConfigError(f"{path}: unknown key '{printable(key)}'{hint}")
        if name in values:
            raise ConfigError(f"{path}: '{_key_name(name)}' is set twice")
        values[name] = value
    return values


# --- validation ---------------------------------------------------------------------------------------


def _build(source: str, base: CheckOptions, values: dict[str, Any]) -> CheckOptions:
    """`base` with `values` (field name → value, as read from `source`) in place, validated in their order:
    the first bad one raises a one-line ConfigError, e.g. "align.toml: min-confidence must be a number from 0
    to 1, not 1.5"."""
    try:
        return replace(base, **{name: validated(name, value) for name, value in values.items()})
    except OptionError as error:
        if error.pattern:
            raise ConfigError(f"{source}: {error.problem}") from None
        raise ConfigError(f"{source}: {_key_name(error.name)} {error.problem}, not {error.value!r}") from None


def merged(config: CheckOptions, **overrides: Any) -> CheckOptions:
    """`config` with every override that is not None (command-line values) put in its place.

    Override names are CheckOptions field names (fail_on, not fail-on); an unknown name raises TypeError.
    An empty `ignore` list counts as not given (a repeatable option nobody used). Values are validated
    like the file's; a bad one raises ConfigError("command line: ...").
    """
    unknown = set(overrides) - {field.name for field in fields(CheckOptions)}
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
    from align.baseline_models import BASELINE_VERSION, Baseline, BaselineEntry

    entries: dict[str, BaselineEntry] = {}
    for finding in sorted_findings(findings):
        entry = BaselineEntry(rule=finding.rule, file=shown_text(finding.file), message=shown_text(finding.message))
        entries.setdefault(finding.fingerprint, entry)
    fingerprints = {fingerprint: entries[fingerprint].model_dump() for fingerprint in sorted(entries)}
    baseline = Baseline(version=BASELINE_VERSION, fingerprints=fingerprints)
    write_atomic(Path(path), json.dumps(baseline.model_dump(), ensure_ascii=False, indent=2) + "\n")


def read_baseline(path: Path) -> set[str]:
    """The fingerprints recorded in baseline file `path`; ConfigError("FILE: ...") if missing or corrupt."""
    path = Path(path)
    try:
        text = side_text(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read baseline: {getattr(error, 'strerror', None) or error}") from None
    try:
        data = json_value(text)
    except NotJson as error:
        raise ConfigError(f"{path}: corrupt baseline ({error})") from None
    from pydantic import ValidationError

    from align.baseline_models import Baseline

    try:
        baseline = Baseline.model_validate(data)
    except ValidationError as error:
        raise ConfigError(f"{path}: {_baseline_problem(data, error)}") from None
    return set(baseline.fingerprints)


def _baseline_problem(data: Any, error: ValidationError) -> str:
    """What is wrong with baseline `data`: its shape, then its version, then its fingerprints."""
    from align.baseline_models import BASELINE_VERSION

    problems = {str(problem["loc"][0]) if problem["loc"] else "": problem["type"] for problem in error.errors()}
    if "" in problems or problems.get("fingerprints") == "missing":
        return "corrupt baseline (expected an object with 'version' and 'fingerprints')"
    if "version" in problems:
        return f"unsupported baseline version {data.get('version')!r} (expected {BASELINE_VERSION})"
    return "corrupt baseline ('fingerprints' must map fingerprints to findings)"


def new_findings(findings: list[Finding], baseline: set[str]) -> list[Finding]:
    """The findings whose fingerprint is not in `baseline` (line numbers play no part), in their order."""
    return [finding for finding in findings if finding.fingerprint not in baseline]


def __getattr__(name: str) -> Any:
    """The baseline file's models and version (align.baseline_models), imported with pydantic on first use."""
    if name in ("Baseline", "BaselineEntry", "BASELINE_VERSION"):
        from align import baseline_models

        return getattr(baseline_models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Baseline",
    "BaselineEntry",
    "CheckOptions",
    "ConfigError",
    "find_config",
    "load_config",
    "merged",
    "new_findings",
    "read_baseline",
    "write_baseline",
]
