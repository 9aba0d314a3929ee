"""The HTML reader: block elements as paragraphs located in the file, markup inside them, boilerplate left out."""

from __future__ import annotations

import codecs
import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.markup import plain_text
from align.model import Source
from align.readers import reader_for
from align.readers.html import HtmlReader
from align.readers.text import boilerplate_lines, normalised_line
from align.segment import segments_of
from tests import story
from tests.conftest import SEEDS, run_cli

TITLE_RU, TITLE_EN = "Кошка и дождь", "The cat and the rain"
TAG = re.compile(r"<[^>]*>")

PAGE = """<!DOCTYPE html>
<html lang="ru">
<head><meta charset="utf-8"><title>Заголовок окна</title>
<script>var s = "<p>Скрипт не текст.</p>";</script>
<style>p { color: red }</style></head>
<body>
<nav><ul><li><a href="/">Главная</a></li><li>Contacts</li></ul></nav>
<header><p>Новости сайта</p></header>
<main>
<h1>Большой   заголовок</h1>
<p>Первое предложение с <a href="https://x.org/?a=1&amp;b=2">ссылкой</a> и <code>a.b()</code> внутри.
Второе&nbsp;предложение.</p>
<ul><li>Один<li>Два <b>жирно</b></ul>
<p lang="de">Das ist Deutsch.</p>
<p lang="en-GB">This is English.</p>
<table><tr><th>Имя<td>Значение</table>
<div>Прямой текст<p>Абзац</div>
<pre>pre block text</pre>
<div hidden>Скрытый текст</div>
<article><header><h2>Article title</h2></header><p>Text<br>after break</p></article>
<p>Text with <!-- a comment --> comment</p>
<div><a href="#top">Top of page</a></div>
<p>2024</p>
</main>
<footer><p>&copy; 2024 Все права защищены</p></footer>
</body></html>
"""


def read(text: str, path: str = "page.html") -> list:
    return HtmlReader().paragraphs(Source(path=path, text=text, encoding="utf-8"))


def test_each_html_suffix_has_the_html_reader() -> None:
    for name in ("a.html", "b.HTM", "c.xhtml"):
        assert isinstance(reader_for(name), HtmlReader)


def test_block_elements_are_paragraphs_located_in_the_file() -> None:
    paragraphs = read(PAGE)
    assert [p.text for p in paragraphs] == [
        "Большой   заголовок",
        'Первое предложение с <a href="https://x.org/?a=1&amp;b=2">ссылкой</a> и <code>a.b()</code> внутри.\n'
        "Второе&nbsp;предложение.",
        "Один",
        "Два <b>жирно",
        "Das ist Deutsch.",  # any language is read: language ID labels it
        "This is English.",
        "Имя",
        "Значение",
        "Прямой текст",
        "Абзац",
        "Article title",
        "Text",
        "after break",
        "Text with <!-- a comment --> comment",
    ]
    lines = PAGE.split("\n")
    for paragraph in paragraphs:
        assert PAGE[paragraph.start : paragraph.end] == paragraph.text
        assert lines[paragraph.line - 1].find(paragraph.text.split("\n")[0]) >= 0
        assert [p.index for p in paragraphs] == list(range(len(paragraphs)))
    assert [p.text for p in paragraphs if p.whole] == ["Большой   заголовок", "Имя", "Значение", "Article title"]


def test_tags_comments_and_inline_code_inside_a_paragraph_are_markup() -> None:
    paragraphs = {p.text.split()[0]: p for p in read(PAGE)}
    link = paragraphs["Первое"]
    assert [PAGE[a:b] for a, b in link.markup] == [
        '<a href="https://x.org/?a=1&amp;b=2">',
        "</a>",
        "<code>a.b()</code>",
        "&nbsp;",  # a character reference: markup, so its span stays exact and the plain text has U+00A0
    ]
    assert [PAGE[a:b] for a, b in paragraphs["Text"].markup] == ["<!-- a comment -->"]
    assert [PAGE[a:b] for a, b in paragraphs["Два"].markup] == ["<b>"]  # `</b>` lies after the last letter
    segments = segments_of([link], PAGE)
    assert [s.prose.split() for s in segments] == [
        ["Первое", "предложение", "с", "ссылкой", "и", "внутри."],
        ["Второе", "предложение."],
    ]
    assert segments[0].line == link.line and segments[1].line == link.line + 1


