"""The `align` command line: a thin typer layer over the pipeline and the writers."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from align import __version__

if TYPE_CHECKING:
    from collections.abc import Iterator

    from align.align import AlignOptions
    from align.config import CheckConfig
    from align.model import Alignment
    from align.pipeline import PipelineSpec

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
EngineOption = Annotated[
    str, typer.Option("--engine", help="local: this machine (--jobs); dask: a Dask cluster (extra 'dask').")
]
SchedulerOption = Annotated[
    str | None, typer.Option("--scheduler", help="Dask scheduler, e.g. tcp://HOST:8786 (default: a local cluster).")
]
WorkersOption = Annotated[
    int, typer.Option("--workers", min=1, help="Worker processes of the local Dask cluster (no --scheduler).")
]
ShardSizeOption = Annotated[
    int, typer.Option("--shard-size", min=1, help="Documents per corpus-NNNNN.* file with --engine dask.")
]
DecisionsOption = Annotated[
    str | None,
    typer.Option("--decisions", help="decisions.json saved from report.html: rejected pairs become untranslated."),
]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Documents aligned in parallel processes.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary table.")]
ListOption = Annotated[
    bool,
    typer.Option("--list-untranslated", help="Print every untranslated sentence with its file and line."),
]
ExcelSafeOption = Annotated[
    bool,
    typer.Option("--csv-excel-safe", help="Prefix CSV cells starting with = + - @ tab or CR with ' (no formulas)."),
]
MaxSizeOption = Annotated[
    str, typer.Option("--max-file-size", help="Larger input files are refused (e.g. 50MB, 500K, 1GB, bytes).")
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
    jobs: JobsOption = 1,
    quiet: QuietOption = False,
    list_untranslated: ListOption = False,
    csv_excel_safe: ExcelSafeOption = False,
    max_file_size: MaxSizeOption = "50MB",
    decisions: DecisionsOption = None,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    workers: WorkersOption = 2,
    shard_size: ShardSizeOption = 1000,
) -> None:
    """Align every document found in PATHS: one mixed RU/EN article per file, or X.ru.txt + X.en.txt pairs."""
    if engine not in ("local", "dask"):
        raise typer.BadParameter(f"{engine!r}: use local or dask", param_hint="--engine")
    if engine == "local" and scheduler:
        raise typer.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
    if engine == "dask":
        limit = size_limit(max_file_size)
        options = (paths, out, formats, model, max_bead, no_cache, quiet, csv_excel_safe, limit)
        raise typer.Exit(run_dask(*options, scheduler, workers, shard_size))
    from align.load import find_inputs, within_size_limit

    inputs, errors = find_inputs(paths)
    inputs, too_large = within_size_limit(inputs, size_limit(max_file_size))
    messages = [str(e) for e in errors + too_large]
    code = execute(
        inputs,
        messages,
        out,
        formats,
        model,
        max_bead,
        no_cache,
        quiet,
        list_untranslated,
        jobs,
        csv_excel_safe,
        decisions=decisions,
        max_bytes=size_limit(max_file_size),
    )
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
    jobs: JobsOption = 1,
    quiet: QuietOption = False,
    list_untranslated: ListOption = False,
    csv_excel_safe: ExcelSafeOption = False,
    max_file_size: MaxSizeOption = "50MB",
) -> None:
    """Align one Russian file with one English file, whatever their names."""
    from align.load import Input, with_unique_names, within_size_limit

    stem = Path(ru_file).stem
    name = stem[:-3] if stem.lower().endswith((".ru", "_ru", "-ru")) else stem
    errors = [f"{path}: no such file" for path in (ru_file, en_file) if not Path(path).is_file()]
    inputs = [] if errors else with_unique_names([Input(name=name or "pair", paths=(ru_file, en_file))])
    inputs, too_large = within_size_limit(inputs, size_limit(max_file_size))
    errors += [str(error) for error in too_large]
    code = execute(
        inputs,
        errors,
        out,
        formats,
        model,
        max_bead,
        no_cache,
        quiet,
        list_untranslated,
        jobs,
        csv_excel_safe,
        max_bytes=size_limit(max_file_size),
    )
    raise typer.Exit(code)


CHECK_EXAMPLES = """\b
Examples:
  align check site/ --require en        every Russian passage needs English (exit 1 if one has none)
  align check docs/ -f github           annotations for GitHub Actions
  align check docs/ -f sarif > align.sarif
  align check docs/ --write-baseline .align-baseline.json   accept today's findings ...
  align check docs/ --baseline .align-baseline.json         ... and fail only on new ones
