"""Reviewer decisions from the HTML report (`decisions.json`), applied to a new alignment of the same texts.

The file the report's "Download decisions" button writes::

    {"version": 1, "tool": "align",
     "decisions": [{"document": "X", "ru": [[0, 42]], "en": [[43, 90]], "decision": "accepted"}, ...]}

A bead is identified by its document name and the [start, end) character offsets of its RU and EN
sentences in the source files, so a decision still applies after re-running align on unchanged texts
(and silently matches nothing once those sentences moved). The format is the pydantic model
`DecisionsFile`; `read_decisions` turns its first validation error into one line naming the file.

Applying them (`apply_decisions`) is deliberately simple: an accepted bead is kept verbatim (it was
already in the alignment), a rejected pair is written as untranslated sentences (each RU sentence a 1-0
bead, each EN sentence a 0-1 bead). align does not guess a better pairing for them unless a `realign`
function is given: then the rejected sentences and the untranslated beads right next to them are aligned
again on their own, and any bead that recreates a rejected pair is split again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from align.model import Alignment, Bead, Document, Segment
from align.sidefiles import side_text

Decision = Literal["accepted", "rejected"]
DECISIONS: tuple[str, ...] = get_args(Decision)
FORMAT_VERSION = 1
TOOL = "align"
ENTRIES = "decisions"  # the list's key in the file, and the first part of an entry's error location
PROBLEM = "decisions_file"  # pydantic error type of every problem raised here (the message says which)

Spans = tuple[tuple[int, int], ...]
Key = tuple[str, Spans, Spans]  # (document, RU spans, EN spans)


def problem(message: str) -> PydanticCustomError:
    """A validation error whose message is exactly `message` (pydantic would format braces in a template)."""
    return PydanticCustomError(PROBLEM, "{message}", {"message": message})


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
    ru: Spans
    en: Spans

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
            raise problem(f'\'decision\' must be "accepted" or "rejected", not {value!r}')
        return value

    @field_validator("ru", "en", mode="before")
    @classmethod
    def spans(cls, value: Any, info: ValidationInfo) -> Spans:
        """[[start, end], ...] as a tuple of int pairs with 0 <= start <= end."""
        side = f"'{info.field_name}'"
        if not isinstance(value, list | tuple):
            raise problem(f"{side} must be a list of [start, end] pairs")
        pairs = []
        for item in value:
            pair = span_of(item)
            if pair is None:
                raise problem(f"{side} must be a list of [start, end] pairs with 0 <= start <= end, got {item!r}")
            pairs.append(pair)
        return tuple(pairs)

    @model_validator(mode="after")
    def a_bead(self) -> Entry:
        if not self.ru and not self.en:
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
        if value != FORMAT_VERSION or isinstance(value, bool):
            raise problem(f"unsupported decisions version {value!r} (expected {FORMAT_VERSION})")
        return FORMAT_VERSION

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
        """{(document, ru spans, en spans): "accepted" | "rejected"}."""
        return {entry.key: entry.decision for entry in self.decisions}


def read_decisions(path: str) -> dict[Key, str]:
    """The decisions in the file at `path`: {(document, ru spans, en spans): "accepted" | "rejected"}.

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
