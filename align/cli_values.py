"""Command-line values coerced as typer does, without pydantic for the plain ones align's options take.

typer (0.29) coerces every option's value through a pydantic TypeAdapter it builds on first use, so that parsing
`align run` or `align check` imports pydantic, which `align --version` never does. `PlainCommand` gives each of
its parameters a coercion that returns at once what typer's own would for a plain value (a string; digits for an
int within its bounds; a decimal for a float; a path; strings for a list of strings; a missing value) and hands
every other value to typer's own coercion, so that what is accepted and every error message stay typer's. A typer
without this hook (no `_runtime_param`, no `typer._coercion`) keeps its own coercion throughout.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args, get_origin

from typer.core import TyperCommand, TyperGroup

MAX_PLAIN_DIGITS = 18  # longer digit strings go to typer (int() refuses more than 4,300; typer says so in one line)
DIGITS = re.compile(rf"[0-9]{{1,{MAX_PLAIN_DIGITS}}}")  # what int() and pydantic read alike (no sign, space, …)
DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # likewise for float()
NUL = "\x00"


class NotPlain(Exception):
    """A value typer's own coercion must see (it may accept it otherwise, or reject it with its own message)."""


class PlainCommand(TyperCommand):
    """A typer command whose parameters (--help too) coerce plain values without pydantic (PlainCoercion)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        for param in self.get_params(ctx):
            with_plain_coercion(param)
        return super().parse_args(ctx, args)


class PlainGroup(TyperGroup):
    """A typer group (the app: --version, --debug, --help) whose parameters coerce plain values so."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        for param in self.get_params(ctx):
            with_plain_coercion(param)
        return super().parse_args(ctx, args)


class PlainCoercion:
    """typer's RuntimeParam.coerce for one parameter, plain values done here (plain_value), others by typer."""

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:  # as typer's RuntimeParam.coerce, before any adapter
            return () if many else None
        try:
            if many and isinstance(value, str):
                raise NotPlain  # typer's "Value must be an iterable."
            return plain_value(self.descriptor.annotation, self.descriptor.parameter_info, value, (param, ctx))
        except NotPlain:
            from typer._coercion import build_runtime_param

            return build_runtime_param(self.descriptor).coerce(value, param=param, ctx=ctx)


def with_plain_coercion(param: Any) -> None:
    """Give a typer parameter PlainCoercion, unless its coercion is built already or this typer has no such hook."""
    if getattr(param, "_runtime_param", False) is None and hasattr(param, "type_descriptor"):
        param._runtime_param = PlainCoercion(param.type_descriptor)


def plain_value(annotation: Any, info: Any, value: Any, where: tuple[Any, Any]) -> Any:
    """What typer's TypeAdapter gives for `value` of a parameter of type `annotation` (`where`: the parameter and
    context, for a path's checks); NotPlain when that takes typer's own coercion to know."""
    if info.parser is not None:
        raise NotPlain
    if get_origin(annotation) is list and get_args(annotation) == (str,):
        if isinstance(value, list | tuple) and all(type(item) is str for item in value):
            return list(value)
        raise NotPlain
    if annotation is str and type(value) is str:
        return value
    if annotation is bool and type(value) is bool:
        return value
    if annotation in (int, float):
        return within_bounds(plain_number(annotation, value), info)
    if annotation is Path and info.path_type is None:
        return plain_path(value, info, where)
    raise NotPlain


def plain_number(kind: type, value: Any) -> int | float:
    """An int or float option's value: itself, or the number its digits write."""
    if type(value) is kind:
        return value
    if type(value) is str and (DIGITS if kind is int else DECIMAL).fullmatch(value):
        return kind(value)
    raise NotPlain


def within_bounds(number: int | float, info: Any) -> int | float:
    """`number` if the option's min and max allow it (one outside, or a clamped option's, is typer's to handle)."""
    if info.clamp or (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
        raise NotPlain
    return number


def plain_path(value: Any, info: Any, where: tuple[Any, Any]) -> Path:
    """A path option's value, checked as typer checks it (its existence, kind, permissions, as the option asks);
    a string only when Path leaves it as it is (so that typer's messages would name it the same)."""
    from typer._param_types import coerce_cli_path

    if type(value) is str and value and NUL not in value and str(Path(value)) == value:
        value = Path(value)
    if not isinstance(value, Path):
        raise NotPlain
    param, ctx = where
    return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
