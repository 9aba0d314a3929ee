"""First pipeline stage: find the input files (layouts, pairs, limits) and decode them into Sources."""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

import charset_normalizer

from align.layouts import (
    DEFAULT_TAGS,
    OTHER_SIDE,
    Side,
    Tags,
    docusaurus_english_side,
    partner_candidates,
    side_of,
)
from align.model import Source
from align.readers import is_bilingual, suffixes

TEXT_SUFFIXES = suffixes()  # every suffix a reader takes (align/readers/)
RESERVED_NAME = "corpus"  # out/corpus.tmx etc.
STDIN = "-"  # a path that means standard input (one mixed page, named "stdin")
_STDIN_PATHS = ("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")  # read with "-", which also names the document
OUTPUT_MARKER = "signature.json"  # align writes one into every output folder (align.runner)
OUTPUT_SIGNATURE = "align-signature/"  # the format name it holds
OUTPUT_MARKER_BYTES = 200
CYRILLIC_CODECS = ("cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic")
# Without a BOM and with no NUL bytes these are never the right guess for Russian/English text.
_IMPLAUSIBLE_CODECS = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be", "utf_7")

# "X.ru.txt", "X_en.md", "X-RU.txt": stem, separator, language tag, extension.

# Russian letters, most frequent first: the cost of a letter in a decoding guess grows with its rank.
_RUSSIAN_BY_FREQUENCY = "оеаинтсрвлкмдпуяызьбгчйхжшюцщэфъё"
_TYPOGRAPHY = "«»„“”‘’‚—–…№•·§°±©®™€\u00a0"
_FOREIGN_COST = 12.0  # a symbol or a non-Russian letter where a legacy codec put a high byte
_TYPOGRAPHY_COST = 3.0
_CASE_FLIP_COST = 8.0  # "лФП": upper case after lower case inside a word, typical of a wrong codec
_MAX_MEAN_COST = 6.0
_MIN_GOOD_LETTERS = 2
# A legacy codec must give at least one Russian word: a letter then two lower-case letters, or three capitals.
_RUSSIAN_WORD = re.compile("[А-ЯЁа-яё][а-яё]{2}|[А-ЯЁ]{3}")
# Fewer high bytes than this outside a Russian reading tell no codec apart (charset-normalizer then guesses
# gb18030 or mac_cyrillic for a stray CESU-8 surrogate): the file is read as UTF-8 with those bytes replaced.
_MIN_DETECTION_BYTES = 16
_SAMPLE_WINDOWS = 8
_SAMPLE_WINDOW_BYTES = 8_192
DEFAULT_MAX_BYTES = 50_000_000
REPLACEMENT = "\ufffd"  # what a byte that is not UTF-8 becomes in a mostly-UTF-8 file
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")  # bytes that were not UTF-8, as surrogateescape leaves them
# Valid multi-byte characters per bad byte for a file to be read as UTF-8 with repairs: in text of a legacy codec
# nearly every high byte is a bad one (cp1251 text: about 1 valid character per 100 bad bytes).
_UTF8_EVIDENCE = 4
# In an output file name: path separators, controls (C0, DEL, C1) and bidirectional overrides/isolates, which
# can make "evil\u202etxt.csv" display as "evilvsc.txt".
_UNSAFE_IN_NAME = re.compile("[/\\\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SIZE = re.compile(r"^\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[kmg]i?b?|b)?\s*$", re.IGNORECASE)


class InputError(Exception):
    """A user's mistake about an input; str(e) is one line naming the file and the problem."""


class Skipped(InputError):
    """Something left out on purpose (align's own output folder, files no reader takes): a note, not an error."""


def input_error(path: str, problem: str) -> InputError:
    """An InputError whose message is "PATH: PROBLEM" on one line."""
    shown = path.replace("\r", "\\r").replace("\n", "\\n")
    return InputError(f"{shown}: {problem}")


@dataclass(frozen=True)
class Input:
    """One document to align: a mixed-language file or a RU + EN pair."""

    name: str  # output stem: "X" for X.ru.txt + X.en.txt, the file stem for a single file
    paths: tuple[str, ...]  # (path,) for a mixed article; (ru_path, en_path) for a pair
    missing: str = ""  # "ru" or "en": a page of a two-language tree whose other side does not exist

    @property
    def is_pair(self) -> bool:
        return len(self.paths) == 2


# ---------------------------------------------------------------------------------------- finding inputs


