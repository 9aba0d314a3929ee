"""The local engine's worker processes for --jobs 0 (align.engines.local.auto_jobs), on real files and the real
encoder: one per core when there is enough to align, none for a few small files, one long book or cached results."""

from __future__ import annotations

from pathlib import Path

import pytest

import align.engines.local as local
from align.cache import ResultCache, cache_path, result_fingerprint
from align.cached_encoder import CachedEncoder
from align.encoders.use import UseEncoder
from align.engines.local import auto_jobs
from align.load import Input
from align.options import AlignOptions
from align.pipeline import LookAhead, Pipeline
from tests.conftest import run_cli

PAGE = "Кошка спит на диване. Собака лежит во дворе.\n\nThe cat is sleeping on the sofa. The dog is in the yard.\n"


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local.os, "cpu_count", lambda: 2)


def files(tmp_path: Path, sizes: list[int]) -> list[Input]:
    """Mixed pages of about these many bytes each (the page repeated)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    inputs = []
    for k, size in enumerate(sizes):
        path = tmp_path / f"page{k}.txt"
        path.write_text(PAGE * max(1, size // len(PAGE.encode("utf-8"))), encoding="utf-8")
        inputs.append(Input(f"page{k}", (str(path),)))
    return inputs


def not_read_ahead(inputs: list[Input]) -> LookAhead:
    return LookAhead(None, {}, list(inputs))  # as without a result cache (--no-cache): every input to align


def test_enough_to_align_takes_a_worker_per_core(tmp_path: Path) -> None:
    inputs = files(tmp_path, [local.AUTO_JOBS_MIN_BYTES // 8] * 10)
    assert auto_jobs(not_read_ahead(inputs), inputs) == 2


def test_a_few_small_files_stay_in_this_process(tmp_path: Path) -> None:
    inputs = files(tmp_path, [2_000] * 10)
    assert auto_jobs(not_read_ahead(inputs), inputs) == 1


def test_one_long_book_beside_small_files_stays_in_this_process(tmp_path: Path) -> None:
    inputs = files(tmp_path, [local.AUTO_JOBS_MIN_BYTES * 2, 10_000, 10_000])  # it would get one core, not two
    assert auto_jobs(not_read_ahead(inputs), inputs) == 1


def test_one_core_or_standard_input_stays_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = files(tmp_path, [local.AUTO_JOBS_MIN_BYTES // 4] * 8)
    assert auto_jobs(not_read_ahead([*inputs, Input("stdin", ("-",))]), [*inputs, Input("stdin", ("-",))]) == 1
    monkeypatch.setattr(local.os, "cpu_count", lambda: 1)
    assert auto_jobs(not_read_ahead(inputs), inputs) == 1


def test_inputs_whose_results_are_cached_do_not_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "AUTO_JOBS_MIN_BYTES", 2 * len(PAGE.encode("utf-8")))
    inputs = files(tmp_path, [1] * 3)
    path = cache_path(tmp_path / "cache")

    def pipeline() -> Pipeline:
        finished = ResultCache(path, result_fingerprint("use", AlignOptions()))
        return Pipeline(CachedEncoder(UseEncoder(), path), finished=finished)

    assert auto_jobs(pipeline().look_ahead(inputs), inputs) == 2
    list(pipeline().results(inputs[:2]))
    look = pipeline().look_ahead(inputs)
    assert look.to_align == inputs[2:] and auto_jobs(look, inputs) == 1  # one page left: this process aligns it


def test_the_default_runs_in_worker_processes_when_there_is_enough_and_writes_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from align.engines.processes import ProcessEngine

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(local, "AUTO_JOBS_MIN_BYTES", 1)  # four small pages are enough
    files(tmp_path / "pages", [1_000] * 4)
    pages = str(tmp_path / "pages")
    started: list[int | None] = []
    real = ProcessEngine.outcomes
    monkeypatch.setattr(ProcessEngine, "outcomes", lambda self, *a: started.append(self.jobs) or real(self, *a))
    code_auto, _, stderr = run_cli("run", pages, "--out", str(tmp_path / "auto"), "-q", "--no-cache")
    code_one, _, _ = run_cli("run", pages, "--out", str(tmp_path / "one"), "-q", "--no-cache", "--jobs", "1")
    assert code_auto == code_one == 0, stderr
    assert started == [2]
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "auto").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "auto" / name).read_bytes(), name
