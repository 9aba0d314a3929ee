"""The XLIFF 1.2 writer (align/writers/xliff.py): schema-valid files, read back by translate-toolkit and by align's own
XLIFF reader with the same texts and states; corpus and Dask-shard concatenation give the same bytes."""

from __future__ import annotations

import json
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
    (file,) = root.findall("x:file", NS)
    assert (file.get("original"), file.get("source-language"), file.get("target-language")) == ("museum", "ru", "en")
    assert file.get("date") == "2023-11-14T22:13:20Z"


def test_units_pair_translate_and_mark_the_untranslated(schema: etree.XMLSchema) -> None:
    root = assert_valid(schema, XliffWriter().document(museum(), CONTEXT))
    units = [
        (unit.get("id"), unit.findtext("x:source", namespaces=NS), target.text, target.get("state"))
        for unit in root.iter(f"{{{XLIFF_NAMESPACE}}}trans-unit")
        for target in unit.findall("x:target", NS)
    ]
    assert units == [
        ("museum#1", "Музей открыт с 10 до 18 часов.", "The museum is open from 10 am to 6 pm.", "translated"),
        (
            "museum#2",
            "Вход свободный. По понедельникам музей закрыт.",
            "Admission is free; the museum is closed on Mondays.",
            "translated",
        ),
        ("museum#3", "Экскурсии проводятся по субботам.", None, "needs-translation"),
        ("museum#5", "Фотографировать можно без вспышки.", "Photos are allowed without flash.", "translated"),
    ]
    notes = [note.text for note in root.iterfind(".//x:trans-unit/x:note", NS)]
    assert notes[:3] == [
        "score 0.9100; lines ru 1, en 2",
        "score 0.7700; lines ru 3-4, en 5",
        "score 0.0000; lines ru 6",
    ]


def test_the_header_holds_the_tool_the_signature_and_what_was_left_out(schema: etree.XMLSchema) -> None:
    root = assert_valid(schema, XliffWriter().document(museum(), CONTEXT))
    header = root.find("x:file/x:header", NS)
    assert header is not None
    tool = header.find("x:tool", NS)
    assert tool is not None and (tool.get("tool-id"), tool.get("tool-version")) == ("align", "0.1.0")
    notes = [note.text for note in header.findall("x:note", NS)]
    assert notes == [
        f"align-signature: {SIGNATURE}",
        "1 English passage(s) without Russian source left out (no source to translate)",
    ]
    assert "працює" not in etree.tostring(root, encoding="unicode")


def test_translate_toolkit_reads_back_the_same_texts_and_states() -> None:
    text = XliffWriter().document(museum(), CONTEXT)
    store = xliff.xlifffile.parsestring(text.encode("utf-8"))
    assert store.getsourcelanguage() == "ru" and store.gettargetlanguage() == "en"
    got = [(unit.getid(), unit.source, unit.target or "", unit.get_state_n()) for unit in store.units]
    translated, waiting = xliff.xliffunit.S_TRANSLATED, xliff.xliffunit.S_NEEDS_TRANSLATION
    expected = [
        (
            f"museum\x04museum#{n}",
            " ".join(s.text for s in bead.ru),
            " ".join(s.text for s in bead.en),
            translated if bead.en else waiting,
        )
        for n, bead in enumerate(museum().beads, start=1)
        if bead.ru
    ]
    assert got == expected
    assert not any(unit.isapproved() for unit in store.units)  # aligned by a machine: nobody has reviewed them


def test_align_reads_its_own_xliff_back_as_the_same_beads(tmp_path: Path) -> None:
    path = tmp_path / "museum.xlf"
    path.write_text(XliffWriter().document(museum(), CONTEXT), encoding="utf-8")
    reader = XliffReader()
    again = reader.alignment(reader.source(str(path), path.read_bytes()), "museum")
    sides = [(" ".join(s.text for s in bead.ru), " ".join(s.text for s in bead.en)) for bead in again.beads]
    assert sides == [
        (" ".join(s.text for s in bead.ru), " ".join(s.text for s in bead.en)) for bead in museum().beads if bead.ru
    ]
    assert [bead.kind for bead in again.beads] == ["1-1", "1-1", "1-0", "1-1"]


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
    assert [file.get("original") for file in root.findall("x:file", NS)] == ["museum", "gallery"]
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
    units = list(root.iter(f"{{{XLIFF_NAMESPACE}}}trans-unit"))
    translated = [u for u in units if u.find("x:target", NS).get("state") == "translated"]
    assert [(u.findtext("x:source", namespaces=NS), u.findtext("x:target", namespaces=NS)) for u in translated] == pairs
    waiting = [u.findtext("x:source", namespaces=NS) for u in units if u not in translated]
    assert waiting == untranslated and pairs
    english_only = sum(1 for r in records if r["en"]["text"] and not r["ru"]["text"])
    notes = [note.text for note in root.iterfind("x:file/x:header/x:note", NS)]
    assert english_only and notes[-1].startswith(f"{english_only} English passage(s) without Russian source")
