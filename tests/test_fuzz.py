"""Property-based fuzzing of every stage with hostile input: loader, segmenter, aligner, writers, whole pipeline.

Hostile means: any Unicode plane, combining marks, RTL text and bidi controls, zero-width characters, lone
surrogates (as text, and as the bytes of an encoded surrogate, which no decoder may accept), NUL and other C0/C1
controls, every kind of line end (CR, LF, CRLF, U+0085, U+2028/9), very long lines, no newline at the end, and
random mixes of Russian, English and other languages.

Profiles (chosen with the environment variable HYPOTHESIS_PROFILE, default "ci"):
  ci    a few dozen examples per property, fast enough for every `make test`;
  fuzz  thousands per cheap property, hundreds for the whole pipeline with the real encoder (`make fuzz`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from align.align import AlignOptions, Side, align_document, best_links, merge_runs, run_groups
from align.encoders.use import UseEncoder
from align.load import InputError, input_error, read_source
from align.model import Alignment, Bead, Document, Segment, Source
from align.pipeline import Pipeline
from align.readers.text import boilerplate_lines, normalised_line, paragraphs
from align.segment import segments_of, sentence_spans
from align.writers import WriteContext, write_corpus, write_document
from align.writers.csv import CSV_COLUMNS, csv_text
from align.writers.jsonl import jsonl_text
from align.writers.tmx import tmx_text
from tests.conftest import TMX_DTD

DATE = "20240101T000000Z"  # TMX creation date of the writers' outputs here

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=_SLOW, print_blob=True)
settings.register_profile("fuzz", max_examples=2000, deadline=None, suppress_health_check=_SLOW, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZ = settings.get_profile(PROFILE)
# The whole pipeline with the real encoder costs ~50-100 ms an example: fewer of those.
PIPELINE = settings(FUZZ, max_examples={"ci": 10, "fuzz": 300}.get(PROFILE, max(10, FUZZ.max_examples // 7)))

# ------------------------------------------------------------------------------------------ strategies

RU_WORDS = ["Павел", "Латушко", "о", "загнанном", "угол", "диктаторе", "вопрос", "войне", "цена", "выросла", "ещё"]
EN_WORDS = ["Pavel", "Latushka", "on", "the", "cornered", "dictator", "issue", "of", "war", "price", "rose", "by"]
OTHER_WORDS = ["Привіт", "родині", "Grüße", "schläft", "你好", "世界", "مرحبا", "שלום", "γειά", "Ελλάδα", "नमस्ते"]
SPECIAL = [
    *"\u0301\u0308\u20dd\u0489",  # combining marks (one on its own at the start of a text, too)
    *"\u05d0\u0627\u200e\u200f\u202a\u202b\u202e\u2066\u2067\u2069\u061c",  # RTL letters and bidi controls
    *"\u200b\u200c\u200d\u2060\ufeff",  # zero-width characters
    *"\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1c\x1f\x7f\x80\x85\x9b\x9f",  # C0 and C1 controls
    "\r",
    "\n",
    "\r\n",
    "\n\n",
    "\r\n\r\n",
    "\u2028",
    "\u2029",
    "\t",
    " ",
    "\xa0",
    "\u3000",
    *"\ufffe\uffff\ufffd\ufdd0",  # non-characters and the replacement character
    "\U0001f600",
    "\U00010000",
    "\U0010ffff",
    "\U000e0001",
    "\U0001d400",
    *".!?…;:",
    *"«»„“”‘’\"'()[]",
    "[1]",
    "(2)",
    " — ",
    "...",
    "top of page",
    "наверх",
    "&amp;",
    "<seg>",
    "]]>",
    "<!ENTITY x 'y'>",
    "=SUM(A1)",
    "+1",
    "-2",
    "@x",
]


def sentence(words: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda picked, end: " ".join(picked).capitalize() + end,
        st.lists(st.sampled_from(words), min_size=1, max_size=8),
        st.sampled_from([".", "!", "?", "…", "", ".\u00bb", "?\u201d", ". [3]"]),
    )


piece = st.one_of(
    st.text(max_size=12),  # every plane but surrogates
    st.sampled_from(SPECIAL),
    sentence(RU_WORDS),
    sentence(EN_WORDS),
    sentence(OTHER_WORDS),
    st.sampled_from(["\n", "\n\n", " ", "\r\n", "\r"]),
)
long_run = st.builds(
    lambda text, times: text * times, st.sampled_from(["a", "Слово ", "x. ", "\u200b", "-"]), st.integers(500, 6000)
)
# Text as a decoded file can hold it: anything but lone surrogates.
hostile_text = st.lists(st.one_of(piece, piece, piece, long_run), max_size=25).map("".join)
# Text as a library caller may pass it (names from undecodable file names, hand-made segments): surrogates too.
surrogate = st.integers(0xD800, 0xDFFF).map(chr)
raw_text = st.lists(st.one_of(piece, surrogate), max_size=12).map("".join)

INVALID_UTF8 = [
    b"\xed\xa0\x80",  # U+D800 encoded: a lone surrogate arriving as bytes
    b"\xed\xbf\xbf",  # U+DFFF
    b"\xed\xa0\xbd\xed\xb8\x80",  # a surrogate pair encoded as CESU-8
    b"\xc0\x80",  # overlong NUL
    b"\xe0\x80\xaf",  # overlong "/"
    b"\xf4\x90\x80\x80",  # above U+10FFFF
    b"\xf0\x9f",  # truncated
    b"\x80",
    b"\xbf",
    b"\xfe",
    b"\xff",
]
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
byte_piece = st.one_of(
    hostile_text.map(lambda text: text.encode("utf-8")),
    st.sampled_from(INVALID_UTF8),
    st.sampled_from(BOMS),
    st.just(b"\x00"),
    sentence(RU_WORDS).map(lambda text: text.encode("cp1251", "replace")),
    sentence(RU_WORDS).map(lambda text: text.encode("koi8_r", "replace")),
    sentence(RU_WORDS).map(lambda text: text.encode("utf-16")),
    st.binary(max_size=40),
)
hostile_bytes = st.one_of(st.binary(max_size=3000), st.lists(byte_piece, max_size=12).map(b"".join))

# ------------------------------------------------------------------------------------------ helpers

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
LINE_END = re.compile(r"\r\n|\r|\n")


def visible(char: str) -> bool:
    return not char.isspace() and char not in ZERO_WIDTH


def xml_forbidden(char: str) -> bool:
    """Not in XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]."""
    code = ord(char)
    allowed = (
        code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF
    )
    return not allowed


def expected_xml(text: str) -> str:
    return "".join("\ufffd" if xml_forbidden(char) else char for char in text)


def trimmed(text: str) -> str:
    """`text` without leading and trailing whitespace and zero-width characters."""
    start, end = 0, len(text)
    while start < end and not visible(text[start]):
        start += 1
    while end > start and not visible(text[end - 1]):
        end -= 1
    return text[start:end]


def line_of(text: str, position: int) -> int:
    return 1 + len(LINE_END.findall(text, 0, position))


def assert_one_line(error: Exception) -> None:
    message = str(error)
    assert message and "\n" not in message and "\r" not in message, repr(message)


def assert_ordered_disjoint(spans: list[tuple[int, int]], length: int) -> None:
    previous = 0
    for start, end in spans:
        assert previous <= start < end <= length, (spans, length)
        previous = end


def assert_nothing_lost(alignment: Alignment, text_of: dict[str, str]) -> None:
    """Every sentence of the document in exactly one bead, in order per side, its text the slice at its span."""
    document = alignment.document
    for side in ("ru", "en", "other"):
        placed = [seg for bead in alignment.beads for seg in getattr(bead, side)]
        assert placed == getattr(document, side), side  # exactly once each, in document order
    for bead in alignment.beads:
        assert bool(bead.ru or bead.en) != bool(bead.other)
        for seg in bead.ru + bead.en + bead.other:
            assert text_of[seg.file][seg.start : seg.end] == seg.text


# ------------------------------------------------------------------------------------------ loader


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "input.txt"


@FUZZ
@given(data=hostile_bytes)
def test_read_source_decodes_any_bytes_or_says_why_in_one_line(scratch: Path, data: bytes) -> None:
    scratch.write_bytes(data)
    try:
        source = read_source(str(scratch))
    except InputError as error:
        assert_one_line(error)
        assert str(error).startswith(f"{scratch}: ")
        return
    assert not re.search("[\ud800-\udfff]", source.text)  # no decoder may produce a lone surrogate
    has_bom = data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
    if not has_bom and b"\x00" not in data:
        try:
            assert source.text == data.decode("utf-8") and source.encoding == "utf-8" and source.notes == ()
        except UnicodeDecodeError:
            if source.encoding == "utf-8":  # read as UTF-8 with its bad bytes replaced, and one note saying so
                escaped = data.decode("utf-8", "surrogateescape")
                bad = len(re.findall("[\udc80-\udcff]", escaped))
                assert source.text == re.sub("[\udc80-\udcff]", "\ufffd", escaped)
                assert len(source.notes) == 1 and f": {bad} byte" in source.notes[0]
            else:  # a legacy codec only if the whole file reads as it: nothing replaced
                assert source.text == data.decode(source.encoding) and source.notes == ()


@FUZZ
@given(data=hostile_bytes)
def test_read_source_refuses_files_over_the_limit_in_one_line(scratch: Path, data: bytes) -> None:
    assume(len(data) > 1)
    scratch.write_bytes(data)
    with pytest.raises(InputError) as raised:
        read_source(str(scratch), max_bytes=len(data) - 1)
    assert_one_line(raised.value)
    assert "too large" in str(raised.value)


@FUZZ
@given(path=raw_text)
def test_input_errors_stay_on_one_line_whatever_the_file_name(path: str) -> None:
    assert_one_line(input_error(path or "x", "problem"))


@FUZZ
@given(text=hostile_text)
def test_paragraphs_cover_every_visible_character_outside_boilerplate_lines(text: str) -> None:
    found = paragraphs(Source("page.txt", text, "utf-8"))

    assert_ordered_disjoint([(p.start, p.end) for p in found], len(text))
    inside: set[int] = set()
    for index, paragraph in enumerate(found):
        assert paragraph.index == index and paragraph.text == text[paragraph.start : paragraph.end]
        assert visible(paragraph.text[0]) and visible(paragraph.text[-1])
        assert paragraph.line == line_of(text, paragraph.start)
        inside.update(range(paragraph.start, paragraph.end))
    boilerplate = boilerplate_lines()
    expected: set[int] = set()
    start = 0
    for match in [*LINE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        if normalised_line(trimmed(text[start:end])) not in boilerplate:
            expected.update(i for i in range(start, end) if visible(text[i]))
        start = match.end() if match else end
    assert {i for i in inside if visible(text[i])} == expected


# ------------------------------------------------------------------------------------------ segmenter


@FUZZ
@given(text=hostile_text)
def test_sentence_spans_are_trimmed_ordered_and_cover_every_non_space_character(text: str) -> None:
    spans = sentence_spans(text)

    assert_ordered_disjoint(spans, len(text))
    covered = set()
    for start, end in spans:
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@FUZZ
@given(text=hostile_text)
def test_segments_of_a_file_are_exact_slices_with_their_line_and_paragraph(text: str) -> None:
    found = paragraphs(Source("page.txt", text, "utf-8"))
    segments = segments_of(found, text)

    assert_ordered_disjoint([(s.start, s.end) for s in segments], len(text))
    for segment in segments:
        paragraph = found[segment.paragraph]
        assert paragraph.start <= segment.start < segment.end <= paragraph.end
        assert segment.text == text[segment.start : segment.end]
        assert segment.line == line_of(text, segment.start)
    in_paragraphs = "".join(p.text for p in found)
    in_segments = "".join(s.text for s in segments)
    assert "".join(in_segments.split()) == "".join(in_paragraphs.split())


# ------------------------------------------------------------------------------------------ aligner


@st.composite
def sides(draw: st.DrawFn) -> tuple[Side, Side, AlignOptions, bool]:
    dim = draw(st.sampled_from([2, 8, 16]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def side(count: int) -> Side:
        vectors = rng.normal(size=(count, dim)).astype(np.float32)
        for row in draw(st.lists(st.integers(0, max(count - 1, 0)), max_size=3)) if count else []:
            vectors[row] = 0.0 if draw(st.booleans()) else vectors[0]  # zero rows and duplicates
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        paragraphs = np.cumsum([draw(st.integers(0, 1)) if k else 0 for k in range(count)]).astype(np.int64)
        lengths = np.array([draw(st.integers(1, 400)) for _ in range(count)], dtype=np.float64)
        groups = {}
        if draw(st.booleans()):  # embedded runs: random unit vectors on the rows where a run ends in a paragraph
            for size in range(2, 5):
                runs = rng.normal(size=(count, dim)).astype(np.float32)
                runs /= np.maximum(np.linalg.norm(runs, axis=1, keepdims=True), 1e-12)
                inside = np.zeros(count, dtype=bool)
                inside[size - 1 :] = paragraphs[size - 1 :] == paragraphs[: max(count - size + 1, 0)]
                groups[size] = np.where(inside[:, None], runs, 0.0).astype(np.float32)
        return Side(vectors, lengths, paragraphs, groups)

    ru = side(draw(st.integers(0, 40)))
    en = side(draw(st.integers(0, 40)))
    options = AlignOptions(
        max_bead=draw(st.integers(1, 4)),
        full_search_cells=draw(st.sampled_from([4, 30, 200, 4_000_000])),  # small: the banded search on a coarse copy
        skip_penalty=draw(st.sampled_from([0.0, 0.1])),
    )
    return ru, en, options


@FUZZ
@given(case=sides())
def test_best_links_cover_both_sides_once_in_order_and_never_merge_across_paragraphs(case) -> None:
    ru, en, options = case

    links = best_links(ru, en, options)

    assert [i for link in links for i in link.ru] == list(range(len(ru)))
    assert [j for link in links for j in link.en] == list(range(len(en)))
    for link in links:
        assert link.ru or link.en
        assert len(link.ru) <= options.max_bead and len(link.en) <= options.max_bead
        assert np.isfinite(link.score)
        for side, indices in ((ru, link.ru), (en, link.en)):
            assert len({int(side.paragraphs[k]) for k in indices}) <= 1
            assert list(indices) == list(range(indices[0], indices[0] + len(indices))) if indices else True


@st.composite
def documents(draw: st.DrawFn) -> tuple[Document, str]:
    """A document over one made-up file: sentences with real offsets, each labelled ru, en or other."""
    labels = draw(st.lists(st.sampled_from(["ru", "en", "other"]), max_size=30))
    body = ""
    segments: list[Segment] = []
    paragraph = 0
    for label in labels:
        text = draw(st.one_of(sentence(RU_WORDS), sentence(EN_WORDS), st.text(max_size=10))).strip() or "x"
        if draw(st.booleans()):
            body += "\n\n"
            paragraph += 1
        start = len(body)
        body += text + " "
        segments.append(Segment("page.txt", start, start + len(text), line_of(body, start), text, label, paragraph))
    document = Document("page", "page.txt", "page.txt")
    document.ru = [s for s in segments if s.lang == "ru"]
    document.en = [s for s in segments if s.lang == "en"]
    document.other = [s for s in segments if s.lang == "other"]
    return document, body


@FUZZ
@given(case=documents(), seed=st.integers(0, 2**32 - 1), max_bead=st.integers(1, 4))
def test_align_document_places_every_sentence_in_exactly_one_bead(case, seed: int, max_bead: int) -> None:
    document, body = case
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(len(document.ru) + len(document.en), 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    options = AlignOptions(max_bead=max_bead, full_search_cells=int(rng.choice([6, 4_000_000])))

    ru_runs, en_runs = merge_runs(document.ru, max_bead), merge_runs(document.en, max_bead)
    run_vectors = rng.normal(size=(len(ru_runs) + len(en_runs), 8)).astype(np.float32)
    run_vectors /= np.linalg.norm(run_vectors, axis=1, keepdims=True)

    alignment = align_document(
        document,
        vectors[: len(document.ru)],
        vectors[len(document.ru) :],
        options,
        run_groups(ru_runs, run_vectors[: len(ru_runs)], len(document.ru)),
        run_groups(en_runs, run_vectors[len(ru_runs) :], len(document.en)),
    )

    assert_nothing_lost(alignment, {"page.txt": body})
    for bead in alignment.beads:
        assert 0.0 <= bead.score <= 1.0 and (bead.paired or bead.score == 0.0)


# ------------------------------------------------------------------------------------------ writers


@st.composite
def alignments(draw: st.DrawFn) -> Alignment:
    """Hand-made beads over texts no file could hold (lone surrogates, NUL, U+FFFE …) with hostile names."""
    name = draw(raw_text)
    files = {side: draw(raw_text) or f"{side}.txt" for side in ("ru", "en")}
    offset = {"ru": 0, "en": 0}
    document = Document(name, files["ru"], files["en"])
    beads: list[Bead] = []

    def segment(side: str, lang: str) -> Segment:
        text = draw(raw_text)
        start = offset[side]
        offset[side] += len(text) + 1
        return Segment(files[side], start, start + len(text), draw(st.integers(1, 10**6)), text, lang, 0)

    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 5)) == 0:
            other = segment("ru", "other")
            other = Segment(other.file, other.start, other.end, other.line, other.text, "other", 0, draw(raw_text))
            document.other.append(other)
            beads.append(Bead((), (), 0.0, other=(other,)))
            continue
        ru = tuple(segment("ru", "ru") for _ in range(draw(st.integers(0, 3))))
        en = tuple(segment("en", "en") for _ in range(draw(st.integers(0 if ru else 1, 3))))
        document.ru.extend(ru)
        document.en.extend(en)
        beads.append(Bead(ru, en, draw(st.floats(0.0, 1.0)) if ru and en else 0.0))
    return Alignment(document, beads)


def joined(segments: tuple[Segment, ...]) -> str:
    return " ".join(segment.text for segment in segments)


SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@FUZZ
@given(items=st.lists(alignments(), max_size=3))
def test_tmx_parses_validates_and_reports_every_replaced_character(items: list[Alignment]) -> None:
    text = tmx_text(items, WriteContext("0.1.0", "20240101T000000Z"))

    root = etree.fromstring(text.encode("utf-8"), SAFE_PARSER)  # XML 1.0, no entity expansion, no network
    if TMX_DTD.exists():
        dtd = etree.DTD(str(TMX_DTD))
        assert dtd.validate(root), dtd.error_log.filter_from_errors()
    units = root.findall("body/tu")
    paired = [(alignment, bead) for alignment in items for bead in alignment.beads if bead.paired]
    assert len(units) == len(paired)
    for unit, (alignment, bead) in zip(units, paired, strict=True):
        props = {prop.get("type"): prop.text or "" for prop in unit.findall("prop")}
        segs = [tuv.findtext("seg") or "" for tuv in unit.findall("tuv")]
        name, ru, en = alignment.document.name, joined(bead.ru), joined(bead.en)
        assert segs == [expected_xml(ru), expected_xml(en)]
        assert props["x-document"] == expected_xml(name)
        replaced = sum(map(xml_forbidden, name + ru + en))
        assert props.get("x-replaced-chars") == (str(replaced) if replaced else None)  # never silently dropped


def as_json_reads_it(text: str) -> str:
    """`text` as JSON can carry it: exactly, except that a high surrogate followed by a low one (two separate
    code points in a Python str, never produced by decoding a file) reads back as the character they encode,
    because JSON's \\u escapes are UTF-16 code units."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def csv_cells(text: str) -> str:
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


