"""The one runner: find the inputs, align them on an engine, finish each document, write the run's files.

`align run`, `align pair`, `align check`, the worker processes and the Dask engine all go through `run`:

    >>> import align
    >>> result = align.run(align.Request(paths=("seeds/",), out=Path("out"), formats=("tmx", "jsonl")))
    >>> result.stats.pairs
    4
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from align import __version__
from align.encoders import DEFAULT_MODEL, ModelError, encoder_for
from align.files import write_atomic
from align.load import (
    DEFAULT_MAX_BYTES,
    STDIN,
    Input,
    InputError,
    Skipped,
    find_inputs,
    with_partners,
    within_size_limit,
)
from align.model import Alignment
from align.options import AlignOptions
from align.output_records import (
    corpus_key,
    document_key,
    read_records,
    record_of,
    save_records,
    still_holds,
    writer_context_key,
)
from align.pipeline import PipelineSpec
from align.signature import Signature, signature_of
from align.stats import BeadStats
from align.stored import stats_of
from align.writers import WriteContext, corpus_text, document_paths, write_document, writer_for
from align.writers.common import creation_date

SIGNATURE_FILE = "signature.json"  # align.load.OUTPUT_MARKER: folders holding one are not read as input
AUTO_JOBS = 0  # Request.jobs (the command line's default): worker processes chosen by align.engines.local.auto_jobs
OPTIONS_DIGITS = 8  # hex digits of the aligner options' hash in the signature


@dataclass(frozen=True)
class Request:
    """Everything one run needs to know; small and picklable (worker processes and Dask tasks get a copy)."""

    paths: tuple[str, ...] = ()  # files or folders (or fsspec URLs with engine="dask")
    pair: bool = False  # paths are exactly (Russian file, English file), whatever their names
    partners: bool = False  # add the other half of an X.ru.txt / X.en.txt pair named alone (pre-commit)
    model: str = DEFAULT_MODEL  # "use" or "st:NAME_OR_FOLDER"
    options: AlignOptions = field(default_factory=AlignOptions)
    cache: bool = True  # read and write the embedding and result cache
    cache_dir: Path | None = None  # the cache's folder (default: $ALIGN_CACHE_DIR, else the user cache folder)
    max_bytes: int = DEFAULT_MAX_BYTES  # larger input files are refused, each with one error
    out: Path | None = None  # output folder; None: nothing is written
    formats: tuple[str, ...] = ("tmx", "csv", "jsonl")  # writer names (align/writers/)
    excel_safe: bool = False  # CSV: prefix cells a spreadsheet would run as formulas
    decisions: str | None = None  # decisions.json from report.html: rejected pairs become untranslated
    created: str | None = None  # creation date written in TMX (YYYYMMDDThhmmssZ); None: now
    engine: str = "local"  # "local" (with jobs > 1: worker processes) or "dask"
    jobs: int = 1  # worker processes of the local engine; AUTO_JOBS: one per core when there is enough to align
    scheduler: str | None = None  # dask: a running scheduler; None: a local cluster of `workers` processes
    workers: int = 2  # dask: processes of the local cluster
    shard_size: int = 1000  # dask: documents per corpus-NNNNN.* file
    keep: bool = True  # keep each alignment in its Outcome (check and the html report need them)
    list_untranslated: bool = False  # collect every sentence without a counterpart as FILE:LINE: [lang] text
    plain_text: bool = False  # TMX without inline markup elements (CSV and JSONL always carry plain text)
    note_unpaired: bool = True  # a note for each page of a tree without its other language (check: a finding)
    languages: tuple[tuple[str, tuple[str, ...]], ...] = ()  # more spellings per language (align.toml `languages`)
    langs: tuple[str, str] = ("ru", "en")  # --langs: source and target language (align.languages); not `languages`
    presplit: bool = False  # --presplit: each input line is one sentence

    def spec(self, cache_dir: Path | None) -> PipelineSpec:
        """What builds this request's pipeline, with the cache in `cache_dir` (None: no cache)."""
        languages = {"langs": self.langs, "presplit": self.presplit}
        return PipelineSpec(self.model, self.options, cache_dir, max_bytes=self.max_bytes, **languages)


