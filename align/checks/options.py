"""`CheckOptions`: every setting of `align check`, validated alike for code, align.toml and command line.

Plain dataclass, checked field by field in `__post_init__`: reading a command line or a configuration file
imports no validation library (`align check` imported pydantic for these settings alone, before 2026-12-02).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from align.checks import DEFAULT_LENGTH_RATIO_Z, DEFAULT_MIN_CONFIDENCE
from align.report import FAIL_ON, FORMATS

REQUIRES = ("en", "ru", "both")
LANGUAGE_KEYS = ("ru", "en")  # the languages a `languages` table may give more names for
SEQUENCES = (list, tuple, set, frozenset)  # what a list setting may be given as


class OptionError(ValueError):
    """A bad value of setting `name`: `problem` says what it must be ("must be a number from 0 to 1"); a
    `pattern` error's problem is the whole message (it names the pattern)."""

    def __init__(self, name: str, value: Any, problem: str, pattern: bool = False) -> None:
        self.name, self.value, self.problem, self.pattern = name, value, problem, pattern
        super().__init__(problem if pattern else f"{name} {problem}, not {value!r}")


def _one_of(choices: tuple[str, ...]) -> Callable[[str, Any], str]:
    """A check accepting only the strings `choices`."""

    def check(name: str, value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise OptionError(name, value, "must be one of " + ", ".join(choices))
        return value

    return check


def _number(accepts: Callable[[float], bool], expected: str) -> Callable[[str, Any], float]:
    """A check accepting finite numbers (not booleans) that `accepts` says yes to; `expected` names them."""

    def check(name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise OptionError(name, value, "must be a number")
        if not accepts(value):
            raise OptionError(name, value, f"must be {expected}")
        return float(value)

    return check


def _strings(name: str, value: Any, problem: str) -> tuple[str, ...]:
    """`value` (a list, tuple or set of strings) as a tuple; OptionError(problem) for anything else."""
    if not isinstance(value, SEQUENCES) or not all(isinstance(item, str) for item in value):
        raise OptionError(name, value, problem)
    return tuple(value)


def _patterns(name: str, value: Any) -> tuple[str, ...]:
    """Regular expressions, one given as a string being a list of one; each must compile."""
    patterns = _strings(name, (value,) if isinstance(value, str) else value, "must be a list of regular expressions")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            message = f"ignore pattern {pattern!r} is not a valid regular expression: {error}"
            raise OptionError(name, value, message, pattern=True) from None
    return patterns


def _path(name: str, value: Any) -> str | None:
    """A file path as a string (a Path is one); None is no file; an empty string is no path at all."""
    if isinstance(value, Path):
        value = str(value)
    if value is not None and (not isinstance(value, str) or value == ""):
        raise OptionError(name, value, "must be a file path")
    return value


def _languages(name: str, value: Any) -> dict[str, tuple[str, ...]]:
    """A table of extra spellings for "ru" and "en", each a list of strings."""
    problem = 'must be a table of extra spellings, e.g. ru = ["russian"]'
    if not isinstance(value, dict) or not all(key in LANGUAGE_KEYS for key in value):
        raise OptionError(name, value, problem)
    return {key: _strings(name, spellings, problem) for key, spellings in value.items()}


def _terms(name: str, value: Any) -> tuple[tuple[str, str], ...]:
    """The glossary's (ru, en) term pairs."""
    if not isinstance(value, SEQUENCES) or not all(_is_term_pair(pair) for pair in value):
        raise OptionError(name, value, "must be a list of (ru, en) term pairs")
    return tuple((ru, en) for ru, en in value)


def _is_term_pair(pair: Any) -> bool:
    return isinstance(pair, SEQUENCES) and len(pair) == 2 and all(isinstance(term, str) for term in pair)


CHECKS: dict[str, Callable[[str, Any], Any]] = {
    "require": _one_of(REQUIRES),
    "fail_on": _one_of(FAIL_ON),
    "min_confidence": _number(lambda value: 0.0 <= value <= 1.0, "a number from 0 to 1"),
    "length_ratio_z": _number(lambda value: value > 0, "a positive number"),
    "ignore": _patterns,
    "glossary": _path,
    "baseline": _path,
    "format": _one_of(FORMATS),
    "languages": _languages,
    "terms": _terms,
}


def validated(name: str, value: Any) -> Any:
    """`value` as setting `name` holds it (a list of patterns as a tuple, an int as a float); OptionError if bad."""
    return CHECKS[name](name, value)


@dataclass(frozen=True)
class CheckOptions:
    """What `align check` requires, how strict it is and how it reports; the defaults apply when neither a
    configuration file nor the command line sets a value. A bad value raises OptionError (a ValueError) naming
    the setting and what it must be; align.config turns it into a one-line ConfigError naming the file.
    """

    require: str = "en"  # "en": every Russian passage needs an English counterpart; "ru": the reverse; "both"
    fail_on: str = "warning"  # lowest severity that makes the exit code 1 ("never": always 0)
    min_confidence: float = DEFAULT_MIN_CONFIDENCE  # paired beads below this are "low-confidence"
    length_ratio_z: float = DEFAULT_LENGTH_RATIO_Z  # |z| of a pair's log length ratio above which it is reported
    ignore: tuple[str, ...] = ()  # a sentence matching one of these regular expressions is never reported
    glossary: str | None = None  # glossary CSV file (columns ru,en)
    baseline: str | None = None  # baseline file of known findings
    format: str = "text"  # one of report.FORMATS
    languages: dict[str, tuple[str, ...]] = field(default_factory=dict)  # more names for a language in file names
    terms: tuple[tuple[str, str], ...] = ()  # the glossary's (ru, en) term pairs (read_glossary); not a file key

    def __post_init__(self) -> None:
        for setting in fields(self):
            object.__setattr__(self, setting.name, validated(setting.name, getattr(self, setting.name)))


SETTINGS = tuple(setting.name for setting in fields(CheckOptions) if setting.name != "terms")  # a config file's keys
