"""Faults mid-run, hostile names and trees, limits and determinism, all through the real `align` command.

Every fault here is real or as close to real as a test can get without root tricks: an output folder that
cannot exist (its parent is a regular file), a disk that fills up (the kernel's file-size limit, and ENOSPC
raised from the write itself), a file deleted between discovery and reading, SIGINT / SIGTERM / SIGKILL sent
to a running `align` process, a garbage or truncated embedding cache. No mocked encoder anywhere.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import random
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from align.files import output_stem
from align.load import Input, find_inputs, read_source, safe_name, with_unique_names
from align.readers.text import paragraphs
from align.segment import segments_of
from tests.conftest import SEEDS, run_cli

ALIGN = str(Path(sys.executable).with_name("align"))
EPOCH = "1700000000"


run = run_cli


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())} if folder.exists() else {}


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.rglob("*") if path.name.endswith(".tmp")) if folder.exists() else []


def assert_complete(path: Path) -> None:
    """The file parses as a whole in its format (a truncated TMX, CSV row or JSON line would not)."""
    data = path.read_bytes()
    if path.suffix == ".tmx":
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    elif path.suffix == ".jsonl":
        assert data.endswith(b"\n") or not data
        for line in data.decode("utf-8").splitlines():
            json.loads(line)
    elif path.suffix == ".csv":
        rows = list(csv.reader(data.decode("utf-8").splitlines()))
        assert rows[0][0] == "document" and data.endswith(b"\r\n")


SCORE = re.compile(rb'(?<=x-score">)[0-9.]+|(?<="score": )[0-9.]+|(?<=,)[01]\.[0-9]{4}(?=,\d*-?\d*,)')


def same_but_scores(data: bytes, expected: bytes) -> bool:
    """Equal once the scores are set aside, and every score within 0.001 of the expected one.

    A fresh run whose embeddings were computed in other batches than the reference's (e.g. after a killed run
    left part of them in the cache) may differ in the last bits of a vector, hence in the 4th decimal of a
    score (see RELIABILITY.md, "Determinism"); everything else (beads, texts, spans, lines) must be identical.
    """
    scores, wanted = SCORE.findall(data), SCORE.findall(expected)
    return (
        SCORE.sub(b"S", data) == SCORE.sub(b"S", expected)
        and len(scores) == len(wanted)
        and all(abs(float(a) - float(b)) <= 1e-3 for a, b in zip(scores, wanted, strict=True))
    )


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


# ---------------------------------------------------------------------------------------- generated corpus

WORDS = [
    ("дом", "house"),
    ("река", "river"),
    ("город", "city"),
    ("солнце", "sun"),
    ("книга", "book"),
    ("мы", "we"),
    ("большой", "big"),
    ("новый", "new"),
    ("старый", "old"),
    ("быстро", "quickly"),
    ("видим", "see"),
    ("строим", "build"),
    ("зимой", "in winter"),
    ("летом", "in summer"),
    ("учитель", "teacher"),
    ("врач", "doctor"),
    ("рынок", "market"),
    ("мост", "bridge"),
    ("поезд", "train"),
    ("письмо", "letter"),
    ("школа", "school"),
    ("музей", "museum"),
    ("лес", "forest"),
    ("море", "sea"),
    ("дорога", "road"),
    ("сегодня", "today"),
    ("вчера", "yesterday"),
    ("часто", "often"),
    ("никогда", "never"),
    ("правительство", "the government"),
    ("выборы", "the elections"),
    ("цены", "the prices"),
    ("выросли", "have risen"),
    ("война", "the war"),
    ("мир", "the peace"),
]


def article(rng: random.Random, paragraphs: int) -> str:
    """A mixed page: each Russian paragraph (three sentences) followed by its word-for-word English version."""
    blocks = []
    for _ in range(paragraphs):
        ru, en = [], []
        for _ in range(3):
            # "Это" / "this": plainly Russian / English to align.language, so the slow detector is never loaded.
            words = [("это", "this is"), *(rng.choice(WORDS) for _ in range(rng.randint(4, 11)))]
            number = rng.randint(0, 999)
            ru.append(" ".join(w[0] for w in words).capitalize() + f" {number}.")
            en.append(" ".join(w[1] for w in words).capitalize() + f" {number}.")
        blocks += [" ".join(ru), " ".join(en)]
    return "\n\n".join(blocks) + "\n"


def write_corpus(folder: Path, documents: int, paragraphs: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(documents):
        (folder / f"doc{k:02d}.txt").write_text(article(rng, paragraphs), encoding="utf-8")
    return folder


def verify_jsonl(page: str | Path, jsonl: str | Path) -> int:
    """Check that nothing is lost: every sentence of `page` (as align.segment finds it) is in exactly one bead of
    `jsonl`, in order per side, with the text at its span; return the number of sentences. Also usable by hand:
    `.venv/bin/python -c "from tests.test_reliability import verify_jsonl as v; print(v('big50.txt',
    'out50/big50.jsonl'))"`.
    """
    source = read_source(str(page))
    expected = [(s.start, s.end) for s in segments_of(paragraphs(source), source.text)]
    placed: list[tuple[int, int]] = []
    with open(jsonl, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    for side in ("ru", "en", "other"):
        spans = [tuple(span) for record in records if side in record for span in record[side]["spans"]]
        assert spans == sorted(spans), f"{side} sentences out of order"
        placed += spans
    for record in records:
        for side in ("ru", "en", "other"):
            if side in record:
                slices = (source.text[start:end] for start, end in record[side]["spans"])
                assert record[side]["text"] == " ".join(slices)
    assert len(set(placed)) == len(placed), "a sentence in two beads"
    assert sorted(placed) == expected, "sentences lost or invented"
    return len(expected)


def write_big_page(path: Path, size: int, seed: int = 0, pool: int = 2000) -> Path:
    """One mixed page of about `size` bytes (UTF-8): paragraphs drawn from `pool` distinct RU/EN paragraph pairs.

    For the memory measurement in RELIABILITY.md: the document is as long as a real one of that size (every
    sentence is a sentence to align), while the embedding cache encodes each distinct text only once, so the
    run takes minutes instead of hours. Make it with
    `.venv/bin/python -c "from pathlib import Path; from tests.test_reliability import write_big_page as w;
    w(Path('big50.txt'), 49_900_000)"`.
    """
    rng = random.Random(seed)
    pairs = [article(rng, 1).split("\n\n") for _ in range(pool)]
    with path.open("w", encoding="utf-8") as handle:
        written = 0
        while written < size:
            ru, en = rng.choice(pairs)
            block = f"{ru}\n\n{en.strip()}\n\n"
            written += len(block.encode("utf-8"))
            handle.write(block)
    return path


def align_process(args: list[str], cache: Path, **options) -> subprocess.Popen:
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": EPOCH, "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen(
        [ALIGN, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options
    )


def wait_for_output(out: Path, process: subprocess.Popen, timeout: float = 120.0) -> None:
    """Return once the first document's output exists (the run is then busy with the next document)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if out.exists() and any(path.suffix == ".jsonl" for path in out.iterdir()):
            return
        time.sleep(0.05)
    raise AssertionError(f"no output after {timeout} s (exit code {process.poll()})")


