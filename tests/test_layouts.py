"""Which files are one page in two languages: name suffixes, language folders at any depth, Docusaurus i18n."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.layouts import partner_candidates, side_of
from align.load import Input, paired_inputs
from tests.conftest import run_cli

RU_TEXT = "Кошка спит на диване.\n\nСобака лает во дворе.\n"
EN_TEXT = "The cat is sleeping on the sofa.\n\nThe dog barks in the yard.\n"


@pytest.mark.parametrize(
    ("ru", "en", "name"),
    [
        ("x/page.ru.md", "x/page.en.md", "page"),
        ("x/page_ru.txt", "x/page_en.txt", "page"),
        ("x/page.rus.txt", "x/page.eng.txt", "page"),
        ("x/page.ru-RU.md", "x/page.en-US.md", "page"),
        ("x/page_ru_RU.md", "x/page_en_US.md", "page"),
        ("docs/ru/guide/intro.md", "docs/en/guide/intro.md", "guide/intro"),
        ("site/content/ru/post.md", "site/content/en/post.md", "post"),
        ("a/RU/b/c.md", "a/EN/b/c.md", "b/c"),
        ("web/i18n/ru/docusaurus-plugin-content-docs/current/intro.md", "web/docs/intro.md", "intro"),
        ("web/i18n/ru/docusaurus-plugin-content-blog/2024-hello.md", "web/blog/2024-hello.md", "2024-hello"),
    ],
)
def test_the_two_languages_of_a_page_make_one_input(ru: str, en: str, name: str) -> None:
    assert paired_inputs(sorted([en, ru])) == [Input(name=name, paths=(ru, en))]
    assert ru in partner_candidates(en) and en in partner_candidates(ru)


def test_a_page_with_one_side_in_a_two_language_tree_is_marked_missing_and_other_files_stay_single() -> None:
    files = ["docs/en/a.md", "docs/ru/a.md", "docs/en/b.md", "notes/mixed.txt", "solo/en/z.md", "x/lonely.ru.md"]

    found = {item.paths: item for item in paired_inputs(files)}

    assert found[("docs/en/b.md",)].missing == "ru"
    assert found[("solo/en/z.md",)].missing == ""  # no Russian tree beside it: an ordinary file
    assert found[("x/lonely.ru.md",)].missing == "" and found[("notes/mixed.txt",)].missing == ""
    assert found[("docs/ru/a.md", "docs/en/a.md")].name == "a"


def test_names_that_merely_end_in_letters_of_a_language_code_name_no_language() -> None:
    assert side_of("x/screen.txt") is None and side_of("x/open.md") is None and side_of("x/Russia.md") is None


def write_tree(root: Path) -> None:
    for lang, text in (("ru", RU_TEXT), ("en", EN_TEXT)):
        (root / "docs" / lang / "guide").mkdir(parents=True)
        (root / "docs" / lang / "guide" / "a.md").write_text(text, encoding="utf-8")
    (root / "docs" / "en" / "guide" / "b.md").write_text("An English page nobody translated.\n", encoding="utf-8")
    (root / "docs" / "en" / "logo.png").write_bytes(b"\x89PNG\r\n")


def test_check_pairs_a_docs_tree_and_reports_a_missing_page_once(tmp_path: Path) -> None:
    write_tree(tmp_path)

    code, stdout, stderr = run_cli("check", str(tmp_path / "docs"), "--require", "ru", "--format", "json")

    report = json.loads(stdout)
    assert code == 1, stderr
    assert report["documents"] == ["guide_a", "guide_b"]
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [
        ("untranslated-page", str(tmp_path / "docs" / "en" / "guide" / "b.md"))
    ]
    assert "expected" in report["findings"][0]["message"] and report["signature"]["text"].startswith("align:")
    assert f"note: {tmp_path / 'docs'}: 1 file skipped, no reader for .png" in stderr


def test_pair_takes_two_folders_in_either_order(tmp_path: Path) -> None:
    write_tree(tmp_path)
    docs = tmp_path / "docs"

    code, _, stderr = run_cli("pair", str(docs / "en"), str(docs / "ru"), "--out", str(tmp_path / "out"), "-q")

    assert code == 0, stderr
    assert f"note: {docs / 'en'} is English and {docs / 'ru'} Russian: aligned the other way round" in stderr
    assert (tmp_path / "out" / "guide_a.tmx").read_text(encoding="utf-8").count("<tu>") == 2


def test_pair_refuses_two_files_in_one_language(tmp_path: Path) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(EN_TEXT, encoding="utf-8")
    two.write_text(EN_TEXT, encoding="utf-8")

    code, _, stderr = run_cli("pair", str(one), str(two), "--out", str(tmp_path / "out"))

    assert code == 2 and "Traceback" not in stderr
    assert stderr.strip() == f"error: {one}, {two}: both are English; align pair takes a Russian and an English side"


def test_a_run_that_finds_nothing_to_align_is_an_error_and_output_folders_are_not_inputs(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, stderr = run_cli("check", str(tmp_path / "empty"))
    assert code == 2 and stderr.strip() == f"error: nothing to align in {tmp_path / 'empty'}"

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "page.txt").write_text(RU_TEXT + "\n" + EN_TEXT, encoding="utf-8")
    assert run_cli("run", str(tmp_path / "site"), "--out", str(tmp_path / "site" / "out"), "-q")[0] == 0
    code, _, stderr = run_cli("run", str(tmp_path / "site"), "--out", str(tmp_path / "site" / "out"), "-q")
    assert code == 0 and f"note: {tmp_path / 'site' / 'out'}: align's output folder, not read" in stderr


def test_docusaurus_versioned_docs_pair_and_untranslated_blog_posts_are_no_missing_pages() -> None:
    files = [
        "web/docs/intro.md",
        "web/i18n/ru/docusaurus-plugin-content-docs/current/intro.md",
        "web/versioned_docs/version-1.0/intro.md",
        "web/i18n/ru/docusaurus-plugin-content-docs/version-1.0/intro.md",
        "web/blog/post.md",
    ]
    found = {item.name: item for item in paired_inputs(files)}
    assert found["intro"].paths == (files[1], files[0]) and found["version-1.0/intro"].paths == (files[3], files[2])
    assert found["post"].missing == ""  # the site translates its docs, not its blog


def test_align_toml_adds_spellings_of_a_language_for_names_and_folders(tmp_path: Path, monkeypatch) -> None:
    for folder, text in (("russian", RU_TEXT), ("english", EN_TEXT)):
        (tmp_path / "site" / folder).mkdir(parents=True)
        (tmp_path / "site" / folder / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "align.toml").write_text('languages = {ru = ["russian"], en = ["english"]}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    code, stdout, stderr = run_cli("check", "site", "--require", "both", "--format", "json")
    assert code == 0, stderr
    assert json.loads(stdout)["documents"] == ["a"]
    code, _, stderr = run_cli("run", "site", "--out", "out", "-q")
    assert code == 0 and (tmp_path / "out" / "a.tmx").read_text(encoding="utf-8").count("<tu>") == 2

    (tmp_path / "align.toml").write_text('languages = {de = ["german"]}\n', encoding="utf-8")
    code, _, stderr = run_cli("run", "site", "--out", "out", "-q")
    assert code == 2 and stderr.startswith("error: ") and "align.toml" in stderr
