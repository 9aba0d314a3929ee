"""Matched gaps (align.matched_gaps): a gap between two pairs whose Russian and English, each read as a whole, say
the same becomes one loose bead, with the real encoder; omissions side by side stay one-sided."""

from __future__ import annotations

import pytest

from align.encoders.use import UseEncoder
from align.loose import LOOSE_CONFIDENCE
from align.matched_gaps import fits, gaps_of, matched_gaps
from align.model import Alignment, Bead, Document, Segment

BEFORE = ("Пиноккио вышел на берег.", "Pinocchio went up on the shore.")
AFTER = ("Рыбаки засмеялись ещё громче.", "The fishermen laughed even louder.")
REGROUPED_RU = ["— Ну?", "— Зачем вы мне рассказывали эту глупую сказку про акулу?"]  # two paragraphs
REGROUPED_EN = ["“Well? Why did you tell me that silly story about the shark?”"]  # one
OMITTED_RU = ["Цены на нефть снова выросли.", "Завод закрыли на ремонт до весны."]
OMITTED_EN = ["The match ended in a draw after extra time, and the fans went home quietly."]


@pytest.fixture(scope="module")
def encoder() -> UseEncoder:
    return UseEncoder()


def text(segment: Segment) -> str:
    return segment.text


def segments(lang: str, texts: list[str], paragraphs: list[int]) -> list[Segment]:
    result, start = [], 0
    for sentence, paragraph in zip(texts, paragraphs, strict=True):
        result.append(Segment(f"x.{lang}.txt", start, start + len(sentence), 1, sentence, lang, paragraph))
        start += len(sentence) + 1
    return result


def alignment(gap_ru: list[str], gap_en: list[str], ru_paragraphs: list[int], closed: bool = True) -> Alignment:
    """A pair, the gap's Russian and English sentences one-sided (Russian in paragraphs 1 + ru_paragraphs[k]),
    then a pair unless not `closed`."""
    ru_texts = [BEFORE[0], *gap_ru] + ([AFTER[0]] if closed else [])
    en_texts = [BEFORE[1], *gap_en] + ([AFTER[1]] if closed else [])
    ru = segments("ru", ru_texts, [0, *(1 + p for p in ru_paragraphs)] + ([9] if closed else []))
    en = segments("en", en_texts, [0] + [1] * len(gap_en) + ([9] if closed else []))
    beads = [Bead((ru[0],), (en[0],), 0.97)]
    beads += [Bead((s,), (), 0.0) for s in ru[1 : 1 + len(gap_ru)]] + [
        Bead((), (s,), 0.0) for s in en[1 : 1 + len(gap_en)]
    ]
    if closed:
        beads.append(Bead((ru[-1],), (en[-1],), 0.96))
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def test_a_regrouped_passage_between_two_pairs_becomes_one_loose_bead(encoder: UseEncoder) -> None:
    found = matched_gaps(alignment(REGROUPED_RU, REGROUPED_EN, [0, 1]), encoder.encode, text)
    assert [bead.kind for bead in found.beads] == ["1-1", "2-1", "1-1"]
    assert [s.text for s in found.beads[1].ru] == REGROUPED_RU  # in text order
    assert found.beads[1].loose and found.beads[1].score == LOOSE_CONFIDENCE


def test_omissions_side_by_side_say_different_things_and_stay_one_sided(encoder: UseEncoder) -> None:
    gapped = alignment(OMITTED_RU, OMITTED_EN, [0, 1])
    gap = gaps_of(gapped.beads)[0]  # a gap of the right shape and length: only what it says keeps it apart
    assert fits(gap, len(BEFORE[1] + AFTER[1]) / len(BEFORE[0] + AFTER[0]))
    assert [bead.kind for bead in matched_gaps(gapped, encoder.encode, text).beads] == [
        "1-1",
        "1-0",
        "1-0",
        "0-1",
        "1-1",
    ]


def test_one_paragraph_facing_one_is_left_to_loose_pairs_and_check() -> None:
    assert gaps_of(alignment(REGROUPED_RU, REGROUPED_EN, [0, 0]).beads) == []


def test_a_gap_at_the_end_of_the_document_is_no_gap() -> None:
    assert gaps_of(alignment(REGROUPED_RU, REGROUPED_EN, [0, 1], closed=False).beads) == []


def test_a_third_language_sentence_ends_the_gap() -> None:
    gapped = alignment(REGROUPED_RU, REGROUPED_EN, [0, 1])
    sentence = gapped.beads[1].ru[0]
    gapped.beads[1] = Bead((), (), 0.0, other=(sentence,))
    assert gaps_of(gapped.beads) == []


def test_a_gap_whose_english_is_far_shorter_than_its_russian_would_be_does_not_fit() -> None:
    ratio = len(BEFORE[1] + AFTER[1]) / len(BEFORE[0] + AFTER[0])
    assert fits(gaps_of(alignment(REGROUPED_RU, REGROUPED_EN, [0, 1]).beads)[0], ratio)
    short = gaps_of(alignment(REGROUPED_RU * 3, REGROUPED_EN, [0, 1, 1, 1, 1, 1]).beads)[0]
    assert not fits(short, ratio)


def test_with_presplit_no_matched_gap_spans_an_empty_line(encoder: UseEncoder, tmp_path) -> None:
    """--presplit promises that an empty line is a paragraph break no bead spans (README, align.readers.presplit):
    the two Russian lines around one stay apart there, while the same files read as prose give the loose bead."""
    from align.load import Input
    from align.pipeline import Pipeline

    ru = ["Старик долго смотрел на море.", "", "Утром над заливом пошёл холодный дождь.", ""]
    en = ["The old man looked at the sea for a long time.", "", "In the morning a cold rain fell over the bay.", ""]
    ru += ["Я понял: возле меня кто-то есть…", "", "Все в доме давно уснули.", "", "Рыбаки в тот день остались дома."]
    en += ["And though the whole house had long been asleep, I sensed someone right beside me."]
    en += ["", "The fishermen stayed at home that day."]
    (tmp_path / "v.ru.txt").write_text("\n".join(ru) + "\n", encoding="utf-8")
    (tmp_path / "v.en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    item = Input("v", (str(tmp_path / "v.ru.txt"), str(tmp_path / "v.en.txt")))

    def lines(presplit: bool) -> list[tuple[tuple[int, ...], tuple[int, ...], bool]]:
        pipeline = Pipeline(encoder, presplit=presplit)
        alignment = pipeline.align(pipeline.document(item))
        for side in ("ru", "en"):  # every sentence in one bead, in order
            assert [s for b in alignment.beads for s in getattr(b, side)] == getattr(alignment.document, side)
        return [(tuple(s.line for s in b.ru), tuple(s.line for s in b.en), b.loose) for b in alignment.beads]

    assert ((5, 7), (5,), True) in lines(presplit=False)
    assert all(len(ru) <= 1 for ru, _, _ in lines(presplit=True))
