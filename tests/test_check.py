"""`align check` findings on real alignments (real pipeline and encoder) of purpose-written fixtures and the seeds."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from align.checks import RULES, CheckOptions, findings, read_glossary, sorted_findings
from align.checks.confidence import low_confidence_pairs
from align.checks.consistency import inconsistent_translations, shared_translations
from align.checks.glossary import glossary_violations
from align.checks.length import length_ratio_outliers, length_z_scores
from align.checks.numbers import number_mismatch
from align.checks.tokens import missing_tokens
from align.checks.untranslated import other_language_passages, untranslated_passages
from align.encoders.use import UseEncoder
from align.load import find_inputs
from align.model import Alignment, Bead, Document, Finding, Segment
from align.pipeline import Pipeline
from tests import story
from tests.conftest import REPO, SEEDS, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "check"
GLOSSARY = FIXTURES / "glossary.csv"
REQUIRES = ("en", "ru", "both")
DOCUMENT = Document("doc", "doc.ru.txt", "doc.en.txt")  # for alignments built by hand from plain text


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(UseEncoder())


def aligned(pipeline: Pipeline, *paths: Path) -> list[Alignment]:
    inputs, errors = find_inputs([str(path) for path in paths])
    assert not errors
    results = list(pipeline.run(inputs))
    assert all(isinstance(result, Alignment) for result in results), results
    return results


def pair(name: str) -> tuple[Path, Path]:
    return FIXTURES / f"{name}.ru.txt", FIXTURES / f"{name}.en.txt"


@pytest.fixture(scope="module")
def fixture_alignments(pipeline: Pipeline) -> dict[str, Alignment]:
    """Every RU/EN pair under tests/fixtures/check, aligned once, by document name."""
    return {alignment.document.name: alignment for alignment in aligned(pipeline, FIXTURES)}


@pytest.fixture(scope="module")
def seed_alignments(pipeline: Pipeline) -> list[Alignment]:
    return aligned(pipeline, SEEDS)


def line_of(path: str | Path, number: int) -> str:
    return Path(path).read_text(encoding="utf-8").splitlines()[number - 1]


def summary(found: list[Finding]) -> list[tuple[str, str, int, int]]:
    return [(f.rule, Path(f.file).name, f.line, f.end_line) for f in found]


# ---------------------------------------------------------------------------------------- no false alarms


def test_fixtures_are_aligned_as_written(fixture_alignments: dict[str, Alignment]) -> None:
    assert sorted(fixture_alignments) == [
        "clean",
        "copied",
        "dropped_paragraph",
        "glossary",
        "inconsistent",
        "ukrainian",
        "wrong_number",
    ]
    for alignment in fixture_alignments.values():
        assert alignment.document.ru_file.endswith(".ru.txt")
        assert alignment.document.en_file.endswith(".en.txt")


@pytest.mark.parametrize("require", REQUIRES)
def test_a_faithful_translation_gives_no_finding(fixture_alignments: dict[str, Alignment], require: str) -> None:
    clean = fixture_alignments["clean"]
    ru = Path(clean.document.ru_file).read_text(encoding="utf-8")
    en = Path(clean.document.en_file).read_text(encoding="utf-8")
    # The forms the number rule must see as equal are really there.
    for written in ("1 апреля", "2022 г.", "1 000 000", "15 000", "23:00", "[1]", "SkyLib", "https://library."):
        assert written in ru
    for written in ("April 1", "2022", "1,000,000", "15,000", "11 p.m.", "[1]", "SkyLib", "https://library."):
        assert written in en
    assert all(bead.paired for bead in clean.beads)
    options = CheckOptions(require=require, terms=read_glossary(str(GLOSSARY)))
    assert findings([clean], options) == []


def test_seeds_have_no_finding_when_english_is_required(seed_alignments: list[Alignment]) -> None:
    pairs = [bead for alignment in seed_alignments for bead in alignment.beads if bead.paired]
    assert len(pairs) == 4  # the title, two sentences after it and the OSCE quotation ("1 апреля" ↔ "1 April")
    options = CheckOptions(require="en")
    assert findings(seed_alignments, options) == []
    for alignment in seed_alignments:
        for rule in RULES.values():
            if rule.per_document:
                assert rule.load()(alignment, options) == [], rule.id


def test_seeds_english_passages_at_their_real_lines(seed_alignments: list[Alignment]) -> None:
    options = CheckOptions(require="ru")
    found = [f for alignment in seed_alignments for f in untranslated_passages(alignment, options)]
    first = found[0]
    assert (Path(first.file).name, first.line, first.end_line) == ("000_b5426c6a0af5841d.txt", 3, 3)
    assert first.en == "Will Lukashenko bare his rear for Putin?"
    assert (first.rule, first.severity, first.lang, first.ru) == ("untranslated", "error", "en", "")
    assert first.message == (
        'English passage without Russian counterpart (1 sentence): "Will Lukashenko bare his rear for Putin?"'
    )
    untranslated = [b for alignment in seed_alignments for b in alignment.beads if b.en and not b.ru]
    counts = [int(f.message.split("(")[1].split(" ")[0]) for f in found]
    assert sum(counts) == len(untranslated) == 123
    assert len(found) < 123  # sentences of one paragraph are grouped into one passage
    for finding in found:
        assert finding.lang == "en" and finding.file.endswith(".txt")
        assert finding.en.split()[0] in line_of(finding.file, finding.line)
        assert finding.en.split()[-1] in line_of(finding.file, finding.end_line)
    assert findings(seed_alignments, CheckOptions(require="both")) == sorted_findings(found)


# ---------------------------------------------------------------------------------------- one problem per fixture


def test_one_changed_number_is_one_number_mismatch(fixture_alignments: dict[str, Alignment]) -> None:
    alignment = fixture_alignments["wrong_number"]
    found = findings([alignment], CheckOptions())
    assert summary(found) == [("number-mismatch", "wrong_number.en.txt", 3, 3)]
    assert found[0].message == "numbers differ: only in Russian: 2019; only in English: 2021"
    assert found[0].ru.startswith("В 2019 году") and found[0].en.startswith("In 2021")
    # With Russian required, the Russian side is the translation and is pointed at.
    assert summary(findings([alignment], CheckOptions(require="ru"))) == [
        ("number-mismatch", "wrong_number.ru.txt", 3, 3)
    ]


def test_a_dropped_paragraph_is_one_untranslated_passage(fixture_alignments: dict[str, Alignment]) -> None:
    alignment = fixture_alignments["dropped_paragraph"]
    found = findings([alignment], CheckOptions())
    assert summary(found) == [("untranslated", "dropped_paragraph.ru.txt", 6, 7)]
    finding = found[0]
    assert (finding.severity, finding.lang, finding.en, finding.document) == ("error", "ru", "", "dropped_paragraph")
    assert finding.ru.startswith("Архитекторы сохранили") and finding.ru.endswith("длиной два километра.")
    assert finding.message.startswith("Russian passage without English counterpart (2 sentences): ")
    assert findings([alignment], CheckOptions(require="ru")) == []
    assert summary(findings([alignment], CheckOptions(require="both"))) == summary(found)


def test_a_copied_sentence_is_a_copy(fixture_alignments: dict[str, Alignment]) -> None:
    found = findings([fixture_alignments["copied"]], CheckOptions())
    assert summary(found) == [("copy", "copied.en.txt", 3, 3)]
    assert found[0].ru == found[0].en == "Коллекцию собирал местный инженер на протяжении всей жизни."


def test_english_copied_into_the_russian_file_is_a_copy(pipeline: Pipeline, tmp_path: Path) -> None:
    english = "The collection was assembled by a local engineer over his whole life."
    ru_path, en_path = pair("copied")
    ru = ru_path.read_text(encoding="utf-8").replace(
        "Коллекцию собирал местный инженер на протяжении всей жизни.", english
    )
    en = en_path.read_text(encoding="utf-8").replace(
        "Коллекцию собирал местный инженер на протяжении всей жизни.", english
    )
    (tmp_path / "museum.ru.txt").write_text(ru, encoding="utf-8")
    (tmp_path / "museum.en.txt").write_text(en, encoding="utf-8")
    found = findings(aligned(pipeline, tmp_path), CheckOptions(require="ru"))
    assert summary(found) == [("copy", "museum.ru.txt", 3, 3)]
    assert found[0].ru == found[0].en == english


def test_the_same_sentence_translated_two_ways(fixture_alignments: dict[str, Alignment]) -> None:
    alignment = fixture_alignments["inconsistent"]
    ru_file, en_file = alignment.document.ru_file, alignment.document.en_file
    found = findings([alignment], CheckOptions())
    assert summary(found) == [
        ("inconsistent-translation", "inconsistent.en.txt", 3, 3),
        ("shared-translation", "inconsistent.en.txt", 3, 3),
    ]
    inconsistent, shared = found
    assert inconsistent.related == ((en_file, 3), (en_file, 5))
    assert inconsistent.ru == "Безопасность важнее скорости."
    assert inconsistent.en == "Safety matters more than speed.\nSafety comes before speed."
    assert inconsistent.message == 'the same sentence is translated 2 ways in 2 places: "Безопасность важнее скорости."'
    assert shared.related == ((ru_file, 3), (ru_file, 5))
    assert shared.en == "We value everyone."
    assert shared.ru == "Мы ценим вклад каждого.\nКаждый сотрудник для нас важен."
    # With English as the source the two rules trade places.
    options = CheckOptions(require="ru")
    reverse = inconsistent_translations([alignment], options) + shared_translations([alignment], options)
    assert {(f.rule, f.en.split("\n")[0]) for f in reverse} == {
        ("inconsistent-translation", "We value everyone."),
        ("shared-translation", "Safety matters more than speed."),
    }


def test_consistency_is_judged_across_documents(fixture_alignments: dict[str, Alignment]) -> None:
    alignments = [fixture_alignments[name] for name in ("inconsistent", "clean", "wrong_number")]
    options = CheckOptions()
    assert [f.rule for f in inconsistent_translations(alignments, options)] == ["inconsistent-translation"]
    assert [f.rule for f in shared_translations(alignments, options)] == ["shared-translation"]
    unrelated = [fixture_alignments["clean"], fixture_alignments["glossary"]]
    assert inconsistent_translations(unrelated, options) == shared_translations(unrelated, options) == []


def test_a_glossary_term_translated_otherwise(fixture_alignments: dict[str, Alignment]) -> None:
    alignment = fixture_alignments["glossary"]
    glossary = read_glossary(str(GLOSSARY))
    assert glossary == (
        ("трибунал", "tribunal"),
        ("международный трибунал", "international tribunal"),
        ("загрязнение", "pollution"),
    )
    found = findings([alignment], CheckOptions(terms=glossary))
    assert summary(found) == [("glossary", "glossary.en.txt", 5, 5)]
    assert found[0].message == 'glossary: "трибунал" should be translated as "tribunal"'
    assert "трибуналом" in found[0].ru and "court" in found[0].en
    assert findings([alignment], CheckOptions()) == []
    # English as the source: "tribunal" on line 3 has its Russian term, nothing is reported.
    assert glossary_violations(alignment, CheckOptions(require="ru", terms=glossary)) == []


def test_a_third_language_paragraph_is_one_other_language_passage(fixture_alignments: dict[str, Alignment]) -> None:
    alignment = fixture_alignments["ukrainian"]
    found = findings([alignment], CheckOptions(require="both"))
    assert summary(found) == [("other-language", "ukrainian.ru.txt", 5, 5)]
    finding = found[0]
    assert (finding.severity, finding.lang) == ("warning", "uk")
    assert finding.message.startswith("passage in Ukrainian (uk), neither Russian nor English (2 sentences): ")
    assert finding.ru.startswith("Гості фестивалю") and finding.ru.endswith("до пізнього вечора.")
    rest = other_language_passages(alignment, CheckOptions(ignore=("^Гості",)))
    assert [(f.ru, f.line) for f in rest] == [("Свято тривало до пізнього вечора.", 5)]


# ---------------------------------------------------------------------------------------- ignore, order, options


def test_ignore_patterns_silence_matching_sentences(fixture_alignments: dict[str, Alignment]) -> None:
    alignments = list(fixture_alignments.values())
    assert not [f for f in findings(alignments, CheckOptions(ignore=("2019",))) if f.rule == "number-mismatch"]
    shorter = untranslated_passages(fixture_alignments["dropped_paragraph"], CheckOptions(ignore=(r"^Вдоль реки",)))
    assert summary(shorter) == [("untranslated", "dropped_paragraph.ru.txt", 6, 6)]
    assert "(1 sentence)" in shorter[0].message
    everything = r"[\s\S]"
    assert findings(alignments, CheckOptions(require="both", ignore=(everything,))) == []


def test_findings_are_sorted_unique_and_deterministic(fixture_alignments: dict[str, Alignment]) -> None:
    alignments = list(fixture_alignments.values())
    options = CheckOptions(require="both", terms=read_glossary(str(GLOSSARY)))
    found = findings(alignments, options)
    assert found == findings(list(reversed(alignments)), options)
    assert len(set(found)) == len(found)
    assert found == sorted_findings(reversed(found))
    assert [(f.file, f.line) for f in found] == sorted((f.file, f.line) for f in found)
    assert {f.rule for f in found} == {
        "untranslated",
        "other-language",
        "number-mismatch",
        "copy",
        "inconsistent-translation",
        "shared-translation",
        "glossary",
    }
    assert len({f.fingerprint for f in found}) == len(found)


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="require"):
        CheckOptions(require="de")
    with pytest.raises(ValueError, match="ignore pattern '\\(' is not a valid regular expression"):
        CheckOptions(ignore=("(",))
    with pytest.raises(ValueError, match="min_confidence"):
        CheckOptions(min_confidence=2.0)


# ---------------------------------------------------------------------------------------- rules on plain text


@pytest.mark.parametrize(
    ("ru", "en"),
    [
        ("Встреча 1 апреля 2022 г. в 23:00.", "The meeting on April 1, 2022, at 11 p.m."),
        ("Встреча 1-го апреля.", "The meeting on 1st April."),
        ("Тираж — 1 000 000 экземпляров.", "The print run is 1,000,000 copies."),
        ("Тираж — 1\u00a0000\u2009000 экземпляров.", "The print run is 1,000,000 copies."),
        ("Население — 1.234.567 человек.", "The population is 1,234,567."),
        ("Цена выросла на 3,5 %.", "The price rose by 3.5%."),
        ("Рост составил 3,500 %.", "Growth was 3.5%."),
        ("Продано 2,500 тонн.", "2,500 tonnes were sold."),
        ("Митинг начался в 12.30.", "The rally began at 12:30."),
        ("Дата: 01.04.2022.", "Date: 4/1/2022."),
        ("В 2010–2011 гг.", "In 2010–11."),
        ("Это было в XX веке.", "It was in the 20th century."),
        ("Пётр I основал город.", "Peter the Great founded the city."),
        ("Он пришёл 2-м, см. [3].", "He came 2nd."),
        ("Поезд прибыл в 23 часа.", "The train arrived at 11 p.m."),
        ("Поезд прибыл в 10 часов вечера.", "The train arrived at 10 p.m."),
    ],
)
def test_numbers_written_differently_match(ru: str, en: str) -> None:
    assert number_mismatch(ru, en) == ""


@pytest.mark.parametrize(
    ("ru", "en", "message"),
    [
        ("В 2019 году рост составил 15%.", "In 2021 growth was 15%.", "only in Russian: 2019; only in English: 2021"),
        ("Цена — 3,5 рубля.", "The price is 3.6 roubles.", "only in Russian: 3,5; only in English: 3.6"),
        ("Встреча 1 апреля.", "The meeting on April 2.", "only in Russian: 1; only in English: 2"),
        ("Тираж 1 000 экземпляров.", "A run of 10,000 copies.", "only in Russian: 1 000; only in English: 10,000"),
        ("Митинг в 23:00.", "The rally at 10 p.m.", "only in Russian: 23:00; only in English: 10 p.m."),
        ("Он купил дом.", "He bought 2 houses.", "only in English: 2"),
    ],
)
def test_different_numbers_are_named(ru: str, en: str, message: str) -> None:
    assert number_mismatch(ru, en) == f"numbers differ: {message}"


def test_tokens_on_one_side_only() -> None:
    assert (
        missing_tokens("Матрас SkySleep одобрен ОБСЕ [2].", "The SkySleep mattress is approved by the OSCE [2].") == ""
    )
    assert missing_tokens("Это было в XX веке.", "It was in the 20th century.") == ""
    assert missing_tokens("Об этом сообщила OSCE [2].", "This was reported.") == "missing in English: [2], OSCE"
    assert (
        missing_tokens("Пишите нам.", "Write to info@example.org or see www.example.org/help.")
        == "missing in Russian: www.example.org/help, info@example.org"
    )
    assert missing_tokens("Сайт: https://Example.org/a/.", "Site: example.org/a") == ""


def bead(ru: str, en: str, line: int) -> Bead:
    ru_segment = Segment("doc.ru.txt", 0, len(ru), line, ru, "ru", line)
    en_segment = Segment("doc.en.txt", 0, len(en), line, en, "en", line)
    return Bead((ru_segment,), (en_segment,), 0.9)


def test_length_ratio_outliers_need_eight_pairs() -> None:
    regular = [bead("Это обычное предложение номер.", "This is an ordinary sentence no.", n) for n in range(1, 8)]
    odd = bead("Это гораздо более длинное предложение, в котором много лишних слов.", "Short one.", 9)
    assert length_z_scores(regular) == [None] * 7
    assert all(z is None for z in length_z_scores(regular[:6] + [odd]))
    scores = length_z_scores(regular + [odd])
    assert all(z is not None and abs(z) < 1 for z in scores[:-1])
    assert scores[-1] is not None and scores[-1] > 3
    document_alignment = Alignment(document=DOCUMENT, beads=regular + [odd])
    found = findings([document_alignment], CheckOptions())
    assert summary(found) == [("length-ratio", "doc.en.txt", 9, 9)]
    assert length_ratio_outliers(document_alignment, CheckOptions(length_ratio_z=10.0)) == []
    # The ignored pair still counts towards the document's distribution; it is only not reported.
    assert length_ratio_outliers(document_alignment, CheckOptions(ignore=("^Это гораздо",))) == []
    assert found[0].message.startswith("unusual length ratio for this document: Russian side 6.7× as long")
    assert math.isclose(length_z_scores([odd] * 8)[0] or 0.0, 0.0)


def linked_bead(ru: str, en: str, line: int) -> Bead:
    """A bead whose sentences' `(https://…)` link targets are markup spans, as the Markdown reader gives them."""

    def segment(file: str, text: str, lang: str) -> Segment:
        markup = tuple((m.start(), m.end()) for m in re.finditer(r"\]\([^)]*\)", text))
        return Segment(file, 0, len(text), line, text, lang, line, markup=markup)

    return Bead((segment("doc.ru.txt", ru, "ru"),), (segment("doc.en.txt", en, "en"),), 0.9)


