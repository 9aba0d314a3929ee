"""`align pair A B`: two files or two folders, in either order, checked to be one Russian and one English side."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from align.load import DEFAULT_MAX_BYTES, Input, InputError, Skipped, text_files, with_unique_names

SAMPLE_CHARS = 200_000  # of each file's text, enough to tell its script
SAMPLE_FILES = 20  # of a folder
DOMINANT_SHARE = 0.7  # a side is Russian (English) when this share of its letters is Cyrillic (Latin): else mixed
LANGUAGE_NAMES = {"ru": "Russian", "en": "English"}


@dataclass
class Explicit:
    """What `align pair` found: the inputs, one-line errors and notes (e.g. that the files were swapped)."""

    inputs: list[Input] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    max_bytes: int = DEFAULT_MAX_BYTES  # larger files are not sampled (the size limit refuses them)


def explicit_pair(first: str, second: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Explicit:
    """The pair `align pair FIRST SECOND` names: FIRST is meant to be Russian, but a swapped pair is swapped back
    (with a note) and two files in one language are an error."""
    if os.path.realpath(first) == os.path.realpath(second):
        return Explicit(errors=[f"{first}: the same file twice; align pair takes a Russian and an English file"])
    if os.path.isdir(first) and os.path.isdir(second):
        return folder_pair(first, second, max_bytes)
    missing = [f"{path}: no such file" for path in (first, second) if not os.path.isfile(path)]
    if missing:
        return Explicit(errors=missing)
    found = Explicit(max_bytes=max_bytes)
    ru, en = ordered(first, second, [first], [second], found)
    if ru:
        found.inputs = with_unique_names([Input(name=pair_name(ru), paths=(ru, en))])
    return found


def pair_name(ru_file: str) -> str:
    """The document name of an explicit pair: the Russian file's stem without its language tag (x.ru, x_rus)."""
    from align.layouts import SUFFIX_NAME

    name = os.path.basename(ru_file)
    match = SUFFIX_NAME.match(name)
    return (match["stem"] if match else os.path.splitext(name)[0]) or "pair"


def folder_pair(first: str, second: str, max_bytes: int) -> Explicit:
    """Two folders of the same pages (docs/ru and docs/en): files paired by their path below each folder."""
    found = Explicit(max_bytes=max_bytes)
    first_files, first_errors = text_files(first)
    second_files, second_errors = text_files(second)
    for error in first_errors + second_errors:
        (found.notes if isinstance(error, Skipped) else found.errors).append(str(error))
    ru_root, en_root = ordered(first, second, first_files, second_files, found)
    if not ru_root:
        return found
    ru_files, en_files = (first_files, second_files) if ru_root == first else (second_files, first_files)
    ru_pages = {os.path.relpath(path, ru_root): path for path in ru_files}
    en_pages = {os.path.relpath(path, en_root): path for path in en_files}
    inputs = []
    for page in sorted(set(ru_pages) | set(en_pages)):
        stem = os.path.splitext(page)[0].replace(os.sep, "/")
        if page in ru_pages and page in en_pages:
            inputs.append(Input(name=stem, paths=(ru_pages[page], en_pages[page])))
        else:
            lone = ru_pages.get(page) or en_pages[page]
            inputs.append(Input(name=stem, paths=(lone,), missing="en" if page in ru_pages else "ru"))
    found.inputs = with_unique_names(inputs)
    return found


def ordered(first: str, second: str, first_sample: list[str], second_sample: list[str], found: Explicit) -> tuple[str, str]:  # noqa: E501
    """(Russian side, English side) of the two, by the script their text is written in; ("", "") after an
    error (both sides in one language)."""
    first_lang, second_lang = language_of(first_sample, found.max_bytes), language_of(second_sample, found.max_bytes)
    if first_lang and first_lang == second_lang:
        language = LANGUAGE_NAMES[first_lang]
        found.errors.append(f"{first}, {second}: both are {language}; align pair takes a Russian and an English side")
        return "", ""
    if first_lang == "en" or second_lang == "ru":
        found.notes.append(f"{first} is English and {second} Russian: aligned the other way round")
        return second, first
    return first, second


def language_of(paths: list[str], max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """"ru" or "en": the script most of the letters of (a sample of) the files are written in; "" if none."""
    from align.language import script_letters
    from align.readers import reader_for

    cyrillic = latin = 0
    for path in paths[:SAMPLE_FILES]:
        try:
            if os.path.getsize(path) > max_bytes:
                continue  # refused by the size limit anyway
            with open(path, "rb") as handle:
                data = handle.read(max_bytes)
            reader = reader_for(path)
            source = reader.source(path, data)
            paragraphs = reader.paragraphs(source) if not getattr(reader, "bilingual", False) else []
            text = " ".join(p.text for p in paragraphs)[:SAMPLE_CHARS]  # the text only, not the markup
        except (OSError, InputError):
            continue  # the pipeline reports an unreadable file itself
        counts = script_letters(text)
        cyrillic, latin = cyrillic + counts[0], latin + counts[1]
    if max(cyrillic, latin) < DOMINANT_SHARE * (cyrillic + latin) or not cyrillic + latin:
        return ""  # mixed pages, or no letters: the order given stands
    return "ru" if cyrillic > latin else "en"
