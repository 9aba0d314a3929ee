"""Already-bilingual inputs (align/readers/bilingual.py): XLIFF 1.2 and 2.0, PO and TMX files (made with
translate-toolkit, XLIFF 2 by hand) give one bead per unit; `align check` finds empty and copied targets by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from translate.storage import pypo, tmx, xliff

from align.load import InputError
from align.model import Alignment
from align.readers import reader_for
from align.readers.bilingual import PoReader, TmxReader, XliffReader, language_of
from tests.conftest import run_cli

TRANSLATED = ("intro", "Нажмите кнопку «Сохранить», чтобы записать изменения.", "Press Save to keep your changes.")
EMPTY = ("export", "Откройте меню «Файл» и выберите пункт «Экспорт».", "")
COPY = "Настройки хранятся в папке профиля пользователя."
COPIED = ("profile", COPY, COPY)
LAST = ("done", "Готово: 3 файла записаны в папку «Документы».", "Done: 3 files were written to Documents.")
UNITS = (TRANSLATED, EMPTY, COPIED, LAST)
XLIFF2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ru-RU" trgLang="en-US">
  <file id="f1">
    <unit id="intro">
      <segment state="translated">
        <source>Нажмите кнопку «Сохранить», чтобы записать изменения.</source>
        <target>Press Save to keep your changes.</target>
      </segment>
    </unit>
    <unit id="export">
      <segment>
        <source>Откройте меню «Файл» и выберите пункт «Экспорт».</source>
        <target></target>
      </segment>
    </unit>
    <unit id="profile">
      <segment state="translated">
        <source>Настройки хранятся в папке профиля пользователя.</source>
        <target>Настройки хранятся в папке профиля пользователя.</target>
      </segment>
    </unit>
    <unit id="done">
      <segment state="final">
        <source>Готово: 3 файла записаны в папку «Документы».</source>
        <target>Done: 3 files were written to Documents.</target>
      </segment>
    </unit>
  </file>
</xliff>
"""
LAUGHS = "\n".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE xliff [
<!ENTITY lol0 "lol">
{LAUGHS}
]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a" source-language="ru" target-language="en" datatype="plaintext"><body>
    <trans-unit id="1"><source>Смех &lol9;</source><target>Laughter &lol9;</target></trans-unit>
  </body></file>
</xliff>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a" source-language="ru" target-language="en" datatype="plaintext"><body>
    <trans-unit id="1"><source>Пароль</source><target>&secret;</target></trans-unit>
  </body></file>
