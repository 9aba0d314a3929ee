"""Paragraph pairs (align.paragraph_pairs): in a free translation, a sentence left one-sided inside a paragraph whose
pairs all lead to one paragraph of the other language, and back, joins that paragraph pair as a loose bead; a
paragraph mostly unpaired, or one whose pairs lead to two paragraphs, keeps its one-sided sentences. A gap of as
many paragraphs each side is paired paragraph by paragraph when they match (the real encoder)."""

from __future__ import annotations

import dataclasses

from align.align import UNRELATED_MAX_CONFIDENCE
from align.checks.options import CheckOptions
from align.checks.untranslated import loose_translations, untranslated_passages
from align.condensed import length_ratios
from align.loose import LOOSE_CONFIDENCE
from align.model import Alignment, Bead, Document, Segment
from align.paragraph_pairs import PAIRED_MIN_SHARE, fitting_paragraph_pairs, paragraph_pairs_joined
from tests.test_matched_gaps import segments  # sentences of numbered paragraphs

# Three loose pairs (paragraphs the aligner paired as a whole) make the document a free translation.
FREE_RU = ["Что было, то было.", "У тебя не все дома.", "Дело в шляпе."]
FREE_EN = ["The past is the past.", "You've lost your marbles.", "It's in the bag."]
# Pairs of their own paragraphs give the document its usual ratio of English to Russian length.
SURE_RU = ["Утром над заливом пошёл холодный дождь.", "Рыбаки в тот день остались дома."]
SURE_EN = ["In the morning a cold rain fell over the bay.", "The fishermen stayed at home that day."]


def document(ru_paragraph: list[str], en_paragraph: list[str], beads_of, loose: bool = True) -> Alignment:
    """The story paragraph (paragraph 0 of each side, beads given by `beads_of(ru, en)`), then the sure pairs and
    the loose pairs, each in a paragraph of its own."""
    tail_ru, tail_en = SURE_RU + FREE_RU, SURE_EN + FREE_EN
    ru = segments("ru", ru_paragraph + tail_ru, [0] * len(ru_paragraph) + list(range(1, len(tail_ru) + 1)))
    en = segments("en", en_paragraph + tail_en, [0] * len(en_paragraph) + list(range(1, len(tail_en) + 1)))
    beads = beads_of(ru, en)
    first_ru, first_en = len(ru_paragraph), len(en_paragraph)
    for k in range(len(tail_ru)):
        free = k >= len(SURE_RU)
        score = LOOSE_CONFIDENCE if free else 0.97
        beads.append(Bead((ru[first_ru + k],), (en[first_en + k],), score, loose=free and loose))
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


FOLDED_RU = ["— Жалко?", "— спросила она, глядя в окно.", "Кругом тишина…"]
FOLDED_EN = ["“A pity, isn't it?” she asked, looking out of the window.", "There is silence all around."]


def folded(ru: list[Segment], en: list[Segment]) -> list[Bead]:
    """The search paired the question's tag and the silence, and left the short question and nothing else."""
    return [Bead((ru[0],), (), 0.0), Bead((ru[1],), (en[0],), 0.83), Bead((ru[2],), (en[1],), 0.9)]


def test_a_short_line_the_translation_folds_into_its_neighbour_joins_the_paragraph_pair() -> None:
    aligned = document(FOLDED_RU, FOLDED_EN, folded)
    found = paragraph_pairs_joined(aligned, length_ratios(aligned.beads)["ru"])
    first = found.beads[0]
    assert [s.text for s in first.ru] == FOLDED_RU[:2] and [s.text for s in first.en] == FOLDED_EN[:1]
    assert first.loose and first.score == LOOSE_CONFIDENCE
    assert not found.beads[1].loose  # the other pair of the paragraph is untouched
    assert len(found.beads) == len(aligned.beads) - 1
    assert untranslated_passages(found, CheckOptions(require="both")) == []
    assert loose_translations(found, CheckOptions(require="both"))  # a note, not an error


def facing(ru: list[Segment], en: list[Segment]) -> list[Bead]:
    """A 0-1 next to a 1-0 between two pairs, both of the paragraph pair."""
    return [
        Bead((ru[0],), (en[0],), 0.9),
        Bead((), (en[1],), 0.0),
        Bead((ru[1],), (), 0.0),
        Bead((ru[2],), (en[2],), 0.9),
    ]


