"""Alignments as the result cache stores them: a small header (notes, digest, bead statistics) read at once, the
sentences and beads decoded only when something reads them.

A re-check of a docs tree where one page changed needs, of every unchanged page, only its findings (read back
under its digest, align.findings_cache) and its statistics: `StoredAlignment` gives both from the header, so
those pages' sentences and beads are never rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import zlib
from dataclasses import asdict, fields
from operator import attrgetter
from typing import Any, TypeGuard

from align.model import Alignment, Bead, Document, Segment
from align.stats import BeadStats, bead_stats

DIGEST_BYTES = 16
MARSHAL_VERSION = 2  # no back-references (version 3 on): equal values give equal bytes, however they are shared
HEADER_LENGTH_BYTES = 4  # a record starts with its header's length, then the header's JSON, then the body
COMPRESSION_LEVEL = 1


segment_values = attrgetter(*(field.name for field in fields(Segment)))  # a Segment's field values, in order


class DamagedRecord(ValueError):
    """A stored record whose header cannot be read or whose body is not the one stored with it."""


class StoredAlignment(Alignment):
    """An alignment read back from the result cache: `document` and `beads` are decoded from the record's body
    the first time either is read; its name, digest and statistics come from the header without that."""

    name = ""
    digest = b""  # empty for one made by dataclasses.replace: its digest is computed from what it holds
    stats: BeadStats | None = None
    body: bytes | None = None  # the record's body until it is decoded

    @classmethod
    def of_record(cls, header: dict[str, Any], body: bytes) -> StoredAlignment:
        stored = cls.__new__(cls)
        stored.name, stored.digest, stored.body = header["name"], bytes.fromhex(header["digest"]), body
        stored.stats = BeadStats(**header["stats"])
        stored.seconds = 0.0
        return stored

    def __getattr__(self, name: str) -> Any:
        """`document` and `beads`, decoded on first use (attributes set by then are found without this)."""
        body = self.__dict__.get("body")
        if name not in ("document", "beads") or body is None:
            raise AttributeError(name)
        self.document, self.beads = alignment_of_body(body)
        self.body = None
        return self.__dict__[name]

    def __eq__(self, other: object) -> bool:
        """Equal to any alignment, stored or not, of the same document, beads and seconds (as a decoded one is)."""
        if not isinstance(other, Alignment):
            return NotImplemented
        return (self.document, self.beads, self.seconds) == (other.document, other.beads, other.seconds)

    __hash__ = None  # type: ignore[assignment]  # mutable, like Alignment


def undecoded(alignment: Alignment) -> TypeGuard[StoredAlignment]:
    """Whether `alignment` is a stored one not decoded yet: only then do its header's name, digest and statistics
    say what it holds (once decoded, its sentences and beads may be changed like any alignment's)."""
    return isinstance(alignment, StoredAlignment) and alignment.__dict__.get("body") is not None


def name_of(alignment: Alignment) -> str:
    """The alignment's document name (an undecoded stored one's from its header)."""
    return alignment.name if undecoded(alignment) else alignment.document.name


def digest_of(alignment: Alignment) -> bytes:
    """alignment_digest (an undecoded stored one's from its header)."""
    if undecoded(alignment):
        return alignment.digest
    return alignment_digest(alignment)


def stats_of(alignment: Alignment) -> BeadStats:
    """The bead statistics of one alignment (an undecoded stored one's from its header)."""
    if undecoded(alignment) and alignment.stats is not None:
        return alignment.stats
    return bead_stats([alignment])


def alignment_digest(alignment: Alignment) -> bytes:
    """A digest of everything the check rules read of an alignment: the document's names, every field of every
    sentence and the beads as sentence indices with their scores."""
    document = alignment.document
    segments = document.ru + document.en + document.other
    index = {id(segment): k for k, segment in enumerate(segments)}
    beads = [
        (
            tuple(index.get(id(s), -1) for s in bead.ru + bead.en + bead.other),
            len(bead.ru),
            len(bead.en),
            bead.score,
            bead.loose,
        )
        for bead in alignment.beads
    ]
    head = (document.name, document.ru_file, document.en_file, document.missing, len(document.ru), len(document.en))
    data = marshal.dumps((head, [segment_values(segment) for segment in segments], beads), MARSHAL_VERSION)  # 2x repr
    return hashlib.blake2b(data, digest_size=DIGEST_BYTES).digest()


def record_of(alignment: Alignment, notes: list[str]) -> bytes:
    """An alignment as the result cache stores it: the header's length, the header (notes, document name, digest,
    statistics and the body's CRC-32) as JSON, then the body: its segments once, beads as indices into them, as
    compressed JSON."""
    document = alignment.document
    segments = document.ru + document.en + document.other
    index = {id(segment): k for k, segment in enumerate(segments)}
    record = {
        "document": [document.name, document.ru_file, document.en_file, document.encodings, document.missing],
        "sides": [len(document.ru), len(document.en)],
        "segments": [segment_values(segment) for segment in segments],  # astuple's values, without its deep copy
        "beads": [
            [[index[id(s)] for s in side] for side in (bead.ru, bead.en, bead.other)] + [bead.score, bead.loose]
            for bead in alignment.beads
        ],
    }
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    body = zlib.compress(text.encode("utf-8", "surrogatepass"), COMPRESSION_LEVEL)
    header = {
        "notes": notes,
        "name": document.name,
        "digest": alignment_digest(alignment).hex(),
        "stats": asdict(bead_stats([alignment])),
        "crc": zlib.crc32(body),
    }
    head = json.dumps(header, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return len(head).to_bytes(HEADER_LENGTH_BYTES, "little") + head + body


def stored_alignment(record: bytes) -> tuple[StoredAlignment, list[str]]:
    """The alignment (not decoded yet) and notes that record_of stored; DamagedRecord if the header cannot be read
    or the body is not the one it was stored with."""
    if not isinstance(record, bytes):  # SQLite gives NULL or TEXT where a damaged row holds no BLOB
        raise DamagedRecord(f"a {type(record).__name__}, not a record")
    size = int.from_bytes(record[:HEADER_LENGTH_BYTES], "little")
    try:
        header = json.loads(record[HEADER_LENGTH_BYTES : HEADER_LENGTH_BYTES + size].decode("utf-8", "surrogatepass"))
        body = record[HEADER_LENGTH_BYTES + size :]
        if not isinstance(header, dict) or zlib.crc32(body) != header["crc"]:
            raise DamagedRecord("the record's body does not match its header")
        return StoredAlignment.of_record(header, body), list(header["notes"])
    except (ValueError, KeyError, TypeError) as error:
        raise DamagedRecord(str(error)) from None


def alignment_of_body(body: bytes) -> tuple[Document, list[Bead]]:
    """The document and beads of a record's body."""
    data = json.loads(zlib.decompress(body).decode("utf-8", "surrogatepass"))
    segments = [segment_of_fields(fields) for fields in data["segments"]]
    n_ru, n_en = data["sides"]
    name, ru_file, en_file, encodings, missing = data["document"]
    document = Document(name, ru_file, en_file, encodings=encodings, missing=missing)
    document.ru, document.en, document.other = segments[:n_ru], segments[n_ru : n_ru + n_en], segments[n_ru + n_en :]
    beads = [
        Bead(
            tuple(segments[k] for k in ru),
            tuple(segments[k] for k in en),
            score,
            tuple(segments[k] for k in other),
            loose=loose,
        )
        for ru, en, other, score, loose in data["beads"]
    ]
    return document, beads


def segment_of_fields(fields: list) -> Segment:
    """A Segment from the list astuple gave (JSON turns its markup spans into lists)."""
    *plain, markup, whole = fields
    return Segment(*plain, markup=tuple((start, end) for start, end in markup), whole=whole)
