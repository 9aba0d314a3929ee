"""The dynamic-programming aligner, on hand-made embeddings whose geometry is known."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from align.align import (
    AlignOptions,
    Link,
    Scorer,
    Side,
    align_document,
    bead_shapes,
    confidence,
    merge_runs,
    run_groups,
    uncrossed,
)
from align.align import best_links as links_of
from align.model import Bead, Document, Segment
from align.placement import first_start, with_other_segments


def unit(rng: np.random.Generator, dim: int = 64) -> np.ndarray:
    vector = rng.standard_normal(dim).astype(np.float32)
    return vector / np.linalg.norm(vector)


def segments(lang: str, count: int, paragraphs: list[int] | None = None) -> list[Segment]:
    paragraphs = paragraphs or [0] * count
    return [
        Segment(
            file=f"x.{lang}.txt",
            start=10 * i,
            end=10 * i + 9,
            line=i + 1,
            text=f"{lang} sentence {i:02d}",
            lang=lang,
            paragraph=paragraphs[i],
        )
        for i in range(count)
    ]


def noisy(vector: np.ndarray, rng: np.random.Generator, noise: float = 0.3) -> np.ndarray:
    """A 'translation': the same meaning plus some noise."""
    out = vector + noise * unit(rng, len(vector))
    return out / np.linalg.norm(out)


def best_links(ru, en, ru_segments, en_segments, options):
    return links_of(Side.of(ru, ru_segments), Side.of(en, en_segments), options)


def kinds(links) -> list[str]:
    return [f"{len(link.ru)}-{len(link.en)}" for link in links]


def test_translations_in_order_are_paired_one_to_one() -> None:
    rng = np.random.default_rng(1)
    ru = np.stack([unit(rng) for _ in range(6)])
    en = np.stack([noisy(v, rng) for v in ru])
    links = best_links(ru, en, segments("ru", 6), segments("en", 6), AlignOptions())
    assert [(link.ru, link.en) for link in links] == [((i,), (i,)) for i in range(6)]


def test_a_sentence_without_translation_is_left_one_sided() -> None:
    rng = np.random.default_rng(2)
    ru = np.stack([unit(rng) for _ in range(5)])
    en = np.stack([noisy(v, rng) for i, v in enumerate(ru) if i != 2])
    links = best_links(ru, en, segments("ru", 5), segments("en", 4), AlignOptions())
    assert kinds(links) == ["1-1", "1-1", "1-0", "1-1", "1-1"]
    assert links[2].ru == (2,)


def test_an_english_sentence_translating_two_russian_ones_makes_a_2_1_bead() -> None:
    rng = np.random.default_rng(3)
    ru = np.stack([unit(rng) for _ in range(5)])
    merged = ru[1] + ru[2]
    en_rows = [
        noisy(ru[0], rng),
        noisy(merged / np.linalg.norm(merged), rng, 0.1),
        noisy(ru[3], rng),
        noisy(ru[4], rng),
    ]
    links = best_links(ru, np.stack(en_rows), segments("ru", 5), segments("en", 4), AlignOptions())
    assert kinds(links) == ["1-1", "2-1", "1-1", "1-1"]


def test_merges_never_cross_a_paragraph_boundary() -> None:
    rng = np.random.default_rng(4)
    ru = np.stack([unit(rng) for _ in range(2)])
    merged = ru[0] + ru[1]
    en = np.stack([merged / np.linalg.norm(merged)])
    links = best_links(ru, en, segments("ru", 2, [0, 1]), segments("en", 1), AlignOptions())
    assert "2-1" not in kinds(links)


def test_unrelated_sentences_are_not_paired() -> None:
    rng = np.random.default_rng(5)
    ru = np.stack([unit(rng, 512) for _ in range(4)])  # 512 dimensions, like USE: unrelated means cosine near 0
    en = np.stack([unit(rng, 512) for _ in range(4)])
    links = best_links(ru, en, segments("ru", 4), segments("en", 4), AlignOptions())
    assert all(not (link.ru and link.en) for link in links)


def test_max_bead_bounds_the_shapes() -> None:
    assert set(bead_shapes(1)) == {(1, 0), (0, 1), (1, 1)}
    assert (3, 3) in bead_shapes(3) and (4, 1) not in bead_shapes(3)


def test_an_empty_side_leaves_every_sentence_untranslated() -> None:
    document = Document("d", "d.txt", "d.txt", ru=segments("ru", 3), en=[])
    alignment = align_document(document, np.zeros((3, 8), np.float32), np.zeros((0, 8), np.float32))
    assert [bead.kind for bead in alignment.beads] == ["1-0"] * 3
    assert all(bead.score == 0.0 for bead in alignment.beads)


def test_confidence_is_between_zero_and_one_and_high_for_clear_translations() -> None:
    rng = np.random.default_rng(6)
    ru = np.stack([unit(rng) for _ in range(4)])
    en = np.stack([noisy(v, rng, 0.1) for v in ru])
    document = Document("d", "d.txt", "d.txt", ru=segments("ru", 4), en=segments("en", 4))
    alignment = align_document(document, ru, en)
    assert all(0.9 < bead.score <= 1.0 for bead in alignment.beads)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 12),
    m=st.integers(0, 12),
    seed=st.integers(0, 10_000),
    max_bead=st.integers(1, 3),
    n_paragraphs=st.integers(1, 4),
)
def test_every_sentence_lands_in_exactly_one_bead_in_order(n, m, seed, max_bead, n_paragraphs) -> None:
    rng = np.random.default_rng(seed)
    ru = np.stack([unit(rng, 16) for _ in range(n)]) if n else np.zeros((0, 16), np.float32)
    en = np.stack([noisy(ru[i % n], rng, 1.0) if n else unit(rng, 16) for i in range(m)]) if m else np.zeros((0, 16))
    ru_par = sorted(rng.integers(0, n_paragraphs, n).tolist())
    en_par = sorted(rng.integers(0, n_paragraphs, m).tolist())
    links = best_links(
        ru,
        en.astype(np.float32),
        segments("ru", n, ru_par),
        segments("en", m, en_par),
        AlignOptions(max_bead=max_bead),
    )
    assert [i for link in links for i in link.ru] == list(range(n))
    assert [j for link in links for j in link.en] == list(range(m))
    assert all(len(link.ru) <= max_bead and len(link.en) <= max_bead for link in links)
    assert all(link.ru or link.en for link in links)


def test_a_long_document_searched_in_a_band_finds_the_same_path_as_the_full_search() -> None:
    rng = np.random.default_rng(7)
    ru = np.stack([unit(rng) for _ in range(120)])
    keep = [i for i in range(120) if i % 17 != 5]  # some RU sentences have no translation
    en = np.stack([noisy(ru[i], rng) for i in keep])
    ru_side, en_side = Side.of(ru, segments("ru", 120)), Side.of(en, segments("en", len(keep)))
    full = links_of(ru_side, en_side, AlignOptions())
    banded = links_of(ru_side, en_side, AlignOptions(full_search_cells=400))
    assert [(link.ru, link.en) for link in banded] == [(link.ru, link.en) for link in full]
    assert sum(1 for link in full if link.ru and not link.en) == 120 - len(keep)


def test_embedded_runs_of_sentences_are_used_for_merged_beads() -> None:
    rng = np.random.default_rng(8)
    ru = np.stack([unit(rng) for _ in range(4)])
    meaning_of_the_pair = unit(rng)  # what "sentences 1 and 2 together" mean: not the average of their vectors
    en = np.stack([noisy(ru[0], rng, 0.1), noisy(meaning_of_the_pair, rng, 0.1), noisy(ru[3], rng, 0.1)])
    ru_segments = segments("ru", 4)
    runs = merge_runs(ru_segments, 2)
    run_vectors = np.stack([meaning_of_the_pair if run == (1, 3) else unit(rng) for run in runs])

    with_runs = links_of(
        Side.of(ru, ru_segments, run_groups(runs, run_vectors, 4)), Side.of(en, segments("en", 3)), AlignOptions()
    )
    without = links_of(Side.of(ru, ru_segments), Side.of(en, segments("en", 3)), AlignOptions())
    assert kinds(with_runs) == ["1-1", "2-1", "1-1"]
    assert "2-1" not in kinds(without)


def test_runs_to_embed_stay_inside_paragraphs() -> None:
    sentences = segments("ru", 5, paragraphs=[0, 0, 0, 1, 2])
    assert merge_runs(sentences, 1) == []
    assert merge_runs(sentences, 2) == [(0, 2), (1, 3)]
    assert merge_runs(sentences, 3) == [(0, 2), (1, 3), (0, 3)]


def test_run_groups_put_each_run_on_the_row_of_its_last_sentence() -> None:
    vectors = np.eye(3, 4, dtype=np.float32)
    groups = run_groups([(0, 2), (1, 3), (0, 3)], vectors, 4)
    assert sorted(groups) == [2, 3]
    assert np.array_equal(groups[2][1], vectors[0]) and np.array_equal(groups[2][2], vectors[1])
    assert not groups[2][0].any() and not groups[2][3].any()
    assert np.array_equal(groups[3][2], vectors[2]) and not groups[3][[0, 1, 3]].any()


def inserted_one_by_one(beads: list[Bead], others: list[Segment]) -> list[Bead]:
    """The rule with_other_segments implements, written the slow, obvious way (quadratic): each other-language
    sentence, from the last, goes before the first bead that starts after it in its file."""
    result = list(beads)
    for other in sorted(others, key=lambda s: (s.file, s.start), reverse=True):
        keys = [first_start(bead, other.file) for bead in result]
        position = next((p for p, k in enumerate(keys) if k > other.start), len(result))
        result.insert(position, Bead(ru=(), en=(), score=0.0, other=(other,)))
    return result


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["ru", "en", "both"]), st.integers(0, 400)), max_size=25),
    st.lists(st.tuples(st.sampled_from(["a.txt", "b.txt"]), st.integers(0, 400)), max_size=12, unique=True),
)
def test_other_language_sentences_land_where_the_one_by_one_rule_puts_them(
    shapes: list[tuple[str, int]], placed: list[tuple[str, int]]
) -> None:
    def seg(file: str, start: int, lang: str) -> Segment:
        return Segment(file=file, start=start, end=start + 1, line=1, text="x", lang=lang, paragraph=0)

    taken = {start for _, start in placed}
    ru_at, en_at, beads = 0, 0, []
    for kind, step in shapes:  # monotonic per side, with one-sided beads of both sides interleaved
        ru_at, en_at = ru_at + 1 + step, en_at + 1 + step // 2
        ru = (seg("a.txt", 2 * ru_at + 1000, "ru"),) if kind in ("ru", "both") else ()
        en = (seg("b.txt" if step % 3 else "a.txt", 2 * en_at + 1001, "en"),) if kind in ("en", "both") else ()
        beads.append(Bead(ru=ru, en=en, score=0.5 if ru and en else 0.0))
    others = [seg(file, start * 2, "other") for file, start in placed if start * 2 not in taken]

    assert with_other_segments(beads, others) == inserted_one_by_one(beads, others)


def test_placing_other_language_sentences_is_not_quadratic() -> None:
    english = [Segment("a.txt", 10 * i + 5, 10 * i + 6, 1, "x", "en", 0) for i in range(40_000)]
    beads = [Bead(ru=(), en=(segment,), score=0.0) for segment in english]
    others = [Segment("a.txt", 10 * i, 10 * i + 1, 1, "o", "other", 0) for i in range(0, 400_000, 200)]

    placed = with_other_segments(beads, others)

    assert len(placed) == len(beads) + len(others)
    assert placed[0].other == (others[0],) and placed[1] is beads[0]


def test_a_pair_beside_a_sentence_left_untranslated_is_less_sure_than_one_among_pairs() -> None:
    rng = np.random.default_rng(7)
    ru = np.stack([unit(rng) for _ in range(5)])
    en_vectors = [noisy(v, rng, 0.1) for v in ru]
    en = np.stack(en_vectors[:2] + [unit(rng)] + en_vectors[2:])  # EN 2 is an addition: nothing matches it
    document = Document("d", "d.txt", "d.txt", ru=segments("ru", 5), en=segments("en", 6))
    beads = align_document(document, ru, en).beads
    assert [bead.kind for bead in beads] == ["1-1", "1-1", "0-1", "1-1", "1-1", "1-1"]
    first, beside, _, after, among, last = (bead.score for bead in beads)
    assert beside < among and after < among and min(first, among, last) > 0.9


def test_a_merged_pair_is_less_sure_than_a_one_to_one_pair_as_similar() -> None:
    rng = np.random.default_rng(8)
    ru = np.stack([unit(rng) for _ in range(4)])
    en = np.stack([noisy(v, rng, 0.1) for v in ru])
    document = Document("d", "d.txt", "d.txt", ru=segments("ru", 4), en=segments("en", 4))
    links = best_links(ru, en, document.ru, document.en, AlignOptions())
    merged = [Link((0, 1), (0,), links[1].score), *links[2:]]
    assert confidence(document, merged, 0, AlignOptions()) < confidence(document, links, 1, AlignOptions())


def test_a_bead_whose_rival_shape_scores_higher_is_less_sure() -> None:
    document = Document("d", "d.txt", "d.txt", ru=segments("ru", 3), en=segments("en", 3))
    clear = [Link((i,), (i,), 0.8, rival=0.3) for i in range(3)]
    rivalled = [clear[0], Link((1,), (1,), 0.8, rival=1.0), clear[2]]
    assert confidence(document, rivalled, 1, AlignOptions()) < confidence(document, clear, 1, AlignOptions()) - 0.01


UNRELATED_RU = [
    "Кошка спит на диване.",
    "Вчера шёл сильный дождь.",
    "Мы поехали в город за продуктами.",
]
UNRELATED_EN = [
    "Stock markets fell sharply on Tuesday.",
    "\u202eThe committee approved the budget.",  # a right-to-left override does not make it any closer
    "Penguins live in Antarctica.",
]  # before confidence was recalibrated, the first two were paired at 0.60


def test_unrelated_texts_are_never_paired_with_more_than_even_confidence(tmp_path) -> None:
    from typer.testing import CliRunner

    from align.cli import app

    (tmp_path / "a.ru.txt").write_text("\n\n".join(UNRELATED_RU), encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("\n\n".join(UNRELATED_EN), encoding="utf-8")
    out = tmp_path / "out"
    command = ["pair", str(tmp_path / "a.ru.txt"), str(tmp_path / "a.en.txt"), "--out", str(out), "--format", "jsonl"]
    result = CliRunner().invoke(app, [*command, "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    beads = [json.loads(line) for line in (out / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(bead["score"] <= 0.5 for bead in beads), [(b["score"], b["ru"]["text"], b["en"]["text"]) for b in beads]
    assert "\u202eThe committee approved the budget." in [bead["en"]["text"] for bead in beads]  # text kept exact


def test_a_partly_translated_page_keeps_its_few_pairs_confident(tmp_path) -> None:
    from typer.testing import CliRunner

    from align.cli import app

    english = [
        "The river froze early this year.",
        "Farmers in the north expect a poor harvest.",
        "The new bridge opens in March.",
        "Tickets for the festival sold out in an hour.",
        "The museum will close for repairs.",
        "Scientists found a new species of frog.",
    ]
    page = tmp_path / "page.txt"  # one sentence of six translated: few sentences pair, and that pair is sure
    page.write_text("\n\n".join([*english, "Новый мост откроется в марте."]), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(page), "--out", str(out), "-f", "jsonl", "--no-cache", "-q"])
    assert result.exit_code == 0, result.output
    beads = [json.loads(line) for line in (out / "page.jsonl").read_text(encoding="utf-8").splitlines()]
    (pair,) = [bead for bead in beads if bead["kind"] == "1-1"]
    assert pair["en"]["text"] == "The new bridge opens in March." and pair["score"] > 0.9, pair


def scorer_of(ru: np.ndarray, en: np.ndarray, ru_hood: np.ndarray, en_hood: np.ndarray) -> Scorer:
    return Scorer(
        Side.of(ru, segments("ru", len(ru))), Side.of(en, segments("en", len(en))), AlignOptions(), ru_hood, en_hood
    )


def test_a_score_asked_again_is_the_one_computed_and_cannot_be_changed_by_its_caller():
    rng = np.random.default_rng(3)
    ru = np.stack([unit(rng) for _ in range(4)])
    en = np.stack([unit(rng) for _ in range(5)])
    scorer = scorer_of(ru, en, np.full(4, 0.1), np.full(5, 0.2))
    first = scorer.scores(1, 1, 2, 0, 4)
    again = scorer.scores(1, 1, 2, 0, 4)
    assert again is first and not again.flags.writeable
    fresh = scorer_of(ru, en, np.full(4, 0.1), np.full(5, 0.2)).scores(1, 1, 2, 0, 4)
    assert np.array_equal(first, fresh)
    expected = en @ ru[2] + 0.5 * (en @ ru[2] - (0.1 + 0.2) / 2)
    assert np.allclose(first, expected)


def test_a_sentence_with_no_neighbours_to_compare_with_scores_its_plain_cosine():
    rng = np.random.default_rng(4)
    ru = np.stack([unit(rng) for _ in range(3)])
    en = np.stack([unit(rng) for _ in range(3)])
    scorer = scorer_of(ru, en, np.array([np.nan, 0.1, 0.1]), np.full(3, 0.1))
    assert not scorer.finite
    assert np.allclose(scorer.scores(1, 1, 0, 0, 2), en @ ru[0])  # NaN margin: none
    assert scorer_of(ru, en, np.full(3, 0.1), np.full(3, 0.1)).finite


def tyre_shop(score: float) -> tuple[Document, list[Link]]:
    """A story whose English side lost the sentence that ends its second paragraph and whose Russian side lost the
    one that opens its third: the search paired the two across the paragraph break, at `score`."""
    ru_texts = [("Я распечатал страницу и принёс её в местный магазин.", 0), ("Не знаю, откуда он взял цену.", 1)]
    ru_texts += [("Он сказал, что из-за распечатки ему пришлось продать мне шины по её цене.", 2)]
    ru_texts += [("Он также был любезен.", 2)]
    en_texts = [("I printed out the page and took it to my local shop.", 0)]
    en_texts += [("The guy at the shop checked things out and the price was higher than my printout.", 1)]
    en_texts += [("He was gracious about it too.", 2)]
    document = Document("tyres", "t.ru.txt", "t.en.txt")
    document.ru = [
        Segment("t.ru.txt", k, k + 1, 1, text, "ru", paragraph) for k, (text, paragraph) in enumerate(ru_texts)
    ]
    document.en = [
        Segment("t.en.txt", k, k + 1, 1, text, "en", paragraph) for k, (text, paragraph) in enumerate(en_texts)
    ]
    links = [Link((0,), (0,), 1.0), Link((1,), (), 0.0), Link((2,), (1,), score), Link((3,), (2,), 0.9)]
    return document, links


def test_a_weak_pair_across_a_paragraph_break_its_neighbour_does_not_cross_is_two_omissions() -> None:
    document, links = tyre_shop(0.6)
    assert [(link.ru, link.en) for link in uncrossed(document, links)] == [
        ((0,), (0,)),
        ((1,), ()),
        ((2,), ()),
        ((), (1,)),
        ((3,), (2,)),
    ]


def test_a_pair_across_a_paragraph_break_that_scores_like_a_translation_stays() -> None:
    document, links = tyre_shop(0.85)
    assert uncrossed(document, links) == links


def test_pairs_whose_paragraphs_correspond_stay_however_weak() -> None:
    document, links = tyre_shop(0.6)
    document.en[1] = dataclasses.replace(document.en[1], paragraph=2)  # the English pair now opens paragraph 2
    document.en[2] = dataclasses.replace(document.en[2], paragraph=2)
    document.ru[1] = dataclasses.replace(document.ru[1], paragraph=2)
    assert uncrossed(document, links) == links