@dataclass
class Outcome:
    """What became of one input: its alignment (if kept), statistics, files written, or the error that stopped it."""

    item: Input
    status: str = "ok"  # "ok", "failed", or "skipped" (already done by an earlier Dask run)
    alignment: Alignment | None = None
    error: str = ""  # one line naming the file and the problem, when failed
    notes: list[str] = field(default_factory=list)  # e.g. "FILE: decoded as cp1251"
    stats: BeadStats = field(default_factory=BeadStats)
    untranslated: list[str] = field(default_factory=list)  # with Request.list_untranslated
    written: dict[str, int] = field(default_factory=dict)  # output file name -> bytes
    records: dict[str, list] = field(default_factory=dict)  # output file name -> its align.output_records record
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class RunResult:
    """A whole run: each input's outcome, the errors found before aligning, the signature, the files written."""

    request: Request
    signature: Signature
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # inputs that could not be found or were too large
    unpaired: list[Input] = field(default_factory=list)  # pages of a two-language tree with one side only
    written: list[str] = field(default_factory=list)  # the run's own files (corpus.*, report.html, signature.json)
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)  # engine-specific facts, e.g. the Dask manifest

    @property
    def alignments(self) -> list[Alignment]:
        return [o.alignment for o in self.outcomes if o.ok and o.alignment is not None]

    @property
    def stats(self) -> BeadStats:
        total = BeadStats()
        for outcome in self.outcomes:
            if outcome.ok:
                total = total + outcome.stats
        return total

    @property
    def failed(self) -> bool:
        """Whether anything went wrong that the user must hear about (exit code 2)."""
        return bool(self.errors) or any(not o.ok for o in self.outcomes) or bool(self.details.get("write_errors"))


class RunError(Exception):
    """The run cannot start or cannot go on (bad decisions file, unwritable output folder, model, cache, engine):
    str(e) is one line for the user."""


class Listener(Protocol):
    """What the runner tells as it goes (the CLI draws a progress bar and prints notes)."""

    def started(self, total: int) -> None: ...

    def note(self, text: str) -> None: ...

    def error(self, text: str) -> None: ...

    def outcome(self, outcome: Outcome) -> None: ...


class Silent:
    """A Listener that says nothing."""

    def started(self, total: int) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def error(self, text: str) -> None:
        pass

    def outcome(self, outcome: Outcome) -> None:
        pass


@dataclass(frozen=True)
class Finisher:
    """Turns one input's pipeline result into its Outcome: decisions applied, per-document files written,
    statistics counted. Picklable: the Dask engine runs it in the task, the local engines in this process."""

    request: Request
    context: WriteContext
    decisions: Mapping[Any, str] | None = None
    records: Mapping[str, list] = field(default_factory=dict)  # the output files' records of the last run here

    def __call__(self, item: Input, result: Alignment | InputError, notes: list[str]) -> Outcome:
        if isinstance(result, InputError):
            return Outcome(item, "failed", error=str(result), notes=notes)
        if self.decisions:
            from align.decisions import applied

            result, missed = applied(result, self.decisions)  # missed: a note for decisions matching nothing
            notes = notes + missed
        outcome = Outcome(item, alignment=result if self.request.keep else None, notes=notes, seconds=result.seconds)
        outcome.stats = stats_of(result)  # a cached alignment's from its record, without decoding its beads
        if self.request.list_untranslated:
            outcome.untranslated = untranslated_lines(result)
        if self.request.out is not None:
            try:
                outcome.written, outcome.records = write_document_files(
                    result, self.request, self.context, self.records
                )
            except (OSError, ValueError) as error:
                outcome.status, outcome.error, outcome.alignment = "failed", write_error(error), None
        return outcome


