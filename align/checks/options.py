"""`CheckOptions`: every setting of `align check`, validated (pydantic) for code, align.toml and command line alike."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, Strict
from pydantic.dataclasses import dataclass
from pydantic_core import PydanticCustomError

from align.checks import DEFAULT_LENGTH_RATIO_Z, DEFAULT_MIN_CONFIDENCE
from align.report import FAIL_ON, FORMATS

REQUIRES = ("en", "ru", "both")
PATTERN_ERROR = "pattern"  # the error type of an ignore pattern that is not a regular expression


def _one_of(choices: tuple[str, ...]) -> AfterValidator:
    """A validator accepting only `choices`."""

    def check(value: str) -> str:
        if value not in choices:
            raise PydanticCustomError("choice", "must be one of {choices}", {"choices": ", ".join(choices)})
        return value

    return AfterValidator(check)


def _within(accepts: Callable[[float], bool], expected: str) -> AfterValidator:
    """A validator accepting the numbers `accepts` says yes to; `expected` names them in the error."""

    def check(value: float) -> float:
        if not accepts(value):
            raise PydanticCustomError("range", "must be {expected}", {"expected": expected})
        return value

    return AfterValidator(check)


def _patterns(value: Any) -> Any:
    """One pattern given as a string is a list of one."""
    return (value,) if isinstance(value, str) else value


def _compiled(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """`patterns`, each checked to be a regular expression."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            message = f"ignore pattern {pattern!r} is not a valid regular expression: {error}"
            raise PydanticCustomError(PATTERN_ERROR, "{message}", {"message": message}) from None
    return patterns


def _path(value: Any) -> Any:
    """A Path as a string; an empty string is no path at all."""
    if isinstance(value, Path):
        value = str(value)
    if value == "":
        raise PydanticCustomError("path", "must be a file path")
    return value


def _choice(choices: tuple[str, ...]) -> Any:
    return Field(description="one of " + ", ".join(choices))


Choice = Annotated[str, Strict()]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Patterns = Annotated[tuple[Annotated[str, Strict()], ...], BeforeValidator(_patterns), AfterValidator(_compiled)]
FilePath = Annotated[Annotated[str, Strict()] | None, BeforeValidator(_path)]


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class CheckOptions:
    """What `align check` requires, how strict it is and how it reports; the defaults apply when neither a
    configuration file nor the command line sets a value. A bad value raises pydantic's ValidationError
    (a ValueError); align.config turns it into a one-line ConfigError.

    Each field's description says what it must be, for those messages.
    """

    require: Annotated[Choice, _one_of(REQUIRES), _choice(REQUIRES)] = "en"
    # "en": every Russian passage needs an English counterpart; "ru": the reverse; "both": both
    fail_on: Annotated[Choice, _one_of(FAIL_ON), _choice(FAIL_ON)] = "warning"
    # lowest severity that makes the exit code 1 ("never": always 0)
    min_confidence: Annotated[
        Number, _within(lambda value: 0.0 <= value <= 1.0, "a number from 0 to 1"), Field(description="a number")
    ] = DEFAULT_MIN_CONFIDENCE  # paired beads below this are "low-confidence"
    length_ratio_z: Annotated[
        Number, _within(lambda value: value > 0, "a positive number"), Field(description="a number")
    ] = DEFAULT_LENGTH_RATIO_Z  # |z| of a pair's log length ratio, within its document, above which it is reported
    ignore: Annotated[Patterns, Field(description="a list of regular expressions")] = ()
    # a sentence matching one of these regular expressions is never reported
    glossary: Annotated[FilePath, Field(description="a file path")] = None  # glossary CSV file (columns ru,en)
    baseline: Annotated[FilePath, Field(description="a file path")] = None  # baseline file of known findings
    format: Annotated[Choice, _one_of(FORMATS), _choice(FORMATS)] = "text"  # one of report.FORMATS
    languages: Annotated[
        dict[Literal["ru", "en"], tuple[Annotated[str, Strict()], ...]],
        Field(description="a table of extra spellings, e.g. ru = [\"russian\"]"),
    ] = field(default_factory=dict)  # more names for a language in file and folder names (align.layouts)
    terms: tuple[tuple[str, str], ...] = ()  # the glossary's (ru, en) term pairs (read_glossary); not a file key


SETTINGS = tuple(name for name in CheckOptions.__pydantic_fields__ if name != "terms")  # keys of a config file


def expected(name: str) -> str:
    """What the value of field `name` must be, as in "min-confidence must be a number"."""
    return CheckOptions.__pydantic_fields__[name].description or "valid"
