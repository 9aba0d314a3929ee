"""`align run --engine dask`: documents aligned on a Dask distributed cluster, resumable, with a manifest.

The unit of work is one document (an Input). The driver (the process running `align run`) submits one task per
document, at most a bounded window of them at a time, so that a corpus of millions of documents never sits in the
scheduler's memory at once. Each task runs in a worker process:

- it reads the input bytes (a local path, or an fsspec URL such as s3://… or gs://… — needs s3fs / gcsfs on the
  workers), hashes them (sha256), and returns at once with status "skipped" when the previous manifest shows the
  same input hash and every output file is there with the size recorded then (a resumed run);
- otherwise it aligns the document with a Pipeline built ONCE per worker thread (`worker_pipeline`: a module-level
  cache keyed by the PipelineSpec, so the encoder is loaded once per worker process with `--nthreads 1`);
- it writes the per-document files itself with write.write_document (the same bytes a local run writes; the
  driver's SOURCE_DATE_EPOCH is forwarded, so the TMX dates match too) and returns a small DocumentRecord (name,
  inputs, input hash, counts, output names and sizes) — never the alignment.

The corpus-wide files are sharded: corpus-00000.<fmt>, corpus-00001.<fmt>, … each holding `shard_size` documents
in input order (shard k: documents k*shard_size … (k+1)*shard_size-1; failed ones are left out). A shard is
built by one more task, submitted as soon as all its documents are done, which concatenates the per-document
files from disk (TMX: their <tu> elements under one header; CSV: one header row). The result is byte-identical to
write.write_corpus over the same documents, and its memory cost is one shard's text in one worker, never the
corpus. So the output folder must be one file system that the driver and every worker see at the same path
(a local disk for a LocalCluster; NFS, Lustre, a mounted bucket… for a cluster of machines).

`out/manifest.json` (atomic writes) records every document (status ok / skipped / failed / pending, input hash,
counts, outputs, error), the shards, the totals, the failures and the dashboard link. It is checkpointed during the
run (every 30 s at most, less often when the manifest is large), so a killed job loses at most the last checkpoint
interval of work: re-running the same command skips the documents that are done.

A user's mistake about an input (InputError: missing, binary, undecodable, too large) fails that document at once
with its one-line message; any other exception in a task is retried by Dask (`retries`) and, if it persists, the
document is recorded as failed with the exception's first line. The run always finishes; the caller decides the
exit code from `Manifest.failed`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.load import (
    DEFAULT_MAX_BYTES,
    TEXT_SUFFIXES,
    Input,
    InputError,
    distinct_files,
    file_bytes,
    input_error,
    paired_inputs,
    read_error,
    source_of,
    text_files,
    with_unique_names,
    within_limit,
)
from align.model import Alignment
from align.write import checked_formats, csv_text, json_line, output_stem, tmx_text, write_atomic, write_document

if TYPE_CHECKING:
    from distributed import Client

    from align.pipeline import Pipeline, PipelineSpec

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "align-manifest/1"
SHARD_PATTERN = re.compile(r"^corpus-\d{5,}\.(?:tmx|csv|jsonl)$")
CHECKPOINT_SECONDS = 30.0
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_EPOCH = "SOURCE_DATE_EPOCH"


@dataclass(frozen=True)
class DaskRun:
    """Where and how to run: a scheduler address (None: a LocalCluster of `workers` processes, 1 thread each),
    documents per corpus shard, and Dask retries of a document whose task raised."""

    scheduler: str | None = None
    workers: int = 2
    shard_size: int = 1000
    retries: int = 2


# ---------------------------------------------------------------------------------------- manifest


@dataclass
class DocumentRecord:
    """One document in the manifest. `outputs` maps each output file name (in the output folder) to its size."""

    name: str
    inputs: list[str]
    status: str = "pending"  # ok | skipped | failed | pending (not resolved yet: a checkpoint of a running job)
    input_hash: str = ""  # "sha256:…" of the input files' bytes (see input_hash)
    counts: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, int] = field(default_factory=dict)
    error: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. "FILE: decoded as cp1251"
    seconds: float = 0.0

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentRecord:
        return cls(
            name=str(data["name"]),
            inputs=[str(path) for path in data["inputs"]],
            status=str(data.get("status", "pending")),
            input_hash=str(data.get("input_hash", "")),
            counts={str(k): int(v) for k, v in dict(data.get("counts", {})).items()},
            outputs={str(k): int(v) for k, v in dict(data.get("outputs", {})).items()},
            error=str(data.get("error", "")),
            notes=[str(note) for note in data.get("notes", [])],
            seconds=float(data.get("seconds", 0.0)),
        )


@dataclass
class ShardRecord:
    """One corpus shard file: documents [first, last] of the input order that were aligned (ok or skipped)."""

    index: int
    path: str  # file name in the output folder, e.g. corpus-00003.jsonl
    format: str
    documents: int  # how many documents it holds
    first: str  # name of its first and last document
    last: str
    digest: str  # of its documents (names, input hashes, output sizes) and settings: unchanged digest, same file
    bytes: int = 0
    status: str = "written"  # written | kept (unchanged since the previous run) | failed
    error: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShardRecord:
        fields = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in fields})


@dataclass
class Manifest:
    """What a Dask run did; written to out/manifest.json. `failed` > 0 means the caller should exit non-zero."""

    settings: dict[str, Any]
    documents: list[DocumentRecord]
    shards: list[ShardRecord] = field(default_factory=list)
    dashboard: str | None = None
    scheduler: str | None = None
    workers: int = 0  # worker processes when the run started
    complete: bool = False  # False in a checkpoint of a running (or killed) job
    seconds: float = 0.0
    run_id: str = ""  # in the Dask task keys: align-document-<run_id>-<index>, align-shard-<run_id>-<index>-<fmt>

    def count(self, status: str) -> int:
        return sum(1 for record in self.documents if record.status == status)

    @property
    def ok(self) -> int:
        return self.count("ok")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def failed(self) -> int:
        """Failed documents plus failed shards."""
        return self.count("failed") + sum(1 for shard in self.shards if shard.status == "failed")

    @property
    def failures(self) -> list[dict[str, Any]]:
        """Each failed document or shard with its error message."""
        documents = [
            {"name": record.name, "inputs": record.inputs, "error": record.error}
            for record in self.documents
            if record.status == "failed"
        ]
        shards = [{"name": shard.path, "inputs": [], "error": shard.error} for shard in self.shards if shard.error]
        return documents + shards

    def totals(self) -> dict[str, Any]:
        totals: dict[str, Any] = {"documents": len(self.documents)}
        for status in ("ok", "skipped", "failed", "pending"):
            totals[status] = self.count(status)
        summed: dict[str, int] = {}
        for record in self.documents:
            if record.status in ("ok", "skipped"):
                for key, value in record.counts.items():
                    summed[key] = summed.get(key, 0) + value
        totals.update(summed)
        totals["shards"] = len(self.shards)
        totals["seconds"] = round(self.seconds, 3)
        if self.seconds > 0:
            totals["documents_per_second"] = round((self.ok + self.skipped) / self.seconds, 3)
        return totals

    def to_json(self) -> str:
        """JSON with one line per document and per shard (diffable, greppable, cheap for millions of documents)."""
        head = {
            "format": MANIFEST_FORMAT,
            "complete": self.complete,
            "run_id": self.run_id,
            "settings": self.settings,
            "scheduler": self.scheduler,
            "workers": self.workers,
            "dashboard": self.dashboard,
            "totals": self.totals(),
        }
        parts = [
            f" {json.dumps(key)}: {json_line(value) if isinstance(value, dict) else json.dumps(value)}"
            for key, value in head.items()
        ]
        for key, items in (
            ("failures", self.failures),
            ("shards", [asdict(shard) for shard in self.shards]),
            ("documents", [asdict(record) for record in self.documents]),
        ):
            body = ",\n".join(f"  {json_line(item)}" for item in items)
            parts.append(f" {json.dumps(key)}: [\n{body}\n ]" if items else f" {json.dumps(key)}: []")
        return "{\n" + ",\n".join(parts) + "\n}\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"not an align manifest ({data.get('format')!r})")
        return cls(
            settings=dict(data["settings"]),
            documents=[DocumentRecord.from_dict(item) for item in data["documents"]],
            shards=[ShardRecord.from_dict(item) for item in data.get("shards", [])],
            dashboard=data.get("dashboard"),
            scheduler=data.get("scheduler"),
            workers=int(data.get("workers", 0)),
            complete=bool(data.get("complete", False)),
            seconds=float(data.get("totals", {}).get("seconds", 0.0)),
            run_id=str(data.get("run_id", "")),
        )


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at `path`, or None when there is none or it cannot be read (the run then starts afresh)."""
    try:
        return Manifest.from_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def run_settings(spec: PipelineSpec, formats: Sequence[str], version: str, excel_safe: bool) -> dict[str, Any]:
    """What the per-document outputs depend on besides the inputs: a resumed run reuses outputs only if equal."""
    return {
        "align": version,
        "model": spec.model,
        "options": asdict(spec.options),
        "formats": sorted(checked_formats(formats)),
        "csv_excel_safe": excel_safe,
    }


