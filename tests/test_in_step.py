"""In-step paragraphs (align.in_step): in a free translation, lines of dialogue the search paired one paragraph off
are paired paragraph by paragraph when each matches the one in its place (the real encoder); two omissions of
opposite languages around a pair one paragraph off stay one-sided."""

from __future__ import annotations

import pytest

from align.checks.options import CheckOptions
from align.checks.untranslated import untranslated_passages
from align.condensed import length_ratios
from align.encoders.use import UseEncoder
from align.gap_paragraphs import gap_paragraphs_paired
from align.in_step import in_step_paragraphs
from align.loose import LOOSE_CONFIDENCE
from align.model import Alignment, Bead, Document, Segment
from tests.test_matched_gaps import segments, text  # sentences of numbered paragraphs; their plain text
from tests.test_paragraph_pairs import FREE_EN, FREE_RU, SURE_EN, SURE_RU


@pytest.fixture(scope="module")
def encoder() -> UseEncoder:
    return UseEncoder()


BEFORE = ("На следующей планете жил пьяница.", "The next planet was inhabited by a tippler.")
AFTER = (
    "— О чём забыть? — спросил Маленький принц; ему стало жаль пьяницу.",
    "“Forget what?” inquired the little prince, who already was sorry for him.",
)
# le_petit_prince (bilinguator_dev, complete): paragraphs 1-4 of each side, Russian paragraph 1 of two sentences.
TIPPLER_RU = [
    "Когда он явился на эту планету, пьяница молча сидел и смотрел на выстроившиеся перед ним полчища бутылок — "
    "пустых и полных.",
    "— Что это ты делаешь? — спросил Маленький принц.",
    "— Пью, — мрачно ответил пьяница.",
    "— Зачем?",
    "— Чтобы забыть.",
]
TIPPLER_RU_PARAGRAPHS = [1, 1, 2, 3, 4]
TIPPLER_EN = [
    "“What are you doing there?” he said to the tippler, whom he found settled down in silence before a collection "
    "of empty bottles and also a collection of full bottles.",
    "“I am drinking,” replied the tippler, with a lugubrious air.",
    "“Why are you drinking?” demanded the little prince.",
    "“So that I may forget,” replied the tippler.",
]


def document(
    ru_texts: list[str], ru_paragraphs: list[int], en_texts: list[str], en_paragraphs: list[int], beads_of
) -> Alignment:
    """A pair (paragraph 0), the window's sentences with beads given by `beads_of(ru, en)`, a pair (paragraph 5),
    then sure pairs and the loose pairs that make the document a free translation, each in a paragraph of its own."""
    tail_ru, tail_en = [AFTER[0], *SURE_RU, *FREE_RU], [AFTER[1], *SURE_EN, *FREE_EN]
    tail_paragraphs = list(range(5, 5 + len(tail_ru)))
    ru = segments("ru", [BEFORE[0], *ru_texts, *tail_ru], [0, *ru_paragraphs, *tail_paragraphs])
    en = segments("en", [BEFORE[1], *en_texts, *tail_en], [0, *en_paragraphs, *tail_paragraphs])
    beads = [Bead((ru[0],), (en[0],), 0.99), *beads_of(ru[1 : 1 + len(ru_texts)], en[1 : 1 + len(en_texts)])]
    for k in range(len(tail_ru)):
        free = k > len(SURE_RU)
        beads.append(
            Bead(
                (ru[1 + len(ru_texts) + k],),
                (en[1 + len(en_texts) + k],),
                LOOSE_CONFIDENCE if free else 0.97,
                loose=free,
            )
        )
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def one_off(ru: list[Segment], en: list[Segment]) -> list[Bead]:
    """What the search made of it: the question paired with the next line's, each reply with the next question."""
    return [
        Bead((ru[0],), (en[0],), LOOSE_CONFIDENCE, loose=True),
        Bead((), (en[1],), 0.0),
        Bead((ru[1],), (en[2],), 0.99),
        Bead((ru[2],), (en[3],), 0.89),
        Bead((ru[3],), (), 0.0),
        Bead((ru[4],), (), 0.0),
    ]


