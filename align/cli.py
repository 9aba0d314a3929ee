"""The `align` command line: a thin typer layer over the pipeline and the writers."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from align import __version__

if TYPE_CHECKING:
    from align.model import Alignment
    from align.pipeline import Pipeline

EXAMPLES = """\b
Examples:
  align run seeds/                    every article under seeds/ -> out/<doc>.tmx|csv|jsonl + out/corpus.*
  align run a.ru.txt a.en.txt -f tmx,jsonl -o corpus/
  align pair book_ru.txt book_en.txt  two files whose names do not say which is which
  align run docs/ -m st:sentence-transformers/LaBSE   any sentence-transformers model (extra 'st')
  align run site/ --list-untranslated                 print every untranslated sentence as FILE:LINE
"""

app = typer.Typer(
    name="align",
    help="Turn bilingual Russian/English texts into clean parallel corpora (TMX, CSV, JSONL).",
    epilog=EXAMPLES,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
cache_app = typer.Typer(help="Inspect or clear the embedding cache.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")

OutOption = Annotated[Path, typer.Option("--out", "-o", help="Output folder (created if missing).")]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="Comma-separated output formats: tmx, csv, jsonl.")]
ModelOption = Annotated[str, typer.Option("--model", "-m", help="Encoder: 'use' (built in) or 'st:NAME_OR_FOLDER'.")]
MaxBeadOption = Annotated[
    int,
    typer.Option("--max-bead", min=1, max=4, help="Most sentences on one side of a bead (2: 1-2, 2-1, 2-2)."),
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary table.")]
ListOption = Annotated[
    bool,
    typer.Option("--list-untranslated", help="Print every untranslated sentence with its file and line."),
]


def version_callback(value: bool) -> None:
    if value:
        print(f"align {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Turn bilingual Russian/English texts into clean parallel corpora (TMX, CSV, JSONL)."""


@app.command(epilog=EXAMPLES)
def run(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (*.txt, *.md, searched recursively).")],
    out: OutOption = Path("out"),
    formats: FormatOption = "tmx,csv,jsonl",
    model: ModelOption = "use",
    max_bead: MaxBeadOption = 2,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    list_untranslated: ListOption = False,
) -> None:
    """Align every document found in PATHS: one mixed RU/EN article per file, or X.ru.txt + X.en.txt pairs."""
    from align.load import find_inputs

    inputs, errors = find_inputs(paths)
    code = execute(inputs, [str(e) for e in errors], out, formats, model, max_bead, no_cache, quiet, list_untranslated)
    raise typer.Exit(code)


@app.command(epilog=EXAMPLES)
def pair(
    ru_file: Annotated[str, typer.Argument(help="The Russian text.")],
    en_file: Annotated[str, typer.Argument(help="The English text.")],
    out: OutOption = Path("out"),
    formats: FormatOption = "tmx,csv,jsonl",
    model: ModelOption = "use",
    max_bead: MaxBeadOption = 2,
    no_cache: NoCacheOption = False,
    quiet: QuietOption = False,
    list_untranslated: ListOption = False,
) -> None:
    """Align one Russian file with one English file, whatever their names."""
    from align.load import Input

    stem = Path(ru_file).stem
    name = stem[:-3] if stem.lower().endswith((".ru", "_ru", "-ru")) else stem
    errors = [f"{path}: no such file" for path in (ru_file, en_file) if not Path(path).is_file()]
    inputs = [] if errors else [Input(name=name or "pair", paths=(ru_file, en_file))]
    code = execute(inputs, errors, out, formats, model, max_bead, no_cache, quiet, list_untranslated)
    raise typer.Exit(code)


@cache_app.command("info")
def cache_info_command() -> None:
    """Where the cache is, its size and how many vectors it holds per model."""
    from align.cache import cache_info, cache_path

    info = cache_info(cache_path())
    print(f"path: {info['path']}\nsize: {int(info['bytes']) / 1e6:.1f} MB")  # type: ignore[call-overload]
    for model, count in dict(info["models"]).items():  # type: ignore[call-overload]
        print(f"{model}: {count} vectors")


@cache_app.command("clear")
def cache_clear_command() -> None:
    """Delete the embedding cache."""
    from align.cache import cache_path, clear_cache

    clear_cache(cache_path())
    print(f"cleared {cache_path()}")


def execute(
    inputs: list,
    errors: list[str],
    out: Path,
    formats: str,
    model: str,
    max_bead: int,
    no_cache: bool,
    quiet: bool,
    list_untranslated: bool,
) -> int:
    """Run the pipeline on `inputs`, write the outputs, report; return the exit code."""
    from align.align import AlignOptions
    from align.embed import ModelError
    from align.write import FORMATS

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        err.print(f"error: --format {formats!r}: unknown format (use {', '.join(FORMATS)})", markup=False)
        return 2
    for message in errors:
        err.print(f"error: {message}", markup=False)
    try:
        pipeline = make_pipeline(model, AlignOptions(max_bead=max_bead), no_cache)
        alignments, failures = align_all(pipeline, inputs, out, chosen, err, quiet)
    except ModelError as error:
        err.print(f"error: {error}", markup=False)
        return 2
    if alignments and not write_safely(lambda: write_corpus_files(alignments, out, chosen), err):
        failures += 1
    if not quiet:
        Console(highlight=False, width=None if sys.stdout.isatty() else 140).print(summary_table(alignments))
    if list_untranslated:
        print_untranslated(alignments)
    return 2 if errors or failures else 0


