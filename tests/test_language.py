"""Tests for align.language: script counts, labelling segments ru / en / other, filling letterless ones."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from align.language import (
    LanguageIdentifier,
    Scripts,
    detector_text,
    fill_from_neighbours,
    plainly_russian_or_english,
    script_letters,
    script_of,
    scripts_of,
    settled_by_elimination,
    twin_headings,
)
from align.load import read_source
from align.model import Segment, Source
from align.readers.text import paragraphs
from align.segment import segments_of

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

UKRAINIAN = "Привіт, як справи? Це українська мова, і вона гарна."
GERMAN = "Das ist ein deutscher Satz, und er ist ziemlich lang geworden."
BELARUSIAN_NAMES = "Śvieciłovič did not like to dance with Janoŭskaja."
BRAND_NAMES = "Матрас SkySleep Wave Space BS 150x185 см."


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


def segments(text: str) -> list[Segment]:
    source = Source(path="article.txt", text=text, encoding="utf-8")
    return segments_of(paragraphs(source), text)


def segment(text: str, paragraph: int = 0) -> Segment:
    return Segment(file="article.txt", start=0, end=len(text), line=1, text=text, lang="", paragraph=paragraph)


def labels(identifier: LanguageIdentifier, text: str, side: str | None = None) -> dict[str, tuple[str, str]]:
    """Sentence text -> (lang, detected)."""
    return {seg.text: (seg.lang, seg.detected) for seg in identifier.label(segments(text), side)}


RUSSIAN = "В последние дни вновь встал вопрос об участии Беларуси в войне."
ENGLISH = "In recent days, the issue of Belarus' involvement in the war has reappeared."
MIXED = f"""Павел Латушко о загнанном в угол диктаторе

{RUSSIAN} Давайте выскажем свои предположения на этот счет.

Pavel Latushka on the cornered dictator

{ENGLISH} {BELARUSIAN_NAMES}

{UKRAINIAN}

{GERMAN}
"""


# ---------------------------------------------------------------------------------------- scripts


def test_scripts_of_counts_cyrillic_and_latin_letters_but_not_digits_or_punctuation() -> None:
    counts = scripts_of("Матрас SkySleep 150x185 см.")
    assert (counts.cyrillic, counts.latin) == (8, 8)  # the x of a size is no word
    assert (counts.cyrillic_in_common_words, counts.latin_in_common_words) == (8, 0)  # см and the first word
    assert scripts_of("23:00 [1] — «»") == Scripts(cyrillic=0, latin=0)


def test_letters_glued_to_digits_and_chapter_numbers_say_nothing_of_the_language() -> None:
    assert scripts_of("Benartti Optimal Hard S1000 Mattress 130х185.").lang == "en"  # a Cyrillic х in the size
    assert scripts_of("II").lang == scripts_of("XIV.").lang == scripts_of("XXXVIII").lang == ""  # either language
    assert scripts_of("CIVIL").lang == scripts_of("MID").lang == "en"  # words, not numerals


def test_a_cyrillic_first_word_weighs_against_a_brands_small_letter_word() -> None:
    """wmt22 ecommerce_ru_87: the Russian title was read as English for its brand's "royal"."""
    assert scripts_of("Матрас Sontelle Vivre Dual royal 70x200.").lang == "ru"
    assert scripts_of("Sontelle Vivre Dual royal Mattress 70x200.").lang == "en"
    assert scripts_of("Sontelle Пружинный матрас Vivre Castom family, 140х195, артикул: 5110704.").lang == "ru"
    assert scripts_of("SONEX 2085/EL Люстра с ПДУ Nores").lang == "ru"  # a Latin first word may be the brand


def test_without_small_letter_words_a_cyrillic_word_makes_a_title_russian() -> None:
    assert scripts_of("Матрас Lonax Cocos TFK 130x185.").lang == "ru"
    assert scripts_of("Шина Pirelli (Пирелли) Scorpion Winter 265/45 R20 108V").lang == "ru"
    assert scripts_of("Promtex Micropacket Prestige Mattress").lang == "en"
    assert scripts_of("Visit Moscow, not Москва").lang == "en"  # its small-letter words are English


def test_a_one_letter_word_is_no_common_word() -> None:
    """wmt22's "Привет, r/Military!" (a Reddit greeting in the Russian source) was read as English by its r."""
    assert scripts_of("Привет, r/Military!").lang == "ru"
    assert scripts_of("The word «дача» means a country house.").lang == "en"
    assert scripts_of("Я и ты в Gmail.").lang == "ru"