def tippler() -> Alignment:
    return document(TIPPLER_RU, TIPPLER_RU_PARAGRAPHS, TIPPLER_EN, [1, 2, 3, 4], one_off)


def test_dialogue_paired_one_paragraph_off_is_paired_in_step(encoder: UseEncoder) -> None:
    found = in_step_paragraphs(tippler(), encoder.encode, text)
    window = found.beads[1:5]
    assert [[s.paragraph for s in b.ru + b.en] for b in window] == [[1, 1, 1], [2, 2], [3, 3], [4, 4]]
    assert all(b.loose and b.score == LOOSE_CONFIDENCE for b in window)
    assert untranslated_passages(found, CheckOptions(require="both")) == []


def test_the_gap_pass_pairs_the_window_in_step_first(encoder: UseEncoder) -> None:
    aligned = tippler()
    found = gap_paragraphs_paired(aligned, length_ratios(aligned.beads)["ru"], encoder.encode, text)
    assert untranslated_passages(found, CheckOptions(require="both")) == []


OMITTED_RU = "Цены на нефть снова выросли, и правительство пообещало, что бензин к зиме не подорожает."
OMITTED_EN = "The stock exchanges of Europe closed lower, and the dollar fell half a percent against the euro."


def around(ru: list[Segment], en: list[Segment]) -> list[Bead]:
    """An English paragraph without its Russian, the next pair one paragraph off, a Russian one without its English."""
    return [Bead((), (en[0],), 0.0), Bead((ru[0],), (en[1],), 0.99), Bead((ru[1],), (), 0.0)]


def test_two_omissions_around_a_pair_one_paragraph_off_stay_one_sided(encoder: UseEncoder) -> None:
    aligned = document([TIPPLER_RU[2], OMITTED_RU], [1, 2], [OMITTED_EN, TIPPLER_EN[1]], [1, 2], around)
    assert in_step_paragraphs(aligned, encoder.encode, text).beads == aligned.beads


def test_outside_a_free_translation_nothing_moves(encoder: UseEncoder) -> None:
    aligned = tippler()
    beads = [Bead(b.ru, b.en, 0.97) if b.loose else b for b in aligned.beads]
    plain = Alignment(aligned.document, beads)
    assert in_step_paragraphs(plain, encoder.encode, text).beads == beads


# instytutka (bilinguator_dev, complete): the grandmother's reply, its first line paired with the whole English
# paragraph at a confidence unrelated-looking texts reach (so align.paragraph_pairs leaves it), the second left alone.
CONSOLING_RU = ["— Чего плакать, моё дитятко, — уговаривает она её.", "— Полно же, полно!"]
CONSOLING_EN = ["“What have you to cry for?", "Come now, stop it!”"]


def consoling(ru: list[Segment], en: list[Segment]) -> list[Bead]:
    return [Bead((ru[0],), (en[0], en[1]), 0.47), Bead((ru[1],), (), 0.0)]


def test_a_paragraph_pair_with_a_line_left_alone_becomes_one_loose_bead(encoder: UseEncoder) -> None:
    aligned = document(CONSOLING_RU, [1, 1], CONSOLING_EN, [1, 1], consoling)
    found = in_step_paragraphs(aligned, encoder.encode, text)
    assert (found.beads[1].kind, found.beads[1].loose) == ("2-2", True)
    assert untranslated_passages(found, CheckOptions(require="both")) == []


def test_a_paragraph_pair_of_unrelated_texts_keeps_its_one_sided_line(encoder: UseEncoder) -> None:
    aligned = document(
        [OMITTED_RU, CONSOLING_RU[1]],
        [1, 1],
        [OMITTED_EN],
        [1],
        lambda ru, en: [Bead((ru[0],), (en[0],), 0.47), Bead((ru[1],), (), 0.0)],
    )
    assert in_step_paragraphs(aligned, encoder.encode, text).beads == aligned.beads