def test_script_style_nav_header_footer_pre_and_hidden_text_are_left_out() -> None:
    text = " ".join(p.text for p in read(PAGE))
    for absent in ("Скрипт", "color", "Главная", "Contacts", "Новости", "pre block", "Скрытый", "права"):
        assert absent not in text
    assert "Заголовок окна" not in text and "Top of page" not in text and "2024" not in text
    entities = "<p>&copy; 2024</p><p>&laquo;&nbsp;&#8212;</p><div>Back&nbsp;to&nbsp;top</div><p>&Eacute;t&eacute;</p>"
    assert [p.text for p in read(entities)] == ["&Eacute;t&eacute;"]  # entities read decoded for these tests


def test_optional_end_tags_end_their_elements() -> None:
    paragraphs = read("<ul><li>Раз<li>Два<ul><li>Вложенный</ul><li>Три</ul><p>Один<p>Второй<dl><dt>Срок<dd>Ответ</dl>")
    assert [(p.text, p.whole) for p in paragraphs] == [
        ("Раз", False),
        ("Два", False),
        ("Вложенный", False),
        ("Три", False),
        ("Один", False),
        ("Второй", False),
        ("Срок", True),
        ("Ответ", False),
    ]


def test_text_in_another_language_is_read_as_text_never_dropped() -> None:
    text = (
        '<div lang="fr"><p>Bonjour tout le monde.</p>'
        '<p lang="ru">Привет, <span lang="fr">mes amis</span>, всем.</p></div>'
    )
    french, russian = read(text)
    assert french.text == "Bonjour tout le monde."
    assert russian.text == 'Привет, <span lang="fr">mes amis</span>, всем.'
    assert [text[a:b] for a, b in russian.markup] == ['<span lang="fr">', "</span>"]  # the phrase is text


GERMAN = "Die Katze schläft den ganzen Nachmittag auf dem warmen Fensterbrett."


def test_a_paragraph_in_a_third_language_is_reported_as_such_never_paired_or_untranslated(tmp_path: Path) -> None:
    ru, en = tmp_path / "story.ru.html", tmp_path / "story.en.html"
    ru.write_text(story_page(TITLE_RU, story.RU, "ru"), encoding="utf-8")
    english = story_page(TITLE_EN, story.EN, "en").replace("</body>", f'<p lang="de">{GERMAN}</p>\n</body>')
    en.write_text(english, encoding="utf-8")

    alignment = story.aligned(ru, en)
    pairs, findings = story.pairs_and_findings(ru, en)

    assert [s.text for s in alignment.document.other] == [GERMAN]
    assert all(GERMAN not in " ".join(s.text for s in bead.ru + bead.en) for bead in alignment.beads)
    german_line = english.split("\n").index(f'<p lang="de">{GERMAN}</p>') + 1
    assert [(f.rule, f.line) for f in findings if f.line == german_line] == [("other-language", german_line)]
    assert [f.rule for f in findings if f.rule == "untranslated"] == ["untranslated"]  # the deleted paragraph only


def test_character_references_are_decoded_in_the_plain_text_and_spans_stay_exact(tmp_path: Path) -> None:
    ru_text = "<p>Кошка&nbsp;спала &laquo;весь день&raquo; &#8212; AT&amp;T &#x2014; <b>&amp;</b> конец.</p>\n"
    en_text = "<p>The cat&nbsp;slept &ldquo;all day&rdquo; &#8212; AT&amp;T &#x2014; <b>&amp;</b> the end.</p>\n"
    (tmp_path / "p.ru.html").write_text(ru_text, encoding="utf-8")
    (tmp_path / "p.en.html").write_text(en_text, encoding="utf-8")
    [paragraph] = read(ru_text)
    assert paragraph.text == ru_text[paragraph.start : paragraph.end] == ru_text[3:-5]
    [quoted] = read("<p>&laquo;Привет&raquo;</p>")  # a reference may open and close the paragraph
    assert quoted.text == "&laquo;Привет&raquo;" and quoted.markup == ((3, 10), (16, 23))

    code, _, stderr = run_cli("run", str(tmp_path), "--out", str(tmp_path / "out"), "-q")

    assert code == 0, stderr
    [record] = [json.loads(line) for line in (tmp_path / "out" / "p.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["ru"]["text"] == "Кошка спала «весь день» — AT&T — & конец."  # whitespace squashed, as always
    assert record["en"]["text"] == "The cat slept “all day” — AT&T — & the end."


def test_the_declared_charset_decodes_a_legacy_page(tmp_path: Path) -> None:
    body = "<p>Съешь же ещё этих мягких французских булок.</p>"
    for codec, label in (("koi8_r", "koi8-r"), ("cp1251", "windows-1251"), ("cp866", "ibm866")):
        data = f'<html><head><meta charset="{label}"></head><body>{body}</body></html>'.encode(codec)
        source = HtmlReader().source("legacy.html", data)
        assert body in source.text and source.encoding == codecs.lookup(codec).name
    xml = f"<?xml version='1.0' encoding='koi8-r'?><html><body>{body}</body></html>".encode("koi8_r")
    assert body in HtmlReader().source("x.xhtml", xml).text
    utf8 = f'<meta charset="windows-1251"><p>{body}</p>'.encode()  # valid UTF-8 wins over a wrong label
    assert body in HtmlReader().source("x.html", utf8).text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/&;!?[]-=\"' \n\rabpdivlhtmcoescrйж.1")), max_size=300))