def test_scripts_of_counts_latin_letters_with_diacritics_and_all_cyrillic_letters() -> None:
    names = scripts_of("Śvieciłovič Janoŭskaja")
    assert (names.cyrillic, names.latin) == (0, 21)
    words = scripts_of("Ёлка їжак ўсё")
    assert (words.cyrillic, words.latin) == (11, 0)


def test_script_letters_count_each_letter_by_its_script() -> None:
    for text in (BRAND_NAMES, BELARUSIAN_NAMES, UKRAINIAN, "Ёлка Straße ½ 23:00 漢字", ""):
        letters = [char for char in text if char.isalpha()]
        expected = (sum(script_of(c) == "cyrillic" for c in letters), sum(script_of(c) == "latin" for c in letters))
        assert script_letters(text) == expected
        if not re.search(r"\d[^\W\d_]|[^\W\d_]\d", text):  # scripts_of leaves out letters glued to digits
            assert (scripts_of(text).cyrillic, scripts_of(text).latin) == expected


def test_script_majority_gives_the_language_and_no_letters_give_none() -> None:
    assert scripts_of("Встреча в Минске").lang == "ru"
    assert scripts_of("Meeting in Minsk").lang == "en"
    assert scripts_of("Минск Minsk").lang == "ru"  # a tie goes to Russian
    assert scripts_of("23:00").lang == ""


# ---------------------------------------------------------------------------------------- mixed files


def test_mixed_file_labels_cyrillic_sentences_russian_and_latin_sentences_english(
    identifier: LanguageIdentifier,
) -> None:
    got = labels(identifier, MIXED)
    assert got["Павел Латушко о загнанном в угол диктаторе"] == ("ru", "")
    assert got["Давайте выскажем свои предположения на этот счет."] == ("ru", "")
    assert got["Pavel Latushka on the cornered dictator"] == ("en", "")
    assert got[RUSSIAN] == ("ru", "")
    assert got[ENGLISH] == ("en", "")


def test_english_sentence_full_of_belarusian_names_with_diacritics_stays_english(
    identifier: LanguageIdentifier,
) -> None:
    assert labels(identifier, MIXED)[BELARUSIAN_NAMES] == ("en", "")
    assert labels(identifier, BELARUSIAN_NAMES, side="en")[BELARUSIAN_NAMES] == ("en", "")


def test_ukrainian_sentence_is_other_with_its_language_detected(identifier: LanguageIdentifier) -> None:
    (labelled,) = identifier.label([segment(UKRAINIAN)])
    assert (labelled.lang, labelled.detected) == ("other", "uk")
    assert labels(identifier, MIXED)["Це українська мова, і вона гарна."] == ("other", "uk")


def test_every_sentence_of_a_ukrainian_paragraph_in_a_mixed_file_is_other(
    identifier: LanguageIdentifier,
) -> None:
    assert labels(identifier, MIXED)["Привіт, як справи?"] == ("other", "uk")


def test_german_sentence_is_other_with_its_language_detected(identifier: LanguageIdentifier) -> None:
    assert labels(identifier, MIXED)[GERMAN] == ("other", "de")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ich weiß nicht, was er an der Grenze gesehen hat.", "de"),
        ("Er will morgen nach Berlin fahren und dort arbeiten.", "de"),
        ("Yo he vivido en Madrid durante muchos años con mi familia.", "es"),
    ],
)
def test_german_or_spanish_sentence_sharing_a_word_with_english_is_other(
    identifier: LanguageIdentifier, text: str, language: str
) -> None:
    (labelled,) = identifier.label([segment(text)])
    assert (labelled.lang, labelled.detected) == ("other", language)


def test_bulgarian_sentence_is_other(identifier: LanguageIdentifier) -> None:
    (labelled,) = identifier.label([segment("Той живее в малка къща до пътя за София.")])
    assert (labelled.lang, labelled.detected) == ("other", "bg")


def test_serbian_and_belarusian_sentences_are_other(identifier: LanguageIdentifier) -> None:
    labelled = identifier.label(
        [
            segment("Српски језик је званични језик у Републици Србији."),
            segment("Беларуская мова з'яўляецца дзяржаўнай мовай Рэспублікі Беларусь."),
        ],
        side="ru",
    )
    assert [(seg.lang, seg.detected) for seg in labelled] == [("other", "sr"), ("other", "be")]