def find_inputs(
    paths: Sequence[str], keep_notes: bool = False, tags: Tags = DEFAULT_TAGS
) -> tuple[list[Input], list[InputError]]:
    """Inputs found under `paths` (files or directories), sorted by path, with unique names; and errors (with
    `keep_notes`, also the Skipped notes: output folders and files no reader takes)."""
    files: list[str] = []
    errors: list[InputError] = []
    for path in paths:
        found, problems = text_files(path)
        files.extend(found)
        errors.extend(problems)
    inputs = sorted(paired_inputs(distinct_files(files), tags), key=lambda item: item.paths)
    return with_unique_names(inputs), [e for e in errors if keep_notes or not isinstance(e, Skipped)]


def with_partners(paths: Sequence[str], tags: Tags = DEFAULT_TAGS) -> list[str]:
    """`paths` plus the other half of every page named alone (X.ru.md for X.en.md, docs/ru/x.md for docs/en/x.md,
    the i18n page of a Docusaurus doc): a pre-commit hook passes only the changed file, but the page must still
    be aligned as a pair."""
    result = list(paths)
    for path in paths:
        if not os.path.isfile(path):
            continue
        partner = next((p for p in partner_candidates(path, tags) if os.path.isfile(p)), None)
        if partner is not None and partner not in result:
            result.append(partner)
    return result


def text_files(path: str) -> tuple[list[str], list[InputError]]:
    """The file `path`, or the files below the directory `path` that a reader takes ("-": standard input, a
    mixed page); and errors on the way."""
    if path == STDIN:
        return [path], []
    if os.path.isdir(path):
        return files_below(path)
    if os.path.isfile(path):
        return [path], []
    return [], [not_a_file(path)]


