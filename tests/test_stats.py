"""The one bead tally: pairs are beads, untranslated and other-language counts are sentences."""

from __future__ import annotations

from align.model import Alignment, Bead, Document, Segment
from align.stats import BeadStats, bead_stats


def seg(lang: str, start: int) -> Segment:
    return Segment(file="x.txt", start=start, end=start + 1, line=1, text="x", lang=lang, paragraph=0)


def test_pairs_by_kind_and_one_sided_sentences_are_counted() -> None:
    ru = [seg("ru", i) for i in range(5)]
    en = [seg("en", 10 + i) for i in range(4)]
    other = [seg("other", 20), seg("other", 21)]
    document = Document("d", "x.txt", "x.txt", ru=ru, en=en, other=other)
    beads = [
        Bead((ru[0],), (en[0],), 0.9),
        Bead((ru[1], ru[2]), (en[1],), 0.7),
        Bead((ru[3], ru[4]), (), 0.0),
        Bead((), (en[2], en[3]), 0.0),
        Bead((), (), 0.0, other=(other[0],)),
        Bead((), (), 0.0, other=(other[1],)),
    ]

    stats = bead_stats([Alignment(document, beads)])

    assert (stats.ru, stats.en, stats.pairs, stats.one_to_one, stats.merged) == (5, 4, 2, 1, 1)
    assert (stats.paired_ru, stats.paired_en, stats.untranslated_ru, stats.untranslated_en) == (3, 2, 2, 2)
    assert stats.other == 2 and stats.kinds == {"1-1": 1, "2-1": 1}
    assert abs(stats.mean_confidence - 0.8) < 1e-9


def test_tallies_add_up() -> None:
    total = BeadStats(documents=1, pairs=2, confidence=1.5, kinds={"1-1": 2}) + BeadStats(
        documents=1, pairs=1, confidence=0.5, kinds={"1-1": 1, "1-2": 0}
    )
    assert (total.documents, total.pairs, total.mean_confidence) == (2, 3, 2.0 / 3)
    assert total.kinds == {"1-1": 3, "1-2": 0}
