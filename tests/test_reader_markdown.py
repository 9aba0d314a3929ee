"""The Markdown reader: what of a page is text, where it is, and what stays markup (and a protected TMX tag)."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree
from translate.storage import tmx

from align.markup import plain_text
from align.model import Paragraph, Segment
from align.readers.markdown import MarkdownReader
from tests import story
from tests.conftest import run_cli
from tests.factories import fresh_stdout

PAGE = """---
title: "Conditional Rendering"
layout: doc
---

# Conditional Rendering {#conditional-rendering}

The directive `v-if` renders a block only if the [expression](/guide/expr) is truthy.

```js
const answer = 42 // never text
```

<div class="composition-api">
  <VueSchoolLink href="https://vueschool.io/x" title="Free Lesson"/>
</div>

::: tip Note
A tip with **bold** text.
:::

> A quoted line
> that wraps.

| Name | Meaning |
|------|---------|
| `a` | The first one |

- An item
  that continues.
"""


def paragraphs_of(text: str) -> list:
    reader = MarkdownReader()
    return reader.paragraphs(reader.source("page.md", text.encode("utf-8")))


def test_text_blocks_are_paragraphs_at_their_lines_and_code_and_components_are_not() -> None:
    found = paragraphs_of(PAGE)

    assert [(p.line, p.text) for p in found] == [
        (2, "Conditional Rendering"),
        (6, "Conditional Rendering {#conditional-rendering}"),
        (8, "The directive `v-if` renders a block only if the [expression](/guide/expr) is truthy."),
        (18, "Note"),  # the container's title is text, its `::: tip` marker is not
        (19, "A tip with **bold** text."),
        (22, "A quoted line\n> that wraps."),
        (25, "Name"),
        (25, "Meaning"),
        (27, "The first one"),  # the cell `a` is code only: no text
        (29, "An item\n  that continues."),
    ]
    assert all(p.text == PAGE[p.start : p.end] for p in found)
    assert "42" not in " ".join(p.text for p in found) and "VueSchoolLink" not in " ".join(p.text for p in found)


def test_inline_code_link_targets_anchors_and_quote_marks_are_markup() -> None:
    by_line = {p.line: p for p in paragraphs_of(PAGE)}

    def markup(line: int) -> list[str]:
        return [PAGE[start:end] for start, end in by_line[line].markup]

    assert markup(6) == [" {#conditional-rendering}"] and by_line[6].whole
    assert by_line[18].whole  # a container title: one unit, like a heading
    assert markup(8) == ["`v-if`", "[", "](/guide/expr)"]
    assert markup(22) == ["\n> "]


def test_the_story_as_markdown_gives_the_pairs_and_the_finding_of_its_text(tmp_path: Path) -> None:
    text_pairs, text_findings = story.pairs_and_findings(*story.write_text_pair(tmp_path / "txt"))
    ru, en = tmp_path / "story.ru.md", tmp_path / "story.en.md"
    ru.write_text("# Кошка\n\n" + "\n\n".join(story.RU) + "\n", encoding="utf-8")
    en.write_text("# The cat\n\n" + "\n\n".join(story.EN) + "\n", encoding="utf-8")

    pairs, findings = story.pairs_and_findings(ru, en)

    assert pairs == [("Кошка", "The cat"), *text_pairs]
    assert [(f.rule, f.file, f.line) for f in findings] == [("untranslated", str(en), 7)]
    assert [f.message for f in findings] == [f.message for f in text_findings]


def test_tmx_keeps_inline_markup_as_protected_placeholders_and_csv_jsonl_carry_plain_text(
    tmp_path: Path, tmx_dtd: Path
) -> None:
    (tmp_path / "p.ru.md").write_text("Используйте `v-if` для [условий](/guide/cond).\n", encoding="utf-8")
    (tmp_path / "p.en.md").write_text("Use `v-if` for [conditions](/guide/cond).\n", encoding="utf-8")

    code, _, stderr = run_cli("run", str(tmp_path), "--out", str(tmp_path / "out"), "-q")

    assert code == 0, stderr
    root = etree.parse(str(tmp_path / "out" / "p.tmx"))
    assert etree.DTD(str(tmx_dtd)).validate(root)
    english = root.find(".//tuv[@{http://www.w3.org/XML/1998/namespace}lang='en']/seg")
    assert [ph.text for ph in english.findall("ph")] == ["`v-if`", "[", "](/guide/cond)"]
    units = tmx.tmxfile.parsestring((tmp_path / "out" / "p.tmx").read_bytes()).units
    assert [(u.source, u.target) for u in units] == [
        ("Используйте `v-if` для [условий](/guide/cond).", "Use `v-if` for [conditions](/guide/cond).")
    ]
    record = json.loads((tmp_path / "out" / "p.jsonl").read_text(encoding="utf-8"))
    assert (record["ru"]["text"], record["en"]["text"]) == ("Используйте v-if для условий.", "Use v-if for conditions.")
    assert "Use v-if for conditions." in (tmp_path / "out" / "p.csv").read_text(encoding="utf-8")

    code, _, _ = run_cli("run", str(tmp_path), "--out", str(tmp_path / "plain"), "-q", "--plain-text")
    assert code == 0 and "<ph" not in (tmp_path / "plain" / "p.tmx").read_text(encoding="utf-8")


def test_code_blocks_are_never_reported_but_a_translated_comment_is_no_error(tmp_path: Path) -> None:
    ru = "Пример кода ниже.\n\n```js\n// комментарий\nconst n = 1\n```\n\nКонец примера.\n"
    en = "The code example is below.\n\n```js\n// a comment\nconst n = 2\n```\n\nEnd of the example.\n"
    (tmp_path / "c.ru.md").write_text(ru, encoding="utf-8")
    (tmp_path / "c.en.md").write_text(en, encoding="utf-8")

    code, stdout, stderr = run_cli("check", str(tmp_path), "--require", "both", "--format", "json")

    assert code == 0, stdout + stderr
    assert json.loads(stdout)["findings"] == []


TABLE = r"""| Operator | Meaning |
|----------|---------|
| `a \| b` | Either `a` or `b` \| both |
| Pipe \| char | The character \| itself |
|          | Second cell only |
"""


def test_escaped_pipes_stay_inside_their_table_cell() -> None:
    found = paragraphs_of(TABLE)

    assert [(p.line, p.text) for p in found] == [
        (1, "Operator"),
        (1, "Meaning"),
        (3, r"Either `a` or `b` \| both"),  # the first cell is code only
        (4, r"Pipe \| char"),
        (4, r"The character \| itself"),
        (5, "Second cell only"),
    ]
    assert all(p.text == TABLE[p.start : p.end] and p.whole for p in found)
    escape = TABLE.index("\\| both")
    assert (escape, escape + 1) in found[2].markup  # the backslash is markup: plain text reads "a or b | both"


CONTAINERS = """::: tip Prerequisites
The rest of the guide assumes basic HTML.
:::

