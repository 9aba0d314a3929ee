"""The whole pipeline on generated mixed pages: nothing is lost, nothing is altered, order is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align.encoders.use import UseEncoder
from align.load import Input
from align.pipeline import Pipeline
from align.readers.text import boilerplate_lines

RU = [
    "Павел Латушко о загнанном в угол диктаторе.",
    "В последние дни на повестку дня вновь встал вопрос о войне.",
    "Давайте выскажем свои предположения на этот счет!",
    "Цена выросла на 15% к 1 апреля 2022 г.",
    "«Мы не знаем», — сказал он [3].",
    "Привіт, як справи у вашій родині сьогодні?",
]
EN = [
    "Pavel Latushka on the cornered dictator.",
    "In recent days, the issue of the war has reappeared on the agenda.",
    "Let us make our own assumptions in this regard!",
    "The price rose by 15% by April 1, 2022.",
    '"We do not know," he said [3].',
    "Der Hund schläft heute den ganzen Tag im Garten.",
    "23:00",
]
SEPARATORS = ["\n\n", "\r\n\r\n", "\n \n", "\n\n\n", "\ntop of page\n", "\n\nbottom of page\n\n"]

paragraph = st.lists(st.sampled_from(RU), min_size=1, max_size=3) | st.lists(
    st.sampled_from(EN), min_size=1, max_size=3
)
page = st.lists(
    st.tuples(paragraph.map(" ".join), st.sampled_from(SEPARATORS), st.sampled_from([" ", "\n", ""])),
    min_size=0,
    max_size=8,
)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(UseEncoder())


def render(parts: list[tuple[str, str, str]]) -> str:
    return "".join(lead + text + sep for text, sep, lead in parts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=page)
def test_every_sentence_appears_in_exactly_one_bead_in_order_and_unaltered(
    pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory, parts: list[tuple[str, str, str]]
) -> None:
    text = render(parts)
    path = tmp_path_factory.mktemp("page") / "page.txt"
    path.write_bytes(text.encode("utf-8"))
    document = pipeline.document(Input("page", (str(path),)))
    alignment = pipeline.align(document)
    placed = [seg for bead in alignment.beads for seg in bead.ru + bead.en + bead.other]
    assert sorted(placed, key=lambda s: s.start) == sorted(
        document.ru + document.en + document.other, key=lambda s: s.start
    )
    assert len(placed) == len({(s.start, s.end) for s in placed})
    for side in ("ru", "en"):
        in_beads = [seg.start for bead in alignment.beads for seg in getattr(bead, side)]
        assert in_beads == sorted(in_beads)
    for seg in placed:
        assert text[seg.start : seg.end] == seg.text
    covered = "".join(text[s.start : s.end] for s in sorted(placed, key=lambda s: s.start))
    kept_lines = [line for line in text.splitlines() if line.strip().casefold() not in boilerplate_lines()]
    assert "".join(covered.split()) == "".join("".join(kept_lines).split())


def test_a_ukrainian_sentence_is_reported_as_other_and_never_paired(pipeline: Pipeline, tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(f"{RU[1]} {RU[5]}\n\n{EN[1]}\n", encoding="utf-8")
    alignment = pipeline.align(pipeline.document(Input("page", (str(path),))))
    assert [bead.kind for bead in alignment.beads] == ["1-1", "other"]
    assert alignment.beads[1].other[0].detected == "uk"


def test_the_pipeline_refuses_files_above_its_size_limit(tmp_path: Path) -> None:
    from align.load import InputError

    path = tmp_path / "page.txt"
    path.write_text(f"{RU[1]}\n\n{EN[1]}\n", encoding="utf-8")
    small = Pipeline(UseEncoder(), max_bytes=10)
    assert isinstance(small.result(Input("page", (str(path),))), InputError)
    assert not isinstance(Pipeline(UseEncoder(), max_bytes=10_000).result(Input("page", (str(path),))), InputError)


def pages(tmp_path: Path, count: int) -> list[Input]:
    inputs = []
    for k in range(count):
        path = tmp_path / f"page{k}.txt"
        path.write_text(f"{RU[k % 4]} {RU[(k + 1) % 4]}\n\n{EN[k % 4]} {EN[(k + 1) % 4]}\n", encoding="utf-8")
        inputs.append(Input(f"page{k}", (str(path),)))
    return inputs


def beads_of(alignment) -> list[tuple]:
    return [(bead.kind, [s.text for s in bead.ru], [s.text for s in bead.en], bead.score) for bead in alignment.beads]


@pytest.mark.parametrize("batch_sentences, count, missing_at", [(2000, 5, 2), (4, 7, 4)])
def test_documents_embedded_together_align_as_they_do_one_by_one(
    pipeline: Pipeline,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch_sentences: int,
    count: int,
    missing_at: int,
) -> None:
    """In one batch or in batches of a page or two, the results come in input order, an error in its place, each
    as the page aligned alone."""
    import align.pipeline

    monkeypatch.setattr(align.pipeline, "BATCH_SENTENCES", batch_sentences)
    inputs = pages(tmp_path, count)
    inputs.insert(missing_at, Input("missing", (str(tmp_path / "missing.txt"),)))
    together = list(pipeline.results(inputs))
    expected = ["Alignment"] * missing_at + ["InputError"] + ["Alignment"] * (count - missing_at)
    assert [type(result).__name__ for result, _ in together] == expected
    for item, (result, _) in zip(inputs, together, strict=True):
        if item.name != "missing":
            assert result.document.name == item.name
            alone = pipeline.align(pipeline.document(item))
            assert [b[:3] for b in beads_of(result)] == [b[:3] for b in beads_of(alone)]
            assert [b[3] for b in beads_of(result)] == pytest.approx([b[3] for b in beads_of(alone)], abs=1e-3)


def test_results_come_out_as_soon_as_nothing_before_them_waits_for_alignment(tmp_path: Path) -> None:
    from align.align import AlignOptions
    from align.cache import ResultCache, cache_path, result_fingerprint
    from align.cached_encoder import CachedEncoder

    path = cache_path(tmp_path / "cache")
    inputs = pages(tmp_path, 4)
    inputs.insert(1, Input("missing", (str(tmp_path / "missing.txt"),)))

    def pipeline() -> Pipeline:
        finished = ResultCache(path, result_fingerprint("use", AlignOptions()))
        return Pipeline(CachedEncoder(UseEncoder(), path), finished=finished)

    first = [beads_of(result) for result, _ in pipeline().results(inputs) if not isinstance(result, Exception)]
    asked: list[str] = []

    def one_at_a_time():
        for item in inputs:
            asked.append(item.name)
            yield item

    second = []
    for result, _ in pipeline().results(one_at_a_time()):  # every input is cached or an error now
        second.append(result)
        assert len(asked) == len(second)  # each result before the next input is even read
    assert [beads_of(r) for r in second if not isinstance(r, Exception)] == first


def test_an_over_long_unit_is_embedded_by_its_head_and_tail_but_kept_whole(tmp_path: Path) -> None:
    from align.model import Segment
    from align.unit_text import MAX_EMBEDDED_CHARS, embedding_text

    long = "слово " * (MAX_EMBEDDED_CHARS // 3)
    segment = Segment("x.txt", 0, len(long), 1, long, "ru", 0)
    embedded = embedding_text(segment)
    assert len(embedded) == MAX_EMBEDDED_CHARS + 1
    assert embedded.startswith(long[:100]) and embedded.endswith(long[-100:])
    assert embedding_text(Segment("x.txt", 0, 5, 1, "Кошка", "ru", 0)) == "Кошка"

    page = tmp_path / "long.txt"
    # 300 KB each, not one full stop (three bare nouns repeated read as Belarusian to lingua: "мы" makes it Russian)
    ru, en = "мы дом река " * 25_000, "we house river " * 20_000
    page.write_text(f"{ru.strip()}\n\n{en.strip()}\n", encoding="utf-8")
    (alignment,) = [a for a, _ in Pipeline(UseEncoder()).results([Input("long", (str(page),))])]
    assert [bead.kind for bead in alignment.beads] == ["1-1"]
    assert alignment.beads[0].ru[0].text == ru.strip() and alignment.beads[0].en[0].text == en.strip()


def test_reading_an_unpunctuated_page_of_megabytes_holds_a_few_copies_of_its_text_not_its_words(tmp_path: Path) -> None:
    import tracemalloc

    page = tmp_path / "long.txt"
    ru, en = "мы дом река это большой город " * 100_000, "we house river this is a big city " * 100_000
    page.write_text(f"{ru.strip()}\n\n{en.strip()}\n", encoding="utf-8")  # 2.9 M characters, no full stop
    characters = len(ru) + len(en)

    tracemalloc.start()
    try:
        document = Pipeline(UseEncoder()).document(Input("long", (str(page),)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert [s.text for s in document.ru + document.en] == [ru.strip(), en.strip()]
    # 8.2 bytes a character: the file's bytes, its text, the paragraphs; listing the words to count letters and to
    # compare the lines with boilerplate ones took 16.4 (tracemalloc counts the same on every run)
    assert peak < 12 * characters


def test_a_run_knows_before_aligning_whether_every_result_is_cached(tmp_path: Path) -> None:
    from align.cache import ResultCache, cache_path, result_fingerprint
    from align.cached_encoder import CachedEncoder
    from align.options import AlignOptions

    path = cache_path(tmp_path / "cache")
    inputs = pages(tmp_path, 3)

    def pipeline() -> Pipeline:
        finished = ResultCache(path, result_fingerprint("use", AlignOptions()))
        return Pipeline(CachedEncoder(UseEncoder(), path), finished=finished)

    def all_finished(pipeline: Pipeline, inputs: list[Input]) -> bool:
        return not pipeline.look_ahead(inputs).to_align

    assert not all_finished(pipeline(), inputs)
    list(pipeline().results(inputs))
    assert all_finished(pipeline(), inputs)
    assert all_finished(pipeline(), inputs + [Input("missing", (str(tmp_path / "missing.txt"),))])  # nothing to align
    assert not all_finished(Pipeline(UseEncoder()), inputs)  # no result cache: everything is aligned
    edited = Path(inputs[1].paths[0])
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nОдно новое предложение.", encoding="utf-8")
    assert not all_finished(pipeline(), inputs)
    assert not all_finished(pipeline(), [Input("stdin", ("-",))])  # standard input is never read ahead


def test_each_file_read_ahead_is_read_once(tmp_path: Path) -> None:
    from align.cache import ResultCache, cache_path, result_fingerprint
    from align.cached_encoder import CachedEncoder
    from align.load import file_bytes
    from align.options import AlignOptions
    from align.pipeline import handed_over

    path = cache_path(tmp_path / "cache")
    inputs = pages(tmp_path, 3)
    reads: list[str] = []
    pipeline = Pipeline(
        CachedEncoder(UseEncoder(), path), finished=ResultCache(path, result_fingerprint("use", AlignOptions()))
    )
    ahead = pipeline.read_ahead(inputs)
    assert ahead is not None and sorted(ahead) == sorted(item.paths[0] for item in inputs)

    def counted_read(name: str, limit: int) -> bytes:
        reads.append(name)
        return file_bytes(name, limit)

    counted = handed_over(ahead, counted_read)
    assert [counted(item.paths[0], 10**6) for item in inputs] == [file_bytes(i.paths[0], 10**6) for i in inputs]
    assert reads == [] and ahead == {}  # served from what was read ahead, then let go of
    counted(inputs[0].paths[0], 10**6)
    assert reads == [inputs[0].paths[0]]


def test_each_input_read_ahead_is_keyed_once_and_a_file_named_twice_is_keyed_from_its_second_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from align.cache import ResultCache, cache_path, result_fingerprint
    from align.cached_encoder import CachedEncoder
    from align.model import Alignment
    from align.options import AlignOptions

    path = cache_path(tmp_path / "cache")
    inputs = pages(tmp_path, 3)

    def pipeline() -> Pipeline:
        finished = ResultCache(path, result_fingerprint("use", AlignOptions()))
        return Pipeline(CachedEncoder(UseEncoder(), path), finished=finished)

    first = [result for result, _ in pipeline().results(inputs)]
    keyed: list[str] = []
    real_key = ResultCache.key

    def counted_key(self: ResultCache, item: Input, payloads: list[bytes]) -> bytes:
        keyed.append(item.name)
        return real_key(self, item, payloads)

    monkeypatch.setattr(ResultCache, "key", counted_key)
    twice = [*inputs, Input("again", inputs[0].paths)]  # its file was handed over to the first input already
    again = [result for result, _ in pipeline().results(twice)]
    assert keyed == [item.name for item in twice] + ["again"]  # keys_ahead once each, then the second read's
    assert [a.beads for a in again[:3]] == [a.beads for a in first] and isinstance(again[3], Alignment)
