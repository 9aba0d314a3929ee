"""Behaviour of align.config: finding and validating align.toml / [tool.align], overrides and baselines."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from align.checks import CheckOptions
from align.checks.options import OptionError
from align.config import (
    ConfigError,
    find_config,
    load_config,
    merged,
    new_findings,
    read_baseline,
    write_baseline,
)
from align.model import Finding
from tests.factories import fresh_stdout, sample_findings

PYPROJECT = """\
[project]
name = "translations"

[tool.align]
require = "both"
fail-on = "error"
min-confidence = 0.6
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a nested docs/articles/ folder; the working directory is the project."""
    (tmp_path / "docs" / "articles").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def make_findings() -> list[Finding]:
    """Two findings of two documents: an untranslated passage and a number mismatch."""
    return sample_findings()[:2]


def assert_one_line_error(error: pytest.ExceptionInfo[ConfigError], file: str, *fragments: str) -> None:
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"{file}: "), message
    for fragment in fragments:
        assert fragment in message, message


# --- finding the configuration -------------------------------------------------------------------------


def test_tool_align_in_pyproject_is_found_from_a_subfolder(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    config = load_config(project / "docs" / "articles")
    assert config == CheckOptions(require="both", fail_on="error", min_confidence=0.6)


def test_a_file_as_start_searches_from_its_folder(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    article = project / "docs" / "articles" / "latushko.txt"
    article.write_text("Павел Латушко о загнанном в угол диктаторе\n", encoding="utf-8")
    assert load_config(article).require == "both"


def test_pyproject_without_tool_align_is_skipped(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.align]\nrequire = "ru"\n', encoding="utf-8")
    (project / "docs" / "pyproject.toml").write_text('[project]\nname = "docs"\n', encoding="utf-8")
    assert find_config(project / "docs" / "articles") == project / "pyproject.toml"
    assert load_config(project / "docs" / "articles").require == "ru"


def test_no_configuration_gives_the_defaults(project: Path) -> None:
    found = find_config(project / "docs")
    if found is not None:
        pytest.skip(f"{found} lies above the test folder")
    assert load_config(project / "docs") == CheckOptions()


def test_align_toml_wins_over_pyproject(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (project / "align.toml").write_text('require = "ru"\n', encoding="utf-8")
    config = load_config(project / "docs")
    assert config.require == "ru"
    assert config.fail_on == "warning"  # nothing is merged from the pyproject


def test_the_nearest_configuration_wins(project: Path) -> None:
    (project / "align.toml").write_text('require = "ru"\n', encoding="utf-8")
    (project / "docs" / "pyproject.toml").write_text('[tool.align]\nrequire = "both"\n', encoding="utf-8")
    assert load_config(project / "docs" / "articles").require == "both"


def test_align_toml_accepts_an_align_table(project: Path) -> None:
    (project / "align.toml").write_text('[align]\nfail-on = "note"\nformat = "sarif"\n', encoding="utf-8")
    assert load_config(project) == CheckOptions(fail_on="note", format="sarif")


def test_an_explicit_file_is_used_instead_of_searching(project: Path) -> None:
    (project / "align.toml").write_text('require = "ru"\n', encoding="utf-8")
    (project / "ci").mkdir()
    (project / "ci" / "strict.toml").write_text('require = "both"\nfail-on = "note"\n', encoding="utf-8")
    config = load_config(project / "docs", explicit=Path("ci/strict.toml"))
    assert (config.require, config.fail_on) == ("both", "note")


def test_an_explicit_pyproject_is_read_from_tool_align(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    assert load_config(project / "docs", explicit=Path("pyproject.toml")).require == "both"


def test_a_missing_explicit_file_is_a_one_line_error(project: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(project, explicit=Path("nope.toml"))
    assert_one_line_error(error, "nope.toml", "not found")


# --- keys and values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'fail-on = "error"\nmin-confidence = 0.7\nlength-ratio-z = 2.5\n',
        'fail_on = "error"\nmin_confidence = 0.7\nlength_ratio_z = 2.5\n',
        'fail-on = "error"\nmin_confidence = 0.7\nlength-ratio_z = 2.5\n',
    ],
    ids=["dashes", "underscores", "mixed"],
)
def test_keys_may_use_dashes_or_underscores(project: Path, text: str) -> None:
    (project / "align.toml").write_text(text, encoding="utf-8")
    assert load_config(project) == CheckOptions(fail_on="error", min_confidence=0.7, length_ratio_z=2.5)


def test_every_setting_is_read(project: Path) -> None:
    (project / "align.toml").write_text(
        'require = "both"\nfail-on = "never"\nmin-confidence = 1\nlength-ratio-z = 4\n'
        'ignore = ["^seeds/", "(?i)draft"]\nglossary = "terms.csv"\nbaseline = "/abs/baseline.json"\n'
        'format = "junit"\n',
        encoding="utf-8",
    )
    config = load_config(project)
    assert config == CheckOptions(
        require="both",
        fail_on="never",
        min_confidence=1.0,
        length_ratio_z=4.0,
        ignore=("^seeds/", "(?i)draft"),
        glossary="terms.csv",
        baseline="/abs/baseline.json",
        format="junit",
    )
    assert isinstance(config.min_confidence, float)


def test_relative_paths_are_relative_to_the_configuration_file(project: Path) -> None:
    (project / "docs" / "align.toml").write_text('glossary = "terms.csv"\n', encoding="utf-8")
    assert Path(load_config(project / "docs" / "articles").glossary or "") == Path("docs/terms.csv")


def test_the_same_key_twice_is_an_error(project: Path) -> None:
    (project / "align.toml").write_text('fail-on = "error"\nfail_on = "note"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(project)
    assert_one_line_error(error, "align.toml", "fail-on", "twice")


def test_an_unknown_key_is_a_one_line_error_naming_the_file(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.align]\nfail-om = "error"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(project / "docs")
    assert_one_line_error(error, "pyproject.toml", "unknown key 'fail-om'", "did you mean 'fail-on'")


@pytest.mark.parametrize(
    ("line", "fragments"),
    [
        ('require = "de"', ("require must be one of en, ru, both", "'de'")),
        ('fail-on = "fatal"', ("fail-on must be one of note, warning, error, never",)),
        ('format = "html"', ("format must be one of text, json, github, junit, sarif",)),
        ('min-confidence = "high"', ("min-confidence must be a number",)),
        ("min-confidence = true", ("min-confidence must be a number",)),
        ("min-confidence = 1.5", ("min-confidence must be a number from 0 to 1",)),
        ("length-ratio-z = -1", ("length-ratio-z must be a positive number",)),
        ("length-ratio-z = nan", ("length-ratio-z must be a number",)),
        ('ignore = ["(unclosed"]', ("ignore pattern '(unclosed' is not a valid regular expression",)),
        ("ignore = [1, 2]", ("ignore must be a list of regular expressions",)),
        ("glossary = 3", ("glossary must be a file path",)),
    ],
)
def test_a_bad_value_is_a_one_line_error_naming_the_file(project: Path, line: str, fragments: tuple[str, ...]) -> None:
    (project / "docs" / "align.toml").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(project / "docs" / "articles")
    assert_one_line_error(error, str(Path("docs/align.toml")), *fragments)


def test_of_several_bad_values_the_first_in_the_file_is_reported(project: Path) -> None:
    (project / "align.toml").write_text('min-confidence = 1.5\nrequire = "de"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(project)
    assert str(error.value) == "align.toml: min-confidence must be a number from 0 to 1, not 1.5"
    (project / "align.toml").write_text('require = "de"\nmin-confidence = 1.5\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(project)
    assert str(error.value) == "align.toml: require must be one of en, ru, both, not 'de'"


def test_one_ignore_pattern_may_be_a_string(project: Path) -> None:
    (project / "align.toml").write_text('ignore = "DRAFT"\n', encoding="utf-8")
    assert load_config(project).ignore == ("DRAFT",)


def test_the_glossary_terms_are_not_a_key_of_the_file(project: Path) -> None:
    (project / "align.toml").write_text('terms = [["суд", "court"]]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(project)
    assert_one_line_error(error, "align.toml", "unknown key 'terms'")
    assert "terms" not in str(error.value).split("known keys")[-1]


def test_an_unknown_key_with_a_control_character_is_named_escaped_on_one_line(project: Path) -> None:
    """A record separator (\\x1e) in a key is a line break to str.splitlines: the message shows it escaped."""
    (project / "align.toml").write_text('"\\u001e" = "None"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(project)
    assert_one_line_error(error, "align.toml", "unknown key '\\x1e'")
    assert len(str(error.value).splitlines()) == 1


@pytest.mark.parametrize("name", ["align.toml", "pyproject.toml"])
def test_invalid_toml_is_a_one_line_error(project: Path, name: str) -> None:
    (project / name).write_text("[tool.align\nfail-on = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(project / "docs")
    assert_one_line_error(error, name, "invalid TOML")


# --- command-line overrides ----------------------------------------------------------------------------


def test_merged_overrides_only_values_that_are_not_none() -> None:
    config = CheckOptions(require="both", fail_on="error", glossary="terms.csv", ignore=("^seeds/",))
    result = merged(config, require=None, fail_on="note", glossary=None, baseline="base.json", format=None, ignore=[])
    assert result == CheckOptions(
        require="both", fail_on="note", glossary="terms.csv", baseline="base.json", ignore=("^seeds/",)
    )
    assert merged(config, ignore=["draft"]).ignore == ("draft",)
    assert merged(config) == config


def test_merged_takes_paths_and_glossary_terms() -> None:
    result = merged(CheckOptions(), glossary=Path("docs/terms.csv"), terms=(("суд", "court"),))
    assert (result.glossary, result.terms) == ("docs/terms.csv", (("суд", "court"),))


def test_merged_validates_command_line_values() -> None:
    with pytest.raises(ConfigError, match="^command line: fail-on must be one of"):
        merged(CheckOptions(), fail_on="fatal")
    with pytest.raises(TypeError):
        merged(CheckOptions(), fail_om="error")


# --- baselines -----------------------------------------------------------------------------------------


def test_baseline_round_trip(tmp_path: Path) -> None:
    findings = make_findings()
    path = tmp_path / "baseline" / "align-baseline.json"
    write_baseline(path, findings)
    assert read_baseline(path) == {finding.fingerprint for finding in findings}
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert list(data["fingerprints"]) == sorted(data["fingerprints"])
    entry = data["fingerprints"][findings[1].fingerprint]
    assert entry == {
        "rule": "number-mismatch",
        "file": "corpus/osce.ru.txt",
        "message": "numbers differ: 1999 in Russian, 1998 in English",
    }
    assert "Стамбульский" not in path.read_text(encoding="utf-8")  # only rule, file and message are stored
    assert [p.name for p in path.parent.iterdir()] == ["align-baseline.json"]  # no temp file left


def test_the_baseline_file_layout_is_unchanged(tmp_path: Path) -> None:
    known = make_findings()[1]
    write_baseline(tmp_path / "baseline.json", [known, known])
    assert (tmp_path / "baseline.json").read_text(encoding="utf-8") == (
        "{\n"
        '  "version": 1,\n'
        '  "fingerprints": {\n'
        f'    "{known.fingerprint}": {{\n'
        '      "rule": "number-mismatch",\n'
        '      "file": "corpus/osce.ru.txt",\n'
        '      "message": "numbers differ: 1999 in Russian, 1998 in English"\n'
        "    }\n"
        "  }\n"
        "}\n"
    )


def test_a_baseline_may_list_fingerprints_only(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"version": 1, "fingerprints": ["0123456789abcdef"], "note": "by hand"}', encoding="utf-8")
    assert read_baseline(path) == {"0123456789abcdef"}


def test_writing_a_baseline_is_deterministic(tmp_path: Path) -> None:
    write_baseline(tmp_path / "a.json", make_findings())
    write_baseline(tmp_path / "b.json", list(reversed(make_findings())))
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_new_findings_leaves_out_known_ones_even_when_their_lines_moved(tmp_path: Path) -> None:
    known, _ = make_findings()
    path = tmp_path / "baseline.json"
    write_baseline(path, [known])
    baseline = read_baseline(path)
    moved = replace(known, line=40, end_line=40)
    reworded = replace(known, en="He said the regime is cornered. Sanctions work.")
    fresh = make_findings()[1]
    assert new_findings([moved, reworded, fresh], baseline) == [reworded, fresh]
    assert new_findings([], baseline) == []
    assert new_findings([fresh], set()) == [fresh]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"version": 1, "fingerprints": {', "invalid JSON"),
        ("[]", "corrupt baseline"),
        ('{"version": 1}', "corrupt baseline"),
        ('{"version": 2, "fingerprints": {}}', "unsupported baseline version"),
        ('{"version": 1, "fingerprints": 7}', "corrupt baseline"),
        ('{"version": 1, "fingerprints": ["ab", 3]}', "'fingerprints' must map fingerprints to findings"),
        ('{"fingerprints": {}}', "unsupported baseline version None (expected 1)"),
        ('{"version": 2, "fingerprints": 7}', "unsupported baseline version 2"),
        ("", "invalid JSON"),
    ],
)
def test_a_corrupt_baseline_is_a_one_line_error(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_baseline(path)
    assert_one_line_error(error, str(path), fragment)


def test_a_missing_baseline_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        read_baseline(tmp_path / "missing.json")
    assert_one_line_error(error, str(tmp_path / "missing.json"), "not found")


def test_reading_a_configuration_and_the_command_line_imports_no_pydantic(tmp_path: Path) -> None:
    (tmp_path / "align.toml").write_text('require = "both"\nignore = ["^draft"]\nmin-confidence = 0.6\n')
    script = (
        "import sys, pathlib\n"
        "from align.config import load_config, merged\n"
        f"options = merged(load_config(pathlib.Path({str(tmp_path)!r})), fail_on='error', ignore=['x'])\n"
        "print(options.require, options.ignore, options.min_confidence, 'pydantic' in sys.modules)\n"
    )
    found = fresh_stdout(script)
    assert found.split() == ["both", "('x',)", "0.6", "False"]


def test_a_bad_option_given_in_code_names_the_setting_and_the_value() -> None:
    with pytest.raises(OptionError) as error:
        CheckOptions(length_ratio_z=0)
    assert str(error.value) == "length_ratio_z must be a positive number, not 0"
    assert CheckOptions(min_confidence=1).min_confidence == 1.0  # an int is a number, held as a float
    assert CheckOptions(ignore="^draft").ignore == ("^draft",)  # one pattern is a list of one
