"""`--engine dask` (align/engines/dask.py) on a real LocalCluster of 2 worker processes with the real encoder,
against the local engine on the same input; the manifest models (align/engines/dask_manifest.py) on their own.

The documents are generated from the ../shared/bench dev corpora (make_cases.py, pair mode) plus the seeds;
the cluster tests skip, saying why, where ../shared is absent.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from align import __version__
from align.engines.dask_manifest import (
    MANIFEST,
    DocumentRecord,
    Manifest,
    ShardRecord,
    find_inputs_anywhere,
    input_hash,
    read_manifest,
    with_free_shard_names,
)
from align.load import Input, find_inputs
from align.model import Alignment
from align.runner import Finisher, Outcome, Request, RunError, RunResult, Silent, run, signature_for
from align.stats import BeadStats
from align.writers import WriteContext, writer_for
from tests.conftest import SEEDS, SHARED, run_cli

BENCH = SHARED / "bench"
CORPUS = BENCH / "corpora" / "wmt22_generaltest_ru-en"
EPOCH = "1700000000"
CREATED = "20231114T221320Z"  # the TMX date of EPOCH
FORMATS = ("tmx", "csv", "jsonl", "html")
PER_DOCUMENT = ("tmx", "csv", "jsonl")
RUN_FILES = ("report.html", "signature.json")


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six pair-mode documents (12 files) generated from a dev corpus: only their *.txt files."""
    if not (BENCH / "make_cases.py").exists() or not CORPUS.is_dir():
        pytest.skip(f"{BENCH} not found (../shared is absent): no generated documents")
    generated = tmp_path_factory.mktemp("cases")
    command = [sys.executable, str(BENCH / "make_cases.py"), str(CORPUS), str(generated / "all")]
    subprocess.run(
        command + ["--mode", "pair", "--seed", "1", "--max-docs", "6", "--force"],
        check=True,
        capture_output=True,
    )
    folder = generated / "docs"
    folder.mkdir()
    for path in sorted((generated / "all").glob("*.txt")):  # not CASES.md nor gold.jsonl
        shutil.copy(path, folder / path.name)
    assert len(list(folder.glob("*.txt"))) == 12
    return folder


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """One LocalCluster for the module: 2 worker processes, 1 thread each, using the tests' embedding cache."""
    pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install 'align[dask]')")
    from distributed import Client, LocalCluster

    cache = tmp_path_factory.getbasetemp() / "align-cache"  # the folder conftest.isolated_cache points at
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            env={"ALIGN_CACHE_DIR": str(cache)},
        ) as local_cluster,
        Client(local_cluster, set_as_default=False) as client,
    ):
        yield local_cluster, client


# --------------------------------------------------------------------------------------------- helpers


class Recorder(Silent):
    """A Listener that remembers the total announced and each outcome's name, in the order they came."""

    def __init__(self) -> None:
        self.total = -1
        self.names: list[str] = []

    def started(self, total: int) -> None:
        self.total = total

    def outcome(self, outcome: Outcome) -> None:
        self.names.append(outcome.item.name)


def copy_of(cases: Path, target: Path) -> Path:
    shutil.copytree(cases, target)
    return target


def on_cluster(cluster, paths: list[str], out: Path, **settings) -> Request:
    """A dask Request on the module's cluster (its own scheduler address)."""
    local_cluster, _ = cluster
    defaults = {"formats": FORMATS, "created": CREATED, "engine": "dask", "scheduler": local_cluster.scheduler_address}
    return Request(paths=tuple(paths), out=out, **(defaults | settings))


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def document_files(result: RunResult) -> list[str]:
    return sorted(name for outcome in result.outcomes for name in outcome.written)


def rejecting_one_pair(alignment: Alignment, folder: Path) -> tuple[Path, str]:
    """decisions.json rejecting the first pair of `alignment`; and the start of the untranslated line its first
    Russian sentence then gives (FILE:LINE: [ru] text)."""
    bead = next(bead for bead in alignment.beads if bead.paired)
    entry = {
        "document": alignment.document.name,
        "ru": [[s.start, s.end] for s in bead.ru],
        "en": [[s.start, s.end] for s in bead.en],
        "decision": "rejected",
    }
    path = folder / "decisions.json"
    path.write_text(json.dumps({"version": 1, "tool": "align", "decisions": [entry]}), encoding="utf-8")
    first = bead.ru[0]
    return path, f"{first.file}:{first.line}: [{first.detected or first.lang}] {' '.join(first.text.split())}"


