"""`--engine dask` (align/distributed.py) on a real LocalCluster of 2 worker processes with the real encoder.

The documents are generated from the ../shared/bench dev corpora (make_cases.py, pair mode); the tests skip,
saying why, where ../shared is absent.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from align import __version__
from align.distributed import (
    MANIFEST,
    DaskRun,
    Job,
    Manifest,
    find_inputs_anywhere,
    input_hash,
    loaded_pipelines,
    process_document,
    run_on_dask,
)
from align.load import Input, InputError, find_inputs
from align.pipeline import PipelineSpec
from align.write import FORMATS, write_corpus, write_document
from tests.conftest import SHARED

pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install 'align[dask]')")

BENCH = SHARED / "bench"
CORPUS = BENCH / "corpora" / "wmt22_generaltest_ru-en"
SPEC = PipelineSpec(threads=1)  # two worker processes on the test machine: one BLAS thread each
EPOCH = "1700000000"


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


def copy_of(cases: Path, target: Path) -> Path:
    shutil.copytree(cases, target)
    return target


def dask_run(cluster, inputs: list[Input], out: Path, **options) -> tuple[Manifest, list[tuple[int, int]]]:
    local_cluster, _ = cluster
    calls: list[tuple[int, int]] = []
    run = DaskRun(scheduler=local_cluster.scheduler_address, **options)
    manifest = run_on_dask(
        SPEC, inputs, out, list(FORMATS), run, version=__version__, progress=lambda *call: calls.append(call)
    )
    return manifest, calls


def processing_counts(prefix: str, dask_scheduler=None) -> dict[str, int]:
    """On the scheduler: how many times each task whose key starts with `prefix` started processing."""
    counts: dict[str, int] = {}
    for key, _, finish, *_ in dask_scheduler.transition_log:
        if str(key).startswith(prefix) and finish == "processing":
            suffix = str(key)[len(prefix) :]
            counts[suffix] = counts.get(suffix, 0) + 1
    return counts


def test_same_outputs_as_a_local_run(cases: Path, cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    inputs, errors = find_inputs([str(cases)])
    assert len(inputs) == 6 and all(item.is_pair for item in inputs) and not errors

    local = tmp_path / "local"
    pipeline = PipelineSpec().build()
    alignments = []
    for item in inputs:
        alignment = pipeline.result(item)
        assert not isinstance(alignment, InputError)
        write_document(alignment, local, FORMATS, version=__version__)
        alignments.append(alignment)

    out = tmp_path / "dask"
    manifest, calls = dask_run(cluster, inputs, out, shard_size=4)

    assert (manifest.ok, manifest.skipped, manifest.failed, manifest.complete) == (6, 0, 0, True)
    assert calls[0] == (0, 6) and calls[-1] == (6, 6)
    for path in sorted(local.iterdir()):  # every per-document file, byte for byte
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name
    # Shards of 4 documents in input order: what write_corpus writes for those documents.
    for shard, group in enumerate((alignments[:4], alignments[4:])):
        expected = tmp_path / f"expected-{shard}"
        write_corpus(group, expected, FORMATS, version=__version__)
        for fmt in FORMATS:
            assert (out / f"corpus-{shard:05d}.{fmt}").read_bytes() == (expected / f"corpus.{fmt}").read_bytes()
    assert not list(out.glob("corpus-00002.*")) and not (out / "corpus.tmx").exists()

    on_disk = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert on_disk["complete"] and on_disk["totals"]["ok"] == 6 and on_disk["failures"] == []
    assert [shard["path"] for shard in on_disk["shards"]] == [
        f"corpus-{n:05d}.{fmt}" for n in (0, 1) for fmt in ("tmx", "csv", "jsonl")
    ]
    first = on_disk["documents"][0]
    ru, en = (Path(path).read_bytes() for path in inputs[0].paths)
    assert (
        first["input_hash"]
        == input_hash([ru, en])
        == "sha256:" + hashlib.sha256(len(ru).to_bytes(8, "big") + ru + len(en).to_bytes(8, "big") + en).hexdigest()
    )
    assert first["status"] == "ok" and sorted(first["outputs"]) == sorted(f"{inputs[0].name}.{f}" for f in FORMATS)
    assert first["counts"]["pairs"] > 0 and first["counts"]["ru"] == len(alignments[0].document.ru)
    # Each worker process built its pipeline (loaded the encoder) once, not once per document.
    _, client = cluster
    assert 1 <= sum(client.run(loaded_pipelines).values()) <= 2
    assert set(client.run(loaded_pipelines).values()) <= {0, 1}


def test_failing_documents_are_reported_and_the_others_complete(cases: Path, cluster, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    pairs = sorted(cases.glob("*.ru.txt"))[:2]
    for ru in pairs:
        shutil.copy(ru, folder / ru.name)
        shutil.copy(ru.with_name(ru.name.replace(".ru.", ".en.")), folder / ru.name.replace(".ru.", ".en."))
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (folder / "gone.txt").write_text("Это текст. This is text.\n", encoding="utf-8")
    inputs, _ = find_inputs([str(folder)])
    (folder / "gone.txt").unlink()  # deleted after discovery
    out = tmp_path / "out"
    blocked = pairs[1].name.removesuffix(".ru.txt")
    (out / f"{blocked}.tmx").mkdir(parents=True)  # its TMX cannot be written: an OSError, retried, then failed

    manifest, calls = dask_run(cluster, inputs, out, retries=1)

    assert manifest.complete and calls[-1] == (4, 4)
    status = {record.name: record for record in manifest.documents}
    ok = pairs[0].name.removesuffix(".ru.txt")
    assert status[ok].status == "ok" and (out / f"{ok}.jsonl").exists()
    assert status["binary"].status == "failed" and status["binary"].error.endswith("binary.txt: binary file, not text")
    assert status["gone"].status == "failed" and status["gone"].error.endswith("gone.txt: no such file or directory")
    assert status[blocked].status == "failed" and status[blocked].error.startswith(f"{blocked}: IsADirectoryError")
    assert manifest.failed == 3 and manifest.ok == 1
    on_disk = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(failure["name"] for failure in on_disk["failures"]) == sorted(["binary", "gone", blocked])
    assert all(failure["error"] for failure in on_disk["failures"])
    # Dask retried the task that raised (1 + retries attempts), not the user's mistakes (InputError).
    _, client = cluster
    attempts = client.run_on_scheduler(processing_counts, f"align-document-{manifest.run_id}-")
    index = {record.name: position for position, record in enumerate(manifest.documents)}
    assert attempts[str(index[blocked])] == 2 and attempts[str(index["binary"])] == 1
    assert attempts[str(index["gone"])] == 1 and attempts[str(index[ok])] == 1
    # The shard holds the document that was aligned, and only it.
    assert (out / "corpus-00000.jsonl").read_bytes() == (out / f"{ok}.jsonl").read_bytes()


def test_a_killed_run_resumes_where_it_stopped(
    cases: Path, cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = copy_of(cases, tmp_path / "docs")
    inputs, _ = find_inputs([str(folder)])
    out = tmp_path / "out"
    first, _ = dask_run(cluster, inputs, out, shard_size=4)
    assert first.ok == 6
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.name != MANIFEST}

    # Simulate a kill: the manifest is a checkpoint (complete: false) that does not know the last document,
    # one document lost all its outputs, another one of them, one input was edited; the last shard is missing.
    names = [item.name for item in inputs]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["complete"] = False
    manifest["documents"][5]["status"] = "pending"
    manifest["documents"][5]["outputs"] = {}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    for fmt in FORMATS:
        (out / f"{names[1]}.{fmt}").unlink()
        (out / f"corpus-00001.{fmt}").unlink()
    (out / f"{names[2]}.csv").unlink()
    edited = Path(inputs[3].paths[1])
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more sentence at the end.\n", encoding="utf-8")
    untouched = [names[0], names[4]]
    mtimes = {name: (out / f"{name}.tmx").stat().st_mtime_ns for name in untouched}

    second, calls = dask_run(cluster, inputs, out, shard_size=4)

    status = {record.name: record.status for record in second.documents}
    assert status == {
        names[0]: "skipped",
        names[1]: "ok",
        names[2]: "ok",
        names[3]: "ok",
        names[4]: "skipped",
        names[5]: "ok",
    }
    assert second.complete and second.failed == 0 and calls[-1] == (6, 6)
    for name in untouched:  # skipped documents are not rewritten
        assert (out / f"{name}.tmx").stat().st_mtime_ns == mtimes[name]
    after = {path.name: path.read_bytes() for path in out.iterdir() if path.name != MANIFEST}
    assert sorted(after) == sorted(before)  # every output is back
    changed = sorted(name for name in after if after[name] != before[name])
    assert all(name.startswith((names[3], "corpus-00000")) for name in changed), changed
    for shard, group in enumerate((names[:4], names[4:])):  # shards rebuilt from the per-document files on disk
        joined = b"".join((out / f"{name}.jsonl").read_bytes() for name in group)
        assert (out / f"corpus-{shard:05d}.jsonl").read_bytes() == joined

    third, _ = dask_run(cluster, inputs, out, shard_size=4)  # nothing left to do
    assert third.skipped == 6 and third.ok == 0
    assert {shard.status for shard in third.shards} == {"kept"}


def test_urls_are_listed_and_read_through_fsspec(cases: Path, tmp_path: Path) -> None:
    """fsspec's memory:// file system lives in one process, so this runs the task function in-process (a real
    cluster reads s3:// or gs:// URLs the same way, with s3fs / gcsfs installed on the workers)."""
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    ru = sorted(cases.glob("*.ru.txt"))[0]
    en = ru.with_name(ru.name.replace(".ru.", ".en."))
    fs.pipe("/align-test/docs/a.ru.txt", ru.read_bytes())
    fs.pipe("/align-test/docs/a.en.txt", en.read_bytes())
    fs.pipe("/align-test/docs/.hidden/b.txt", b"hidden")
    fs.pipe("/align-test/docs/notes.csv", b"not text input")
    fs.pipe("/align-test/docs/sub/c.md", "Привет. Hello.\n".encode("cp1251"))
    try:
        inputs, errors = find_inputs_anywhere(["memory://align-test/docs", "memory://align-test/missing"])
        assert inputs == [
            Input("a", ("memory://align-test/docs/a.ru.txt", "memory://align-test/docs/a.en.txt")),
            Input("c", ("memory://align-test/docs/sub/c.md",)),
        ]
        assert [str(error) for error in errors] == ["memory://align-test/missing: no such file or directory"]

        job = Job(spec=SPEC, out=str(tmp_path), formats=("jsonl",), version=__version__)
        record = process_document(job, inputs[0])
        assert record.status == "ok" and record.input_hash == input_hash([ru.read_bytes(), en.read_bytes()])
        beads = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
        assert beads and {bead["ru"]["file"] for bead in beads} == {inputs[0].paths[0]}
        assert record.counts["pairs"] > 0

        legacy = process_document(job, inputs[1])
        assert legacy.status == "ok" and legacy.notes == ["memory://align-test/docs/sub/c.md: decoded as cp1251"]

        fs.rm("/align-test/docs/a.en.txt")
        gone = process_document(job, inputs[0])
        assert gone.status == "failed" and gone.error == "memory://align-test/docs/a.en.txt: no such file or directory"
    finally:
        fs.rm("/align-test", recursive=True)

    local_inputs = find_inputs([str(cases)])
    assert find_inputs_anywhere([str(cases)]) == local_inputs


def test_a_model_that_cannot_load_stops_the_run_once(cluster, cases: Path, tmp_path: Path) -> None:
    from align.embed import ModelError

    local_cluster, _ = cluster
    inputs, _ = find_inputs([str(cases)])
    run = DaskRun(scheduler=local_cluster.scheduler_address)
    with pytest.raises(ModelError, match="unknown model"):
        run_on_dask(PipelineSpec(model="nonsense"), inputs, tmp_path, ["jsonl"], run, version=__version__)
    assert not list(tmp_path.glob("*.jsonl"))
