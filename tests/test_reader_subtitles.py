"""SRT and WebVTT subtitles: a cue is one whole unit located by its number and times, tags are markup."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from align.load import InputError
from align.model import Paragraph
from align.readers import reader_for
from align.readers.subtitles import SrtReader, VttReader
from align.runner import Request, run
from align.segment import segments_of
from tests import story
from tests.conftest import run_cli

CUE_SECONDS = 2  # each story cue lasts two seconds, the next one starts when it ends
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁ])")

Cue = tuple[int, int, str]  # (start second, end second, text)


def sentences(paragraph: str) -> list[str]:
    return SENTENCE_END.split(paragraph)


def story_cues() -> tuple[list[Cue], list[Cue]]:
    """One cue per sentence, consecutive times; the deleted English paragraph's time has no Russian cue."""
    ru: list[Cue] = []
    en: list[Cue] = []
    ru_paragraphs = iter(story.RU)
    for number, english in enumerate(story.EN):
        first = len(en)
        for k, sentence in enumerate(sentences(english)):
            en.append(((first + k) * CUE_SECONDS, (first + k + 1) * CUE_SECONDS, sentence))
        if number == story.DELETED:
            continue
        for k, sentence in enumerate(sentences(next(ru_paragraphs))):  # the same slots, the same count
            ru.append(((first + k) * CUE_SECONDS, (first + k + 1) * CUE_SECONDS, sentence))
    return ru, en


def srt_time(seconds: int) -> str:
    return f"00:{seconds // 60:02d}:{seconds % 60:02d},000"


def srt_text(cues: list[Cue]) -> str:
    blocks = [f"{n}\n{srt_time(a)} --> {srt_time(b)}\n{text}\n" for n, (a, b, text) in enumerate(cues, start=1)]
    return "\n".join(blocks)


def vtt_text(cues: list[Cue]) -> str:
    header = "WEBVTT - story\nKind: captions\n\nNOTE made for the test\n\nSTYLE\n::cue { color: yellow }\n"
    blocks = [
        f"s{n}\n{srt_time(a).replace(',', '.')} --> {srt_time(b).replace(',', '.')} line:90%\n{text}\n"
        for n, (a, b, text) in enumerate(cues, start=1)
    ]
    return "\n".join([header, *blocks])


def write_story(folder: Path, suffix: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    ru_cues, en_cues = story_cues()
    render = srt_text if suffix == ".srt" else vtt_text
    ru, en = folder / f"story.ru{suffix}", folder / f"story.en{suffix}"
    ru.write_text(render(ru_cues), encoding="utf-8")
    en.write_text(render(en_cues), encoding="utf-8")
    return ru, en


@pytest.fixture(scope="module")
def text_version(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple[str, str]], list]:
    return story.pairs_and_findings(*story.write_text_pair(tmp_path_factory.mktemp("txt")))


def parsed(reader: SrtReader | VttReader, text: str, name: str = "x.srt", bom: bool = False) -> list[Paragraph]:
    data = text.encode("utf-8-sig" if bom else "utf-8")
    return reader.paragraphs(reader.source(name, data))


def markup_of(paragraph: Paragraph, text: str) -> list[str]:
    return [text[start:end] for start, end in paragraph.markup]


# ---------------------------------------------------------------------------------------- the story


@pytest.mark.parametrize("suffix", [".srt", ".vtt"])
def test_the_story_as_subtitles_gives_the_text_versions_pairs_and_finding(
    tmp_path: Path, suffix: str, text_version: tuple[list[tuple[str, str]], list]
) -> None:
    ru, en = write_story(tmp_path, suffix)
    pairs, findings = story.pairs_and_findings(ru, en)
    text_pairs, text_findings = text_version
    assert pairs == text_pairs and len(pairs) == len(story.RU) + 2
    deleted = story.EN[story.DELETED]
    line = en.read_text(encoding="utf-8").splitlines().index(deleted) + 1
    assert [(f.rule, f.file, f.line, f.en) for f in findings] == [("untranslated", str(en), line, deleted)]
    assert [f.rule for f in text_findings] == ["untranslated"]


