"""Reviewer decisions from the HTML report (`decisions.json`), applied to a new alignment of the same texts.

The file the report's "Download decisions" button writes::

    {"version": 1, "tool": "align",
     "decisions": [{"document": "X", "ru": [[0, 42]], "en": [[43, 90]], "decision": "accepted"}, ...]}

A bead is identified by its document name and the [start, end) character offsets of its RU and EN
sentences in the source files, so a decision still applies after re-running align on unchanged texts
(and silently matches nothing once those sentences moved).

Applying them (`apply_decisions`) is deliberately simple: an accepted bead is kept verbatim (it was
already in the alignment), a rejected pair is written as untranslated sentences (each RU sentence a 1-0
bead, each EN sentence a 0-1 bead). align does not guess a better pairing for them unless a `realign`
function is given: then the rejected sentences and the untranslated beads right next to them are aligned
again on their own, and any bead that recreates a rejected pair is split again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from align.model import Alignment, Bead, Document, Segment

DECISIONS = ("accepted", "rejected")
FORMAT_VERSION = 1

Spans = tuple[tuple[int, int], ...]
Key = tuple[str, Spans, Spans]  # (document, RU spans, EN spans)


def read_decisions(path: str) -> dict[Key, str]:
    """The decisions in the file at `path`: {(document, ru spans, en spans): "accepted" | "rejected"}.

    Raises ValueError with one line, "PATH: problem", for an unreadable or malformed file or for two
    different decisions about one bead.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise ValueError(f"{path}: cannot read decisions ({reason})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object with a 'decisions' list")
    if data.get("version") != FORMAT_VERSION or isinstance(data.get("version"), bool):
        raise ValueError(f"{path}: unsupported decisions version {data.get('version')!r} (expected {FORMAT_VERSION})")
    if "tool" in data and data["tool"] != "align":
        raise ValueError(f"{path}: not an align decisions file (tool is {data['tool']!r})")
    entries = data.get("decisions")
    if not isinstance(entries, list):
        raise ValueError(f"{path}: 'decisions' must be a list")
    result: dict[Key, str] = {}
    for number, entry in enumerate(entries, start=1):
        key, decision = parse_entry(entry, f"{path}: decision {number}")
        if result.get(key, decision) != decision:
            raise ValueError(f"{path}: decision {number}: contradicts an earlier decision for the same bead")
        result[key] = decision
    return result


def parse_entry(entry: object, where: str) -> tuple[Key, str]:
    """One decision's key and value; ValueError "WHERE: problem" when it is malformed."""
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected an object")
    document = entry.get("document")
    if not isinstance(document, str) or not document:
        raise ValueError(f"{where}: 'document' must be a non-empty string")
    decision = entry.get("decision")
    if decision not in DECISIONS:
        raise ValueError(f'{where}: \'decision\' must be "accepted" or "rejected", not {decision!r}')
    ru = parse_spans(entry.get("ru"), f"{where}: 'ru'")
    en = parse_spans(entry.get("en"), f"{where}: 'en'")
    if not ru and not en:
        raise ValueError(f"{where}: 'ru' and 'en' are both empty")
    return (document, ru, en), decision


def parse_spans(value: object, where: str) -> Spans:
    """[[start, end], ...] as a tuple of int pairs with 0 <= start <= end."""
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list of [start, end] pairs")
    result = []
    for item in value:
        ok = (
            isinstance(item, list)
            and len(item) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in item)
            and 0 <= item[0] <= item[1]
        )
        if not ok:
            raise ValueError(f"{where} must be a list of [start, end] pairs with 0 <= start <= end, got {item!r}")
        result.append((item[0], item[1]))
    return tuple(result)


def spans_of(segments: Sequence[Segment]) -> Spans:
    """The [start, end) offsets of `segments`."""
    return tuple((segment.start, segment.end) for segment in segments)


def key_of(document: str, bead: Bead) -> Key:
    """The key a decision about `bead` has in a decisions file."""
    return (document, spans_of(bead.ru), spans_of(bead.en))


def unmatched(alignments: Sequence[Alignment], decisions: Mapping[Key, str]) -> list[Key]:
    """Decisions about beads found in none of `alignments` (the texts changed, or another corpus)."""
    known = {key_of(a.document.name, bead) for a in alignments for bead in a.beads if bead.paired}
    return [key for key in decisions if key not in known]


def split(bead: Bead) -> list[Bead]:
    """A paired bead as untranslated sentences: one 1-0 bead per RU sentence, then one 0-1 per EN sentence."""
    return [Bead(ru=(s,), en=(), score=0.0) for s in bead.ru] + [Bead(ru=(), en=(s,), score=0.0) for s in bead.en]


def apply_decisions(
    alignment: Alignment,
    decisions: Mapping[Key, str],
    realign: Callable[[Document], Alignment] | None = None,
) -> Alignment:
    """`alignment` with the reviewer's decisions about its document applied; the input is not changed.

    Accepted beads are kept verbatim; so is every bead without a decision. A rejected paired bead is
    written as untranslated sentences (1-0 / 0-1), in place. With `realign` (e.g. `Pipeline.align`),
    each run of consecutive rejected and one-sided beads is aligned again on its own; a resulting bead
    equal to a rejected one is split. Every sentence stays in exactly one bead, in order on each side.
    """
    name = alignment.document.name
    rejected = {key for key, value in decisions.items() if key[0] == name and value == "rejected"}
    if not rejected:
        return Alignment(alignment.document, list(alignment.beads), alignment.seconds)

    def is_rejected(bead: Bead) -> bool:
        return bead.paired and key_of(name, bead) in rejected

    beads: list[Bead] = []
    run: list[Bead] = []  # consecutive one-sided or rejected beads (realigned together)

    def flush() -> None:
        if any(is_rejected(bead) for bead in run):
            beads.extend(realigned(alignment.document, run, realign, is_rejected))
        else:
            beads.extend(run)
        run.clear()

    for bead in alignment.beads:
        movable = is_rejected(bead) or (realign is not None and not bead.paired and not bead.other)
        if movable:
            run.append(bead)
            continue
        flush()
        beads.append(bead)
    flush()
    return Alignment(alignment.document, beads, alignment.seconds)


def realigned(
    document: Document,
    run: list[Bead],
    realign: Callable[[Document], Alignment] | None,
    is_rejected: Callable[[Bead], bool],
) -> list[Bead]:
    """The beads of `run` with rejected pairs split, after aligning the run's sentences again if `realign` is set."""
    if realign is None:
        return [piece for bead in run for piece in (split(bead) if is_rejected(bead) else [bead])]
    ru = [segment for bead in run for segment in bead.ru]
    en = [segment for bead in run for segment in bead.en]
    part = Document(document.name, document.ru_file, document.en_file, ru=ru, en=en, encodings=document.encodings)
    result = realign(part).beads
    same_ru, same_en = [s for b in result for s in b.ru] == ru, [s for b in result for s in b.en] == en
    if not (same_ru and same_en) or any(b.other for b in result):
        raise ValueError(f"{document.name}: realign did not return every sentence exactly once and in order")
    return [piece for bead in result for piece in (split(bead) if is_rejected(bead) else [bead])]
