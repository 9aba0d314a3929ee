"""Tests for align.cache: the SQLite embedding cache wrapped around the real USE encoder."""

from __future__ import annotations

import dataclasses
import gc
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from align import cache as cache_module
from align import installed
from align.align import AlignOptions
from align.cache import (
    CachedIdentifier,
    ResultCache,
    cache_info,
    cache_path,
    clear_cache,
    closed,
    open_database,
    result_fingerprint,
    stored,
)
from align.cached_encoder import CachedEncoder
from align.encoders import Keep
from align.encoders.use import UseEncoder
from align.findings_cache import BUSY_SECONDS
from align.language import LanguageIdentifier
from align.load import Input
from align.model import Segment
from align.pipeline import Pipeline

TEXTS = [
    "Павел Латушко о загнанном в угол диктаторе.",
    "Pavel Latushka on the cornered dictator.",
    "Давайте выскажем свои предположения на этот счет.",
]
NEW_TEXT = "Let us make our own assumptions in this regard."


@pytest.fixture(scope="module")
def use() -> UseEncoder:
    return UseEncoder(threads=2)


@dataclass
class Recording:
    """The real encoder, remembering which texts it was asked to encode."""

    encoder: UseEncoder
    name: str = "use-multilingual-v3"
    calls: list[list[str]] = field(default_factory=list)

    def load(self) -> None:
        self.encoder.load()

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return self.encoder.encode(texts)

    def encode_with_runs(
        self, texts: list[str], runs: list[tuple[int, int]], keep: Keep | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        self.calls.append([*texts, *(" ".join(texts[a:b]) for a, b in runs)])
        return self.encoder.encode_with_runs(texts, runs, keep)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return cache_path(tmp_path / "cache")


def run(encoder: Recording | UseEncoder, path: Path, texts: list[str]) -> tuple[np.ndarray, int, int]:
    """One program run: encode through a fresh cache object, then drop it (closing its connection).

    Returns the vectors, hits and misses."""
    cached = CachedEncoder(encoder, path)
    vectors = cached.encode(texts)
    counts = (cached.hits, cached.misses)
    del cached
    gc.collect()
    return vectors, *counts


def test_second_encode_of_the_same_texts_returns_identical_vectors_from_the_cache(use: UseEncoder, path: Path) -> None:
    recording = Recording(use)
    cached = CachedEncoder(recording, path)
    first = cached.encode(TEXTS)
    assert (cached.hits, cached.misses) == (0, 3)
    second = cached.encode(TEXTS)
    assert (cached.hits, cached.misses) == (3, 3)
    assert recording.calls == [TEXTS]
    assert second.dtype == np.float32 and second.shape == (3, 512)
    assert np.array_equal(first, second)
    assert np.allclose(np.linalg.norm(second, axis=1), 1.0, atol=1e-5)


def test_cached_vectors_are_the_ones_the_encoder_computes(use: UseEncoder, path: Path) -> None:
    cached = CachedEncoder(use, path)
    cached.encode(TEXTS)
    assert np.allclose(cached.encode(TEXTS), use.encode(TEXTS), atol=1e-6)


def test_a_new_text_is_a_miss_and_the_known_ones_are_hits(use: UseEncoder, path: Path) -> None:
    recording = Recording(use)
    cached = CachedEncoder(recording, path)
    before = cached.encode(TEXTS)
    after = cached.encode([TEXTS[1], NEW_TEXT, TEXTS[0]])
    assert (cached.hits, cached.misses) == (2, 4)
    assert recording.calls == [TEXTS, [NEW_TEXT]]
    assert np.array_equal(after[0], before[1])
    assert np.array_equal(after[2], before[0])
    assert not np.allclose(after[1], before[0])


def test_duplicate_texts_in_one_call_are_encoded_once(use: UseEncoder, path: Path) -> None:
    recording = Recording(use)
    cached = CachedEncoder(recording, path)
    vectors = cached.encode([TEXTS[0], TEXTS[1], TEXTS[0], TEXTS[0]])
    assert recording.calls == [[TEXTS[0], TEXTS[1]]]
    assert cached.misses == 2
    assert vectors.shape == (4, 512)
    assert np.array_equal(vectors[0], vectors[2]) and np.array_equal(vectors[0], vectors[3])
    assert cache_info(path)["models"] == {"use-multilingual-v3": 2}


def test_runs_are_cached_and_a_changed_sentence_re_encodes_only_the_runs_through_it(
    use: UseEncoder, path: Path
) -> None:
    recording = Recording(use)
    cached = CachedEncoder(recording, path)
    runs = [(0, 2), (1, 3)]
    vectors, run_vectors = cached.encode_with_runs(TEXTS, runs)
    assert (cached.hits, cached.misses) == (0, 5)
    again = cached.encode_with_runs(TEXTS, runs)
    assert (cached.hits, cached.misses) == (5, 5) and len(recording.calls) == 1
    assert np.array_equal(again[0], vectors) and np.array_equal(again[1], run_vectors)
    assert np.allclose(run_vectors, use.encode_with_runs(TEXTS, runs)[1], atol=1e-6)

    edited = [TEXTS[0], TEXTS[1], NEW_TEXT]
    _, edited_runs = cached.encode_with_runs(edited, runs)
    assert recording.calls[-1] == [TEXTS[1], NEW_TEXT, f"{TEXTS[1]} {NEW_TEXT}"]  # the run (0, 2) is unchanged
    assert np.array_equal(edited_runs[0], run_vectors[0]) and not np.allclose(edited_runs[1], run_vectors[1])


def test_encoding_nothing_gives_an_empty_matrix_and_counts_nothing(use: UseEncoder, path: Path) -> None:
    cached = CachedEncoder(use, path)
    assert cached.encode([]).shape == (0, 512)
    assert (cached.hits, cached.misses) == (0, 0)


def test_two_runs_on_the_same_cache_file_share_vectors(use: UseEncoder, path: Path) -> None:
    first_run = CachedEncoder(use, path)
    first = first_run.encode(TEXTS)
    recording = Recording(use)
    second_run = CachedEncoder(recording, path)  # the first one is still open, as in a concurrent run
    second = second_run.encode(TEXTS)
    assert (second_run.hits, second_run.misses) == (3, 0)
    assert recording.calls == []
    assert np.array_equal(first, second)
    del first_run, second_run
    gc.collect()

    third, hits, misses = run(Recording(use), path, TEXTS)
    assert np.array_equal(third, first)
    assert (hits, misses) == (3, 0)


def test_vectors_of_another_model_are_not_shared(use: UseEncoder, path: Path) -> None:
    CachedEncoder(use, path).encode(TEXTS)
    other = CachedEncoder(Recording(use, name="st:other-model"), path)
    other.encode(TEXTS[:2])
    assert (other.hits, other.misses) == (0, 2)
    assert cache_info(path)["models"] == {"use-multilingual-v3": 3, "st:other-model": 2}


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(lambda data: os.urandom(len(data)), id="random-bytes"),
        pytest.param(lambda data: b"this is not a database \xff\xfe\x00" * 200, id="text-and-binary"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:100] + os.urandom(len(data) - 100), id="header-then-garbage"),
    ],
)
def test_a_corrupt_cache_file_is_rebuilt_and_encoding_still_works(
    use: UseEncoder, path: Path, garbage: Callable[[bytes], bytes]
) -> None:
    first, _, _ = run(use, path, TEXTS + [f"Предложение номер {i} о войне." for i in range(200)])
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # all in the main file now
    path.write_bytes(garbage(path.read_bytes()))

    again, hits, misses = run(use, path, TEXTS)
    assert (hits, misses) == (0, 3)
    assert np.allclose(again, first[:3], atol=1e-6)
    assert cache_info(path)["models"] == {"use-multilingual-v3": 3}
    assert run(use, path, TEXTS)[1:] == (3, 0)


