"""JSONL in the bench's prediction schema: one bead per line, spans into the decoded file text."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from align.model import Alignment, Bead, Segment
from align.writers import WriteContext
from align.writers.common import SURROGATES, bead_score, plain_side_text

# Valid JSON, but str.splitlines() and some JSONL readers treat them as line breaks: always escape them.
JSON_LINE_BREAKS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
SCORE_DECIMALS = 4


class JsonlWriter:
    """One JSON object per bead (`ru`, `en`, [`other`,] `score`, `kind`); documents concatenate as they are."""

    name = "jsonl"
    suffix = ".jsonl"
    per_document = True
    dated = False  # the creation date is not written (align.output_records)
    corpus_name = "corpus.jsonl"

    def document(self, alignment: Alignment, context: WriteContext) -> str:
        return jsonl_text(alignment)

    def corpus(self, alignments: Sequence[Alignment], context: WriteContext) -> str:
        return "".join(self.pieces(alignments, context))

    def pieces(self, alignments: Sequence[Alignment], context: WriteContext) -> Iterator[str]:
        """The text of `corpus` in pieces, one line at a time (written as they come: memory bounded by a bead)."""
        for alignment in alignments:
            yield from jsonl_pieces(alignment)

    def concatenate(self, parts: Iterable[str], context: WriteContext) -> str:
        return "".join(parts)


def jsonl_text(alignment: Alignment) -> str:
    """One JSON object per bead, in order, each line ending in '\\n' (so documents concatenate)."""
    return "".join(jsonl_pieces(alignment))


def jsonl_pieces(alignment: Alignment) -> Iterator[str]:
    """jsonl_text in pieces: each bead's line, then its line end (not joined: a bead of 100 MB is not copied)."""
    for bead in alignment.beads:
        yield json_line(jsonl_record(bead, alignment))
        yield "\n"


def jsonl_record(bead: Bead, alignment: Alignment) -> dict[str, object]:
    """The JSON object of one bead: ru, en, [other,] score, kind[, loose] — in that key order."""
    document = alignment.document
    record: dict[str, object] = {
        "ru": json_side(document.ru_file, bead.ru),
        "en": json_side(document.en_file, bead.en),
    }
    if bead.other:
        first = bead.other[0]
        record["other"] = {**json_side(first.file, bead.other), "lang": first.detected or "other"}
    record["score"] = round(bead_score(bead), SCORE_DECIMALS)
    record["kind"] = bead.kind
    if bead.loose:  # paired as a whole, not sentence by sentence (align.loose, condensed, matched_gaps)
        record["loose"] = True
    return record


def json_side(file: str, segments: Sequence[Segment]) -> dict[str, object]:
    """{"file", "spans", "text"[, "locations"]} for one side: one [start, end] span per segment, the text without
    markup."""
    side: dict[str, object] = {
        "file": file,
        "spans": [[segment.start, segment.end] for segment in segments],
        "text": plain_side_text(segments),
    }
    locations = [segment.location for segment in segments]
    if any(locations):  # where each sentence is in a file without lines to speak of: "cue 3 …", "page 2"
        side["locations"] = locations
    return side


def json_line(record: dict[str, object]) -> str:
    """`record` as one line of JSON, non-ASCII kept except characters that readers may split lines on."""
    line = json.dumps(record, ensure_ascii=False)
    for char, escape in JSON_LINE_BREAKS:
        line = line.replace(char, escape)
    # A lone surrogate is kept as a \\udXXX escape: valid JSON, and json.loads gives back the same string.
    return SURROGATES.sub(lambda match: f"\\u{ord(match[0]):04x}", line)
