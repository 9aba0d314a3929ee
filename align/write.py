"""Writers for aligned documents: TMX 1.4b, CSV and JSONL, each file written atomically."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import secrets
import stat
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from align.model import Alignment, Bead, Segment

FORMATS = ("tmx", "csv", "jsonl")

CSV_COLUMNS = ("document", "ru", "en", "score", "kind", "ru_lines", "en_lines")

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_TMX_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
_TMX_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
_NON_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Valid JSON, but str.splitlines() and some JSONL readers treat them as line breaks: always escape them.
_JSON_LINE_BREAKS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
# Lone surrogates: only in text that did not come from a decoded file, e.g. a path with undecodable bytes
# (os.fsdecode maps them to U+DC80..U+DCFF). UTF-8 cannot encode them, so every writer must deal with them.
_SURROGATES = re.compile("[\ud800-\udfff]")
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and Google Sheets.
_SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_MAX_NAME_BYTES = 255  # longest file name on common file systems (ext4, APFS, NTFS in UTF-16 units)
_LONGEST_SUFFIX = max(len(f".{fmt}") for fmt in FORMATS)


# --- atomic file output ------------------------------------------------------------------------------


def write_atomic(path: Path, data: str) -> None:
    """Write `data` as UTF-8 to `path` via a temp file in the same directory, fsync and os.replace.

    Parent directories are created. On any error the temp file is removed and an existing `path`
    is left as it was. A regular file that already holds exactly these bytes is left untouched (a re-run
    on an unchanged corpus rewrites nothing).
    """
    path = Path(path)
    payload = data.encode("utf-8")  # fail on unencodable text before touching the file system
    if already_holds(path, payload):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{truncated(path.name, _MAX_NAME_BYTES - 22)}.{secrets.token_hex(8)}.tmp")
    try:
        # O_EXCL: never clobber anything; mode 0o666 lets the umask decide permissions like open() would.
        # Inside the try: an interrupt (SIGINT/SIGTERM) right after the file is created must still remove it.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):  # the original error is the one to report
            temp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def already_holds(path: Path, payload: bytes) -> bool:
    """Whether `path` is a regular file (not a symlink) whose bytes are `payload`."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(payload):
            return False
        return path.read_bytes() == payload
    except OSError:
        return False


def truncated(name: str, max_bytes: int) -> str:
    """`name` cut to at most `max_bytes` bytes in the file system encoding (a cut character stays as
    surrogate escapes, which encode back to the same bytes)."""
    raw = os.fsencode(name)
    return name if len(raw) <= max_bytes else os.fsdecode(raw[:max_bytes])


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows fsync on a directory (best effort)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- shared bead helpers -----------------------------------------------------------------------------


def side_text(segments: Sequence[Segment]) -> str:
    """The text of one side of a bead: segment texts joined by a single space."""
    return " ".join(segment.text for segment in segments)


def line_range(segments: Sequence[Segment]) -> str:
    """'12-13' for segments starting on lines 12..13, '14' for a single line, '' for no segments."""
    if not segments:
        return ""
    first, last = segments[0].line, segments[-1].line
    return str(first) if first == last else f"{first}-{last}"


def bead_score(bead: Bead) -> float:
    """The score to write: the bead's own for a paired bead, 0.0 for one-sided and `other` beads."""
    return float(bead.score) if bead.paired else 0.0


def score_text(score: float) -> str:
    """A score with four decimals, e.g. '0.8734'."""
    return f"{score:.4f}"


# --- TMX ---------------------------------------------------------------------------------------------


def tmx_text(alignments: list[Alignment], *, version: str, creation_date: str | None = None) -> str:
    """A TMX 1.4b document with one <tu> per paired bead of `alignments`, in order."""
    root = etree.Element("tmx", version="1.4")
    root.append(tmx_header(version, creation_date or tmx_creation_date()))
    body = etree.SubElement(root, "body")
    for alignment in alignments:
        for bead in alignment.beads:
            if bead.paired:
                body.append(tmx_unit(bead, alignment.document.name))
    tree = etree.tostring(root, encoding="unicode", pretty_print=True)
    return f"{_XML_DECLARATION}\n{_TMX_DOCTYPE}\n{tree}"