# The first document is aligned alone, the other two together after it: with 40 paragraphs each, those two take
# the network about half a second, so a signal sent once the first document's output exists finds the run busy
# (with 4, the run sometimes ended first once embedding got faster, and the signal came during exit: code -2).
CORPUS_PARAGRAPHS = 40


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "in", documents=3, paragraphs=CORPUS_PARAGRAPHS)


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], Path]:
    """A clean run over the corpus: its output files, and the warm embedding cache folder it leaves."""
    cache = tmp_path_factory.mktemp("reference-cache")
    out = tmp_path_factory.mktemp("reference") / "out"
    process = align_process(["run", str(corpus), "--out", str(out), "-q"], cache)
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    for page in sorted(corpus.glob("*.txt")):
        assert verify_jsonl(page, out / f"{page.stem}.jsonl") == CORPUS_PARAGRAPHS * 6  # 3 sentences per side
    return files_in(out), cache


# ---------------------------------------------------------------------------------------- output folder faults


def test_output_folder_inside_a_regular_file_is_one_error_line_and_nothing_is_written(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a regular file where a folder is expected\n", encoding="utf-8")

    for out in (blocker / "out", blocker):  # a folder below a file; the file itself
        code, _, stderr = run("run", str(SEEDS / "003_10744da6f6ab660d.txt"), "--out", str(out), "-q")

        assert code == 2 and "Traceback" not in stderr
        assert len(error_lines(stderr)) == 1 and str(blocker) in stderr, stderr
        assert blocker.read_text(encoding="utf-8") == "a regular file where a folder is expected\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def enospc_after_half(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file write stores half its bytes, then fails with ENOSPC, as a full disk does."""
    import align.files

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle) -> None:
            self.handle = handle

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name: str):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    monkeypatch.setattr(align.files.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))