:::warning
No title here.
:::

:::note[Read this first]
Docusaurus puts the title in brackets.
:::

::: details Click to see the [example](/ex) {open}
Hidden text.
:::
"""


def test_container_titles_are_units_of_text_and_their_markers_are_not() -> None:
    found = paragraphs_of(CONTAINERS)

    assert [(p.line, p.text, p.whole) for p in found] == [
        (1, "Prerequisites", True),
        (2, "The rest of the guide assumes basic HTML.", False),
        (6, "No title here.", False),
        (9, "Read this first", True),
        (10, "Docusaurus puts the title in brackets.", False),
        (13, "Click to see the [example](/ex)", True),  # the {open} attributes are not text
        (14, "Hidden text.", False),
    ]
    assert [CONTAINERS[a:b] for a, b in found[5].markup] == ["[", "](/ex)"]


FRONT_MATTER = """---
title: 'Reactivity: in depth'
description: >-
  How Vue tracks changes
  and updates the DOM.
summary: |
  Not a key a reader sees.
keywords:
  - never text
hero:
  title: Nested title
  description:
    - First of a list
    - "Second, quoted"
outline: deep
---

Body.
"""


def test_front_matter_block_scalars_nested_titles_and_lists_are_read_where_written() -> None:
    found = paragraphs_of(FRONT_MATTER)

    assert [(p.line, p.text) for p in found] == [
        (2, "Reactivity: in depth"),
        (4, "How Vue tracks changes\n  and updates the DOM."),
        (11, "Nested title"),
        (13, "First of a list"),
        (14, "Second, quoted"),
        (18, "Body."),
    ]
    assert all(p.text == FRONT_MATTER[p.start : p.end] for p in found)
    assert all(p.whole for p in found[:-1])


def test_front_matter_that_is_not_yaml_is_read_line_by_line() -> None:
    page = "---\ntitle: Broken: [yaml\ndescription: still read\n---\n\nBody.\n"
    deep = "---\ntitle: Deep\nx: " + "[" * 3000 + "]" * 3000 + "\n---\n\nBody.\n"  # PyYAML recurses per level

    assert [(p.line, p.text) for p in paragraphs_of(page)] == [
        (2, "Broken: [yaml"),
        (3, "still read"),
        (6, "Body."),
    ]
    assert [(p.line, p.text) for p in paragraphs_of(deep)] == [(2, "Deep"), (6, "Body.")]


def test_a_translated_container_title_and_table_cell_with_a_pipe_pair_with_their_russian(tmp_path: Path) -> None:
    en = (
        "::: tip Prerequisites\nThe guide assumes you know HTML and CSS.\n:::\n\n| Key | Value |\n|---|---|\n"
        "| Or | Either one \\| the other |\n"
    )
    ru = (
        "::: tip Предварительные условия\nРуководство предполагает знание HTML и CSS.\n:::\n\n"
        "| Ключ | Значение |\n|---|---|\n| Или | Либо одно \\| либо другое |\n"
    )
    (tmp_path / "t.en.md").write_text(en, encoding="utf-8")
    (tmp_path / "t.ru.md").write_text(ru, encoding="utf-8")

    pairs, findings = story.pairs_and_findings(tmp_path / "t.ru.md", tmp_path / "t.en.md")

    assert ("Предварительные условия", "Prerequisites") in pairs
    assert ("Либо одно \\| либо другое", "Either one \\| the other") in pairs
    assert [f.rule for f in findings if f.rule == "untranslated"] == []


NESTED = """> | Quoted | Table |
> |---|---|
> | First quoted cell | Second quoted cell |