def make_pipeline(model: str, options: object, no_cache: bool) -> Pipeline:
    """The pipeline for a `--model` value, with the embedding cache unless disabled."""
    from align.cache import CachedEncoder, cache_path
    from align.embed import Encoder, encoder_for
    from align.pipeline import Pipeline

    encoder: Encoder = encoder_for(model)
    if not no_cache:
        encoder = CachedEncoder(encoder, cache_path())
    return Pipeline(encoder, options)  # type: ignore[arg-type]


def align_all(
    pipeline: Pipeline, inputs: list, out: Path, formats: list[str], err: Console, quiet: bool
) -> tuple[list[Alignment], int]:
    """Align and write each input, showing progress; return the alignments and the number of failures."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from align.load import InputError
    from align.write import write_document

    alignments: list[Alignment] = []
    failures = 0
    live = err.is_terminal and not quiet
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not live,
        transient=True,
    )
    with progress:
        task = progress.add_task("aligning", total=len(inputs))
        notes = lambda message: err.print(f"note: {message}", markup=False)  # noqa: E731
        for item, result in zip(inputs, pipeline.run(inputs, notify=notes), strict=True):
            progress.advance(task)
            if isinstance(result, InputError):
                err.print(f"error: {result}", markup=False)
                failures += 1
                continue
            if write_safely(lambda r=result: write_document(r, out, formats, version=__version__), err):
                alignments.append(result)
                if not live and not quiet:
                    err.print(f"aligned {item.name}: {describe(result)}", markup=False)
            else:
                failures += 1
    return alignments, failures


def write_safely(write: object, err: Console) -> bool:
    """Call the writer; report an OS error (unwritable folder, full disk) on one line instead of a traceback."""
    try:
        write()  # type: ignore[operator]
    except OSError as error:
        where = error.filename or ""
        err.print(f"error: {where}: cannot write ({error.strerror or error})", markup=False)
        return False
    return True


def write_corpus_files(alignments: list[Alignment], out: Path, formats: list[str]) -> None:
    from align.write import write_corpus

    write_corpus(alignments, out, formats, version=__version__)


def describe(alignment: Alignment) -> str:
    """One line: sentences per side, pairs and untranslated sentences."""
    counts = bead_counts([alignment])
    return (
        f"{len(alignment.document.ru)} RU / {len(alignment.document.en)} EN sentences, "
        f"{counts['pairs']} pairs, {counts['untranslated_ru']} RU + {counts['untranslated_en']} EN untranslated"
    )


def bead_counts(alignments: list[Alignment]) -> Counter:
    """Pairs by kind, untranslated sentences per side, other-language sentences, confidence total."""
    counts: Counter = Counter()
    for alignment in alignments:
        for bead in alignment.beads:
            if bead.paired:
                counts["pairs"] += 1
                counts[bead.kind] += 1
                counts["confidence"] += bead.score
            elif bead.other:
                counts["other"] += 1
            elif bead.ru:
                counts["untranslated_ru"] += len(bead.ru)
            else:
                counts["untranslated_en"] += len(bead.en)
    return counts


def summary_table(alignments: list[Alignment]) -> Table:
    """The closing summary: one row per document and a total."""
    table = Table(title="align summary", title_justify="left")
    for column in (
        "document",
        "RU",
        "EN",
        "pairs",
        "1-1",
        "n-m",
        "untr. RU",
        "untr. EN",
        "other",
        "mean conf.",
        "s",
    ):
        table.add_column(column, justify="left" if column == "document" else "right")
    rows = [(a.document.name, [a]) for a in alignments]
    if len(alignments) != 1:
        rows.append((f"total ({len(alignments)})", alignments))
    for label, group in rows:
        counts = bead_counts(group)
        mean = counts["confidence"] / counts["pairs"] if counts["pairs"] else 0.0
        table.add_row(
            label,
            str(sum(len(a.document.ru) for a in group)),
            str(sum(len(a.document.en) for a in group)),
            str(counts["pairs"]),
            str(counts["1-1"]),
            str(counts["pairs"] - counts["1-1"]),
            str(counts["untranslated_ru"]),
            str(counts["untranslated_en"]),
            str(counts["other"]),
            f"{mean:.3f}",
            f"{sum(a.seconds for a in group):.1f}",
        )
    return table


def print_untranslated(alignments: list[Alignment]) -> None:
    """Every sentence without a counterpart, as FILE:LINE [lang] text."""
    for alignment in alignments:
        for bead in alignment.beads:
            if bead.paired:
                continue
            for seg in bead.ru + bead.en + bead.other:
                lang = seg.detected or seg.lang
                print(f"{seg.file}:{seg.line}: [{lang}] {' '.join(seg.text.split())}")


def main() -> None:
    """Console-script entry point."""
    start = time.perf_counter()
    try:
        app()
    except KeyboardInterrupt:
        print(
            f"interrupted after {time.perf_counter() - start:.1f} s; outputs written so far are complete",
            file=sys.stderr,
        )
        sys.exit(130)
