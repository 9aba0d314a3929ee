"""Rule `untranslated` (align.checks.untranslated): unpaired text facing unpaired text of the other language between
two pairs is a loose-translation note, not an error, when the two could be one free translation of each other."""

from __future__ import annotations

from align.checks.options import CheckOptions
from align.checks.untranslated import FACING_LENGTH_RATIO, loose_translations, untranslated_passages
from align.model import Alignment, Bead, Document
from tests.test_matched_gaps import segments  # sentences of numbered paragraphs

BEFORE = (
    "и в последней — указание на то, что, по мнению автора, требуется.",
    "and, in the last, what the Author believes.",
)
AFTER = (
    "Здравомыслие есть вещь, распределённая справедливее всего.",
    "Good Sense is, of all things, the most equally distributed.",
)


def facing(ru_heading: str, en_heading: str) -> Alignment:
    """Two pairs with a one-sided heading of each language between them, each its own paragraph."""
    ru = segments("ru", [BEFORE[0], ru_heading, AFTER[0]], [0, 1, 2])
    en = segments("en", [BEFORE[1], en_heading, AFTER[1]], [0, 1, 2])
    beads = [
        Bead((ru[0],), (en[0],), 0.99),
        Bead((), (en[1],), 0.0),
        Bead((ru[1],), (), 0.0),
        Bead((ru[2],), (en[2],), 0.99),
    ]
    return Alignment(Document("x", "x.ru.txt", "x.en.txt", ru, en), beads)


def test_a_heading_with_its_subtitle_facing_the_bare_heading_is_a_note() -> None:
    aligned = facing("Часть I. Соображения, касающиеся наук", "Part I")
    assert len("Часть I. Соображения, касающиеся наук") > 5 * len("Part I")  # beyond the old ratio of 5
    options = CheckOptions(require="both")
    assert untranslated_passages(aligned, options) == []
    assert {f.rule for f in loose_translations(aligned, options)} == {"loose-translation"}


def test_facing_texts_of_very_different_lengths_are_errors() -> None:
    long_ru = "Часть I. Соображения, касающиеся наук, а также правила метода, мораль и доказательства бытия бога."
    assert len(long_ru) > FACING_LENGTH_RATIO * len("Part I")
    aligned = facing(long_ru, "Part I")
    assert len(untranslated_passages(aligned, CheckOptions(require="both"))) == 2
