"""Content anchors of reviewer decisions: sentences named by a hash of their text, found again after edits.

A decision made in the HTML report names the sentences of each side of its bead by `sentence_hash` of
their text, the hash of the sentence just before them on that side (`before`: it tells repeated
sentences apart), its rank among the places holding the same sentences after the same one (`n`: a
sentence repeated after the same sentence) and their old [start, end) offsets (`at`: the last tie-break,
the nearest wins; also when no rank is given). So a decision still finds its sentences after a paragraph
was inserted or deleted elsewhere in the file, and finds nothing (it is reported, never silently
dropped) once one of its sentences was edited or deleted.

`force_bead` makes sentences one bead (what the reviewer's link, merge and split edits made): the beads
that held them give up those sentences, and whatever else they held becomes one-sided beads either side.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from align.model import Alignment, Bead, Segment

HASH_DIGITS = 12  # hex digits of a sentence's hash (48 bits: a collision in one document is not a concern)
EXCERPT = 60  # characters of a side's text kept in a decision, to name it in a note
REVIEWED_SCORE = 1.0  # the score of a bead the reviewer made: a person checked it

Spans = tuple[tuple[int, int], ...]


class Anchor(NamedTuple):
    """One side of a decided bead: its sentences' hashes, the hash before them ('' at the start), old offsets."""

    sentences: tuple[str, ...]
    before: str
    at: Spans
    text: str = ""  # the side's first characters, for notes
    n: int = -1  # its rank among the places with the same sentences and the same one before (-1: not given)


def sentence_hash(text: str) -> str:
    """The hash naming a sentence: sha1 of its text with whitespace squashed, HASH_DIGITS hex digits."""
    squashed = " ".join(text.split())
    return hashlib.sha1(squashed.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]


def side_sentences(alignment: Alignment, lang: str) -> list[Segment]:
    """Every sentence of one side ("ru" or "en") in document order (other-language sentences are on neither)."""
    return [segment for bead in alignment.beads for segment in (bead.ru if lang == "ru" else bead.en)]


def anchor_of(side: Sequence[Segment], start: int, count: int) -> Anchor:
    """The anchor of side[start:start + count]."""
    chosen = side[start : start + count]
    before = sentence_hash(side[start - 1].text) if start > 0 else ""
    text = " ".join(segment.text for segment in chosen)[:EXCERPT]
    at = tuple((segment.start, segment.end) for segment in chosen)
    index = SideIndex(side)
    rank = index.same_places(index.hashes[start : start + count], before).index(start)
    return Anchor(tuple(index.hashes[start : start + count]), before, at, text, rank)


class SideIndex:
    """One side's sentences and where each hash occurs, to find an anchor's sentences."""

    def __init__(self, side: Sequence[Segment]) -> None:
        self.side = list(side)
        self.hashes = [sentence_hash(segment.text) for segment in self.side]
        self.positions: dict[str, list[int]] = defaultdict(list)
        for position, digest in enumerate(self.hashes):
            self.positions[digest].append(position)

    def find(self, anchor: Anchor) -> list[Segment] | None:
        """The sentences `anchor` names ([] for an empty side), or None when they are not (all) there.

        Several places hold the same sentences: those preceded by the `before` sentence win, then the one
        nearest its old offset."""
        if not anchor.sentences:
            return []
        count = len(anchor.sentences)
        starts = self.places(anchor.sentences)
        if not starts:
            return None
        same_before = [p for p in starts if self.before(p) == anchor.before]
        if len(same_before) > 1 and 0 <= anchor.n < len(same_before):
            return self.side[same_before[anchor.n] : same_before[anchor.n] + count]
        old = anchor.at[0][0] if anchor.at else 0
        best = min(same_before or starts, key=lambda p: abs(self.side[p].start - old))
        return self.side[best : best + count]

    def places(self, sentences: Sequence[str]) -> list[int]:
        """Where `sentences` (hashes) start, in order."""
        count = len(sentences)
        return [p for p in self.positions.get(sentences[0], ()) if self.hashes[p : p + count] == list(sentences)]

    def before(self, position: int) -> str:
        """The hash of the sentence before `position` ('' at the start)."""
        return self.hashes[position - 1] if position else ""

    def same_places(self, sentences: Sequence[str], before: str) -> list[int]:
        """Where `sentences` start after the sentence hashed `before`, in order (what an anchor's rank counts)."""
        return [p for p in self.places(sentences) if self.before(p) == before]


def force_bead(beads: list[Bead], ru: Sequence[Segment], en: Sequence[Segment]) -> list[Bead] | None:
    """`beads` with `ru` and `en` made one bead, or None when that cannot be done in place (an other-language
    bead between them, or sentences out of order). The beads that held them keep their other sentences as
    one-sided beads, before or after the new one; a bead equal to an existing one keeps its score."""
    wanted = {id(segment) for segment in (*ru, *en)}
    holding = [i for i, bead in enumerate(beads) if any(id(s) in wanted for s in bead.ru + bead.en)]
    if not holding:
        return None
    first, last = holding[0], holding[-1]
    run = beads[first : last + 1]
    if any(bead.other for bead in run):
        return None
    existing = [bead for bead in run if bead.ru == tuple(ru) and bead.en == tuple(en)]
    if existing:
        return beads
    run_ru = [s for bead in run for s in bead.ru]
    run_en = [s for bead in run for s in bead.en]
    before_ru, after_ru = cut(run_ru, ru)
    before_en, after_en = cut(run_en, en)
    if before_ru is None or before_en is None:
        return None
    made = Bead(tuple(ru), tuple(en), REVIEWED_SCORE if ru and en else 0.0)
    pieces = one_sided(before_ru, before_en) + [made] + one_sided(after_ru, after_en)
    return beads[:first] + pieces + beads[last + 1 :]


def cut(run: list[Segment], chosen: Sequence[Segment]) -> tuple[list[Segment] | None, list[Segment]]:
    """The sentences of `run` before and after `chosen` (a consecutive part of it); (None, []) if it is not one.
    Nothing chosen on a side: all of that side's sentences come after the new bead."""
    if not chosen:
        return [], run
    ids = [id(s) for s in run]
    start = ids.index(id(chosen[0])) if id(chosen[0]) in ids else -1
    if start < 0 or ids[start : start + len(chosen)] != [id(s) for s in chosen]:
        return None, []
    return run[:start], run[start + len(chosen) :]


def one_sided(ru: Sequence[Segment], en: Sequence[Segment]) -> list[Bead]:
    """Each sentence as its own one-sided bead: the RU ones (1-0), then the EN ones (0-1)."""
    return [Bead((s,), (), 0.0) for s in ru] + [Bead((), (s,), 0.0) for s in en]


def shown_text(text: str) -> str:
    """`text` as the report shows it: a lone surrogate (an undecodable byte of a file name, as os.fsdecode
    keeps it) becomes its backslash escape, "\\udcfe", the way align's terminal output shows it."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
