"""Issue 16's table, row by row, through the real `align` command: each hostile input or fault is one line
naming the file and the real problem with the exit code CI can trust (0 clean, 1 findings, 2 a user's
mistake), never a traceback, never text altered without a word.

Rows pinned elsewhere: side files that are devices or FIFOs, nesting bombs and a decisions file's BOM
(tests/test_sidefiles.py), exit code 3 and --debug (tests/test_console.py), `check` on an empty folder
(tests/test_layouts.py), a closed pipe (tests/test_cli.py), shard names (tests/test_engines_dask.py), the HTML
report of an undecodable file name (tests/test_html.py), memory and time figures (bench/reliability.py).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from align.engines.dask_manifest import Manifest, read_manifest
from tests.conftest import run_cli

ALIGN = str(Path(sys.executable).with_name("align"))
RU = "Кошка спит на диване. Собака лает во дворе."
EN = "The cat is sleeping on the sofa. The dog barks in the yard."
UNTRANSLATED = "Совершенно новый абзац без перевода, в нём много слов."
ADDRESS_SPACE = 1_500_000_000  # bytes of virtual memory the unpunctuated page must be aligned in
UNDECODABLE = os.fsdecode(b"en\xfe.txt")  # the name as Python holds it: "en\udcfe.txt"


def one_error(stderr: str, *fragments: str) -> str:
    """The only line of stderr, an "error:" line holding every fragment (no traceback, nothing else)."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in stderr, stderr
    assert all(fragment in lines[0] for fragment in fragments), lines[0]
    return lines[0]


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(f"{RU}\n\n{EN}\n\n{UNTRANSLATED}\n", encoding="utf-8")
    return path


