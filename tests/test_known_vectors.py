"""The passes after the search reuse the batch's vectors (align.known_vectors): only texts it lacks are embedded,
with the real encoder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from align.encoders.use import UseEncoder
from align.known_vectors import KnownVectors, known_texts
from align.load import find_inputs
from align.model import Alignment
from align.pipeline import Pipeline
from align.use_runs import CHECK

SENTENCES = ["Кошка спит на диване.", "Собака лежит во дворе.", "Дом стоит у реки."]


class CountingEncoder(UseEncoder):
    """The real encoder, remembering every text `encode` was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        return super().encode(texts)


@pytest.fixture(scope="module")
def encoder() -> CountingEncoder:
    return CountingEncoder()


def test_known_texts_and_runs_are_answered_without_the_encoder(encoder: CountingEncoder) -> None:
    vectors, run_vectors = encoder.encode_with_runs(SENTENCES, [(0, 2)])
    encode = KnownVectors(encoder.encode, known_texts(SENTENCES, vectors, [(0, 2)], run_vectors))
    encoder.asked.clear()
    found = encode([SENTENCES[2], " ".join(SENTENCES[:2])])
    assert encoder.asked == []
    assert np.array_equal(found, np.stack([vectors[2], run_vectors[0]]))


def test_only_the_texts_it_lacks_are_embedded_once_each_in_order(encoder: CountingEncoder) -> None:
    vectors, run_vectors = encoder.encode_with_runs(SENTENCES, [])
    encode = KnownVectors(encoder.encode, known_texts(SENTENCES, vectors, [], run_vectors))
    joined = " ".join(SENTENCES)
    encoder.asked.clear()
    found = encode([joined, SENTENCES[0], joined])
    assert encoder.asked == [joined]
    fresh = encoder.encode([joined])[0]
    assert np.allclose(found[0], fresh, atol=1e-6) and np.array_equal(found[0], found[2])
    assert np.array_equal(found[1], vectors[0])


def test_absorption_after_the_search_embeds_only_the_joined_text_the_batch_lacks(tmp_path: Path) -> None:
    ru = ["Было поздно.", "Шёл дождь.", "Завтра в стране пройдут выборы президента."]
    (tmp_path / "a.ru.txt").write_text(" ".join(ru) + "\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("It was late and raining.\n", encoding="utf-8")
    encoder = CountingEncoder()
    inputs, _ = find_inputs([str(tmp_path)])
    ((alignment, _),) = list(Pipeline(encoder).results(inputs))
    assert isinstance(alignment, Alignment)
    assert [bead.kind for bead in alignment.beads] == ["2-1", "1-0"]  # the omission is weighed, and stays one-sided
    asked = [text for text in encoder.asked if not any(check in text for check in CHECK)]  # FastRuns' self-check
    assert asked == [" ".join(ru)]  # the pair's sides and the run of two are the batch's; only the run of three is new
