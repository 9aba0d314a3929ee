"""Test data and helpers shared by the test modules: findings as align check would report them, and what a script
prints in a fresh interpreter (which modules an import pulls in)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from align.model import Finding


def finding(**changes: Any) -> Finding:
    """A low-confidence warning on one line of museum.ru.txt, with `changes` (Finding fields) applied."""
    fields: dict[str, Any] = {
        "rule": "low-confidence",
        "severity": "warning",
        "document": "museum",
        "file": "museum.ru.txt",
        "line": 5,
        "end_line": 5,
        "message": "pair aligned with confidence 0.31",
        "ru": "Музей открыт с 10 до 18 часов.",
        "en": "The museum is open from 10 am to 6 pm.",
    }
    fields.update(changes)
    return Finding(**fields)


def sample_findings() -> list[Finding]:
    """Realistic findings over two documents, a mixed page and a RU/EN file pair, one of each severity at
    least: untranslated, number-mismatch, inconsistent-translation, other-language, glossary (in that order)."""
    return [
        finding(
            rule="untranslated",
            document="latushko",
            file="seeds/latushko.txt",
            line=14,
            end_line=16,
            message="3 English sentences have no Russian counterpart",
            ru="",
            en="He said the regime is cornered. Sanctions work. The people are waiting.",
            lang="en",
        ),
        finding(
            rule="number-mismatch",
            severity="error",
            document="osce",
            file="corpus/osce.ru.txt",
            line=7,
            end_line=7,
            message="numbers differ: 1999 in Russian, 1998 in English",
            ru="Стамбульский документ ОБСЕ 1999 года подписали 54 государства.",
            en="The 1998 OSCE Istanbul Document was signed by 54 states.",
            related=(("corpus/osce.en.txt", 6),),
        ),
        finding(
            rule="inconsistent-translation",
            severity="note",
            document="osce",
            file="corpus/osce.en.txt",
            line=20,
            end_line=20,
            message="'Верховный совет' is translated as 'Supreme Council' here but 'Supreme Soviet' on line 3",
            ru="Верховный совет принял резолюцию.",
            en="The Supreme Council adopted a resolution.",
            related=(("corpus/osce.en.txt", 3), ("corpus/osce.ru.txt", 3)),
        ),
        finding(
            rule="other-language",
            document="latushko",
            file="seeds/latushko.txt",
            line=3,
            end_line=3,
            message="a Ukrainian sentence is neither Russian nor English",
            ru="",
            en="",
            lang="uk",
        ),
        finding(
            rule="glossary",
            severity="error",
            document="osce",
            file="corpus/osce.en.txt",
            line=11,
            end_line=12,
            message="glossary: 'ОБСЕ' must be translated as 'OSCE', found 'CSCE'",
            ru="Миссия ОБСЕ в Минске закрыта.",
            en="The CSCE mission in Minsk was closed.",
            related=(("corpus/osce.ru.txt", 11),),
        ),
    ]


def fresh_stdout(script: str) -> str:
    """What `script` prints when run by a fresh Python interpreter (its own sys.modules); a failure raises."""
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
