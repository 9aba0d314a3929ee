"""The PDF reader (align/readers/pdf.py): real PDFs written by fpdf2 with a Unicode font, read through the pipeline
and the CLI; broken, encrypted and scanned (text-less) ones are one error line each."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from align.load import InputError
from align.model import Source
from align.readers import reader_for
from align.readers.pdf import NO_TEXT_LAYER, PdfReader
from tests import story

FONTS = (  # TrueType fonts with Cyrillic letters, where Linux distributions and macOS put them
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)
TITLE = {"ru": "Кошка и дождь", "en": "The cat and the rain"}
TITLE_SIZE, TEXT_SIZE = 22, 16
COLUMN_MM, LINE_MM, PARAGRAPH_GAP_MM = 110, 8, 6  # the story's paragraphs wrap over two or three lines
PAGE_BREAK_BEFORE = story.DELETED  # the English paragraph without a Russian counterpart starts page 2


@pytest.fixture
def font() -> str:
    found = next((path for path in FONTS if os.path.isfile(path)), None)
    if found is None:
        pytest.skip(f"no TrueType font with Cyrillic letters on this machine (looked for {', '.join(FONTS)})")
    return found


def new_pdf(font: str) -> FPDF:
    pdf = FPDF()
    pdf.add_font("Unicode", fname=font)
    pdf.add_page()
    pdf.set_font("Unicode", size=TEXT_SIZE)
    return pdf


def paragraph(pdf: FPDF, text: str, size: int = TEXT_SIZE) -> None:
    pdf.set_font("Unicode", size=size)
    pdf.multi_cell(COLUMN_MM, LINE_MM, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(PARAGRAPH_GAP_MM)


def write_story(path: Path, lang: str, font: str) -> Path:
    """The story in one language as a PDF: a title, then its paragraphs; the third English one (the deleted
    Russian one's place) begins page 2."""
    pdf = new_pdf(font)
    paragraph(pdf, TITLE[lang], TITLE_SIZE)
    for index, text in enumerate(story.RU if lang == "ru" else story.EN):
        if index == PAGE_BREAK_BEFORE:
            pdf.add_page()
        paragraph(pdf, text)
    pdf.output(str(path))
    return path


def read(path: Path) -> Source:
    return PdfReader().source(str(path), path.read_bytes())


def lines_pdf(path: Path, font: str, lines: list[str]) -> Path:
    """A PDF of `lines`, one below the other at an even spacing (no gap between paragraphs)."""
    pdf = new_pdf(font)
    for line in lines:
        pdf.cell(0, LINE_MM, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_the_story_gives_the_text_pairs_and_the_one_finding_on_its_page(tmp_path: Path, font: str) -> None:
    text_pairs, _ = story.pairs_and_findings(*story.write_text_pair(tmp_path / "txt"))
    ru, en = write_story(tmp_path / "story.ru.pdf", "ru", font), write_story(tmp_path / "story.en.pdf", "en", font)
    assert read(en).text.split("\n") == [TITLE["en"], *story.EN]  # the wrapped lines joined into paragraphs
    pairs, findings = story.pairs_and_findings(ru, en)
    assert pairs == [(TITLE["ru"], TITLE["en"]), *text_pairs]
    assert [(f.rule, f.file, f.en) for f in findings] == [("untranslated", str(en), story.EN[story.DELETED])]
    line = findings[0].line
    assert read(en).text.split("\n")[line - 1] == story.EN[story.DELETED]
    assert line == 2 + story.DELETED  # the title is line 1
    unpaired = [s for bead in story.aligned(ru, en).beads if not bead.paired for s in bead.en]
    assert [(s.text, s.location) for s in unpaired] == [(story.EN[story.DELETED], "page 2")]


def test_paragraphs_are_located_by_page(tmp_path: Path, font: str) -> None:
    path = write_story(tmp_path / "story.ru.pdf", "ru", font)
    paragraphs = reader_for(str(path)).paragraphs(read(path))
    assert [(p.line, p.location) for p in paragraphs] == [(1, "page 1"), (2, "page 1"), (3, "page 1"), (4, "page 2")]
    source = read(path)
    assert source.encoding == "pdf" and all(source.text[p.start : p.end] == p.text for p in paragraphs)


def test_hyphenated_words_are_mended(tmp_path: Path, font: str) -> None:
    path = lines_pdf(tmp_path / "hyphens.pdf", font, ["Это при-", "мер переноса, а это — Нью-", "Йорк."])
    assert read(path).text == "Это пример переноса, а это — Нью- Йорк."


def test_a_short_line_ending_a_sentence_before_a_capital_ends_its_paragraph(tmp_path: Path, font: str) -> None:
    lines = [
        "A long line of text that runs across the width of the page.",
        "It goes on here.",
        "A new paragraph after a short line.",
    ]
    path = lines_pdf(tmp_path / "even.pdf", font, lines)
    assert read(path).text.split("\n") == [f"{lines[0]} {lines[1]}", lines[2]]


def test_a_pdf_encrypted_without_a_user_password_is_read(tmp_path: Path, font: str) -> None:
    pdf = new_pdf(font)
    pdf.set_encryption(owner_password="owner")
    paragraph(pdf, story.EN[0])
    path = tmp_path / "owner-only.pdf"
    pdf.output(str(path))
    assert read(path).text == story.EN[0]


# ---------------------------------------------------------------------------------------- bad input


def encrypted(folder: Path, font: str) -> Path:
    pdf = new_pdf(font)
    pdf.set_encryption(owner_password="owner", user_password="secret")
    paragraph(pdf, story.EN[0])
    pdf.output(str(folder / "locked.pdf"))
    return folder / "locked.pdf"


def scanned(folder: Path, font: str) -> Path:
    """A page that is only a picture of text, as a scanner makes it."""
    pdf = new_pdf(font)
    pdf.image(Image.new("L", (400, 200), color=255), x=10, y=10, w=100)
    pdf.output(str(folder / "scan.pdf"))
    return folder / "scan.pdf"


def blank(folder: Path, font: str) -> Path:
    pdf = new_pdf(font)
    pdf.rect(20, 20, 50, 30)
    pdf.add_page()
    pdf.output(str(folder / "blank.pdf"))
    return folder / "blank.pdf"


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def truncated(folder: Path, font: str) -> Path:
    whole = write_story(folder / "whole.pdf", "en", font).read_bytes()
    return write_bytes(folder / "truncated.pdf", whole[: len(whole) // 3])


BAD = {
    "corrupt": (lambda folder, font: write_bytes(folder / "corrupt.pdf", os.urandom(3000)), "not a valid PDF"),
    "header only": (lambda folder, font: write_bytes(folder / "header.pdf", b"%PDF-1.7\n" + bytes(500)), "not a valid"),
    "truncated": (truncated, "PDF"),
    "encrypted": (encrypted, "PDF is encrypted"),
    "scanned": (scanned, NO_TEXT_LAYER),
    "blank": (blank, NO_TEXT_LAYER),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_pdf_is_one_error_line_and_the_good_file_is_aligned(tmp_path: Path, font: str, case: str) -> None:
    make, problem = BAD[case]
    bad = make(tmp_path, font)
    code, errors, stdout, stderr, out = story.run_beside_a_good_file(bad, tmp_path)
    assert code == 2
    assert len(errors) == 1 and errors[0].startswith(f"error: {bad}: ") and problem in errors[0]
    assert "Traceback" not in stdout + stderr and "pypdf" not in stderr
    assert (out / "mixed.jsonl").exists() and "aligned mixed" in stderr


def test_the_reader_refuses_what_it_cannot_read_with_one_line(tmp_path: Path, font: str) -> None:
    for make, problem in BAD.values():
        bad = make(tmp_path, font)
        with pytest.raises(InputError, match=re.escape(problem)) as caught:
            read(bad)
        assert str(caught.value).startswith(f"{bad}: ") and "\n" not in str(caught.value)
