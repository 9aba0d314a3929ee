"""Decoding a file's bytes without altering text silently: BOM, UTF-8 (a few bad bytes replaced, with a note),
or a legacy Cyrillic codec only when the whole file reads as Russian in it."""

from __future__ import annotations

import codecs
import re

CYRILLIC_CODECS = ("cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic")
# Without a BOM and with no NUL bytes these are never the right guess for Russian/English text.
_IMPLAUSIBLE_CODECS = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be", "utf_7")

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
REPLACEMENT = "\ufffd"  # what a byte that is not UTF-8 becomes in a mostly-UTF-8 file
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")  # bytes that were not UTF-8, as surrogateescape leaves them
# Valid multi-byte characters per bad byte for a file to be read as UTF-8 with repairs: in text of a legacy codec
# nearly every high byte is a bad one (cp1251 text: about 1 valid character per 100 bad bytes).
_UTF8_EVIDENCE = 4


class UndecodableError(ValueError):
    """Bytes that are not text in any encoding align reads (the message is the problem, without the file)."""


def decoded(data: bytes) -> tuple[str, str]:
    """(text, codec name) for a file's bytes: BOM, then UTF-8, then a detected legacy codec; raises
    UndecodableError (binary data, a false BOM, no codec that fits)."""
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
                raise UndecodableError(f"{problem} (byte {error.start})") from None
    if b"\x00" in data:
        raise UndecodableError("binary file, not text")
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
        raise UndecodableError("binary file, not text (no text encoding fits)")
    try:
        return data.decode(codec), codec
    except (UnicodeDecodeError, LookupError):
        raise UndecodableError(f"cannot decode as detected encoding {codec}") from None


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
    import charset_normalizer  # here: only bytes that are not UTF-8 need it (15 ms of every run's start-up)

    match = charset_normalizer.from_bytes(data, cp_exclusion=list(_IMPLAUSIBLE_CODECS)).best()
    if match is None:
        return None
    name = match.encoding
    return name.replace("_", "-") if name.startswith("utf_") else name