def command(*args: str, **options: object) -> subprocess.CompletedProcess[bytes]:
    """`align ARGS` in a subprocess (SOURCE_DATE_EPOCH fixed), stdout and stderr captured as bytes."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **options.pop("env", {})}  # type: ignore[dict-item]
    return subprocess.run([ALIGN, *args], capture_output=True, env=env, **options)  # type: ignore[call-overload]


# --- memory blow-up -----------------------------------------------------------------------------------


def limited_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def test_an_unpunctuated_page_is_aligned_in_bounded_memory(tmp_path: Path) -> None:
    # Two 0.5 MB paragraphs without one full stop: before, one such "sentence" took about 1.5 GB per MB.
    page = tmp_path / "long.txt"
    ru, en = (RU.replace(".", "") + " ") * 12_000, (EN.replace(".", "") + " ") * 9_000
    page.write_text(f"{ru.strip()}\n\n{en.strip()}\n", encoding="utf-8")

    out = str(tmp_path / "out")
    done = command("run", str(page), "--out", out, "-q", "-f", "jsonl", preexec_fn=limited_address_space)

    assert done.returncode == 0, done.stderr.decode()
    (bead,) = [json.loads(line) for line in (tmp_path / "out" / "long.jsonl").read_text(encoding="utf-8").splitlines()]
    assert (bead["kind"], bead["ru"]["text"], bead["en"]["text"]) == ("1-1", ru.strip(), en.strip())


# --- crash read as "findings" -------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["folder", "doc.txt/x.json", "/proc/x.json"])
def test_a_baseline_that_cannot_be_written_is_exit_2_not_findings(doc: Path, target: str) -> None:
    (doc.parent / "folder").mkdir()
    path = target if target.startswith("/") else str(doc.parent / target)

    code, _, stderr = run_cli("check", str(doc), "--write-baseline", path)

    assert code == 2
    one_error(stderr, "cannot write")


# --- undecodable file names ---------------------------------------------------------------------------


@pytest.fixture
def undecodable(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / UNDECODABLE).write_text(f"{RU}\n\n{EN}\n\n{UNTRANSLATED}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [("sarif", '"uri": "docs/en%FE.txt"'), ("json", '"file": "docs/en\\\\udcfe.txt"'),
     ("junit", 'file="docs/en\\udcfe.txt"'), ("github", "::error file=docs/en\\udcfe.txt,line=5")],
)
def test_an_undecodable_file_name_is_escaped_in_every_check_format(undecodable: Path, fmt: str, shown: str) -> None:
    done = command("check", "docs", "--format", fmt, cwd=undecodable.parent)

    assert done.returncode == 1 and done.stderr == b"", done.stderr.decode()  # 1: the untranslated paragraph
    report = done.stdout.decode("utf-8")  # valid UTF-8, not the raw byte
    assert shown in report, report
    if fmt in ("sarif", "json"):
        json.loads(report)


def test_an_undecodable_file_name_is_written_to_a_baseline_that_reads_back(undecodable: Path) -> None:
    baseline = undecodable.parent / "baseline.json"

    written = command("check", "docs", "--write-baseline", str(baseline), cwd=undecodable.parent)
    again = command("check", "docs", "--baseline", str(baseline), cwd=undecodable.parent)

    assert written.returncode == 0, written.stderr.decode()
    entries = json.loads(baseline.read_text(encoding="utf-8"))["fingerprints"].values()
    assert [entry["file"] for entry in entries] == ["docs/en\\udcfe.txt"]
    assert again.returncode == 0 and b"no findings" in again.stdout


# --- text altered -------------------------------------------------------------------------------------


def test_a_cesu8_surrogate_keeps_the_russian_text_and_says_what_was_replaced(tmp_path: Path) -> None:
    page = tmp_path / "cesu.txt"
    broken = "Собака".encode()[:6] + b"\xed\xa0\x80" + "Собака".encode()[6:]  # "Соб", a lone surrogate, "ака"
    page.write_bytes(f"{RU}\n\n{EN}\n".encode().replace("Собака".encode(), broken))

    code, _, stderr = run_cli("run", str(page), "--out", str(tmp_path / "out"), "-q", "-f", "jsonl")

    assert code == 0
    assert stderr.strip() == f"note: {page}: 3 bytes are not valid UTF-8, replaced by U+FFFD (first at 1:26)"
    beads = [json.loads(line) for line in (tmp_path / "out" / "cesu.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [b["ru"]["text"] for b in beads] == ["Кошка спит на диване.", "Соб\ufffd\ufffd\ufffdака лает во дворе."]


def test_a_stray_latin1_byte_in_a_small_utf8_file_is_aligned_not_refused(tmp_path: Path) -> None:
    page = tmp_path / "latin.txt"
    page.write_bytes((f"{RU}\n\n{EN}\n\n" * 20).encode().replace(b"sofa", b"sof\xe0", 1))  # 2.6 KB

    code, _, stderr = run_cli("run", str(page), "--out", str(tmp_path / "out"), "-q", "-f", "jsonl")

    assert code == 0
    assert stderr.strip() == f"note: {page}: 1 byte is not valid UTF-8, replaced by U+FFFD (first at 3:31)"


# --- config paths, cache, messages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [("~nosuchuser/g.csv", "cannot expand ~nosuchuser (no such user)"), ("a\\u0000b.csv", "a path cannot hold a NUL")],
)
def test_a_configured_path_naming_no_file_is_one_error_naming_the_config(doc: Path, value: str, problem: str) -> None:
    config = doc.parent / "align.toml"
    config.write_text(f'glossary = "{value}"\n', encoding="utf-8")

    code, _, stderr = run_cli("check", str(doc), "--config", str(config))

    assert code == 2
    one_error(stderr, str(config), problem)


@pytest.mark.parametrize("args", [["run", "DOC", "--out", "OUT", "-q"], ["check", "DOC"], ["cache", "info"],
                                  ["cache", "clear"]])
def test_a_folder_where_the_cache_database_should_be_is_one_error(doc: Path, args: list[str]) -> None:
    cache = doc.parent / "cache"
    (cache / "embeddings.sqlite3").mkdir(parents=True)
    args = [{"DOC": str(doc), "OUT": str(doc.parent / "out")}.get(arg, arg) for arg in args]

    done = command(*args, env={"ALIGN_CACHE_DIR": str(cache)})

    assert done.returncode == 2
    one_error(done.stderr.decode(), f"{cache / 'embeddings.sqlite3'} is a folder, not the cache database")
    assert (cache / "embeddings.sqlite3").is_dir()


def test_a_5000_digit_integer_in_decisions_or_a_baseline_is_one_error_naming_the_file(doc: Path) -> None:
    decisions, baseline = doc.parent / "decisions.json", doc.parent / "baseline.json"
    decisions.write_text('{"version": 1, "tool": "align", "decisions": [{"ru": [[' + "9" * 5000 + "]]}]}")
    baseline.write_text('{"version": 1, "fingerprints": {"a": ' + "9" * 5000 + "}}")

    code, _, stderr = run_cli("run", str(doc), "--decisions", str(decisions), "--out", str(doc.parent / "out"))
    assert code == 2
    one_error(stderr, f"{decisions}: a number too long")
    code, _, stderr = run_cli("check", str(doc), "--baseline", str(baseline))
    assert code == 2
    one_error(stderr, f"{baseline}: corrupt baseline (a number too long")


def test_a_malformed_source_date_epoch_is_refused_before_any_work(doc: Path) -> None:
    done = command("run", str(doc), "--out", str(doc.parent / "out"), env={"SOURCE_DATE_EPOCH": "abc"})

    assert done.returncode == 2 and not (doc.parent / "out").exists()
    one_error(done.stderr.decode(), "SOURCE_DATE_EPOCH", "'abc'")


def test_standard_input_and_devices_given_as_inputs_say_what_they_are(doc: Path) -> None:
    zero = doc.parent / "zero.txt"
    zero.symlink_to("/dev/zero")

    piped = command("run", "/dev/stdin", "--out", str(doc.parent / "out"), input=doc.read_bytes())
    code, _, stderr = run_cli("run", str(zero), "/dev/null", "--out", str(doc.parent / "out"))

    assert piped.returncode == 2
    one_error(piped.stderr.decode(), "/dev/stdin: standard input (a pipe); use - to read it")
    assert code == 2 and stderr.strip().splitlines() == [
        f"error: {zero}: symbolic link to /dev/zero, a character device, not a regular file",
        "error: /dev/null: a character device, not a regular file",
    ]


def test_pair_given_the_same_file_twice_says_so(doc: Path) -> None:
    code, _, stderr = run_cli("pair", str(doc), str(doc), "--out", str(doc.parent / "out"))

    assert code == 2
    one_error(stderr, f"{doc}: the same file twice")


def test_a_fifo_in_a_walked_folder_is_a_note_and_the_rest_is_aligned(doc: Path) -> None:
    os.mkfifo(doc.parent / "pipe.txt")

    code, _, stderr = run_cli("run", str(doc.parent), "--out", str(doc.parent / "out"), "-q")

    assert code == 0 and (doc.parent / "out" / "doc.jsonl").exists()
    assert stderr.strip() == f"note: {doc.parent / 'pipe.txt'}: a pipe, not a regular file, skipped"


# --- byte-order marks ---------------------------------------------------------------------------------


def test_a_baseline_with_a_byte_order_mark_is_read(doc: Path) -> None:
    baseline = doc.parent / "baseline.json"
    assert run_cli("check", str(doc), "--write-baseline", str(baseline))[0] == 0
    baseline.write_bytes(b"\xef\xbb\xbf" + baseline.read_bytes())

    code, stdout, stderr = run_cli("check", str(doc), "--baseline", str(baseline))

    assert code == 0 and "no findings" in stdout, stderr


def test_a_manifest_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    manifest = Manifest(settings={"formats": ["jsonl"]}, documents=[])
    path.write_bytes(b"\xef\xbb\xbf" + manifest.to_json().encode())

    assert read_manifest(path) == manifest
