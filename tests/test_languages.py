"""Language pairs beyond RU/EN (align/languages.py, align/pair_language.py): --langs parsing, each language's
sentence splitter, lingua limited to the pair, and `align run`/`pair` on German-French files end to end."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from lxml import etree

from align.languages import (
    LanguagesError,
    block_language,
    pair_tags,
    parse_langs,
    presplit_options,
    splitter_for,
)
from align.model import Segment
from align.pair_language import PairIdentifier, weighed_languages
from tests.conftest import run_cli

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GERMAN = (
    "Am 3. Mai kam Dr. Müller in Bern an. Er blieb bis zum 5. Juni im Hotel am Bahnhof.\n\n"
    "Die Stadt gefiel ihm sehr. Besonders die Altstadt mit ihren Lauben fand er schön.\n"
)
FRENCH = (
    "Le 3 mai, le Dr Müller arriva à Berne. Il resta jusqu'au 5 juin à l'hôtel de la gare.\n\n"
    "La ville lui plut beaucoup. Il trouva surtout la vieille ville et ses arcades très belles.\n"
)


def sentences(lang: str, text: str) -> list[str]:
    return [text[start:end] for start, end in splitter_for(lang)(text)]


def segment(text: str, paragraph: int = 0) -> Segment:
    return Segment("page.txt", 0, len(text), 1, text, "", paragraph)


@pytest.mark.parametrize("value", ["de,fr", "DE, fr", " de ,fr "])
def test_a_pair_is_two_codes_source_first(value: str) -> None:
    assert parse_langs(value) == ("de", "fr")


@pytest.mark.parametrize(("value", "problem"), [("de", "SRC,TGT"), ("de,xx", "SRC,TGT"), ("fr,fr", "must differ")])
def test_anything_else_is_refused(value: str, problem: str) -> None:
    with pytest.raises(LanguagesError, match=problem):
        parse_langs(value)


def test_a_bad_langs_option_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hallo.\n", encoding="utf-8")
    code, _, err = run_cli("run", str(tmp_path / "a.txt"), "--langs", "de,klingon", "-o", str(tmp_path / "o"))
    assert code == 2 and "--langs" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_german_abbreviations_and_ordinals_do_not_end_a_sentence() -> None:
    text = "Am 3. Mai kam Dr. Müller an. Er blieb bis zum 5. Juni."
    assert sentences("de", text) == ["Am 3. Mai kam Dr. Müller an.", "Er blieb bis zum 5. Juni."]


def test_chinese_and_japanese_end_sentences_at_full_width_marks() -> None:
    assert sentences("zh", "我们去了公园。天气很好！你呢？") == ["我们去了公园。", "天气很好！", "你呢？"]
    assert sentences("ja", "今日は晴れです。明日は雨でしょう！") == ["今日は晴れです。", "明日は雨でしょう！"]


def test_thai_sentences_end_at_a_space_between_thai_words() -> None:
    text = "วันนี้อากาศดีมาก ฉันจะไปตลาดกับแม่ เราจะซื้อผลไม้"
    assert sentences("th", text) == ["วันนี้อากาศดีมาก", "ฉันจะไปตลาดกับแม่", "เราจะซื้อผลไม้"]


def test_russian_keeps_razdel() -> None:
    assert sentences("ru", "Это т. е. пример. Второе предложение.") == ["Это т. е. пример.", "Второе предложение."]


def test_a_mixed_pages_blocks_are_split_by_the_language_their_script_points_at() -> None:
    assert block_language("Привет, как дела?", ("ru", "zh")) == "ru"
    assert block_language("你好，最近怎么样？", ("ru", "zh")) == "zh"
    assert block_language("Guten Tag, wie geht es?", ("de", "ja")) == "de"
    assert block_language("漢字だけ", ("en", "ja")) == "ja"


def test_file_names_pair_by_either_languages_spellings() -> None:
    tags = pair_tags(("de", "fr"), {"de": ("deutsch",)})
    assert tags.language("de") == "ru" and tags.language("deutsch") == "ru"  # the source language's slot
    assert tags.language("fra") == "en" and tags.language("en") is None


def test_lingua_weighs_the_pair_and_its_usual_confusions_only() -> None:
    assert weighed_languages(("de", "fr")) == ("de", "fr", "nl", "da", "en", "it", "ca")


def test_a_file_keeps_its_language_unless_a_sentence_is_clearly_a_third_one() -> None:
    texts = [
        "Le train pour Berne part à huit heures du matin.",
        "Il treno per Berna parte alle otto del mattino, ma oggi è in ritardo.",
        "SBB CFF FFS",
        "这是一个中文句子。",
    ]
    labelled = PairIdentifier(("de", "fr")).label([segment(text, k) for k, text in enumerate(texts)], side="fr")
    assert [(s.lang, s.detected) for s in labelled] == [("fr", ""), ("other", "it"), ("fr", ""), ("other", "zh")]


def test_on_a_mixed_page_lingua_picks_the_likelier_language_of_the_pair() -> None:
    texts = [
        "Die Stadt gefiel ihm sehr, besonders die Altstadt.",
        "La ville lui plut beaucoup, surtout la vieille ville.",
    ]
    labelled = PairIdentifier(("de", "fr")).label([segment(text, k) for k, text in enumerate(texts)], side=None)
    assert [s.lang for s in labelled] == ["de", "fr"]


def test_presplit_input_of_another_pair_allows_beads_of_five_sentences() -> None:
    assert presplit_options().max_bead == 5


def test_german_and_french_files_are_found_aligned_and_tagged_with_their_languages(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bern.de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "in" / "bern.fr.txt").write_text(FRENCH, encoding="utf-8")
    out = tmp_path / "out"
    formats = "tmx,jsonl,vecalign"
    code, _, err = run_cli("run", str(tmp_path / "in"), "--langs", "de,fr", "-f", formats, "-o", str(out), "-q")
    assert code == 0, err
    tmx = etree.parse(str(out / "bern.tmx"))
    assert tmx.find("header").get("srclang") == "de"
    assert {tuv.get(XML_LANG) for tuv in tmx.iter("tuv")} == {"de", "fr"}
    beads = [line.split(":")[:2] for line in (out / "bern.vecalign").read_text(encoding="utf-8").splitlines()]
    assert beads == [["[0]", "[0]"], ["[1]", "[1]"], ["[2]", "[2]"], ["[3]", "[3]"]]  # sentence numbers
    records = [json.loads(line) for line in (out / "bern.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records[0]["ru"]["text"].startswith("Am 3. Mai kam Dr. Müller")  # the `ru` key holds the source side
    assert records[0]["en"]["text"].startswith("Le 3 mai")


def test_align_pair_takes_the_files_in_the_order_given(tmp_path: Path) -> None:
    (tmp_path / "a.fr").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "a.de").write_text(GERMAN, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli("pair", str(tmp_path / "a.fr"), str(tmp_path / "a.de"), "--langs", "fr,de", "-f", "vecalign",
                           "-o", str(out))
    assert code == 0, err
    lines = (out / "a.vecalign").read_text(encoding="utf-8").splitlines()
    assert [ast.literal_eval(line.split(":")[0]) for line in lines] == [[0], [1], [2], [3]]
    assert "swapped" not in err and "other way round" not in err


def test_check_refuses_another_pair_rather_than_judge_it_by_russian_and_english_rules(tmp_path: Path) -> None:
    (tmp_path / "bern.de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "bern.fr.txt").write_text(FRENCH, encoding="utf-8")
    code, out, err = run_cli("check", str(tmp_path), "--langs", "de,fr")
    assert code == 2 and out == ""
    assert "error: --langs de,fr: align check knows Russian and English only so far" in err
