"""align.cli_values: command-line values coerced without pydantic are the ones typer's own coercion gives, and
every value typer's coercion must judge (an error, a sign, a space) gets its answer and its message."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
import typer.main
from typer.core import TyperCommand

from align.cli_values import PlainCommand, PlainGroup
from tests.factories import fresh_stdout

ARGVS = [
    [],
    ["a.txt", "b.txt"],
    ["a.txt", "--jobs", "3", "--bead", "5", "--confidence", "0.75", "--out", "corpus", "--ignore", "x"],
    ["a.txt", "--ignore", "x", "--ignore", "y"],
    ["a.txt", "--jobs", "+3"],
    ["a.txt", "--jobs", " 3"],
    ["a.txt", "--jobs", "007"],
    ["a.txt", "--jobs", "1" * 5000],  # more digits than int() reads: typer's one-line usage error, not a crash
    ["a.txt", "--jobs", "0"],
    ["a.txt", "--jobs", "three"],
    ["a.txt", "--jobs", "1_000"],
    ["a.txt", "--jobs", "٣"],
    ["a.txt", "--bead", "6"],
    ["a.txt", "--bead", ""],
    ["a.txt", "--confidence", "1"],
    ["a.txt", "--confidence", ".5"],
    ["a.txt", "--confidence", "1e-1"],
    ["a.txt", "--confidence", "nan"],
    ["a.txt", "--confidence", "high"],
    ["a.txt", "--out", ""],
    ["a.txt", "--out", "corpus/"],
    ["a.txt", "--out", "./corpus//x"],
    ["a.txt", "--out", "-"],
    ["a.txt", "--langs", "de,fr", "--flag"],
    ["a.txt", "--langs", "ru\udcffen"],
    ["a.txt", "--unknown"],
    ["--help"],
]


def make_app(plain: bool) -> typer.Typer:
    """One command with an option of every kind align's commands take, plainly coerced or by typer alone."""
    app = typer.Typer(cls=PlainGroup if plain else None, add_completion=False)

    @app.callback()
    def main(version: Annotated[bool, typer.Option("--version")] = False) -> None:
        """The group's own flag."""

    @app.command(cls=PlainCommand if plain else TyperCommand)
    def run(
        paths: Annotated[list[str], typer.Argument()],
        out: Annotated[Path, typer.Option("--out", "-o")] = Path("out"),
        jobs: Annotated[int, typer.Option("--jobs", min=1)] = 1,
        bead: Annotated[int | None, typer.Option("--bead", min=1, max=5)] = None,
        confidence: Annotated[float | None, typer.Option("--confidence")] = None,
        ignore: Annotated[list[str] | None, typer.Option("--ignore")] = None,
        langs: Annotated[str, typer.Option("--langs")] = "ru,en",
        flag: Annotated[bool, typer.Option("--flag")] = False,
    ) -> None:
        """Every kind of value."""

    return app


def parsed(app: typer.Typer, argv: list[str]) -> tuple[str, Any]:
    """("ok", the command's values with their types, as reprs) or ("error", typer's message) for `align run ARGV`."""
    group = typer.main.get_command(app)
    try:
        parent = group.make_context("align", ["run", *argv])
        command = group.get_command(parent, "run")
        assert command is not None
        values = command.make_context("run", list(argv), parent=parent).params
    except typer.Exit:
        return ("exit", None)
    except Exception as error:  # typer's usage errors (BadParameter, NoSuchOption, MissingParameter)
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        return ("error", (type(error).__name__, message))
    return ("ok", {name: (type(value).__name__, repr(value)) for name, value in values.items()})  # repr: nan


@pytest.mark.parametrize("argv", ARGVS, ids=[" ".join(argv) or "(none)" for argv in ARGVS])
def test_every_value_parses_as_typer_alone_parses_it(argv: list[str]) -> None:
    assert parsed(make_app(plain=True), argv) == parsed(make_app(plain=False), argv)


def test_parsing_align_s_commands_imports_no_pydantic() -> None:
    script = (
        "import sys, typer.main, align.cli\n"
        "group = typer.main.get_command(align.cli.app)\n"
        "parent = group.make_context('align', ['run', 'x'])\n"
        "for name, argv in (('run', ['x', 'y', '-j', '2', '-o', 'o', '--max-bead', '3', '-f', 'tmx']),\n"
        "                   ('check', ['x', '--min-confidence', '0.7', '--ignore', 'a', '-f', 'json'])):\n"
        "    group.get_command(parent, name).make_context(name, argv, parent=parent)\n"
        "print('pydantic' in sys.modules)\n"
    )
    found = fresh_stdout(script)
    assert found.strip() == "False"
