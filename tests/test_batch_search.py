"""align.batch_search: a batch's documents searched from their vectors as Pipeline.align searches each alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.align import AlignOptions
from align.batch_search import searched
from align.encoders.use import UseEncoder
from align.load import Input
from align.pipeline import Pipeline

PAGES = [
    (
        "Павел Латушко о загнанном в угол диктаторе. В последние дни вновь встал вопрос о войне.",
        "Pavel Latushka on the cornered dictator. In recent days, the issue of the war has reappeared.",
    ),
    (
        "Цена выросла на 15% к 1 апреля 2022 г. «Мы не знаем», — сказал он. Давайте выскажем предположения!",
        'The price rose by 15% by April 1, 2022. "We do not know," he said.',
    ),
]


@pytest.fixture(scope="module")
def search_only() -> Pipeline:
    return Pipeline(UseEncoder(), AlignOptions(absorb_min_gain=None))  # the search alone, no pass after it


def documents(pipeline: Pipeline, tmp_path: Path) -> list:
    found = []
    for number, (ru, en) in enumerate(PAGES):
        ru_path, en_path = tmp_path / f"p{number}.ru.txt", tmp_path / f"p{number}.en.txt"
        ru_path.write_text(ru, encoding="utf-8")
        en_path.write_text(en, encoding="utf-8")
        found.append(pipeline.document(Input(f"p{number}", (str(ru_path), str(en_path)))))
    return found


def kinds_and_texts(alignment) -> list[tuple]:
    return [(b.kind, [s.text for s in b.ru], [s.text for s in b.en]) for b in alignment.beads]


def test_documents_searched_together_get_the_beads_each_gets_alone(search_only: Pipeline, tmp_path: Path) -> None:
    docs = documents(search_only, tmp_path)
    embedded = search_only.aligner().embedded([side for d in docs for side in (d.ru, d.en)])
    together = searched(docs, embedded, search_only.options)
    assert [kinds_and_texts(a) for a in together] == [kinds_and_texts(search_only.align(d)) for d in docs]
    assert "1-0" in [b.kind for b in together[1].beads]  # the untranslated last sentence of the second page


def test_each_alignment_is_given_its_share_of_the_encoding_by_sentences(search_only: Pipeline, tmp_path: Path) -> None:
    docs = documents(search_only, tmp_path)
    embedded = search_only.aligner().embedded([side for d in docs for side in (d.ru, d.en)])
    sizes = [len(d.ru) + len(d.en) for d in docs]
    for alignment, size in zip(searched(docs, embedded, search_only.options, encoding=10.0), sizes, strict=True):
        assert alignment.seconds >= 10.0 * size / sum(sizes)
