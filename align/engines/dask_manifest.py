"""What the Dask engine reads and records: inputs anywhere (local or fsspec URLs), and out/manifest.json.

The manifest is a set of pydantic models: every document, every shard, the totals. A manifest that cannot be
read or does not validate (a damaged file, another format) is treated as absent: the next run starts afresh.
`settings` holds what the per-document files depend on besides the inputs; a resumed run reuses a document's
files only if they are equal (see `run_settings`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, NonNegativeInt

from align.files import write_atomic
from align.load import (
    DEFAULT_MAX_BYTES,
    TEXT_SUFFIXES,
    Input,
    InputError,
    distinct_files,
    file_bytes,
    input_error,
    name_key,
    paired_inputs,
    read_error,
    text_files,
    with_unique_names,
    within_limit,
)
from align.sidefiles import side_text
from align.stats import BeadStats

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "align-manifest/2"  # 2: bead statistics (BeadStats) instead of counts, untranslated lines
SHARD_STEM = "corpus"  # shard files are corpus-00000.<suffix>, corpus-00001.<suffix>, …
SHARD_DIGITS = 5
DIGEST_DIGITS = 32  # hex digits of a shard's digest
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
SHARD_LIKE = re.compile(rf"^{SHARD_STEM}-[0-9]{{{SHARD_DIGITS},}}$")  # a document stem a shard file would take
HASH_LENGTH_BYTES = 8  # each input file's length, big-endian, before its bytes in the input hash

Status = Literal["ok", "skipped", "failed", "pending"]  # pending: not resolved yet (a checkpoint of a running job)
ShardStatus = Literal["written", "kept", "failed"]  # kept: unchanged since the previous run


# ---------------------------------------------------------------------------------------- inputs anywhere


def is_url(path: str) -> bool:
    """Whether `path` is an fsspec URL (s3://…, gs://…, memory://…, file://…) rather than a local path."""
    return bool(URL.match(path))


def find_inputs_anywhere(paths: Sequence[str]) -> tuple[list[Input], list[InputError]]:
    """load.find_inputs for local paths and fsspec URLs alike: the files a reader takes (non-hidden) below each folder,
    X.ru.txt + X.en.txt pairs made into one Input, unique names. With local paths only it equals find_inputs."""
    local: list[str] = []
    remote: list[str] = []
    errors: list[InputError] = []
    for path in paths:
        found, problems = remote_text_files(path) if is_url(path) else text_files(path)
        (remote if is_url(path) else local).extend(found)
        errors.extend(problems)
    inputs = paired_inputs(distinct_files(local)) + paired_inputs(sorted(dict.fromkeys(remote)))
    return with_unique_names(sorted(inputs, key=lambda item: item.paths)), errors


def remote_text_files(url: str) -> tuple[list[str], list[InputError]]:
    """The file `url`, or the non-hidden files a reader takes below the folder `url`, as URLs spelt like `url`."""
    try:
        import fsspec

        fs, root = fsspec.core.url_to_fs(url)
        if fs.isdir(root):
            prefix = root.rstrip("/")
            found = []
            for path in sorted(fs.find(root)):
                relative = path[len(prefix) :].lstrip("/") if path.startswith(prefix) else path
                parts = relative.split("/")
                if any(part.startswith(".") for part in parts) or not parts[-1].lower().endswith(TEXT_SUFFIXES):
                    continue
                found.append(f"{url.rstrip('/')}/{relative}")
            return found, []
        if fs.isfile(root):
            return [url], []
        return [], [input_error(url, "no such file or directory")]
    except (ImportError, ValueError) as error:  # "Install s3fs to access S3", "Protocol not known: s4"
        return [], [input_error(url, f"cannot open ({error})")]
    except OSError as error:
        return [], [input_error(url, f"cannot list ({error.strerror or error})")]


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES, base: str | None = None) -> bytes:
    """The bytes of the input `path` (a local path, relative to `base` if given, or an fsspec URL), with the same
    checks and one-line InputError messages as a local read."""
    if not is_url(path):
        local = path if base is None or os.path.isabs(path) else os.path.join(base, path)
        try:
            return file_bytes(local, max_bytes)
        except InputError as error:
            if local == path:
                raise
            shown = local.replace("\r", "\\r").replace("\n", "\\n")
            raise input_error(path, str(error).removeprefix(f"{shown}: ")) from None
    try:
        import fsspec

        with fsspec.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (ImportError, ValueError) as error:
        raise input_error(path, f"cannot open ({error})") from None
    except OSError as error:
        raise read_error(path, error) from None
    return within_limit(path, data, max_bytes)