def test_any_text_gives_paragraphs_inside_the_file(text: str) -> None:
    for paragraph in read(text):
        assert 0 <= paragraph.start < paragraph.end <= len(text)
        assert text[paragraph.start : paragraph.end] == paragraph.text and paragraph.text.strip() == paragraph.text
        # markup lies inside; a character reference (&laquo;) may open or close the paragraph
        assert all(paragraph.start <= a < b <= paragraph.end for a, b in paragraph.markup)


WORDS = st.sampled_from(["кошка", "дождь", "Окно", "the", "cat", "Rain", "1984", "&amp;", "&#171;", "ёж"])
BLOCK_TAGS = st.sampled_from(["p", "li", "h2", "div", "blockquote", "dd"])


@st.composite
def block_contents(draw: st.DrawFn) -> str:
    """A paragraph's content: words, one of them perhaps wrapped in an inline element."""
    words = draw(st.lists(WORDS, min_size=1, max_size=8))
    if len(words) > 2 and draw(st.booleans()):
        k = draw(st.integers(1, len(words) - 2))
        words[k] = draw(st.sampled_from(['<a href="/x?a=1&amp;b=2">{}</a>', "<em>{}</em>", "<code>{}</code>"])).format(
            words[k]
        )
    return " ".join(words)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(BLOCK_TAGS, block_contents(), st.sampled_from(["", "  ", "\t"])), min_size=1, max_size=6),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_generated_pages_give_their_blocks_at_their_lines(blocks: list[tuple[str, str, str]], newline: str) -> None:
    lines = ["<!DOCTYPE html>", "<html><head><title>t</title></head>", "<body>"]
    expected = []
    for tag, content, indent in blocks:
        expected.append((content, len(lines) + 1, tag == "h2"))
        lines.append(f"{indent}<{tag} class='c'>{content}</{tag}>")
    text = newline.join([*lines, "</body></html>", ""])
    found = [(p.text, p.line, p.whole) for p in read(text)]
    assert found == [item for item in expected if has_prose(item[0])]


def has_prose(content: str) -> bool:
    """Whether a letter is left once code, tags and entities are taken out."""
    prose = html.unescape(TAG.sub(" ", re.sub(r"<code>.*?</code>", " ", content)))
    return re.search(r"[^\W\d_]", prose) is not None


@pytest.mark.parametrize("unit", ["<a ", '<a x="', "<!--", "<![", "<b>x", "<div lang=de>", "</div>", "<td>y"])
def test_hostile_markup_is_read_in_linear_time(unit: str) -> None:
    import time

    started = time.process_time()  # CPU seconds: a loaded machine's waiting does not count
    paragraphs = read("<p>Начало " + unit * 40_000)
    assert time.process_time() - started < 20  # html.parser on Python 3.11: 77 s for "<a " * 40,000 (quadratic)
    assert paragraphs and paragraphs[0].text.startswith("Начало")


# ---------------------------------------------------------------------------------------- whole pipeline


def html_page(title: str, blocks: list[str], lang: str) -> str:
    """A page of a news site: head, menu, banner and footer around the article's blocks."""
    body = "\n".join(blocks)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        '<script>window.dataLayer = ["Это скрипт.", "This is a script."];</script>\n'
        "<style>body { font-family: serif; }</style>\n</head>\n<body>\n"
        '<nav><ul><li><a href="/">Главная</a></li><li><a href="/en">News &amp; views</a></li></ul></nav>\n'
        '<header><div class="logo">Example News — Новости</div></header>\n'
        f'<main>\n<div><a href="#top">top of page</a></div>\n{body}\n</main>\n'
        "<footer><p>&copy; 2024 Example News. All rights reserved. Все права защищены.</p></footer>\n"
        "</body>\n</html>\n"
    )