"""


@app.command(epilog=CHECK_EXAMPLES)
def check(
    paths: Annotated[list[str], typer.Argument(help="Files or folders, as for `align run`.")],
    require: Annotated[
        str | None, typer.Option("--require", "-r", help="Side that must be complete: en, ru or both. [default: en]")
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="text, json, github, junit, sarif, or html (writes OUT/report.html)."),
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
    model: ModelOption = "use",
    no_cache: NoCacheOption = False,
    jobs: JobsOption = 1,
    max_file_size: MaxSizeOption = "50MB",
) -> None:
    """Report untranslated passages, suspicious pairs, inconsistencies and glossary violations.

    Exit 0 when nothing at or above --fail-on is found, 1 when something is, 2 on a user error.
    """
    from align.config import ConfigError, load_config, merged

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    html = (output_format or "").strip().lower() == "html"
    try:
        config = merged(
            load_config(Path.cwd(), Path(config_file) if config_file else None),
            require=require,
            format=None if html else output_format,
            fail_on=fail_on,
            min_confidence=min_confidence,
            glossary=glossary,
            ignore=tuple(ignore) if ignore else None,
            baseline=baseline,
        )
    except ConfigError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    max_bytes = size_limit(max_file_size)
    html_out = out if html else None
    raise typer.Exit(run_check(paths, config, write_baseline_to, model, no_cache, err, jobs, max_bytes, html_out))


@cache_app.command("info")
def cache_info_command() -> None:
    """Where the cache is, its size and how many vectors it holds per model."""
    from align.cache import cache_info, cache_path

    info = cache_info(cache_path())
    print(f"path: {info['path']}\nsize: {int(info['bytes']) / 1e6:.1f} MB")  # type: ignore[call-overload]
    for model, count in dict(info["models"]).items():  # type: ignore[call-overload]
        print(f"{model}: {count} vectors")
    print(f"finished alignments: {info['results']} documents")


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
    jobs: int = 1,
    excel_safe: bool = False,
    *,
    decisions: str | None = None,
    max_bytes: int | None = None,
) -> int:
    """Run the pipeline on `inputs`, write the outputs, report; return the exit code."""
    from align.align import AlignOptions
    from align.decisions import read_decisions
    from align.embed import ModelError
    from align.write import FORMATS

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in (*FORMATS, "html")]
    if unknown or not chosen:
        err.print(f"error: --format {formats!r}: unknown format (use {', '.join(FORMATS)}, html)", markup=False)
        return 2
    want_html = "html" in chosen
    chosen = [f for f in chosen if f != "html"]
    try:
        reviewed = read_decisions(decisions) if decisions else None
    except ValueError as error:
        err.print(f"error: {error}", markup=False)
        return 2
    for message in errors:
        err.print(f"error: {message}", markup=False)
    if inputs and not write_safely(lambda: out.mkdir(parents=True, exist_ok=True), err):
        return 2  # no output folder: one error line, nothing aligned in vain
    try:
        spec = pipeline_spec(model, AlignOptions(max_bead=max_bead), no_cache or not cache_usable(err), max_bytes)
        alignments, failures = align_all(spec, inputs, out, chosen, err, quiet, jobs, excel_safe, reviewed)
    except ModelError as error:
        err.print(f"error: {error}", markup=False)
        return 2
    except sqlite3.Error as error:  # e.g. the disk filled up under the cache: one line, not a traceback
        err.print(f"error: embedding cache: {error} (run again with --no-cache)", markup=False)
        return 2
    if alignments and not write_safely(lambda: write_corpus_files(alignments, out, chosen, excel_safe), err):
        failures += 1
    if want_html and alignments and not write_safely(lambda: write_html(alignments, None, out), err):
        failures += 1
    if not quiet:
        Console(highlight=False, width=None if sys.stdout.isatty() else 140).print(summary_table(alignments))
    if list_untranslated:
        print_untranslated(alignments)
    return 2 if errors or failures else 0


def cache_usable(err: Console) -> bool:
    """Whether the embedding cache folder can be created and written; if not, one note, and the run goes on
    without the cache (a corrupt cache file is rebuilt by align.cache itself)."""
    from align.cache import cache_path

    folder = cache_path().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(13, "not writable", str(folder))
    except OSError as error:
        err.print(f"note: embedding cache {folder} unusable ({error.strerror or error}); not caching", markup=False)
        return False
    return True


def pipeline_spec(model: str, options: AlignOptions, no_cache: bool, max_bytes: int | None = None) -> PipelineSpec:
    """What builds the pipeline for a `--model` value, with the embedding cache unless disabled."""
    from align.pipeline import PipelineSpec

    spec = PipelineSpec(model=model, options=options, cache=not no_cache)
    return spec if max_bytes is None else replace(spec, max_bytes=max_bytes)


def align_all(
    spec: PipelineSpec,
    inputs: list,
    out: Path | None,
    formats: list[str],
    err: Console,
    quiet: bool,
    jobs: int = 1,
    excel_safe: bool = False,
    reviewed: dict | None = None,
) -> tuple[list[Alignment], int]:
    """Align (and, given `out`, write) each input, showing progress; return the alignments and the failures.

    `reviewed` holds a reviewer's decisions from report.html: accepted pairs are kept, rejected ones split.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from align.decisions import apply_decisions
    from align.load import InputError
    from align.write import write_document

    def save(alignment: Alignment) -> bool:
        if out is None:
            return True
        write = lambda: write_document(alignment, out, formats, version=__version__, excel_safe=excel_safe)  # noqa: E731
        return write_safely(write, err)

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
        for item, (result, notes) in zip(inputs, results_of(spec, inputs, jobs), strict=True):
            progress.advance(task)
            for note in notes:
                err.print(f"note: {note}", markup=False)
            if isinstance(result, InputError):
                err.print(f"error: {result}", markup=False)
                failures += 1
                continue
            if reviewed:
                result = apply_decisions(result, reviewed)
            if save(result):
                alignments.append(result)
                if not live and not quiet:
                    err.print(f"aligned {item.name}: {describe(result)}", markup=False)
            else:
                failures += 1
    return alignments, failures