@FUZZ
@given(items=st.lists(alignments(), max_size=3), excel_safe=st.booleans())
def test_csv_reads_back_as_the_same_cells(items: list[Alignment], excel_safe: bool) -> None:
    text = csv_text(items, excel_safe=excel_safe)
    text.encode("utf-8")  # writable as UTF-8

    rows = list(csv.reader(io.StringIO(text, newline="")))

    assert rows[0] == list(CSV_COLUMNS)
    expected = [
        [alignment.document.name, joined(bead.ru), joined(bead.en)]
        for alignment in items
        for bead in alignment.beads
        if not bead.other
    ]
    assert len(rows) - 1 == len(expected)
    for row, (name, ru, en) in zip(rows[1:], expected, strict=True):
        cells = [csv_cells(name), csv_cells(ru), csv_cells(en)]
        if excel_safe:
            cells = ["'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell for cell in cells]
            assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)
        assert row[:3] == cells


@FUZZ
@given(item=alignments())
def test_jsonl_has_one_object_per_bead_with_the_exact_texts_and_spans(item: Alignment) -> None:
    text = jsonl_text(item)
    text.encode("utf-8")  # writable as UTF-8: lone surrogates are escaped, not raw

    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(item.beads)
    assert len(text.splitlines()) == len(item.beads)  # no U+2028, U+0085 … splits a record
    for line, bead in zip(lines, item.beads, strict=False):
        record = json.loads(line)
        assert record["kind"] == bead.kind
        for side in ("ru", "en"):
            segments = getattr(bead, side)
            assert record[side]["text"] == as_json_reads_it(joined(segments))
            assert record[side]["spans"] == [[s.start, s.end] for s in segments]
            assert record[side]["file"] == as_json_reads_it(getattr(item.document, f"{side}_file"))
        if bead.other:
            assert record["other"]["text"] == as_json_reads_it(joined(bead.other))


