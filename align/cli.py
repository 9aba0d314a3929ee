"""The `align` command line: typer signatures that build a Request for align.runner, and the rendering of results."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from align import __version__
from align.checks import rules_help
from align.cli_values import PlainCommand, PlainGroup

if TYPE_CHECKING:

    from align.options import AlignOptions
    from align.runner import Request

EXAMPLES = """\b
Examples:
  align run seeds/                    every article under seeds/ -> out/<doc>.tmx|csv|jsonl + out/corpus.*
  align run a.ru.txt a.en.txt -f tmx,jsonl -o corpus/
  align pair book_ru.txt book_en.txt  two files whose names do not say which is which
  align run docs/ -m st:sentence-transformers/LaBSE   any sentence-transformers model (extra 'st')
  align run site/ --list-untranslated                 print every untranslated sentence as FILE:LINE
"""
CHECK_EXAMPLES = """\b
Examples:
  align check site/ --require en        every Russian passage needs English (exit 1 if one has none)
  align check docs/ -f github           annotations for GitHub Actions
  align check docs/ -f sarif > align.sarif
  align check docs/ --write-baseline .align-baseline.json   accept today's findings ...
  align check docs/ --baseline .align-baseline.json         ... and fail only on new ones
"""
ABOUT = "Turn bilingual Russian/English texts into clean parallel corpora (TMX, CSV, JSONL, HTML)."
DEFAULT_MAX_FILE_SIZE = "50MB"
DEFAULT_FORMATS = "tmx,csv,jsonl"
STDOUT = "-"  # --out -: JSONL on stdout
EMBEDDING_COMMANDS = ("run", "pair", "check")  # the commands that embed (align.cli.start_encoder)
HELP = "--help"
NO_CACHE = "--no-cache"

app = typer.Typer(
    name="align",
    cls=PlainGroup,  # its own options coerced without pydantic, as PlainCommand's are
    help=ABOUT,
    epilog=EXAMPLES,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,  # a bug is one line (align.console.run_app), its traceback only with --debug
)
cache_app = typer.Typer(help="Inspect or clear the embedding cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")

Out = Annotated[Path, typer.Option("--out", "-o", help="Output folder (created if missing); - for JSONL on stdout.")]
Formats = Annotated[str, typer.Option("--format", "-f", help="Comma-separated: tmx csv jsonl html xliff vecalign.")]
Model = Annotated[str, typer.Option("--model", "-m", help="Encoder: 'use' (built in) or 'st:NAME_OR_FOLDER'.")]
MaxBead = Annotated[
    int | None,
    typer.Option(
        "--max-bead", min=1, max=5, help="Most sentences on one side of a bead (2: 1-2, 2-1, 2-2). [default: 2; "
        "5 with --presplit and --langs other than ru,en]", show_default=False,
    ),
]
NoCache = Annotated[bool, typer.Option(NO_CACHE, help="Do not read or write the embedding cache.")]
Engine = Annotated[str, typer.Option("--engine", help="local: this machine (--jobs); dask: a Dask cluster.")]
Scheduler = Annotated[
    str | None, typer.Option("--scheduler", help="Dask scheduler, e.g. tcp://HOST:8786 (default: a local cluster).")
]
Workers = Annotated[int, typer.Option("--workers", min=1, help="Worker processes of the local Dask cluster.")]
ShardSize = Annotated[int, typer.Option("--shard-size", min=1, help="Documents per corpus-NNNNN.* file (dask).")]
Decisions = Annotated[
    str | None,
    typer.Option("--decisions", help="decisions.json saved from report.html: its edits made again, rejections kept."),
]
Jobs = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Documents aligned in N parallel processes. 0: one per core when at least 256 KiB is left to align "
        "and no file holds more than a process's share, else 1.",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary table.")]
ListUntranslated = Annotated[
    bool, typer.Option("--list-untranslated", help="Print every untranslated sentence with its file and line.")
]
ExcelSafe = Annotated[
    bool, typer.Option("--csv-excel-safe", help="Prefix CSV cells starting with = + - @ tab or CR with '.")
]
PlainText = Annotated[
    bool, typer.Option("--plain-text", help="TMX without inline tags for code and links (CSV/JSONL are plain).")
]
MaxSize = Annotated[
    str, typer.Option("--max-file-size", help="Larger input files are refused (e.g. 50MB, 500K, 1GB, bytes).")
]
Langs = Annotated[str, typer.Option("--langs", help="Source and target language, e.g. de,fr (any two of ar de en es "
                                    "fr it ja ko nl pl pt ru th tr zh).")]
Presplit = Annotated[
    bool, typer.Option("--presplit", help="Each input line is one sentence; empty lines are paragraph breaks.")
]


def size_limit(text: str) -> int:
    """Bytes in a --max-file-size value; a usage error (exit 2) for a malformed one."""
    from align.load import parse_size

    try:
        return parse_size(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--max-file-size") from None


def version_callback(value: bool) -> None:
    if value:
        print(f"align {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error (exit 3).")] = False,
) -> None:
    """Turn bilingual Russian/English texts into clean parallel corpora (TMX, CSV, JSONL, HTML)."""


def request_of(paths: list[str], **settings: object) -> Request:
    """The runner's Request for a command's options; a usage error (exit 2) for a bad --format."""
    from align.console import configured_languages, creation_date_or_exit
    from align.runner import Request
    from align.writers import UnknownFormat, parse_formats

    formats = settings.pop("formats", None)
    try:
        chosen = tuple(parse_formats(str(formats))) if formats is not None else ()
    except UnknownFormat as error:
        from align.console import say, stderr

        say(stderr(), "error", str(error))
        raise typer.Exit(2) from None
    if settings.get("out") == Path(STDOUT):  # JSONL to stdout, as each document is done; no files
        if formats not in (None, "jsonl", DEFAULT_FORMATS):
            from align.console import say, stderr

            say(stderr(), "error", f"--out - writes JSONL to stdout: --format {formats} needs an output folder")
            raise typer.Exit(2)
        settings["out"] = None
        chosen = ()
    settings["langs"] = chosen_langs(str(settings.pop("langs", "ru,en")))
    max_bead = settings.pop("max_bead", None)
    size = size_limit(str(settings.pop("max_file_size", DEFAULT_MAX_FILE_SIZE)))
    cache = not settings.pop("no_cache", False)
    return Request(  # type: ignore[arg-type]
        paths=tuple(paths), formats=chosen, options=aligner_options(max_bead, settings), max_bytes=size, cache=cache,
        created=creation_date_or_exit(), languages=configured_languages(), **settings,
    )


def aligner_options(max_bead: object, settings: dict[str, object]) -> AlignOptions:
    """The aligner's options: its defaults, or with --presplit and a pair other than ru,en the ones tuned on
    Text+Berg (align.languages.presplit_options); --max-bead, when given, wins."""
    from align.languages import is_default, presplit_options
    from align.options import AlignOptions

    tuned = settings.get("presplit") and not is_default(settings["langs"])  # type: ignore[arg-type]
    options = presplit_options() if tuned else AlignOptions()
    return replace(options, max_bead=int(max_bead)) if max_bead is not None else options  # type: ignore[call-overload]


def chosen_langs(text: str) -> tuple[str, str]:
    """(source, target) of a --langs value; a usage error (exit 2) for a bad one."""
    from align.languages import LanguagesError, parse_langs

    try:
        return parse_langs(text)
    except LanguagesError as error:
        raise typer.BadParameter(str(error), param_hint="--langs") from None


def start_encoder(argv: Sequence[str]) -> None:
    """Start loading what the default encoder can load in a thread (its piece model, 0.19 s of CPU that lets go of
    the GIL: align.encoders.start_loading) before typer parses a command that embeds in this process (parsing
    imports pydantic) and before the command's imports (numpy, rich, the pipeline), so the load overlaps them. The
    options are only glanced at, and the load starts only if a file under the arguments changed since the cache
    was last written (align.early_load): a re-run on unchanged inputs embeds nothing, and the load would only
    take the other core and make the exit wait for it. A guess wrong either way costs time, never a result."""
    command = next((arg for arg in argv if not arg.startswith("-")), None)  # after flags such as --debug
    if command not in EMBEDDING_COMMANDS or HELP in argv:
        return
    jobs, engine = option_value(argv, "--jobs", "-j"), option_value(argv, "--engine")
    if jobs not in (None, "0", "1") or engine not in (None, "local"):
        return  # worker processes embed
    from align.early_load import changed_since_cache

    arguments = [arg for arg in argv[argv.index(command) + 1 :] if not arg.startswith("-")]  # option values too
    if NO_CACHE not in argv and not changed_since_cache(arguments):
        return
    from align.encoders import DEFAULT_MODEL, start_loading

    start_loading(option_value(argv, "--model", "-m") or DEFAULT_MODEL)


def option_value(argv: Sequence[str], *names: str) -> str | None:
    """The value given to an option ("--name VALUE", "--name=VALUE", "-n VALUE", "-nVALUE"), the last one if
    repeated, else None."""
    found = None
    for arg, following in zip(argv, [*argv[1:], None], strict=True):
        name, equals, value = arg.partition("=")
        if name in names:
            found = value if equals else following
        elif arg[:2] in names and not arg.startswith("--"):
            found = arg[2:]
    return found


def execute(request: Request, quiet: bool) -> int:
    """Run the request and render what it did (align.console); the exit code."""
    from align.console import run_and_render

    return run_and_render(request, quiet)


@app.command(cls=PlainCommand, epilog=EXAMPLES)  # PlainCommand: plain values coerced without pydantic
def run(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (every format align reads), or - for stdin.")],
    out: Out = Path("out"),
    formats: Formats = DEFAULT_FORMATS,
    model: Model = "use",
    max_bead: MaxBead = None,
    no_cache: NoCache = False,
    jobs: Jobs = 0,
    quiet: Quiet = False,
    list_untranslated: ListUntranslated = False,
    csv_excel_safe: ExcelSafe = False,
    plain_text: PlainText = False,
    max_file_size: MaxSize = DEFAULT_MAX_FILE_SIZE,
    decisions: Decisions = None,
    engine: Engine = "local",
    scheduler: Scheduler = None,
    workers: Workers = 2,
    shard_size: ShardSize = 1000,
    langs: Langs = "ru,en",
    presplit: Presplit = False,
) -> None:
    """Align every document found in PATHS: one mixed RU/EN article per file, or X.ru.txt + X.en.txt pairs."""
    options = dict(locals())  # every option above, by name: one Request for every command and engine
    from align.engines import ENGINE_NAMES

    if engine not in ENGINE_NAMES:
        raise typer.BadParameter(f"{engine!r}: use {' or '.join(ENGINE_NAMES)}", param_hint="--engine")
    if engine == "local" and scheduler:
        raise typer.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
    raise typer.Exit(execute(request_of(options.pop("paths"), **renamed(options)), quiet))


def pair(
    ru_file: Annotated[str, typer.Argument(help="The Russian text.")],
    en_file: Annotated[str, typer.Argument(help="The English text.")],
    **options: object,
) -> None:
    """Align one Russian file with one English file, whatever their names."""
    quiet = bool(options.get("quiet"))
    raise typer.Exit(execute(request_of([ru_file, en_file], pair=True, **renamed(options)), quiet))


# `align pair` takes run's options but the engine's: its signature is run's, with two files for PATHS.
PAIR_SKIPS = ("paths", "engine", "scheduler", "workers", "shard_size")
pair.__signature__ = inspect.signature(pair).replace(  # type: ignore[attr-defined]
    parameters=[
        *list(inspect.signature(pair, eval_str=True).parameters.values())[:2],
        *(p for name, p in inspect.signature(run, eval_str=True).parameters.items() if name not in PAIR_SKIPS),
    ]
)
app.command(name="pair", cls=PlainCommand, epilog=EXAMPLES)(pair)


def renamed(options: dict[str, object]) -> dict[str, object]:
    """Command-line option names as Request settings (quiet is the console's, not the runner's)."""
    settings = {key: value for key, value in options.items() if key != "quiet"}
    if "csv_excel_safe" in settings:
        settings["excel_safe"] = settings.pop("csv_excel_safe")
    return settings


@app.command(cls=PlainCommand, epilog=CHECK_EXAMPLES + "\n\b\n" + rules_help())
def check(
    paths: Annotated[list[str], typer.Argument(help="Files or folders, as for `align run`.")],
    require: Annotated[
        str | None, typer.Option("--require", "-r", help="Side that must be complete: en, ru or both. [default: en]")
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--format", "-f", help="text, json, github, junit, sarif, or html (OUT/report.html).")
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for --format html.")] = Path("out"),
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="Lowest severity that fails: note, warning, error, never.")
    ] = None,
    min_confidence: Annotated[
        float | None, typer.Option("--min-confidence", help="Pairs below this confidence are reported. [0.5]")
    ] = None,
    glossary: Annotated[str | None, typer.Option("--glossary", "-g", help="CSV glossary with columns ru,en.")] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Regex; matching sentences are not reported (repeatable).")
    ] = None,
    baseline: Annotated[str | None, typer.Option("--baseline", help="Report only findings not in this file.")] = None,
    write_baseline_to: Annotated[
        str | None, typer.Option("--write-baseline", help="Record today's findings as known, then exit 0.")
    ] = None,
    config_file: Annotated[
        str | None, typer.Option("--config", help="align.toml or pyproject.toml ([tool.align]) to read.")
    ] = None,
    model: Model = "use",
    no_cache: NoCache = False,
    jobs: Jobs = 0,
    max_file_size: MaxSize = DEFAULT_MAX_FILE_SIZE,
    langs: Langs = "ru,en",
    presplit: Presplit = False,
) -> None:
    """Report untranslated passages, suspicious pairs, inconsistencies and glossary violations.

    Exit 0 when nothing at or above --fail-on is found, 1 when something is, 2 on a user error.
    """
    from align.checking import CheckRequest, run_check
    from align.languages import is_default

    if not is_default(chosen_langs(langs)):  # the rules' messages, scripts and number conventions are RU/EN's
        from align.console import say, stderr

        say(stderr(), "error", f"--langs {langs}: align check knows Russian and English only so far; "
            "align run --langs ... --list-untranslated lists the untranslated sentences of any pair")
        raise typer.Exit(2)
    request = request_of(
        paths, partners=True, model=model, no_cache=no_cache, jobs=jobs, max_file_size=max_file_size, langs=langs,
        presplit=presplit,
    )
    asked = CheckRequest(
        run=request, require=require, output_format=output_format, out=out, fail_on=fail_on,
        min_confidence=min_confidence, glossary=glossary, ignore=tuple(ignore) if ignore else None,
        baseline=baseline, write_baseline=write_baseline_to, config_file=config_file,
    )
    raise typer.Exit(run_check(asked))


@cache_app.command("info")
def cache_info_command() -> None:
    """Where the cache is, its size and how many vectors it holds per model."""
    from align.cache import cache_info, cache_path
    from align.console import cache_or_exit

    info = cache_or_exit(lambda: cache_info(cache_path()))
    print(f"path: {info['path']}\nsize: {int(info['bytes']) / 1e6:.1f} MB")  # type: ignore[call-overload]
    for name, count in dict(info["models"]).items():  # type: ignore[call-overload]
        print(f"{name}: {count} vectors")
    print(f"finished alignments: {info['results']} documents")


@cache_app.command("clear")
def cache_clear_command() -> None:
    """Delete the embedding cache."""
    from align.cache import cache_path, clear_cache
    from align.console import cache_or_exit

    cache_or_exit(lambda: clear_cache(cache_path()))
    print(f"cleared {cache_path()}")


def main() -> None:
    """Console-script entry point (Ctrl-C and SIGTERM handled by align.console.run_app)."""
    import sys

    from align.console import run_app

    start_encoder(sys.argv[1:])
    try:
        run_app(app)
    finally:
        skip_exit_collections()


def skip_exit_collections() -> None:
    """Leave what the run made to the end of the process, not to Python's collector: the interpreter's last
    collections walk every object still alive (a re-check's cached alignments, the encoder, the modules), about
    a tenth of a second of a 0.7 s re-check of a 208-page tree (bench/incremental.py). gc.freeze() moves them
    out of the collector's sight; each is still released by reference counting, and the cache's connection is
    closed before this (align.pipeline.Pipeline.close, align.findings_cache)."""
    import gc

    gc.freeze()