def direct_run(cluster, inputs: list[Input], out: Path, retries: int, **settings) -> tuple[list[Outcome], dict]:
    """DaskEngine.outcomes on exactly `inputs` (the runner would list them again), finished as the runner does."""
    from align.engines.dask import DaskEngine

    request = on_cluster(cluster, [], out, formats=PER_DOCUMENT, **settings)
    context = WriteContext(__version__, CREATED, signature_for(request, "use-multilingual-v3", "test"))
    details: dict = {}
    spec = request.spec(Path(os.environ["ALIGN_CACHE_DIR"]))
    out.mkdir(parents=True, exist_ok=True)
    outcomes = list(DaskEngine(retries=retries).outcomes(spec, inputs, Finisher(request, context), details))
    return outcomes, details


def processing_counts(prefix: str, dask_scheduler=None) -> dict[str, int]:
    """On the scheduler: how many times each task whose key starts with `prefix` started processing."""
    counts: dict[str, int] = {}
    for key, _, finish, *_ in dask_scheduler.transition_log:
        if str(key).startswith(prefix) and finish == "processing":
            suffix = str(key)[len(prefix) :]
            counts[suffix] = counts.get(suffix, 0) + 1
    return counts


# --------------------------------------------------------------------------------------------- the engines agree


def test_the_dask_engine_matches_the_local_engine(cases: Path, cluster, tmp_path: Path) -> None:
    """The same inputs, decisions, --list-untranslated and formats through align.runner.run on both engines:
    the same per-document files byte for byte, report.html, untranslated lines and statistics; shards that are
    the writers' corpus files over their documents."""
    from align.engines.dask import loaded_pipelines

    paths = [str(cases), str(SEEDS)]
    first = run(Request(paths=tuple(paths), out=None, formats=()))
    decisions, rejected_line = rejecting_one_pair(first.outcomes[0].alignment, tmp_path)
    asked = {"formats": FORMATS, "created": CREATED, "decisions": str(decisions), "list_untranslated": True}
    local = run(Request(paths=tuple(paths), out=tmp_path / "local", **asked))
    _, client = cluster
    before = client.run(loaded_pipelines)
    listener = Recorder()
    # No cache for the Dask run: its workers compute every alignment themselves.
    dask = run(on_cluster(cluster, paths, tmp_path / "dask", shard_size=4, cache=False, **asked), listener)

    assert not local.failed and not dask.failed and len(local.outcomes) == len(dask.outcomes) == 8
    names = [outcome.item.name for outcome in local.outcomes]
    assert [outcome.item.name for outcome in dask.outcomes] == names == listener.names and listener.total == 8
    assert [o.status for o in dask.outcomes] == ["ok"] * 8
    assert [o.stats for o in dask.outcomes] == [o.stats for o in local.outcomes]
    assert [o.untranslated for o in dask.outcomes] == [o.untranslated for o in local.outcomes]
    assert [o.notes for o in dask.outcomes] == [o.notes for o in local.outcomes]
    assert dask.stats == local.stats and dask.stats.documents == 8
    # The decision is honoured by both: the rejected pair's Russian sentence is untranslated now.
    assert rejected_line in local.outcomes[0].untranslated and rejected_line in dask.outcomes[0].untranslated
    assert local.outcomes[0].stats.pairs == first.outcomes[0].stats.pairs - 1
    # Every per-document file and the run's own files, byte for byte; kept alignments for the report only.
    written = document_files(local)
    assert written == document_files(dask) and len(written) == 24
    local_files, dask_files = files_of(tmp_path / "local"), files_of(tmp_path / "dask")
    for name in written + list(RUN_FILES):
        assert dask_files[name] == local_files[name], name
    assert [o.alignment is not None for o in dask.outcomes] == [True] * 8  # html: the runner needs them
    # Shards of 4 documents in input order: the writers' corpus files over those documents; no corpus.*.
    context = WriteContext(__version__, CREATED, local.signature)
    for shard, group in enumerate((local.alignments[:4], local.alignments[4:])):
        for fmt in PER_DOCUMENT:
            expected = writer_for(fmt).corpus(group, context).encode()
            assert dask_files[f"corpus-{shard:05d}.{fmt}"] == expected, (shard, fmt)
    assert not [name for name in dask_files if name.startswith("corpus.") or name.startswith("corpus-00002")]
    assert sorted(dask.written) == sorted(RUN_FILES)

    manifest = dask.details["manifest"]
    assert (manifest.ok, manifest.skipped, manifest.failed, manifest.complete) == (8, 0, 0, True)
    on_disk = json.loads((tmp_path / "dask" / MANIFEST).read_text(encoding="utf-8"))
    assert on_disk["complete"] and on_disk["totals"]["ok"] == 8 and on_disk["failures"] == []
    assert on_disk["settings"]["decisions"] and on_disk["totals"]["stats"]["pairs"] == local.stats.pairs
    assert [shard["path"] for shard in on_disk["shards"]] == [
        f"corpus-{n:05d}.{fmt}" for n in (0, 1) for fmt in PER_DOCUMENT
    ]
    index = next(k for k, outcome in enumerate(local.outcomes) if outcome.item.is_pair)  # paths sort either way
    record, pair = on_disk["documents"][index], local.outcomes[index]
    ru, en = (Path(path).read_bytes() for path in pair.item.paths)
    assert (
        record["input_hash"]
        == input_hash([ru, en])
        == "sha256:" + hashlib.sha256(len(ru).to_bytes(8, "big") + ru + len(en).to_bytes(8, "big") + en).hexdigest()
    )
    assert record["status"] == "ok" and sorted(record["outputs"]) == sorted(pair.written)
    assert record["untranslated"] == pair.untranslated
    assert BeadStats(**record["stats"]) == pair.stats
    # Each worker process built its pipeline (loaded the encoder) once for this run, not once per document.
    after = client.run(loaded_pipelines)
    grown = [after[worker] - before.get(worker, 0) for worker in after]
    assert 1 <= sum(grown) <= 2 and set(grown) <= {0, 1}