@FUZZ
@given(item=alignments(), excel_safe=st.booleans())
def test_every_writer_writes_hostile_names_and_texts_inside_the_output_folder(
    tmp_path_factory: pytest.TempPathFactory, item: Alignment, excel_safe: bool
) -> None:
    from align.load import safe_name

    out = tmp_path_factory.mktemp("out")
    item.document.name = safe_name(item.document.name)
    try:
        written = write_document(item, out, ["tmx", "csv", "jsonl"], WriteContext("1", DATE, excel_safe=excel_safe))
    except UnicodeEncodeError:  # a surrogate outside U+DC80..U+DCFF has no file-system spelling
        assert re.search("[\ud800-\udc7f\udd00-\udfff]", item.document.name)
        return
    written += write_corpus([item], out, ["tmx", "csv", "jsonl"], WriteContext("1", DATE, excel_safe=excel_safe))
    assert set(out.iterdir()) == set(written)  # all inside `out`, no temporary file left
    for path in written:
        assert path.parent == out
        assert path.read_bytes().decode("utf-8") or path.suffix == ".jsonl"  # JSONL of no bead is empty


# ------------------------------------------------------------------------------------------ whole pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(UseEncoder())


page_text = st.lists(
    st.one_of(sentence(RU_WORDS), sentence(EN_WORDS), sentence(OTHER_WORDS), st.sampled_from(SPECIAL)), max_size=30
).map("".join)
page_bytes = st.one_of(
    page_text.map(lambda text: text.encode("utf-8")),
    st.lists(st.one_of(page_text.map(str.encode), st.sampled_from(INVALID_UTF8 + BOMS)), max_size=6).map(b"".join),
)


