"""`align run` / `align pair` end to end, with the real encoder, on the seeds and on hostile inputs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import SEEDS, run_cli

EXPECTED_SEED_PAIRS = {
    (
        "000_b5426c6a0af5841d",
        "Павел Латушко о загнанном в угол диктаторе",
        "Pavel Latushka on the cornered dictator",
    ),
    (
        "000_b5426c6a0af5841d",
        "В последние дни на повестку дня вновь встал вопрос",
        "In recent days, the issue of Belarus' potential involvement in the war",
    ),
    (
        "000_b5426c6a0af5841d",
        "Давайте выскажем свои предположения на этот счет.",
        "Let us make our own assumptions in this regard.",
    ),
    ("003_10744da6f6ab660d", '"Хотя Беларусь позволяет', '"Although Belarus allows its territory'),
}


run = run_cli


def beads(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    out = tmp_path_factory.mktemp("seeds-out")
    code, stdout, stderr = run("run", str(SEEDS), "--out", str(out))
    assert code == 0, stderr
    return out, stdout, stderr


def test_seeds_pair_exactly_the_four_translated_sentences(seeds_out) -> None:
    out, _, _ = seeds_out
    found = set()
    for path in sorted(out.glob("0*.jsonl")):
        for bead in beads(path):
            if bead["ru"]["spans"] and bead["en"]["spans"]:
                found.add((path.stem, bead["ru"]["text"], bead["en"]["text"]))
    assert len(found) == len(EXPECTED_SEED_PAIRS)
    for doc, ru_start, en_start in EXPECTED_SEED_PAIRS:
        assert any(d == doc and ru.startswith(ru_start) and en.startswith(en_start) for d, ru, en in found), ru_start


def test_seeds_every_other_sentence_is_reported_untranslated_and_nothing_is_lost(seeds_out) -> None:
    out, _, _ = seeds_out
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        records = beads(out / f"{seed.stem}.jsonl")
        spans = sorted(tuple(span) for b in records for side in ("ru", "en") for span in b[side]["spans"])
        covered = "".join(text[s:e] for s, e in spans)
        expected = "".join(text.replace("top of page", "").replace("bottom of page", "").split())
        assert "".join(covered.split()) == expected
        for bead in records:
            if not (bead["ru"]["spans"] and bead["en"]["spans"]):
                assert bead["kind"] in ("1-0", "0-1") and bead["score"] == 0


def test_seeds_boilerplate_appears_in_no_output(seeds_out) -> None:
    out, _, _ = seeds_out
    for path in out.iterdir():
        content = path.read_text(encoding="utf-8").lower()
        assert "top of page" not in content and "bottom of page" not in content, path.name


def test_seeds_tmx_is_valid_and_reads_back_with_translate_toolkit(seeds_out, tmx_dtd: Path) -> None:
    from translate.storage import tmx

    out, _, _ = seeds_out
    dtd = etree.DTD(str(tmx_dtd))
    tree = etree.parse(str(out / "corpus.tmx"))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    store = tmx.tmxfile.parsestring((out / "corpus.tmx").read_bytes())
    pairs = {(unit.gettarget("ru"), unit.gettarget("en")) for unit in store.units}
    with (out / "corpus.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["document", "ru", "en", "score", "kind", "ru_lines", "en_lines"]
    assert pairs == {(row["ru"], row["en"]) for row in rows if row["ru"] and row["en"]}
    assert len(pairs) == 4


def test_seeds_summary_counts_documents_and_pairs(seeds_out) -> None:
    _, stdout, _ = seeds_out
    assert "000_b5426c6a0af5841d" in stdout and "total (2)" in stdout


def test_version_and_help() -> None:
    code, stdout, _ = run("--version")
    assert code == 0 and stdout.startswith("align ")
    code, stdout, _ = run("run", "--help")
    assert code == 0 and "--format" in stdout and "Examples" in stdout


def test_unknown_format_is_a_user_error(tmp_path: Path) -> None:
    code, _, stderr = run("run", str(SEEDS), "--out", str(tmp_path), "--format", "docx")
    assert code == 2 and "docx" in stderr and "Traceback" not in stderr
    assert not any(tmp_path.iterdir())


def test_missing_path_is_reported_and_the_other_inputs_still_aligned(tmp_path: Path) -> None:
    code, _, stderr = run(
        "run",
        str(tmp_path / "nope.txt"),
        str(SEEDS / "003_10744da6f6ab660d.txt"),
        "--out",
        str(tmp_path / "out"),
        "-q",
    )
    assert code == 2
    assert stderr.count("error:") == 1 and "nope.txt" in stderr
    assert (tmp_path / "out" / "003_10744da6f6ab660d.jsonl").exists()


def write_hostile_inputs(folder: Path) -> None:
    ru = "Это первое предложение статьи. Второе предложение о погоде в Москве."
    en = "This is the first sentence of the article. The second sentence is about the weather in Moscow."
    (folder / "empty.txt").write_bytes(b"")
    (folder / "english_only.txt").write_text("Only English here. Nothing to pair.\n", encoding="utf-8")
    (folder / "legacy.txt").write_bytes(f"{ru}\n\n{en}\n".encode("cp1251"))
    (folder / "wide.txt").write_bytes(f"{en}\n\n{ru}\n".encode("utf-16"))
    (folder / "picture.txt").write_bytes(bytes(range(256)) * 8)
    paragraph = f"{ru}\n\n{en}\n\n"
    (folder / "big.txt").write_text(paragraph * (1_000_000 // len(paragraph.encode()) + 1), encoding="utf-8")


def test_hostile_inputs_give_one_clear_error_and_everything_else_is_aligned(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    write_hostile_inputs(inputs)
    out = tmp_path / "out"
    code, _, stderr = run("run", str(inputs), "--out", str(out), "--format", "jsonl")
    assert code == 2
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "picture.txt" in errors[0] and "binary" in errors[0]
    assert "Traceback" not in stderr
    assert "legacy.txt: decoded as cp1251" in stderr
    assert sorted(p.name for p in out.glob("*.jsonl")) == [
        "big.jsonl",
        "corpus.jsonl",
        "empty.jsonl",
        "english_only.jsonl",
        "legacy.jsonl",
        "wide.jsonl",
    ]
    for name in ("legacy", "wide"):
        paired = [b for b in beads(out / f"{name}.jsonl") if b["kind"] == "1-1"]
        assert [b["en"]["text"].split()[1] for b in paired] == ["is", "second"], name
    assert all(b["kind"] == "0-1" for b in beads(out / "english_only.jsonl"))
    assert (out / "empty.jsonl").read_text(encoding="utf-8") == ""  # no sentence, so no bead
    big = beads(out / "big.jsonl")
    assert sum(b["kind"] == "1-1" for b in big) >= 0.95 * sum(bool(b["en"]["spans"]) for b in big)


def test_pair_command_aligns_two_files_whatever_their_names(tmp_path: Path) -> None:
    (tmp_path / "left.txt").write_text("Кошка спит на диване. Сегодня идёт дождь.", encoding="utf-8")
    (tmp_path / "right.txt").write_text("The cat is sleeping on the sofa. It is raining today.", encoding="utf-8")
    code, _, stderr = run(
        "pair",
        str(tmp_path / "left.txt"),
        str(tmp_path / "right.txt"),
        "--out",
        str(tmp_path / "out"),
        "-f",
        "jsonl",
    )
    assert code == 0, stderr
    assert [b["kind"] for b in beads(tmp_path / "out" / "left.jsonl")] == ["1-1", "1-1"]


# ---------------------------------------------------------------------------------------- align check


def test_check_require_ru_fails_on_the_seeds_and_names_the_english_passages_with_their_lines() -> None:
    code, stdout, stderr = run("check", str(SEEDS), "--require", "ru")
    assert code == 1, stderr
    seed = SEEDS / "000_b5426c6a0af5841d.txt"
    message = 'English passage without Russian counterpart (1 sentence): "Will Lukashenko'
    assert stdout.splitlines()[0].startswith(f"{seed}:3   error  untranslated  {message}")
    assert f"{seed}:13  error  untranslated" in stdout
    assert f"{seed}:9 " not in stdout and f"{seed}:11 " not in stdout  # the two translated paragraphs


def test_check_require_en_passes_on_the_seeds() -> None:
    code, stdout, _ = run("check", str(SEEDS), "--require", "en")
    assert code == 0
    assert "no findings in 2 documents" in stdout


def test_check_github_annotations_and_json_agree(tmp_path: Path) -> None:
    code, github, _ = run("check", str(SEEDS), "--require", "ru", "--format", "github")
    assert code == 1
    lines = github.splitlines()
    assert lines[0].startswith("::error file=") and ",line=3,endLine=3,title=align untranslated::" in lines[0]
    code, output, _ = run("check", str(SEEDS), "--require", "ru", "--format", "json")
    report = json.loads(output)
    assert len(report["findings"]) == len(lines)
    assert report["summary"]["error"] == len(lines)


def test_check_baseline_accepts_known_findings_and_fails_only_on_new_ones(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, _, stderr = run("check", str(SEEDS), "--require", "ru", "--write-baseline", str(baseline))
    assert code == 0 and baseline.exists(), stderr
    code, stdout, _ = run("check", str(SEEDS), "--require", "ru", "--baseline", str(baseline))
    assert code == 0 and "no findings" in stdout
    extra = tmp_path / "docs"
    extra.mkdir()
    (extra / "new.txt").write_text("Совершенно новый абзац без перевода.\n\nAn English paragraph.\n", encoding="utf-8")
    code, stdout, _ = run("check", str(SEEDS), str(extra), "--require", "ru", "--baseline", str(baseline))
    assert code == 1 and "new.txt" in stdout and "000_b5426c6a0af5841d" not in stdout


def test_check_bad_configuration_is_a_one_line_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "align.toml").write_text('require = "de"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run("check", str(SEEDS))
    assert code == 2
    assert stderr.startswith("error: ") and "align.toml" in stderr and len(stderr.strip().splitlines()) == 1


def test_two_jobs_write_the_same_outputs_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    code_one, _, _ = run("run", str(SEEDS), "--out", str(tmp_path / "one"), "-q")
    code_two, _, stderr = run("run", str(SEEDS), "--out", str(tmp_path / "two"), "-q", "--jobs", "2")
    assert code_one == code_two == 0, stderr
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_html_report_and_a_reviewers_decisions_round_trip_through_align_run(tmp_path: Path) -> None:
    code, _, stderr = run("run", str(SEEDS), "--out", str(tmp_path / "first"), "-f", "jsonl,html", "-q")
    assert code == 0, stderr
    page = (tmp_path / "first" / "report.html").read_text(encoding="utf-8")
    assert "Pavel Latushka on the cornered dictator" in page and "http://" not in page.replace("http://www.w3", "")
    records = beads(tmp_path / "first" / "000_b5426c6a0af5841d.jsonl")
    title = next(b for b in records if b["en"]["text"] == "Pavel Latushka on the cornered dictator")
    decisions = {
        "version": 1,
        "tool": "align",
        "decisions": [
            {
                "document": "000_b5426c6a0af5841d",
                "ru": title["ru"]["spans"],
                "en": title["en"]["spans"],
                "decision": "rejected",
            }
        ],
    }
    (tmp_path / "decisions.json").write_text(json.dumps(decisions), encoding="utf-8")
    code, _, stderr = run(
        "run",
        str(SEEDS),
        "--out",
        str(tmp_path / "second"),
        "-f",
        "jsonl",
        "-q",
        "--decisions",
        str(tmp_path / "decisions.json"),
    )
    assert code == 0, stderr
    again = beads(tmp_path / "second" / "000_b5426c6a0af5841d.jsonl")
    assert not any(b["en"]["text"] == "Pavel Latushka on the cornered dictator" and b["ru"]["spans"] for b in again)
    assert sum(b["kind"] == "1-1" for b in again) == sum(b["kind"] == "1-1" for b in records) - 1


# ---------------------------------------------------------------------------------------- pipes


def test_a_page_on_stdin_comes_out_as_jsonl_on_stdout(tmp_path: Path) -> None:
    import subprocess
    import sys

    page = "Кошка спит на диване.\n\nThe cat is sleeping on the sofa.\n\nСобака лает.\n"
    align = str(Path(sys.executable).with_name("align"))
    command = [align, "run", "-", "--out", "-", "-q"]
    done = subprocess.run(command, input=page.encode(), capture_output=True, cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    beads = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [(b["kind"], b["ru"]["text"], b["en"]["text"]) for b in beads] == [
        ("1-1", "Кошка спит на диване.", "The cat is sleeping on the sofa."),
        ("1-0", "Собака лает.", ""),
    ]
    assert beads[0]["ru"]["file"] == "-" and list(tmp_path.iterdir()) == []


def test_a_closed_pipe_ends_the_run_quietly(tmp_path: Path) -> None:
    import subprocess
    import sys

    align = str(Path(sys.executable).with_name("align"))
    command = f"'{align}' run '{SEEDS}' --list-untranslated -q --out '{tmp_path}' | head -1; exit ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", command], capture_output=True)

    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout.decode().count("\n") == 1


def test_the_console_script_leaves_its_objects_out_of_the_exit_collections(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    probe = (
        "import gc, sys\nsys.argv = ['align', 'run', sys.argv[1], '--out', sys.argv[2], '-f', 'jsonl', '-q']\n"
        "from align.cli import main\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
        "print(gc.get_freeze_count())"
    )
    own_cache = {**os.environ, "ALIGN_CACHE_DIR": str(tmp_path / "cache")}
    arguments = [sys.executable, "-c", probe, str(SEEDS), str(tmp_path / "out")]
    done = subprocess.run(arguments, check=True, capture_output=True, text=True, env=own_cache)

    assert int(done.stdout) > 10_000  # the modules, the encoder and the results: not walked again at exit
    assert (tmp_path / "out" / "000_b5426c6a0af5841d.jsonl").read_text(encoding="utf-8").startswith("{")