# ---------------------------------------------------------------------------------------- inputs anywhere


def is_url(path: str) -> bool:
    """Whether `path` is an fsspec URL (s3://…, gs://…, memory://…, file://…) rather than a local path."""
    return bool(_URL.match(path))


def find_inputs_anywhere(paths: Sequence[str]) -> tuple[list[Input], list[InputError]]:
    """load.find_inputs for local paths and fsspec URLs alike: *.txt / *.md files (non-hidden) below each folder,
    X.ru.txt + X.en.txt pairs made into one Input, unique names. With local paths only it equals find_inputs."""
    local: list[str] = []
    remote: list[str] = []
    errors: list[InputError] = []
    for path in paths:
        found, problems = remote_text_files(path) if is_url(path) else text_files(path)
        (remote if is_url(path) else local).extend(found)
        errors.extend(problems)
    inputs = paired_inputs(distinct_files(local)) + paired_inputs(sorted(dict.fromkeys(remote)))
    return with_unique_names(sorted(inputs, key=lambda item: item.paths)), errors


def remote_text_files(url: str) -> tuple[list[str], list[InputError]]:
    """The file `url`, or the non-hidden *.txt / *.md files below the folder `url`, as URLs spelt like `url`."""
    try:
        import fsspec

        fs, root = fsspec.core.url_to_fs(url)
        if fs.isdir(root):
            prefix = root.rstrip("/")
            found = []
            for path in sorted(fs.find(root)):
                relative = path[len(prefix) :].lstrip("/") if path.startswith(prefix) else path
                parts = relative.split("/")
                if any(part.startswith(".") for part in parts) or not parts[-1].lower().endswith(TEXT_SUFFIXES):
                    continue
                found.append(f"{url.rstrip('/')}/{relative}")
            return found, []
        if fs.isfile(root):
            return [url], []
        return [], [input_error(url, "no such file or directory")]
    except ImportError as error:  # e.g. "Install s3fs to access S3"
        return [], [input_error(url, f"cannot open ({error})")]
    except OSError as error:
        return [], [input_error(url, f"cannot list ({error.strerror or error})")]


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES, base: str | None = None) -> bytes:
    """The bytes of the input `path` (a local path, relative to `base` if given, or an fsspec URL), with the same
    checks and one-line InputError messages as load.read_source."""
    if not is_url(path):
        local = path if base is None or os.path.isabs(path) else os.path.join(base, path)
        try:
            return file_bytes(local, max_bytes)
        except InputError as error:
            if local == path:
                raise
            shown = local.replace("\r", "\\r").replace("\n", "\\n")
            raise input_error(path, str(error).removeprefix(f"{shown}: ")) from None
    try:
        import fsspec

        with fsspec.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except ImportError as error:
        raise input_error(path, f"cannot open ({error})") from None
    except OSError as error:
        raise read_error(path, error) from None
    return within_limit(path, data, max_bytes)


