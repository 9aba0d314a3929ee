"""`--engine dask`: documents aligned on a Dask distributed cluster, resumable, with corpus shards and a manifest.

The unit of work is one document (an Input). The driver (the process running `align run`) submits one task per
document, a bounded window of them at a time, so that a corpus of millions of documents never sits in the
scheduler at once. Each task runs in a worker process and

- reads the input's bytes once (`read_bytes`: a local path, or an fsspec URL such as s3://… or gs://…, which
  needs s3fs / gcsfs on the workers) and hashes them; when the previous manifest shows the same hash and every
  output file is there with the size recorded then, the document is "skipped" (a resumed run);
- otherwise aligns them with the worker's Pipeline (`Pipeline.results`, result cache included; built once per
  worker thread, see `worker_pipeline`) and finishes the result with the runner's Finisher, in the task:
  decisions applied, per-document files written (the same bytes a local run writes: the creation date travels
  in the Finisher's WriteContext), bead statistics counted, untranslated lines collected;
- returns the Outcome (without the alignment unless the run needs it back: `--format html`, or no output
  folder) and the document's manifest record.

Outcomes are yielded in input order. The corpus-wide files are sharded: corpus-00000<suffix>, corpus-00001…,
each holding `shard_size` documents of the input order (failed ones left out), written by one more task as soon
as all its documents are done, with each writer's `concatenate` over the per-document files on disk: the same
bytes as the writer's corpus file over the same documents, at the memory cost of one shard. So the output
folder must be one file system that the driver and every worker see at the same path. A document named like a
shard (corpus-00000) is renamed corpus-00000-2, with a note. `out/manifest.json` (dask_manifest.py) records
every document, shard and failure; it is checkpointed during the run, so a killed run re-run with the same
command skips what was done.

A user's mistake about an input (InputError) or an output that cannot be written fails that document at once,
with its one-line message; any other exception in a task is retried by Dask (`retries`) and, if it persists,
the document fails with the exception's first line. A model that cannot load stops the run before any document
(ModelError from one probe task).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.engines.dask_manifest import (
    MANIFEST,
    SHARD_DIGITS,
    SHARD_STEM,
    DocumentRecord,
    Manifest,
    ShardRecord,
    decisions_digest,
    find_inputs_anywhere,
    input_hash,
    read_bytes,
    resumed,
    run_settings,
    shard_digest,
    shard_name,
    with_free_shard_names,
    write_manifest,
)
from align.files import output_stem, write_atomic
from align.load import Input, InputError
from align.pipeline import Pipeline, PipelineSpec
from align.runner import Finisher, Outcome, RunError
from align.writers import Writer, writer_for

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = ["DaskEngine", "find_inputs_anywhere", "read_bytes"]  # find_inputs_anywhere: the runner's listing

DEFAULT_RETRIES = 2  # Dask retries of a task that raised something other than a user's mistake
CHECKPOINT_SECONDS = 30.0  # the manifest is checkpointed at most this often…
CHECKPOINT_SHARE = 20  # …and waits at least 20 times as long as the last write took (at most 5 % of the time)
MIN_WINDOW = 64  # document tasks in flight at least…
TASKS_PER_THREAD = 4  # …or this many per worker thread
REORDER_WINDOWS = 8  # finished documents waiting for an earlier one to be yielded: at most this many windows
SHARD_PRIORITY = 10  # shard tasks go before waiting documents
SHARD_FILE = re.compile(rf"^{SHARD_STEM}-[0-9]{{{SHARD_DIGITS},}}\.[a-z]+$")


# ---------------------------------------------------------------------------------------- worker side


@dataclass(frozen=True)
class Job:
    """What every task of one run shares (small: pickled with each task)."""

    spec: PipelineSpec
    finish: Finisher  # its request's `out` is absolute (None: nothing written) and `keep` what the driver needs
    base: str  # the driver's working folder: relative input paths are read from there
    own_cache: bool = False  # the request named no cache folder: each worker uses its own default one

    @property
    def out(self) -> Path | None:
        return self.finish.request.out

    def writers(self) -> list[Writer]:
        """The per-document writers of the request's formats (html is written by the runner, from the driver)."""
        writers = (writer_for(name) for name in dict.fromkeys(self.finish.request.formats))
        return [writer for writer in writers if writer.per_document]

    def outputs(self, name: str) -> list[str]:
        """The per-document file names the Finisher writes for a document called `name`."""
        return [f"{output_stem(name)}{writer.suffix}" for writer in self.writers()]