def with_free_shard_names(inputs: Sequence[Input]) -> tuple[list[Input], dict[int, str]]:
    """`inputs` with no document named like a shard file (corpus-00000, compared as load.name_key does): such a
    document becomes corpus-00000-2 (the first free number); and a note for each one renamed, by position."""
    used = {name_key(item.name) for item in inputs}
    result: list[Input] = []
    notes: dict[int, str] = {}
    for position, item in enumerate(inputs):
        if not SHARD_LIKE.match(name_key(item.name)):
            result.append(item)
            continue
        number = 2
        while name_key(f"{item.name}-{number}") in used:
            number += 1
        name = f"{item.name}-{number}"
        used.add(name_key(name))
        notes[position] = f"{item.paths[0]}: written as {name}.* ({item.name}.* is a corpus shard's name)"
        result.append(replace(item, name=name))
    return result, notes


# ---------------------------------------------------------------------------------------- the manifest


class Record(BaseModel):
    """Base of the manifest's models: unknown keys are ignored (derived ones such as `totals` on reading)."""

    model_config = ConfigDict(extra="ignore", validate_assignment=False)


class DocumentRecord(Record):
    """One document. `outputs` maps each per-document file name (in the output folder) to its size."""

    name: str
    inputs: list[str]
    status: Status = "pending"
    input_hash: str = ""  # "sha256:…" of the input files' bytes (see input_hash)
    stats: BeadStats = Field(default_factory=BeadStats)
    outputs: dict[str, NonNegativeInt] = Field(default_factory=dict)
    error: str = ""
    notes: list[str] = Field(default_factory=list)  # e.g. "FILE: decoded as cp1251"
    untranslated: list[str] | None = None  # FILE:LINE: [lang] text, when the run collected them (else None)
    seconds: NonNegativeFloat = 0.0


class ShardRecord(Record):
    """One corpus shard file: the documents of one slice of the input order that were aligned (ok or skipped)."""

    index: NonNegativeInt
    path: str  # file name in the output folder, e.g. corpus-00003.jsonl
    format: str
    documents: NonNegativeInt  # how many documents it holds
    first: str  # name of its first and last document
    last: str
    digest: str  # of its documents (names, input hashes, output sizes) and the settings: unchanged digest, same file
    bytes: NonNegativeInt = 0
    status: ShardStatus = "written"
    error: str = ""


class Manifest(Record):
    """What a Dask run did. `failed` > 0 means the run failed (the CLI exits 2)."""

    format: Literal["align-manifest/2"] = MANIFEST_FORMAT
    complete: bool = False  # False in a checkpoint of a running (or killed) job
    run_id: str = ""  # in the Dask task keys: align-document-<run_id>-<index>, align-shard-<run_id>-<index>-<fmt>
    settings: dict[str, Any]
    scheduler: str | None = None
    workers: NonNegativeInt = 0  # worker processes when the run started
    dashboard: str | None = None
    seconds: NonNegativeFloat = 0.0
    shards: list[ShardRecord] = Field(default_factory=list)
    documents: list[DocumentRecord]

    def count(self, status: str) -> int:
        return sum(1 for record in self.documents if record.status == status)

    @property
    def ok(self) -> int:
        return self.count("ok")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def failed(self) -> int:
        """Failed documents plus failed shards."""
        return self.count("failed") + sum(1 for shard in self.shards if shard.status == "failed")

    @property
    def failures(self) -> list[dict[str, Any]]:
        """Each failed document or shard with its error message."""
        documents = [
            {"name": record.name, "inputs": record.inputs, "error": record.error}
            for record in self.documents
            if record.status == "failed"
        ]
        shards = [{"name": shard.path, "inputs": [], "error": shard.error} for shard in self.shards if shard.error]
        return documents + shards

    def totals(self) -> dict[str, Any]:
        """Documents by status, the bead statistics of those aligned (ok or skipped), shards, time and rate."""
        totals: dict[str, Any] = {"documents": len(self.documents)}
        for status in ("ok", "skipped", "failed", "pending"):
            totals[status] = self.count(status)
        stats = BeadStats()
        for record in self.documents:
            if record.status in ("ok", "skipped"):
                stats = stats + record.stats
        totals["stats"] = asdict(stats)
        totals["shards"] = len(self.shards)
        totals["seconds"] = round(self.seconds, 3)
        if self.seconds > 0:
            totals["documents_per_second"] = round((self.ok + self.skipped) / self.seconds, 3)
        return totals

    def to_json(self) -> str:
        """JSON with one line per document and per shard (diffable, greppable, cheap for millions of documents)."""
        head = self.model_dump(mode="json", exclude={"shards", "documents"})
        head["totals"] = self.totals()
        parts = [f" {json.dumps(key)}: {one_line(value)}" for key, value in head.items()]
        lists = {
            "failures": self.failures,
            "shards": [shard.model_dump(mode="json") for shard in self.shards],
            "documents": [record.model_dump(mode="json") for record in self.documents],
        }
        for key, items in lists.items():
            body = ",\n".join(f"  {one_line(item)}" for item in items)
            parts.append(f" {json.dumps(key)}: [\n{body}\n ]" if items else f" {json.dumps(key)}: []")
        return "{\n" + ",\n".join(parts) + "\n}\n"