def test_a_0_1_facing_a_1_0_inside_the_paragraph_pair_each_join_the_nearer_pair() -> None:
    ru = ["Он взобрался на табурет и осмотрел стену.", "Она была как свинцовая.", "Мог ли он успокоиться?"]
    en = [
        "He stood on the stool and examined the wall.",
        "His blows had little effect on the thick wall.",
        "Could he rest?",
    ]
    aligned = document(ru, en, facing)
    found = paragraph_pairs_joined(aligned, length_ratios(aligned.beads)["ru"])
    assert [bead.kind for bead in found.beads[:2]] == ["1-2", "2-1"]
    assert found.beads[0].loose and found.beads[1].loose
    assert untranslated_passages(found, CheckOptions(require="both")) == []


OMITTED_RU = [
    "Он кивнул.",
    "Цены на нефть снова выросли, и правительство пообещало, что бензин к зиме не подорожает.",
    "Биржи Европы закрылись в минусе, а доллар подешевел к евро на полпроцента.",
]


def omitted(ru: list[Segment], en: list[Segment]) -> list[Bead]:
    return [Bead((ru[0],), (en[0],), 0.8), Bead((ru[1],), (), 0.0), Bead((ru[2],), (), 0.0)]


def test_a_paragraph_mostly_unpaired_keeps_its_one_sided_sentences() -> None:
    aligned = document(OMITTED_RU, ["He nodded."], omitted)
    paired = len(OMITTED_RU[0]) / sum(len(text) for text in OMITTED_RU)
    assert paired < PAIRED_MIN_SHARE
    found = paragraph_pairs_joined(aligned, length_ratios(aligned.beads)["ru"])
    assert found.beads == aligned.beads
    assert len(untranslated_passages(found, CheckOptions(require="both"))) == 1


def test_a_paragraph_whose_pairs_lead_to_two_paragraphs_is_no_paragraph_pair() -> None:
    aligned = document(FOLDED_RU, FOLDED_EN, folded)
    beads = list(aligned.beads)
    beads[2] = Bead(beads[2].ru, beads[2].en + (aligned.document.en[2],), 0.9)  # the silence's pair takes paragraph 1
    beads[3] = Bead(beads[3].ru, (), 0.0)
    aligned = Alignment(aligned.document, beads)
    assert paragraph_pairs_joined(aligned, length_ratios(beads)["ru"]).beads == beads


def test_outside_a_free_translation_nothing_moves() -> None:
    aligned = document(FOLDED_RU, FOLDED_EN, folded, loose=False)
    assert paragraph_pairs_joined(aligned, length_ratios(aligned.beads)["ru"]).beads == aligned.beads


def test_a_paragraph_whose_one_sided_sentence_makes_it_as_long_as_its_wholly_paired_partner_joins_it() -> None:
    """Under PAIRED_MIN_SHARE paired, but its partner is wholly paired and only with the one-sided sentence are the
    two as long as the document's ratio expects (COMPLETED_MAX_LENGTH_MISFIT)."""
    ru = ["Она кивнула и вышла.", "Больше в тот вечер никто о нём не говорил ни слова."]
    en = ["She nodded and went out, and no one spoke of him again that evening."]
    paired = Bead((), (), LOOSE_CONFIDENCE, loose=True)  # a loose pair: its lengths leave the document's ratio alone
    aligned = document(
        ru, en, lambda r, e: [dataclasses.replace(paired, ru=(r[0],), en=(e[0],)), Bead((r[1],), (), 0.0)]
    )
    assert len(ru[0]) / len(" ".join(ru)) < PAIRED_MIN_SHARE
    found = paragraph_pairs_joined(aligned, length_ratios(aligned.beads)["ru"])
    assert (found.beads[0].kind, found.beads[0].loose) == ("2-1", True)
    assert untranslated_passages(found, CheckOptions(require="both")) == []
    assert paragraph_pairs_joined(aligned, 1.6).beads == aligned.beads  # lengths that do not fit: nothing joins


def test_with_other_languages_the_sides_not_the_labels_make_the_paragraph_pair() -> None:
    aligned = document(FOLDED_RU, FOLDED_EN, folded)  # --langs de,fr labels the sides' sentences de and fr
    relabelled = {
        id(s): dataclasses.replace(s, lang="de" if s in aligned.document.ru else "fr")
        for s in aligned.document.ru + aligned.document.en
    }
    beads = [
        dataclasses.replace(b, ru=tuple(relabelled[id(s)] for s in b.ru), en=tuple(relabelled[id(s)] for s in b.en))
        for b in aligned.beads
    ]
    found = paragraph_pairs_joined(dataclasses.replace(aligned, beads=beads), length_ratios(beads)["ru"])
    assert [s.text for s in found.beads[0].ru] == FOLDED_RU[:2] and found.beads[0].loose