def run_check(
    paths: list[str],
    config: CheckConfig,
    write_baseline_to: str | None,
    model: str,
    no_cache: bool,
    err: Console,
    jobs: int = 1,
    max_bytes: int = 50_000_000,
    html_out: Path | None = None,
) -> int:
    """Align, find, filter by baseline, render; return the exit code (2 on any user error)."""
    from align.align import AlignOptions
    from align.check import CheckOptions, findings, read_glossary
    from align.config import ConfigError, new_findings, read_baseline, write_baseline
    from align.embed import ModelError
    from align.load import find_inputs, with_partners, within_size_limit
    from align.report import exit_code, render

    try:
        terms = read_glossary(config.glossary) if config.glossary else ()
        known = read_baseline(Path(config.baseline)) if config.baseline and not write_baseline_to else None
    except (ConfigError, ValueError) as error:
        err.print(f"error: {error}", markup=False)
        return 2
    inputs, errors = find_inputs(with_partners(paths))
    inputs, too_large = within_size_limit(inputs, max_bytes)
    errors += too_large
    for error in errors:
        err.print(f"error: {error}", markup=False)
    try:
        spec = pipeline_spec(model, AlignOptions(), no_cache or not cache_usable(err), max_bytes)
        alignments, failures = align_all(spec, inputs, None, [], err, quiet=True, jobs=jobs)
    except ModelError as error:
        err.print(f"error: {error}", markup=False)
        return 2
    except sqlite3.Error as error:
        err.print(f"error: embedding cache: {error} (run again with --no-cache)", markup=False)
        return 2
    options = CheckOptions(
        require=config.require,
        min_confidence=config.min_confidence,
        length_ratio_z=config.length_ratio_z,
        ignore=config.ignore,
        glossary=terms,
    )
    found = findings(alignments, options)
    if write_baseline_to:
        write_baseline(Path(write_baseline_to), found)
        err.print(f"wrote {len(found)} known findings to {write_baseline_to}", markup=False)
        return 2 if errors or failures else 0
    if known is not None:
        found = new_findings(found, known)
    documents = [alignment.document.name for alignment in alignments]
    if html_out is not None:
        if not write_safely(lambda: write_html(alignments, found, html_out), err):
            return 2
        err.print(f"wrote {html_out / 'report.html'}", markup=False)
        return 2 if errors or failures else exit_code(found, config.fail_on)
    text = render(found, config.format, documents, __version__, Console(highlight=False), fail_on=config.fail_on)
    if text is not None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 2 if errors or failures else exit_code(found, config.fail_on)


def results_of(spec: PipelineSpec, inputs: list, jobs: int) -> Iterator[tuple[Alignment | Exception, list[str]]]:
    """Each input's alignment (or InputError) with its notes, in input order, in `jobs` processes."""
    from align.pipeline import run_in_processes

    if jobs > 1 and len(inputs) > 1:
        yield from run_in_processes(spec, inputs, min(jobs, len(inputs)))
        return
    yield from spec.build().results(inputs)