def test_russian_sentence_with_latin_brand_names_stays_russian_in_a_russian_file(
    identifier: LanguageIdentifier,
) -> None:
    assert labels(identifier, BRAND_NAMES, side="ru")[BRAND_NAMES] == ("ru", "")


def test_russian_sentence_with_latin_brand_names_stays_russian_in_a_mixed_file(
    identifier: LanguageIdentifier,
) -> None:
    text = f"Вчера мы купили новую мебель для спальни. {BRAND_NAMES}\n\nWe bought a new bed yesterday."
    assert labels(identifier, text)[BRAND_NAMES] == ("ru", "")


def test_seed_file_is_english_but_for_its_russian_quotation(identifier: LanguageIdentifier) -> None:
    source = read_source(str(SEEDS / "003_10744da6f6ab660d.txt"))
    labelled = identifier.label(segments_of(paragraphs(source), source.text))
    russian = [seg for seg in labelled if seg.lang == "ru"]
    assert [seg.paragraph for seg in russian] == [7]
    assert russian[0].text.startswith('"Хотя Беларусь позволяет')
    assert all(seg.lang == "en" for seg in labelled if seg.paragraph != 7)


# ---------------------------------------------------------------------------------------- letterless segments


def test_letterless_segments_take_the_language_of_their_paragraph(identifier: LanguageIdentifier) -> None:
    text = (
        "Москва, 9 мая 2022 года.\n\n"
        "23:00.\nThe meeting in Minsk ended at midnight.\n\n"
        "12.05.\nВстреча в Минске закончилась в полночь."
    )
    got = [(seg.text, seg.lang, seg.paragraph) for seg in identifier.label(segments(text))]
    assert got == [
        ("Москва, 9 мая 2022 года.", "ru", 0),
        ("23:00.", "en", 1),
        ("The meeting in Minsk ended at midnight.", "en", 1),
        ("12.05.", "ru", 2),
        ("Встреча в Минске закончилась в полночь.", "ru", 2),
    ]


def test_a_letterless_paragraph_takes_the_language_of_the_nearest_sentence(
    identifier: LanguageIdentifier,
) -> None:
    text = "Встреча закончилась.\n\n[1]\n\n23:00\n\nThe sides will meet again. They agreed on it."
    got = [(seg.text, seg.lang) for seg in identifier.label(segments(text))]
    assert got == [
        ("Встреча закончилась.", "ru"),
        ("[1]", "ru"),
        ("23:00", "en"),
        ("The sides will meet again.", "en"),
        ("They agreed on it.", "en"),
    ]


def test_a_file_without_letters_is_all_other(identifier: LanguageIdentifier) -> None:
    labelled = identifier.label(segments("23:00\n\n[1]\n\n2022"))
    assert [(seg.lang, seg.detected) for seg in labelled] == [("other", "")] * 3


def test_fill_from_neighbours_prefers_the_same_paragraph_over_a_nearer_one() -> None:
    assert fill_from_neighbours(["ru", "", "", "", "en"], [0, 1, 1, 1, 1]) == ["ru", "en", "en", "en", "en"]


def test_fill_from_neighbours_takes_the_nearest_and_on_a_tie_the_one_before() -> None:
    assert fill_from_neighbours(["ru", "", "", "", "en"], [0, 1, 2, 3, 4]) == ["ru", "ru", "ru", "en", "en"]
    assert fill_from_neighbours(["", "en", "", "ru"], [0, 0, 1, 2]) == ["en", "en", "en", "ru"]


def test_fill_from_neighbours_leaves_everything_empty_when_nothing_is_known() -> None:
    assert fill_from_neighbours(["", ""], [0, 0]) == ["", ""]
    assert fill_from_neighbours([], []) == []


# ---------------------------------------------------------------------------------------- pair sides


def test_in_a_russian_file_russian_and_latin_sentences_are_russian_but_ukrainian_is_other(
    identifier: LanguageIdentifier,
) -> None:
    text = (
        "Вчера в Минске прошла большая встреча. Pavel Latushka on the cornered dictator\n\n"
        f"{BRAND_NAMES}\n\n{BELARUSIAN_NAMES}\n\n23:00\n\n{UKRAINIAN}"
    )
    got = labels(identifier, text, side="ru")
    assert got["Вчера в Минске прошла большая встреча."] == ("ru", "")
    assert got["Pavel Latushka on the cornered dictator"] == ("ru", "")
    assert got[BRAND_NAMES] == ("ru", "")
    assert got[BELARUSIAN_NAMES] == ("ru", "")
    assert got["23:00"] == ("ru", "")
    assert got["Це українська мова, і вона гарна."] == ("other", "uk")