def run(request: Request, listener: Listener | None = None) -> RunResult:
    """Align everything `request` names and write what it asks for; RunError when the run cannot start."""
    listener = listener or Silent()
    started = time.perf_counter()
    check_request(request)
    try:
        encoder = encoder_for(request.model)  # an unknown model fails here, before any work
    except ModelError as error:
        raise RunError(str(error)) from None
    signature = signature_for(request, encoder.name, encoder.fingerprint())
    decisions = read_request_decisions(request)
    found, errors, notes = found_inputs(request)
    for error in errors:
        listener.error(error)
    if decisions:  # decisions about documents not in this run are a note, never dropped silently
        from align.decisions import decisions_elsewhere

        notes = notes + decisions_elsewhere(decisions, [item.name for item in found])
    for note in notes:
        listener.note(note)
    inputs, unpaired = found, [i for i in found if i.missing]  # a one-sided page: all its sentences unpaired
    for page in unpaired if request.note_unpaired else ():
        listener.note(unpaired_note(page))
    if not found and not errors:
        raise RunError(f"nothing to align in {', '.join(request.paths) or 'the input'}")
    engine = chosen_engine(request, len(inputs))  # an engine that cannot run fails before any file is made
    if request.out is not None and inputs:
        make_folder(request.out, signature)
    context = WriteContext(
        __version__, request.created or creation_date(), signature, request.excel_safe, plain=request.plain_text,
        langs=request.langs, presplit=request.presplit,
    )
    cache_dir = usable_cache_dir(request, listener)
    records = read_records(cache_dir, request.out) if request.out is not None else {}
    finish = Finisher(request, context, decisions, records)
    result = RunResult(request, signature, errors=errors, unpaired=unpaired)
    listener.started(len(inputs))
    try:
        for outcome in engine.outcomes(request.spec(cache_dir), inputs, finish, result.details):
            result.outcomes.append(outcome)
            listener.outcome(outcome)
    except ModelError as error:
        raise RunError(str(error)) from None
    except sqlite3.Error as error:  # e.g. the disk filled up under the cache: one line, not a traceback
        if cache_dir is not None:  # a damaged file: the next run checks and rebuilds it
            from align.cache import cache_path, distrusted

            distrusted(cache_path(cache_dir))
        raise RunError(f"embedding cache: {error} (run again with --no-cache)") from None
    if request.out is not None and result.outcomes:
        written = write_run_files(result, context, records, writes_corpus=not getattr(engine, "writes_corpus", False))
        save_records(cache_dir, request.out, written)
    result.seconds = time.perf_counter() - started
    return result


def check_request(request: Request) -> None:
    """RunError for a request that cannot be right, before anything is read."""
    if STDIN in request.paths and (request.engine != "local" or request.jobs > 1):
        raise RunError("- (standard input) is read by this process only: not with --jobs N or --engine dask")
    from align.writers import UnknownFormat, parse_formats

    try:
        if request.formats:
            parse_formats(",".join(request.formats))
    except UnknownFormat as error:
        raise RunError(str(error)) from None
    if request.pair and len(request.paths) != 2:
        raise RunError("a pair needs exactly two files: the Russian one, then the English one")


def found_inputs(request: Request) -> tuple[list[Input], list[str], list[str]]:
    """The inputs the request names (sorted, unique names, within the size limit), one line per error, and
    notes (e.g. that the two files of `align pair` were swapped)."""
    if request.pair:
        from align.languages import given_pair, is_default
        from align.pairing import explicit_pair

        if is_default(request.langs):
            found = explicit_pair(*request.paths, max_bytes=request.max_bytes)
        else:  # --langs: the files in the order given, whatever their script
            found = given_pair(*request.paths)
        inputs, too_large = within_size_limit(found.inputs, request.max_bytes)
        return inputs, found.errors + [str(error) for error in too_large], found.notes
    elif request.engine == "dask":
        from align.engines.dask import find_inputs_anywhere

        inputs, problems = find_inputs_anywhere(list(request.paths))
    else:
        from align.languages import is_default, pair_tags
        from align.layouts import tags_with

        spellings = dict(request.languages)
        tags = tags_with(spellings) if is_default(request.langs) else pair_tags(request.langs, spellings)
        paths = with_partners(request.paths, tags) if request.partners else list(request.paths)
        inputs, problems = find_inputs(paths, keep_notes=True, tags=tags)
    inputs, too_large = within_size_limit(inputs, request.max_bytes)
    notes = [str(error) for error in problems if isinstance(error, Skipped)]
    return inputs, [str(e) for e in problems + too_large if not isinstance(e, Skipped)], notes


def unpaired_note(page: Input) -> str:
    """One line for a page whose other language's file does not exist."""
    from align.layouts import partner_candidates

    language = "Russian" if page.missing == "ru" else "English"
    expected = partner_candidates(page.paths[0])
    return f"{page.paths[0]}: no {language} counterpart" + (f" ({expected[0]})" if expected else "")


def read_request_decisions(request: Request) -> Mapping[Any, str] | None:
    """The reviewer's decisions the request names, or None; RunError for a file that cannot be used."""
    if not request.decisions:
        return None
    from align.decisions import read_decisions
    from align.sidefiles import naming_the_file

    try:
        return read_decisions(request.decisions)
    except ValueError as error:  # a huge integer's ValueError names no file
        raise RunError(naming_the_file(request.decisions, error)) from None