def one_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at `path`, or None when there is none or it is damaged (the run then starts afresh); read as a
    side file (a regular file of bounded size, a byte-order mark allowed)."""
    try:
        return Manifest.model_validate_json(side_text(path))
    except (OSError, ValueError):  # pydantic's ValidationError is a ValueError
        return None


def resumed(
    path: Path | None, settings: dict[str, Any], inputs: Sequence[Input]
) -> tuple[Manifest | None, dict[str, DocumentRecord], list[DocumentRecord]]:
    """The previous manifest at `path` if it has these settings (else None), the documents it shows done (by
    name: each is skipped if its inputs and outputs are unchanged), and this run's records in input order (a
    done document's record kept, as pending, so that a checkpoint of this run still knows it)."""
    previous = read_manifest(path) if path is not None else None
    previous = previous if previous is not None and previous.settings == settings else None
    done = {
        record.name: record
        for record in (previous.documents if previous else [])
        if record.status != "failed" and record.input_hash and record.outputs
    }
    documents = [
        done[item.name].model_copy(update={"status": "pending"})
        if item.name in done and done[item.name].inputs == list(item.paths)
        else DocumentRecord(name=item.name, inputs=list(item.paths))
        for item in inputs
    ]
    return previous, done, documents


def write_manifest(path: Path, manifest: Manifest) -> None:
    write_atomic(path, manifest.to_json())


def run_settings(
    signature: str, model: str, options: Any, suffixes: Sequence[str], excel_safe: bool, decisions: str
) -> dict[str, Any]:
    """What the per-document files depend on besides the inputs (the signature covers align's version, the
    encoder's fingerprint and the options; `decisions` is the reviewer decisions' digest)."""
    settings = {
        "signature": signature,
        "model": model,
        "options": asdict(options),
        "outputs": sorted(suffixes),
        "csv_excel_safe": excel_safe,
        "decisions": decisions,
    }
    return json.loads(json.dumps(settings))  # as it reads back from the file (tuples become lists)


def decisions_digest(decisions: Mapping[Any, str] | None) -> str:
    """A digest of the reviewer decisions applied ('' for none): other decisions, other per-document files."""
    if not decisions:
        return ""
    text = json.dumps(sorted([list(key), value] for key, value in decisions.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_DIGITS]


def input_hash(payloads: Sequence[bytes]) -> str:
    """sha256 of the input files' bytes, each preceded by its length (so that a pair's split point counts)."""
    digest = hashlib.sha256()
    for data in payloads:
        digest.update(len(data).to_bytes(HASH_LENGTH_BYTES, "big"))
        digest.update(data)
    return f"sha256:{digest.hexdigest()}"


def shard_name(index: int, suffix: str) -> str:
    """corpus-00003.tmx for shard 3 of the TMX writer (suffix ".tmx")."""
    return f"{SHARD_STEM}-{index:0{SHARD_DIGITS}d}{suffix}"


def shard_digest(members: Sequence[DocumentRecord], fmt: str, settings: dict[str, Any]) -> str:
    """What a shard's bytes depend on: its documents (names, input hashes, output sizes), format and settings."""
    digest = hashlib.sha256(json.dumps([fmt, settings], sort_keys=True).encode())
    for record in members:
        digest.update(one_line({"name": record.name, "hash": record.input_hash, "outputs": record.outputs}).encode())
    return digest.hexdigest()[:DIGEST_DIGITS]