def test_the_cli_dask_engine_matches_the_local_engine(
    cases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`align run X --engine dask --workers 1 --decisions D --list-untranslated -f tmx,jsonl,html` (its own
    LocalCluster) prints and writes what `align run X` with the same options does."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = tmp_path / "docs"
    folder.mkdir()
    for ru in sorted(cases.glob("*.ru.txt"))[:2]:
        shutil.copy(ru, folder / ru.name)
        shutil.copy(ru.with_name(ru.name.replace(".ru.", ".en.")), folder / ru.name.replace(".ru.", ".en."))
    shutil.copy(next(SEEDS.glob("*.txt")), folder / "mixed.txt")
    first = run(Request(paths=(str(folder),), out=None, formats=()))
    decisions, rejected_line = rejecting_one_pair(first.outcomes[0].alignment, tmp_path)
    options = ["-f", "tmx,jsonl,html", "--decisions", str(decisions), "--list-untranslated", "--quiet"]

    code, local_out, local_err = run_cli("run", str(folder), "--out", str(tmp_path / "local"), *options)
    assert code == 0, local_err
    dask_options = ["--engine", "dask", "--workers", "1"]
    code, dask_out, dask_err = run_cli("run", str(folder), "--out", str(tmp_path / "dask"), *options, *dask_options)
    assert code == 0, dask_err

    assert dask_out == local_out and rejected_line in local_out.splitlines()
    local, dask = files_of(tmp_path / "local"), files_of(tmp_path / "dask")
    stems = ["mixed", *(path.name.removesuffix(".ru.txt") for path in folder.glob("*.ru.txt"))]
    names = sorted(f"{stem}.{fmt}" for stem in stems for fmt in ("tmx", "jsonl"))
    for name in names + list(RUN_FILES):
        assert dask[name] == local[name], name
    for suffix in (".tmx", ".jsonl"):  # one shard of every document: the local corpus file
        assert dask[f"corpus-00000{suffix}"] == local[f"corpus{suffix}"]
    assert sorted(dask) == sorted([*names, *RUN_FILES, "corpus-00000.tmx", "corpus-00000.jsonl", MANIFEST])

    # Again, not quiet: everything is skipped, and the closing line says so.
    again = ["run", str(folder), "--out", str(tmp_path / "dask"), *options[:-1], *dask_options]
    code, again_out, again_err = run_cli(*again)
    assert code == 0, again_err
    assert "0 aligned, 3 skipped (already done), 0 failed" in again_err and "2 corpus shard files" in again_err
    assert files_of(tmp_path / "dask")["report.html"] == local["report.html"]  # skipped documents still shown
    assert [line for line in again_out.splitlines() if line.startswith(str(folder))] == local_out.splitlines()


# --------------------------------------------------------------------------------------------- failures, resuming


def test_failing_documents_are_reported_and_the_others_complete(cases: Path, cluster, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    pairs = sorted(cases.glob("*.ru.txt"))[:2]
    for ru in pairs:
        shutil.copy(ru, folder / ru.name)
        shutil.copy(ru.with_name(ru.name.replace(".ru.", ".en.")), folder / ru.name.replace(".ru.", ".en."))
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (folder / "gone.txt").write_text("Это текст. This is text.\n", encoding="utf-8")
    shutil.copy(next(SEEDS.glob("*.txt")), folder / "corpus-00000.txt")  # named like a shard
    inputs, _ = find_inputs([str(folder)])
    (folder / "gone.txt").unlink()  # deleted after discovery
    # A path no listing makes (a NUL byte): reading it raises ValueError, not a user's InputError.
    inputs.append(Input("odd", (str(folder / "odd\x00.txt"),)))
    out = tmp_path / "out"
    blocked = pairs[1].name.removesuffix(".ru.txt")
    (out / f"{blocked}.tmx").mkdir(parents=True)  # its TMX cannot be written: the document fails at once

    outcomes, details = direct_run(cluster, inputs, out, retries=1)

    manifest = details["manifest"]
    assert manifest.complete
    status = {outcome.item.name: outcome for outcome in outcomes}
    assert [outcome.item.name for outcome in outcomes] == [record.name for record in manifest.documents]
    ok = pairs[0].name.removesuffix(".ru.txt")
    assert status[ok].status == "ok" and (out / f"{ok}.jsonl").exists()
    assert status["binary"].error.endswith("binary.txt: binary file, not text")
    assert status["gone"].error.endswith("gone.txt: no such file or directory")
    assert status[blocked].status == "failed" and "cannot write" in status[blocked].error
    assert status["odd"].error == "odd: ValueError: embedded null byte"
    # The shard-like name was renamed, with a note; its files and the shard are both there.
    renamed = status["corpus-00000-2"]
    assert renamed.status == "ok" and "written as corpus-00000-2.*" in renamed.notes[0]
    assert (out / "corpus-00000-2.jsonl").exists()
    assert manifest.failed == 4 and manifest.ok == 2
    on_disk = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(failure["name"] for failure in on_disk["failures"]) == sorted(["binary", "gone", blocked, "odd"])
    assert all(failure["error"] for failure in on_disk["failures"])
    # Dask retried the task that raised (1 + retries attempts), not the user's mistakes nor the write error.
    _, client = cluster
    attempts = client.run_on_scheduler(processing_counts, f"align-document-{manifest.run_id}-")
    index = {record.name: position for position, record in enumerate(manifest.documents)}
    assert attempts[str(index["odd"])] == 2
    assert [attempts[str(index[name])] for name in ("binary", "gone", blocked, ok)] == [1, 1, 1, 1]
    # The shard holds the documents that were aligned, and only them, in input order.
    aligned = [name for name in index if status[name].ok]
    joined = b"".join((out / f"{name}.jsonl").read_bytes() for name in aligned)
    assert (out / "corpus-00000.jsonl").read_bytes() == joined


def test_a_killed_run_resumes_where_it_stopped(cases: Path, cluster, tmp_path: Path) -> None:
    folder = copy_of(cases, tmp_path / "docs")
    out = tmp_path / "out"
    request = on_cluster(cluster, [str(folder)], out, shard_size=4, list_untranslated=True)
    first = run(request)
    assert first.details["manifest"].ok == 6 and not first.failed
    before = {name: data for name, data in files_of(out).items() if name != MANIFEST}

    # Simulate a kill: the manifest is a checkpoint (complete: false) that does not know the last document,
    # one document lost all its outputs, another one of them, one input was edited; the last shard is missing.
    names = [outcome.item.name for outcome in first.outcomes]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["complete"] = False
    manifest["documents"][5]["status"] = "pending"
    manifest["documents"][5]["outputs"] = {}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    for fmt in PER_DOCUMENT:
        (out / f"{names[1]}.{fmt}").unlink()
        (out / f"corpus-00001.{fmt}").unlink()
    (out / f"{names[2]}.csv").unlink()
    edited = Path(first.outcomes[3].item.paths[1])
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more sentence at the end.\n", encoding="utf-8")
    untouched = [names[0], names[4]]
    mtimes = {name: (out / f"{name}.tmx").stat().st_mtime_ns for name in untouched}

    second = run(request)

    status = {outcome.item.name: outcome.status for outcome in second.outcomes}
    assert status == dict(zip(names, ["skipped", "ok", "ok", "ok", "skipped", "ok"], strict=True))
    assert second.details["manifest"].complete and not second.failed
    for name in untouched:  # skipped documents are not rewritten
        assert (out / f"{name}.tmx").stat().st_mtime_ns == mtimes[name]
    after = {name: data for name, data in files_of(out).items() if name != MANIFEST}
    assert sorted(after) == sorted(before)  # every output is back
    changed = sorted(name for name in after if after[name] != before[name])
    assert all(name.startswith((names[3], "corpus-00000", "report.html")) for name in changed), changed
    for shard, group in enumerate((names[:4], names[4:])):  # shards rebuilt from the per-document files on disk
        joined = b"".join((out / f"{name}.jsonl").read_bytes() for name in group)
        assert (out / f"corpus-{shard:05d}.jsonl").read_bytes() == joined
    # Skipped documents keep their statistics and untranslated lines (from the manifest).
    for kept in (0, 4):
        assert second.outcomes[kept].stats == first.outcomes[kept].stats
        assert second.outcomes[kept].untranslated == first.outcomes[kept].untranslated

    third = run(request)  # nothing left to do
    assert [outcome.status for outcome in third.outcomes] == ["skipped"] * 6
    assert {shard.status for shard in third.details["manifest"].shards} == {"kept"}
    assert [o.stats for o in third.outcomes] == [o.stats for o in second.outcomes]
    assert [o.untranslated for o in third.outcomes] == [o.untranslated for o in second.outcomes]
    assert (out / "report.html").read_bytes() == after["report.html"]  # skipped documents are in the report


def test_a_model_that_cannot_load_stops_the_run_once(cluster, cases: Path, tmp_path: Path) -> None:
    """The driver can name the model but the workers cannot load it: one probe task says so, nothing is aligned."""
    request = on_cluster(cluster, [str(cases)], tmp_path, formats=("jsonl",), model="st:/nonexistent/model")
    with pytest.raises(RunError, match="st:/nonexistent/model"):
        run(request)
    assert not list(tmp_path.glob("*.jsonl"))


# --------------------------------------------------------------------------------------------- without a cluster


def test_urls_are_listed_and_read_through_fsspec(cases: Path, tmp_path: Path) -> None:
    """fsspec's memory:// file system lives in one process, so this runs the task function in-process (a real
    cluster reads s3:// or gs:// URLs the same way, with s3fs / gcsfs installed on the workers)."""
    fsspec = pytest.importorskip("fsspec")
    from align.engines.dask import Job, align_document

    fs = fsspec.filesystem("memory")
    ru = sorted(cases.glob("*.ru.txt"))[0]
    en = ru.with_name(ru.name.replace(".ru.", ".en."))
    fs.pipe("/align-test/docs/a.ru.txt", ru.read_bytes())
    fs.pipe("/align-test/docs/a.en.txt", en.read_bytes())
    fs.pipe("/align-test/docs/.hidden/b.txt", b"hidden")
    fs.pipe("/align-test/docs/notes.csv", b"not text input")
    fs.pipe("/align-test/docs/sub/c.md", "Привет. Hello.\n".encode("cp1251"))
    try:
        inputs, errors = find_inputs_anywhere(
            ["memory://align-test/docs", "memory://align-test/missing", "nosuch://x/y.txt"]
        )
        assert inputs == [
            Input("a", ("memory://align-test/docs/a.ru.txt", "memory://align-test/docs/a.en.txt")),
            Input("c", ("memory://align-test/docs/sub/c.md",)),
        ]
        assert [str(error) for error in errors] == [
            "memory://align-test/missing: no such file or directory",
            "nosuch://x/y.txt: cannot open (Protocol not known: nosuch)",
        ]

        request = Request(out=tmp_path, formats=("jsonl",), list_untranslated=True)
        context = WriteContext(__version__, CREATED)
        job = Job(request.spec(None), Finisher(request, context), base=os.getcwd())
        outcome, record = align_document(job, inputs[0])
        assert outcome.status == record.status == "ok"
        assert record.input_hash == input_hash([ru.read_bytes(), en.read_bytes()])
        beads = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
        assert beads and {bead["ru"]["file"] for bead in beads} == {inputs[0].paths[0]}
        assert outcome.stats.pairs > 0 and record.stats == outcome.stats
        assert record.untranslated == outcome.untranslated

        legacy, _ = align_document(job, inputs[1])
        assert legacy.status == "ok" and legacy.notes == ["memory://align-test/docs/sub/c.md: decoded as cp1251"]

        again, again_record = align_document(job, inputs[0], record)  # done: skipped, nothing aligned
        assert again.status == again_record.status == "skipped" and again.stats == outcome.stats

        fs.rm("/align-test/docs/a.en.txt")
        gone, _ = align_document(job, inputs[0])
        assert gone.status == "failed" and gone.error == "memory://align-test/docs/a.en.txt: no such file or directory"
    finally:
        fs.rm("/align-test", recursive=True)

    assert find_inputs_anywhere([str(cases)]) == find_inputs([str(cases)])


def test_documents_named_like_shards_are_renamed() -> None:
    inputs = [
        Input("corpus-00000", ("a/corpus-00000.txt",)),
        Input("CORPUS-00001", ("CORPUS-00001.md",)),
        Input("corpus-00000-2", ("corpus-00000-2.txt",)),  # the first free number is then 3
        Input("corpus-1234", ("corpus-1234.txt",)),  # four digits: no shard has that name
        Input("corpus-2", ("corpus.txt",)),
    ]
    renamed, notes = with_free_shard_names(inputs)
    assert [item.name for item in renamed] == [
        "corpus-00000-3",
        "CORPUS-00001-2",
        "corpus-00000-2",
        "corpus-1234",
        "corpus-2",
    ]
    assert notes == {
        0: "a/corpus-00000.txt: written as corpus-00000-3.* (corpus-00000.* is a corpus shard's name)",
        1: "CORPUS-00001.md: written as CORPUS-00001-2.* (CORPUS-00001.* is a corpus shard's name)",
    }


def test_the_manifest_reads_back_and_a_damaged_one_is_absent(tmp_path: Path) -> None:
    stats = BeadStats(documents=1, ru=3, en=2, pairs=2, one_to_one=1, confidence=1.5, kinds={"1-1": 1, "2-1": 1})
    manifest = Manifest(
        settings={"signature": "align:x", "options": {"max_bead": 2}},
        documents=[
            DocumentRecord(name="a", inputs=["a.txt"], status="ok", input_hash="sha256:00", stats=stats,
                           outputs={"a.tmx": 10}, untranslated=["a.txt:3: [ru] Один."]),  # fmt: skip
            DocumentRecord(name="b", inputs=["b.txt"], status="failed", error="b.txt: binary file, not text"),
        ],
        shards=[ShardRecord(index=0, path="corpus-00000.tmx", format="tmx", documents=1, first="a", last="a",
                            digest="d", bytes=10)],  # fmt: skip
        complete=True,
        seconds=2.0,
    )
    path = tmp_path / MANIFEST
    path.write_text(manifest.to_json(), encoding="utf-8")
    assert read_manifest(path) == manifest
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "align-manifest/2" and data["totals"]["stats"]["pairs"] == 2
    assert data["totals"]["ok"] == data["totals"]["failed"] == 1 and data["totals"]["documents_per_second"] == 0.5
    assert data["failures"] == [{"name": "b", "inputs": ["b.txt"], "error": "b.txt: binary file, not text"}]
    lines = path.read_text(encoding="utf-8").splitlines()
    documents, shards = lines.index(' "documents": ['), lines.index(' "shards": [')
    assert [line[:16] for line in lines[documents + 1 :]] == ['  {"name": "a", ', '  {"name": "b", ', " ]", "}"]
    assert lines[shards + 1].startswith('  {"index": 0, ') and lines[shards + 2] == " ],"  # one line per record

    damaged = {
        "truncated": path.read_text(encoding="utf-8")[:200],
        "another format": json.dumps(data | {"format": "align-manifest/1"}),
        "a bad status": json.dumps(data | {"documents": [data["documents"][0] | {"status": "done"}]}),
        "a negative size": json.dumps(data | {"documents": [data["documents"][0] | {"outputs": {"a.tmx": -1}}]}),
        "not an object": "[]",
        "not UTF-8": "\udcff",
    }
    for reason, text in damaged.items():
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        assert read_manifest(path) is None, reason
    assert read_manifest(tmp_path / "absent.json") is None
