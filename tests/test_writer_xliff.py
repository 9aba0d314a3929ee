"""The XLIFF 1.2 writer (align/writers/xliff.py): schema-valid files, read back by translate-toolkit and by align's own
XLIFF reader with the same texts and states; corpus and Dask-shard concatenation give the same bytes."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import xliff

from align import writers
from align.model import Alignment, Bead, Document, Segment
from align.readers.bilingual import XliffReader
from align.signature import signature_of
from align.writers import WriteContext
from align.writers.xliff import XLIFF_NAMESPACE, XliffWriter
from tests.conftest import SEEDS, run_cli

SCHEMA = Path(__file__).resolve().parent / "schemas" / "xliff-1.2-subset.xsd"
NS = {"x": XLIFF_NAMESPACE}
UNIT = f"{{{XLIFF_NAMESPACE}}}trans-unit"
DATE = "20231114T221320Z"
SIGNATURE = signature_of("0.1.0", "use-multilingual-v3", "7dede7dd", {"langs": "ru,en", "max-bead": 2})
CONTEXT = WriteContext("0.1.0", DATE, signature=SIGNATURE)


def segment(text: str, lang: str, line: int, file: str = "museum.txt") -> Segment:
    return Segment(file=file, start=0, end=len(text), line=line, text=text, lang=lang, paragraph=line)


def museum() -> Alignment:
    """Paired beads (one 2-1), a Russian sentence without English, an English one without Russian, a Ukrainian one."""
    ru = [
        segment("Музей открыт с 10 до 18 часов.", "ru", 1),
        segment("Вход свободный.", "ru", 3),
        segment("По понедельникам музей закрыт.", "ru", 4),
        segment("Экскурсии проводятся по субботам.", "ru", 6),
        segment("Фотографировать можно без вспышки.", "ru", 8),
    ]
    en = [
        segment("The museum is open from 10 am to 6 pm.", "en", 2),
        segment("Admission is free; the museum is closed on Mondays.", "en", 5),
        segment("A gift shop is on the ground floor.", "en", 7),
        segment("Photos are allowed without flash.", "en", 9),
    ]
    other = segment("Музей працює щодня.", "other", 10)
    beads = [
        Bead((ru[0],), (en[0],), 0.91),
        Bead((ru[1], ru[2]), (en[1],), 0.77),
        Bead((ru[3],), (), 0.0),
        Bead((), (en[2],), 0.0),
        Bead((ru[4],), (en[3],), 0.88),
        Bead((), (), 0.0, (other,)),
    ]
    document = Document("museum", "museum.txt", "museum.txt", ru, en, [other])
    return Alignment(document, beads)


def gallery() -> Alignment:
    ru = segment("Галерея находится на втором этаже.", "ru", 1, "gallery.ru.txt")
    en = segment("The gallery is on the second floor.", "en", 1, "gallery.en.txt")
    return Alignment(Document("gallery", "gallery.ru.txt", "gallery.en.txt", [ru], [en]), [Bead((ru,), (en,), 0.95)])


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def assert_valid(schema: etree.XMLSchema, text: str) -> etree._Element:
    root = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(root), schema.error_log.filter_from_errors()
    return root


# ---------------------------------------------------------------------------------------------- the file


def test_a_document_is_valid_xliff_1_2(schema: etree.XMLSchema) -> None:
    text = XliffWriter().document(museum(), CONTEXT)
    root = assert_valid(schema, text)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    assert root.get("version") == "1.2" and root.tag == f"{{{XLIFF_NAMESPACE}}}xliff"
    files = root.findall("x:file", NS)
    assert [(f.get("original"), f.get("source-language"), f.get("target-language")) for f in files] == [
        ("museum", "ru", "en"),
        ("museum", "en", "ru"),  # the English passage without Russian: English is its source
    ]
    assert {file.get("date") for file in files} == {"2023-11-14T22:13:20Z"}


def units_of(root: etree._Element) -> list[tuple[str | None, ...]]:
    """(file's source language, id, translate, source, target or None, state or None) of every unit."""
    return [
        (
            file.get("source-language"),
            unit.get("id"),
            unit.get("translate"),
            unit.findtext("x:source", namespaces=NS),
            unit.findtext("x:target", namespaces=NS),
            unit.find("x:target", NS).get("state") if unit.find("x:target", NS) is not None else None,
        )
        for file in root.findall("x:file", NS)
        for unit in file.iter(f"{{{XLIFF_NAMESPACE}}}trans-unit")
    ]


def test_every_bead_is_a_unit_the_untranslated_of_either_side_with_an_empty_target(schema: etree.XMLSchema) -> None:
    root = assert_valid(schema, XliffWriter().document(museum(), CONTEXT))
    waiting, done = "needs-translation", "translated"  # XLIFF 1.2's counterpart of XLIFF 2's state="initial"
    assert units_of(root) == [
        ("ru", "museum#1", None, "Музей открыт с 10 до 18 часов.", "The museum is open from 10 am to 6 pm.", done),
        (
            "ru",
            "museum#2",
            None,
            "Вход свободный. По понедельникам музей закрыт.",
            "Admission is free; the museum is closed on Mondays.",
            "translated",
        ),
        ("ru", "museum#3", None, "Экскурсии проводятся по субботам.", "", waiting),
        ("ru", "museum#5", None, "Фотографировать можно без вспышки.", "Photos are allowed without flash.", done),
        ("ru", "museum#6", "no", "Музей працює щодня.", None, None),  # a third language: kept, not for translation
        ("en", "museum#4", None, "A gift shop is on the ground floor.", "", waiting),
    ]
    notes = [note.text for note in root.iterfind(".//x:trans-unit/x:note", NS)]
    assert notes == [
        "score 0.9100; lines ru 1, en 2",
        "score 0.7700; lines ru 3-4, en 5",
        "score 0.0000; lines ru 6",
        "score 0.8800; lines ru 8, en 9",
        "in another language, neither Russian nor English: not for translation; lines 10",
        "score 0.0000; lines en 7",
    ]


def test_each_header_holds_the_tool_and_the_signature(schema: etree.XMLSchema) -> None:
    root = assert_valid(schema, XliffWriter().document(museum(), CONTEXT))
    for header in root.findall("x:file/x:header", NS):
        tool = header.find("x:tool", NS)
        assert tool is not None and (tool.get("tool-id"), tool.get("tool-version")) == ("align", "0.1.0")
        assert [note.text for note in header.findall("x:note", NS)] == [f"align-signature: {SIGNATURE}"]


def test_a_document_without_english_only_passages_is_one_file(schema: etree.XMLSchema) -> None:
    root = assert_valid(schema, XliffWriter().document(gallery(), CONTEXT))
    assert [file.get("source-language") for file in root.findall("x:file", NS)] == ["ru"]


def test_translate_toolkit_reads_back_the_same_texts_and_states() -> None:
    text = XliffWriter().document(museum(), CONTEXT)
    store = xliff.xlifffile.parsestring(text.encode("utf-8"))
    assert store.getsourcelanguage() == "ru" and store.gettargetlanguage() == "en"
    got = [(unit.getid(), unit.source, unit.target or "", unit.get_state_n()) for unit in store.units]
    translated, waiting = xliff.xliffunit.S_TRANSLATED, xliff.xliffunit.S_NEEDS_TRANSLATION
    beads = list(enumerate(museum().beads, start=1))
    expected = [
        (
            f"museum\x04museum#{n}",
            " ".join(s.text for s in bead.ru or bead.other),
            " ".join(s.text for s in bead.en),
            translated if bead.paired else waiting if bead.ru else 0,
        )
        for n, bead in beads
        if bead.ru or bead.other
    ] + [(f"museum\x04museum#{n}", bead.en[0].text, "", waiting) for n, bead in beads if bead.en and not bead.ru]
    assert got == expected
    assert [unit.istranslatable() for unit in store.units] == [True, True, True, True, False, True]
    assert not any(unit.isapproved() for unit in store.units)  # aligned by a machine: nobody has reviewed them


def test_align_reads_its_own_xliff_back_as_the_same_beads(tmp_path: Path) -> None:
    path = tmp_path / "museum.xlf"
    path.write_text(XliffWriter().document(museum(), CONTEXT), encoding="utf-8")
    reader = XliffReader()
    again = reader.alignment(reader.source(str(path), path.read_bytes()), "museum")
    sides = [(" ".join(s.text for s in bead.ru), " ".join(s.text for s in bead.en)) for bead in again.beads]
    beads = museum().beads
    written = [bead for bead in beads if bead.ru] + [bead for bead in beads if not bead.ru and bead.en]
    assert sides == [(" ".join(s.text for s in bead.ru), " ".join(s.text for s in bead.en)) for bead in written]
    assert [bead.kind for bead in again.beads] == ["1-1", "1-1", "1-0", "1-1", "0-1"]  # translate="no" is not read


def test_the_schema_rejects_what_xliff_1_2_does_not_allow(schema: etree.XMLSchema) -> None:
    """The test schema can fail: XLIFF 2's state="initial", a missing datatype, a duplicate id are errors."""
    text = XliffWriter().document(museum(), CONTEXT)
    for broken in (
        text.replace('state="needs-translation"', 'state="initial"'),
        text.replace(' datatype="plaintext"', ""),
        text.replace('id="museum#2"', 'id="museum#1"'),
        text.replace('tool-id="align" date', 'tool-id="okapi" date'),
    ):
        assert broken != text
        assert not schema.validate(etree.fromstring(broken.encode("utf-8")))


def test_characters_xml_forbids_are_replaced_and_the_file_stays_valid(schema: etree.XMLSchema) -> None:
    ru = segment("Сигнал\x07 тревоги.", "ru", 1)
    en = segment("Alarm\x0b signal.", "en", 1)
    alignment = Alignment(Document("bell\x01", "b.txt", "b.txt", [ru], [en]), [Bead((ru,), (en,), 0.9)])
    root = assert_valid(schema, XliffWriter().document(alignment, CONTEXT))
    assert root.findtext(".//x:source", namespaces=NS) == "Сигнал\ufffd тревоги."
    assert root.find("x:file", NS).get("original") == "bell\ufffd"


# ------------------------------------------------------------------------------------ corpus and shards


def test_the_corpus_has_one_file_per_document_and_concatenation_gives_its_bytes(schema: etree.XMLSchema) -> None:
    writer = XliffWriter()
    alignments = [museum(), gallery()]
    corpus = writer.corpus(alignments, CONTEXT)
    root = assert_valid(schema, corpus)
    assert [file.get("original") for file in root.findall("x:file", NS)] == ["museum", "museum", "gallery"]
    parts = [writer.document(alignment, CONTEXT) for alignment in alignments]
    assert writer.concatenate(parts, CONTEXT) == corpus
    assert writer.concatenate(parts[:1], CONTEXT) == parts[0]


def test_an_empty_run_is_still_a_valid_file(schema: etree.XMLSchema) -> None:
    writer = XliffWriter()
    empty = writer.corpus([], CONTEXT)
    assert_valid(schema, empty)
    assert writer.concatenate([], CONTEXT) == empty
    no_units = Alignment(Document("blank", "blank.txt", "blank.txt"), [])
    assert_valid(schema, writer.document(no_units, CONTEXT))


def test_the_same_alignment_gives_the_same_bytes() -> None:
    assert XliffWriter().document(museum(), CONTEXT) == XliffWriter().document(museum(), CONTEXT)
    assert XliffWriter().suffix == ".xlf" and XliffWriter().corpus_name == "corpus.xlf"


# ------------------------------------------------------------------------------------------- end to end


def test_run_on_a_seed_writes_xliff_with_the_pairs_of_the_jsonl(
    tmp_path: Path, schema: etree.XMLSchema, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`align run SEED -f xliff,jsonl` with the real encoder (the format registered here until the registry has it)."""
    monkeypatch.setitem(writers.REGISTRY, "xliff", "align.writers.xliff:XliffWriter")
    seed = sorted(SEEDS.glob("*.txt"))[0]
    out = tmp_path / "out"
    code, _, stderr = run_cli("run", str(seed), "--out", str(out), "-f", "xliff,jsonl", "-q")
    assert code == 0, stderr
    root = assert_valid(schema, (out / f"{seed.stem}.xlf").read_text(encoding="utf-8"))
    assert_valid(schema, (out / "corpus.xlf").read_text(encoding="utf-8"))
    records = [json.loads(line) for line in (out / f"{seed.stem}.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [(r["ru"]["text"], r["en"]["text"]) for r in records if r["ru"]["text"] and r["en"]["text"]]
    untranslated = [r["ru"]["text"] for r in records if r["ru"]["text"] and not r["en"]["text"]]
    units = list(root.find("x:file[@source-language='ru']", NS).iter(UNIT))
    translated = [u for u in units if u.find("x:target", NS).get("state") == "translated"]
    assert [(u.findtext("x:source", namespaces=NS), u.findtext("x:target", namespaces=NS)) for u in translated] == pairs
    waiting = [u.findtext("x:source", namespaces=NS) for u in units if u not in translated]
    assert waiting == untranslated and pairs
    english_only = [r["en"]["text"] for r in records if r["en"]["text"] and not r["ru"]["text"]]
    english_file = root.find("x:file[@source-language='en']", NS)
    assert english_only and [u.findtext("x:source", namespaces=NS) for u in english_file.iter(UNIT)] == english_only


# ---------------------------------------------------------------------------------------- inline markup

RU_PAGE = "# Условия {#conditions}\n\nДиректива `v-if` показывает блок, только если [выражение](/guide/e) истинно.\n"
EN_PAGE = "# Conditions {#conditions}\n\nThe `v-if` directive shows a block if the [expression](/guide/e) is true.\n"


def inline_of(element: etree._Element) -> list[tuple[str, str | None, str | None]]:
    """(tag without namespace, id, native code) of each inline element of a <source> or <target>."""
    return [(etree.QName(child).localname, child.get("id"), child.text) for child in element]


def test_inline_markup_becomes_xliff_codes_that_pair_up_and_keep_their_ids(
    tmp_path: Path, schema: etree.XMLSchema, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(writers.REGISTRY, "xliff", "align.writers.xliff:XliffWriter")
    (tmp_path / "page.ru.md").write_text(RU_PAGE, encoding="utf-8")
    (tmp_path / "page.en.md").write_text(EN_PAGE, encoding="utf-8")
    out = tmp_path / "out"

    code, _, stderr = run_cli("run", str(tmp_path), "--out", str(out), "-f", "xliff", "-q")

    assert code == 0, stderr
    text = (out / "page.xlf").read_text(encoding="utf-8")
    root = assert_valid(schema, text)
    heading, sentence = root.iter(UNIT)
    assert inline_of(heading.find("x:source", NS)) == [("ph", "1", " {#conditions}")]
    assert inline_of(heading.find("x:target", NS)) == [("ph", "1", " {#conditions}")]  # the same code, the same id
    assert inline_of(sentence.find("x:source", NS)) == [
        ("ph", "1", "`v-if`"),
        ("bpt", "2", "["),
        ("ept", "2", "](/guide/e)"),
    ]
    assert inline_of(sentence.find("x:target", NS)) == inline_of(sentence.find("x:source", NS))
    store = xliff.xlifffile.parsestring(text.encode("utf-8"))  # a CAT tool's view: the native codes in place
    assert [(unit.source, unit.target) for unit in store.units] == [
        ("Условия {#conditions}", "Conditions {#conditions}"),
        (RU_PAGE.split("\n")[2], EN_PAGE.split("\n")[2]),
    ]

    plain_out = tmp_path / "plain"
    code, _, stderr = run_cli("run", str(tmp_path), "--out", str(plain_out), "-f", "xliff", "-q", "--plain-text")
    assert code == 0, stderr
    plain = assert_valid(schema, (plain_out / "page.xlf").read_text(encoding="utf-8"))
    assert [unit.findtext("x:source", namespaces=NS) for unit in plain.iter(UNIT)] == [
        "Условия",
        "Директива v-if показывает блок, только если выражение истинно.",
    ]
    assert not any(len(element) for element in plain.iter(f"{{{XLIFF_NAMESPACE}}}source"))


def marked_pair(name: str, suffix: str, ru_text: str, en_text: str, markup: str) -> Alignment:
    """One paired bead of two sentences whose every match of the regex `markup` is a markup span (as a reader
    gives them), in NAME.ru.SUFFIX and NAME.en.SUFFIX."""

    def sentence(text: str, lang: str) -> Segment:
        spans = tuple(m.span() for m in re.finditer(markup, text))
        return Segment(f"{name}.{lang}.{suffix}", 0, len(text), 1, text, lang, 0, markup=spans)

    ru, en = sentence(ru_text, "ru"), sentence(en_text, "en")
    document = Document(name, ru.file, en.file, [ru], [en])
    return Alignment(document, [Bead((ru,), (en,), 0.9)])


def test_html_tags_are_paired_codes_and_character_references_their_characters(schema: etree.XMLSchema) -> None:
    ru_text = "Кошка <b>спала</b> весь день &amp; ночь<br>."
    en_text = "The cat <b>slept</b> all day &amp; night<br>."
    alignment = marked_pair("cat", "html", ru_text, en_text, r"</?b>|<br>|&amp;")
    root = assert_valid(schema, XliffWriter().document(alignment, CONTEXT))
    source = root.find(".//x:source", NS)
    assert inline_of(source) == [("bpt", "1", "<b>"), ("ept", "1", "</b>"), ("ph", "2", "<br>")]
    assert "".join(source.itertext()) == "Кошка <b>спала</b> весь день & ночь<br>."
    assert "&lt;b&gt;" in etree.tostring(source, encoding="unicode")  # the tag is escaped native code, not XML


def test_codes_side_by_side_or_at_the_end_keep_the_text_between_them_as_it_is(schema: etree.XMLSchema) -> None:
    """Indenting the file never touches a <source> or <target>: no line break and spaces between two codes that
    touch, after the last one or before the first (a CAT tool would show them, and write them back)."""
    ru_text = "[`v-if`](/api) управляет блоком {#v-if}"
    en_text = "[`v-if`](/api) controls a block {#v-if}"
    text = XliffWriter().document(marked_pair("a", "md", ru_text, en_text, r"\[|`v-if`|\]\(/api\)| \{#v-if\}"), CONTEXT)
    root = assert_valid(schema, text)

    source, target = root.find(".//x:source", NS), root.find(".//x:target", NS)
    codes = [("bpt", "1", "["), ("ph", "2", "`v-if`"), ("ept", "1", "](/api)"), ("ph", "3", " {#v-if}")]
    assert inline_of(source) == codes
    assert "".join(source.itertext()) == ru_text and "".join(target.itertext()) == en_text
    assert source.text is None and all(child.tail is None for child in (source[0], source[1], source[3]))
    [unit] = xliff.xlifffile.parsestring(text.encode("utf-8")).units
    assert (unit.source, unit.target) == (ru_text, en_text)  # was "[ `v-if` ](/api) …": spaces between the codes


def test_a_link_moved_in_the_translation_keeps_the_id_of_the_same_link_in_the_source(schema: etree.XMLSchema) -> None:
    """Every link opens with the same `[`: a target's link takes the id of the source's link with the same target,
    so a CAT tool matching codes by id puts each URL where it was, whatever the word order."""
    ru_text = "Смотрите [вторую](/b) и [первую](/a) главы."
    en_text = "See the [first](/a) and [second](/b) chapters."
    alignment = marked_pair("l", "md", ru_text, en_text, r"\[|\]\(/[ab]\)")
    root = assert_valid(schema, XliffWriter().document(alignment, CONTEXT))

    source, target = root.find(".//x:source", NS), root.find(".//x:target", NS)
    assert inline_of(source) == [("bpt", "1", "["), ("ept", "1", "](/b)"), ("bpt", "2", "["), ("ept", "2", "](/a)")]
    assert inline_of(target) == [("bpt", "2", "["), ("ept", "2", "](/a)"), ("bpt", "1", "["), ("ept", "1", "](/b)")]


def test_a_loose_pair_says_so_in_its_note_as_tmx_and_jsonl_do(schema: etree.XMLSchema) -> None:
    alignment = museum()
    alignment.beads[1] = replace(alignment.beads[1], score=0.45, loose=True)
    root = assert_valid(schema, XliffWriter().document(alignment, CONTEXT))
    notes = [note.text for note in root.iterfind(".//x:trans-unit/x:note", NS)]
    assert notes[:3] == [
        "score 0.9100; lines ru 1, en 2",
        "score 0.4500; lines ru 3-4, en 5; loose: sentences paired as a whole, not sentence by sentence",
        "score 0.0000; lines ru 6",
    ]