def tmx_creation_date() -> str:
    """YYYYMMDDThhmmssZ from SOURCE_DATE_EPOCH when set (reproducible builds), else the current UTC time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError) as error:
            raise ValueError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}") from error
    else:
        moment = datetime.now(tz=UTC)
    return moment.strftime(_TMX_DATE_FORMAT)


def tmx_header(version: str, creation_date: str) -> etree._Element:
    """The <header> element, attributes in the order the DTD lists them."""
    return etree.Element(
        "header",
        {
            "creationtool": "align",
            "creationtoolversion": xml_safe(version)[0],
            "segtype": "sentence",
            "o-tmf": "align",
            "adminlang": "en",
            "srclang": "ru",
            "datatype": "plaintext",
            "creationdate": xml_safe(creation_date)[0],
        },
    )


def tmx_unit(bead: Bead, document: str) -> etree._Element:
    """One <tu>: props (score, document, kind, lines, replaced chars if any), then the ru and en <tuv>."""
    document_name, replaced_in_name = xml_safe(document)
    ru_text, replaced_in_ru = xml_safe(side_text(bead.ru))
    en_text, replaced_in_en = xml_safe(side_text(bead.en))
    props = [
        ("x-score", score_text(bead_score(bead))),
        ("x-document", document_name),
        ("x-kind", bead.kind),
        ("x-lines", f"ru:{line_range(bead.ru)} en:{line_range(bead.en)}"),
    ]
    replaced = replaced_in_name + replaced_in_ru + replaced_in_en
    if replaced:
        props.append(("x-replaced-chars", str(replaced)))
    unit = etree.Element("tu")
    for kind, value in props:
        etree.SubElement(unit, "prop", type=kind).text = value
    unit.append(tmx_variant("ru", ru_text))
    unit.append(tmx_variant("en", en_text))
    return unit


def tmx_variant(lang: str, text: str) -> etree._Element:
    """<tuv xml:lang="..."><seg>text</seg></tuv>; `text` must already be XML-safe."""
    variant = etree.Element("tuv", {_XML_LANG: lang})
    etree.SubElement(variant, "seg").text = text
    return variant


def xml_safe(text: str) -> tuple[str, int]:
    """`text` with each character XML 1.0 forbids replaced by U+FFFD, and how many were replaced."""
    return _NON_XML_CHARS.subn("\ufffd", text)


# --- CSV ---------------------------------------------------------------------------------------------


def csv_text(alignments: list[Alignment], excel_safe: bool = False) -> str:
    """CSV (header row, RFC 4180 CRLF line ends) with one row per ru/en bead; `other` beads are skipped.

    Lone surrogates (UTF-8 cannot hold them; only possible in names, never in decoded text) become U+FFFD.
    With `excel_safe`, a cell a spreadsheet would run as a formula (see csv_cell) is prefixed with "'".
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for alignment in alignments:
        for bead in alignment.beads:
            if not bead.other:
                writer.writerow([csv_cell(cell, excel_safe) for cell in csv_row(bead, alignment.document.name)])
    return buffer.getvalue()


def csv_cell(text: str, excel_safe: bool = False) -> str:
    """One cell: lone surrogates replaced by U+FFFD; with `excel_safe`, "'" before a leading =, +, -, @,
    tab or carriage return, so that a spreadsheet shows the text instead of evaluating it (OWASP CSV injection)."""
    text = _SURROGATES.sub("\ufffd", text)
    if excel_safe and text.startswith(_SPREADSHEET_TRIGGERS):
        return "'" + text
    return text


def csv_row(bead: Bead, document: str) -> tuple[str, ...]:
    """The CSV cells of one bead, in CSV_COLUMNS order."""
    return (
        document,
        side_text(bead.ru),
        side_text(bead.en),
        score_text(bead_score(bead)),
        bead.kind,
        line_range(bead.ru),
        line_range(bead.en),
    )


# --- JSONL -------------------------------------------------------------------------------------------


