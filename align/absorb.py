"""Absorption: a sentence left one-sided beside a pair of its paragraph joins the pair when the joined text matches.

Translators merge sentences, and a literary translator often folds a short sentence into its neighbour ("— Ай! —
вскрикнул мальчик." for two English sentences). The sentence search prices such a merge out when the merged bead
scores no better than the pair alone, and leaves the extra sentence one-sided: a false "untranslated". After the
search, each one-sided sentence next to a pair whose side of its language lies in the same paragraph is embedded
together with that side; when the joined text matches the pair's other side at least as well as the side alone
(cosine gain at least AlignOptions.absorb_min_gain, 0), the sentence joins the pair. A real omission beside a
pair lowers that cosine, so few are taken in. The search lists a gap's Russian sentences before its English ones, so
the pair may lie past one-sided sentences of the other language; a sentence reached that way is also scored written
as a clause of one merged sentence (its full stop a comma, the next one lower-cased), the way such a merge reads, and
joins on the better of the two cosines (only there: beside a pair the clause form took in real omissions of the
news corpora). The before/after figures are in docs/quality-history.md (bench/quality.py;
`bench/tune.py CASES_ROOT --set absorb_min_gain=none` scores the dev cases without it and the passes after it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np

from align.align import UNRELATED_MAX_CONFIDENCE
from align.encoders import normalised
from align.model import Alignment, Bead, Segment

Encode = Callable[[list[str]], np.ndarray]  # texts -> their vectors
Text = Callable[[Segment], str]  # what the encoder reads of a sentence
CANDIDATE_BATCH = 2_000  # candidates embedded per encoder call (3 texts each, 4 for a pair reached past others)
SENTENCE_ENDS = ".!?…"  # what a sentence written as a clause of a merged one loses at its end
ABSORBED_MAX_CONFIDENCE = 0.85  # a pair that took in a sentence is at most this sure: the calibration never saw it


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A one-sided sentence (bead `orphan`) and a paired bead next to it (`pair`) it could join."""

    orphan: int
    pair: int
    joined: tuple[Segment, ...]  # the pair's side of the sentence's language with the sentence, in text order
    beside: bool = True  # the pair is the sentence's neighbour (False: past one-sided sentences of the other language)


def absorbed(alignment: Alignment, encode: Encode, min_gain: float, text: Text) -> Alignment:
    """`alignment` with each one-sided sentence that joins its neighbouring pair well enough moved into it (the
    best of the pairs before and after it); `text` gives what the encoder reads of a sentence."""
    beads = alignment.beads
    candidates = candidates_of(beads)
    if not candidates:
        return alignment
    best: dict[int, tuple[float, Candidate]] = {}  # orphan -> its best gain and pair
    for candidate, gain in zip(candidates, joined_gains(beads, candidates, encode, text), strict=True):
        if gain >= min_gain and (candidate.orphan not in best or gain > best[candidate.orphan][0]):
            best[candidate.orphan] = (gain, candidate)
    return dataclasses.replace(alignment, beads=moved(beads, [candidate for _, candidate in best.values()]))


def candidates_of(beads: Sequence[Bead]) -> list[Candidate]:
    """Every (one-sided sentence, nearest pair before or after it) whose sentence lies in the paragraph of the pair's
    side of its language; loose beads neither give nor take, nor does a pair at most UNRELATED_MAX_CONFIDENCE sure."""
    result = []
    for k, bead in enumerate(beads):
        if bead.paired or bead.other or bead.loose or len(bead.ru) + len(bead.en) != 1:
            continue
        sentence = (bead.ru + bead.en)[0]
        for n in nearest_pairs(beads, k):
            if beads[n].loose:
                continue
            if beads[n].score <= UNRELATED_MAX_CONFIDENCE:  # a pair the aligner doubts (unrelated texts) takes none in
                continue
            side = beads[n].ru if bead.ru else beads[n].en
            if (side[0].file, side[0].paragraph) != (sentence.file, sentence.paragraph):
                continue
            joined = side + (sentence,) if n < k else (sentence,) + side
            result.append(Candidate(k, n, joined, beside=abs(n - k) == 1))
    return result


