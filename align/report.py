"""Renderers for `align check` findings: text (rich), JSON, GitHub workflow commands, JUnit XML and SARIF 2.1.0.

Every renderer but `text_report` is a pure function returning a string (ending with a newline) and
sorts the findings the same way (align.checks.sorted_findings), so output is stable from run to run.
The rules described (SARIF rule metadata) are align.checks.RULES. `exit_code` turns findings and a
`--fail-on` severity into the process exit code.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from rich.console import Console
from rich.text import Text

from align.anchors import shown_text
from align.checks import RULES, severity_rank, sorted_findings
from align.checks.text import plural
from align.model import SEVERITIES, Finding

FORMATS = ("text", "json", "github", "junit", "sarif")
FAIL_ON = (*SEVERITIES, "never")  # accepted values of --fail-on

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "note": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
INFORMATION_URI = "https://pypi.org/project/align/"
FINGERPRINT_KEY = "alignFingerprint/v1"

_STYLES = {"error": "red", "warning": "yellow", "note": "blue"}
# Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
_NON_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")


# --- shared helpers -----------------------------------------------------------------------------------


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    """Number of findings per severity, most severe first: {"error": n, "warning": n, "note": n}."""
    counts = Counter(finding.severity for finding in findings)
    return {severity: counts.get(severity, 0) for severity in reversed(SEVERITIES)}


def all_documents(findings: Iterable[Finding], documents: Iterable[str]) -> list[str]:
    """The checked documents, sorted, including any document a finding names but `documents` lacks."""
    return sorted({*documents, *(finding.document for finding in findings)})


def check_fail_on(fail_on: str) -> None:
    """Raise ValueError unless `fail_on` is one of FAIL_ON."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")


def fails(finding: Finding, fail_on: str) -> bool:
    """True if `finding` is at or above the failing severity (never for fail_on "never")."""
    check_fail_on(fail_on)
    return fail_on != "never" and severity_rank(finding.severity) >= SEVERITIES.index(fail_on)


def exit_code(findings: Iterable[Finding], fail_on: str) -> int:
    """1 if any finding's severity is at or above `fail_on` (order of SEVERITIES), else 0; "never" gives 0."""
    check_fail_on(fail_on)
    return int(any(fails(finding, fail_on) for finding in findings))


def relative_path(file: str) -> str:
    """`file` with forward slashes, relative to the working directory when it lies inside it."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_posix()
    posix = path.as_posix()
    return posix[2:] if posix.startswith("./") else posix


def artifact_uri(file: str) -> str:
    """A SARIF artifact URI: a percent-encoded relative reference, or a file:// URI outside the working directory."""
    path = relative_path(file)
    if PurePosixPath(path).is_absolute() or re.match(r"^[A-Za-z]:/", path):
        return Path(file).resolve().as_uri()
    return quote(os.fsencode(path), safe="/")  # an undecodable byte of the name as its own %XX, not an error


