"""Other-language sentences slotted into an alignment's beads by their position in the files."""

from __future__ import annotations

import bisect
import itertools

from align.model import Bead, Segment


def with_other_segments(beads: list[Bead], others: list[Segment]) -> list[Bead]:
    """Insert one bead per other-language sentence before the first bead that starts after it in its file (a
    bead holding an earlier-placed other sentence of the same file counts). Several in one gap: files in
    reverse name order, each file's sentences in text order. O(n log n): one pass per file with prefix maxima
    (bead starts are not monotonic when one-sided beads of both sides interleave)."""
    if not others:
        return beads
    gaps: dict[int, list[Segment]] = {}
    for file in sorted({other.file for other in others}, reverse=True):
        reach = list(itertools.accumulate((first_start(bead, file) for bead in beads), max))
        gap = len(beads)
        for other in sorted((o for o in others if o.file == file), key=lambda s: s.start, reverse=True):
            gap = min(gap, bisect.bisect_right(reach, other.start))
            gaps.setdefault(gap, []).append(other)
    result: list[Bead] = []
    for index in range(len(beads) + 1):
        placed = gaps.get(index, [])  # filled file by file (reverse name order), each file from the end
        by_file: dict[str, list[Segment]] = {}
        for other in placed:
            by_file.setdefault(other.file, []).append(other)
        for file_others in by_file.values():
            result.extend(Bead(ru=(), en=(), score=0.0, other=(other,)) for other in reversed(file_others))
        if index < len(beads):
            result.append(beads[index])
    return result


def first_start(bead: Bead, file: str) -> int:
    """Start offset of the bead's first segment in `file`, or -1 when it has none there."""
    starts = [s.start for s in bead.ru + bead.en + bead.other if s.file == file]
    return min(starts) if starts else -1