def input_hash(payloads: Sequence[bytes]) -> str:
    """sha256 of the input files' bytes, each preceded by its length (so that a pair's split point counts)."""
    digest = hashlib.sha256()
    for data in payloads:
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return f"sha256:{digest.hexdigest()}"


# ---------------------------------------------------------------------------------------- worker side


@dataclass(frozen=True)
class Job:
    """What every document task of one run shares (small: pickled with each task)."""

    spec: PipelineSpec
    out: str  # absolute output folder, the same path on every machine
    formats: tuple[str, ...]
    version: str
    excel_safe: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES
    epoch: str | None = None  # the driver's SOURCE_DATE_EPOCH
    base: str | None = None  # the driver's working folder: relative input paths are read from there


_pipelines: dict[tuple[PipelineSpec, int], Pipeline] = {}
_pipelines_lock = threading.Lock()
_environment_lock = threading.Lock()


def worker_pipeline(spec: PipelineSpec) -> Pipeline:
    """This worker thread's Pipeline for `spec`, built (encoder loaded) on first use and reused by every later
    task. Per thread, because the embedding cache's SQLite connection and the encoder are not shared across
    threads; with `--nthreads 1` (recommended) that is once per worker process."""
    key = (spec, threading.get_ident())
    with _pipelines_lock:
        pipeline = _pipelines.get(key)
        if pipeline is None:
            threads = spec.threads if spec.threads is not None else encoder_threads()
            pipeline = _pipelines[key] = replace(spec, threads=threads).build()
        return pipeline


