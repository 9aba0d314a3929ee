"""Rule `low-confidence`: pairs the aligner was unsure of."""

from __future__ import annotations

from typing import TYPE_CHECKING

from align.checks.pairs import pair_findings
from align.model import Alignment, Bead, Finding

if TYPE_CHECKING:
    from align.checks.options import CheckOptions


def low_confidence_pairs(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Paired beads aligned with a confidence below `options.min_confidence`."""
    return pair_findings(alignment, options, "low-confidence", lambda pair: low_confidence(pair.bead, options))


def low_confidence(bead: Bead, options: CheckOptions) -> str:
    """The message for a bead the aligner was unsure of, or "" (a loose pair is a loose-translation note)."""
    if bead.score >= options.min_confidence or bead.loose:
        return ""
    return f"low alignment confidence {bead.score:.2f} (below {options.min_confidence:.2f})"