# The one piece of module state, which Dask needs: a task is a plain function call in a worker process, so the
# pipelines a worker has built (its encoder loaded) can only be kept between tasks here. Keyed by thread as
# well, because the embedding cache's SQLite connection and the encoder are not shared across threads; with
# `--nthreads 1` (recommended) that is one pipeline per worker process.
_pipelines: dict[tuple[PipelineSpec, bool, int], Pipeline] = {}
_pipelines_lock = threading.Lock()


def worker_pipeline(job: Job) -> Pipeline:
    """This worker thread's Pipeline for the job, built on first use and reused by every later task."""
    key = (job.spec, job.own_cache, threading.get_ident())
    with _pipelines_lock:
        pipeline = _pipelines.get(key)
        if pipeline is None:
            spec = job.spec if job.spec.threads is not None else replace(job.spec, threads=encoder_threads())
            spec = replace(spec, cache_dir=worker_cache_dir()) if job.own_cache else spec
            pipeline = _pipelines[key] = spec.build()
        return pipeline


def loaded_pipelines() -> int:
    """How many pipelines this process has built (for tests and diagnostics: `client.run(loaded_pipelines)`)."""
    return len(_pipelines)


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


def worker_cache_dir() -> Path | None:
    """This worker's default cache folder ($ALIGN_CACHE_DIR on its machine), created; None if it cannot be."""
    from align.cache import cache_path

    folder = cache_path(None).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def probe_pipeline(job: Job) -> str:
    """Build the pipeline and encode one sentence: a model that cannot load fails the run here, once (ModelError),
    instead of failing every document."""
    pipeline = worker_pipeline(job)
    pipeline.encoder.encode(["align"])
    return pipeline.encoder.name


def align_document(job: Job, item: Input, previous: DocumentRecord | None = None) -> tuple[Outcome, DocumentRecord]:
    """The task: read, align and finish one document (or skip it if `previous` shows it done); its Outcome and
    manifest record. A document skipped is aligned again (the result cache has it) but not rewritten when the
    driver needs its alignment or untranslated lines that `previous` lacks."""
    start = time.perf_counter()
    record = DocumentRecord(name=item.name, inputs=list(item.paths))
    try:
        payloads = {path: read_bytes(path, job.spec.max_bytes, job.base) for path in item.paths}
    except InputError as error:
        failed = job.finish(item, error, [])
        return failed, recorded(job, record, failed, start)
    record.input_hash = input_hash(list(payloads.values()))
    request = job.finish.request
    done = previous if previous is not None and is_done(job, item, previous, record.input_hash) else None
    if done is not None and not (request.keep or (request.list_untranslated and done.untranslated is None)):
        return skipped(job, item, done, start)
    finish = job.finish if done is None else replace(job.finish, request=replace(request, out=None))
    result, notes = next(worker_pipeline(job).results([item], read=lambda path, _limit: payloads[path]))
    outcome = finish(item, result, notes)
    if done is not None and outcome.ok:
        outcome.status, outcome.written = "skipped", dict(done.outputs)
    return outcome, recorded(job, record, outcome, start)


def is_done(job: Job, item: Input, previous: DocumentRecord, digest: str) -> bool:
    """Whether `previous` is this document with the same input bytes and every output on disk with the size
    recorded then (writes are atomic, so a file that exists is whole; the size catches a file replaced since)."""
    if job.out is None or previous.input_hash != digest or previous.inputs != list(item.paths):
        return False
    if sorted(previous.outputs) != sorted(job.outputs(item.name)):
        return False
    for name, size in previous.outputs.items():
        try:
            if (job.out / name).stat().st_size != size:
                return False
        except OSError:
            return False
    return True


