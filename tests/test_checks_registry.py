"""The rule registry align.checks.RULES: the one list that findings, SARIF, the README table and --help share."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import align.checks
from align import report
from align.checks import RULES, CheckOptions, Rule, findings, rules_help, rules_markdown
from align.model import SEVERITIES, Alignment, Bead, Document, Finding, Segment
from tests.conftest import REPO
from tests.factories import finding

DOCUMENT = Document("doc", "doc.ru.txt", "doc.en.txt")

# What SARIF viewers have been shown for each rule; changing a text changes every SARIF log.
PUBLISHED = {
    "untranslated": "A sentence has no counterpart in the other language.",
    "untranslated-page": "A page of a two-language tree has no counterpart in the other language.",
    "loose-translation": "Text paired only paragraph by paragraph, or facing unpaired text: "
    "probably a free translation.",
    "other-language": "A sentence is in neither Russian nor English (e.g. Ukrainian, Belarusian, German).",
    "low-confidence": "A sentence pair was aligned with a confidence below the threshold.",
    "number-mismatch": "A sentence and its translation contain different numbers.",
    "missing-token": "A token that should carry over unchanged (URL, e-mail, code) is missing from the translation.",
    "length-ratio": "A sentence pair's length ratio is an outlier for its document.",
    "copy": "The translation is a copy of the source text.",
    "inconsistent-translation": "The same sentence is translated differently in different places.",
    "shared-translation": "Different sentences share the same translation.",
    "glossary": "A glossary term is not translated as the glossary requires.",
}


def homemade(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """A rule for the tests: one note per document."""
    return [finding(rule="homemade", severity="note", document=alignment.document.name)]


def corpus_wide(alignments: list[Alignment], options: CheckOptions) -> list[Finding]:
    """A rule for the tests judged across documents: one note for all of them."""
    return [finding(rule="corpus-wide", severity="note", document=str(len(alignments)))]


@pytest.fixture
def extra_rules(monkeypatch: pytest.MonkeyPatch) -> tuple[Rule, Rule]:
    """Two rules added to the registry for one test."""
    rules = (
        Rule("homemade", "note", "A rule made for the tests.", f"{__name__}:homemade", details="a | b"),
        Rule("corpus-wide", "note", "Another one.", f"{__name__}:corpus_wide", per_document=False),
    )
    for rule in rules:
        monkeypatch.setitem(RULES, rule.id, rule)
    return rules


def segment(file: str, line: int, text: str, lang: str) -> Segment:
    return Segment(file, 0, len(text), line, text, lang, line)


def pair(ru: str, en: str, line: int, score: float = 0.9) -> Bead:
    return Bead((segment("doc.ru.txt", line, ru, "ru"),), (segment("doc.en.txt", line, en, "en"),), score)


# ---------------------------------------------------------------------------------------- the registry


def test_every_rule_is_complete_and_its_function_imports() -> None:
    assert list(RULES) == list(PUBLISHED)
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert rule.severity in SEVERITIES
        assert rule.description.endswith(".") and "\n" not in rule.description
        assert "\n" not in rule.details
        assert callable(rule.load()), rule.function


def test_the_published_descriptions_stay_as_they_are() -> None:
    assert {rule.id: rule.description for rule in RULES.values()} == PUBLISHED


def test_a_duplicate_rule_or_an_unknown_severity_is_refused() -> None:
    rule = RULES["copy"]
    with pytest.raises(ValueError, match="duplicate"):
        align.checks._registry(rule, rule)
    with pytest.raises(ValueError, match="severity"):
        align.checks._registry(Rule("x", "fatal", "X.", "m:f"))


def test_findings_take_their_severity_from_the_registry() -> None:
    beads = [
        pair("В 2019 году.", "In 2021.", 1),
        pair("Коллекцию собирал инженер.", "Коллекцию собирал инженер.", 2),
        pair("Кошка спит.", "The cat sleeps.", 3, score=0.1),
        Bead((segment("doc.ru.txt", 4, "Без перевода.", "ru"),), (), 0.0),
    ]
    found = findings([Alignment(DOCUMENT, beads)], CheckOptions())
    assert {f.rule for f in found} == {"number-mismatch", "copy", "low-confidence", "untranslated"}
    assert all(f.severity == RULES[f.rule].severity for f in found)


# ---------------------------------------------------------------------------------------- one source for all


def test_a_rule_added_to_the_registry_appears_everywhere(extra_rules: tuple[Rule, Rule]) -> None:
    ids = [rule.id for rule in extra_rules]
    assert report.RULES is RULES
    driver = json.loads(report.sarif_report([], "1"))["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]][-2:] == ids
    assert driver["rules"][-2]["shortDescription"] == {"text": "A rule made for the tests."}
    assert "| `homemade` | note | a \\| b |" in rules_markdown().splitlines()
    assert "| `corpus-wide` | note | Another one. |" in rules_markdown().splitlines()
    assert any(
        line.split() == ["homemade", "note", "A", "rule", "made", "for", "the", "tests."]
        for line in rules_help().splitlines()
    )
    alignments = [Alignment(Document(name, f"{name}.ru.txt", f"{name}.en.txt"), []) for name in ("a", "b")]
    found = findings(alignments, CheckOptions())
    assert sorted((f.rule, f.document) for f in found) == [("corpus-wide", "2"), ("homemade", "a"), ("homemade", "b")]


def test_the_markdown_table_has_one_row_per_rule() -> None:
    lines = rules_markdown().splitlines()
    assert lines[:2] == ["| rule | severity | what it means |", "|---|---|---|"]
    assert len(lines) == 2 + len(RULES)
    for line, rule in zip(lines[2:], RULES.values(), strict=True):
        assert line.startswith(f"| `{rule.id}` | {rule.severity} | ")
    assert "`--min-confidence` (0.5)" in rules_markdown()
    assert str(CheckOptions().min_confidence) in RULES["low-confidence"].details


def test_the_help_lists_every_rule_in_aligned_columns() -> None:
    lines = rules_help().splitlines()
    assert lines[0] == "Rules:"
    assert [line.split()[0] for line in lines[1:]] == list(RULES)
    assert len({line.index(rule.description) for line, rule in zip(lines[1:], RULES.values(), strict=True)}) == 1


# ---------------------------------------------------------------------------------------- lazy imports


def test_importing_the_registry_imports_no_rule_and_not_pydantic() -> None:
    code = (
        "import sys, align.checks, align.report; "
        "print(sorted(m for m in sys.modules if m.startswith('align.checks.') and m != 'align.checks.text')); "
        "print('pydantic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "False"]


def test_the_public_names_import_with_a_star() -> None:
    namespace: dict[str, object] = {}
    exec("from align.checks import *", namespace)
    for name in ("CheckOptions", "RULES", "findings", "read_glossary", "rules_help", "rules_markdown"):
        assert name in namespace, name
    assert namespace["CheckOptions"] is CheckOptions


def test_the_readme_rule_table_is_the_registry() -> None:
    from align.checks import rules_markdown

    assert rules_markdown() in (REPO / "README.md").read_text(encoding="utf-8")


def test_check_help_lists_every_rule() -> None:
    from tests.conftest import run_cli

    code, stdout, _ = run_cli("check", "--help")
    assert code == 0 and all(rule in stdout for rule in RULES)
