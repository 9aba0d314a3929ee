"""Which files are the two languages of one page: name suffixes (x.ru.md, x_en, x.rus), language folders at any
depth (docs/en/… ↔ docs/ru/…, Hugo content/en ↔ content/ru) and Docusaurus' i18n tree."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

from align.model import OTHER_SIDE

# Spellings of each language in names and folders, compared case-insensitively.
LANGUAGE_TAGS: dict[str, tuple[str, ...]] = {
    "ru": ("ru", "rus", "ru-ru", "ru_ru"),
    "en": ("en", "eng", "en-us", "en_us", "en-gb", "en_gb"),
}


@dataclass(frozen=True)
class Tags:
    """The spellings of each language in names and folders (the defaults, plus any align.toml adds)."""

    spellings: tuple[tuple[str, tuple[str, ...]], ...]  # (("ru", ("ru", "rus", …)), ("en", (…)))

    def of(self, lang: str) -> tuple[str, ...]:
        return dict(self.spellings)[lang]

    @functools.cached_property
    def languages(self) -> dict[str, str]:
        """tag (lower case) -> "ru" or "en"."""
        return {tag.lower(): lang for lang, tags in self.spellings for tag in tags}

    @functools.cached_property
    def suffix_name(self) -> re.Pattern[str]:
        """X.ru.md, X_en.txt, X.rus.txt …: stem, separator, tag, extension."""
        tags = "|".join(sorted((re.escape(tag) for tag in self.languages), key=len, reverse=True))
        return re.compile(rf"^(?P<stem>.+?)(?P<sep>[._-])(?P<tag>{tags})(?P<ext>\.[^./\\]+)$", re.IGNORECASE)

    def language(self, tag: str) -> str | None:
        return self.languages.get(tag.lower())


def tags_with(extra: dict[str, tuple[str, ...]] | None = None) -> Tags:
    """The default spellings with `extra` ones added per language (align.toml's `languages` table)."""
    extra = extra or {}
    spellings = ((lang, tuple(dict.fromkeys((*tags, *extra.get(lang, ()))))) for lang, tags in LANGUAGE_TAGS.items())
    return Tags(tuple(spellings))


DEFAULT_TAGS = tags_with()
SUFFIX_NAME = DEFAULT_TAGS.suffix_name
DOCUSAURUS_DOCS = ("docusaurus-plugin-content-docs", "current")  # i18n/<lang>/<these>/REL ↔ docs/REL
DOCUSAURUS_BLOG = "docusaurus-plugin-content-blog"  # i18n/<lang>/<this>/REL ↔ blog/REL
I18N = "i18n"
SEPARATORS = re.compile(r"[/\\]+")  # either separator, repeated or not
VERSIONED_DOCS = "versioned_docs"  # versioned_docs/version-X/REL ↔ i18n/<lang>/<docs plugin>/version-X/REL


@dataclass(frozen=True)
class Side:
    """One file's place in a layout: the key both languages' files share, its language, the page's name."""

    key: tuple[str, ...]
    lang: str  # "ru" or "en"
    name: str  # the document name: the stem for suffix pairs, the path below the language folder for trees
    style: str  # "suffix", "tree" or "docusaurus"
    root: tuple[str, ...] = ()  # trees: what both languages' trees hang from (the folder above en/ and ru/)


def language_of_tag(tag: str, tags: Tags = DEFAULT_TAGS) -> str | None:
    """"ru" or "en" for a language tag such as RU, rus, ru-RU, en_US; None otherwise."""
    return tags.language(tag)


def side_of(path: str, tags: Tags = DEFAULT_TAGS) -> Side | None:
    """Where `path` sits in a bilingual layout, or None for a file that names no language."""
    found = suffix_side(path, tags)
    if found is not None:
        return found
    parts = split_path(path)  # once for both layouts below: a tree's every page asks
    return docusaurus_side(path, tags, parts) or tree_side(path, tags, parts)


def suffix_side(path: str, tags: Tags = DEFAULT_TAGS) -> Side | None:
    """X.ru.md + X.en.md, X_ru.txt, X-en.txt, X.rus.txt, X.ru-RU.md … in one folder."""
    match = tags.suffix_name.match(os.path.basename(path))
    if not match:
        return None
    lang = tags.language(match["tag"])
    assert lang is not None
    key = ("suffix", os.path.dirname(path), match["stem"], match["sep"], match["ext"].lower())
    return Side(key, lang, match["stem"], "suffix")


def tree_side(path: str, tags: Tags = DEFAULT_TAGS, parts: list[str] | None = None) -> Side | None:
    """A page below a language folder (the deepest one): docs/en/guide/x.md is ("docs", *, "guide/x.md");
    `parts`: split_path(path), if the caller has it."""
    parts = split_path(path) if parts is None else parts
    for index in range(len(parts) - 2, -1, -1):  # folders only, the deepest first
        lang = tags.language(parts[index])
        if lang:
            rest = parts[index + 1 :]
            key = ("tree", *parts[:index], "\0", *rest)
            return Side(key, lang, os.path.splitext("/".join(rest))[0], "tree", ("tree", *parts[:index]))
    return None


def docusaurus_side(path: str, tags: Tags = DEFAULT_TAGS, parts: list[str] | None = None) -> Side | None:
    """i18n/ru/docusaurus-plugin-content-docs/current/x.md ↔ docs/x.md, …/version-1.0/x.md ↔
    versioned_docs/version-1.0/x.md, i18n/ru/docusaurus-plugin-content-blog/x.md ↔ blog/x.md; an English page is
    keyed as if it had a Russian side, and paired only if that side exists; `parts`: split_path(path), if the
    caller has it."""
    parts = split_path(path) if parts is None else parts
    for index in range(len(parts) - 3, -1, -1):
        if parts[index] != I18N or not tags.language(parts[index + 1]):
            continue
        lang = tags.language(parts[index + 1])
        assert lang is not None
        head, rest = parts[:index], parts[index + 2 :]
        english = docusaurus_english_parts(rest)
        if english is None:
            return None
        folder, pages = english
        name = os.path.splitext("/".join([*folder[1:], *pages]))[0]  # version-1.0/intro beside intro
        return Side(("docusaurus", *head, *folder, *pages), lang, name, "docusaurus", ("docusaurus", *head, rest[0]))
    return None


def docusaurus_english_parts(rest: list[str]) -> tuple[list[str], list[str]] | None:
    """(English folder, path below it) of a translation's path below i18n/<lang>/, or None if it is no page."""
    if rest[:1] == [DOCUSAURUS_DOCS[0]] and len(rest) > 2:
        version = rest[1]
        folder = ["docs"] if version == DOCUSAURUS_DOCS[1] else [VERSIONED_DOCS, version]
        return folder, rest[2:]
    if rest[:1] == [DOCUSAURUS_BLOG] and len(rest) > 1:
        return ["blog"], rest[1:]
    return None


def docusaurus_english_side(path: str) -> Side | None:
    """An untagged page below docs/, versioned_docs/version-X/ or blog/, keyed as its i18n translation would be
    (paired if that exists; its root names the plugin, so untranslated blog posts of a site whose docs are
    translated are not missing pages)."""
    parts = split_path(path)
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] in ("docs", "blog") or (parts[index] == VERSIONED_DOCS and index + 2 < len(parts)):
            plugin = DOCUSAURUS_BLOG if parts[index] == "blog" else DOCUSAURUS_DOCS[0]
            name = os.path.splitext("/".join(parts[index + 1 :]))[0]
            return Side(("docusaurus", *parts), "en", name, "docusaurus", ("docusaurus", *parts[:index], plugin))
    return None


