"""Condensed translations (align.condensed): a one-sided sentence inside a translated paragraph joins a pair of it
as a loose bead when the paragraph's translation covers it, with the real encoder; an omission stays one-sided."""

from __future__ import annotations

import dataclasses

import pytest

from align.condensed import (
    CONDENSED_MAX_PAIRED_CHARS,
    FREE_MAX_RUN,
    MAX_MEAN_PARAGRAPH_SENTENCES,
    RUN_MIN_PAIRED_SHARE,
    condensed,
    condensed_freely,
    paired_shares,
    paragraphed,
    passages_of,
    plausible_length,
)
from align.encoders.use import UseEncoder
from align.loose import FREE_MIN_LOOSE_BEADS, LOOSE_CONFIDENCE
from align.model import Alignment, Bead, Document, Segment

FIRST_RU, FIRST_EN = "Старик долго смотрел на море.", "The old man looked at the sea for a long time."
LAST_RU = "Он не видел лодки, которая плыла к берегу."
LAST_EN = "His eyes were not what they used to be, and he could not see the boat sailing to the shore."
FOLDED = "Глаза у него были уже не те."  # its content is in LAST_EN
OMITTED = "Цены на нефть снова выросли."  # as long as FOLDED: only what it says tells it apart


@pytest.fixture(scope="module")
def encoder() -> UseEncoder:
    return UseEncoder()


def text(segment: Segment) -> str:
    return segment.text


def segments(lang: str, texts: list[str], paragraphs: list[int] | None = None) -> list[Segment]:
    result, start = [], 0
    for k, sentence in enumerate(texts):
        paragraph = paragraphs[k] if paragraphs else 0
        result.append(Segment(f"x.{lang}.txt", start, start + len(sentence), 1, sentence, lang, paragraph))
        start += len(sentence) + 1
    return result


MORE_RU = ["Утром над заливом пошёл холодный дождь.", "Рыбаки в тот день остались дома."]
MORE_EN = ["In the morning a cold rain fell over the bay.", "The fishermen stayed at home that day."]


def alignment(middle: str, first_ru: str = FIRST_RU, first_en: str = FIRST_EN, paragraph: int = 0) -> Alignment:
    """A pair, a Russian sentence the search left one-sided (in paragraph `paragraph`), a pair: one paragraph;
    then a paragraph of two pairs, which gives the document its usual ratio of English to Russian length."""
    ru = segments("ru", [first_ru, middle, LAST_RU, *MORE_RU], [0, paragraph, 0, 1, 1])
    en = segments("en", [first_en, LAST_EN, *MORE_EN], [0, 0, 1, 1])
    beads = [Bead((ru[0],), (en[0],), 0.97), Bead((ru[1],), (), 0.0), Bead((ru[2],), (en[1],), 0.9)]
    beads += [Bead((ru[k + 3],), (en[k + 2],), 0.98) for k in range(len(MORE_RU))]
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def test_a_sentence_the_translation_says_inside_a_neighbour_joins_that_pair_as_a_loose_bead(
    encoder: UseEncoder,
) -> None:
    found = condensed(alignment(FOLDED), encoder.encode, text)
    assert [bead.kind for bead in found.beads] == ["1-1", "2-1", "1-1", "1-1"]
    joined = found.beads[1]
    assert [s.text for s in joined.ru] == [FOLDED, LAST_RU]  # the neighbour that says it, in text order
    assert joined.loose and joined.score == LOOSE_CONFIDENCE  # a loose-translation note in check, not an error
    assert not found.beads[0].loose


def test_an_omitted_sentence_stays_one_sided(encoder: UseEncoder) -> None:
    found = condensed(alignment(OMITTED), encoder.encode, text)
    assert [bead.kind for bead in found.beads] == ["1-1", "1-0", "1-1", "1-1", "1-1"]


def test_a_sentence_of_another_paragraph_is_left_to_the_search() -> None:
    assert passages_of(alignment(FOLDED, paragraph=2).beads) == []
    assert len(passages_of(alignment(FOLDED).beads)) == 1