def test_in_an_english_file_a_ukrainian_or_german_sentence_is_other(identifier: LanguageIdentifier) -> None:
    got = labels(identifier, f"We met in Minsk yesterday.\n\n{UKRAINIAN}\n\n{GERMAN}", side="en")
    assert got["We met in Minsk yesterday."] == ("en", "")
    assert got["Це українська мова, і вона гарна."] == ("other", "uk")
    assert got[GERMAN] == ("other", "de")


# ---------------------------------------------------------------------------------------- plain cases


@pytest.mark.parametrize(
    "text",
    [
        "Это был съезд, на котором выступили все.",
        BELARUSIAN_NAMES,
        "Lukashenka is a dictator to the bone.",
    ],
)
def test_plainly_russian_or_english_recognises_russian_letters_and_english_function_words(text: str) -> None:
    assert plainly_russian_or_english(text)


@pytest.mark.parametrize(
    "text",
    [
        UKRAINIAN,
        "Беларуская мова з'яўляецца дзяржаўнай мовай Рэспублікі.",  # э, but also ў and і
        GERMAN,
        "Встреча в Минске закончилась в полночь.",  # Russian, but without ы, э or ъ
    ],
)
def test_plainly_russian_or_english_is_false_without_such_evidence(text: str) -> None:
    assert not plainly_russian_or_english(text)


def test_english_sentences_with_slavic_names_stay_english(identifier: LanguageIdentifier) -> None:
    assert identifier.foreign_language("Śvieciłovič said sternly.", "en") == ""
    assert identifier.foreign_language("Śvieciłovič grew even paler.", "en") == ""


def test_a_batch_gets_the_labels_its_texts_get_one_by_one(identifier: LanguageIdentifier) -> None:
    texts = [UKRAINIAN, GERMAN, RUSSIAN, ENGLISH, "Той живее в малка къща до пътя за София.", "23:00", UKRAINIAN]
    expected = ["ru", "en", "ru", "en", "ru", "ru", ""]
    alone = [
        identifier.foreign_language(text, lang) if lang else "" for text, lang in zip(texts, expected, strict=True)
    ]
    assert identifier.foreign_languages(texts, expected) == alone == ["uk", "de", "", "", "bg", "", ""]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("这是一个中文句子，没有英文翻译。", "zh"),
        ("これは日本語の文です。", "ja"),
        ("이것은 한국어 문장입니다.", "ko"),
        ("هذه جملة عربية بدون ترجمة.", "ar"),
        ("זהו משפט בעברית.", "he"),
        ("Αυτή είναι μια ελληνική πρόταση.", "el"),
        ("यह हिंदी में एक वाक्य है।", "hi"),
        ("นี่คือประโยคภาษาไทย", "th"),
        ("😀🎉👍", ""),
    ],
)
def test_a_sentence_in_another_script_is_other_whatever_the_side(text: str, code: str) -> None:
    segment = Segment("x.txt", 0, len(text), 1, text, "", 0)
    for side in (None, "ru", "en"):
        (labelled,) = LanguageIdentifier().label([segment], side)
        assert (labelled.lang, labelled.detected) == ("other", code), side


def test_cjk_letters_are_not_counted_as_cyrillic() -> None:
    assert script_letters("这是一个中文句子") == (0, 0)
    assert script_of("ꙮ") == "cyrillic" and script_of("中") == ""


# ---------------------------------------------------------------------------------------- third languages