def test_length_ratio_reads_prose_so_link_targets_never_make_an_outlier() -> None:
    regular = [bead("Это обычное предложение номер.", "This is an ordinary sentence no.", n) for n in range(1, 9)]
    url = "(https://developer.mozilla.org/en-US/docs/Learn/" + "a" * 60 + ")"
    english = "This is an [ordinary]" + url + " [one]" + url + " [too]" + url + "."
    links = linked_bead("Это обычное [предложение]" + url + ".", english, 9)

    assert length_ratio_outliers(Alignment(document=DOCUMENT, beads=[*regular, links]), CheckOptions()) == []
    unmarked = bead(links.ru[0].text, links.en[0].text, 9)  # the same texts, the targets counted as text
    assert summary(length_ratio_outliers(Alignment(document=DOCUMENT, beads=[*regular, unmarked]), CheckOptions())) == [
        ("length-ratio", "doc.en.txt", 9, 9)
    ]


def test_low_confidence_pairs() -> None:
    sure = bead("Кошка спит.", "The cat sleeps.", 1)
    alignment = Alignment(document=DOCUMENT, beads=[Bead(sure.ru, sure.en, 0.3)])
    found = low_confidence_pairs(alignment, CheckOptions(min_confidence=0.5))
    assert summary(found) == [("low-confidence", "doc.en.txt", 1, 1)]
    assert found[0].message == "low alignment confidence 0.30 (below 0.50)"
    assert (found[0].severity, found[0].ru, found[0].en) == ("warning", "Кошка спит.", "The cat sleeps.")
    assert low_confidence_pairs(alignment, CheckOptions(min_confidence=0.25)) == []