ENCLOSED_RU = [
    "Я отворачивал лицо, я задыхался.",
    "Но я не мог совладать с собой, это налетело, как вихрь, и слабый человек не устоял.",
    "Всё слилось, завертелось в огненном круговороте.",
]
ENCLOSED_EN = ["I turned my face away, I was choking.", "Everything became fused in a fiery whirlpool."]


def enclosed(ru: list[Segment], en: list[Segment]) -> list[Bead]:
    """The translator left the middle sentence out; the pairs on both sides of it are of the paragraph pair."""
    return [Bead((ru[0],), (en[0],), 0.99), Bead((ru[1],), (), 0.0), Bead((ru[2],), (en[1],), 0.98)]


def test_a_sentence_enclosed_by_two_pairs_of_its_paragraph_pair_joins_one_whatever_the_lengths() -> None:
    aligned = document(ENCLOSED_RU, ENCLOSED_EN, enclosed)
    ratio = length_ratios(aligned.beads)["ru"]
    assert ("ru", "x.ru.txt", 0) not in fitting_paragraph_pairs(aligned.beads, ratio)  # too long for its partner
    found = paragraph_pairs_joined(aligned, ratio)
    assert (found.beads[0].kind, found.beads[0].loose) == ("2-1", True)
    assert untranslated_passages(found, CheckOptions(require="both")) == []


def unrelated_after(ru: list[Segment], en: list[Segment]) -> list[Bead]:
    """As `enclosed`, but the pair after the left-out sentence scores as unrelated-looking texts do."""
    return [Bead((ru[0],), (en[0],), 0.99), Bead((ru[1],), (), 0.0), Bead((ru[2],), (en[1],), UNRELATED_MAX_CONFIDENCE)]


def test_a_pair_between_unrelated_looking_texts_encloses_nothing() -> None:
    aligned = document(ENCLOSED_RU, ENCLOSED_EN, unrelated_after)
    found = paragraph_pairs_joined(aligned, length_ratios(aligned.beads)["ru"])
    assert found.beads[1].kind == "1-0" and not found.beads[0].loose


# instytutka (bilinguator_dev, complete): the search paired the reply's first sentences and left a sentence of each
# language one-sided in the same gap; the English side is under PAIRED_MIN_SHARE paired.
SPLIT_RU = ["Сильно я промёрзла и проголодалась, а думаю: «Как пойти?", "Ну неравно пани спросит!»"]
SPLIT_EN = ["I’m very cold, but how can I go?", "I thought.", "The young mistress might kick up a row!"]


def split_reply(ru: list[Segment], en: list[Segment]) -> list[Bead]:
    """The first sentences paired, then two English and one Russian sentence one-sided before the next paragraph."""
    return [Bead((ru[0],), (en[0],), 0.97), Bead((), (en[1],), 0.0), Bead((), (en[2],), 0.0), Bead((ru[1],), (), 0.0)]


def test_one_sided_sentences_of_both_languages_facing_in_one_gap_join_their_paragraph_pair() -> None:
    aligned = document(SPLIT_RU, SPLIT_EN, split_reply)
    assert len(SPLIT_EN[0]) / len(" ".join(SPLIT_EN)) < PAIRED_MIN_SHARE
    found = paragraph_pairs_joined(aligned, length_ratios(aligned.beads)["ru"])
    assert (found.beads[0].kind, found.beads[0].loose) == ("2-3", True)
    assert untranslated_passages(found, CheckOptions(require="both")) == []


def test_one_sided_sentences_of_one_paragraph_pair_in_two_gaps_do_not_face() -> None:
    """A Russian sentence one-sided before the pair, the English ones after it: two gaps, nothing joins."""

    def apart(ru: list[Segment], en: list[Segment]) -> list[Bead]:
        pair = Bead((ru[1],), (en[0],), 0.97)
        return [Bead((ru[0],), (), 0.0), pair, Bead((), (en[1],), 0.0), Bead((), (en[2],), 0.0)]

    aligned = document(SPLIT_RU, SPLIT_EN, apart)
    found = paragraph_pairs_joined(aligned, length_ratios(aligned.beads)["ru"])
    assert found.beads == aligned.beads
