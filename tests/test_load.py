"""Tests for align.load: finding inputs, decoding files, splitting paragraphs."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.load import (
    Input,
    InputError,
    distinct_files,
    find_inputs,
    read_source,
    real_path,
)
from align.model import Paragraph, Source
from align.readers.text import boilerplate_lines, paragraphs

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))

RUSSIAN = (
    "Вчера вечером в Минске прошла большая встреча представителей оппозиции. "
    "Они обсуждали, как будет выглядеть страна после перемен, и что нужно сделать уже сегодня."
)


def write(path: Path, content: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return str(path)


def source(text: str) -> Source:
    return Source(path="doc.txt", text=text, encoding="utf-8")


def texts(text: str) -> list[str]:
    return [paragraph.text for paragraph in paragraphs(source(text))]


def assert_spans_match(paragraph_list: list[Paragraph], text: str) -> None:
    for index, paragraph in enumerate(paragraph_list):
        assert paragraph.text == text[paragraph.start : paragraph.end]
        assert paragraph.index == index
        assert paragraph.text == paragraph.text.strip()
        before = text[: paragraph.start].replace("\r\n", "\n").replace("\r", "\n")
        assert paragraph.line == before.count("\n") + 1


# ---------------------------------------------------------------------------------------- seed files


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.name)
def test_seed_file_is_split_without_page_boilerplate(path: Path) -> None:
    loaded = read_source(str(path))
    found = paragraphs(loaded)

    assert loaded.encoding == "utf-8"
    assert len(found) > 10
    assert all(paragraph.file == str(path) for paragraph in found)
    assert not any("top of page" in paragraph.text.casefold() for paragraph in found)
    assert not any("bottom of page" in paragraph.text.casefold() for paragraph in found)
    assert_spans_match(found, loaded.text)


def test_seed_first_paragraph_is_the_title_on_line_3() -> None:
    first = paragraphs(read_source(str(SEEDS / "000_b5426c6a0af5841d.txt")))[0]

    assert first.text == "Will Lukashenko bare his rear for Putin?"
    assert first.line == 3
    assert first.index == 0


# ---------------------------------------------------------------------------------------- decoding


def test_utf8_with_bom_is_decoded_without_the_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", codecs.BOM_UTF8 + "Привет, мир.\n\nHello.".encode())

    loaded = read_source(path)

    assert loaded.encoding == "utf-8-sig"
    assert loaded.text == "Привет, мир.\n\nHello."
    assert loaded.path == path


def test_utf16_le_with_bom_is_decoded(tmp_path: Path) -> None:
    text = "Привет, мир.\r\n\r\nHello."
    path = write(tmp_path / "wide.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))

    loaded = read_source(path)

    assert loaded.encoding == "utf-16"
    assert loaded.text == text
    assert texts(loaded.text) == ["Привет, мир.", "Hello."]


def test_plain_utf8_is_named_utf8(tmp_path: Path) -> None:
    loaded = read_source(write(tmp_path / "plain.txt", RUSSIAN))

    assert (loaded.text, loaded.encoding) == (RUSSIAN, "utf-8")


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_legacy_russian_encoding_is_detected(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / f"{encoding}.txt", RUSSIAN.encode(encoding))

    loaded = read_source(path)

    assert loaded.encoding == encoding
    assert loaded.text == RUSSIAN


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic"])
def test_short_russian_quote_in_english_text_is_detected(tmp_path: Path, encoding: str) -> None:
    text = 'The article was called "Кто нажал на кнопку" and it was published in 2023.\n'
    path = write(tmp_path / "mixed.txt", text.encode(encoding))

    loaded = read_source(path)

    assert (loaded.text, loaded.encoding) == (text, encoding)


def test_a_cesu8_surrogate_in_utf8_is_replaced_with_one_note_not_read_as_a_legacy_codec(tmp_path: Path) -> None:
    text = f"{RUSSIAN}\nВторая строка: собака лает.\n"
    data = text.encode().replace("собака".encode(), "соб".encode() + b"\xed\xa0\x80" + "ака".encode())
    path = write(tmp_path / "cesu.txt", data)

    loaded = read_source(path)

    assert loaded.encoding == "utf-8"
    assert loaded.text == text.replace("собака", "соб\ufffd\ufffd\ufffdака")  # one U+FFFD per bad byte
    column = len("Вторая строка: соб") + 1
    assert loaded.notes == (f"{path}: 3 bytes are not valid UTF-8, replaced by U+FFFD (first at 2:{column})",)


def test_a_stray_latin1_byte_in_utf8_is_one_replaced_byte_not_a_binary_file(tmp_path: Path) -> None:
    page = (f"{RUSSIAN}\n\nThe meeting took place in Minsk yesterday evening.\n\n" * 12).encode()
    assert len(page) > 2500
    data = page.replace(b"Minsk", b"Mi\xf1sk", 1)  # Latin-1 n with tilde
    path = write(tmp_path / "latin.txt", data)

    loaded = read_source(path)

    assert loaded.encoding == "utf-8" and loaded.text == page.decode().replace("Minsk", "Mi\ufffdsk", 1)
    column = len("The meeting took place in Mi") + 1
    assert loaded.notes == (f"{path}: 1 byte is not valid UTF-8, replaced by U+FFFD (first at 3:{column})",)


@pytest.mark.parametrize("stray", [b"\xed\xa0\x80", b"\xed\xa0\xbd\xed\xb8\x80", b"\x81\x82"])
def test_a_few_stray_bytes_in_english_are_replaced_never_decoded_as_some_legacy_codec(
    tmp_path: Path, stray: bytes
) -> None:
    path = write(tmp_path / "en.txt", b"The cat is sleeping " + stray + b" on the sofa. The dog barks.\n")

    loaded = read_source(path)

    replaced = "\ufffd" * len(stray)
    assert (loaded.encoding, loaded.text) == ("utf-8", f"The cat is sleeping {replaced} on the sofa. The dog barks.\n")
    assert len(loaded.notes) == 1 and f"{len(stray)} bytes are not valid UTF-8" in loaded.notes[0]


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866"])
def test_a_whole_file_in_a_legacy_codec_is_decoded_exactly_without_replacements(tmp_path: Path, encoding: str) -> None:
    text = (SEED_FILES[0].read_text(encoding="utf-8")).encode(encoding, "replace").decode(encoding)
    path = write(tmp_path / f"{encoding}.txt", text.encode(encoding))

    loaded = read_source(path)

    assert (loaded.encoding, loaded.text, loaded.notes) == (encoding, text, ())


def test_valid_utf8_has_no_note(tmp_path: Path) -> None:
    assert read_source(write(tmp_path / "ok.txt", RUSSIAN)).notes == ()


def test_binary_file_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "x.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")

    with pytest.raises(InputError) as caught:
        read_source(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "binary" in message
    assert "\n" not in message


def test_file_larger_than_the_limit_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "word " * 100)

    with pytest.raises(InputError, match="too large"):
        read_source(path, max_bytes=100)


def test_missing_file_and_directory_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source(str(tmp_path / "absent.txt"))
    with pytest.raises(InputError, match="directory"):
        read_source(str(tmp_path))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", "text")
    os.chmod(path, 0)

    with pytest.raises(InputError, match="permission denied"):
        read_source(path)


def test_empty_file_has_no_paragraphs(tmp_path: Path) -> None:
    loaded = read_source(write(tmp_path / "empty.txt", b""))

    assert loaded.text == ""
    assert paragraphs(loaded) == []


# ---------------------------------------------------------------------------------------- paragraphs


def test_blank_lines_separate_paragraphs_and_single_newlines_do_not() -> None:
    text = "  First line\nstill first.  \n\n\t\nSecond.\n"
    found = paragraphs(source(text))

    assert [paragraph.text for paragraph in found] == ["First line\nstill first.", "Second."]
    assert [paragraph.line for paragraph in found] == [1, 5]
    assert_spans_match(found, text)


def test_crlf_and_cr_line_ends_are_handled_and_kept_in_the_text() -> None:
    text = "Один.\r\nДва.\r\n\r\nThree.\r\rFour.\r\n"
    found = paragraphs(source(text))

    assert [paragraph.text for paragraph in found] == ["Один.\r\nДва.", "Three.", "Four."]
    assert [paragraph.line for paragraph in found] == [1, 4, 6]
    assert_spans_match(found, text)


def test_crlf_file_round_trips_unchanged(tmp_path: Path) -> None:
    text = "top of page\r\n\r\nTitle\r\n\r\nBody line one\r\nbody line two\r\n"
    loaded = read_source(write(tmp_path / "crlf.txt", text))

    assert loaded.text == text
    assert [paragraph.text for paragraph in paragraphs(loaded)] == ["Title", "Body line one\r\nbody line two"]


def test_boilerplate_lines_are_dropped_and_break_paragraphs() -> None:
    text = "Top of Page\nFirst.\n  Back   to top  \nSecond.\nНаверх\n\n\nbottom of page"

    assert texts(text) == ["First.", "Second."]


def test_boilerplate_must_be_the_whole_line() -> None:
    assert texts("Go back to top of the hill.\n\nНаверх, к свету!") == [
        "Go back to top of the hill.",
        "Наверх, к свету!",
    ]


def test_last_line_without_newline_is_kept() -> None:
    assert texts("a\n\nlast words") == ["a", "last words"]
    assert texts("only") == ["only"]


def test_whitespace_only_text_has_no_paragraphs() -> None:
    assert texts(" \n\t\r\n\u00a0\n") == []


def test_boilerplate_list_is_lowercased_and_has_the_usual_entries() -> None:
    entries = boilerplate_lines()

    assert {"top of page", "bottom of page", "back to top", "skip to content"} <= entries
    assert {"наверх", "в начало страницы", "вернуться наверх"} <= entries
    assert all(entry == entry.casefold() and entry == entry.strip() for entry in entries)
    assert not any(entry.startswith("#") for entry in entries)


BOILERPLATE_SAMPLES = ["top of page", "Bottom of page", "  BACK TO TOP ", "Наверх", "skip to content"]
WORD = st.text(alphabet="abcxyzабвгдеё.,!?-'\"", min_size=1, max_size=8)
CONTENT_LINE = st.lists(WORD, min_size=1, max_size=5).map(" ".join)
BLANK_LINE = st.sampled_from(["", " ", "\t", "  \t "])
LINE = st.one_of(CONTENT_LINE, BLANK_LINE, st.sampled_from(BOILERPLATE_SAMPLES))
PADDED_LINE = st.tuples(st.sampled_from(["", " ", "\t"]), LINE, st.sampled_from(["", " ", "  "])).map("".join)
LINE_END = st.sampled_from(["\n", "\r\n", "\r"])


@given(st.lists(st.tuples(PADDED_LINE, LINE_END), max_size=25), st.booleans())
def test_every_visible_character_is_in_exactly_one_paragraph(lines: list[tuple[str, str]], final_end: bool) -> None:
    text = "".join(line + end for line, end in lines)
    if not final_end and lines:
        text = text[: -len(lines[-1][1])]
    boilerplate = boilerplate_lines()
    expected: set[int] = set()
    position = 0
    for line, end in lines:
        if " ".join(line.split()).casefold() not in boilerplate:
            expected.update(position + offset for offset, char in enumerate(line) if not char.isspace())
        position += len(line) + len(end)

    found = paragraphs(source(text))

    covered = [index for paragraph in found for index in range(paragraph.start, paragraph.end)]
    visible_covered = [index for index in covered if not text[index].isspace()]
    assert sorted(visible_covered) == sorted(expected)
    assert len(visible_covered) == len(set(visible_covered))
    assert all(paragraph.text for paragraph in found)
    assert all(earlier.end < later.start for earlier, later in zip(found, found[1:], strict=False))
    assert_spans_match(found, text)


# ---------------------------------------------------------------------------------------- finding inputs


def test_directory_is_walked_recursively_for_txt_and_md_sorted(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "b")
    write(tmp_path / "a.md", "a")
    write(tmp_path / "sub" / "c.TXT", "c")
    write(tmp_path / "notes.rst", "ignored")
    write(tmp_path / ".hidden.txt", "ignored")
    write(tmp_path / ".git" / "d.txt", "ignored")

    inputs, errors = find_inputs([str(tmp_path)])

    assert errors == []
    assert [item.paths for item in inputs] == [
        (str(tmp_path / "a.md"),),
        (str(tmp_path / "b.txt"),),
        (str(tmp_path / "sub" / "c.TXT"),),
    ]
    assert [item.name for item in inputs] == ["a", "b", "c"]
    assert not any(item.is_pair for item in inputs)


def test_explicit_file_is_taken_whatever_its_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "seeds" / "x.bin", b"\x00")

    inputs, errors = find_inputs([path])

    assert (inputs, errors) == ([Input(name="x", paths=(path,))], [])


def test_seed_directory_gives_one_single_input_per_file() -> None:
    inputs, errors = find_inputs([str(SEEDS)])

    assert errors == []
    assert [item.name for item in inputs] == [path.stem for path in SEED_FILES]


def test_missing_path_is_an_error_and_the_other_paths_are_still_found(tmp_path: Path) -> None:
    present = write(tmp_path / "present.txt", "text")
    missing = str(tmp_path / "missing")

    inputs, errors = find_inputs([missing, present])

    assert [item.paths for item in inputs] == [(present,)]
    assert [str(error) for error in errors] == [f"{missing}: no such file or directory"]


@pytest.mark.parametrize(
    ("ru", "en"),
    [
        ("X.ru.txt", "X.en.txt"),
        ("X_ru.txt", "X_en.txt"),
        ("X-ru.txt", "X-en.txt"),
        ("X.ru.md", "X.en.md"),
        ("X_RU.txt", "X_En.txt"),
    ],
)
def test_ru_and_en_files_in_one_directory_make_a_pair(tmp_path: Path, ru: str, en: str) -> None:
    ru_path = write(tmp_path / ru, "Привет.")
    en_path = write(tmp_path / en, "Hello.")

    inputs, errors = find_inputs([str(tmp_path)])

    assert errors == []
    assert inputs == [Input(name="X", paths=(ru_path, en_path))]
    assert inputs[0].is_pair


def test_pair_given_as_two_explicit_files(tmp_path: Path) -> None:
    en_path = write(tmp_path / "doc.en.txt", "Hello.")
    ru_path = write(tmp_path / "doc.ru.txt", "Привет.")

    inputs, _ = find_inputs([en_path, ru_path])

    assert inputs == [Input(name="doc", paths=(ru_path, en_path))]


def test_files_in_different_directories_or_styles_do_not_pair(tmp_path: Path) -> None:
    ru_path = write(tmp_path / "one" / "X.ru.txt", "Привет.")
    en_path = write(tmp_path / "two" / "X.en.txt", "Hello.")
    other_en = write(tmp_path / "one" / "X_en.txt", "Hello.")

    inputs, _ = find_inputs([str(tmp_path)])

    assert not any(item.is_pair for item in inputs)
    assert sorted(item.paths[0] for item in inputs) == sorted([ru_path, en_path, other_en])


def test_lone_ru_file_is_a_single_input(tmp_path: Path) -> None:
    path = write(tmp_path / "X.ru.txt", "Привет.")

    inputs, errors = find_inputs([str(tmp_path)])

    assert errors == []
    assert inputs == [Input(name="X.ru", paths=(path,))]
    assert not inputs[0].is_pair


def test_duplicate_names_are_made_unique_in_path_order(tmp_path: Path) -> None:
    first = write(tmp_path / "a" / "doc.txt", "one")
    second = write(tmp_path / "b" / "doc.txt", "two")
    third = write(tmp_path / "c" / "Doc.md", "three")
    taken = write(tmp_path / "d" / "doc-2.txt", "four")

    inputs, _ = find_inputs([str(tmp_path)])

    names = {item.paths[0]: item.name for item in inputs}
    assert names == {first: "doc", second: "doc-3", third: "Doc-4", taken: "doc-2"}
    assert find_inputs([str(tmp_path)])[0] == inputs


def test_same_file_reached_twice_is_taken_once(tmp_path: Path) -> None:
    path = write(tmp_path / "doc.txt", "text")

    inputs, errors = find_inputs([str(tmp_path), path])

    assert errors == []
    assert [item.paths for item in inputs] == [(path,)]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_file_reached_through_a_linked_folder_a_link_or_a_relative_path_is_taken_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "real" / "doc.txt", "text")
    os.symlink(tmp_path / "real", tmp_path / "linked")
    os.symlink(tmp_path / "real" / "doc.txt", tmp_path / "alias.txt")
    monkeypatch.chdir(tmp_path / "real")
    named = [str(tmp_path / "linked" / "doc.txt"), str(tmp_path / "alias.txt"), "doc.txt", path]

    assert distinct_files(named) == sorted(named)[:1]
    folders: dict[str, str] = {}
    assert [real_path(name, folders) for name in named] == [os.path.realpath(name) for name in named]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    path = write(root / "sub" / "doc.txt", "text")
    os.symlink(root, root / "sub" / "loop")
    os.symlink(root / "self.txt", root / "self.txt")

    inputs, errors = find_inputs([str(root)])

    assert [item.paths for item in inputs] == [(path,)]
    looping = f"{root / 'self.txt'}: looping symbolic link (Too many levels of symbolic links)"
    assert [str(error) for error in errors] == [looping]