1. | Listed | Table |
   |---|---|
   | Left cell | Right cell |

> ::: tip Quoted title
> Inside a quote.
> :::

- ::: warning Listed title
  In a list.
  :::
"""


def test_tables_and_container_titles_inside_quotes_and_list_items_keep_every_cell() -> None:
    found = paragraphs_of(NESTED)

    assert [(p.line, p.text) for p in found] == [
        (1, "Quoted"),
        (1, "Table"),
        (3, "First quoted cell"),
        (3, "Second quoted cell"),  # was dropped: the quote's `>` was taken for the first cell
        (5, "Listed"),
        (5, "Table"),
        (7, "Left cell"),
        (7, "Right cell"),
        (9, "Quoted title"),  # was dropped: the title was looked for at the start of the line only
        (10, "Inside a quote."),
        (13, "Listed title"),
        (14, "In a list."),
    ]
    assert all(p.text == NESTED[p.start : p.end] for p in found)


def plain(paragraph: Paragraph) -> str:
    """The paragraph's plain text (what is embedded and written to CSV/JSONL), read as one sentence."""
    p = paragraph
    return plain_text(Segment(p.file, p.start, p.end, p.line, p.text, "en", p.index, markup=p.markup))


def test_character_references_and_backslash_escapes_read_as_the_characters_commonmark_shows() -> None:
    page = (
        "---\ntitle: \"Say \\\"hi\\\" to C:\\\\\"\ndescription: 'It''s here'\n---\n\n"
        "AT&amp;T &mdash; \\*not emphasis\\* and \\\\*, `&amp; \\*` &foo; &#8212;&#x2014;\n"
    )
    title, description, body = paragraphs_of(page)

    assert (plain(title), plain(description)) == ('Say "hi" to C:\\', "It's here")
    assert plain(body) == "AT&T — *not emphasis* and \\*, &amp; \\* &foo; ——"  # inline code keeps its text as written
    escapes = ["\\", "\\", "\\"]  # the backslashes of \*, \* and \\ (not the one \\ escapes)
    assert [page[a:b] for a, b in body.markup] == ["&amp;", "&mdash;", *escapes, "`&amp; \\*`", "&#8212;", "&#x2014;"]
    assert all(p.text == page[p.start : p.end] for p in (title, description, body))


