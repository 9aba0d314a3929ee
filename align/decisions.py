"""Reviewer decisions from the HTML report (`decisions.json`), applied to a new alignment of the same texts.

The file the report's "Download decisions" button writes (version 2)::

    {"version": 2, "tool": "align",
     "decisions": [{"document": "X", "decision": "rejected",
                    "ru": {"sentences": ["3f2a…"], "before": "9c1e…", "at": [[0, 42]], "text": "Кругом…"},
                    "en": {"sentences": ["b07d…"], "before": "", "at": [[43, 90]], "text": "There is…"}}, ...]}

Each side names its sentences by content (`align.anchors`: a hash of each sentence's text, the hash of
the sentence before them for repeated sentences, the old offsets as the last tie-break), so a decision
still applies after a paragraph was inserted or deleted elsewhere. A decision is "rejected" (the pair
is wrong), "accepted" (it is right: kept, or made again if the aligner now pairs differently) or "bead"
(the reviewer made this bead by linking, merging, splitting or unlinking rows: it is made again).
Version 1 files (sides as [[start, end], ...] offsets only, "accepted" / "rejected") still load and are
matched by offsets, as before. The format is the pydantic model `DecisionsFile`; `read_decisions` turns
its first validation error into one line naming the file. `decision_notes` says which decisions no
longer match anything (the sentence was edited or deleted), so none is dropped silently.

Applying them (`apply_decisions`): beads the reviewer made or accepted are made (`anchors.force_bead`),
then a rejected pair is written as untranslated sentences (each RU sentence a 1-0 bead, each EN sentence
a 0-1 bead); so is a bigger bead the new run made around it (it pairs them still). align does not guess
a better pairing for them unless a `realign` function is given: then the rejected sentences and the
untranslated beads right next to them are aligned again on their own, and any bead that recreates a
rejected pair is split again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from align.anchors import EXCERPT, Anchor, SideIndex, force_bead, shown_text, side_sentences
from align.model import Alignment, Bead, Document, Segment
from align.sidefiles import side_text

Decision = Literal["accepted", "rejected", "bead"]
DECISIONS: tuple[str, ...] = get_args(Decision)
FORMAT_VERSION = 2  # what the report writes
VERSIONS = (1, 2)  # what is read: 1 names sentences by offsets only
SHOWN_IN_NOTE = 3  # decisions a "no longer match" note quotes; the rest are counted
TOOL = "align"
ENTRIES = "decisions"  # the list's key in the file, and the first part of an entry's error location
PROBLEM = "decisions_file"  # pydantic error type of every problem raised here (the message says which)

Spans = tuple[tuple[int, int], ...]
Side = Spans | Anchor  # version 1: offsets; version 2: content anchor
Key = tuple[str, Side, Side]  # (document, RU side, EN side)


def problem(message: str) -> PydanticCustomError:
    """A validation error whose message is exactly `message` (pydantic would format braces in a template)."""
    return PydanticCustomError(PROBLEM, "{message}", {"message": message})


def spans(value: Any, side: str) -> Spans:
    """[[start, end], ...] as a tuple of int pairs with 0 <= start <= end."""
    if not isinstance(value, list | tuple):
        raise problem(f"{side} must be a list of [start, end] pairs")
    pairs = []
    for item in value:
        pair = span_of(item)
        if pair is None:
            raise problem(f"{side} must be a list of [start, end] pairs with 0 <= start <= end, got {item!r}")
        pairs.append(pair)
    return tuple(pairs)


def anchor(value: dict[str, Any], side: str) -> Anchor:
    """A version 2 side: sentence hashes, the hash before them, their rank, their old offsets and an excerpt."""
    sentences, before, text = value.get("sentences"), value.get("before", ""), value.get("text", "")
    if not isinstance(sentences, list) or not all(isinstance(h, str) and h for h in sentences):
        raise problem(f"{side} 'sentences' must be a list of sentence hashes")
    if not isinstance(before, str) or not isinstance(text, str):
        raise problem(f"{side} 'before' and 'text' must be strings")
    at = spans(value.get("at", []), f"{side} 'at'")
    if at and len(at) != len(sentences):
        raise problem(f"{side} 'at' must give one [start, end] per sentence")
    rank = value.get("n", -1)  # files written before the rank have none: the offsets tell places apart
    if "n" in value and (not isinstance(rank, int) or isinstance(rank, bool) or rank < 0):
        raise problem(f"{side} 'n' must be a whole number, 0 or more")
    return Anchor(tuple(sentences), before, at, text, rank)


def sentence_count(side: Side) -> int:
    return len(side.sentences) if isinstance(side, Anchor) else len(side)


def span_of(item: object) -> tuple[int, int] | None:
    """`item` as a (start, end) pair if it is a [start, end] of integers (a tuple in Python) with 0 <= start <= end."""
    if not (isinstance(item, list | tuple) and len(item) == 2):
        return None
    start, end = item
    integers = all(isinstance(n, int) and not isinstance(n, bool) for n in item)
    return (start, end) if integers and 0 <= start <= end else None


class Entry(BaseModel):
    """One decision: a bead (document and the character spans of its sentences) and what the reviewer said."""

    model_config = ConfigDict(frozen=True)

    document: str
    decision: Decision
    ru: Side
    en: Side

    @model_validator(mode="before")
    @classmethod
    def an_object(cls, data: Any) -> dict[str, Any]:
        """Only an object; a missing field reads as null, so its validator below names the problem."""
        if not isinstance(data, dict):
            raise problem("expected an object")
        return dict.fromkeys(cls.model_fields) | data

    @field_validator("document", mode="before")
    @classmethod
    def a_name(cls, value: Any) -> str:
        if not isinstance(value, str) or not value:
            raise problem("'document' must be a non-empty string")
        return value

    @field_validator("decision", mode="before")
    @classmethod
    def a_decision(cls, value: Any) -> str:
        if value not in DECISIONS:
            raise problem(f'\'decision\' must be "accepted", "rejected" or "bead", not {value!r}')
        return value

    @field_validator("ru", "en", mode="before")
    @classmethod
    def a_side(cls, value: Any, info: ValidationInfo) -> Side:
        """[[start, end], ...] (version 1) or an anchor object {"sentences", "before", "at", "text"} (version 2)."""
        side = f"'{info.field_name}'"
        if isinstance(value, Anchor):
            return value
        if isinstance(value, dict):
            return anchor(value, side)
        return spans(value, side)

    @model_validator(mode="after")
    def a_bead(self) -> Entry:
        if not sentence_count(self.ru) and not sentence_count(self.en):
            raise problem("'ru' and 'en' are both empty")
        return self

    @property
    def key(self) -> Key:
        return (self.document, self.ru, self.en)


class DecisionsFile(BaseModel):
    """A whole decisions.json: its format version, the tool that wrote it and the decisions."""

    model_config = ConfigDict(frozen=True)

    version: int
    tool: Literal["align"]
    decisions: tuple[Entry, ...]

    @model_validator(mode="before")
    @classmethod
    def an_object(cls, data: Any) -> dict[str, Any]:
        """Only an object; a missing version or list reads as null, a missing tool as align's."""
        if not isinstance(data, dict):
            raise problem(f"expected a JSON object with a '{ENTRIES}' list")
        return dict.fromkeys(cls.model_fields) | {"tool": TOOL} | data

    @field_validator("version", mode="before")
    @classmethod
    def a_known_version(cls, value: Any) -> int:
        if value not in VERSIONS or isinstance(value, bool) or not isinstance(value, int):
            raise problem(f"unsupported decisions version {value!r} (expected 1 or 2)")
        return value

    @field_validator("tool", mode="before")
    @classmethod
    def by_align(cls, value: Any) -> str:
        if value != TOOL:
            raise problem(f"not an align decisions file (tool is {value!r})")
        return value

    @field_validator("decisions", mode="before")
    @classmethod
    def a_list(cls, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise problem(f"'{ENTRIES}' must be a list")
        return value

    @model_validator(mode="after")
    def consistent(self) -> DecisionsFile:
        """No bead both accepted and rejected (the same decision twice is fine)."""
        seen: dict[Key, str] = {}
        for number, entry in enumerate(self.decisions, start=1):
            if seen.setdefault(entry.key, entry.decision) != entry.decision:
                raise problem(f"decision {number}: contradicts an earlier decision for the same bead")
        return self

    def table(self) -> dict[Key, str]:
        """{(document, ru side, en side): "accepted" | "rejected" | "bead"}."""
        return {entry.key: entry.decision for entry in self.decisions}


def read_decisions(path: str) -> dict[Key, str]:
    """The decisions in the file at `path`: {(document, ru side, en side): "accepted" | "rejected" | "bead"}.

    Raises ValueError with one line, "PATH: problem", for an unreadable or malformed file or for two
    different decisions about one bead.
    """
    try:
        return DecisionsFile.model_validate(read_json(path)).table()
    except ValidationError as error:
        raise ValueError(f"{path}: {first_problem(error)}") from None


def read_json(path: str) -> object:
    """The JSON value in the file at `path`; ValueError "PATH: problem" when unreadable or not JSON."""
    try:
        text = side_text(path)  # a regular file of bounded size; a byte-order mark is fine
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise ValueError(f"{path}: cannot read decisions ({reason})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except RecursionError:
        raise ValueError(f"{path}: not valid decisions (nested too deeply)") from None


def first_problem(error: ValidationError) -> str:
    """The first problem pydantic found, as one line: "decision N: " before a problem inside entry N."""
    first = error.errors(include_url=False)[0]
    location = first["loc"]
    inside_entry = len(location) >= 2 and location[0] == ENTRIES and isinstance(location[1], int)
    prefix = f"decision {location[1] + 1}: " if inside_entry else ""
    return prefix + first["msg"]


def spans_of(segments: Sequence[Segment]) -> Spans:
    """The [start, end) offsets of `segments`."""
    return tuple((segment.start, segment.end) for segment in segments)


def key_of(document: str, bead: Bead) -> Key:
    """The key a decision about `bead` has in a decisions file."""
    return (document, spans_of(bead.ru), spans_of(bead.en))


@dataclass(frozen=True)
class Found:
    """A decision about one document and the sentences it names there (None: a side is not found)."""

    key: Key
    decision: str
    ru: list[Segment] | None
    en: list[Segment] | None


def about(name: str, decisions: Mapping[Key, str]) -> list[tuple[Key, str]]:
    """The decisions about document `name` (as align names it, or as the report shows it)."""
    names = {name, shown_text(name)}
    return [(key, value) for key, value in decisions.items() if key[0] in names]


def found_sentences(alignment: Alignment, decisions: Mapping[Key, str]) -> list[Found]:
    """Each decision about `alignment`'s document with the sentences it names: version 2 sides by content
    (`SideIndex.find`), version 1 sides by their exact offsets."""
    sides = {lang: side_sentences(alignment, lang) for lang in ("ru", "en")}
    indexes: dict[str, SideIndex] = {}
    by_span: dict[str, dict[tuple[int, int], Segment]] = {}

    def find(lang: str, side: Side) -> list[Segment] | None:
        if isinstance(side, Anchor):
            index = indexes.setdefault(lang, SideIndex(sides[lang]))
            return index.find(side)
        table = by_span.setdefault(lang, {(s.start, s.end): s for s in sides[lang]})
        segments = [table.get(span) for span in side]
        return None if None in segments else [s for s in segments if s is not None]

    return [
        Found(key, value, find("ru", key[1]), find("en", key[2]))
        for key, value in about(alignment.document.name, decisions)
    ]


def applied(
    alignment: Alignment,
    decisions: Mapping[Key, str],
    realign: Callable[[Document], Alignment] | None = None,
) -> tuple[Alignment, list[str]]:
    """`alignment` with its document's decisions applied (see `apply_decisions`), and a note naming the
    decisions that no longer match (none when all do)."""
    result, missed = applied_and_missed(alignment, decisions, realign)
    name = alignment.document.name
    return result, no_longer_matching(name, missed, len(about(name, decisions)))


def applied_and_missed(
    alignment: Alignment, decisions: Mapping[Key, str], realign: Callable[[Document], Alignment] | None = None
) -> tuple[Alignment, list[Found]]:
    """`alignment` with its document's decisions applied, and the decisions that match nothing in it."""
    beads, missed, rejected = list(alignment.beads), [], set()
    paired = {(spans_of(b.ru), spans_of(b.en)) for b in alignment.beads if b.paired}
    for item in found_sentences(alignment, decisions):
        if isinstance(item.key[1], Anchor) and item.ru is not None and item.en is not None:
            if item.decision == "rejected":
                rejected.add((spans_of(item.ru), spans_of(item.en)))
                continue
            made = force_bead(beads, item.ru, item.en)
            if made is not None:
                beads = made
                continue
        elif not isinstance(item.key[1], Anchor) and (item.key[1], item.key[2]) in paired:
            if item.decision == "rejected":
                rejected.add((item.key[1], item.key[2]))
            continue
        missed.append(item)
    return rejections_applied(Alignment(alignment.document, beads, alignment.seconds), rejected, realign), missed


def no_longer_matching(name: str, missed: list[Found], total: int) -> list[str]:
    """ "NAME: 3 of 41 decisions no longer match: …" (a sentence was edited or deleted), or nothing."""
    if not missed:
        return []
    shown = "; ".join(described(item) for item in missed[:SHOWN_IN_NOTE])
    more = f"; and {len(missed) - SHOWN_IN_NOTE} more" if len(missed) > SHOWN_IN_NOTE else ""
    return [f"{name}: {len(missed)} of {total} decisions no longer match: {shown}{more}"]


def described(item: Found) -> str:
    """'rejected «Кругом тишина…» / «There is silence…»', or the offsets of a version 1 decision."""

    def side(value: Side) -> str:
        if isinstance(value, Anchor):
            cut = "…" if len(value.text) >= EXCERPT else ""  # the excerpt is the side's first EXCERPT characters
            return f"«{value.text.rstrip() if cut else value.text}{cut}»" if value.text else "–"
        return ",".join(f"{start}:{end}" for start, end in value) or "–"

    return f"{item.decision} {side(item.key[1])} / {side(item.key[2])}"


def unmatched(alignments: Sequence[Alignment], decisions: Mapping[Key, str]) -> list[Key]:
    """Decisions that match nothing in `alignments`: another document, or sentences no longer there."""
    names = [alignment.document.name for alignment in alignments]
    known = set(names) | {shown_text(name) for name in names}
    missed = {item.key for alignment in alignments for item in applied_and_missed(alignment, decisions)[1]}
    return [key for key in decisions if key[0] not in known or key in missed]


def decisions_elsewhere(decisions: Mapping[Key, str], names: Sequence[str]) -> list[str]:
    """A note for the decisions about documents this run does not align (none when there are none)."""
    known = set(names) | {shown_text(name) for name in names}
    elsewhere = sorted({key[0] for key in decisions if key[0] not in known})
    if not elsewhere:
        return []
    count = sum(1 for key in decisions if key[0] not in known)
    listed = ", ".join(elsewhere[:SHOWN_IN_NOTE]) + (
        f" and {len(elsewhere) - SHOWN_IN_NOTE} more" if len(elsewhere) > SHOWN_IN_NOTE else ""
    )
    return [f"{count} of {len(decisions)} decisions no longer match: about documents not in this run ({listed})"]


def split(bead: Bead) -> list[Bead]:
    """A paired bead as untranslated sentences: one 1-0 bead per RU sentence, then one 0-1 per EN sentence."""
    return [Bead(ru=(s,), en=(), score=0.0) for s in bead.ru] + [Bead(ru=(), en=(s,), score=0.0) for s in bead.en]


def apply_decisions(
    alignment: Alignment,
    decisions: Mapping[Key, str],
    realign: Callable[[Document], Alignment] | None = None,
) -> Alignment:
    """`alignment` with the reviewer's decisions about its document applied; the input is not changed.

    Beads the reviewer made ("bead") or accepted are made from the sentences they name (version 1
    accepted beads are kept verbatim); so is every bead without a decision. A rejected paired bead is
    written as untranslated sentences (1-0 / 0-1), in place. With `realign` (e.g. `Pipeline.align`),
    each run of consecutive rejected and one-sided beads is aligned again on its own; a resulting bead
    equal to a rejected one is split. Every sentence stays in exactly one bead, in order on each side.
    """
    return applied(alignment, decisions, realign)[0]


def rejections_applied(
    alignment: Alignment, rejected: set[tuple[Spans, Spans]], realign: Callable[[Document], Alignment] | None
) -> Alignment:
    """`alignment` with the rejected pairs (by their sentences' offsets) split, realigned if `realign` is set.
    A paired bead is rejected when it pairs a RU sentence of a rejected pair with an EN sentence of the same
    pair: a bigger bead the new run made around them would bring the rejected pair back."""
    if not rejected:
        return Alignment(alignment.document, list(alignment.beads), alignment.seconds)
    by_ru: dict[tuple[int, int], set[int]] = defaultdict(set)  # a sentence's offsets -> the rejections naming it
    by_en: dict[tuple[int, int], set[int]] = defaultdict(set)
    for number, (ru, en) in enumerate(rejected):
        for span in ru:
            by_ru[span].add(number)
        for span in en:
            by_en[span].add(number)

    def is_rejected(bead: Bead) -> bool:
        if not bead.paired:
            return False
        named_ru = set().union(*(by_ru.get(span, set()) for span in spans_of(bead.ru)))
        return any(by_en.get(span, set()) & named_ru for span in spans_of(bead.en))

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
