"""The library runner: align.run(Request) is what every command and engine calls."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import align
from align.runner import Request, RunError, run
from tests.conftest import SEEDS

EPOCH_DATE = "20231114T221320Z"


def seeds_request(tmp_path: Path, **settings: object) -> Request:
    return Request(paths=(str(SEEDS),), out=tmp_path / "out", created=EPOCH_DATE, **settings)  # type: ignore[arg-type]


def test_the_public_api_runs_the_seeds_and_signs_the_result(tmp_path: Path) -> None:
    result = align.run(align.Request(paths=(str(SEEDS),), out=tmp_path / "out", formats=("tmx", "jsonl")))

    assert [o.item.name for o in result.outcomes] == ["000_b5426c6a0af5841d", "003_10744da6f6ab660d"]
    assert (result.stats.pairs, result.stats.untranslated_en, result.stats.untranslated_ru) == (4, 123, 0)
    assert str(result.signature).startswith(f"align:{align.__version__}|encoder:use-multilingual-v3@")
    assert "max-bead:2" in str(result.signature) and not result.failed
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(
        [f"{o.item.name}.{fmt}" for o in result.outcomes for fmt in ("tmx", "jsonl")]
        + ["corpus.tmx", "corpus.jsonl", "signature.json"]
    )
    saved = json.loads((tmp_path / "out" / "signature.json").read_text(encoding="utf-8"))
    assert saved == result.signature.as_dict() and saved["text"] == str(result.signature)


def test_every_name_in_all_is_importable() -> None:
    for name in align.__all__:
        assert getattr(align, name) is not None
    with pytest.raises(AttributeError):
        align.no_such_name  # noqa: B018


def test_without_an_output_folder_nothing_is_written_and_alignments_are_kept(tmp_path: Path) -> None:
    result = run(Request(paths=(str(SEEDS),)))

    assert len(result.alignments) == 2 and sum(len(a.beads) for a in result.alignments) > 100
    assert result.written == []


def test_a_missing_input_is_one_error_and_the_others_are_aligned(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    result = run(Request(paths=(str(missing), str(SEEDS))))

    assert result.errors == [f"{missing}: no such file or directory"]
    assert len(result.outcomes) == 2 and result.failed


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"model": "nosuch"}, "nosuch: unknown model"),
        ({"formats": ("tmx", "docx")}, "unknown format"),
        ({"engine": "cloud"}, "--engine 'cloud'"),
    ],
)
def test_a_request_that_cannot_run_is_one_run_error(tmp_path: Path, settings: dict, message: str) -> None:
    with pytest.raises(RunError, match=message) as raised:
        run(seeds_request(tmp_path, **settings))
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_malformed_decisions_file_stops_the_run_before_any_work(tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.json"
    decisions.write_text("{not json", encoding="utf-8")

    with pytest.raises(RunError, match="decisions.json"):
        run(seeds_request(tmp_path, decisions=str(decisions)))
    assert not (tmp_path / "out").exists()


def test_the_cache_folder_is_a_parameter(tmp_path: Path, isolated_cache: Path) -> None:
    folder = tmp_path / "my-cache"
    run(Request(paths=(str(SEEDS),), cache_dir=folder))

    assert (folder / "embeddings.sqlite3").is_file()


def test_list_untranslated_collects_file_line_language_and_text() -> None:
    result = run(Request(paths=(str(SEEDS),), list_untranslated=True))

    lines = [line for outcome in result.outcomes for line in outcome.untranslated]
    assert len(lines) == 123
    assert lines[0] == f"{SEEDS / '000_b5426c6a0af5841d.txt'}:3: [en] Will Lukashenko bare his rear for Putin?"


def test_two_processes_give_the_same_files_as_one(tmp_path: Path) -> None:
    one = run(seeds_request(tmp_path / "one", formats=("tmx", "csv", "jsonl")))
    two = run(seeds_request(tmp_path / "two", formats=("tmx", "csv", "jsonl"), jobs=2, cache=False))

    assert [o.stats for o in one.outcomes] == [o.stats for o in two.outcomes]
    for path in sorted((tmp_path / "one" / "out").iterdir()):
        assert path.read_bytes() == (tmp_path / "two" / "out" / path.name).read_bytes(), path.name


def test_the_readme_library_example_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    readme = (SEEDS.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The library") :]
    start = section.index("```python\n") + len("```python\n")
    code = section[start : section.index("\n```", start)]
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)

    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README's own example

    printed = capsys.readouterr().out.splitlines()
    title = "['Павел Латушко о загнанном в угол диктаторе'] ['Pavel Latushka on the cornered dictator']"
    assert printed[0] == f"1-1 0.9915 {title}"
    assert printed[-1].startswith("4 pairs; align:") and len(printed) == 5
    assert (tmp_path / "out" / "corpus.tmx").is_file()


@pytest.mark.parametrize("jobs", [1, 2])  # 2: the seeds' two documents in two worker processes
def test_a_run_closes_the_cache_cleanly_so_that_the_next_open_skips_sqlite_s_check(tmp_path: Path, jobs: int) -> None:
    from align.cache import as_left, cache_path

    path = cache_path(tmp_path / "cache")
    first = run(seeds_request(tmp_path, cache_dir=tmp_path / "cache", jobs=jobs))

    assert path.exists() and as_left(path)  # the state its close noted, and no write-ahead log with anything in it
    again = run(seeds_request(tmp_path, cache_dir=tmp_path / "cache", jobs=jobs))  # read back from that file
    assert [o.stats for o in again.outcomes] == [o.stats for o in first.outcomes] and as_left(path)


def test_a_cached_re_run_loads_neither_numpy_nor_the_aligner_nor_the_encoder(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    own_cache = {**os.environ, "ALIGN_CACHE_DIR": str(tmp_path / "cache")}  # the first run aligns, whatever ran before
    arguments = ["align", "run", str(SEEDS), "--out", str(tmp_path / "out"), "-f", "jsonl", "-q"]
    watched = ["align.align", "align.aligner", "align.segment", "numpy", "sentencepiece"]
    probe = (
        f"import json, sys\nsys.argv = {arguments!r}\nfrom align.cli import main\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
        f"print(json.dumps([m for m in {watched!r} if m in sys.modules]))"
    )

    def loaded() -> list[str]:
        done = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, env=own_cache)
        return json.loads(done.stdout)

    assert loaded() == watched  # the first run aligns the seeds and caches their results
    assert loaded() == []
    assert (tmp_path / "out" / "000_b5426c6a0af5841d.jsonl").read_text(encoding="utf-8").startswith("{")