@pytest.mark.parametrize(
    ("text", "side", "code"),
    [
        ("Der Hund biss den Briefträger, als er das Tor öffnete.", "en", "de"),
        ("Die Katze schläft auf dem Sofa.", "en", "de"),  # short, its nouns capitalised: "die", "auf" tell
        ("Auf Wiedersehen, sagte er.", "en", "de"),
        ("Le chien a mordu le facteur devant la maison.", "en", "fr"),
        ("Merci beaucoup pour votre aide.", "en", "fr"),
        ("El perro mordió al cartero delante de la casa.", "en", "es"),
        ("Il cane ha morso il postino davanti alla casa.", "en", "it"),
        ("O cachorro mordeu o carteiro na frente da casa.", "en", "pt"),
        ("Pies ugryzł listonosza przed domem wczoraj wieczorem.", "en", "pl"),
        ("Nie wiem, dlaczego on wyjechał tak wcześnie.", "en", "pl"),
        ("Köpek dün akşam evin önünde postacıyı ısırdı.", "en", "tr"),
        ("Bugün hava çok güzel, parka gidelim mi?", "en", "tr"),
        ("De hond beet de postbode voor het huis.", "en", "nl"),
        ("Pes včera večer pokousal pošťáka před domem.", "en", "cs"),
        ("Собака вкусив листоношу біля будинку.", "ru", "uk"),
        ("Вчора ввечері ми довго говорили про погоду.", "ru", "uk"),  # no і, ї, є: lingua tells
        ("Кучето ухапа пощальона пред къщата вчера вечерта.", "ru", "bg"),
        ("Вчера вечерта говорихме дълго за времето.", "ru", "bg"),
        ("Пас је ујео поштара испред куће јуче увече.", "ru", "sr"),
        ("Хвала вам на помоћи.", "ru", "sr"),
    ],
)
def test_a_sentence_in_a_third_language_of_its_script_is_other_in_a_file_of_either_side_and_a_mixed_one(
    identifier: LanguageIdentifier, text: str, side: str, code: str
) -> None:
    for file_side in (side, None):
        (labelled,) = identifier.label([segment(text)], file_side)
        assert (labelled.lang, labelled.detected) == ("other", code), file_side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("There is silence all around.", "en"),
        ("Chapter One", "en"),
        ("Gift of the Magi", "en"),
        ("Della counted it three times.", "en"),
        ("Mr. James Dillingham Young.", "en"),
        ("Madame Sofronie, Hair Goods of All Kinds.", "en"),
        ("Śvieciłovič grew even paler.", "en"),
        ("npm install --save-dev vitepress vue", "en"),
        ("git commit --amend --no-edit", "en"),
        ("SELECT name FROM users WHERE id = 1;", "en"),
        ("Кругом тишина…", "ru"),
        ("— Жалко?", "ru"),
        ("Глава первая", "ru"),
        ("Собака укусила почтальона у дома.", "ru"),  # lingua hesitates (Ukrainian and Bulgarian close behind)
        ("(вместо: «Мы не хотим в школу!»), «Далой орихметику!»", "ru"),  # misspelt: lingua's best is unsure
    ],
)
def test_short_lines_names_titles_code_and_misspelt_russian_keep_their_side(
    identifier: LanguageIdentifier, text: str, side: str
) -> None:
    (labelled,) = identifier.label([segment(text)], side)
    assert (labelled.lang, labelled.detected) == (side, "")


# ---------------------------------------------------------------------------------------- what reaches lingua


@pytest.mark.parametrize(
    "text",
    [
        "Встреча в Минске закончилась в полночь.",  # ь (not Serbian, not Bulgarian), и (not Belarusian), -чь
        "Сообщили о начале вакцинации в школах, где учатся дети.",  # -ии, где, -тся, -ти: none but Russian
        "Никаких платьев, кофт и юбок, висящих вразнобой.",
        "The colonel felt intimidated by the general.",  # "The" starts the sentence: without_names drops it
        "Nothing had changed since the storm.",
        "They're waiting outside the station.",
    ],
)
def test_russian_and_english_that_rule_out_every_third_language_never_reach_lingua(text: str) -> None:
    assert detector_text(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Собака укусила почтальона у дома.",  # nothing Ukrainian never writes
        "Ну що, як справи у тебе вдома, все добре?",  # Ukrainian without і, ї, є
        "Това е много хубава книга, прочетох я за два дни.",  # Bulgarian without ъ
        "Воз полази у осам сати са главне станице.",  # Serbian without ј, љ, њ, ћ
        "Не хадзi, коцю, па лаўцы, буду бiцi па лапцы.",  # Belarusian with a Latin i
        "Il cane dorme sotto la tavola della cucina.",  # Latin letters and no English word
    ],
)
def test_text_a_third_language_could_write_still_reaches_lingua(text: str) -> None:
    assert detector_text(text) is not None


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("сообщил о начале вакцинации в школах", False),  # Bulgarian writes all of it
        ("сообщил о начале вакцинации в школах, где учатся дети", True),  # где, -тся: not Bulgarian
        ("нового города и дома", False),  # Serbian writes all of it
        ("нового города и дома в центре", True),  # в: Serbian writes у
        ("cotton fabric cover, special design", False),
        ("cotton fabric cover, special design that lasts", True),
        ("la situación was already clear", False),  # a letter English lacks
    ],
)
def test_each_third_language_is_ruled_out_by_what_it_never_writes(text: str, settled: bool) -> None:
    assert settled_by_elimination(text) is settled