def skipped(job: Job, item: Input, previous: DocumentRecord, start: float) -> tuple[Outcome, DocumentRecord]:
    """A document done by an earlier run: its Outcome from the manifest, nothing read but its inputs' bytes."""
    untranslated = list(previous.untranslated or []) if job.finish.request.list_untranslated else []
    outcome = Outcome(item, "skipped", notes=list(previous.notes), stats=previous.stats, untranslated=untranslated)
    outcome.written = dict(previous.outputs)
    update = {"status": "skipped", "error": "", "seconds": time.perf_counter() - start}
    return outcome, previous.model_copy(update=update)


def recorded(job: Job, record: DocumentRecord, outcome: Outcome, start: float) -> DocumentRecord:
    """`record` with what `outcome` says."""
    record.status, record.error, record.notes = outcome.status, outcome.error, list(outcome.notes)
    record.stats, record.outputs = outcome.stats, dict(outcome.written)
    record.untranslated = list(outcome.untranslated) if job.finish.request.list_untranslated else None
    record.seconds = time.perf_counter() - start
    return record


def write_shard(job: Job, index: int, fmt: str, members: list[str]) -> int:
    """The shard task: the per-document files `members` (in the output folder) joined by the writer's
    `concatenate` into corpus-NNNNN<suffix>; its size. One document's text at a time besides the shard's."""
    assert job.out is not None
    out, writer = job.out, writer_for(fmt)
    parts = ((out / member).read_bytes().decode("utf-8") for member in members)
    path = out / shard_name(index, writer.suffix)
    write_atomic(path, writer.concatenate(parts, job.finish.context))
    return path.stat().st_size


# ---------------------------------------------------------------------------------------- driver