def test_in_a_long_paragraph_one_sentence_proves_nothing(encoder: UseEncoder) -> None:
    """Past CONDENSED_MAX_PAIRED_CHARS of paired text a sentence moves the paragraph's cosine and length too little."""
    long_ru = " ".join([FIRST_RU] * (CONDENSED_MAX_PAIRED_CHARS // len(FIRST_RU) + 1))
    long_en = " ".join([FIRST_EN] * (CONDENSED_MAX_PAIRED_CHARS // len(FIRST_EN) + 1))
    found = condensed(alignment(FOLDED, long_ru, long_en), encoder.encode, text)
    assert [bead.kind for bead in found.beads] == ["1-1", "1-0", "1-1", "1-1", "1-1"]


def test_a_passage_that_would_make_the_paragraph_too_long_for_its_translation_is_no_condensation() -> None:
    ratio = sum(map(len, MORE_EN)) / sum(map(len, MORE_RU))  # the document's usual English to Russian length
    doubled = alignment(" ".join([LAST_RU, FIRST_RU, LAST_RU, FIRST_RU]))
    passage = passages_of(doubled.beads)[0]
    assert not plausible_length(doubled.beads, passage, ratio)
    assert plausible_length(alignment(FOLDED).beads, passage, ratio)


def test_pairs_the_aligner_doubts_and_loose_pairs_take_nothing_in() -> None:
    for bead in (Bead((), (), 0.5), Bead((), (), 0.45, loose=True)):
        found = alignment(FOLDED)
        for k in range(len(found.beads)):
            if found.beads[k].paired:
                found.beads[k] = Bead(found.beads[k].ru, found.beads[k].en, bead.score, loose=bead.loose)
        assert passages_of(found.beads) == []


def test_a_paragraph_too_long_to_judge_gives_no_passage_so_a_long_presplit_file_costs_one_pass() -> None:
    """A --presplit file without blank lines is one paragraph of thousands of pairs: its one-sided sentences are
    not passages (each would have gathered and sorted the whole paragraph, a cost growing with its square)."""
    long_ru = " ".join([FIRST_RU] * (CONDENSED_MAX_PAIRED_CHARS // len(FIRST_RU) + 1))
    long_en = " ".join([FIRST_EN] * (CONDENSED_MAX_PAIRED_CHARS // len(FIRST_EN) + 1))
    assert passages_of(alignment(FOLDED, long_ru, long_en).beads) == []


LOOSE_RU = ["Ветер стих к вечеру.", "Собака залаяла за сараем.", "Дети спали на печи.", "Мать пекла хлеб."]
LOOSE_EN = ["By evening all was calm.", "Somewhere a dog barked.", "The children were asleep.", "Bread was baking."]


def freely(middle: list[str], loose: int) -> Alignment:
    """A paragraph of two pairs with `middle` one-sided between them, then `loose` loose pairs, a paragraph each (a
    free translation's paragraphs paired by their place), then a paragraph of two pairs."""
    n, tail = len(middle), list(range(2, loose + 2))
    ru = segments("ru", [FIRST_RU, *middle, LAST_RU, *LOOSE_RU[:loose], *MORE_RU], [0] * (n + 2) + tail + [1, 1])
    en = segments("en", [FIRST_EN, LAST_EN, *LOOSE_EN[:loose], *MORE_EN], [0, 0, *tail, 1, 1])
    beads = [Bead((ru[0],), (en[0],), 0.97), *(Bead((s,), (), 0.0) for s in ru[1 : n + 1])]
    beads.append(Bead((ru[n + 1],), (en[1],), 0.9))
    beads += [Bead((ru[n + 2 + k],), (en[2 + k],), LOOSE_CONFIDENCE, loose=True) for k in range(loose)]
    beads += [Bead((ru[n + 2 + loose + k],), (en[2 + loose + k],), 0.98) for k in range(len(MORE_RU))]
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def test_in_a_free_translation_a_lone_one_sided_sentence_joins_the_neighbour_that_says_it(encoder: UseEncoder) -> None:
    """Dev bench, nothing deleted: nearly every such sentence of a literary translation is said in a neighbour's
    translation."""
    free = freely([FOLDED], FREE_MIN_LOOSE_BEADS)
    found = condensed_freely(free, encoder.encode, text)
    assert [b.kind for b in found.beads][:2] == ["1-1", "2-1"]
    assert [s.text for s in found.beads[1].ru] == [FOLDED, LAST_RU] and found.beads[1].loose


def test_the_cost_in_a_free_translation_a_lone_omitted_sentence_is_taken_in_too(encoder: UseEncoder) -> None:
    free = freely([OMITTED], FREE_MIN_LOOSE_BEADS)
    assert "1-0" in [b.kind for b in condensed(free, encoder.encode, text).beads]  # the literal pass keeps it
    found = condensed_freely(free, encoder.encode, text)
    assert "1-0" not in [b.kind for b in found.beads]  # noted as a loose translation, not reported untranslated


def test_a_literal_translation_keeps_its_one_sided_sentences(encoder: UseEncoder) -> None:
    literal = freely([FOLDED], FREE_MIN_LOOSE_BEADS - 1)
    assert condensed_freely(literal, encoder.encode, text).beads == literal.beads


def test_in_a_free_translation_a_passage_of_two_sentences_joins_its_paragraph_pair(encoder: UseEncoder) -> None:
    """Not as a lone sentence (a passage of two may be an omission beside a pair), but because its paragraph's
    pairs all lead to one paragraph that is as long as the whole of it (align.paragraph_pairs)."""
    two = freely([FOLDED, OMITTED], FREE_MIN_LOOSE_BEADS)
    found = condensed_freely(two, encoder.encode, text)
    assert [b.kind for b in found.beads][:2] == ["2-1", "2-1"]
    assert all(b.loose for b in found.beads[:2])


def test_in_a_free_translation_a_loose_pair_takes_its_neighbour_in(encoder: UseEncoder) -> None:
    free = freely([FOLDED], FREE_MIN_LOOSE_BEADS)
    free.beads[2] = dataclasses.replace(free.beads[2], score=LOOSE_CONFIDENCE, loose=True)
    found = condensed_freely(free, encoder.encode, text)
    assert [s.text for s in found.beads[1].ru] == [FOLDED, LAST_RU]


def paragraph_end(first_ru: str, run: list[str]) -> Alignment:
    """A paragraph whose first sentence is paired and whose last sentences are one-sided, the English paragraph
    wholly paired and far shorter (no paragraph pair that fits: align.paragraph_pairs leaves it), then loose pairs
    that make the document a free translation and a paragraph of sure pairs."""
    loose = FREE_MIN_LOOSE_BEADS
    n, tail = len(run), list(range(2, loose + 2))
    ru = segments("ru", [first_ru, *run, *LOOSE_RU[:loose], *MORE_RU], [0] * (n + 1) + tail + [1, 1])
    en = segments("en", [FIRST_EN, *LOOSE_EN[:loose], *MORE_EN], [0, *tail, 1, 1])
    beads = [Bead((ru[0],), (en[0],), 0.97), *(Bead((s,), (), 0.0) for s in ru[1 : n + 1])]
    beads += [Bead((ru[n + 1 + k],), (en[1 + k],), LOOSE_CONFIDENCE, loose=True) for k in range(loose)]
    beads += [Bead((ru[n + 1 + loose + k],), (en[1 + loose + k],), 0.98) for k in range(len(MORE_RU))]
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def test_in_a_free_translation_up_to_three_sentences_beside_a_pair_of_their_paragraph_join_it(
    encoder: UseEncoder,
) -> None:
    run = [FOLDED, OMITTED, "Собака залаяла за сараем."][:FREE_MAX_RUN]
    free = paragraph_end(FIRST_RU, run)
    assert paired_shares(free.beads)[("ru", "x.ru.txt", 0)] >= RUN_MIN_PAIRED_SHARE
    found = condensed_freely(free, encoder.encode, text)
    assert ([s.text for s in found.beads[0].ru], found.beads[0].loose) == ([FIRST_RU, *run], True)


def test_a_run_in_a_paragraph_mostly_unpaired_stays_one_sided(encoder: UseEncoder) -> None:
    """A deleted paragraph one sentence of which the search paired with a neighbour's translation."""
    free = paragraph_end("Тихо.", [FOLDED, OMITTED, "Собака залаяла за сараем."][:FREE_MAX_RUN])
    assert paired_shares(free.beads)[("ru", "x.ru.txt", 0)] < RUN_MIN_PAIRED_SHARE
    found = condensed_freely(free, encoder.encode, text)
    assert [b.kind for b in found.beads[: FREE_MAX_RUN + 1]] == ["1-1"] + ["1-0"] * FREE_MAX_RUN


def test_with_one_paragraph_a_file_a_lone_omitted_sentence_stays_one_sided(encoder: UseEncoder) -> None:
    """--presplit input without empty lines is one paragraph a file: there every one-sided sentence lies beside
    a pair of its paragraph, which proves nothing (paragraphed)."""
    free = freely([OMITTED], FREE_MIN_LOOSE_BEADS)
    flat = {id(s): dataclasses.replace(s, paragraph=0) for s in free.document.ru + free.document.en}
    filler = [(f"Прошёл {k + 2}-й день.", f"Day {k + 2} went by.") for k in range(2 * MAX_MEAN_PARAGRAPH_SENTENCES)]
    ru = [flat[id(s)] for s in free.document.ru] + after(free.document.ru, segments("ru", [r for r, _ in filler]))
    en = [flat[id(s)] for s in free.document.en] + after(free.document.en, segments("en", [e for _, e in filler]))
    beads = [
        dataclasses.replace(b, ru=tuple(flat[id(s)] for s in b.ru), en=tuple(flat[id(s)] for s in b.en))
        for b in free.beads
    ]
    beads += [
        Bead((r,), (e,), 0.97) for r, e in zip(ru[len(free.document.ru) :], en[len(free.document.en) :], strict=True)
    ]
    one_paragraph = Alignment(dataclasses.replace(free.document, ru=ru, en=en), beads)
    assert not paragraphed(one_paragraph.document) and paragraphed(free.document)
    found = condensed_freely(one_paragraph, encoder.encode, text)
    assert "1-0" in [b.kind for b in found.beads]


def after(side: list[Segment], more: list[Segment]) -> list[Segment]:
    """`more` moved to follow the last sentence of `side` in its file."""
    shift = side[-1].end + 1
    return [dataclasses.replace(s, start=s.start + shift, end=s.end + shift) for s in more]


MESSAGES = [  # an admin interface's messages, one a line with no empty line between (a --presplit catalog)
    ("Добавить", "Add"),
    ("Изменить", "Change"),
    ("Удалить", "Delete"),
    ("История", "History"),
    ("Смотреть на сайте", "View on site"),
    ("Фильтр", "Filter"),
    ("Очистить все фильтры", "Clear all filters"),
    ("Сохранить", "Save"),
    ("Сохранить и добавить другой объект", "Save and add another"),
    ("Сохранить и продолжить редактирование", "Save and continue editing"),
    ("Сохранить как новый объект", "Save as new"),
    ("Закрыть", "Close"),
    ("Выйти", "Log out"),
]


def test_a_catalog_of_one_message_a_line_has_no_headings_to_pair(encoder: UseEncoder) -> None:
    """Messages end in no punctuation, as headings do, but a file that is one paragraph has no headings: a message
    dropped on each side between two pairs stays one-sided on each side, not one loose bead of two unrelated
    messages (the Django catalogs of bench/textberg.py lost 0.016 of strict F1 to that)."""
    ru_texts = [ru for ru, _ in MESSAGES[:6]] + ["Документация"] + [ru for ru, _ in MESSAGES[6:]]
    en_texts = [en for _, en in MESSAGES[:6]] + ["Recent actions"] + [en for _, en in MESSAGES[6:]]
    ru = [Segment("x.ru.txt", k, k + 1, k + 1, t, "ru", 0) for k, t in enumerate(ru_texts)]
    en = [Segment("x.en.txt", k, k + 1, k + 1, t, "en", 0) for k, t in enumerate(en_texts)]
    pairs = [Bead((ru[k],), (en[k],), 0.95) for k in range(6)]
    rest = [Bead((ru[k],), (en[k],), 0.95) for k in range(7, len(ru))]
    aligned = Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), [*pairs, Bead((ru[6],), (), 0.0)])
    aligned = dataclasses.replace(aligned, beads=[*aligned.beads, Bead((), (en[6],), 0.0), *rest])
    assert not paragraphed(aligned.document)

    assert condensed_freely(aligned, encoder.encode, text).beads == aligned.beads
