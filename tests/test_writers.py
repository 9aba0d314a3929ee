"""The writers (align/writers/): TMX 1.4b, CSV and JSONL output, the registry, atomic file writes, reproducibility."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import tmx

from align.files import write_atomic
from align.model import Alignment, Bead, Document, Segment
from align.signature import signature_of
from align.writers import UnknownFormat, WriteContext, names, parse_formats, write_corpus, write_document, writer_for
from align.writers.common import creation_date
from align.writers.csv import csv_text
from align.writers.jsonl import jsonl_text
from align.writers.tmx import tmx_text

FORMATS = ("tmx", "csv", "jsonl")

DTD_PATH = Path(__file__).resolve().parents[2] / "shared" / "tmx14.dtd"
EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class SourceText:
    """Builds Segments of one file, tracking offsets and 1-based lines as if the texts were read in order."""

    def __init__(self, file: str, lang: str) -> None:
        self.file = file
        self.lang = lang
        self.text = ""

    def segment(self, text: str, *, lang: str | None = None, detected: str = "") -> Segment:
        start = len(self.text)
        line = self.text.count("\n") + 1
        self.text += text + "\n"
        return Segment(self.file, start, start + len(text), line, text, lang or self.lang, 0, detected)


def make_alignment(name: str = "interview") -> Alignment:
    """One article with a 1-1, a 1-2, a 1-0, an other and a 0-1 bead, texts full of XML-special characters."""
    ru = SourceText(f"{name}.ru.txt", "ru")
    en = SourceText(f"{name}.en.txt", "en")
    quote_ru = ru.segment('Он сказал: «Цена < 5 & скидка "на всё"».')
    quote_en = en.segment("He said: \"Price < 5 & a discount 'on everything'\".")
    two_lines_ru = ru.segment("Первая строка\nи вторая строка — одно предложение.")
    first_en = en.segment("The first line.")
    second_en = en.segment("And the second line is a sentence of its own.")
    lonely_ru = ru.segment("Это предложение осталось без перевода.")
    ukrainian = ru.segment("Це речення українською мовою.", lang="other", detected="uk")
    lonely_en = en.segment("This sentence has no Russian counterpart.")
    document = Document(
        name=name,
        ru_file=ru.file,
        en_file=en.file,
        ru=[quote_ru, two_lines_ru, lonely_ru],
        en=[quote_en, first_en, second_en, lonely_en],
        other=[ukrainian],
    )
    beads = [
        Bead((quote_ru,), (quote_en,), 0.873449),
        Bead((two_lines_ru,), (first_en, second_en), 0.61237),
        Bead((lonely_ru,), (), 0.0),
        Bead((), (), 0.0, other=(ukrainian,)),
        Bead((), (lonely_en,), 0.0),
    ]
    return Alignment(document, beads)


def one_pair(ru_text: str, en_text: str, name: str = "odd") -> Alignment:
    ru = SourceText(f"{name}.ru.txt", "ru").segment(ru_text)
    en = SourceText(f"{name}.en.txt", "en").segment(en_text)
    return Alignment(Document(name, ru.file, en.file, ru=[ru], en=[en]), [Bead((ru,), (en,), 0.5)])


def context(version: str = "1") -> WriteContext:
    """What the writers are given here: a version and the creation date of EPOCH."""
    return WriteContext(version, creation_date(EPOCH))


@pytest.fixture
def tmx_dtd() -> etree.DTD:
    if not DTD_PATH.is_file():
        pytest.skip("../shared/tmx14.dtd not found")
    return etree.DTD(str(DTD_PATH))


def parse_tmx(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def prop_values(unit: etree._Element) -> dict[str, str]:
    return {prop.get("type"): prop.text for prop in unit.findall("prop")}


def seg_texts(unit: etree._Element) -> dict[str, str]:
    return {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in unit.findall("tuv")}


# --- TMX ---------------------------------------------------------------------------------------------


def test_tmx_starts_with_xml_declaration_and_tmx14_doctype() -> None:
    lines = tmx_text([make_alignment()], context("1.2.3")).splitlines()

    assert lines[0] == '<?xml version="1.0" encoding="UTF-8"?>'
    assert lines[1] == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    assert lines[2] == '<tmx version="1.4">'


def test_tmx_is_valid_against_the_tmx14_dtd(tmx_dtd: etree.DTD) -> None:
    root = parse_tmx(tmx_text([make_alignment(), make_alignment("second")], context("1.2.3")))

    assert tmx_dtd.validate(root), tmx_dtd.error_log.filter_from_errors()


def test_tmx_header_names_the_tool_version_languages_and_date() -> None:
    header = parse_tmx(tmx_text([make_alignment()], context("1.2.3"))).find("header")

    assert dict(header.attrib) == {
        "creationtool": "align",
        "creationtoolversion": "1.2.3",
        "segtype": "sentence",
        "o-tmf": "align",
        "adminlang": "en",
        "srclang": "ru",
        "datatype": "plaintext",
        "creationdate": "20231114T221320Z",
    }


def test_tmx_holds_only_paired_beads() -> None:
    units = parse_tmx(tmx_text([make_alignment()], context("1"))).findall("body/tu")

    assert [prop_values(unit)["x-kind"] for unit in units] == ["1-1", "1-2"]


def test_tmx_unit_has_props_in_order_then_ru_and_en_variants() -> None:
    unit = parse_tmx(tmx_text([make_alignment()], context("1"))).findall("body/tu")[1]

    assert [child.tag for child in unit] == ["prop", "prop", "prop", "prop", "tuv", "tuv"]
    assert [(prop.get("type"), prop.text) for prop in unit.findall("prop")] == [
        ("x-score", "0.6124"),
        ("x-document", "interview"),
        ("x-kind", "1-2"),
        ("x-lines", "ru:2 en:2-3"),
    ]
    assert seg_texts(unit) == {
        "ru": "Первая строка\nи вторая строка — одно предложение.",
        "en": "The first line. And the second line is a sentence of its own.",
    }


def test_tmx_text_is_escaped_but_otherwise_untouched() -> None:
    text = tmx_text([make_alignment()], context("1"))
    unit = parse_tmx(text).find("body/tu")

    assert "&lt; 5 &amp; скидка" in text
    assert seg_texts(unit) == {
        "ru": 'Он сказал: «Цена < 5 & скидка "на всё"».',
        "en": "He said: \"Price < 5 & a discount 'on everything'\".",
    }


def test_tmx_keeps_carriage_returns_and_tabs_inside_segments() -> None:
    unit = parse_tmx(tmx_text([one_pair("Строка\r\nдругая\tстрока", "Line\r\nanother\tline")], context("1")))

    assert seg_texts(unit.find("body/tu")) == {
        "ru": "Строка\r\nдругая\tстрока",
        "en": "Line\r\nanother\tline",
    }


def test_tmx_reads_back_with_translate_toolkit_as_the_same_ru_en_pairs() -> None:
    alignment = make_alignment()
    store = tmx.tmxfile.parsestring(tmx_text([alignment], context("1")).encode("utf-8"))

    expected = [
        (" ".join(s.text for s in bead.ru), " ".join(s.text for s in bead.en))
        for bead in alignment.beads
        if bead.paired
    ]
    assert store.sourcelanguage == "ru"
    assert [(unit.source, unit.target) for unit in store.units] == expected
    assert [(unit.gettarget("ru"), unit.gettarget("en")) for unit in store.units] == expected


def test_tmx_replaces_characters_xml_forbids_and_counts_them_per_unit(tmx_dtd: etree.DTD) -> None:
    bad = one_pair("Звонок\x07 и\x00 нуль", "Bell\x0b, lone \ud800 surrogate and \ufffe")
    root = parse_tmx(tmx_text([make_alignment(), bad], context("1")))
    clean_unit, _, bad_unit = root.findall("body/tu")

    assert seg_texts(bad_unit) == {
        "ru": "Звонок\ufffd и\ufffd нуль",
        "en": "Bell\ufffd, lone \ufffd surrogate and \ufffd",
    }
    assert prop_values(bad_unit)["x-replaced-chars"] == "5"
    assert "x-replaced-chars" not in prop_values(clean_unit)
    assert tmx_dtd.validate(root), tmx_dtd.error_log.filter_from_errors()


def test_tmx_uses_the_given_creation_date_over_source_date_epoch() -> None:
    root = parse_tmx(tmx_text([], WriteContext("1", "20200101T000000Z")))

    assert root.find("header").get("creationdate") == "20200101T000000Z"
    assert root.find("body") is not None and len(root.find("body")) == 0


def test_creation_date_is_current_utc_time_without_an_epoch() -> None:
    date = creation_date(None)

    assert len(date) == 16 and date[8] == "T" and date.endswith("Z")
    assert date[:8].isdigit() and date[9:15].isdigit()


def test_creation_date_of_an_epoch_is_that_moment_in_utc() -> None:
    assert creation_date(EPOCH) == "20231114T221320Z"


def test_creation_date_rejects_a_malformed_source_date_epoch() -> None:
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        creation_date("yesterday")


def test_tmx_header_carries_the_signature_as_a_prop(tmx_dtd: etree.DTD) -> None:
    signature = signature_of("1.2.3", "use-multilingual-v3", "abcd1234", {"max-bead": 2})
    root = parse_tmx(tmx_text([make_alignment()], WriteContext("1.2.3", creation_date(EPOCH), signature)))

    props = root.findall("header/prop")
    assert [(p.get("type"), p.text) for p in props] == [
        ("x-align-signature", "align:1.2.3|encoder:use-multilingual-v3@abcd1234|max-bead:2")
    ]
    assert tmx_dtd.validate(root), tmx_dtd.error_log.filter_from_errors()


# --- CSV ---------------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_the_documented_columns() -> None:
    reader = csv.DictReader(io.StringIO(csv_text([make_alignment()]), newline=""))

    assert reader.fieldnames == ["document", "ru", "en", "score", "kind", "ru_lines", "en_lines"]


def test_csv_has_a_row_per_bead_including_one_sided_but_not_other() -> None:
    rows = read_csv(csv_text([make_alignment()]))

    assert [row["kind"] for row in rows] == ["1-1", "1-2", "1-0", "0-1"]
    assert all(row["document"] == "interview" for row in rows)


def test_csv_rows_carry_texts_scores_and_line_ranges() -> None:
    paired, one_two, ru_only, en_only = read_csv(csv_text([make_alignment()]))

    assert paired["ru"] == 'Он сказал: «Цена < 5 & скидка "на всё"».'
    assert paired["en"] == "He said: \"Price < 5 & a discount 'on everything'\"."
    assert (paired["score"], paired["ru_lines"], paired["en_lines"]) == ("0.8734", "1", "1")
    assert one_two["ru"] == "Первая строка\nи вторая строка — одно предложение."
    assert one_two["en"] == "The first line. And the second line is a sentence of its own."
    assert (one_two["score"], one_two["ru_lines"], one_two["en_lines"]) == ("0.6124", "2", "2-3")
    assert (ru_only["en"], ru_only["score"], ru_only["ru_lines"], ru_only["en_lines"]) == (
        "",
        "0.0000",
        "4",
        "",
    )
    assert (en_only["ru"], en_only["score"], en_only["ru_lines"], en_only["en_lines"]) == (
        "",
        "0.0000",
        "",
        "4",
    )


def test_csv_of_several_documents_has_one_header() -> None:
    text = csv_text([make_alignment("first"), make_alignment("second")])

    assert text.count("document,ru,en") == 1
    assert [row["document"] for row in read_csv(text)] == ["first"] * 4 + ["second"] * 4


# --- JSONL -------------------------------------------------------------------------------------------


def read_jsonl(text: str) -> list[dict[str, object]]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text.split("\n")[:-1]]


def test_jsonl_has_one_line_per_bead_in_order() -> None:
    records = read_jsonl(jsonl_text(make_alignment()))

    assert [record["kind"] for record in records] == ["1-1", "1-2", "1-0", "other", "0-1"]


def test_jsonl_keys_come_in_the_documented_order() -> None:
    records = read_jsonl(jsonl_text(make_alignment()))

    assert list(records[0]) == ["ru", "en", "score", "kind"]
    assert list(records[0]["ru"]) == ["file", "spans", "text"]
    assert list(records[3]) == ["ru", "en", "other", "score", "kind"]
    assert list(records[3]["other"]) == ["file", "spans", "text", "lang"]


def test_jsonl_paired_bead_has_one_span_per_segment_and_joined_text() -> None:
    alignment = make_alignment()
    record = read_jsonl(jsonl_text(alignment))[1]
    first_en, second_en = alignment.beads[1].en

    assert record["en"] == {
        "file": "interview.en.txt",
        "spans": [[first_en.start, first_en.end], [second_en.start, second_en.end]],
        "text": "The first line. And the second line is a sentence of its own.",
    }
    assert record["ru"]["text"] == "Первая строка\nи вторая строка — одно предложение."
    assert record["score"] == 0.6124


def test_jsonl_empty_side_keeps_its_file_with_no_spans_and_no_text() -> None:
    records = read_jsonl(jsonl_text(make_alignment()))

    assert records[2]["en"] == {"file": "interview.en.txt", "spans": [], "text": ""}
    assert records[4]["ru"] == {"file": "interview.ru.txt", "spans": [], "text": ""}
    assert records[2]["score"] == 0 and records[4]["score"] == 0


def test_jsonl_other_bead_reports_the_detected_language() -> None:
    alignment = make_alignment()
    record = read_jsonl(jsonl_text(alignment))[3]
    ukrainian = alignment.document.other[0]

    assert record["ru"] == {"file": "interview.ru.txt", "spans": [], "text": ""}
    assert record["en"] == {"file": "interview.en.txt", "spans": [], "text": ""}
    assert record["other"] == {
        "file": "interview.ru.txt",
        "spans": [[ukrainian.start, ukrainian.end]],
        "text": "Це речення українською мовою.",
        "lang": "uk",
    }
    assert (record["score"], record["kind"]) == (0, "other")


def test_jsonl_other_bead_without_a_detected_language_says_other() -> None:
    source = SourceText("x.ru.txt", "ru")
    gibberish = source.segment("Xyzzy plugh.", lang="other")
    alignment = Alignment(Document("x", "x.ru.txt", "x.en.txt", other=[gibberish]), [Bead((), (), 0.0, (gibberish,))])

    assert read_jsonl(jsonl_text(alignment))[0]["other"]["lang"] == "other"


def test_jsonl_keeps_non_ascii_and_escapes_unicode_line_separators() -> None:
    text = jsonl_text(one_pair("Абзац\u2028новый", "Para\u2029graph\x85 end"))

    assert "Абзац" in text
    assert len(text.splitlines()) == 1
    record = read_jsonl(text)[0]
    assert (record["ru"]["text"], record["en"]["text"]) == ("Абзац\u2028новый", "Para\u2029graph\x85 end")


# --- files -------------------------------------------------------------------------------------------


def test_write_document_writes_one_file_per_format_named_after_the_document(tmp_path: Path) -> None:
    alignment = make_alignment()
    paths = write_document(alignment, tmp_path / "out", FORMATS, context("1"))

    assert paths == [tmp_path / "out" / f"interview.{fmt}" for fmt in ("tmx", "csv", "jsonl")]
    assert paths[0].read_bytes() == tmx_text([alignment], context("1")).encode("utf-8")
    assert paths[1].read_bytes() == csv_text([alignment]).encode("utf-8")
    assert paths[2].read_bytes() == jsonl_text(alignment).encode("utf-8")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "interview.csv",
        "interview.jsonl",
        "interview.tmx",
    ]


def test_write_document_writes_only_the_formats_asked(tmp_path: Path) -> None:
    paths = write_document(make_alignment(), tmp_path, ["jsonl"], context("1"))

    assert paths == [tmp_path / "interview.jsonl"]
    assert [p.name for p in tmp_path.iterdir()] == ["interview.jsonl"]


def test_write_document_rejects_unknown_formats_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'docx'"):
        write_document(make_alignment(), tmp_path, ["tmx", "docx"], context("1"))

    assert list(tmp_path.iterdir()) == []


def test_write_document_refuses_a_name_that_would_escape_the_output_dir(tmp_path: Path) -> None:
    alignment = make_alignment()
    alignment.document.name = "../evil"

    with pytest.raises(ValueError, match="evil"):
        write_document(alignment, tmp_path / "out", ["tmx"], context("1"))


def test_write_corpus_writes_one_corpus_file_per_requested_format(tmp_path: Path) -> None:
    assert write_corpus([make_alignment()], tmp_path / "a", ["tmx"], context("1")) == [tmp_path / "a" / "corpus.tmx"]
    assert write_corpus([make_alignment()], tmp_path / "b", ["jsonl", "csv"], context("1")) == [
        tmp_path / "b" / "corpus.jsonl",
        tmp_path / "b" / "corpus.csv",
    ]
    assert not (tmp_path / "b" / "corpus.tmx").exists()


def test_write_corpus_combines_all_documents(tmp_path: Path) -> None:
    first, second = make_alignment("first"), make_alignment("second")
    write_corpus([first, second], tmp_path, FORMATS, context("1"))

    assert (tmp_path / "corpus.jsonl").read_text("utf-8") == jsonl_text(first) + jsonl_text(second)
    assert len(read_csv((tmp_path / "corpus.csv").read_text("utf-8"))) == 8
    units = parse_tmx((tmp_path / "corpus.tmx").read_text("utf-8")).findall("body/tu")
    assert [prop_values(unit)["x-document"] for unit in units] == ["first", "first", "second", "second"]


# --- atomic writes -----------------------------------------------------------------------------------


def test_write_atomic_creates_parents_and_writes_exact_utf8(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "out.txt"
    write_atomic(target, "строка\r\nline\n")

    assert target.read_bytes() == "строка\r\nline\n".encode()
    assert list(target.parent.iterdir()) == [target]


def test_write_atomic_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", "utf-8")
    write_atomic(target, "new")

    assert target.read_text("utf-8") == "new"
    assert list(tmp_path.iterdir()) == [target]


def test_write_atomic_failing_rename_keeps_old_content_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "corpus.tmx"
    target.write_text("old content", "utf-8")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        write_atomic(target, "new content")

    assert target.read_text("utf-8") == "old content"
    assert list(tmp_path.iterdir()) == [target]


def test_write_atomic_failing_fsync_keeps_old_content_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "corpus.csv"
    target.write_text("old content", "utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError("no space left")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="no space left"):
        write_atomic(target, "new content")

    assert target.read_text("utf-8") == "old content"
    assert list(tmp_path.iterdir()) == [target]


def test_write_atomic_unencodable_text_keeps_old_content(tmp_path: Path) -> None:
    target = tmp_path / "corpus.jsonl"
    target.write_text("old content", "utf-8")

    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "lone \ud800 surrogate")

    assert target.read_text("utf-8") == "old content"
    assert list(tmp_path.iterdir()) == [target]


# --- reproducibility ---------------------------------------------------------------------------------


def written_bytes(out_dir: Path) -> dict[str, bytes]:
    write_document(make_alignment(), out_dir, FORMATS, context("1"))
    write_corpus([make_alignment(), make_alignment("second")], out_dir, FORMATS, context("1"))
    return {path.name: path.read_bytes() for path in sorted(out_dir.iterdir())}


def test_outputs_are_byte_identical_across_runs_given_source_date_epoch(tmp_path: Path) -> None:
    first = written_bytes(tmp_path / "one")
    second = written_bytes(tmp_path / "two")

    assert first == second
    assert len(first) == 6
    assert b'creationdate="20231114T221320Z"' in first["corpus.tmx"]


def test_a_file_that_already_holds_the_same_bytes_is_not_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "doc.jsonl"
    write_atomic(target, "same\n")
    inode = target.stat().st_ino
    write_atomic(target, "same\n")
    assert target.stat().st_ino == inode  # not replaced by a new file
    write_atomic(target, "changed\n")
    assert target.read_text(encoding="utf-8") == "changed\n" and target.stat().st_ino != inode


# --- the registry ------------------------------------------------------------------------------------


def test_the_registry_names_every_format_and_imports_each_writer_by_name() -> None:
    assert names() == ["tmx", "csv", "jsonl", "html", "xliff", "vecalign"]
    assert [writer_for(name).name for name in names()] == names()


def test_an_unknown_format_is_one_error_naming_it_and_the_known_ones() -> None:
    expected = r"--format 'tmx,docx': unknown format \(use tmx, csv, jsonl, html, xliff, vecalign\)"
    with pytest.raises(UnknownFormat, match=expected):
        parse_formats("tmx,docx")
    assert parse_formats(" TMX, jsonl,tmx ") == ["tmx", "jsonl"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_per_document_texts_concatenate_to_the_corpus_text(fmt: str) -> None:
    writer, alignments = writer_for(fmt), [make_alignment("first"), make_alignment("second")]
    parts = [writer.document(alignment, context()) for alignment in alignments]

    assert writer.concatenate(iter(parts), context()) == writer.corpus(alignments, context())
    assert writer.concatenate(iter([]), context()) == writer.corpus([], context())