@PIPELINE
@given(data=page_bytes)
def test_pipeline_loses_no_sentence_and_every_output_parses(
    pipeline: Pipeline, tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    folder = tmp_path_factory.mktemp("page")
    path = folder / "page.txt"
    path.write_bytes(data)
    try:
        source = read_source(str(path))
    except InputError as error:
        assert_one_line(error)
        return
    expected = segments_of(paragraphs(source), source.text)

    alignment = pipeline.align(pipeline.document(pipeline_input(path)))

    document = alignment.document
    labelled = sorted(document.ru + document.en + document.other, key=lambda s: s.start)
    assert [(s.start, s.end, s.text, s.line) for s in labelled] == [(s.start, s.end, s.text, s.line) for s in expected]
    assert_nothing_lost(alignment, {str(path): source.text})
    written = write_document(alignment, folder / "out", ["tmx", "csv", "jsonl"], WriteContext("1", DATE))
    tmx, csv_path, jsonl = written
    etree.parse(str(tmx), SAFE_PARSER)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == 1 + sum(not bead.other for bead in alignment.beads)
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").split("\n")[:-1]]
    assert len(records) == len(alignment.beads)
    for record in records:
        for side in ("ru", "en", "other"):
            if side in record:
                texts = [source.text[start:end] for start, end in record[side]["spans"]]
                assert record[side]["text"] == " ".join(texts)


def pipeline_input(path: Path):
    from align.load import Input

    return Input("page", (str(path),))