@dataclass
class RecordingIdentifier(LanguageIdentifier):
    """A LanguageIdentifier that keeps every text it hands to lingua."""

    asked: list[str] = field(default_factory=list)

    def confidence_values(self, texts: list[str]) -> list:
        self.asked.extend(texts)
        return super().confidence_values(texts)


def test_a_file_of_plain_russian_and_english_loads_no_lingua_model() -> None:
    identifier = RecordingIdentifier()
    text = (
        "Встреча в Минске закончилась в полночь. Никаких платьев, кофт и юбок, висящих вразнобой.\n\n"
        "The colonel felt intimidated by the general. Nothing had changed since the storm."
    )
    labelled = identifier.label(segments(text))
    assert [seg.lang for seg in labelled] == ["ru", "ru", "en", "en"]
    assert identifier.asked == [] and identifier._detector is None and not identifier._loaded_scripts


def test_only_the_script_of_a_text_lingua_must_weigh_is_loaded() -> None:
    identifier = RecordingIdentifier()
    labelled = identifier.label(segments(f"Встреча в Минске закончилась в полночь.\n\n{UKRAINIAN}"))
    assert [(seg.lang, seg.detected) for seg in labelled] == [("ru", ""), ("other", "uk"), ("other", "uk")]
    assert identifier._loaded_scripts == {"cyrillic"}


def test_twin_chapter_headings_of_a_mixed_book_are_one_in_each_language(identifier: LanguageIdentifier) -> None:
    """A bilingual book, each English paragraph followed by its Russian one; chapter II's heading is written in
    both, and says nothing of its language: the first one is English, as the book's pairs start, the second is
    Russian."""
    text = f"{ENGLISH}\n\n{RUSSIAN}\n\nII\n\nII\n\n{ENGLISH}\n\n{RUSSIAN}\n\n* * *\n\n* * *\n\n{ENGLISH}\n"
    labelled = identifier.label(segments(text))
    headings = [seg.lang for seg in labelled if seg.text in ("II", "* * *")]
    assert headings == ["en", "ru", "en", "ru"]
    assert [seg.lang for seg in labelled if seg.text not in ("II", "* * *")] == ["en", "ru", "en", "ru", "en"]


def test_twin_headings_follow_the_files_order_even_after_a_paragraph_left_untranslated(
    identifier: LanguageIdentifier,
) -> None:
    """English first, then Russian, in every pair; an English paragraph without its Russian comes just before the
    twin headings: the first twin is still English (continuing the alternation would make it Russian)."""
    text = f"{ENGLISH}\n\n{RUSSIAN}\n\n{ENGLISH}\n\nX\n\nX\n\n{ENGLISH}\n\n{RUSSIAN}\n"
    labelled = identifier.label(segments(text))
    assert [seg.lang for seg in labelled] == ["en", "ru", "en", "en", "ru", "en", "ru"]


def test_a_single_neutral_paragraph_takes_its_nearest_neighbour_as_before(identifier: LanguageIdentifier) -> None:
    labelled = identifier.label(segments(f"{RUSSIAN}\n\n* * *\n\n{ENGLISH}\n"))
    assert [seg.lang for seg in labelled] == ["ru", "ru", "en"]


def test_a_chapter_number_beside_a_heading_that_holds_it_is_the_headings_translation(
    identifier: LanguageIdentifier,
) -> None:
    labelled = identifier.label(segments(f"{RUSSIAN}\n\nГЛАВА IV\n\nIV\n\n{RUSSIAN}\n\n{ENGLISH}\n"))
    assert [seg.lang for seg in labelled] == ["ru", "ru", "en", "ru", "en"]


def test_twin_headings_far_from_any_known_paragraph_take_the_languages_around_them() -> None:
    """Thousands of "* * *" between a Russian and an English paragraph: each two are one of each language, in the
    order of the file's first paragraph (one pass: a per-heading scan of the file made this quadratic)."""
    count = 20_000
    texts = ["Кругом тишина."] + ["* * *"] * count + ["Silence all around."]
    segments = [Segment("book.txt", k, k + 1, k + 1, text, "", k) for k, text in enumerate(texts)]
    langs = ["ru"] + [""] * count + ["en"]
    assert twin_headings(langs, segments) == ["ru"] + ["ru", "en"] * (count // 2) + ["en"]