def write_safely(write: object, err: Console) -> bool:
    """Call the writer; report an OS error (unwritable folder, full disk) or a name or text that cannot be
    written (ValueError) on one line instead of a traceback."""
    try:
        write()  # type: ignore[operator]
    except OSError as error:
        where = error.filename or ""
        err.print(f"error: {where}: cannot write ({error.strerror or error})", markup=False)
        return False
    except ValueError as error:
        err.print(f"error: cannot write: {error}", markup=False)
        return False
    return True


def run_dask(
    paths: list[str],
    out: Path,
    formats: str,
    model: str,
    max_bead: int,
    no_cache: bool,
    quiet: bool,
    excel_safe: bool,
    max_bytes: int,
    scheduler: str | None,
    workers: int,
    shard_size: int,
) -> int:
    """`align run --engine dask`: align on a Dask cluster (align/distributed.py); return the exit code."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from align.align import AlignOptions
    from align.embed import ModelError
    from align.load import within_size_limit
    from align.write import FORMATS

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        import distributed  # noqa: F401

        from align.distributed import DaskRun, find_inputs_anywhere, run_on_dask
    except ImportError:
        err.print("error: --engine dask needs Dask: pip install 'align[dask]'", markup=False)
        return 2
    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    if not chosen or any(f not in FORMATS for f in chosen):
        err.print(f"error: --format {formats!r}: unknown format (use {', '.join(FORMATS)})", markup=False)
        return 2
    inputs, errors = find_inputs_anywhere(paths)
    inputs, too_large = within_size_limit(inputs, max_bytes)
    for error in errors + too_large:
        err.print(f"error: {error}", markup=False)
    spec = pipeline_spec(model, AlignOptions(max_bead=max_bead), no_cache or not cache_usable(err), max_bytes)
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
    task = progress.add_task("aligning", total=len(inputs))
    try:
        with progress:
            manifest = run_on_dask(
                spec,
                inputs,
                out,
                chosen,
                DaskRun(scheduler=scheduler, workers=workers, shard_size=shard_size),
                version=__version__,
                excel_safe=excel_safe,
                max_bytes=max_bytes,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
                dashboard=None if quiet else lambda link: err.print(f"dask dashboard: {link}", markup=False),
            )
    except ModelError as error:
        err.print(f"error: {error}", markup=False)
        return 2
    except OSError as error:  # no output folder, or the scheduler cannot be reached
        err.print(f"error: {error}", markup=False)
        return 2
    for record in manifest.documents:
        for note in record.notes:
            err.print(f"note: {note}", markup=False)
    for failure in manifest.failures:
        err.print(f"error: {failure['error']}", markup=False)
    if not quiet:
        err.print(
            f"{manifest.ok} aligned, {manifest.skipped} skipped (already done), {manifest.failed} failed "
            f"in {manifest.seconds:.1f} s: {out / 'manifest.json'}, {len(manifest.shards)} corpus shard files",
            markup=False,
        )
    return 2 if errors or too_large or manifest.failed else 0


def write_html(alignments: list[Alignment], found: list | None, out: Path) -> None:
    """out/report.html: the review page, with the default check's findings unless `found` is given."""
    from align.check import CheckOptions, findings
    from align.html import html_report
    from align.write import write_atomic

    found = findings(alignments, CheckOptions()) if found is None else found
    write_atomic(out / "report.html", html_report(alignments, found, version=__version__))


def write_corpus_files(alignments: list[Alignment], out: Path, formats: list[str], excel_safe: bool = False) -> None:
    from align.write import write_corpus

    write_corpus(alignments, out, formats, version=__version__, excel_safe=excel_safe)


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
    """Console-script entry point. SIGINT (Ctrl-C) and SIGTERM stop the run the same way: the file being
    written is abandoned (its temporary file removed), one line says so, exit 130 or 143 (128 + signal)."""
    start = time.perf_counter()
    received: list[int] = []

    def interrupt(signum: int, frame: object) -> None:
        if not received:  # a second signal while cleaning up must not interrupt the cleanup
            received.append(signum)
            raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, interrupt)
    # A file name with undecodable bytes (held as U+DC80..U+DCFF) is printed as those bytes, like `ls` does,
    # instead of failing in the summary or --list-untranslated on a strict UTF-8 stdout.
    if hasattr(sys.stdout, "reconfigure"):
        utf8 = (sys.stdout.encoding or "").lower().replace("-", "") == "utf8"
        sys.stdout.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")
    try:
        app()
    except (KeyboardInterrupt, SystemExit) as stop:
        if not received and isinstance(stop, SystemExit):
            raise
        signum = received[0] if received else signal.SIGINT
        print(
            f"interrupted by {signal.Signals(signum).name} after {time.perf_counter() - start:.1f} s; "
            "outputs written so far are complete, no partial or temporary file is left",
            file=sys.stderr,
        )
        sys.exit(128 + signum)
