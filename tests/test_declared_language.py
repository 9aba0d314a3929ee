"""Declared languages (HTML and XHTML `lang`/`xml:lang`, EPUB chapters): the codes, how the language stage weighs
them, and through the real pipeline and encoder: a block declared in a third language is `other` with that code,
never paired nor untranslated, however short."""

from __future__ import annotations

import html
import json
from dataclasses import replace
from pathlib import Path

import pytest
from ebooklib import epub

from align.declared_language import declared_language
from align.language import LanguageIdentifier
from align.model import Segment
from tests import story
from tests.conftest import run_cli
from tests.test_language import ENGLISH, GERMAN, RUSSIAN, UKRAINIAN, segment

THIRD = [("de", "Guten Morgen!"), ("uk", "Добрий ранок!"), ("uk", "Кошка спить."), ("fr", "Merci beaucoup.")]

MIXED_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Кошка</title></head>
<body>
<h1>Кошка и дождь</h1>
<h1>The cat and the rain</h1>
<p>Кошка сидела на подоконнике и смотрела на дождь.</p>
<p>The cat sat on the windowsill and watched the rain.</p>
<p lang="de">Guten Morgen!</p>
<p lang="uk">Добрий ранок!</p>
<p lang="uk">Кошка спить.</p>
<div lang="fr"><p>Merci beaucoup.</p><p lang="ru">Вечером пришёл хозяин и включил свет.</p></div>
<p lang="en-GB">In the evening the owner came home and turned on the light.</p>
<p lang="ru">The owner smiled.</p>
<p>Утром дождь закончился.</p>
<p>In the morning the rain stopped.</p>
</body></html>
"""


def beads_of(*paths: Path) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(kind, [(text, lang, detected), …]) of each bead of the one document the files make."""
    from align.runner import Request, run

    [alignment] = run(Request(paths=tuple(map(str, paths)), pair=len(paths) == 2)).alignments
    return [(b.kind, [(s.text, s.lang, s.detected) for s in b.ru + b.en + b.other]) for b in alignment.beads]


def line_of(text: str, piece: str) -> int:
    return text[: text.index(piece)].count("\n") + 1


def test_a_mixed_pages_short_third_language_blocks_are_other_and_its_russian_and_english_are_paired(
    tmp_path: Path,
) -> None:
    page = tmp_path / "mixed.html"
    page.write_text(MIXED_PAGE, encoding="utf-8")

    beads = beads_of(page)

    # without the declarations, "Добрий ранок!" was paired as Russian with "Guten Morgen!" as English
    assert [(text, detected) for kind, units in beads if kind == "other" for text, _, detected in units] == [
        (text, code) for code, text in THIRD
    ]
    paired = [[text for text, _, _ in units] for kind, units in beads if kind == "1-1"]
    assert paired == [
        ["Кошка и дождь", "The cat and the rain"],
        ["Кошка сидела на подоконнике и смотрела на дождь.", "The cat sat on the windowsill and watched the rain."],
        ["Вечером пришёл хозяин и включил свет.", "In the evening the owner came home and turned on the light."],
        ["Утром дождь закончился.", "In the morning the rain stopped."],
    ]
    # an English sentence inside lang="ru" is plainly not Russian: read as English, left without a translation
    assert ("0-1", [("The owner smiled.", "en", "")]) in beads


def test_check_reports_third_language_blocks_at_their_lines_and_never_as_untranslated(tmp_path: Path) -> None:
    page = tmp_path / "mixed.html"
    page.write_text(MIXED_PAGE, encoding="utf-8")

    code, stdout, _ = run_cli("check", str(page), "--format", "json", "--require", "ru", "--fail-on", "never")

    assert code == 0
    found = json.loads(stdout)["findings"]
    assert [(f["rule"], f["line"], f["lang"]) for f in found if f["rule"] == "other-language"] == [
        ("other-language", line_of(MIXED_PAGE, text), lang) for lang, text in THIRD
    ]
    assert [(f["rule"], f["en"]) for f in found if f["rule"] == "untranslated"] == [
        ("untranslated", "The owner smiled.")
    ]


def pair_pages(folder: Path, extra: str) -> tuple[Path, Path]:
    """story.ru.html and story.en.html (the story, one Russian paragraph deleted), `extra` blocks at the end of
    the English page."""
    ru, en = folder / "story.ru.html", folder / "story.en.html"
    for path, paragraphs, lang in ((ru, story.RU, "ru-RU"), (en, story.EN, "en-US")):
        blocks = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
        tail = extra if path == en else ""
        path.write_text(f'<html lang="{lang}"><body>\n{blocks}\n{tail}</body></html>\n', encoding="utf-8")
    return ru, en


