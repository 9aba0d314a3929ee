"""Rule `glossary` (a term in any word form not rendered as prescribed), and reading a glossary CSV file."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from align.checks.pairs import checked_pairs, pair_finding
from align.checks.text import joined, other_lang, side, source_lang, target_lang
from align.model import Alignment, Finding
from align.sidefiles import side_text

if TYPE_CHECKING:
    import snowballstemmer

    from align.checks.options import CheckOptions

WORD = re.compile(r"\w+")
STEMMER_LANGUAGES = {"ru": "russian", "en": "english"}  # Snowball's names
DELIMITERS = (",", ";", "\t")  # of a glossary CSV file, told by its header line; comma when none is there
COLUMNS = ("ru", "en")  # required in a glossary's header row

Form = tuple[str, str]  # a word as (casefolded word with "ё" as "е", its stem)


@dataclass(frozen=True)
class Term:
    """A glossary term oriented from the source language, with its accepted translations (several entries
    for one term are alternatives); texts as written, words as (word, stem)."""

    source: str
    targets: tuple[str, ...]
    source_forms: tuple[Form, ...]
    target_forms: tuple[tuple[Form, ...], ...]  # one per target


@dataclass
class Stems:
    """A Snowball stemmer with a memo of the words it has stemmed (one per language and document checked:
    stemming is slow)."""

    stemmer: snowballstemmer.Stemmer
    known: dict[str, str] = field(default_factory=dict)

    def of(self, word: str) -> str:
        """The stem of `word`."""
        if word not in self.known:
            self.known[word] = self.stemmer.stemWord(word)
        return self.known[word]


# ---------------------------------------------------------------------------------------- the rule


def glossary_violations(alignment: Alignment, options: CheckOptions) -> list[Finding]:
    """Paired beads whose source uses a glossary term of `options.terms` (in any word form) while the
    translation lacks the term's prescribed translation."""
    if not options.terms:
        return []
    import snowballstemmer  # 0.1 s to import (every language's stemmer): only when there is a glossary

    stemmers = {lang: Stems(snowballstemmer.stemmer(name)) for lang, name in STEMMER_LANGUAGES.items()}
    src, tgt = source_lang(options), target_lang(options)
    terms = glossary_terms(options.terms, stemmers, src)
    index = terms_by_first_word(terms)
    result = []
    for pair in checked_pairs(alignment, options):
        source_words = word_forms(joined(side(pair.bead, src)), stemmers[src])
        candidates = sorted({i for word in source_words for form in word for i in index.get(form, ())})
        found = [terms[i] for i in candidates if contains_term(source_words, terms[i].source_forms)]
        target_words = word_forms(joined(side(pair.bead, tgt)), stemmers[tgt]) if found else []
        for term in found:
            if not any(contains_term(target_words, forms) for forms in term.target_forms):
                wanted = " or ".join(f'"{target}"' for target in term.targets)
                message = f'glossary: "{term.source}" should be translated as {wanted}'
                result.append(pair_finding(alignment, pair.bead, "glossary", message, options))
    return result


def glossary_terms(glossary: Iterable[tuple[str, str]], stemmers: dict[str, Stems], source: str) -> list[Term]:
    """The glossary's terms in the `source` language, in order, each with every translation it is given."""
    target = other_lang(source)
    translations: dict[str, list[str]] = {}
    for ru, en in glossary:
        texts = {"ru": ru, "en": en}
        if texts[target] not in translations.setdefault(texts[source], []):
            translations[texts[source]].append(texts[target])
    result = []
    for term, targets in translations.items():
        forms = tuple(word_forms(term, stemmers[source]))
        if forms:
            target_forms = tuple(tuple(word_forms(text, stemmers[target])) for text in targets)
            result.append(Term(term, tuple(targets), forms, target_forms))
    return result


def terms_by_first_word(terms: Sequence[Term]) -> dict[str, list[int]]:
    """Indices of `terms` by the first source word and its stem: a word can only start a term whose first
    word or stem equals the word or the word's stem."""
    index: dict[str, list[int]] = {}
    for number, term in enumerate(terms):
        for form in dict.fromkeys(term.source_forms[0]):
            index.setdefault(form, []).append(number)
    return index


def word_forms(text: str, stems: Stems) -> list[Form]:
    """Each word of `text` as (casefolded word with "ё" as "е", its stem)."""
    return [(word, stems.of(word)) for word in WORD.findall(text.casefold().replace("ё", "е"))]


def contains_term(words: Sequence[Form], term: Sequence[Form]) -> bool:
    """Whether the words of `term` occur consecutively in `words`, each in some form of the term's word.

    A word matches a term word when they are equal or the word's stem is the term word or its stem
    ("трибуналом" → "трибунал"; the stemmer cuts "трибунал" itself to "трибуна").
    """
    if not term:
        return False
    first, rest = term[0], term[1:]
    for start in range(len(words) - len(term) + 1):
        if same_word(words[start], first) and all(
            same_word(word, term_word) for word, term_word in zip(words[start + 1 :], rest, strict=False)
        ):
            return True
    return False


def same_word(word: Form, term_word: Form) -> bool:
    """Whether `word` is a form of `term_word`."""
    return word[0] == term_word[0] or word[1] in term_word


# ---------------------------------------------------------------------------------------- the file


def read_glossary(path: str) -> tuple[tuple[str, str], ...]:
    """The (ru, en) term pairs of a CSV file with a header row naming the columns ru and en (UTF-8, BOM ok;
    comma, semicolon or tab separated). Raises ValueError("PATH: problem") for a file that cannot be used."""
    if path.lower().endswith(".tbx"):
        raise ValueError(f"{path}: TBX glossaries are not supported; use a CSV file with the header ru,en")
    try:
        text = side_text(path)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise ValueError(f"{path}: cannot read: {error.strerror or error}") from None
    return glossary_rows(path, text)


def glossary_rows(path: str, text: str) -> tuple[tuple[str, str], ...]:
    """The term pairs of the CSV `text` read from `path`, duplicates dropped."""
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = next((d for d in DELIMITERS if d in header_line), DELIMITERS[0])
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    pairs: list[tuple[str, str]] = []
    try:
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = glossary_header(path, rows.line_num, row)
            else:
                pairs.append(glossary_row(path, rows.line_num, header, row))
    except csv.Error as error:
        raise ValueError(f"{path}: not a valid CSV file: {error}") from None
    if header is None:
        raise ValueError(f"{path}: empty file; expected a header row with the columns ru,en")
    return tuple(dict.fromkeys(pairs))


def glossary_header(path: str, number: int, row: list[str]) -> list[str]:
    """The column names of header row `row` (line `number` of `path`), casefolded; it must name ru and en."""
    header = [cell.strip().casefold() for cell in row]
    if not all(column in header for column in COLUMNS):
        raise ValueError(f"{path}: line {number}: expected a header row with the columns ru,en")
    return header


def glossary_row(path: str, number: int, header: list[str], row: list[str]) -> tuple[str, str]:
    """The (ru, en) terms of row `row` (line `number` of `path`); neither may be empty."""
    ru_column, en_column = header.index("ru"), header.index("en")
    if len(row) <= max(ru_column, en_column):
        raise ValueError(f"{path}: line {number}: expected {len(header)} columns, found {len(row)}")
    ru, en = row[ru_column].strip(), row[en_column].strip()
    if not ru or not en:
        raise ValueError(f"{path}: line {number}: empty {'Russian' if not ru else 'English'} term")
    return ru, en