LINK = '<a href="https://example.org/news?id=7&amp;lang=ru">{}</a>'


def with_entities(paragraph: str, number: int, linked: int) -> str:
    """The paragraph escaped, with some characters written as entities and, in paragraph `linked`, a link."""
    text = html.escape(paragraph, quote=False).replace("’", "&rsquo;")
    if number % 3 == 0:
        text = text.replace(" ", "&nbsp;", 1)
    if number % 4 == 1:
        text = text.replace("—", "&#8212;")
    if number == linked:
        words = text.split(" ")
        words[2] = LINK.format(words[2])
        text = " ".join(words)
    return text


def seed_as_html(seed: Path, folder: Path, linked: int = 2, lang: str = "ru") -> Path:
    """The seed article as a scraped page declaring <html lang=`lang`>: its first paragraph the <h1>, the others
    <p>s (boilerplate left out), the third word of paragraph `linked` a link."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", seed.read_text(encoding="utf-8")) if p.strip()]
    paragraphs = [p for p in paragraphs if normalised_line(p) not in boilerplate_lines()]
    blocks = [f"<h1>{html.escape(paragraphs[0], quote=False)}</h1>"]
    blocks += [f"<p>{with_entities(p, k, linked)}</p>" for k, p in enumerate(paragraphs[1:], start=1)]
    page = folder / f"{seed.stem}.html"
    page.write_text(html_page(paragraphs[0], blocks, lang), encoding="utf-8")
    return page


def plain(text: str) -> str:
    return " ".join(html.unescape(TAG.sub("", text)).split())


def paired_texts(path: Path) -> list[tuple[str, str]]:
    from align.runner import Request, run

    [alignment] = run(Request(paths=(str(path),))).alignments
    return [
        (plain(" ".join(s.text for s in bead.ru)), plain(" ".join(s.text for s in bead.en)))
        for bead in alignment.beads
        if bead.paired
    ]


@pytest.mark.parametrize("lang", ["ru", "en", "de"])  # a scraped page's <html lang> says nothing of its blocks
def test_a_scraped_page_like_the_seeds_gives_the_seeds_pairs(tmp_path: Path, lang: str) -> None:
    expected, found = [], []
    for seed in sorted(SEEDS.glob("*.txt")):
        page = seed_as_html(seed, tmp_path, lang=lang)
        assert f'<html lang="{lang}">' in page.read_text(encoding="utf-8")
        assert "&#8212;" in page.read_text(encoding="utf-8") and "<a href" in page.read_text(encoding="utf-8")
        expected += paired_texts(seed)
        found += paired_texts(page)
    assert len(expected) == 4
    assert found == expected


def test_a_link_in_a_short_sentence_on_one_side_keeps_its_pair(tmp_path: Path) -> None:
    seed = SEEDS / "000_b5426c6a0af5841d.txt"
    page = seed_as_html(seed, tmp_path, linked=3)  # "Pavel Latushka on <a …>the</a> cornered dictator"
    assert LINK.format("the") in page.read_text(encoding="utf-8")
    assert paired_texts(page) == paired_texts(seed)


def story_page(title: str, paragraphs: list[str], lang: str) -> str:
    """A plain page: the title as <h1>, then one <p> a line."""
    blocks = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return f'<!DOCTYPE html>\n<html lang="{lang}">\n<body>\n<h1>{title}</h1>\n{blocks}\n</body>\n</html>\n'


def test_the_story_as_html_gives_the_text_versions_pairs_and_finding(tmp_path: Path) -> None:
    txt_pairs, txt_findings = story.pairs_and_findings(*story.write_text_pair(tmp_path / "txt"))
    folder = tmp_path / "html"
    folder.mkdir()
    ru, en = folder / "story.ru.html", folder / "story.en.html"
    ru.write_text(story_page(TITLE_RU, story.RU, "ru"), encoding="utf-8")
    en.write_text(story_page(TITLE_EN, story.EN, "en"), encoding="utf-8")
    pairs, findings = story.pairs_and_findings(ru, en)
    assert pairs == [(TITLE_RU, TITLE_EN), *txt_pairs]
    assert [f.rule for f in findings] == [f.rule for f in txt_findings] == ["untranslated"]
    [finding] = findings
    deleted = story.EN[story.DELETED]
    lines = en.read_text(encoding="utf-8").split("\n")
    assert finding.file == str(en) and finding.en == deleted
    assert lines[finding.line - 1] == f"<p>{deleted}</p>"


@pytest.mark.parametrize("name", ["page.html", "page.htm"])
def test_a_page_of_only_boilerplate_and_menus_has_no_paragraphs(name: str) -> None:
    assert read(html_page("Пусто", [], "ru"), name) == []


def test_a_character_reference_beside_a_tag_keeps_its_character_and_legacy_references_are_read() -> None:
    text = "<p>Press&nbsp;<kbd>Ctrl</kbd>&nbsp;to copy, &copy 2024, it rained&nbspall day, &foo; &notin;.</p>"
    [paragraph] = read(text)
    [segment] = segments_of([paragraph], text)

    # was "Pressto copy": the references and the tag between them were one piece of markup, dropped with the tag
    assert " ".join(plain_text(segment).split()) == "Press Ctrl to copy, © 2024, it rained all day, &foo; ∉."
    references = ["&nbsp;", "<kbd>Ctrl</kbd>", "&nbsp;", "&copy", "&nbsp", "&notin;"]  # &foo; is no reference
    assert [text[a:b] for a, b in paragraph.markup] == references


def test_inline_code_keeps_its_text_in_the_plain_text_as_a_markdown_code_span_does() -> None:
    text = (
        "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, then call <a href='/api'><code>v-if</code></a> or "
        "<code>a &lt; b</code><script>var hidden = 1;</script>.</p>"
    )
    [paragraph] = read(text)
    [segment] = segments_of([paragraph], text)

    assert plain_text(segment) == "Press Ctrl+C, then call v-if or a < b."  # was "Press +, then call  or ."
    assert not any(code in segment.prose for code in ("Ctrl", "v-if", "a < b", "hidden"))  # the rules read no code


# ---------------------------------------------------------------------------------------- declared languages


def declared(text: str) -> list[tuple[str, str]]:
    return [(plain(p.text), p.declared) for p in read(text)]


def test_a_blocks_lang_is_its_declared_language_inherited_and_overridden_below_it() -> None:
    text = (
        '<div lang="de-AT"><p>Grüß Gott.</p><p lang="ru-RU">Привет.</p><ul><li>Eins</li></ul></div>'
        '<p lang="zh-Hans">你好</p><p lang="EN_us">Hello.</p><p lang="rus">Пока.</p>'
        '<div lang="fr"><p lang="">Inconnue.</p><p lang>Vide.</p><p lang="und">Indéterminée.</p></div>'
        '<p lang="x-klingon">Qapla.</p><p lang="english">Not a tag.</p><p>Nothing declared.</p>'
    )
    assert declared(text) == [
        ("Grüß Gott.", "de"),
        ("Привет.", "ru"),
        ("Eins", "de"),  # inherited through <ul>
        ("你好", "zh"),
        ("Hello.", "en"),
        ("Пока.", "ru"),
        ("Inconnue.", ""),  # lang="" declares the language unknown, overriding the div's
        ("Vide.", ""),
        ("Indéterminée.", ""),
        ("Qapla.", ""),  # a private-use tag names no language
        ("Not a tag.", ""),
        ("Nothing declared.", ""),
    ]


def test_xml_lang_is_read_and_wins_over_lang() -> None:
    text = '<p xml:lang="uk" lang="ru">Добрий день.</p><section xml:lang="de"><p>Guten Tag.</p></section>'
    assert declared(text) == [("Добрий день.", "uk"), ("Guten Tag.", "de")]


@pytest.mark.parametrize("root", ['<html lang="de">', '<html lang="en"><body lang="fr">', '<html xml:lang="uk">'])
def test_the_pages_own_lang_on_html_or_body_declares_no_block(root: str) -> None:
    text = f"{root}<p>Кошка спит.</p><p>The cat sleeps.</p></body></html>"
    assert declared(text) == [("Кошка спит.", ""), ("The cat sleeps.", "")]


def test_an_element_around_all_a_paragraphs_letters_declares_it_else_its_block_does() -> None:
    text = (
        '<p><q lang="de">Guten Tag</q>.</p>'
        '<p lang="ru">Он сказал: <i lang="de">Guten Tag</i>.</p>'
        '<p><span lang="uk">Добрий</span> <b lang="uk">день</b> &amp; 1</p>'
    )
    assert declared(text) == [
        ("Guten Tag.", "de"),
        ("Он сказал: Guten Tag.", "ru"),  # a phrase inside declares nothing for its paragraph
        ("Добрий день & 1", "uk"),  # "&amp; 1" has no letter: it declares nothing
    ]