def test_glossary_matches_word_forms() -> None:
    glossary = (("трибунал", "tribunal"), ("Верховная рада", "Verkhovna Rada"))
    beads = [
        bead("Трибуналы вынесли решения.", "The tribunals ruled.", 1),
        bead("Депутаты Верховной рады проголосовали.", "Members of the Verkhovna Rada voted.", 2),
        bead("Депутаты Верховной рады проголосовали.", "Members of parliament voted.", 3),
        bead("Трибуна была пуста.", "The stand was empty.", 4),
    ]
    alignment = Alignment(document=DOCUMENT, beads=beads)
    found = glossary_violations(alignment, CheckOptions(terms=glossary))
    assert summary(found) == [("glossary", "doc.en.txt", 3, 3)]
    assert found[0].message == 'glossary: "Верховная рада" should be translated as "Verkhovna Rada"'


def test_glossary_entries_for_one_term_are_alternatives() -> None:
    glossary = (("суд", "court"), ("суд", "tribunal"), ("суд", "court"))
    beads = [bead("Суд вынес решение.", "The tribunal ruled.", 1), bead("Суда не было.", "There was no judge.", 2)]
    found = glossary_violations(Alignment(document=DOCUMENT, beads=beads), CheckOptions(terms=glossary))
    assert summary(found) == [("glossary", "doc.en.txt", 2, 2)]
    assert found[0].message == 'glossary: "суд" should be translated as "court" or "tribunal"'