def test_cache_info_of_a_corrupt_file_reports_an_empty_rebuilt_cache(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage, not SQLite" * 100)
    info = cache_info(path)
    assert info["models"] == {}
    assert info["path"] == str(path)


def test_cache_info_counts_vectors_per_model(use: UseEncoder, path: Path) -> None:
    CachedEncoder(use, path).encode(TEXTS)
    CachedEncoder(Recording(use, name="st:other-model"), path).encode([NEW_TEXT])
    info = cache_info(path)
    assert info["path"] == str(path)
    assert info["models"] == {"use-multilingual-v3": 3, "st:other-model": 1}
    assert info["bytes"] >= path.stat().st_size > 0
    assert cache_module.as_left(path)  # closed as every command closes it: the next open skips SQLite's check


def test_cache_info_of_a_missing_cache_is_empty_and_creates_nothing(path: Path) -> None:
    assert cache_info(path) == {"path": str(path), "bytes": 0, "models": {}, "results": 0}
    assert not path.exists()


def test_clear_cache_removes_the_database_and_its_journal_files(use: UseEncoder, path: Path) -> None:
    cached = CachedEncoder(use, path)
    cached.encode(TEXTS)
    (path.parent / "notes.txt").write_text("keep me", encoding="utf-8")
    assert {path.name, path.name + "-wal", path.name + "-shm"} <= {p.name for p in path.parent.iterdir()}
    del cached
    gc.collect()

    clear_cache(path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["notes.txt"]
    assert cache_info(path)["models"] == {}
    assert run(use, path, TEXTS)[1:] == (0, 3)


def test_clear_cache_of_a_missing_cache_does_nothing(path: Path) -> None:
    clear_cache(path)
    assert not path.exists()


def finished_cache(path: Path, model: str = "use", options: AlignOptions | None = None) -> ResultCache:
    options = options or AlignOptions()
    return ResultCache(path, result_fingerprint(model, options))


def key_of(cache: ResultCache, item: Input) -> bytes:
    return cache.key(item, [Path(p).read_bytes() for p in item.paths])


def test_a_finished_alignment_is_read_back_equal_with_its_notes(use: UseEncoder, path: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(f"{TEXTS[0]} {TEXTS[2]}\n\n{TEXTS[1]}\n", encoding="utf-8")
    item = Input("page", (str(page),))
    alignment = Pipeline(use).result(item)
    cache = finished_cache(path)
    key = key_of(cache, item)
    assert cache.get(key) is None
    cache.put(key, alignment, ["a note"])
    again, notes = finished_cache(path).get(key)
    assert again.document == alignment.document and again.beads == alignment.beads and notes == ["a note"]
    assert cache_info(path)["results"] == 1
    sentence, bead = again.document.ru[0], again.beads[0]
    assert hash(sentence) == hash(alignment.document.ru[0]) and hash(bead) == hash(alignment.beads[0])
    assert repr(bead) == repr(alignment.beads[0])  # every field there, in its order
    with pytest.raises(dataclasses.FrozenInstanceError):
        sentence.text = "changed"  # read back as frozen as it was made


def test_a_result_key_changes_with_the_bytes_the_names_the_model_and_the_options(path: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Кот.\n\nCat.\n", encoding="utf-8")
    item = Input("page", (str(page),))
    key = key_of(finished_cache(path), item)
    assert key_of(finished_cache(path), item) == key
    assert key_of(finished_cache(path), Input("other-name", item.paths)) != key
    assert key_of(finished_cache(path, model="st:x"), item) != key
    assert key_of(finished_cache(path, options=AlignOptions(max_bead=3)), item) != key
    page.write_text("Кот.\n\nA cat.\n", encoding="utf-8")
    assert key_of(finished_cache(path), item) != key


def test_a_damaged_result_record_is_a_miss(path: Path, tmp_path: Path) -> None:
    cache = finished_cache(path)
    cache.database().execute("INSERT INTO results (key, record) VALUES (?, ?)", (b"k" * 16, b"not zlib"))
    assert cache.get(b"k" * 16) is None


def test_a_second_run_reads_unchanged_inputs_back_and_aligns_only_the_edited_one(
    use: UseEncoder, path: Path, tmp_path: Path
) -> None:
    inputs = []
    for k in range(3):
        page = tmp_path / f"page{k}.txt"
        page.write_text(f"{TEXTS[0]} {TEXTS[2]}\n\n{TEXTS[1]} {k}\n", encoding="utf-8")
        inputs.append(Input(f"page{k}", (str(page),)))
    first_encoder = Recording(use)
    first = [r for r, _ in Pipeline(CachedEncoder(first_encoder, path), finished=finished_cache(path)).results(inputs)]
    Path(inputs[1].paths[0]).write_text(f"{TEXTS[0]} {TEXTS[2]}\n\n{TEXTS[1]} {NEW_TEXT}\n", encoding="utf-8")
    second_encoder = Recording(use)
    second = [
        r for r, _ in Pipeline(CachedEncoder(second_encoder, path), finished=finished_cache(path)).results(inputs)
    ]
    assert second[0].beads == first[0].beads and second[2].beads == first[2].beads
    assert len(second_encoder.calls) == 1 and f"{TEXTS[1]} {NEW_TEXT}" in second_encoder.calls[0]
    assert TEXTS[0] not in second_encoder.calls[0]  # its paragraph did not change
    assert second[1].beads != first[1].beads


def test_the_result_cache_can_share_the_embedding_cache_connection(use: UseEncoder, path: Path) -> None:
    cached = CachedEncoder(use, path)
    finished = ResultCache(path, result_fingerprint("use", AlignOptions()), cached.database)
    assert finished.database() is cached.database()


UNSETTLED = [  # sentences letters, spellings and marker words cannot settle: lingua weighs them
    Segment("page.ru.txt", 0, 0, line, text, "", line)
    for line, text in enumerate(
        ["Він прийшов додому пізно ввечері і одразу ліг спати.", "Он исцарапал себе лицо и хрипел."]
    )
]


def test_lingua_s_verdicts_are_read_back_and_a_second_identifier_never_loads_lingua(path: Path) -> None:
    first = CachedIdentifier(connect=lambda: open_database(path))
    labelled = first.label(UNSETTLED, side="ru")
    assert first._loaded_scripts == {"cyrillic"}  # lingua did weigh them
    assert [s.lang for s in labelled] == ["other", "ru"] and labelled[0].detected == "uk"

    second = CachedIdentifier(connect=lambda: open_database(path))
    assert second.label(UNSETTLED, side="ru") == labelled
    assert second._loaded_scripts == set() and second._detector is None
    assert second._screen._detector is None  # nor its low-accuracy screen: those values are read back too


def test_a_new_sentence_is_weighed_and_the_known_ones_read_back(path: Path) -> None:
    CachedIdentifier(connect=lambda: open_database(path)).label(UNSETTLED[:1], side="ru")
    identifier = CachedIdentifier(connect=lambda: open_database(path))
    weighed: list[list[str]] = []
    original = LanguageIdentifier.confidence_values

    def recording(self: LanguageIdentifier, texts: list[str]) -> list:
        weighed.append(list(texts))
        return original(self, texts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LanguageIdentifier, "confidence_values", recording)
        labels = identifier.label(UNSETTLED, side="ru")
    assert len(weighed) == 1 and len(weighed[0]) == 1 and "исцарапал" in weighed[0][0]
    assert [s.lang for s in labels] == ["other", "ru"]


def test_a_folder_where_the_database_should_be_is_refused_and_kept(path: Path) -> None:
    path.mkdir(parents=True)

    with pytest.raises(sqlite3.OperationalError, match="is a folder, not the cache database"):
        open_database(path)
    with pytest.raises(sqlite3.OperationalError, match="is a folder"):
        clear_cache(path)
    assert path.is_dir()


def test_rows_are_stored_in_one_transaction_all_or_none(path: Path) -> None:
    db = open_database(path)
    statements: list[str] = []
    db.set_trace_callback(statements.append)
    stored(db, "confidences", [(b"a", b"1"), (b"b", b"2")])
    assert statements[0].startswith("BEGIN") and statements[-1] == "COMMIT"  # one commit, not one per row
    with pytest.raises(sqlite3.Error):
        stored(db, "confidences", [(b"c", b"3"), (b"d", object())])  # the second row cannot be stored
    assert [key for (key,) in db.execute("SELECT key FROM confidences ORDER BY key")] == [b"a", b"b"]
    db.close()


@pytest.mark.parametrize("library", ["markdown-it-py", "lxml", "pyyaml", "python-docx", "pypdf", "snowballstemmer"])
def test_the_fingerprint_changes_with_the_version_of_a_library_that_reads_inputs_or_judges_them(
    library: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "dependency_versions", cache_module.dependency_versions.__wrapped__)  # uncached
    before = result_fingerprint("use", AlignOptions())
    upgraded = tmp_path / f"{installed.normalised(library)}-99.0.dist-info"  # as pip installs a new version
    upgraded.mkdir()
    (upgraded / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {library}\nVersion: 99.0\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))  # found first: the library upgraded, a reader may segment differently
    installed.folder_versions.cache_clear()
    try:
        assert result_fingerprint("use", AlignOptions()) != before
    finally:
        installed.folder_versions.cache_clear()


def test_the_fingerprint_changes_with_the_python_that_runs_align(monkeypatch: pytest.MonkeyPatch) -> None:
    before = result_fingerprint("use", AlignOptions())
    monkeypatch.setattr(cache_module.sys, "version", "3.99.0 (another Python: other Unicode tables, other regex)")
    assert result_fingerprint("use", AlignOptions()) != before  # a cache folder shared by two virtualenvs


def opened_statements(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL statements open_database(path) runs (its connection then closed as a check closes it)."""
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    with monkeypatch.context() as patch:
        patch.setattr(cache_module.sqlite3, "connect", traced)
        db = open_database(path)
    closed(db, path)
    return statements


ROWS = [(bytes([k]), b"x" * 4000) for k in range(50)]  # enough for pages of rows after the schema's


def filled_and_closed(path: Path, rows: list[tuple[bytes, bytes]] = ROWS) -> None:
    db = open_database(path)
    stored(db, "confidences", rows)
    closed(db, path)


def rows_after_open(path: Path) -> int:
    db = open_database(path)
    count = db.execute("SELECT COUNT(*) FROM confidences").fetchone()[0]
    closed(db, path)
    return count


def test_a_database_left_as_its_last_clean_close_left_it_is_not_checked_again(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled_and_closed(path, [(b"a", b"1")])
    assert "PRAGMA quick_check" not in opened_statements(path, monkeypatch)

    other = sqlite3.connect(path, isolation_level=None)  # another connection, left open (as the pipeline's is until
    other.execute("INSERT INTO confidences VALUES (?, ?)", (b"b", b"2"))  # the garbage collector frees it)
    assert "PRAGMA quick_check" in opened_statements(path, monkeypatch)  # its write is in the log, not the file
    assert "PRAGMA quick_check" not in opened_statements(path, monkeypatch)  # that close moved it into the file
    other.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.executemany("INSERT INTO confidences VALUES (?, ?)", ROWS)
    db.close()  # closed without noting the state: the file grew since the note
    assert "PRAGMA quick_check" in opened_statements(path, monkeypatch)
    assert "PRAGMA quick_check" not in opened_statements(path, monkeypatch)  # that open's close noted it


def test_a_database_damaged_after_its_clean_close_is_checked_and_rebuilt(path: Path) -> None:
    filled_and_closed(path)
    data = path.read_bytes()
    path.write_bytes(data[:100] + os.urandom(len(data) - 100))
    assert rows_after_open(path) == 0  # rebuilt empty


def test_a_database_rewritten_in_place_with_its_size_and_time_kept_is_checked_and_rebuilt(path: Path) -> None:
    filled_and_closed(path)
    before = path.stat()
    data = path.read_bytes()
    page = len(data) // 2  # the rows' pages damaged, the schema's first page intact
    with path.open("r+b") as file:  # same inode, same size (as `cp -p` or a restore onto the file would leave it)
        file.write(data[:page] + os.urandom(len(data) - page))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the time it had
    assert path.stat().st_size == before.st_size
    assert rows_after_open(path) == 0  # rebuilt empty


def test_closing_while_another_process_reads_an_older_snapshot_does_not_wait_for_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled_and_closed(path, [(b"a", b"1")])
    reader = sqlite3.connect(path, isolation_level=None)  # e.g. another check, in the middle of a read
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM confidences").fetchone()
    writer = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    stored(writer, "confidences", [(b"b", b"2")])

    closing = threading.Thread(target=closed, args=(writer, path))
    closing.start()
    closing.join(BUSY_SECONDS / 3)  # it waited the whole busy timeout for the reader (30 s) before
    assert not closing.is_alive()
    reader.close()
    assert "PRAGMA quick_check" in opened_statements(path, monkeypatch)  # the log was not emptied: no note
    assert "PRAGMA quick_check" not in opened_statements(path, monkeypatch)