def encoder_threads() -> int | None:
    """BLAS threads for the encoder of this Dask worker: the machine's cores shared among the Dask worker threads
    running on it (e.g. 4 on 16 cores with `dask worker --nworkers 4 --nthreads 1`); None outside a worker."""
    try:
        from distributed import get_client, get_worker

        worker = get_worker()
    except (ImportError, ValueError):  # not inside a Dask task
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        workers = get_client().scheduler_info(n_workers=-1)["workers"].values()
        here = sum(int(info.get("nthreads", 1)) for info in workers if info.get("host") == worker.host)
    except Exception:  # noqa: BLE001 - best effort: fall back to this worker's own threads
        here = worker.state.nthreads
    return max(1, cores // max(1, here))


def loaded_pipelines() -> int:
    """How many pipelines this process has built (for tests and diagnostics: `client.run(loaded_pipelines)`)."""
    return len(_pipelines)


def probe_pipeline(spec: PipelineSpec) -> str:
    """Build the pipeline and encode one sentence: a model that cannot load fails the run here, once (ModelError),
    instead of failing every document."""
    pipeline = worker_pipeline(spec)
    pipeline.encoder.encode(["align"])
    return pipeline.encoder.name


@contextlib.contextmanager
def source_date_epoch(value: str | None) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to the driver's value while writing (TMX creation dates), then restored."""
    if value is None:
        yield
        return
    with _environment_lock:
        before = os.environ.get(_EPOCH)
        os.environ[_EPOCH] = value
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(_EPOCH, None)
            else:
                os.environ[_EPOCH] = before


def expected_outputs(name: str, formats: Sequence[str]) -> list[str]:
    """The per-document output file names write_document writes for a document called `name`."""
    stem = output_stem(name)
    return [f"{stem}.{fmt}" for fmt in checked_formats(formats)]


def outputs_complete(outputs: dict[str, int], expected: Sequence[str], out: Path) -> bool:
    """Whether every expected output is recorded and on disk with the recorded size (writes are atomic, so a
    file that exists is whole; the size catches a file replaced since)."""
    if sorted(outputs) != sorted(expected):
        return False
    for name, size in outputs.items():
        try:
            if (out / name).stat().st_size != size:
                return False
        except OSError:
            return False
    return True


def process_document(job: Job, item: Input, previous: DocumentRecord | None = None) -> DocumentRecord:
    """The task: align one document and write its files, or skip it if `previous` shows it done; a summary back.

    InputError (the user's mistake) gives a failed record; any other exception propagates (Dask retries it).
    """
    start = time.perf_counter()
    record = DocumentRecord(name=item.name, inputs=list(item.paths))
    out = Path(job.out)
    try:
        payloads = [read_bytes(path, job.max_bytes, job.base) for path in item.paths]
    except InputError as error:
        return replace(record, status="failed", error=str(error), seconds=time.perf_counter() - start)
    record.input_hash = input_hash(payloads)
    expected = expected_outputs(item.name, job.formats)
    if (
        previous is not None
        and previous.input_hash == record.input_hash
        and previous.inputs == record.inputs
        and outputs_complete(previous.outputs, expected, out)
    ):
        return replace(previous, status="skipped", error="", seconds=time.perf_counter() - start)
    pipeline = worker_pipeline(job.spec)
    notes: list[str] = []
    try:
        sources = [source_of(path, data) for path, data in zip(item.paths, payloads, strict=True)]
        document = pipeline.document_of_sources(item, sources, notes.append)
    except InputError as error:
        return replace(record, status="failed", error=str(error), notes=notes, seconds=time.perf_counter() - start)
    del payloads
    alignment = pipeline.align(document)
    with source_date_epoch(job.epoch):
        written = write_document(alignment, out, job.formats, version=job.version, excel_safe=job.excel_safe)
    record.outputs = {path.name: path.stat().st_size for path in written}
    record.counts = counts_of(alignment)
    record.notes = notes
    record.status = "ok"
    record.seconds = time.perf_counter() - start
    return record


def counts_of(alignment: Alignment) -> dict[str, int]:
    """Sentences per side, pairs (1-1 and n-m), untranslated sentences per side, other-language sentences."""
    counts = {
        "ru": len(alignment.document.ru),
        "en": len(alignment.document.en),
        "other": len(alignment.document.other),
        "pairs": 0,
        "pairs_1_1": 0,
        "untranslated_ru": 0,
        "untranslated_en": 0,
    }
    for bead in alignment.beads:
        if bead.paired:
            counts["pairs"] += 1
            counts["pairs_1_1"] += bead.kind == "1-1"
        elif bead.ru:
            counts["untranslated_ru"] += len(bead.ru)
        elif bead.en:
            counts["untranslated_en"] += len(bead.en)
    return counts


# ---------------------------------------------------------------------------------------- shards


def shard_name(index: int, fmt: str) -> str:
    return f"corpus-{index:05d}.{fmt}"


def shard_digest(members: Sequence[DocumentRecord], fmt: str, settings: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps([fmt, settings], sort_keys=True).encode())
    for record in members:
        digest.update(json_line({"name": record.name, "hash": record.input_hash, "outputs": record.outputs}).encode())
    return digest.hexdigest()[:32]


def shard_text(fmt: str, parts: Iterator[str], version: str) -> str:
    """The corpus text of one shard from its documents' own files (in order): byte-identical to what
    write.write_corpus writes for the same documents."""
    if fmt == "jsonl":
        return "".join(parts)
    if fmt == "csv":
        header = csv_text([])
        rows = []
        for text in parts:
            if not text.startswith(header):
                raise ValueError("a per-document CSV file does not start with the CSV header")
            rows.append(text[len(header) :])
        return header + "".join(rows)
    if fmt == "tmx":
        empty = tmx_text([], version=version)
        head, _, _ = empty.rpartition("<body/>")
        bodies = []
        for text in parts:
            start = text.find("<body>\n")
            if start >= 0:  # "<body/>": a document without a single pair
                bodies.append(text[start + len("<body>\n") : text.rindex("</body>\n")].rstrip(" "))
        if not bodies:
            return empty
        return f"{head}<body>\n{''.join(bodies)}{head[len(head.rstrip(' ')) :]}</body>\n</tmx>\n"
    raise ValueError(f"unknown format {fmt!r}")


def write_shard(job: Job, index: int, fmt: str, members: list[str]) -> int:
    """The shard task: concatenate the files `members` (in the output folder) into corpus-NNNNN.<fmt>; its size."""
    out = Path(job.out)
    parts = (
        (out / member).read_bytes().decode("utf-8", "surrogateescape") for member in members
    )  # a generator: one document's text at a time besides the shard's
    with source_date_epoch(job.epoch):
        text = shard_text(fmt, parts, job.version)
    path = out / shard_name(index, fmt)
    write_atomic(path, text)
    return path.stat().st_size


# ---------------------------------------------------------------------------------------- driver


def run_on_dask(
    spec: PipelineSpec,
    inputs: list[Input],
    out: Path,
    formats: list[str],
    run: DaskRun,
    *,
    version: str,
    progress: Callable[[int, int], None] | None = None,
    dashboard: Callable[[str], None] | None = None,
    excel_safe: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: Client | None = None,
) -> Manifest:
    """Align `inputs` on a Dask cluster and write out/<doc>.<fmt>, out/corpus-NNNNN.<fmt> and out/manifest.json.

    `run.scheduler` names a running scheduler (tcp://HOST:8786); without it a LocalCluster of `run.workers`
    processes (1 thread each) is started and stopped here; `client`, if given, is used instead of either.
    `progress(done, total)` is called after each document, `dashboard(link)` once connected. Prints nothing.
    Raises ModelError (from the worker) when the model cannot be loaded; any other failure is in the manifest.
    """
    from distributed import Client, LocalCluster

    if run.shard_size < 1 or run.workers < 1 or run.retries < 0:
        raise ValueError("shard_size and workers must be at least 1, retries at least 0")
    started = time.perf_counter()
    chosen = tuple(checked_formats(formats))
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    settings = run_settings(spec, chosen, version, excel_safe)
    previous = read_manifest(out / MANIFEST)
    usable = previous if previous is not None and previous.settings == settings else None
    before = {record.name: record for record in usable.documents} if usable else {}
    candidates = {
        name: record
        for name, record in before.items()
        if record.status != "failed" and record.input_hash and record.outputs
    }
    documents = [
        replace(candidates[item.name], status="pending")
        if item.name in candidates and candidates[item.name].inputs == list(item.paths)
        else DocumentRecord(name=item.name, inputs=list(item.paths))
        for item in inputs
    ]
    manifest = Manifest(settings=settings, documents=documents, scheduler=run.scheduler)
    with contextlib.ExitStack() as stack:
        if client is None:
            if run.scheduler:
                client = stack.enter_context(Client(run.scheduler, set_as_default=False))
            else:
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=run.workers, threads_per_worker=1, processes=True, silence_logs=logging.ERROR
                    )
                )
                client = stack.enter_context(Client(cluster, set_as_default=False))
                if spec.threads is None:  # share the cores among the worker processes, as --jobs does
                    spec = replace(spec, threads=max(1, (os.cpu_count() or 1) // run.workers))
        manifest.dashboard = dashboard_link(client)
        manifest.scheduler = run.scheduler or client.scheduler.address
        manifest.workers = len(client.nthreads())
        if dashboard and manifest.dashboard:
            dashboard(manifest.dashboard)
        job = Job(
            spec=spec,
            out=str(out),
            formats=chosen,
            version=version,
            excel_safe=excel_safe,
            max_bytes=max_bytes,
            epoch=os.environ.get(_EPOCH) or None,
            base=os.getcwd(),
        )
        driver = _Driver(client, job, run, inputs, manifest, candidates, previous, progress, started)
        try:
            driver.run()
        finally:
            manifest.seconds = time.perf_counter() - started
            write_atomic(out / MANIFEST, manifest.to_json())
    return manifest


def dashboard_link(client: Client) -> str | None:
    """The cluster's dashboard URL, when the scheduler serves one."""
    try:
        if "dashboard" not in client.scheduler_info().get("services", {}):
            return None
        return client.dashboard_link or None
    except Exception:  # noqa: BLE001 - best effort: a missing link must not stop the run
        return None


class _Driver:
    """The submission loop of run_on_dask: a bounded window of document tasks, shard tasks as shards complete,
    manifest checkpoints."""

    def __init__(
        self,
        client: Client,
        job: Job,
        run: DaskRun,
        inputs: list[Input],
        manifest: Manifest,
        candidates: dict[str, DocumentRecord],
        previous: Manifest | None,
        progress: Callable[[int, int], None] | None,
        started: float,
    ) -> None:
        self.client = client
        self.job = job
        self.run_options = run
        self.inputs = inputs
        self.manifest = manifest
        self.candidates = candidates
        # Shards of the previous run: kept if their digest (which covers the settings) is unchanged, deleted if
        # this run has no such shard (fewer documents, another shard size, a format no longer asked for).
        self.previous_shards = {(s.index, s.format): s for s in previous.shards} if previous else {}
        self.stale = {s.path for s in previous.shards} if previous else set()
        self.progress = progress
        self.started = started
        self.token = manifest.run_id = uuid.uuid4().hex[:10]
        self.tasks: dict[str, tuple[str, int, str]] = {}  # key -> (kind, index, format)
        self.shard_left = [min(run.shard_size, len(inputs) - start) for start in range(0, len(inputs), run.shard_size)]
        self.shards: dict[tuple[int, str], ShardRecord] = {}
        self.next_checkpoint = time.monotonic() + CHECKPOINT_SECONDS

    def run(self) -> None:
        from distributed import as_completed

        total = len(self.inputs)
        if self.progress:
            self.progress(0, total)
        if total:
            self.client.submit(probe_pipeline, self.job.spec, pure=False, key=f"align-probe-{self.token}").result()
        queue = as_completed(loop=self.client.loop)
        waiting = iter(range(total))
        window = self.window()
        for index in waiting:
            queue.add(self.submit_document(index))
            if queue.count() >= window:
                break
        done = 0
        for future in queue:
            kind, index, fmt = self.tasks.pop(future.key)
            if kind == "document":
                self.manifest.documents[index] = self.document_result(future, index)
                done += 1
                if self.progress:
                    self.progress(done, total)
                shard = index // self.run_options.shard_size
                self.shard_left[shard] -= 1
                if self.shard_left[shard] == 0:
                    for shard_future in self.submit_shard(shard):
                        queue.add(shard_future)
                for next_index in waiting:
                    queue.add(self.submit_document(next_index))
                    break
            else:
                self.shard_result(future, index, fmt)
            future.release()
            self.checkpoint()
        self.manifest.shards = self.shard_list()
        self.manifest.complete = True
        for name in sorted(self.stale - {shard.path for shard in self.manifest.shards}):
            if SHARD_PATTERN.match(name):
                with contextlib.suppress(OSError):
                    (Path(self.job.out) / name).unlink()

    def shard_list(self) -> list[ShardRecord]:
        """The shards in order: by number, then in the order the formats were asked for."""
        order = {fmt: position for position, fmt in enumerate(self.job.formats)}
        return sorted(self.shards.values(), key=lambda shard: (shard.index, order[shard.format]))

    def window(self) -> int:
        """Document tasks in flight at once: enough to keep every worker thread busy, few enough that a corpus
        of millions never sits in the scheduler (4 per worker thread, at least 64)."""
        return max(64, 4 * sum(self.client.nthreads().values()))

    def submit_document(self, index: int) -> Any:
        item = self.inputs[index]
        key = f"align-document-{self.token}-{index}"
        self.tasks[key] = ("document", index, "")
        previous = self.candidates.get(item.name)
        return self.client.submit(
            process_document, self.job, item, previous, key=key, retries=self.run_options.retries, pure=False
        )

    def document_result(self, future: Any, index: int) -> DocumentRecord:
        item = self.inputs[index]
        if future.status == "error":
            error = f"{item.name}: {error_line(future)}"
            return DocumentRecord(name=item.name, inputs=list(item.paths), status="failed", error=error)
        return future.result()

    def submit_shard(self, shard: int) -> list[Any]:
        """Shard tasks for shard number `shard` (one per format), unless nothing in it changed since last time."""
        size = self.run_options.shard_size
        members = [
            record
            for record in self.manifest.documents[shard * size : (shard + 1) * size]
            if record.status in ("ok", "skipped")
        ]
        futures = []
        for fmt in self.job.formats:
            name = shard_name(shard, fmt)
            if not members:
                self.stale.add(name)  # delete a shard left by an earlier run, if any
                continue
            digest = shard_digest(members, fmt, self.manifest.settings)
            record = ShardRecord(shard, name, fmt, len(members), members[0].name, members[-1].name, digest)
            self.shards[(shard, fmt)] = record
            earlier = self.previous_shards.get((shard, fmt))
            unchanged = earlier is not None and earlier.digest == digest and earlier.status != "failed"
            if earlier is not None and unchanged and file_size(name, self) == earlier.bytes:
                record.bytes, record.status = earlier.bytes, "kept"
                continue
            key = f"align-shard-{self.token}-{shard}-{fmt}"
            self.tasks[key] = ("shard", shard, fmt)
            outputs = [next(o for o in m.outputs if o.endswith(f".{fmt}")) for m in members]
            futures.append(
                self.client.submit(
                    write_shard,
                    self.job,
                    shard,
                    fmt,
                    outputs,
                    key=key,
                    retries=self.run_options.retries,
                    pure=False,
                    priority=10,
                )
            )
        return futures

    def shard_result(self, future: Any, shard: int, fmt: str) -> None:
        record = self.shards[(shard, fmt)]
        if future.status == "error":
            record.status, record.error = "failed", f"{record.path}: {error_line(future)}"
        else:
            record.bytes = int(future.result())

    def checkpoint(self) -> None:
        """Write the manifest (complete: false) now and then; the interval grows with the time a write takes."""
        now = time.monotonic()
        if now < self.next_checkpoint:
            return
        self.manifest.shards = self.shard_list()
        self.manifest.seconds = time.perf_counter() - self.started
        write_atomic(Path(self.job.out) / MANIFEST, self.manifest.to_json())
        took = time.monotonic() - now
        self.next_checkpoint = time.monotonic() + max(CHECKPOINT_SECONDS, 20 * took)


def file_size(name: str, driver: _Driver) -> int:
    try:
        return (Path(driver.job.out) / name).stat().st_size
    except OSError:
        return -1


def error_line(future: Any) -> str:
    """The first line of a failed task's exception, with its type: "OSError: [Errno 28] No space left on device"."""
    try:
        error = future.exception()
    except Exception as problem:  # noqa: BLE001 - e.g. the scheduler lost the task
        error = problem
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