class DaskEngine:
    """Documents as Dask tasks on `request.scheduler`, or on a LocalCluster of `request.workers` processes (one
    thread each) started and stopped here; writes the corpus shards and out/manifest.json itself."""

    writes_corpus = True  # the runner writes no corpus.* files: the shards are this engine's

    def __init__(self, retries: int = DEFAULT_RETRIES) -> None:
        self.retries = retries

    def outcomes(
        self, spec: PipelineSpec, inputs: Sequence[Input], finish: Finisher, details: dict[str, Any]
    ) -> Iterator[Outcome]:
        request = finish.request
        if request.shard_size < 1 or request.workers < 1 or self.retries < 0:
            raise RunError("--shard-size and --workers must be at least 1")
        if not inputs:
            return
        inputs, renamed = with_free_shard_names(inputs)
        out = request.out.resolve() if request.out is not None else None
        whole_run = any(not writer_for(name).per_document for name in request.formats)
        keep = request.keep and (out is None or whole_run)  # alignments back to the driver only if needed
        task_request = replace(request, out=out, keep=keep, paths=())
        own_cache = spec.cache_dir is not None and request.cache_dir is None  # each worker: its $ALIGN_CACHE_DIR
        # no output records in the task: the job travels with every document, and a tree's records with it would
        # make the run's traffic grow with the square of its documents (a task renders every file it writes)
        job = Job(spec, replace(finish, request=task_request, records={}), os.getcwd(), own_cache)
        suffixes = [writer.suffix for writer in job.writers()]
        signature = str(finish.context.signature)
        settings = run_settings(
            signature, request.model, request.options, suffixes, request.excel_safe, decisions_digest(finish.decisions)
        )
        previous, candidates, documents = resumed(out / MANIFEST if out is not None else None, settings, inputs)
        manifest = details["manifest"] = Manifest(settings=settings, documents=documents, scheduler=request.scheduler)
        started = time.perf_counter()
        with contextlib.ExitStack() as stack:
            client = connected(request.scheduler, request.workers, stack)
            if request.scheduler is None and spec.threads is None:  # share the cores among the workers (--jobs)
                job = replace(job, spec=replace(spec, threads=max(1, (os.cpu_count() or 1) // request.workers)))
            manifest.dashboard = dashboard_link(client)
            manifest.scheduler = request.scheduler or client.scheduler.address
            manifest.workers = len(client.nthreads())
            driver = Driver(client, job, self.retries, inputs, manifest, previous, details)
            driver.renamed, driver.candidates = renamed, candidates
            try:
                yield from driver.run()
            finally:
                manifest.seconds = time.perf_counter() - started
                driver.save()


def connected(scheduler: str | None, workers: int, stack: contextlib.ExitStack) -> Client:
    """A client of the scheduler, or of a LocalCluster of `workers` processes (closed with `stack`)."""
    from distributed import Client, LocalCluster

    if scheduler:
        return stack.enter_context(Client(scheduler, set_as_default=False))
    cluster = stack.enter_context(
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, silence_logs=logging.ERROR)
    )
    return stack.enter_context(Client(cluster, set_as_default=False))


def dashboard_link(client: Client) -> str | None:
    """The cluster's dashboard URL, when the scheduler serves one."""
    try:
        if "dashboard" not in client.scheduler_info().get("services", {}):
            return None
        return client.dashboard_link or None
    except Exception:  # noqa: BLE001 - best effort: a missing link must not stop the run
        return None


class Driver:
    """The submission loop: a bounded window of document tasks, their outcomes yielded in input order, shard
    tasks as shards complete, manifest checkpoints."""

    def __init__(
        self,
        client: Client,
        job: Job,
        retries: int,
        inputs: list[Input],
        manifest: Manifest,
        previous: Manifest | None,
        details: dict[str, Any],
    ) -> None:
        self.client, self.job, self.retries, self.inputs, self.manifest = client, job, retries, inputs, manifest
        self.details = details
        self.size = job.finish.request.shard_size
        self.renamed: dict[int, str] = {}  # position -> the note saying a document was renamed
        self.candidates: dict[str, DocumentRecord] = {}  # documents the previous run did, by name
        # Shards of the previous run: kept if their digest (which covers the settings) is unchanged, deleted if
        # this run has no such shard (fewer documents, another shard size, a format no longer asked for).
        self.previous_shards = {(s.index, s.format): s for s in previous.shards} if previous else {}
        self.stale = {s.path for s in previous.shards} if previous else set()
        self.token = manifest.run_id = uuid.uuid4().hex[:10]
        self.tasks: dict[str, tuple[str, int, str]] = {}  # key -> (kind, index, format)
        self.shard_left = [min(self.size, len(inputs) - first) for first in range(0, len(inputs), self.size)]
        self.shards: dict[tuple[int, str], ShardRecord] = {}
        self.next_checkpoint = time.monotonic() + CHECKPOINT_SECONDS
        self.submitted = self.yielded = self.running = 0  # documents submitted, yielded, and in flight

    def run(self) -> Iterator[Outcome]:
        from distributed import as_completed

        self.client.submit(probe_pipeline, self.job, pure=False, key=f"align-probe-{self.token}").result()
        queue = as_completed(loop=self.client.loop)
        ready: dict[int, Outcome] = {}  # finished documents waiting for an earlier one
        self.fill(queue)
        for future in queue:
            kind, index, fmt = self.tasks.pop(future.key)
            if kind == "document":
                ready[index], self.manifest.documents[index] = self.document_result(future, index)
                self.running -= 1
                for shard_future in self.shard_done(index // self.size):
                    queue.add(shard_future)
                while self.yielded in ready:
                    yield ready.pop(self.yielded)
                    self.yielded += 1
                self.fill(queue)
            else:
                self.shard_result(future, index, fmt)
            future.release()
            self.checkpoint()
        self.manifest.shards = self.shard_list()
        self.manifest.complete = True
        for name in sorted(self.stale - {shard.path for shard in self.manifest.shards}):
            if SHARD_FILE.match(name) and self.job.out is not None:
                with contextlib.suppress(OSError):
                    (self.job.out / name).unlink()

    def fill(self, queue: Any) -> None:
        """Submit the next documents while fewer than a window run and the finished ones waiting for an earlier
        document stay within REORDER_WINDOWS windows (a bounded scheduler and driver, however large the corpus)."""
        window = max(MIN_WINDOW, TASKS_PER_THREAD * sum(self.client.nthreads().values()))
        while (
            self.submitted < len(self.inputs)
            and self.running < window
            and self.submitted - self.yielded < REORDER_WINDOWS * window
        ):
            queue.add(self.submit_document(self.submitted))
            self.submitted, self.running = self.submitted + 1, self.running + 1

    def submit_document(self, index: int) -> Future:
        item = self.inputs[index]
        key = f"align-document-{self.token}-{index}"
        self.tasks[key] = ("document", index, "")
        previous = self.candidates.get(item.name)
        return self.client.submit(align_document, self.job, item, previous, key=key, retries=self.retries, pure=False)

    def document_result(self, future: Future, index: int) -> tuple[Outcome, DocumentRecord]:
        item = self.inputs[index]
        if future.status == "error":
            error = f"{item.name}: {error_line(future)}"
            outcome = Outcome(item, "failed", error=error)
            record = DocumentRecord(name=item.name, inputs=list(item.paths), status="failed", error=error)
        else:
            outcome, record = future.result()
        if index in self.renamed:
            outcome.notes.insert(0, self.renamed[index])
        return outcome, record

    def shard_done(self, shard: int) -> list[Future]:
        """One more document of shard number `shard` is done: when it was the last, its shard tasks (one per
        format), unless nothing in it changed since the previous run."""
        self.shard_left[shard] -= 1
        if self.shard_left[shard] or self.job.out is None:
            return []
        members = [
            record
            for record in self.manifest.documents[shard * self.size : (shard + 1) * self.size]
            if record.status in ("ok", "skipped")
        ]
        futures = []
        for writer in self.job.writers():
            name = shard_name(shard, writer.suffix)
            if not members:
                self.stale.add(name)  # delete a shard left by an earlier run, if any
                continue
            digest = shard_digest(members, writer.name, self.manifest.settings)
            first, last = members[0].name, members[-1].name
            record = ShardRecord(
                index=shard,
                path=name,
                format=writer.name,
                documents=len(members),
                first=first,
                last=last,
                digest=digest,
            )
            self.shards[(shard, writer.name)] = record
            earlier = self.previous_shards.get((shard, writer.name))
            unchanged = earlier is not None and earlier.digest == digest and earlier.status != "failed"
            if earlier is not None and unchanged and file_size(self.job.out / name) == earlier.bytes:
                record.bytes, record.status = earlier.bytes, "kept"
                continue
            key = f"align-shard-{self.token}-{shard}-{writer.name}"
            self.tasks[key] = ("shard", shard, writer.name)
            files = [f"{output_stem(member.name)}{writer.suffix}" for member in members]
            submit = self.client.submit
            options = {"key": key, "retries": self.retries, "pure": False, "priority": SHARD_PRIORITY}
            futures.append(submit(write_shard, self.job, shard, writer.name, files, **options))
        return futures

    def shard_result(self, future: Future, shard: int, fmt: str) -> None:
        record = self.shards[(shard, fmt)]
        if future.status == "error":
            record.status, record.error = "failed", f"{record.path}: {error_line(future)}"
            self.details.setdefault("write_errors", []).append(record.error)
        else:
            record.bytes = int(future.result())

    def shard_list(self) -> list[ShardRecord]:
        """The shards in order: by number, then in the order the formats were asked for."""
        order = {name: position for position, name in enumerate(self.job.finish.request.formats)}
        return sorted(self.shards.values(), key=lambda shard: (shard.index, order[shard.format]))

    def checkpoint(self) -> None:
        """Write the manifest (complete: false) now and then; the interval grows with the time a write takes."""
        now = time.monotonic()
        if now < self.next_checkpoint:
            return
        self.manifest.shards = self.shard_list()
        self.save()
        self.next_checkpoint = time.monotonic() + max(CHECKPOINT_SECONDS, CHECKPOINT_SHARE * (time.monotonic() - now))

    def save(self) -> None:
        """Write out/manifest.json (nothing without an output folder); a failure is one of the run's write errors."""
        if self.job.out is None:
            return
        try:
            write_manifest(self.job.out / MANIFEST, self.manifest)
        except (OSError, ValueError) as error:
            self.details.setdefault("write_errors", []).append(f"{self.job.out / MANIFEST}: cannot write ({error})")


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def error_line(future: Future) -> str:
    """The first line of a failed task's exception, with its type: "OSError: [Errno 28] No space left on device"."""
    try:
        error = future.exception()
    except Exception as problem:  # noqa: BLE001 - e.g. the scheduler lost the task
        error = problem
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
