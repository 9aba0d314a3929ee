"""What the command line shows: progress, notes and errors on stderr, the summary table, untranslated lines."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from rich.console import Console

from align.stats import BeadStats

if TYPE_CHECKING:
    from rich.progress import Progress
    from rich.table import Table

    from align.runner import Outcome, Request, RunResult

SUMMARY_COLUMNS = ("document", "RU", "EN", "pairs", "1-1", "n-m", "untr. RU", "untr. EN", "other", "mean conf.", "s")
PIPE_WIDTH = 140  # the summary table's width when stdout is not a terminal
INTERNAL_ERROR = 3  # exit code of a bug (0 clean, 1 findings, 2 a user's mistake)
DEBUG_OPTION = "--debug"
T = TypeVar("T")


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def say(err: Console, kind: str, text: str) -> None:
    """One line on stderr: "error: …", "note: …"."""
    err.print(f"{kind}: {text}" if kind else text, markup=False)


class ProgressListener:
    """The runner's Listener for a terminal: a progress bar, or one `aligned …` line per document when piped."""

    def __init__(self, err: Console, quiet: bool = False, stream: bool = False) -> None:
        self.err, self.quiet, self.stream = err, quiet, stream  # stream: each document's JSONL on stdout
        self.live = err.is_terminal and not quiet
        self.progress = progress_bar(err) if self.live else None  # rich.progress imported only for a terminal
        self.task = self.progress.add_task("aligning", total=0) if self.progress else None

    def started(self, total: int) -> None:
        if self.progress is not None:
            self.progress.update(self.task, total=total)
            self.progress.start()

    def note(self, text: str) -> None:
        say(self.err, "note", text)

    def error(self, text: str) -> None:
        say(self.err, "error", text)

    def outcome(self, outcome: Outcome) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)
        for note in outcome.notes:
            say(self.err, "note", note)
        if not outcome.ok:
            say(self.err, "error", outcome.error)
        elif self.stream and outcome.alignment is not None:
            from align.writers.jsonl import jsonl_text

            write_stdout(jsonl_text(outcome.alignment))
        elif outcome.status == "ok" and not self.live and not self.quiet:
            say(self.err, "", f"aligned {outcome.item.name}: {describe(outcome.stats)}")

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def progress_bar(err: Console) -> Progress:
    """The progress bar shown on a terminal while documents are aligned (cleared when done)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=err, transient=True)


def describe(stats: BeadStats) -> str:
    """One line: sentences per side, pairs and untranslated sentences."""
    return (
        f"{stats.ru} RU / {stats.en} EN sentences, {stats.pairs} pairs, "
        f"{stats.untranslated_ru} RU + {stats.untranslated_en} EN untranslated"
    )


def summary_table(outcomes: Sequence[Outcome]) -> Table:
    """The closing summary: one row per document aligned and a total."""
    from rich.table import Table

    table = Table(title="align summary", title_justify="left")
    for column in SUMMARY_COLUMNS:
        table.add_column(column, justify="left" if column == "document" else "right")
    done = [o for o in outcomes if o.ok]
    rows = [(o.item.name, o.stats, o.seconds) for o in done]
    if len(done) != 1:
        total = BeadStats()
        for outcome in done:
            total = total + outcome.stats
        rows.append((f"total ({len(done)})", total, sum(o.seconds for o in done)))
    for label, stats, seconds in rows:
        table.add_row(
            label,
            *(str(n) for n in (stats.ru, stats.en, stats.pairs, stats.one_to_one, stats.merged)),
            *(str(n) for n in (stats.untranslated_ru, stats.untranslated_en, stats.other)),
            f"{stats.mean_confidence:.3f}",
            f"{seconds:.1f}",
        )
    return table


def print_summary(result: RunResult, console: Console | None = None) -> None:
    """The summary table on stdout (or on `console`, e.g. stderr when stdout carries JSONL)."""
    console = console or Console(highlight=False, width=None if sys.stdout.isatty() else PIPE_WIDTH)
    console.print(summary_table(result.outcomes))


def print_untranslated(result: RunResult, to_stderr: bool = False) -> None:
    """Every sentence without a counterpart, as FILE:LINE: [lang] text, document by document (on stderr when
    stdout carries JSONL)."""
    lines = "".join(f"{line}\n" for outcome in result.outcomes for line in outcome.untranslated)
    if to_stderr:
        sys.stderr.write(lines)
    else:
        write_stdout(lines)


def write_stdout(text: str) -> None:
    """`text` on stdout, flushed; a closed pipe (`align … | head`) ends the run quietly, exit code 0."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not fail again
        raise SystemExit(0) from None