def not_a_file(path: str) -> InputError:
    """The error for a path that is neither a regular file nor a folder: what it is instead (a broken or
    looping link, a pipe, a device, standard input), or that it does not exist."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return input_error(path, f"broken symbolic link (to {os.readlink(path)}, which does not exist)")
        return input_error(path, "no such file or directory")
    except OSError as error:
        if os.path.islink(path):
            return input_error(path, f"looping symbolic link ({error.strerror or error})")
        return input_error(path, f"cannot read: {error.strerror or error}")
    kind = special_kind(info.st_mode)
    if path in _STDIN_PATHS:
        return input_error(path, f"standard input ({kind}); use - to read it")
    if os.path.islink(path):
        return input_error(path, f"symbolic link to {os.path.realpath(path)}, {kind}, not a regular file")
    return input_error(path, f"{kind}, not a regular file")


def special_kind(mode: int) -> str:
    """What a file that is not regular is, in words ("a pipe", "a character device", …)."""
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def files_below(root: str) -> tuple[list[str], list[InputError]]:
    """Non-hidden files below `root` that a reader takes, not following symlinked directories, nor symlinked
    files that lead outside `root` (each of those is reported). align's own output folders (they hold a
    signature.json) are left out, and so are files no reader takes: one Skipped note each for those."""
    found: list[str] = []
    errors: list[InputError] = []
    unreadable: list[str] = []
    real_root = os.path.realpath(root)

    def report(error: OSError) -> None:
        errors.append(input_error(str(error.filename or root), error.strerror or str(error)))

    for directory, subdirectories, names in os.walk(root, onerror=report):
        if directory != root and is_output_folder(directory, names):
            errors.append(Skipped(f"{directory}: align's output folder, not read"))
            subdirectories[:] = []
            continue
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = os.path.join(directory, name)
            if not name.lower().endswith(TEXT_SUFFIXES):
                unreadable.append(path)
            elif os.path.isfile(path) and os.path.islink(path) and not is_inside(os.path.realpath(path), real_root):
                errors.append(input_error(path, f"symbolic link to a file outside {root}, skipped"))
            elif os.path.isfile(path):
                found.append(path)
            elif os.path.islink(path) and not os.path.exists(path):
                errors.append(not_a_file(path))
            else:  # a pipe, a device or a socket (or a link to one) with a reader's suffix: never read
                errors.append(Skipped(f"{not_a_file(path)}, skipped"))
    if unreadable:
        errors.append(skipped_files(root, unreadable))
    return found, errors


def is_output_folder(directory: str, names: list[str]) -> bool:
    """Whether `directory` is one align wrote (its signature.json says so)."""
    if OUTPUT_MARKER not in names:
        return False
    try:
        with open(os.path.join(directory, OUTPUT_MARKER), encoding="utf-8", errors="replace") as handle:
            return OUTPUT_SIGNATURE in handle.read(OUTPUT_MARKER_BYTES)
    except OSError:
        return False


def skipped_files(root: str, paths: list[str]) -> Skipped:
    """One note for the files below `root` that no reader takes."""
    kinds = sorted({os.path.splitext(path)[1].lower() or "(no suffix)" for path in paths})
    count = f"{len(paths)} file{'s' if len(paths) != 1 else ''}"
    return Skipped(f"{root}: {count} skipped, no reader for {', '.join(kinds)} (first: {paths[0]})")


def is_inside(path: str, directory: str) -> bool:
    """Whether the (real, absolute) `path` is `directory` or below it."""
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:  # different drives on Windows
        return False


def distinct_files(files: Sequence[str]) -> list[str]:
    """`files` sorted, keeping only the first path of each file reached more than once."""
    seen: set[str] = set()
    result: list[str] = []
    for path in sorted(files):
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            result.append(path)
    return result


def paired_inputs(files: Sequence[str], tags: Tags = DEFAULT_TAGS) -> list[Input]:
    """One Input per page: the two languages' files of a layout (align.layouts: X.ru.md + X.en.md, docs/en/… +
    docs/ru/…, Docusaurus i18n) make one; a page of a two-language tree with one side only is an Input with
    `missing` set; any other file is a single (mixed) document."""
    sides = {path: None if is_bilingual(path) else side_of(path, tags) for path in files}  # a .po holds both languages
    keyed: dict[tuple[str, ...], dict[str, list[str]]] = {}
    for path, side in sides.items():
        if side is not None:
            keyed.setdefault(side.key, {"ru": [], "en": []})[side.lang].append(path)
    translated_roots = {side.root for side in sides.values() if side is not None and side.style == "docusaurus"}
    for path in files:  # untagged English pages of a Docusaurus site that has translations
        english = docusaurus_english_side(path) if sides[path] is None else None
        if english is not None and english.root in translated_roots:
            sides[path] = english
            keyed.setdefault(english.key, {"ru": [], "en": []})["en"].append(path)
    both = languages_per_root(sides)
    paired: dict[str, Input] = {}
    for found in keyed.values():
        if found["ru"] and found["en"]:
            ru, en = found["ru"][0], found["en"][0]
            paired[ru] = paired[en] = Input(name=sides[ru].name, paths=(ru, en))  # type: ignore[union-attr]
    result: list[Input] = []
    for path in files:
        pair, side = paired.get(path), sides[path]
        if pair is not None:
            if pair.paths[0] == path:
                result.append(pair)
        elif side is not None and side.style != "suffix" and len(both.get(side.root, ())) == 2:
            result.append(Input(name=side.name, paths=(path,), missing=OTHER_SIDE[side.lang]))
        else:
            result.append(Input(name=single_name(path), paths=(path,)))
    return result


def languages_per_root(sides: dict[str, Side | None]) -> dict[tuple[str, ...], set[str]]:
    """For each tree root, the languages that have at least one page under it."""
    found: dict[tuple[str, ...], set[str]] = {}
    for side in sides.values():
        if side is not None and side.style != "suffix":
            found.setdefault(side.root, set()).add(side.lang)
    return found


def single_name(path: str) -> str:
    """Output stem of a single file: its name without the last extension ("X.ru" for X.ru.txt); "stdin"."""
    if path == STDIN:
        return "stdin"
    return os.path.splitext(os.path.basename(path))[0] or os.path.basename(path)


def safe_name(name: str) -> str:
    """`name` usable as an output file stem: path separators, control and bidi-override characters become
    "_", and "", "." and ".." (which name no file inside the output folder) get a "_" in front."""
    name = _UNSAFE_IN_NAME.sub("_", name)
    return f"_{name}" if name in ("", ".", "..") else name


def name_key(name: str) -> str:
    """The form in which two names clash on a case-insensitive or normalising file system (Windows, macOS):
    canonical caseless matching, so "Doc", "DOC" and "doc" clash, and so do "é" and "e" + U+0301."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())


def with_unique_names(inputs: Sequence[Input]) -> list[Input]:
    """`inputs` with safe names (safe_name), repeated ones (compared as name_key does) suffixed "-2", "-3", …

    "corpus" is taken by the corpus-wide output files, so a document of that name becomes "corpus-2".
    """
    original = {name_key(safe_name(item.name)) for item in inputs}
    used: set[str] = {RESERVED_NAME}
    result: list[Input] = []
    for item in inputs:
        name = safe_name(item.name)
        if name_key(name) in used:
            number = 2
            while name_key(f"{name}-{number}") in used | original:
                number += 1
            name = f"{name}-{number}"
        used.add(name_key(name))
        result.append(item if name == item.name else replace(item, name=name))
    return result


