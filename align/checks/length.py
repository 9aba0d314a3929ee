"""Rule `length-ratio`: pairs whose length ratio is an outlier within their document."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from align.checks.pairs import pair_findings
from align.checks.text import prose
from align.model import Alignment, Bead, Finding

if TYPE_CHECKING:
    from align.checks.options import CheckOptions

MIN_PAIRS_FOR_LENGTH = 8  # fewer paired beads say too little about a document's own length ratio
MIN_LENGTH_SPREAD = 0.2  # floor of the log-ratio standard deviation, so a very regular document is not over-judged


def length_ratio_outliers(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Paired beads whose log length ratio lies more than `options.length_ratio_z` spreads from the
    document's mean (every paired bead counts towards the mean, ignored ones too). Sentences only: headings,
    table cells and front matter values (whole units, labels more than sentences) are left out."""
    paired = [bead for bead in alignment.beads if bead.paired and not any(s.whole for s in bead.ru + bead.en)]
    z_scores = dict(zip(paired, length_z_scores(paired), strict=True))
    return pair_findings(
        alignment,
        options,
        "length-ratio",
        lambda pair: length_ratio_problem(pair.ru, pair.en, z_scores.get(pair.bead), options),
    )


def length_z_scores(beads: Sequence[Bead]) -> list[float | None]:
    """For each paired bead, the z-score of log(len RU / len EN) against the other beads of the document
    (leave-one-out mean and spread, the spread floored at MIN_LENGTH_SPREAD); None for all when the
    document has fewer than MIN_PAIRS_FOR_LENGTH pairs. Lengths are of the prose: a link's target, inline code
    or a tag is markup, not translated text, and never makes a pair an outlier."""
    ratios = [math.log(max(prose_length(prose(b.ru)), 1) / max(prose_length(prose(b.en)), 1)) for b in beads]
    count = len(ratios)
    if count < MIN_PAIRS_FOR_LENGTH:
        return [None] * count
    total, total_squares = math.fsum(ratios), math.fsum(r * r for r in ratios)
    scores: list[float | None] = []
    for ratio in ratios:
        mean = (total - ratio) / (count - 1)
        variance = (total_squares - ratio * ratio - (count - 1) * mean * mean) / (count - 2)
        spread = max(math.sqrt(max(variance, 0.0)), MIN_LENGTH_SPREAD)
        scores.append((ratio - mean) / spread)
    return scores


def length_ratio_problem(ru: str, en: str, z: float | None, options: CheckOptions) -> str:
    """The message for a pair whose length ratio is an outlier in its document, or ""."""
    if z is None or abs(z) <= options.length_ratio_z:
        return ""
    ru_length, en_length = prose_length(ru), prose_length(en)
    if ru_length >= en_length:
        ratio = f"Russian side {ru_length / max(en_length, 1):.1f}× as long as the English"
    else:
        ratio = f"English side {en_length / max(ru_length, 1):.1f}× as long as the Russian"
    return f"unusual length ratio for this document: {ratio} (z = {z:+.1f})"


def prose_length(text: str) -> int:
    """The characters of `text` with its runs of whitespace (and blanked markup) counted as one space."""
    return len(" ".join(text.split()))