def print_dask_line(err: Console, result: RunResult) -> None:
    """The Dask engine's closing line: documents aligned, skipped and failed, the manifest and the shards."""
    manifest = result.details.get("manifest")
    if manifest is None:
        return
    out = result.request.out
    say(
        err,
        "",
        f"{manifest.ok} aligned, {manifest.skipped} skipped (already done), {manifest.failed} failed "
        f"in {manifest.seconds:.1f} s: {out / 'manifest.json' if out else 'manifest.json'}, "
        f"{len(manifest.shards)} corpus shard files",
    )


def creation_date_or_exit() -> str:
    """The TMX creation date from SOURCE_DATE_EPOCH (or now), checked before any work (exit 2 if malformed)."""
    from align.writers.common import creation_date

    try:
        return creation_date(os.environ.get("SOURCE_DATE_EPOCH"))
    except ValueError as error:
        say(stderr(), "error", str(error))
        raise SystemExit(2) from None


def cache_or_exit(action: Callable[[], T]) -> T:
    """What `action` (a cache command) returns, or exit 2 after one error line if the cache is unusable (a folder
    where the database should be, a damaged disk)."""
    import sqlite3

    try:
        return action()
    except (OSError, sqlite3.Error) as error:
        say(stderr(), "error", f"embedding cache: {getattr(error, 'strerror', None) or error}")
        raise SystemExit(2) from None


def configured_languages() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The extra language spellings of the nearest align.toml / pyproject.toml (exit 2 if it is broken); with no
    such file none, found without importing the validation (pydantic) that reading one needs."""
    from pathlib import Path

    from align.config_files import ConfigError, find_config

    try:
        if find_config(Path.cwd()) is None:
            return ()  # CheckOptions().languages
        from align.config import load_config

        return tuple(load_config(Path.cwd()).languages.items())
    except ConfigError as error:
        say(stderr(), "error", str(error))
        raise SystemExit(2) from None


def run_and_render(request: Request, quiet: bool, err: Console | None = None) -> int:
    """Run the request with progress on stderr, then the summary and untranslated lines; the exit code."""
    from align.runner import RunError, run

    err = err or stderr()
    streaming = request.out is None
    listener = ProgressListener(err, quiet, stream=streaming)
    try:
        result = run(request, listener)
    except RunError as error:
        listener.stop()
        say(err, "error", str(error))
        return 2
    listener.stop()
    for problem in result.details.get("write_errors", []):
        say(err, "error", problem)
    if not quiet:
        print_dask_line(err, result)
        print_summary(result, err if streaming else None)
    if request.list_untranslated:
        print_untranslated(result, to_stderr=streaming)
    return 2 if result.failed else 0


def run_app(app: Callable[[], object], argv: Sequence[str] | None = None) -> None:
    """Console-script entry point. SIGINT (Ctrl-C) and SIGTERM stop the run the same way: the file being
    written is abandoned (its temporary file removed), one line says so, exit 130 or 143 (128 + signal). A bug
    (any other exception) is one line and exit code INTERNAL_ERROR, the traceback only with --debug."""
    debug = DEBUG_OPTION in (sys.argv[1:] if argv is None else argv)
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
    except BrokenPipeError:  # `align … | head`: the reader has all it wanted; end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except (KeyboardInterrupt, SystemExit) as stop:
        if not received and isinstance(stop, SystemExit):
            raise
        interrupted(received, start)
    except Exception as error:  # noqa: BLE001 - a bug: one line for CI, the traceback on request
        if debug:
            raise
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(
            f"align: internal error: {type(error).__name__}{': ' + first if first else ''} "
            f"— rerun with {DEBUG_OPTION} for the traceback",
            file=sys.stderr,
        )
        sys.exit(INTERNAL_ERROR)


def interrupted(received: list[int], start: float) -> None:
    """Say that a signal stopped the run, and exit 128 + its number."""
    signum = received[0] if received else signal.SIGINT
    print(
        f"interrupted by {signal.Signals(signum).name} after {time.perf_counter() - start:.1f} s; "
        "outputs written so far are complete, no partial or temporary file is left",
        file=sys.stderr,
    )
    sys.exit(128 + signum)