VITEPRESS = Path(__file__).resolve().parent / "fixtures" / "vitepress"  # a home page in English and Russian


def test_a_vitepress_home_pages_hero_and_features_are_text_and_its_links_icons_and_images_are_not() -> None:
    en = (VITEPRESS / "index.en.md").read_text(encoding="utf-8")
    found = [(p.line, plain(p)) for p in paragraphs_of(en)]

    assert found == [
        (5, "VitePress"),  # hero: name, text, tagline
        (6, "Vite & Vue Powered Static Site Generator"),
        (7, "Markdown to beautiful docs in minutes."),
        (13, "What is VitePress?"),  # each action's text, never its theme or link
        (16, "Quickstart"),
        (19, "GitHub"),
        (24, "Focus on your content"),  # each feature's title, details and linkText
        (25, "Effortlessly create beautiful documentation sites with just Markdown."),
        (27, "Enjoy the Vite DX"),
        (28, "Instant server start, lightning fast hot updates, and the plugins of the Vite ecosystem."),
        (32, "Customize with Vue"),
        (33, "Use Vue syntax and components directly in Markdown, or build custom themes with Vue."),
        (35, "Learn more"),
        (37, "Ship fast sites"),
        (38, "Fast initial load with static HTML, fast post-load navigation with client-side routing."),
    ]
    lines = en.split("\n")
    assert not any(word in lines[line - 1] for line, _ in found for word in ("icon:", "link:", "src:", "alt:"))


def test_check_reports_a_home_pages_missing_russian_feature_at_its_lines_and_nothing_in_links_or_icons() -> None:
    code, stdout, _ = run_cli("check", str(VITEPRESS), "--require", "ru", "--format", "json", "--fail-on", "never")

    assert code == 0
    findings = json.loads(stdout)["findings"]
    en = str(VITEPRESS / "index.en.md")
    # the fourth feature has no Russian: its title and its details (read before: its title alone), nothing else
    assert [(f["rule"], f["file"], f["line"], f["en"]) for f in findings] == [
        ("untranslated", en, 37, "Ship fast sites"),
        (
            "untranslated",
            en,
            38,
            "Fast initial load with static HTML, fast post-load navigation with client-side routing.",
        ),
    ]


def test_front_matter_tags_and_anchors_are_not_text() -> None:
    page = (
        "---\ntitle: &t The title\nhero:\n  name: !custom Vue\n  text: !!str &x \"Say \\\"hi\\\"\"\n"
        "  tagline: &y !!str 'It''s fast'\n---\n\nBody.\n"
    )
    found = paragraphs_of(page)

    assert [(p.line, plain(p)) for p in found] == [
        (2, "The title"),
        (4, "Vue"),
        (5, 'Say "hi"'),
        (6, "It's fast"),
        (9, "Body."),
    ]
    assert all(p.text == page[p.start : p.end] for p in found)


def test_a_home_page_value_is_text_even_when_an_alias_repeats_it_under_a_later_key() -> None:
    page = "---\nlayout: home\nhero: &h\n  name: Vue.js\n  tagline: The progressive framework\n"
    page += "head:\n  og: *h\n---\n\nBody.\n"  # met first under `head` (visited last to first), where nothing is text

    assert [(p.line, plain(p)) for p in paragraphs_of(page)] == [
        (4, "Vue.js"),
        (5, "The progressive framework"),
        (10, "Body."),
    ]


def test_pyyaml_is_imported_only_for_a_page_with_front_matter() -> None:
    script = (
        "import sys\n"
        "from align.readers.markdown import MarkdownReader\n"
        "reader = MarkdownReader()\n"
        "def texts(data):\n"
        "    return [source.text[p.start:p.end] for source in [reader.source('a.md', data)]\n"
        "            for p in reader.paragraphs(source)]\n"
        "print(texts(b'# Title\\n\\nA page.\\n'), 'yaml' in sys.modules)\n"
        "print(texts(b'---\\ntitle: Front\\n---\\n\\nA page.\\n'), 'yaml' in sys.modules)\n"
    )
    found = fresh_stdout(script)
    assert found.splitlines() == ["['Title', 'A page.'] False", "['Front', 'A page.'] True"]
