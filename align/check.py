"""Deprecated alias of align.checks, for modules that still import align.check; delete once none does."""

from __future__ import annotations

from typing import Any

from align.checks import RULES, findings, read_glossary, rules_help, rules_markdown, sorted_findings
from align.checks.options import CheckOptions as _CheckOptions


def CheckOptions(**settings: Any) -> _CheckOptions:
    """align.checks.CheckOptions, also taking the glossary's term pairs as `glossary` (now `terms`) as before."""
    if not isinstance(settings.get("glossary"), str | None):
        settings["terms"] = settings.pop("glossary")
    return _CheckOptions(**settings)


__all__ = ["RULES", "CheckOptions", "findings", "read_glossary", "rules_help", "rules_markdown", "sorted_findings"]
