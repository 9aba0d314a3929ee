"""`align check` as a library call: settings merged, the runner's alignments, the rules' findings, the baseline."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from align import __version__
from align.console import ProgressListener, say, stderr, write_stdout
from align.runner import Request, RunError, run
from align.stored import name_of

HTML = "html"


@dataclass(frozen=True)
class CheckRequest:
    """A check: the run to make (no files written) and the check's own settings (None: config file or default)."""

    run: Request
    require: str | None = None
    output_format: str | None = None
    out: Path = Path("out")
    fail_on: str | None = None
    min_confidence: float | None = None
    glossary: str | None = None
    ignore: tuple[str, ...] | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    config_file: str | None = None


def run_check(asked: CheckRequest) -> int:
    """Align, find, filter by baseline, render; return the exit code (2 on any user error)."""
    from align.checks import read_glossary
    from align.config import ConfigError, load_config, merged, new_findings, read_baseline, write_baseline
    from align.findings_cache import run_findings
    from align.report import exit_code, render

    err = stderr()
    html = (asked.output_format or "").strip().lower() == HTML
    try:
        config = merged(
            load_config(Path.cwd(), Path(asked.config_file) if asked.config_file else None),
            require=asked.require,
            format=None if html else asked.output_format,
            fail_on=asked.fail_on,
            min_confidence=asked.min_confidence,
            glossary=asked.glossary,
            ignore=asked.ignore,
            baseline=asked.baseline,
        )
        config = replace(config, terms=read_glossary(config.glossary)) if config.glossary else config
        known = read_baseline(Path(config.baseline)) if config.baseline and not asked.write_baseline else None
    except (ConfigError, ValueError) as error:
        say(err, "error", str(error))
        return 2
    listener = ProgressListener(err, quiet=True)
    try:
        languages = tuple(config.languages.items())  # align.toml's extra spellings of ru and en in file names
        quiet_run = replace(asked.run, out=None, formats=(), keep=True, note_unpaired=False, languages=languages)
        result = run(quiet_run, listener)
    except RunError as error:
        say(err, "error", str(error))
        return 2
    finally:
        listener.stop()
    failed = 2 if result.failed else None
    found = run_findings(result, config)  # each unchanged document's findings read back from the cache
    if asked.write_baseline:
        from align.runner import write_error

        try:
            write_baseline(Path(asked.write_baseline), found)
        except (OSError, ValueError) as error:  # a folder, a missing parent, /proc: one line, exit 2
            where = "" if isinstance(error, OSError) and error.filename else f"{asked.write_baseline}: "
            say(err, "error", where + write_error(error))
            return 2
        say(err, "", f"wrote {len(found)} known findings to {asked.write_baseline}")
        return failed or 0
    if known is not None:
        found = new_findings(found, known)
    if html:
        from align.writers.html import write_check_page

        try:
            path = write_check_page(result.alignments, found, asked.out, __version__)
        except (OSError, ValueError) as error:
            from align.runner import write_error

            say(err, "error", write_error(error))
            return 2
        say(err, "", f"wrote {path}")
        return failed or exit_code(found, config.fail_on)
    from rich.console import Console

    documents = [name_of(alignment) for alignment in result.alignments]  # a cached one's, not decoded
    console, signature = Console(highlight=False), result.signature.as_dict()
    text = render(found, config.format, documents, __version__, console, fail_on=config.fail_on, signature=signature)
    if text is not None:
        write_stdout(text if text.endswith("\n") else text + "\n")
    return failed or exit_code(found, config.fail_on)
