"""Tests for align.segment: sentence spans inside paragraphs and segments with file positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.load import read_source
from align.model import Paragraph, Segment, Source
from align.readers.text import paragraphs
from align.segment import masked, segments_of, sentence_spans

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def segments_of_text(text: str, path: str = "doc.txt") -> list[Segment]:
    source = Source(path=path, text=text, encoding="utf-8")
    return segments_of(paragraphs(source), text)


def segments_of_file(path: Path) -> tuple[Source, list[Segment]]:
    source = read_source(str(path))
    return source, segments_of(paragraphs(source), source.text)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


# ---------------------------------------------------------------------------------------- splitting


def test_english_paragraph_is_split_into_its_sentences() -> None:
    text = (
        "Lukashenko has no confidence in this either. Having de facto occupied Belarus, Russia has left "
        "Lukashenko with only one guarantee. Will Ukraine and the West buy such a betrayal? Hardly!"
    )
    assert sentences(text) == [
        "Lukashenko has no confidence in this either.",
        "Having de facto occupied Belarus, Russia has left Lukashenko with only one guarantee.",
        "Will Ukraine and the West buy such a betrayal?",
        "Hardly!",
    ]


def test_english_abbreviations_do_not_end_a_sentence() -> None:
    text = "Dr. Smith arrived at 5 p.m. yesterday. He was tired. Mr. Jones met him at the U.S. embassy."
    assert sentences(text) == [
        "Dr. Smith arrived at 5 p.m. yesterday.",
        "He was tired.",
        "Mr. Jones met him at the U.S. embassy.",
    ]


def test_russian_paragraph_is_split_into_its_sentences() -> None:
    text = (
        "В последние дни на повестку дня вновь встал вопрос о возможном участии Беларуси в войне. "
        "Давайте выскажем свои предположения на этот счет! Готов ли диктатор рискнуть? Вряд ли… Посмотрим."
    )
    assert sentences(text) == [
        "В последние дни на повестку дня вновь встал вопрос о возможном участии Беларуси в войне.",
        "Давайте выскажем свои предположения на этот счет!",
        "Готов ли диктатор рискнуть?",
        "Вряд ли…",
        "Посмотрим.",
    ]


def test_russian_abbreviations_do_not_end_a_sentence() -> None:
    text = (
        "Он родился в 1985 г. в Минске. Потом переехал в Москву. Т. е. всё было иначе, см. стр. 5. "
        "Доклад подготовил проф. Иванов."
    )
    assert sentences(text) == [
        "Он родился в 1985 г. в Минске.",
        "Потом переехал в Москву.",
        "Т. е. всё было иначе, см. стр. 5.",
        "Доклад подготовил проф. Иванов.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"One. Two. Three."', ['"One.', "Two.", 'Three."']),
        ("“One. Two. Three.”", ["“One.", "Two.", "Three.”"]),
        (
            '"Looking at Ukraine, we see a war. It is brutal. We must help."',
            ['"Looking at Ukraine, we see a war.', "It is brutal.", 'We must help."'],
        ),
    ],
)
def test_a_quotation_of_several_sentences_is_split_keeping_its_quotes_at_the_ends(
    text: str, expected: list[str]
) -> None:
    assert sentences(text) == expected


def test_a_russian_quotation_of_several_sentences_is_split_keeping_its_guillemets_at_the_ends() -> None:
    assert sentences("«Раз. Два. Три.»") == ["«Раз.", "Два.", "Три.»"]


def test_a_quoted_single_sentence_stays_whole() -> None:
    text = '"Although Belarus allows its territory to be used, it is not a party to the conflict".'
    assert sentences(text) == [text]


def test_a_quotation_of_several_sentences_followed_by_a_footnote_is_split() -> None:
    assert sentences('"One. Two. Three." [4]') == ['"One.', "Two.", 'Three." [4]']


# ---------------------------------------------------------------------------------------- footnotes


def test_footnote_marker_inside_a_sentence_stays_in_it() -> None:
    text = (
        'Lukashenka claimed that the first "preventive strike " [1] against Ukraine was launched from '
        "Belarus at 23:00 [2] on 23 February. Nobody believed him."
    )
    assert sentences(text) == [
        'Lukashenka claimed that the first "preventive strike " [1] against Ukraine was launched from '
        "Belarus at 23:00 [2] on 23 February.",
        "Nobody believed him.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The claim was repeated many times. It was never proven. [7] Next sentence.",
        "The claim was repeated many times. It was never proven.[7] Next sentence.",
        "The claim was repeated many times. It was never proven [7]. Next sentence.",
    ],
)
def test_footnote_marker_after_a_sentence_stays_with_it_in_english(text: str) -> None:
    got = sentences(text)
    assert len(got) == 3
    assert "[7]" in got[1]
    assert got[1].startswith("It was never proven")
    assert got[2] == "Next sentence."


def test_footnote_markers_at_the_end_of_a_paragraph_stay_with_the_last_sentence() -> None:
    assert sentences("It was never proven. [7] [8]") == ["It was never proven. [7] [8]"]
    assert sentences("Это так и не было доказано. [7]") == ["Это так и не было доказано. [7]"]


def test_footnote_marker_before_the_final_period_stays_with_its_russian_sentence() -> None:
    text = "Встреча прошла 23 февраля в 23:00 [2]. Потом была тишина."
    assert sentences(text) == ["Встреча прошла 23 февраля в 23:00 [2].", "Потом была тишина."]


@pytest.mark.parametrize(
    "text",
    [
        "Это утверждение было повторено. Оно не доказано. [7] Следующее предложение.",
        "Это утверждение было повторено. Оно не доказано.[7] Следующее предложение.",
    ],
)
def test_footnote_marker_after_a_sentence_stays_with_it_in_russian(text: str) -> None:
    got = sentences(text)
    assert len(got) == 3
    assert got[1].startswith("Оно не доказано.") and got[1].endswith("[7]")
    assert got[2] == "Следующее предложение."


def test_footnote_marker_after_a_closing_quote_ends_the_english_sentence() -> None:
    assert sentences('He said "we will win." [3] Then he left.') == [
        'He said "we will win." [3]',
        "Then he left.",
    ]


# ---------------------------------------------------------------------------------------- lines


def test_heading_line_and_body_line_of_one_paragraph_are_two_sentences() -> None:
    assert sentences("Who pushed the button\nWhat role does Belarus play in the war against Ukraine?") == [
        "Who pushed the button",
        "What role does Belarus play in the war against Ukraine?",
    ]
    assert sentences("Павел Латушко о загнанном в угол диктаторе\nВ последние дни всё изменилось.") == [
        "Павел Латушко о загнанном в угол диктаторе",
        "В последние дни всё изменилось.",
    ]


def test_hard_wrapped_sentence_continuing_in_lowercase_stays_one_sentence() -> None:
    text = (
        "The question of Belarus' involvement in the war against Ukraine is today\n"
        "not only the subject of much debate, but also of speculation. It is clear."
    )
    assert sentences(text) == [
        "The question of Belarus' involvement in the war against Ukraine is today\n"
        "not only the subject of much debate, but also of speculation.",
        "It is clear.",
    ]
    russian = "Вопрос об участии Беларуси в войне сегодня является\nпредметом споров. Это ясно."
    assert sentences(russian) == [
        "Вопрос об участии Беларуси в войне сегодня является\nпредметом споров.",
        "Это ясно.",
    ]


def test_list_items_on_their_own_lines_are_separate_sentences() -> None:
    text = "The bill provides for:\n- confiscating property of Belarus\n- compensation for the damage"
    assert sentences(text) == [
        "The bill provides for:",
        "- confiscating property of Belarus",
        "- compensation for the damage",
    ]


def test_a_list_item_after_a_long_indent_starts_its_own_sentence() -> None:
    text = "The bill provides for\n" + " " * 200 + "12) compensation for the damage"
    assert sentences(text) == ["The bill provides for", "12) compensation for the damage"]


def test_sentences_of_a_long_hard_wrapped_paragraph_know_their_lines() -> None:
    words = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "near", "the", "river"]
    lines = [" ".join(words[i % 6 : i % 6 + 6]) + (". The" if i % 3 == 0 else "") for i in range(3000)]
    text = "\n".join(lines)  # one 93 KB paragraph, sentences wrapped over three lines
    segments = segments_of_text(text)
    assert len(segments) > 900
    assert [segment.line for segment in segments] == [text.count("\n", 0, s.start) + 1 for s in segments]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_segments_know_the_line_they_start_on(tmp_path: Path, newline: str) -> None:
    lines = [
        "Заголовок статьи",
        "",
        "Первое предложение. Второе предложение.",
        "Третье предложение на новой строке.",
        "",
        "The first English sentence. The second one",
        "is hard-wrapped onto this line. And a third.",
    ]
    path = write(tmp_path / "article.txt", newline.join(lines) + newline)
    source, segments = segments_of_file(path)
    assert [(segment.line, segment.text) for segment in segments] == [
        (1, "Заголовок статьи"),
        (3, "Первое предложение."),
        (3, "Второе предложение."),
        (4, "Третье предложение на новой строке."),
        (6, "The first English sentence."),
        (6, f"The second one{newline}is hard-wrapped onto this line."),
        (7, "And a third."),
    ]
    assert [segment.paragraph for segment in segments] == [0, 1, 1, 1, 2, 2, 2]
    for segment in segments:
        assert source.text[segment.start : segment.end] == segment.text
        assert segment.file == str(path)
        assert segment.lang == ""


def test_line_numbers_never_decrease_through_a_file_with_unicode_line_separators() -> None:
    text = "A first line.\u2028A second line.\u2028A third line.\u2028A fourth line.\n\nThe next paragraph.\n"
    lines = [segment.line for segment in segments_of_text(text)]
    assert lines == sorted(lines)
    assert lines[-1] > lines[-2]


def test_segment_spans_are_offsets_into_the_whole_file() -> None:
    text = "  Первый абзац. Ещё одно предложение.\n\n\tSecond paragraph here. And more text.  \n"
    segments = segments_of_text(text)
    assert [segment.text for segment in segments] == [
        "Первый абзац.",
        "Ещё одно предложение.",
        "Second paragraph here.",
        "And more text.",
    ]
    for segment in segments:
        assert text[segment.start : segment.end] == segment.text
    assert [segment.line for segment in segments] == [1, 1, 3, 3]


def test_spans_carry_no_surrounding_whitespace() -> None:
    text = "First sentence here.   Second sentence here.\n  Third sentence here.  "
    for start, end in sentence_spans(text):
        assert not text[start].isspace()
        assert not text[end - 1].isspace()


def test_whitespace_only_text_has_no_sentences() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n\t ") == []


# ---------------------------------------------------------------------------------------- property

WORDS = [
    "война",
    "Минск",
    "Лукашенко",
    "г",
    "ст",
    "Беларусь",
    "мир",
    "war",
    "Ukraine",
    "Dr",
    "the",
    "U.S",
    "Belarus",
    "peace",
    "23:00",
    "2022",
]
PUNCTUATION = [".", "!", "?", "…", ",", ";", "«", "»", '"', "[1]", "...", "?!"]
SEPARATORS = ["", " ", " ", "  ", "\n"]


@st.composite
def mixed_paragraphs(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(WORDS + PUNCTUATION), min_size=1, max_size=40))
    separators = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(tokens), max_size=len(tokens)))
    return "".join(token + separator for token, separator in zip(tokens, separators, strict=True))


@settings(max_examples=200, deadline=None)
@given(mixed_paragraphs())
def test_sentence_spans_are_ordered_trimmed_and_cover_every_visible_character_once(text: str) -> None:
    spans = sentence_spans(text)
    covered = [0] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        for i in range(start, end):
            covered[i] += 1
        previous_end = end
    for i, char in enumerate(text):
        if char.isspace():
            assert covered[i] <= 1, (i, char)
        else:
            assert covered[i] == 1, (i, char)


# ---------------------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.name)
def test_every_seed_segment_is_the_exact_slice_of_its_file(path: Path) -> None:
    source, segments = segments_of_file(path)
    assert len(segments) > 40
    for segment in segments:
        assert segment.text == source.text[segment.start : segment.end]
        assert segment.text == segment.text.strip()
        assert source.text.count("\n", 0, segment.start) + 1 == segment.line
    assert [segment.start for segment in segments] == sorted(segment.start for segment in segments)


def test_seed_quotation_paragraph_is_split_into_its_sentences() -> None:
    source = read_source(str(SEEDS / "000_b5426c6a0af5841d.txt"))
    (quoted,) = [p for p in paragraphs(source) if p.text.startswith('"Looking at Ukraine')]
    got = [segment.text for segment in segments_of([quoted], source.text)]
    assert len(got) >= 3
    assert got[0].startswith('"Looking at Ukraine')
    assert got[-1].endswith('."')
    assert " ".join(got) == quoted.text


def test_seed_footnotes_stay_inside_their_sentences() -> None:
    source, segments = segments_of_file(SEEDS / "003_10744da6f6ab660d.txt")
    texts = [segment.text for segment in segments]
    for marker in ("[1]", "[2]", "[3]", "[4]", "[5]", "[6]"):
        holders = [text for text in texts if marker in text]
        assert len(holders) == 1
        assert holders[0] != marker
    assert any(text.endswith('Ukraine since February 24, 2022" [6].') for text in texts)


def test_markup_is_masked_in_the_paragraphs_script_with_overlapping_spans_merged_and_line_breaks_kept() -> None:
    text = "Вызовите `a.b()` и\nсм. <https://x.y/z\tq> тут."
    code, url = text.index("`a"), text.index("<h")
    spans = ((100 + code, 100 + code + 7), (100 + code + 3, 100 + code + 8), (100 + url, 100 + url + 17))
    paragraph = Paragraph("f.md", 100, 100 + len(text), 1, text, 0, markup=spans)
    assert masked(paragraph) == "Вызовите жжжжжжж и\nсм. жжжжжжжжжжжжжж жж тут."  # the tab made a space
    assert masked(Paragraph("f.md", 0, 9, 1, "Run a.b()", 0, markup=((4, 9),))) == "Run xxxxx"