@pytest.mark.parametrize(
    ("suffix", "first", "deleted"),
    [
        (".srt", "cue 1 00:00:00,000 --> 00:00:02,000", "cue 5 00:00:08,000 --> 00:00:10,000"),
        (".vtt", "cue s1 00:00:00.000 --> 00:00:02.000", "cue s5 00:00:08.000 --> 00:00:10.000"),
    ],
)
def test_aligned_segments_carry_the_cue_number_and_times(tmp_path: Path, suffix: str, first: str, deleted: str) -> None:
    ru, en = write_story(tmp_path, suffix)
    alignment = run(Request(paths=(str(ru), str(en)), pair=True)).alignments[0]
    assert alignment.beads[0].en[0].location == first
    assert alignment.beads[0].ru[0].location == first  # the Russian file's first cue has the same number and times
    one_sided = [bead for bead in alignment.beads if not bead.paired]
    assert [bead.en[0].location for bead in one_sided] == [deleted]
    assert all(s.location.startswith("cue ") and s.whole for s in alignment.document.ru + alignment.document.en)


def test_a_sentence_split_over_two_cues_pairs_with_the_one_cue_of_its_translation(tmp_path: Path) -> None:
    ru_cues = [(0, 4, "Кошка сидела на подоконнике и смотрела на дождь."), (4, 6, "Капли стекали по стеклу.")]
    en_cues = [(0, 2, "The cat sat on the windowsill"), (2, 4, "and watched the rain."), (4, 6, story.EN[0][-25:])]
    ru, en = tmp_path / "x.ru.srt", tmp_path / "x.en.srt"
    ru.write_text(srt_text(ru_cues), encoding="utf-8")
    en.write_text(srt_text(en_cues), encoding="utf-8")
    beads = run(Request(paths=(str(ru), str(en)), pair=True)).alignments[0].beads
    assert [bead.kind for bead in beads] == ["1-2", "1-1"]


# ---------------------------------------------------------------------------------------- SRT


def test_srt_cues_are_whole_paragraphs_over_their_text_lines_with_tags_as_markup() -> None:
    text = (
        "1\r\n00:00:01,000 --> 00:00:03,500\r\n<i>Hello</i> there.  \r\n"
        '{\\an8}How are <font color="#ffff00">you</font>? Fine.  \r\n\r\n'
        "2\r\n00:00:04,000 --> 00:00:05,000\r\n<b>Bye.</b>"  # no final line break
    )
    first, second = parsed(SrtReader(), text, bom=True)
    assert first.text == '<i>Hello</i> there.  \r\n{\\an8}How are <font color="#ffff00">you</font>? Fine.'
    assert (first.line, first.location, first.whole) == (3, "cue 1 00:00:01,000 --> 00:00:03,500", True)
    assert markup_of(first, text) == ["<i>", "</i>", "{\\an8}", '<font color="#ffff00">', "</font>"]
    assert (second.text, second.line, second.location) == ("<b>Bye.</b>", 8, "cue 2 00:00:04,000 --> 00:00:05,000")
    assert text[second.start : second.end] == second.text
    assert [s.text for s in segments_of([first, second], text)] == [first.text, second.text]  # never split