def nearest_pairs(beads: Sequence[Bead], k: int) -> list[int]:
    """The paired beads nearest before and after one-sided bead k, past one-sided beads of the other language (the
    search lists a gap's Russian sentences before its English ones) but not past one of its own."""
    lang = "ru" if beads[k].ru else "en"
    found = []
    for step in (-1, 1):
        n = k + step
        while 0 <= n < len(beads) and not beads[n].paired and not getattr(beads[n], lang):
            n += step
        if 0 <= n < len(beads) and beads[n].paired:
            found.append(n)
    return found


def joined_gains(beads: Sequence[Bead], candidates: list[Candidate], encode: Encode, text: Text) -> list[float]:
    """For each candidate: cosine(joined side, other side) - cosine(side, other side), the joined side for a pair not
    beside its sentence the better of it and clause_joined_text; embedded CANDIDATE_BATCH candidates at a time (a
    page of millions of sentences keeps its memory bound)."""
    gains: list[float] = []
    for first in range(0, len(candidates), CANDIDATE_BATCH):
        batch = candidates[first : first + CANDIDATE_BATCH]
        texts = []
        for candidate in batch:
            pair, orphan = beads[candidate.pair], beads[candidate.orphan]
            side, other = (pair.ru, pair.en) if orphan.ru else (pair.en, pair.ru)
            texts += [joined_text(side, text), joined_text(candidate.joined, text), joined_text(other, text)]
        texts += [clause_joined_text(candidate.joined, text) for candidate in batch if not candidate.beside]
        vectors = normalised(np.asarray(encode(texts), dtype=np.float32))
        triples, clauses = vectors[: 3 * len(batch)], iter(vectors[3 * len(batch) :])
        for side_vector, joined, other_vector, candidate in zip(
            triples[0::3], triples[1::3], triples[2::3], batch, strict=True
        ):
            best = float(joined @ other_vector)
            if not candidate.beside:
                best = max(best, float(next(clauses) @ other_vector))
            gains.append(best - float(side_vector @ other_vector))
    return gains


def clause_joined_text(segments: Sequence[Segment], text: Text) -> str:
    """The sentences' texts written as one sentence, the way a translator merges them: each but the last ends in a
    comma instead of its full stop, ? ! or …, and each but the first starts in lower case (not an acronym or "I")."""
    texts = [text(segment) for segment in segments]
    clauses = [clause.rstrip().rstrip(SENTENCE_ENDS) + "," for clause in texts[:-1]] + texts[-1:]
    return " ".join(clauses[:1] + [lower_first(clause) for clause in clauses[1:]])


def lower_first(clause: str) -> str:
    """`clause` with its first letter in lower case, unless it starts an acronym ("NASA", "ООН") or is "I"."""
    stripped = clause.lstrip()
    if not stripped or not stripped[0].isupper():
        return clause
    word = stripped.split(maxsplit=1)[0]
    if (len(word) > 1 and word[1].isupper()) or word == "I" or word.startswith("I'"):
        return clause
    return clause[: len(clause) - len(stripped)] + stripped[0].lower() + stripped[1:]


def joined_text(segments: Sequence[Segment], text: Text) -> str:
    """The sentences' texts as the encoder reads them, joined by a space."""
    return " ".join(text(segment) for segment in segments)


def moved(beads: Sequence[Bead], chosen: list[Candidate]) -> list[Bead]:
    """The beads with each chosen sentence moved into its pair (both neighbours may take one) and its bead gone."""
    takes: dict[int, list[int]] = {}
    for candidate in chosen:
        takes.setdefault(candidate.pair, []).append(candidate.orphan)
    return taken_in(
        beads, takes, lambda bead: dataclasses.replace(bead, score=min(bead.score, ABSORBED_MAX_CONFIDENCE))
    )


def taken_in(beads: Sequence[Bead], takes: dict[int, list[int]], mark: Callable[[Bead], Bead]) -> list[Bead]:
    """The beads with the sentences of each one-sided bead in `takes[k]` moved into pair k, each side in text
    order, the pair then `mark`ed, and the one-sided beads gone (every pass that joins sentences to a pair)."""
    gone = {orphan for orphans in takes.values() for orphan in orphans}
    result = []
    for k, bead in enumerate(beads):
        if k in gone:
            continue
        if k in takes:
            sides = {}
            for lang in ("ru", "en"):
                added = tuple(s for orphan in takes[k] for s in getattr(beads[orphan], lang))
                sides[lang] = tuple(sorted(getattr(bead, lang) + added, key=lambda s: s.start))
            bead = mark(dataclasses.replace(bead, **sides))
        result.append(bead)
    return result
