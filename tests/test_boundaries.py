"""Sentence ends the RU/EN splitters miss and quotation marks on the wrong side of an end (align.boundaries), as
align.segment.sentence_spans gives them."""

from __future__ import annotations

import pytest

from align.boundaries import english_ends, quotes_on_their_side
from align.segment import sentence_spans


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # sentencex reads "me" as Maine's abbreviation before "A"
            "This happened to me. A woman came to see the apartment.",
            ["This happened to me.", "A woman came to see the apartment."],
        ),
        (  # ... and "ill" as Illinois's
            "He looks bad and is clearly ill. Drinking bouts have been frequent.",
            ["He looks bad and is clearly ill.", "Drinking bouts have been frequent."],
        ),
        (
            "And, he was drinking, of course... I was drinking because I was tormented.",
            ["And, he was drinking, of course...", "I was drinking because I was tormented."],
        ),
        (
            "We sell sugar, flour, bread, etc. Different types of sugar vary in taste.",
            ["We sell sugar, flour, bread, etc.", "Different types of sugar vary in taste."],
        ),
        (
            "We can arrange express shipping (India post parcel.) We offer a combined discount.",
            ["We can arrange express shipping (India post parcel.)", "We offer a combined discount."],
        ),
    ],
)
def test_english_ends_sentencex_misses_end_a_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_lower_case_abbreviations_before_a_capital_do_not_end_a_sentence() -> None:
    text = "It was Jones vs. Smith in the final, cf. Brown on the rules."
    assert english_ends(text, 0, len(text)) == [(0, len(text))]
    assert sentences("Dr. Smith arrived at 5 p.m. yesterday.") == ["Dr. Smith arrived at 5 p.m. yesterday."]


def test_an_opening_quote_left_at_the_end_of_a_sentence_goes_to_the_next_one() -> None:
    text = 'Everything," he said. "And obviously it has some impact here."'
    assert sentences(text) == ['Everything," he said.', '"And obviously it has some impact here."']


def test_a_closing_quote_put_at_the_start_of_a_sentence_goes_back_to_the_one_before() -> None:
    text = 'He is gone. May God be with his family." Detectives have been gathering evidence.'
    quote = text.index('" ')  # the splitter's cut: before the quote that closes "May God ..."
    spans = quotes_on_their_side(text, [(0, 11), (12, quote), (quote, len(text))])
    assert [text[a:b] for a, b in spans] == [
        "He is gone.",
        'May God be with his family."',
        "Detectives have been gathering evidence.",
    ]


def test_a_unit_of_measure_after_a_number_ends_a_russian_sentence() -> None:
    text = "Общая высота матраса 22 см. Максимально допустимая нагрузка 120 кг. Вес набора 8,5 г. Серия новая."
    assert sentences(text) == [
        "Общая высота матраса 22 см.",
        "Максимально допустимая нагрузка 120 кг.",
        "Вес набора 8,5 г.",
        "Серия новая.",
    ]


def test_a_year_and_razdel_abbreviations_do_not_end_a_russian_sentence() -> None:
    assert sentences("В 1812 г. Наполеон вторгся в Россию.") == ["В 1812 г. Наполеон вторгся в Россию."]
    assert sentences("См. рис. 5 на стр. 12. Он пришёл.") == ["См. рис. 5 на стр. 12.", "Он пришёл."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # transcribed speech: razdel never ends a sentence before a lower-case letter, sentencex does
            "и есть ли у вас сейчас высокая температура? и имеются ли у вас другие симптомы?",
            ["и есть ли у вас сейчас высокая температура?", "и имеются ли у вас другие симптомы?"],
        ),
        (  # a chat line after a full stop
            "Пожалуйста, проверьте свою почту. в целях обеспечения конфиденциальности я закрою чат.",
            ["Пожалуйста, проверьте свою почту.", "в целях обеспечения конфиденциальности я закрою чат."],
        ),
        (  # a token of digits and letters is no initial
            "Вирус был выделен в 1960-х. С тех пор накоплены более подробные знания о HCoV-229E. С другой стороны",
            [
                "Вирус был выделен в 1960-х.",
                "С тех пор накоплены более подробные знания о HCoV-229E.",
                "С другой стороны",
            ],
        ),
        (  # nor is a Latin capital after a Russian word
            "Вирус связывается с рецептором белка S. В целом, это важно.",
            ["Вирус связывается с рецептором белка S.", "В целом, это важно."],
        ),
    ],
)
def test_russian_ends_razdel_misses_end_a_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "В Англии могут умереть до 75 тыс. человек, если не ужесточить меры.",  # an abbreviation
        "Я пытался не обращать внимания, ласково разговаривать и т. д. но эта собака просто кошмарна.",
        "Она сперва только вскрикивала: «Что? как? а?», да, опомнившись, замолчала.",  # inside a quotation
        "Она сперва только вскрикивала: “Что? как? а?”, да, опомнившись, замолчала.",  # in English-style quotes
        "Она сперва только вскрикивала: „Что? как? а?“, да, опомнившись, замолчала.",
        "Он крикнул: «Куда?!» и убежал.",
        "Поэт А. С. Пушкин родился в Москве.",  # Russian initials
        "Часть I. Соображения, касающиеся наук",  # a Roman numeral in a heading
        "Приложение A. Список литературы",  # a heading's label and letter ("Appendix A. List of references")
        "Добыча выросла до 15 куб. м газа в сутки.",  # units and titles razdel does not know
        "Пострадали 300 чел. в трёх районах.",
        "Его принял бывш. министр финансов.",
    ],
)
def test_russian_abbreviations_quotations_and_initials_do_not_end_a_sentence(text: str) -> None:
    assert sentences(text) == [text]