def test_in_a_pair_short_blocks_declared_in_a_third_language_are_neither_side(tmp_path: Path) -> None:
    ru, en = pair_pages(tmp_path, '<p lang="de">Guten Morgen!</p>\n<div lang="uk"><p>Добрий ранок!</p></div>\n')

    pairs, findings = story.pairs_and_findings(ru, en)

    # without the declarations both were English sentences of the English file: two more untranslated findings
    assert [f.en for f in findings if f.rule == "untranslated"] == [story.EN[story.DELETED]]
    assert [(f.rule, f.lang, f.ru or f.en) for f in findings if f.rule == "other-language"] == [
        ("other-language", "de", "Guten Morgen!"),
        ("other-language", "uk", "Добрий ранок!"),
    ]
    assert pairs == story.pairs_and_findings(*story.write_text_pair(tmp_path / "txt"))[0]


def test_a_pages_lang_declaring_russian_or_english_changes_no_pair(tmp_path: Path) -> None:
    declared = pair_pages(tmp_path, "")
    plain = story.write_text_pair(tmp_path / "txt")
    assert story.pairs_and_findings(*declared)[0] == story.pairs_and_findings(*plain)[0]


def write_book(path: Path, paragraphs: list[str], lang: str, extra: list[str]) -> Path:
    """An EPUB 3 made by ebooklib, one chapter declaring `lang` (ebooklib writes it as lang and xml:lang on the
    chapter's <html>), the story's paragraphs then the `extra` blocks."""
    book = epub.EpubBook()
    book.set_identifier(f"story-{lang}")
    book.set_title("story")
    book.set_language(lang)
    chapter = epub.EpubHtml(title="1", file_name="chapter1.xhtml", lang=lang)
    chapter.content = "\n".join([f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs] + extra)
    book.add_item(chapter)
    book.toc = [chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [chapter]
    epub.write_epub(str(path), book)
    return path


def test_an_epubs_paragraphs_declared_with_xml_lang_in_a_third_language_are_other(tmp_path: Path) -> None:
    ru = write_book(tmp_path / "story.ru.epub", story.RU, "ru", [])
    extra = ['<p xml:lang="de">Guten Morgen!</p>', '<p lang="uk">Добрий ранок!</p>']
    en = write_book(tmp_path / "story.en.epub", story.EN, "en", extra)

    beads = beads_of(ru, en)
    pairs, findings = story.pairs_and_findings(ru, en)

    assert [units for kind, units in beads if kind == "other"] == [
        [("Guten Morgen!", "other", "de")],
        [("Добрий ранок!", "other", "uk")],
    ]
    assert [f.en for f in findings if f.rule == "untranslated"] == [story.EN[story.DELETED]]
    assert pairs == story.pairs_and_findings(*story.write_text_pair(tmp_path / "txt"))[0]


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("ru", "ru"),
        ("ru-RU", "ru"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("zh-Hans", "zh"),
        ("sr-Latn-RS", "sr"),
        ("DE", "de"),
        ("rus", "ru"),
        ("eng", "en"),
        ("ukr", "ukr"),
        ("", ""),
        ("und", ""),
        ("zxx", ""),
        ("x-klingon", ""),
        ("english", ""),
    ],
)
def test_a_declared_tag_names_its_base_language(tag: str, code: str) -> None:
    assert declared_language(tag) == code


def declared_segments(*texts_and_langs: tuple[str, str]) -> list[Segment]:
    """One segment per paragraph, each declared in its language."""
    return [replace(segment(text, k), declared=lang) for k, (text, lang) in enumerate(texts_and_langs)]


def test_a_declared_third_language_is_other_with_its_code_however_short_and_on_either_side(
    identifier: LanguageIdentifier,
) -> None:
    found = declared_segments(("Ja.", "de"), ("Так.", "uk"), ("OK", "fr"), ("2024", "de"), (RUSSIAN, "be"))
    for side in (None, "ru", "en"):
        labelled = identifier.label(found, side)
        assert [(seg.lang, seg.detected) for seg in labelled] == [
            ("other", "de"),
            ("other", "uk"),
            ("other", "fr"),
            ("other", "de"),
            ("other", "be"),
        ]


def test_declared_russian_or_english_names_letterless_text_and_letters_that_say_otherwise_win(
    identifier: LanguageIdentifier,
) -> None:
    """A mixed file whose English comes first: the twin headings "II" declared Russian then English are so (the
    file's order alone made the first English); a Latin-only sentence declared Russian is English, a Cyrillic one
    declared English Russian, and text in a third language is still found in a block declared Russian."""
    found = declared_segments(
        (ENGLISH, ""),
        (RUSSIAN, ""),
        ("II", "ru"),
        ("II", "en"),
        ("The owner smiled.", "ru"),
        ("Хозяин улыбнулся.", "en"),
        (UKRAINIAN, "ru"),
        (GERMAN, "en"),
    )
    labelled = identifier.label(found)
    assert [(seg.lang, seg.detected) for seg in labelled] == [
        ("en", ""),
        ("ru", ""),
        ("ru", ""),
        ("en", ""),
        ("en", ""),
        ("ru", ""),
        ("other", "uk"),
        ("other", "de"),
    ]
    undeclared = identifier.label([replace(seg, declared="") for seg in found])
    assert [seg.lang for seg in undeclared][2:4] == ["en", "ru"]  # the file's order, without the declarations