def parse_size(text: str) -> int:
    """Bytes in a size such as "50MB", "50M", "1.5GB", "512KiB" or "1000" (K/M/G are powers of 1000, KiB/MiB/GiB
    of 1024); ValueError for anything else."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a size (use e.g. 50MB, 500K, 1GB or a number of bytes)")
    unit = (match["unit"] or "b").lower()
    base = 1024 if "i" in unit else 1000
    power = {"b": 0, "k": 1, "m": 2, "g": 3}[unit[0]]
    size = int(float(match["number"]) * base**power)
    if size < 1:
        raise ValueError(f"{text!r}: the size must be at least one byte")
    return size


def within_size_limit(inputs: Sequence[Input], max_bytes: int) -> tuple[list[Input], list[InputError]]:
    """The inputs whose files are all at most `max_bytes` long, and one error per file that is longer
    (read_source checks again while reading; files that cannot be examined are left to it)."""
    kept: list[Input] = []
    errors: list[InputError] = []
    for item in inputs:
        too_large = []
        for path in item.paths:
            try:
                size = os.stat(path).st_size
            except OSError:
                continue
            if size > max_bytes:
                too_large.append(input_error(path, f"file too large ({size} bytes, limit {max_bytes})"))
        errors.extend(too_large)
        if not too_large:
            kept.append(item)
    return kept, errors


# ---------------------------------------------------------------------------------------- decoding


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """The decoded file at `path`; raises InputError if it is missing, unreadable, too large or binary."""
    return source_of(path, file_bytes(path, max_bytes))


def source_of(path: str, data: bytes) -> Source:
    """The decoded bytes of the file `path` (raises InputError for binary or undecodable data), with a note
    when bytes that are not UTF-8 were replaced."""
    text, encoding = decoded(path, data)
    notes = decoding_notes(path, data, text) if encoding == "utf-8" else ()
    return Source(path=path, text=text, encoding=encoding, notes=notes)


def file_bytes(path: str, max_bytes: int) -> bytes:
    """The content of the regular file at `path` ("-": standard input), at most `max_bytes` long."""
    if path == STDIN:
        return within_limit(path, sys.stdin.buffer.read(max_bytes + 1), max_bytes)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise input_error(path, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise input_error(path, "not a regular file")
        if info.st_size > max_bytes:
            raise input_error(path, f"file too large ({info.st_size} bytes, limit {max_bytes})")
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise read_error(path, error) from None
    return within_limit(path, data, max_bytes)


def read_error(path: str, error: OSError) -> InputError:
    """The one-line InputError for a file that could not be opened or read (local or remote)."""
    if isinstance(error, FileNotFoundError):
        return input_error(path, "no such file or directory")
    if isinstance(error, PermissionError):
        return input_error(path, "permission denied")
    if isinstance(error, IsADirectoryError):
        return input_error(path, "is a directory, not a file")
    return input_error(path, f"cannot read: {error.strerror or error}")


def within_limit(path: str, data: bytes, max_bytes: int) -> bytes:
    """`data`, read as at most max_bytes + 1 bytes, or an InputError if it went past the limit."""
    if len(data) > max_bytes:
        raise input_error(path, f"file too large (over {max_bytes} bytes)")
    return data


def decoded(path: str, data: bytes) -> tuple[str, str]:
    """(text, codec name) for the bytes of the file `path`: BOM, then UTF-8, then a detected legacy codec."""
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    )
    for bom, codec, label in boms:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as error:
                problem = f"starts with a {label} byte-order mark but is not valid {label}"
                raise input_error(path, f"{problem} (byte {error.start})") from None
    if b"\x00" in data:
        raise input_error(path, "binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", "surrogateescape")  # each byte that is not UTF-8 becomes U+DC80..U+DCFF
    if mostly_utf8(escaped):
        return repaired_utf8(escaped), "utf-8"
    codec = cyrillic_codec(data)
    if codec is None and len(_NON_ASCII.findall(escaped)) < _MIN_DETECTION_BYTES:
        return repaired_utf8(escaped), "utf-8"  # too few high bytes to tell a codec: replaced, with a note
    codec = codec or detected_codec(data)
    if codec is None:
        raise input_error(path, "binary file, not text (no text encoding fits)")
    try:
        return data.decode(codec), codec
    except (UnicodeDecodeError, LookupError):
        raise input_error(path, f"cannot decode as detected encoding {codec}") from None


def mostly_utf8(escaped: str) -> bool:
    """Whether text decoded with surrogateescape is UTF-8 with a few bad bytes: valid multi-byte characters
    outnumber the bad bytes _UTF8_EVIDENCE times (a legacy codec's high bytes seldom form UTF-8 sequences)."""
    bad = len(_ESCAPED_BYTES.findall(escaped))
    valid = len(_NON_ASCII.findall(escaped)) - bad
    return valid >= _UTF8_EVIDENCE * bad


def repaired_utf8(escaped: str) -> str:
    """Text decoded with surrogateescape, each escaped (invalid) byte replaced by U+FFFD."""
    return _ESCAPED_BYTES.sub(REPLACEMENT, escaped)


def decoding_notes(path: str, data: bytes, text: str) -> tuple[str, ...]:
    """The note for a file read as UTF-8 whose invalid bytes were replaced: their number and the first one's
    line:column (in characters, from 1); () when no byte was replaced."""
    escaped = data.decode("utf-8", "surrogateescape")
    first = _ESCAPED_BYTES.search(escaped)
    if first is None or text != repaired_utf8(escaped):
        return ()
    count = len(_ESCAPED_BYTES.findall(escaped))
    line = escaped.count("\n", 0, first.start()) + 1
    column = first.start() - (escaped.rfind("\n", 0, first.start()) + 1) + 1
    bytes_ = "byte is" if count == 1 else "bytes are"
    return (f"{path}: {count} {bytes_} not valid UTF-8, replaced by U+FFFD (first at {line}:{column})",)


def cyrillic_codec(data: bytes) -> str | None:
    """The legacy Cyrillic codec under which `data` reads most like Russian, if any reads like it at all."""
    sample = sampled(data)
    plausible: list[tuple[float, int, str]] = []
    for order, codec in enumerate(CYRILLIC_CODECS):
        try:
            text = sample.decode(codec)
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        mean_cost, good_letters = russian_cost(sample, text)
        reads_as_russian = (
            good_letters >= _MIN_GOOD_LETTERS and mean_cost <= _MAX_MEAN_COST and _RUSSIAN_WORD.search(text) is not None
        )
        only_punctuation = mean_cost <= _TYPOGRAPHY_COST  # every non-ASCII byte is punctuation it explains
        if reads_as_russian or only_punctuation:
            plausible.append((mean_cost, order, codec))
    return min(plausible)[2] if plausible else None


def sampled(data: bytes) -> bytes:
    """`data`, or for long data evenly spaced windows of it joined by newlines (single-byte codecs only)."""
    if len(data) <= _SAMPLE_WINDOWS * _SAMPLE_WINDOW_BYTES:
        return data
    step = (len(data) - _SAMPLE_WINDOW_BYTES) // (_SAMPLE_WINDOWS - 1)
    starts = range(0, step * _SAMPLE_WINDOWS, step)
    return b"\n".join(data[start : start + _SAMPLE_WINDOW_BYTES] for start in starts)


def russian_cost(data: bytes, text: str) -> tuple[float, int]:
    """(mean cost per non-ASCII byte, number of well-placed Russian letters) of `text`, decoded from
    `data` by a single-byte codec; a low cost means the non-ASCII bytes read as plausible Russian."""
    total = 0.0
    count = 0
    good = 0
    for position, byte in enumerate(data):
        if byte < 0x80:
            continue
        count += 1
        char = text[position]
        before = text[position - 1] if position else " "
        after = text[position + 1] if position + 1 < len(text) else " "
        rank = _RUSSIAN_BY_FREQUENCY.find(char.lower())
        if rank < 0:
            total += _TYPOGRAPHY_COST if char in _TYPOGRAPHY else _FOREIGN_COST
        elif is_latin(before) or is_latin(after):
            total += _FOREIGN_COST
        else:
            good += 1
            total += rank / 4 + (_CASE_FLIP_COST if char.isupper() and before.islower() else 0.0)
    return (total / count if count else 0.0), good


def is_latin(char: str) -> bool:
    """Whether `char` is a Latin letter (ASCII or accented)."""
    return char.isalpha() and ("a" <= char.lower() <= "z" or "\u00c0" <= char <= "\u024f")


def detected_codec(data: bytes) -> str | None:
    """The codec charset-normalizer finds most plausible for `data`, with a normalised name."""
    match = charset_normalizer.from_bytes(data, cp_exclusion=list(_IMPLAUSIBLE_CODECS)).best()
    if match is None:
        return None
    name = match.encoding
    return name.replace("_", "-") if name.startswith("utf_") else name