def test_an_empty_alignment_has_no_finding() -> None:
    options = CheckOptions(require="both", terms=(("суд", "court"),))
    assert findings([Alignment(document=DOCUMENT, beads=[])], options) == []
    assert findings([], options) == []


# ---------------------------------------------------------------------------------------- reading a glossary


def test_read_glossary_accepts_bom_semicolons_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes("\ufeffnote;EN;RU\nx;tribunal;трибунал\n\n;court;суд\n;court;суд\n".encode())
    assert read_glossary(str(path)) == (("трибунал", "tribunal"), ("суд", "court"))


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file; expected a header row with the columns ru,en"),
        (b"russian,english\n\xd1\x81\xd1\x83\xd0\xb4,court\n", "line 1: expected a header row with the columns ru,en"),
        ("ru,en\nсуд,\n".encode(), "line 2: empty English term"),
        ("ru,en\nсуд\n".encode(), "line 2: expected 2 columns, found 1"),
        ("ru,en\nсуд,court\n".encode("cp1251"), "not UTF-8 text"),
    ],
)
def test_read_glossary_errors_name_the_file(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes(content)
    with pytest.raises(ValueError) as error:
        read_glossary(str(path))
    assert str(error.value) == f"{path}: {problem}"


def test_read_glossary_missing_file_and_tbx(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^.*nothing\.csv: no such file$"):
        read_glossary(str(tmp_path / "nothing.csv"))
    with pytest.raises(ValueError, match=r"^.*terms\.tbx: TBX glossaries are not supported"):
        read_glossary(str(tmp_path / "terms.tbx"))
    with pytest.raises(ValueError, match="is a directory"):
        read_glossary(str(tmp_path))


# ---------------------------------------------------------------------------------------- the text report


def srt_of(texts: list[str], first_cue: int = 1) -> str:
    """An SRT file: one two-second cue per text."""
    blocks = [
        f"{n}\n00:00:{2 * k:02d},000 --> 00:00:{2 * k + 2:02d},000\n{text}\n"
        for k, (n, text) in enumerate(enumerate(texts, start=first_cue))
    ]
    return "\n".join(blocks)


def test_the_text_report_shows_each_finding_at_file_line_and_the_cue_of_a_subtitle(tmp_path: Path) -> None:
    ru_txt, en_txt = story.write_text_pair(tmp_path / "txt")
    english = [story.EN[0], story.EN[story.DELETED], story.EN[-1]]
    (tmp_path / "srt").mkdir()
    ru_srt, en_srt = tmp_path / "srt" / "story.ru.srt", tmp_path / "srt" / "story.en.srt"
    ru_srt.write_text(srt_of([story.RU[0], story.RU[-1]]), encoding="utf-8")
    en_srt.write_text(srt_of(english), encoding="utf-8")

    code, stdout, _ = run_cli("check", str(tmp_path / "txt"), str(tmp_path / "srt"), "--require", "ru")

    assert code == 1
    deleted_line = en_srt.read_text(encoding="utf-8").splitlines().index(story.EN[story.DELETED]) + 1
    finding_lines = [line for line in stdout.splitlines() if " untranslated " in line]
    text_line = en_txt.read_text(encoding="utf-8").splitlines().index(story.EN[story.DELETED]) + 1
    assert [line.split("  ")[0] for line in finding_lines] == [  # sorted by file: srt/ before txt/
        f"{en_srt}:{deleted_line} (cue 2 00:00:02,000 --> 00:00:04,000)",
        f"{en_txt}:{text_line}",  # a text file has lines and nothing more
    ]
    assert str(ru_txt) not in stdout
