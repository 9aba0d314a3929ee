"""What every writer shows of a bead: its sides' text, line ranges and score, and text made safe for a format."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from align.markup import plain_text
from align.model import Bead, Segment

TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
# Lone surrogates: only in text that did not come from a decoded file, e.g. a path with undecodable bytes
# (os.fsdecode maps them to U+DC80..U+DCFF). UTF-8 cannot encode them, so every writer must deal with them.
SURROGATES = re.compile("[\ud800-\udfff]")


def side_text(segments: Sequence[Segment]) -> str:
    """The text of one side of a bead: segment texts joined by a single space."""
    return " ".join(segment.text for segment in segments)


def plain_side_text(segments: Sequence[Segment]) -> str:
    """The text of one side as a reader sees it: markup dropped (inline code keeps its content), whitespace
    squashed; the same as side_text for text without markup."""
    if not any(segment.markup for segment in segments):
        return side_text(segments)
    return " ".join(" ".join(plain_text(segment).split()) for segment in segments)




def line_range(segments: Sequence[Segment]) -> str:
    """'12-13' for segments starting on lines 12..13, '14' for a single line, '' for no segments."""
    if not segments:
        return ""
    first, last = segments[0].line, segments[-1].line
    return str(first) if first == last else f"{first}-{last}"


def bead_score(bead: Bead) -> float:
    """The score to write: the bead's own for a paired bead, 0.0 for one-sided and `other` beads."""
    return float(bead.score) if bead.paired else 0.0


def score_text(score: float) -> str:
    """A score with four decimals, e.g. '0.8734'."""
    return f"{score:.4f}"


def creation_date(epoch: str | None = None) -> str:
    """YYYYMMDDThhmmssZ of `epoch` (whole seconds since 1970, e.g. SOURCE_DATE_EPOCH) or of now; ValueError
    for an epoch that is not whole seconds."""
    if epoch is None or not epoch.strip():
        return datetime.now(tz=UTC).strftime(TMX_DATE_FORMAT)
    try:
        moment = datetime.fromtimestamp(int(epoch.strip()), tz=UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}") from error
    return moment.strftime(TMX_DATE_FORMAT)