def jsonl_text(alignment: Alignment) -> str:
    """One JSON object per bead, in order, each line ending in '\\n' (so documents concatenate)."""
    return "".join(json_line(jsonl_record(bead, alignment)) + "\n" for bead in alignment.beads)


def jsonl_record(bead: Bead, alignment: Alignment) -> dict[str, object]:
    """The JSON object of one bead: ru, en, [other,] score, kind — in that key order."""
    document = alignment.document
    record: dict[str, object] = {
        "ru": json_side(document.ru_file, bead.ru),
        "en": json_side(document.en_file, bead.en),
    }
    if bead.other:
        first = bead.other[0]
        record["other"] = {**json_side(first.file, bead.other), "lang": first.detected or "other"}
    record["score"] = round(bead_score(bead), 4)
    record["kind"] = bead.kind
    return record


def json_side(file: str, segments: Sequence[Segment]) -> dict[str, object]:
    """{"file", "spans", "text"} for one side: one [start, end] span per segment."""
    return {
        "file": file,
        "spans": [[segment.start, segment.end] for segment in segments],
        "text": side_text(segments),
    }


def json_line(record: dict[str, object]) -> str:
    """`record` as one line of JSON, non-ASCII kept except characters that readers may split lines on."""
    line = json.dumps(record, ensure_ascii=False)
    for char, escape in _JSON_LINE_BREAKS:
        line = line.replace(char, escape)
    # A lone surrogate is kept as a \\udXXX escape: valid JSON, and json.loads gives back the same string.
    return _SURROGATES.sub(lambda match: f"\\u{ord(match[0]):04x}", line)


# --- files -------------------------------------------------------------------------------------------


def write_document(
    alignment: Alignment, out_dir: Path, formats: Sequence[str], *, version: str, excel_safe: bool = False
) -> list[Path]:
    """Write out_dir/<document.name>.<fmt> for each requested format; return the paths written."""
    name = output_stem(alignment.document.name)
    texts = {
        "tmx": lambda: tmx_text([alignment], version=version),
        "csv": lambda: csv_text([alignment], excel_safe=excel_safe),
        "jsonl": lambda: jsonl_text(alignment),
    }
    paths = []
    for fmt in checked_formats(formats):
        path = Path(out_dir) / f"{name}.{fmt}"
        write_atomic(path, texts[fmt]())
        paths.append(path)
    return paths


def write_corpus(
    alignments: list[Alignment], out_dir: Path, formats: Sequence[str], *, version: str, excel_safe: bool = False
) -> list[Path]:
    """Write out_dir/corpus.<fmt> for each requested format; return the paths written."""
    texts = {
        "tmx": lambda: tmx_text(alignments, version=version),
        "csv": lambda: csv_text(alignments, excel_safe=excel_safe),
        "jsonl": lambda: "".join(jsonl_text(alignment) for alignment in alignments),
    }
    paths = []
    for fmt in checked_formats(formats):
        path = Path(out_dir) / f"corpus.{fmt}"
        write_atomic(path, texts[fmt]())
        paths.append(path)
    return paths


def checked_formats(formats: Sequence[str]) -> list[str]:
    """`formats` without repeats, in the order given; ValueError for a format not in FORMATS."""
    if isinstance(formats, str):
        raise TypeError(f"formats must be a sequence of names, not the string {formats!r}")
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise ValueError(f"unknown output format(s) {', '.join(map(repr, unknown))}; use {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def output_stem(name: str) -> str:
    """`name` as a file stem inside the output directory, else ValueError (a name that is empty, "." or "..",
    or holds a path separator or NUL could write elsewhere: align.load.safe_name never produces one).

    A name too long for "<name>.jsonl" to fit in 255 bytes is cut and given a hash of the whole name, so
    distinct long names stay distinct.
    """
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"document name {name!r} cannot be used as an output file name")
    limit = _MAX_NAME_BYTES - _LONGEST_SUFFIX
    if len(os.fsencode(name)) <= limit:
        return name
    digest = hashlib.blake2b(os.fsencode(name), digest_size=4).hexdigest()
    return f"{truncated(name, limit - len(digest) - 1)}~{digest}"