def make_folder(folder: Path, signature: Signature) -> None:
    """Create the output folder with its signature.json first (it marks the folder as align's, so a run stopped
    half-way is not read back as input), or RunError (nothing is aligned in vain)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / SIGNATURE_FILE, signature_json(signature))
    except (OSError, ValueError) as error:
        raise RunError(write_error(error)) from None


def usable_cache_dir(request: Request, listener: Listener) -> Path | None:
    """The cache folder, created; None with caching off, or (after one note) when it cannot be written."""
    if not request.cache:
        return None
    from align.cache import cache_path

    folder = cache_path(request.cache_dir).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(13, "not writable", str(folder))
    except OSError as error:
        listener.note(f"embedding cache {folder} unusable ({error.strerror or error}); not caching")
        return None
    return folder


def chosen_engine(request: Request, inputs: int) -> Any:
    """The engine: dask if asked, worker processes for --jobs N on several inputs, else this process."""
    from align.engines import EngineError, engine_for

    name = request.engine
    if name == "local" and request.jobs > 1 and inputs > 1:
        name = "processes"
    try:
        return engine_for(name)
    except EngineError as error:
        raise RunError(str(error)) from None


def signature_for(request: Request, encoder: str, fingerprint: str) -> Signature:
    """The signature of what this request produces: version, encoder, and every setting that changes results."""
    import hashlib

    options = hashlib.sha256(repr(request.options).encode()).hexdigest()[:OPTIONS_DIGITS]
    langs = ",".join(request.langs)
    settings: dict[str, Any] = {"max-bead": request.options.max_bead, "options": options, "langs": langs}
    if request.presplit:
        settings["presplit"] = True
    if request.decisions:
        settings["decisions"] = os.path.basename(request.decisions)
    return signature_of(__version__, encoder, fingerprint, settings)


def write_document_files(
    alignment: Alignment, request: Request, context: WriteContext, records: Mapping[str, list]
) -> tuple[dict[str, int], dict[str, list]]:
    """Write out/<document>.<suffix> for each per-document format, leaving alone a file that still holds what the
    last run wrote from the same key (align.output_records); file name -> bytes, and file name -> its record."""
    assert request.out is not None
    keys = {
        path: document_key(alignment, writer.name, writer_context_key(context, writer))
        for writer, path in document_paths(alignment, request.out, request.formats)
    }
    leave = {path for path, key in keys.items() if still_holds(records, path, key)}
    paths = write_document(alignment, request.out, request.formats, context, leave)
    sizes = {path.name: path.stat().st_size for path in paths}
    return sizes, {path.name: record_of(path, keys[path]) for path in paths}


def write_run_files(
    result: RunResult, context: WriteContext, records: Mapping[str, list], writes_corpus: bool = True
) -> dict[str, list]:
    """The run's own files: corpus.<suffix> per format (unless the engine wrote shards), report.html, and
    signature.json. A file that cannot be written is one line in result.details["write_errors"]; one that
    still holds what the last run wrote from the same key is left alone. The records of every output file
    of the run (align.output_records), the documents' included."""
    request, alignments = result.request, result.alignments
    out = request.out
    assert out is not None
    written = {name: record for outcome in result.outcomes for name, record in outcome.records.items()}
    jobs: list[tuple[str, Any, str]] = []  # file name, what makes its text (or its pieces), its key
    for fmt in request.formats:
        writer = writer_for(fmt)
        if alignments and (writes_corpus or not writer.per_document):
            key = corpus_key(alignments, writer.name, writer_context_key(context, writer))
            jobs.append((writer.corpus_name, lambda w=writer: corpus_text(w, alignments, context), key))
    jobs.append((SIGNATURE_FILE, lambda: signature_json(result.signature), ""))
    for name, text, key in jobs:
        try:
            if not (key and still_holds(records, out / name, key)):
                write_atomic(out / name, text())
            result.written.append(name)
            if key:
                written[name] = record_of(out / name, key)
        except (OSError, ValueError) as error:
            result.details.setdefault("write_errors", []).append(write_error(error))
    return written


def signature_json(signature: Signature) -> str:
    import json

    return json.dumps(signature.as_dict(), ensure_ascii=False, indent=2) + "\n"


def write_error(error: OSError | ValueError) -> str:
    """One line for a file that could not be written (unwritable folder, full disk, a name that cannot be)."""
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}cannot write ({error.strerror or error})"
    return f"cannot write: {error}"


def untranslated_lines(alignment: Alignment) -> list[str]:
    """Every sentence without a counterpart, as FILE:LINE: [lang] text."""
    lines = []
    for bead in alignment.beads:
        if bead.paired:
            continue
        for seg in bead.ru + bead.en + bead.other:
            lines.append(f"{seg.file}:{seg.line}: [{seg.detected or seg.lang}] {' '.join(seg.text.split())}")
    return lines
