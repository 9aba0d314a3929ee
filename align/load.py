"""First pipeline stage: find the input files (layouts, pairs, limits) and decode them into Sources."""

from __future__ import annotations

import os
import posixpath
import re
import stat
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from align.decoding import UndecodableError, decoded, decoding_notes
from align.layouts import (
    DEFAULT_TAGS,
    Side,
    Tags,
    docusaurus_english_side,
    partner_candidates,
    side_of,
)
from align.model import OTHER_SIDE, Source
from align.readers import is_bilingual, suffixes

TEXT_SUFFIXES = suffixes()  # every suffix a reader takes (align/readers/)
RESERVED_NAME = "corpus"  # out/corpus.tmx etc.
STDIN = "-"  # a path that means standard input (one mixed page, named "stdin")
_STDIN_PATHS = ("/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")  # read with "-", which also names the document
OUTPUT_MARKER = "signature.json"  # align writes one into every output folder (align.runner)
OUTPUT_SIGNATURE = "align-signature/"  # the format name it holds
OUTPUT_MARKER_BYTES = 200
DEFAULT_MAX_BYTES = 50_000_000
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
    """`files` sorted, keeping only the first path of each file reached more than once (compared by real path)."""
    seen: set[str] = set()
    result: list[str] = []
    folders: dict[str, str] = {}  # each folder's real path, resolved once for all the files in it
    for path in sorted(files):
        real = real_path(path, folders)
        if real not in seen:
            seen.add(real)
            result.append(path)
    return result


def real_path(path: str, folders: dict[str, str]) -> str:
    """os.path.realpath(path), its folder's taken from (or added to) `folders`: a file that is no symbolic link is
    its folder's real path and its name, so a tree's 400 pages cost one lstat each instead of one per component of
    their path (realpath's). Where realpath also settles a name's case (Windows), every path goes to it."""
    folder, name = os.path.split(path)
    if os.path is not posixpath or name in ("", os.curdir, os.pardir) or os.path.islink(path):
        return os.path.realpath(path)
    if folder not in folders:
        folders[folder] = os.path.realpath(folder or os.curdir)
    return os.path.join(folders[folder], name)


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


# -------------------------------------------------------------------- reading (align.decoding decodes)


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """The decoded file at `path`; raises InputError if it is missing, unreadable, too large or binary."""
    return source_of(path, file_bytes(path, max_bytes))


def source_of(path: str, data: bytes) -> Source:
    """The decoded bytes of the file `path` (raises InputError for binary or undecodable data), with a note
    when bytes that are not UTF-8 were replaced."""
    try:
        text, encoding = decoded(data)
    except UndecodableError as error:
        raise input_error(path, str(error)) from None
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