</xliff>
"""


# ------------------------------------------------------------------------------------------------ the files


def xliff12_file(path: Path, units=UNITS, source_language: str = "ru", target_language: str = "en") -> Path:
    """An XLIFF file made by translate-toolkit (which writes 1.1), declared 1.2."""
    store = xliff.xlifffile(sourcelanguage=source_language, targetlanguage=target_language)
    for unit_id, source, target in units:
        unit = store.addsourceunit(source)
        unit.setid(unit_id)
        if target:
            unit.target = target
    data = bytes(store).replace(b"xliff:document:1.1", b"xliff:document:1.2").replace(b'"1.1"', b'"1.2"')
    path.write_bytes(data)
    return path


def po_file(path: Path, units=UNITS, language: str = "en") -> Path:
    """A PO catalogue made by translate-toolkit, the Russian as msgid and `language` in the header."""
    store = pypo.pofile()
    store.updateheader(add=True, Language=language)
    for unit_id, source, target in units:
        unit = store.addsourceunit(source)
        unit.addlocation(f"ui/{unit_id}.py:10")
        if target:
            unit.target = target
    path.write_bytes(bytes(store))
    return path


def tmx_file(path: Path, units=UNITS) -> Path:
    """A TMX made by translate-toolkit: a tu per unit, the English <tuv> only where there is a translation."""
    store = tmx.tmxfile(sourcelanguage="ru", targetlanguage="en")
    for _, source, target in units:
        if target:
            store.addtranslation(source, "ru", target, "en")
        else:
            store.addsourceunit(source).setsource(source, "ru")
    path.write_bytes(bytes(store))
    return path


def xliff2_file(path: Path) -> Path:
    path.write_text(XLIFF2, encoding="utf-8")
    return path


def line_of(path: Path, text: str, after: int = 0) -> int:
    """The 1-based number of the first line after line `after` that holds `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if number > after and text in line)


def read(path: Path) -> Alignment:
    reader = reader_for(str(path))
    return reader.alignment(reader.source(str(path), path.read_bytes()), path.stem)  # type: ignore[attr-defined]


def check_json(path: Path) -> dict:
    code, stdout, stderr = run_cli("check", str(path), "--require", "en", "--format", "json")
    assert code == 1, stderr
    return json.loads(stdout)


MAKERS = {"guide.xlf": xliff12_file, "guide.xliff": xliff2_file, "guide.po": po_file, "guide.tmx": tmx_file}


# --------------------------------------------------------------------------------------- align check, end to end


@pytest.mark.parametrize("name", list(MAKERS))
def test_check_reports_the_empty_target_and_the_copy_at_their_units_lines(tmp_path: Path, name: str) -> None:
    path = MAKERS[name](tmp_path / name)
    report = check_json(path)
    assert sorted(finding["rule"] for finding in report["findings"]) == ["copy", "untranslated"], report
    by_rule = {finding["rule"]: finding for finding in report["findings"]}
    untranslated, copy = by_rule["untranslated"], by_rule["copy"]
    assert untranslated["file"] == str(path) and untranslated["lang"] == "ru"
    assert untranslated["ru"] == EMPTY[1] and untranslated["line"] == line_of(path, EMPTY[1])
    # the copy points at the translation: the second line holding the copied sentence
    assert copy["en"] == copy["ru"] == COPIED[1]
    assert copy["line"] == line_of(path, COPIED[2], after=line_of(path, COPIED[1]))
    assert report["documents"] == ["guide"]


def test_check_of_a_billion_laughs_xliff_is_one_line_and_expands_nothing(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlf"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    code, stdout, stderr = run_cli("check", str(bomb), "--format", "json")
    assert code == 2
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {bomb}: the DOCTYPE declares XML entities: refused (entities are never expanded)"]
    assert "lollol" not in stdout + stderr


def test_an_external_entity_is_refused_before_any_file_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xlf"
    path.write_text(EXTERNAL_ENTITY, encoding="utf-8")
    with pytest.raises(InputError, match="declares XML entities"):
        read(path)


def test_a_truncated_xliff_is_one_line_naming_the_file_and_the_rest_is_checked(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlf"
    broken.write_text(XLIFF2[: XLIFF2.index("</unit>")], encoding="utf-8")
    good = po_file(tmp_path / "guide.po")
    code, stdout, stderr = run_cli("check", str(broken), str(good), "--format", "json")
    assert code == 2
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {broken}: ")
    assert {finding["rule"] for finding in json.loads(stdout)["findings"]} == {"untranslated", "copy"}


def test_run_writes_the_units_of_a_po_file_as_beads(tmp_path: Path) -> None:
    path = po_file(tmp_path / "guide.po")
    out = tmp_path / "out"
    code, _, stderr = run_cli("run", str(path), "--out", str(out), "-f", "jsonl", "-q")
    assert code == 0, stderr
    records = [json.loads(line) for line in (out / "guide.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["ru"]["text"], r["en"]["text"]) for r in records] == [(ru, en) for _, ru, en in UNITS]
    assert [r["kind"] for r in records] == ["1-1", "1-0", "1-1", "1-1"]
    assert [r["score"] for r in records] == [1.0, 0.0, 1.0, 1.0]
    text = path.read_text(encoding="utf-8")
    for record in records:  # the spans point at the texts as written in the file
        for side in ("ru", "en"):
            for start, end in record[side]["spans"]:
                assert text[start:end] == record[side]["text"]


# ------------------------------------------------------------------------------------------ what a unit becomes


@pytest.mark.parametrize("name", list(MAKERS))
def test_every_format_gives_one_bead_per_unit_with_its_id_and_line(tmp_path: Path, name: str) -> None:
    path = MAKERS[name](tmp_path / name)
    alignment = read(path)
    assert [bead.kind for bead in alignment.beads] == ["1-1", "1-0", "1-1", "1-1"]
    assert [bead.score for bead in alignment.beads] == [1.0, 0.0, 1.0, 1.0]
    assert alignment.document.ru == [bead.ru[0] for bead in alignment.beads]
    for bead, (unit_id, ru, en) in zip(alignment.beads, UNITS, strict=True):
        assert bead.ru[0].text == ru and bead.ru[0].lang == "ru"
        assert bead.ru[0].line == line_of(path, ru)
        if en:
            assert bead.en[0].text == en and bead.en[0].lang == "en"
        expected_id = {"guide.po": f"ui/{unit_id}.py:10", "guide.tmx": ""}.get(name, unit_id)
        if expected_id:
            assert bead.ru[0].location == expected_id
    assert alignment.beads[1].ru[0].paragraph != alignment.beads[2].ru[0].paragraph


def test_tmx_units_without_tuid_are_numbered(tmp_path: Path) -> None:
    alignment = read(tmx_file(tmp_path / "memory.tmx"))
    assert [bead.ru[0].location for bead in alignment.beads] == ["tu 1", "tu 2", "tu 3", "tu 4"]


def test_a_po_file_in_the_usual_direction_has_its_russian_in_msgstr(tmp_path: Path) -> None:
    units = [("save", "Save the file before closing the window.", "Сохраните файл перед закрытием окна.")]
    units.append(("copy", "Open the settings of your user profile.", "Open the settings of your user profile."))
    path = po_file(tmp_path / "messages.po", units, language="ru_RU")
    alignment = read(path)
    assert [(bead.ru[0].text, bead.en[0].text) for bead in alignment.beads] == [(ru, en) for _, en, ru in units]
    assert alignment.beads[0].ru[0].line == line_of(path, 'msgstr "Сохраните')
    code, stdout, _ = run_cli("check", str(path), "--require", "ru", "--format", "json")
    assert code == 1
    copies = [finding for finding in json.loads(stdout)["findings"] if finding["rule"] == "copy"]
    assert [finding["line"] for finding in copies] == [line_of(path, 'msgstr "Open the settings')]


def test_fuzzy_obsolete_and_header_entries(tmp_path: Path) -> None:
    path = tmp_path / "fuzzy.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "Черновой перевод строки."\nmsgstr "A draft translation."\n\n'
        'msgctxt "menu"\nmsgid "Файл"\nmsgstr "File"\n\n'
        '#~ msgid "Устаревшая строка."\n#~ msgstr "An obsolete line."\n',
        encoding="utf-8",
    )
    alignment = read(path)
    expected = [("1-0", "Черновой перевод строки."), ("1-1", "Файл")]
    assert [(bead.kind, bead.ru[0].text) for bead in alignment.beads] == expected
    assert alignment.beads[0].ru[0].line == 7 and alignment.beads[1].en[0].line == 12
    assert alignment.beads[1].ru[0].location == "menu::Файл"


def test_xliff_states_that_mean_untranslated_and_units_not_to_translate(tmp_path: Path) -> None:
    path = xliff12_file(tmp_path / "states.xlf", units=(TRANSLATED, COPIED, LAST))
    text = path.read_text(encoding="utf-8")
    text = text.replace('id="profile"', 'id="profile" translate="no"', 1)
    text = text.replace(f'state="translated">{LAST[2]}', f'state="needs-translation">{LAST[2]}', 1)
    path.write_text(text, encoding="utf-8")
    alignment = read(path)
    assert [(bead.kind, bead.ru[0].location) for bead in alignment.beads] == [("1-1", "intro"), ("1-0", "done")]


def test_xliff2_segments_are_units_and_initial_state_is_untranslated(tmp_path: Path) -> None:
    path = tmp_path / "segments.xlf"
    two_segments = (
        '<unit id="two"><segment id="s1" state="translated"><source>Первое предложение.</source>'
        "<target>First sentence.</target></segment>\n"
        '<segment id="s2" state="initial"><source>Второе предложение.</source><target>Draft.</target></segment></unit>'
    )
    path.write_text(XLIFF2.replace("</file>", f"{two_segments}\n</file>"), encoding="utf-8")
    alignment = read(path)
    expected = [("1-1", "two::s1"), ("1-0", "two::s2")]
    assert [(bead.kind, bead.ru[0].location) for bead in alignment.beads[-2:]] == expected


def test_escaped_text_is_located_where_it_is_written(tmp_path: Path) -> None:
    units = [("amp", "Кнопки «Да» & «Нет» <b>", "Buttons Yes & No <b>")]
    path = xliff12_file(tmp_path / "amp.xlf", units)
    reader = XliffReader()
    source = reader.source(str(path), path.read_bytes())
    bead = reader.alignment(source, "amp").beads[0]
    assert source.text[bead.ru[0].start : bead.ru[0].end] == "Кнопки «Да» &amp; «Нет» &lt;b&gt;"
    assert source.text[bead.en[0].start : bead.en[0].end] == "Buttons Yes &amp; No &lt;b&gt;"


def test_a_po_text_wrapped_over_lines_is_located_at_its_keyword_line(tmp_path: Path) -> None:
    long = " ".join(["Это очень длинное предложение, которое не помещается в одну строку файла."] * 2)
    path = po_file(tmp_path / "long.po", [("long", long, "This is a very long sentence, wrapped in the file.")])
    reader = PoReader()
    source = reader.source(str(path), path.read_bytes())
    segment = reader.alignment(source, "long").beads[0].ru[0]
    assert segment.text == long and segment.line == line_of(path, 'msgid ""', after=2)
    assert source.text[segment.start : segment.end] == 'msgid ""'


# ----------------------------------------------------------------------------------------------- languages


@pytest.mark.parametrize(
    ("code", "expected"), [("ru", "ru"), ("ru-RU", "ru"), ("en_US", "en"), ("eng", "en"), ("de-AT", "de"), ("", "")]
)
def test_language_codes_by_primary_subtag(code: str, expected: str) -> None:
    assert language_of(code) == expected


def test_a_file_in_neither_russian_nor_english_is_refused_in_one_line(tmp_path: Path) -> None:
    path = xliff12_file(tmp_path / "de.xlf", [("a", "Speichern Sie die Datei.", "Enregistrez le fichier.")], "de", "fr")
    with pytest.raises(InputError, match=r"de\.xlf: languages de → fr: align reads Russian/English files only"):
        read(path)


def test_without_languages_the_script_of_the_sources_decides(tmp_path: Path) -> None:
    path = tmp_path / "template.pot"
    path.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Save the file before closing the window."\nmsgstr ""\n',
        encoding="utf-8",
    )
    bead = read(path).beads[0]
    assert bead.kind == "0-1" and bead.en[0].text == "Save the file before closing the window."


def test_a_tmx_without_russian_or_english_is_refused(tmp_path: Path) -> None:
    store = tmx.tmxfile(sourcelanguage="de", targetlanguage="fr")
    store.addtranslation("Speichern", "de", "Enregistrer", "fr")
    path = tmp_path / "defr.tmx"
    path.write_bytes(bytes(store))
    with pytest.raises(InputError, match="no <tu> with a Russian or English <tuv>"):
        TmxReader().alignment(TmxReader().source(str(path), path.read_bytes()), "defr")


def test_a_bilingual_file_is_never_one_side_of_a_pair(tmp_path: Path) -> None:
    path = po_file(tmp_path / "guide.po")
    reader = PoReader()
    with pytest.raises(InputError, match="cannot be one side of a pair"):
        reader.paragraphs(reader.source(str(path), path.read_bytes()))
