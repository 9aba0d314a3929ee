"""Which runs are embedded (align.run_choice): not those whose sentences each have a sure partner in order, with the
real encoder; the encoders leave the others unembedded, and the aligner still finds a real merge."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from align.cached_encoder import CachedEncoder
from align.encoders import joined_runs
from align.encoders.use import UseEncoder
from align.load import find_inputs
from align.model import Alignment
from align.pipeline import Pipeline
from align.run_choice import RunMask, runs_needed, runs_worth_embedding, sum_vectors, sure_partners

RU = ["Кошка спит на диване.", "Собака лежит во дворе.", "Дом стоит у реки."]
EN = ["The cat is sleeping on the sofa.", "The dog is lying in the yard.", "The house stands by the river."]


@pytest.fixture(scope="module")
def encoder() -> UseEncoder:
    return UseEncoder()


def test_sentences_translated_one_by_one_have_sure_partners_in_order(encoder: UseEncoder) -> None:
    ru, en = encoder.encode(RU), encoder.encode(EN)
    assert [partners.tolist() for partners in sure_partners(ru, en)] == [[0, 1, 2], [0, 1, 2]]
    elections = encoder.encode(["Tomorrow the country elects a president."])
    assert [partners.tolist() for partners in sure_partners(ru[:1], elections)] == [[-1], [-1]]


def test_a_run_is_needed_unless_its_sentences_partners_follow_each_other() -> None:
    runs = [(0, 2), (1, 3), (2, 4)]
    assert runs_needed(runs, np.array([0, 1, 1, 3])).tolist() == [False, True, True]  # 1,1: one sentence for two
    assert runs_needed(runs, np.array([0, 1, -1, 2])).tolist() == [False, True, True]  # -1: no sure partner


def test_the_mask_covers_both_sides_of_each_document(encoder: UseEncoder) -> None:
    texts = RU + EN[:2] + ["The dog lies in the yard and the house stands by the river."]
    vectors = encoder.encode(texts)
    sides = [(0, 3, 0, [(0, 2), (1, 3)]), (3, 3, 2, [(0, 2), (1, 3)])]
    # RU 1-2 and EN 2-3 are the merge's; EN 1-2 is the cat and the dog, each with its sure partner
    assert runs_worth_embedding(vectors, sides).tolist() == [False, True, False, True]


def test_a_document_too_long_to_score_embeds_every_run(encoder: UseEncoder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("align.run_choice.MAX_SCORED_PAIRS", 8)  # 3 x 3 sentences: over it
    vectors = encoder.encode(RU + EN)
    assert runs_worth_embedding(vectors, [(0, 3, 0, [(0, 2)]), (3, 3, 1, [(0, 2)])]).tolist() == [True, True]


def test_an_unneeded_run_stands_for_the_normalised_sum_of_its_sentences(encoder: UseEncoder) -> None:
    vectors = encoder.encode(RU)
    total = vectors[0] + vectors[1]
    assert np.allclose(sum_vectors(vectors, [(0, 2)])[0], total / np.linalg.norm(total))


@pytest.mark.parametrize("encode", ["fast", "joined"])
def test_the_encoders_embed_only_the_runs_kept(encoder: UseEncoder, encode: str) -> None:
    runs = [(0, 2), (1, 3)]
    embed = encoder.encode_with_runs if encode == "fast" else lambda *a: joined_runs(encoder, *a)
    full_vectors, full_runs = embed(RU, runs)
    vectors, run_vectors = embed(RU, runs, lambda found: np.array([False, True]))
    assert np.allclose(vectors, full_vectors, atol=1e-6)
    assert not run_vectors[0].any() and np.allclose(run_vectors[1], full_runs[1], atol=1e-5)


def test_the_cache_stores_no_run_left_unembedded(encoder: UseEncoder, tmp_path: Path) -> None:
    cached = CachedEncoder(encoder, tmp_path / "cache.sqlite")
    cached.encode_with_runs(RU, [(0, 2), (1, 3)], lambda found: np.array([False, True]))
    cached.hits = cached.misses = 0
    _, run_vectors = cached.encode_with_runs(RU, [(0, 2), (1, 3)])
    assert (cached.hits, cached.misses) == (4, 1) and run_vectors[0].any()  # the first run embedded now


def test_a_run_left_out_before_is_not_embedded_again_when_a_new_sentence_comes(tmp_path: Path) -> None:
    class Counting(UseEncoder):
        def encode_with_runs(self, texts, runs, keep=None):  # type: ignore[no-untyped-def]
            asked.append(list(texts))
            return super().encode_with_runs(texts, runs, keep)

    asked: list[list[str]] = []
    cached = CachedEncoder(Counting(), tmp_path / "cache.sqlite")
    first_run_out = lambda found: np.array([False] + [True] * (len(found) - 2))  # noqa: E731 - runs = texts - 1
    cached.encode_with_runs(RU, [(0, 2), (1, 3)], first_run_out)
    asked.clear()
    texts = [*RU, "Было поздно."]
    cached.encode_with_runs(texts, [(0, 2), (1, 3), (2, 4)], first_run_out)
    assert asked == [[RU[2], "Было поздно."]]  # the new sentence and its run; not RU[0] and RU[1] for run 0 again


def test_a_real_merge_is_still_found_beside_sentences_translated_one_by_one(tmp_path: Path) -> None:
    (tmp_path / "a.ru.txt").write_text(" ".join([*RU, "Было поздно.", "Шёл дождь."]) + "\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text(" ".join([*EN, "It was late and raining."]) + "\n", encoding="utf-8")
    inputs, _ = find_inputs([str(tmp_path)])
    ((alignment, _),) = list(Pipeline(UseEncoder()).results(inputs))
    assert isinstance(alignment, Alignment)
    assert [bead.kind for bead in alignment.beads] == ["1-1", "1-1", "1-1", "2-1"]


def test_the_mask_is_scored_once_for_the_same_vectors(encoder: UseEncoder, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = runs_worth_embedding
    monkeypatch.setattr("align.run_choice.runs_worth_embedding", lambda v, s: calls.append(1) or real(v, s))
    mask = RunMask([(0, 3, 0, [(0, 2)]), (3, 3, 1, [(0, 2)])])
    vectors = encoder.encode(RU + EN)
    assert mask(vectors).tolist() == mask(vectors.copy()).tolist() and len(calls) == 1
    mask(vectors[::-1].copy())
    assert len(calls) == 2  # other vectors: scored afresh