def split_path(path: str) -> list[str]:
    """The components of a path, without empty ones or ".", for either separator."""
    return [part for part in SEPARATORS.split(path) if part and part != "."]


def partner_candidates(path: str, tags: Tags = DEFAULT_TAGS) -> list[str]:
    """Where the other language's file of `path` would be (for a pre-commit hook that names only one)."""
    side = side_of(path, tags)
    if side is None:
        return docusaurus_translations(path, tags)
    other = OTHER_SIDE[side.lang]
    if side.style == "suffix":
        match = tags.suffix_name.match(os.path.basename(path))
        assert match is not None
        folder, stem, sep, ext = os.path.dirname(path), match["stem"], match["sep"], match["ext"]
        return [os.path.join(folder, f"{stem}{sep}{same_case(tag, match['tag'])}{ext}") for tag in tags.of(other)]
    if side.style == "tree":
        parts = split_path(path)
        index = side.key.index("\0") - 1
        return [
            join_like(path, [*parts[:index], same_case(tag, parts[index]), *parts[index + 1 :]])
            for tag in tags.of(other)
        ]
    return [join_like(path, list(side.key[1:]))]


def docusaurus_translations(path: str, tags: Tags = DEFAULT_TAGS) -> list[str]:
    """For docs/x.md or blog/x.md: its Russian page under i18n/ (every spelling of the tag)."""
    parts = split_path(path)
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in ("docs", "blog"):
            head, rest = parts[:index], parts[index + 1 :]
            plugin = [*DOCUSAURUS_DOCS] if parts[index] == "docs" else [DOCUSAURUS_BLOG]
            return [join_like(path, [*head, I18N, tag, *plugin, *rest]) for tag in tags.of("ru")]
    return []


def same_case(tag: str, like: str) -> str:
    """`tag` written like `like`: RU for EN, ru-RU for en-US, ru for en."""
    if like.isupper():
        return tag.upper()
    if len(tag) > 3 and len(like) > 3 and like[3:].isupper():
        return tag[:3] + tag[3:].upper()
    return tag


def join_like(original: str, parts: list[str]) -> str:
    """`parts` joined as a path, absolute if `original` is."""
    joined = os.path.join(*parts) if parts else ""
    return os.sep + joined if os.path.isabs(original) else joined