def test_disk_full_is_reported_and_leaves_no_partial_or_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: None
) -> None:
    inputs = write_corpus(tmp_path / "in", documents=2, paragraphs=2)
    out = tmp_path / "out"
    code, _, _ = run("run", str(inputs), "--out", str(out), "-q")
    assert code == 0
    before = files_in(out)
    write_corpus(inputs, documents=2, paragraphs=2, seed=1)  # new texts: every output must be rewritten
    enospc_after_half(monkeypatch)

    code, _, stderr = run("run", str(inputs), "--out", str(out), "-q")

    assert code == 2 and "Traceback" not in stderr
    lines = error_lines(stderr)
    assert lines and all("No space left on device" in line for line in lines)
    assert files_in(out) == before  # the previous outputs untouched, nothing truncated
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    enospc_after_half(monkeypatch)
    code, _, stderr = run("run", str(inputs), "--out", str(fresh), "-q")
    assert code == 2 and files_in(fresh) == {} and leftovers(tmp_path) == []


def test_real_file_size_limit_of_the_kernel_fails_writes_cleanly(tmp_path: Path, corpus: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse writes past 4 kB (EFBIG), like a disk that has 4 kB left."""

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    out = tmp_path / "out"
    process = align_process(
        ["run", str(corpus / "doc00.txt"), "--out", str(out), "--no-cache", "-q"],
        tmp_path / "cache",
        preexec_fn=limit_file_size,
    )
    _, stderr = process.communicate(timeout=300)

    assert process.returncode == 2 and "Traceback" not in stderr, stderr
    assert all("File too large" in line for line in error_lines(stderr)) and error_lines(stderr)
    assert leftovers(tmp_path) == []
    for path in out.iterdir():  # whatever fitted is whole
        assert path.stat().st_size <= 4096
        assert_complete(path)


# ---------------------------------------------------------------------------------------- inputs changing under us


def test_a_file_deleted_between_discovery_and_reading_is_one_error_and_the_others_are_aligned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import align.load
    import align.runner

    folder = write_corpus(tmp_path / "in", documents=3, paragraphs=1)
    doomed = folder / "doc01.txt"
    real_find_inputs = align.load.find_inputs

    def find_then_delete(paths, **options):
        found = real_find_inputs(paths, **options)
        doomed.unlink()
        return found

    monkeypatch.setattr(align.runner, "find_inputs", find_then_delete)
    code, _, stderr = run("run", str(folder), "--out", str(tmp_path / "out"), "-q", "-f", "jsonl")

    assert code == 2 and "Traceback" not in stderr
    assert error_lines(stderr) == [f"error: {doomed}: no such file or directory"]
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["corpus.jsonl", "doc00.jsonl", "doc02.jsonl", "signature.json"]


# ---------------------------------------------------------------------------------------- signals


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_mid_run_stops_cleanly_and_a_rerun_completes_the_output(
    corpus: Path, reference: tuple[dict[str, bytes], Path], tmp_path: Path, signum: int, code: int
) -> None:
    expected, warm_cache = reference
    out = tmp_path / "out"
    # --no-cache: every document is encoded afresh, so the run is still busy when the signal comes.
    process = align_process(["run", str(corpus), "--out", str(out), "--no-cache", "-q"], tmp_path / "cache")
    wait_for_output(out, process)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)

    assert process.returncode == code, stderr
    assert f"interrupted by {signal.Signals(signum).name}" in stderr and "Traceback" not in stderr
    assert leftovers(tmp_path) == []
    interrupted = files_in(out)
    assert interrupted and "corpus.jsonl" not in interrupted  # stopped mid-run
    for name, data in interrupted.items():  # what is there is whole: what a clean run writes
        assert same_but_scores(data, expected[name]), name

    rerun = align_process(["run", str(corpus), "--out", str(out), "-q"], warm_cache)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert files_in(out) == expected


def test_a_killed_run_leaves_a_consistent_cache_and_the_next_run_uses_it(
    corpus: Path, reference: tuple[dict[str, bytes], Path], tmp_path: Path
) -> None:
    expected, _ = reference
    cache = tmp_path / "cache"
    out = tmp_path / "out"
    process = align_process(["run", str(corpus), "--out", str(out), "-q"], cache)
    wait_for_output(out, process)
    process.kill()  # SIGKILL: no handler, no cleanup, mid-transaction for all we know
    process.communicate(timeout=60)

    database = cache / "embeddings.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] > 0
    connection.close()
    info = align_process(["cache", "info"], cache)
    stdout, stderr = info.communicate(timeout=60)
    assert info.returncode == 0 and "vectors" in stdout, stderr
    rerun = align_process(["run", str(corpus), "--out", str(out), "-q"], cache)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    written = files_in(out)
    assert written.keys() == expected.keys()
    assert all(same_but_scores(written[name], expected[name]) for name in expected)
    assert leftovers(tmp_path) == []


def test_a_corrupt_cache_file_is_detected_and_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: None
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(cache))
    seed = str(write_corpus(tmp_path / "in", documents=1, paragraphs=2) / "doc00.txt")
    code, _, _ = run("run", seed, "--out", str(tmp_path / "clean"), "-q")
    assert code == 0
    database = cache / "embeddings.sqlite3"
    damages = {
        "garbage": lambda data: random.Random(1).randbytes(64 * 1024),
        "truncated": lambda data: data[: len(data) // 2],  # SQLite: "database disk image is malformed"
    }
    for damage, broken in damages.items():
        database.write_bytes(broken(database.read_bytes()))

        code, _, stderr = run("run", seed, "--out", str(tmp_path / damage), "-q")

        assert code == 0 and "Traceback" not in stderr, damage
        assert files_in(tmp_path / damage) == files_in(tmp_path / "clean"), damage
        with sqlite3.connect(database) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert connection.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] > 0
        connection.close()


def test_an_unusable_cache_folder_is_a_note_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(blocker / "cache"))

    page = write_corpus(tmp_path / "in", documents=1, paragraphs=1) / "doc00.txt"
    code, _, stderr = run("run", str(page), "--out", str(tmp_path / "out"), "-q")

    assert code == 0 and "Traceback" not in stderr
    assert "note: embedding cache" in stderr and "not caching" in stderr


# ---------------------------------------------------------------------------------------- names and trees


HOSTILE_NAMES = [
    "../escape",
    "../../etc/passwd",
    "/absolute/path",
    "a\\..\\b",
    ".",
    "..",
    "",
    "corpus",
    "CORPUS",
    "evil\u202etxt.exe",
    "tab\there",
    "new\nline",
    "nul\x00byte",
    "\x1b[31mred",
    "Doc",
    "doc",
    "DOC",
    "caf\u00e9",
    "cafe\u0301",
    "\u0130stanbul",
    "д" * 200,
    "bad\udcff\udcfebytes",
]


def test_output_names_never_escape_the_output_folder_and_never_clash(tmp_path: Path) -> None:
    inputs = with_unique_names([Input(name, (f"{k}.txt",)) for k, name in enumerate(HOSTILE_NAMES)])
    out = tmp_path / "out"
    out.mkdir()

    stems = [output_stem(item.name) for item in inputs]

    assert len({unicodedata.normalize("NFD", stem).casefold() for stem in stems}) == len(stems)
    for stem in stems:
        path = out / f"{stem}.jsonl"
        assert path.parent == out and len(os.fsencode(path.name)) <= 255
        assert os.path.realpath(path).startswith(os.path.realpath(out) + os.sep)
        path.write_bytes(b"")  # the file system accepts it
    assert "corpus" not in {stem.casefold() for stem in stems}
    assert len(list(out.iterdir())) == len(stems)


def test_safe_name_keeps_ordinary_names_as_they_are() -> None:
    for name in ("000_b5426c6a0af5841d", "Статья про выборы", "report (final) v2", "日本語", "a.b.c"):
        assert safe_name(name) == name


def test_hostile_file_names_through_the_cli(tmp_path: Path, epoch: None) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = "Кошка спит на диване.\n\nThe cat is sleeping on the sofa.\n"
    names = ["back\\slash.txt", "corpus.txt", "Doc.txt", os.fsdecode(b"bad\xff\xfe.txt"), "д" * 124 + ".txt"]
    (folder / "sub").mkdir()
    for name in names:
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "sub" / "doc.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"

    code, _, stderr = run("run", str(folder), "--out", str(out), "-q", "-f", "jsonl,csv")

    assert code == 0, stderr
    stems = sorted(path.name.rsplit(".", 1)[0] for path in out.glob("*.jsonl"))
    assert len(stems) == len(names) + 2  # every document, and the corpus
    assert "back_slash" in stems and "corpus-2" in stems and {"Doc", "doc-2"} <= set(stems)
    assert all(path.parent == out for path in out.iterdir())
    for path in out.iterdir():
        assert_complete(path)


def test_pair_with_dot_names_writes_inside_the_output_folder(tmp_path: Path) -> None:
    (tmp_path / "..ru.txt").write_text("Кошка спит на диване.\n", encoding="utf-8")
    (tmp_path / "..en.txt").write_text("The cat is sleeping on the sofa.\n", encoding="utf-8")
    out = tmp_path / "out"

    code, _, stderr = run("pair", str(tmp_path / "..ru.txt"), str(tmp_path / "..en.txt"), "--out", str(out), "-q")

    assert code == 0 and "Traceback" not in stderr, stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{stem}.{fmt}" for stem in ("_.", "corpus") for fmt in ("tmx", "csv", "jsonl")] + ["signature.json"]
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_walks_do_not_follow_symlink_loops_nor_leave_the_given_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("Секрет.\n\nSecret.\n", encoding="utf-8")
    (root / "sub" / "doc.txt").write_text("Текст.\n\nText.\n", encoding="utf-8")
    os.symlink(root, root / "sub" / "loop")  # directory loop
    os.symlink(root / "sub", root / "again")  # second way into the same folder
    os.symlink(outside, root / "elsewhere")  # directory outside the root
    os.symlink(outside / "secret.txt", root / "leak.txt")  # file outside the root
    os.symlink(root / "sub" / "doc.txt", root / "alias.txt")  # file inside the root: the same document
    os.symlink(root / "self.txt", root / "self.txt")  # a link to itself

    inputs, errors = find_inputs([str(root)])

    assert [item.paths for item in inputs] == [(str(root / "alias.txt"),)]
    messages = sorted(str(error) for error in errors)
    assert messages == [
        f"{root / 'leak.txt'}: symbolic link to a file outside {root}, skipped",
        f"{root / 'self.txt'}: looping symbolic link (Too many levels of symbolic links)",
    ]
    assert all("secret" not in os.path.realpath(path) for item in inputs for path in item.paths)


# ---------------------------------------------------------------------------------------- CSV and XML safety


def test_csv_excel_safe_neutralises_formula_cells(tmp_path: Path) -> None:
    page = tmp_path / "formulas.txt"
    page.write_text(
        "=1+2 это простая формула в ячейке таблицы.\n\n=1+2 is a simple formula in a cell of the table.\n\n"
        "@SUM(1+1) это тоже формула.\n\n@SUM(1+1) is a formula too.\n\n"
        "- Да, мы поняли, — ответил он.\n\n- Yes, we understood, he replied.\n\n"
        "+7 999 123 45 67 — это мой телефон.\n\n+7 999 123 45 67 is my phone.\n",
        encoding="utf-8",
    )
    plain, safe = tmp_path / "plain", tmp_path / "safe"

    assert run("run", str(page), "--out", str(plain), "-f", "csv", "-q")[0] == 0
    assert run("run", str(page), "--out", str(safe), "-f", "csv", "-q", "--csv-excel-safe")[0] == 0

    def cells(folder: Path) -> list[str]:
        with (folder / "formulas.csv").open(encoding="utf-8", newline="") as handle:
            return [cell for row in list(csv.reader(handle))[1:] for cell in row[1:3] if cell]

    assert any(cell.startswith(("=", "@")) for cell in cells(plain))
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells(safe))
    assert sorted(cell.lstrip("'") for cell in cells(safe)) == sorted(cells(plain))


def test_tmx_with_entity_tricks_in_the_text_reparses_with_a_safe_parser_as_literal_text(tmp_path: Path) -> None:
    page = tmp_path / "xxe.txt"
    trick = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">]> &x; &lol; ]]>'
    ru = f"Вот это строка {trick} — программа должна записать её буквально, ничего не разворачивая."
    en = f"Here is such a string {trick} - the program must write it literally, expanding nothing."
    page.write_text(f"{ru}\n\n{en}\n", encoding="utf-8")
    out = tmp_path / "out"

    assert run("run", str(page), "--out", str(out), "-f", "tmx", "-q")[0] == 0

    data = (out / "xxe.tmx").read_bytes()
    assert b"<!ENTITY" not in data and b"&x;" not in data and b"root:" not in data  # escaped, never markup
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(data, parser)
    text = " ".join(seg.text or "" for seg in root.iter("seg"))
    assert '<!ENTITY x SYSTEM "file:///etc/passwd">' in text and "&x;" in text and "&lol;" in text  # literal text
    assert {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")} == {"ru", "en"}


def test_align_reads_no_xml() -> None:
    """align parses no XML (see RELIABILITY.md): if that changes, the new reader needs billion-laughs and
    external-entity tests (defusedxml-style) before this guard is relaxed."""
    package = Path(__file__).resolve().parents[1] / "align"
    reader = re.compile(
        r"\b(?:etree|ET|ElementTree)\.(?:parse|fromstring|XML|iterparse|XMLParser|XMLPullParser)\b"
        r"|\bxml\.(?:dom|sax)\b|\bminidom\b|\blxml\.html\b|\bhtml\.parser\b|\bdefusedxml\b"
    )
    found = [f"{path.name}: {match[0]}" for path in package.glob("*.py") for match in reader.finditer(path.read_text())]
    assert found == []


# ---------------------------------------------------------------------------------------- limits


def test_max_file_size_refuses_larger_files_in_one_line_and_aligns_the_rest(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Кошка спит на диване.\n\nThe cat is sleeping on the sofa.\n" * 40, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("Кошка спит.\n\nThe cat sleeps.\n", encoding="utf-8")
    size = big.stat().st_size

    for command in ("run", "check"):
        extra = ["--out", str(tmp_path / "out"), "-q"] if command == "run" else []
        code, _, stderr = run(command, str(big), str(small), "--max-file-size", "1K", *extra)

        assert code == 2 and "Traceback" not in stderr
        assert error_lines(stderr) == [f"error: {big}: file too large ({size} bytes, limit 1000)"]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.jsonl")) == ["corpus.jsonl", "small.jsonl"]
    code, _, stderr = run("pair", str(big), str(small), "--max-file-size", "2KiB", "--out", str(tmp_path / "o2"))
    assert code == 2 and error_lines(stderr) == [f"error: {big}: file too large ({size} bytes, limit 2048)"]


def test_default_limit_is_50_mb_and_a_bad_limit_is_a_usage_error(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(50_000_001)

    code, _, stderr = run("run", str(huge), "--out", str(tmp_path / "out"), "-q")
    assert code == 2 and error_lines(stderr) == [f"error: {huge}: file too large (50000001 bytes, limit 50000000)"]
    code, _, stderr = run("run", str(huge), "--max-file-size", "lots", "--out", str(tmp_path / "out"))
    assert code == 2 and "max-file-size" in stderr and "Traceback" not in stderr


# ---------------------------------------------------------------------------------------- determinism


def test_same_input_and_options_give_byte_identical_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(tmp_path / "cache"))  # cold for the first run, warm for the second
    folder = write_corpus(tmp_path / "in", documents=3, paragraphs=3, seed=7)
    (folder / "003_10744da6f6ab660d.txt").write_bytes((SEEDS / "003_10744da6f6ab660d.txt").read_bytes())

    code_one, _, _ = run("run", str(folder), "--out", str(tmp_path / "one"), "-q")
    code_two, _, _ = run("run", str(folder), "--out", str(tmp_path / "two"), "-q")

    assert code_one == code_two == 0
    one, two = files_in(tmp_path / "one"), files_in(tmp_path / "two")
    assert len(one) == 3 * 5 + 1 and one == two  # 3 formats x (4 documents + corpus), and signature.json
    assert b'creationdate="20231114T221320Z"' in one["corpus.tmx"]