def shown(value: object) -> object:
    """`value` (a JSON payload) with every string as reports show it: the undecodable bytes of a file name (lone
    surrogates) as their backslash escapes, "en\\udcfe.txt", as the HTML report shows them (align.anchors)."""
    if isinstance(value, str):
        return shown_text(value)
    if isinstance(value, dict):
        return {shown(key): shown(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [shown(item) for item in value]
    return value


def shown_json(payload: object) -> str:
    """`payload` as indented JSON (UTF-8 text kept) with its strings as reports show them (`shown`). A payload with
    no lone surrogate is dumped as it is, without walking it first: `shown` leaves it unchanged."""
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate somewhere: an undecodable byte of a file name
        return json.dumps(shown(payload), ensure_ascii=False, indent=2) + "\n"
    return text + "\n"


def line_range(finding: Finding) -> tuple[int, int]:
    """(start, end) lines, both at least 1 and end never before start."""
    start = max(1, finding.line)
    return start, max(start, finding.end_line)


def _one_line(text: str) -> str:
    """`text` with every run of line breaks as one space: a finding is one line of the text report."""
    return _LINE_BREAKS.sub(" ", text)


# --- text ---------------------------------------------------------------------------------------------


def text_report(findings: list[Finding], console: Console, documents: list[str]) -> None:
    """Print one "FILE:LINE[-END] [(LOCATION)]  severity  rule  message [(also at FILE:LINE, …)]" line per
    finding, the findings of one file together and a blank line after each file, then the totals. LOCATION is
    where a format without lines to speak of puts the sentence (a subtitle cue and its times, a PDF page, a DOCX
    paragraph or table cell, an XLIFF/PO unit id), as the reader recorded it; "also at" names the other places a
    consistency finding is about.

    Lines are coloured by severity (red error, yellow warning, blue note). The last line reads, e.g.,
    "3 errors, 2 warnings in 2 of 5 documents" or "no findings in 5 documents".
    """
    ordered = sorted_findings(findings)
    by_file: dict[str, list[Finding]] = {}
    for finding in ordered:
        by_file.setdefault(finding.file, []).append(finding)
    lines: list[Text] = []  # printed at once: a call of console.print per line cost more than its text
    for group in by_file.values():
        locations = [text_location(finding) for finding in group]
        location_width = max(len(location) for location in locations)
        severity_width = max(len(finding.severity) for finding in group)
        rule_width = max(len(finding.rule) for finding in group)
        for finding, location in zip(group, locations, strict=True):
            style = _STYLES.get(finding.severity, "red")
            line = Text()
            line.append(location.ljust(location_width), style="bold")
            line.append("  ")
            line.append(finding.severity.ljust(severity_width), style=style)
            line.append("  ")
            line.append(finding.rule.ljust(rule_width), style="bold")
            line.append("  ")
            line.append(_one_line(finding.message) + _elsewhere(finding))
            lines.append(line)
        lines.append(Text())  # a blank line after each file
    lines.append(Text(_totals(findings, documents), style="bold"))
    console.print(Text("\n").join(lines), soft_wrap=True, highlight=False)


def text_location(finding: Finding) -> str:
    """ "docs/a.md:14", "docs/a.md:14-16", "subs.en.srt:9 (cue 3 00:00:05,000 --> 00:00:07,500)"."""
    where = f"{_one_line(finding.file)}:{_location(finding)}"
    return f"{where} ({_one_line(finding.location)})" if finding.location else where


def _elsewhere(finding: Finding) -> str:
    """The other places a finding is about (a consistency finding's other translations or sources,
    Finding.related) as ' (also at b.en.md:40, c.en.md:7)', or ""."""
    own = (finding.file, finding.line)
    places = [f"{_one_line(file)}:{line}" for file, line in finding.related if (file, line) != own]
    return f" (also at {', '.join(places)})" if places else ""


def _location(finding: Finding) -> str:
    """The finding's lines as the text report shows them: "14", or "14-16" for several."""
    start, end = line_range(finding)
    return f"{start}-{end}" if end > start else str(start)


def _totals(findings: list[Finding], documents: list[str]) -> str:
    """The text report's last line: "3 errors, 2 warnings in 2 of 5 documents", "no findings in 5 documents"."""
    total = len(all_documents(findings, documents))
    if not findings:
        return f"no findings in {plural(total, 'document')}"
    counts = summary(findings)
    parts = [plural(count, severity) for severity, count in counts.items() if count]
    affected = len({finding.document for finding in findings})
    return f"{', '.join(parts)} in {affected} of {plural(total, 'document')}"


# --- JSON ---------------------------------------------------------------------------------------------


def json_report(findings: list[Finding], documents: list[str], version: str, signature: dict | None = None) -> str:
    """Findings as one JSON object (UTF-8, indented, stable key order and finding order).

    Schema, version 1::

        {
          "version": 1,                                   # of this JSON layout
          "tool": {"name": "align", "version": "0.1.0"},
          "signature": {"text": "align:0.1.0|encoder:…", …},  # what made the result (align.signature), if known
          "documents": ["doc-a", "doc-b"],                # every checked document, sorted
          "summary": {"error": 1, "warning": 0, "note": 2},
          "findings": [                                   # sorted by file, line, end_line, severity (worst first), rule
            {
              "rule": "number-mismatch",                  # one of RULES
              "severity": "error",                        # "note" | "warning" | "error"
              "document": "doc-a",
              "file": "docs/doc-a.ru.txt",                # as given on the command line
              "line": 12, "end_line": 12,                 # 1-based, inclusive
              "message": "...",
              "ru": "...", "en": "...",                   # the texts concerned ("" when none)
              "lang": "",                                 # language of the passage, for untranslated/other-language
              "related": [{"file": "docs/doc-a.en.txt", "line": 9}],
              "fingerprint": "0123456789abcdef"           # stable id used by baselines
            }
          ]
        }
    """
    payload: dict = {"version": 1, "tool": {"name": "align", "version": version}}
    if signature is not None:
        payload["signature"] = signature
    payload |= {
        "documents": all_documents(findings, documents),
        "summary": summary(findings),
        "findings": [_finding_json(finding) for finding in sorted_findings(findings)],
    }
    return shown_json(payload)


def _finding_json(finding: Finding) -> dict:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "document": finding.document,
        "file": finding.file,
        "line": finding.line,
        "end_line": finding.end_line,
        "message": finding.message,
        "ru": finding.ru,
        "en": finding.en,
        "lang": finding.lang,
        "related": [{"file": file, "line": line} for file, line in finding.related],
        "fingerprint": finding.fingerprint,
    }


# --- GitHub Actions -----------------------------------------------------------------------------------


def github_escape_data(value: str) -> str:
    """Escape a workflow command's message: % → %25, CR → %0D, LF → %0A (undecodable bytes as `shown`)."""
    return shown_text(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(value: str) -> str:
    """Escape a workflow command's property value: as the message, plus : → %3A and , → %2C."""
    return github_escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_report(findings: list[Finding]) -> str:
    """One GitHub Actions workflow command per finding, e.g.

    ``::error file=docs/a.ru.txt,line=3,endLine=4,title=align number-mismatch::1999 vs 1998``

    (warning → ``::warning``, note → ``::notice``), so the findings show as annotations on the pull request.
    """
    lines = []
    for finding in sorted_findings(findings):
        start, end = line_range(finding)
        command = GITHUB_COMMANDS.get(finding.severity, "error")
        properties = ",".join(
            f"{name}={github_escape_property(value)}"
            for name, value in (
                ("file", relative_path(finding.file)),
                ("line", str(start)),
                ("endLine", str(end)),
                ("title", f"align {finding.rule}"),
            )
        )
        lines.append(f"::{command} {properties}::{github_escape_data(finding.message)}")
    return "".join(line + "\n" for line in lines)


# --- JUnit XML ----------------------------------------------------------------------------------------


def junit_report(findings: list[Finding], documents: list[str], *, fail_on: str = "warning") -> str:
    """JUnit XML: one test case per document, failed when it has findings at or above `fail_on`.

    ``<testsuites name="align check" tests=N failures=F><testsuite name="align check" tests=N failures=F>``
    holds one ``<testcase classname="align" name=DOCUMENT file=...>`` per document (``file`` is the first
    file a finding of the document points at). A failing document gets one
    ``<failure message="K findings" type="align">`` listing those findings ("FILE:LINE severity rule message"),
    lower-severity findings go to the test case's ``<system-out>``.
    """
    import xml.etree.ElementTree as ET  # only JUnit needs it (about 5 ms of every check's start-up otherwise)

    check_fail_on(fail_on)
    by_document: dict[str, list[Finding]] = {}
    for finding in sorted_findings(findings):
        by_document.setdefault(finding.document, []).append(finding)
    names = all_documents(findings, documents)
    failed = sum(1 for name in names if any(fails(finding, fail_on) for finding in by_document.get(name, ())))
    counts = {"tests": str(len(names)), "failures": str(failed), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "align check", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "align check", **counts})
    for name in names:
        group = by_document.get(name, [])
        attributes = {"classname": "align", "name": _xml_text(name)}
        if group:
            attributes["file"] = _xml_text(relative_path(group[0].file))
        case = ET.SubElement(suite, "testcase", attributes)
        failing = [finding for finding in group if fails(finding, fail_on)]
        passing = [finding for finding in group if not fails(finding, fail_on)]
        if failing:
            failure = ET.SubElement(case, "failure", {"message": plural(len(failing), "finding"), "type": "align"})
            failure.text = _junit_lines(failing)
        if passing:
            ET.SubElement(case, "system-out").text = _junit_lines(passing)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _junit_lines(findings: list[Finding]) -> str:
    return "".join(
        _xml_text(f"{relative_path(f.file)}:{_location(f)} {f.severity} {f.rule} {_one_line(f.message)}") + "\n"
        for f in findings
    )


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters); undecodable bytes as `shown`."""
    return _NON_XML_CHARS.sub("", shown_text(text))


# --- SARIF 2.1.0 --------------------------------------------------------------------------------------


def sarif_report(findings: list[Finding], version: str) -> str:
    """A SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF viewers.

    ``runs[0].tool.driver`` lists every rule of RULES (plus any other rule id a finding uses) with its
    description; each result has ``ruleId``/``ruleIndex``, ``level`` (error, warning, note), the message,
    one physical location (relative URI with forward slashes, start and end line), ``relatedLocations``
    for the finding's related lines and ``partialFingerprints["alignFingerprint/v1"]`` (the baseline
    fingerprint). Result properties carry the document name and the texts concerned.
    """
    ordered = sorted_findings(findings)
    rule_ids = list(RULES) + sorted({finding.rule for finding in ordered} - RULES.keys())
    rule_index = {rule: index for index, rule in enumerate(rule_ids)}
    rules = [{"id": rule, "shortDescription": {"text": _description(rule)}} for rule in rule_ids]
    results = []
    for finding in ordered:
        start, end = line_range(finding)
        result: dict = {
            "ruleId": finding.rule,
            "ruleIndex": rule_index[finding.rule],
            "level": SARIF_LEVELS.get(finding.severity, "error"),
            "message": {"text": finding.message},
            "locations": [_sarif_location(finding.file, start, end)],
        }
        if finding.related:
            result["relatedLocations"] = [
                {"id": index, **_sarif_location(file, max(1, line), max(1, line))}
                for index, (file, line) in enumerate(finding.related)
            ]
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
        properties = {"document": finding.document}
        properties.update(
            {key: value for key, value in (("ru", finding.ru), ("en", finding.en), ("lang", finding.lang)) if value}
        )
        result["properties"] = properties
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "align",
                        "version": version,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return shown_json(log)


def _description(rule: str) -> str:
    """The one-sentence description of rule id `rule` (the id itself for a rule RULES lacks)."""
    return RULES[rule].description if rule in RULES else rule


def _sarif_location(file: str, start: int, end: int) -> dict:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(file)},
            "region": {"startLine": start, "endLine": end},
        }
    }


# --- dispatch -----------------------------------------------------------------------------------------


def render(
    findings: list[Finding],
    fmt: str,
    documents: list[str],
    version: str,
    console: Console,
    *,
    fail_on: str = "warning",
    signature: dict | None = None,
) -> str | None:
    """Render `findings` in format `fmt` (one of FORMATS); "text" prints to `console` and returns None."""
    if fmt == "text":
        text_report(findings, console, documents)
        return None
    if fmt == "json":
        return json_report(findings, documents, version, signature)
    if fmt == "github":
        return github_report(findings)
    if fmt == "junit":
        return junit_report(findings, documents, fail_on=fail_on)
    if fmt == "sarif":
        return sarif_report(findings, version)
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


__all__ = [
    "FAIL_ON",
    "FORMATS",
    "RULES",
    "exit_code",
    "github_report",
    "json_report",
    "junit_report",
    "render",
    "sarif_report",
    "text_report",
]
