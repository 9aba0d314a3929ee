"""Bead statistics of aligned documents: the one tally the summary table, the report and the manifest share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from align.model import Alignment


@dataclass
class BeadStats:
    """Sentences per side, pairs by kind, paired/untranslated/other-language sentences, confidence total.

    Untranslated and other counts are sentences (an `other` bead holds one sentence); `pairs` counts beads."""

    documents: int = 0
    ru: int = 0  # Russian sentences
    en: int = 0  # English sentences
    pairs: int = 0  # paired beads
    one_to_one: int = 0  # 1-1 beads among the pairs
    paired_ru: int = 0  # Russian sentences inside pairs
    paired_en: int = 0
    untranslated_ru: int = 0  # Russian sentences without an English counterpart
    untranslated_en: int = 0
    other: int = 0  # sentences in a third language
    confidence: float = 0.0  # sum of the pairs' confidences
    kinds: dict[str, int] = field(default_factory=dict)  # "1-1", "2-1", … -> paired beads

    @property
    def merged(self) -> int:
        """Pairs that are not 1-1 (2-1, 1-2, 2-2, …)."""
        return self.pairs - self.one_to_one

    @property
    def mean_confidence(self) -> float:
        return self.confidence / self.pairs if self.pairs else 0.0

    def __add__(self, other: BeadStats) -> BeadStats:
        total = BeadStats(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self) if f.name != "kinds"}
        )
        total.kinds = dict(self.kinds)
        for kind, count in other.kinds.items():
            total.kinds[kind] = total.kinds.get(kind, 0) + count
        return total


def bead_stats(alignments: Iterable[Alignment]) -> BeadStats:
    """The tally of every bead of `alignments`."""
    stats = BeadStats()
    for alignment in alignments:
        stats.documents += 1
        stats.ru += len(alignment.document.ru)
        stats.en += len(alignment.document.en)
        for bead in alignment.beads:
            if bead.paired:
                stats.pairs += 1
                stats.one_to_one += bead.kind == "1-1"
                stats.paired_ru += len(bead.ru)
                stats.paired_en += len(bead.en)
                stats.confidence += bead.score
                stats.kinds[bead.kind] = stats.kinds.get(bead.kind, 0) + 1
            elif bead.other:
                stats.other += len(bead.other)
            elif bead.ru:
                stats.untranslated_ru += len(bead.ru)
            else:
                stats.untranslated_en += len(bead.en)
    return stats