def test_srt_without_numbers_with_lone_cr_line_ends_and_empty_cues() -> None:
    text = (
        "00:00:01,000 --> 00:00:02,000\rFirst.\r\r"
        "00:00:02,500 --> 00:00:03,000\r<i></i>\r\r"  # no text: no paragraph
        "00:00:09,000 --> 00:00:10,000\rLast.\r"
    )
    found = parsed(SrtReader(), text)
    assert [(p.text, p.line, p.location) for p in found] == [
        ("First.", 2, "cue 1 00:00:01,000 --> 00:00:02,000"),
        ("Last.", 8, "cue 3 00:00:09,000 --> 00:00:10,000"),
    ]
    assert [p.index for p in found] == [0, 1]  # a pause of 3 s or more starts a new paragraph


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Just some text.\nNot subtitles.\n", "line 1: text outside a cue: 'Just some text.'"),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nOne.\n\n2\n00:00:0x,000 --> 00:00:03,000\nTwo.\n",
            "line 6: a cue timing that cannot be read: '00:00:0x,000 --> 00:00:03,000'",
        ),
        ("\n\nintro\n\n1\n00:00:01,000 --> 00:00:02,000\nOne.\n", "line 3: text outside a cue: 'intro'"),
    ],
)
def test_a_file_srt_cannot_read_is_one_line_naming_it(text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        SrtReader().source("bad.srt", text.encode())
    assert str(caught.value) == f"bad.srt: not a valid SRT file ({problem})"


def test_a_malformed_srt_is_one_error_line_and_the_other_file_is_still_aligned(tmp_path: Path) -> None:
    bad, good, out = tmp_path / "bad.srt", tmp_path / "good.txt", tmp_path / "out"
    bad.write_text("This is not a subtitle file.\n", encoding="utf-8")
    good.write_text(f"{story.RU[0]}\n\n{story.EN[0]}\n", encoding="utf-8")
    code, _, stderr = run_cli("run", str(bad), str(good), "--out", str(out))
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert code == 2 and "Traceback" not in stderr
    problem = "not a valid SRT file (line 1: text outside a cue: 'This is not a subtitle file.')"
    assert errors == [f"error: {bad}: {problem}"]
    assert (out / "good.tmx").is_file() and "Капли стекали" in (out / "good.tmx").read_text(encoding="utf-8")
    assert not (out / "bad.tmx").exists()


# ---------------------------------------------------------------------------------------- WebVTT


def test_vtt_header_note_style_and_region_blocks_are_skipped_cues_keep_identifier_or_ordinal() -> None:
    text = (
        "WEBVTT - Test\nKind: captions\nLanguage: en\n\n"
        "REGION\nid:top\nwidth:40%\n\n"
        "STYLE\n::cue(.loud) { color: red }\n\n"
        "NOTE a comment\nover two lines\n\n"
        "intro\n00:01.000 --> 00:03.500 region:top\n<v.loud Bob>Hello <c.loud>there</c>.</v>\t\n"
        "<lang ru>Привет</lang>, <00:00:02.000>friend.\n"
        " \t\n"  # a line of whitespace ends the cue
        "00:00:04.000 --> 00:00:05.000\nBye.  "
    )
    first, second = parsed(VttReader(), text, name="x.vtt")
    assert first.text == "<v.loud Bob>Hello <c.loud>there</c>.</v>\t\n<lang ru>Привет</lang>, <00:00:02.000>friend."
    assert (first.line, first.location) == (17, "cue intro 00:00:01.000 --> 00:00:03.500")
    tags = ["<v.loud Bob>", "<c.loud>", "</c>", "</v>", "<lang ru>", "</lang>", "<00:00:02.000>"]
    assert markup_of(first, text) == tags
    assert (second.text, second.line, second.location) == ("Bye.", 21, "cue 2 00:00:04.000 --> 00:00:05.000")
    assert (first.index, second.index, second.whole) == (0, 0, True)


def test_vtt_with_crlf_and_a_bom() -> None:
    text = "WEBVTT\r\n\r\n1\r\n00:00:01.000 --> 00:00:02.000\r\nOne line,\r\ntwo lines.\r\n"
    (cue,) = parsed(VttReader(), text, name="x.vtt", bom=True)
    assert (cue.text, cue.line, cue.location) == ("One line,\r\ntwo lines.", 5, "cue 1 00:00:01.000 --> 00:00:02.000")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1\n00:00:01.000 --> 00:00:02.000\nOne.\n", "line 1: it does not start with WEBVTT"),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nOne.\n\n00:0x.000 --> 00:03.000\nTwo.\n",
            "line 6: a cue that cannot be read: '00:0x.000 --> 00:03.000'",
        ),
    ],
)
def test_a_file_webvtt_cannot_read_is_one_line_naming_it(text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        VttReader().source("bad.vtt", text.encode())
    assert str(caught.value) == f"bad.vtt: not a valid WebVTT file ({problem})"


def test_the_registry_gives_the_subtitle_readers() -> None:
    assert isinstance(reader_for("a.SRT"), SrtReader) and isinstance(reader_for("b.vtt"), VttReader)


def test_without_its_library_reading_a_subtitle_file_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "srt", None)  # as if `srt` were not installed
    monkeypatch.delitem(sys.modules, "align.readers.subtitles")
    with pytest.raises(InputError, match=r"^a\.srt: reading \.srt files needs srt: pip install 'align\[formats\]'$"):
        reader_for("a.srt")
