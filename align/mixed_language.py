"""Where mixed-file segments belong when their letters do not say: chapter numbers, "* * *", names, kept epigraphs."""

from __future__ import annotations

import difflib
import itertools
import math
import re
import statistics

from align.model import OTHER_SIDE, Segment

MAX_HEADING_CHARS = 40  # a paragraph this short may be a heading ("ГЛАВА IV") whose number stands alone beside it
KEPT_MIN_CHARS = 40  # a paragraph repeated in a row this long is a quotation both editions keep, not a refrain
KEPT_MIN_SIMILARITY = 0.9  # difflib ratio of two editions of one quotation (a letter's case or an "s" apart)
KEPT_MAX_LENGTH_RATIO = 1.2  # two editions of one quotation are about as long
KEPT_MIN_SHARED_WORDS = 0.5  # share of their words two editions of one quotation have in common, at least
WORDS = re.compile(r"\w+")
PAGE_MIN_SHARE = 0.25  # of a page's paragraphs in each language, when the page gives each paragraph's translation


def twin_headings(langs: list[str], segments: list[Segment]) -> list[str]:
    """In a mixed file, two paragraphs in a row that say the same thing in no language ("II", "* * *": a chapter
    heading in each language) are one paragraph of each, in the order the file gives each pair of paragraphs
    (leading_language). The paragraph before says less: one left without translation breaks the alternation."""
    result = list(langs)
    twins = [i for i in range(len(segments) - 1) if is_twin_pair(result, segments, i)]
    leading = leading_language(langs, segments) if twins else ""  # a pass over the file only when it has twins
    for i in twins if leading else ():
        if not result[i] and not result[i + 1]:  # "* * *" three times: the second and third are no pair
            result[i], result[i + 1] = leading, OTHER_SIDE[leading]
    result = [lang or heading_partner(result, segments, i) for i, lang in enumerate(result)]
    lone = [i for i, lang in enumerate(result) if not lang and alone(segments, i)]
    leading = leading or (leading_language(langs, segments) if lone else "")
    for i in lone if leading else ():
        result[i] = heading_translation(result, segments, i, leading) or one_sided_run(result, segments, i)
    return result


def kept_originals(langs: list[str], segments: list[Segment]) -> list[str]:
    """In a mixed file, two paragraphs in a row in one language with (almost) the same text, each at least
    KEPT_MIN_CHARS long, are one paragraph of each language: an epigraph or quotation the translation keeps in the
    original ("By this art you may contemplate the variation of the 23 letters…" on both sides of a Borges story).
    The file's pairs of paragraphs open with leading_language: the first of the two is that language's, the second
    the other's. A page mostly in one language is left as it is (paragraph_by_paragraph)."""
    if not paragraph_by_paragraph(langs, segments):
        return langs
    spans = paragraph_spans(segments)
    twins = [k for k in range(len(spans) - 1) if is_kept_twin(langs, segments, spans[k], spans[k + 1])]
    leading = leading_language(langs, segments) if twins else ""
    result = list(langs)
    for k in twins if leading else ():
        first, second = spans[k], spans[k + 1]
        if len({result[i] for i in first + second} - {""}) == 1:  # not one of three in a row already moved
            moved = dict.fromkeys(first, leading) | dict.fromkeys(second, OTHER_SIDE[leading])
            result = [moved.get(i, lang) if lang else lang for i, lang in enumerate(result)]
    return result


def paragraph_spans(segments: list[Segment]) -> list[list[int]]:
    """The indices of each paragraph's segments, in file order."""
    return [list(group) for _, group in itertools.groupby(range(len(segments)), key=lambda i: segments[i].paragraph)]


def is_kept_twin(langs: list[str], segments: list[Segment], first: list[int], second: list[int]) -> bool:
    """Whether two paragraphs (their segments' indices) are next to each other, wholly in one and the same language
    (Russian or English), each at least KEPT_MIN_CHARS long and of (almost) the same text."""
    if segments[second[0]].paragraph != segments[first[0]].paragraph + 1:
        return False
    found = {langs[i] for i in first + second} - {""}  # a chapter number in it says nothing
    if len(found) != 1 or not found <= set(OTHER_SIDE):
        return False
    texts = [" ".join(segments[i].text.strip() for i in members).casefold() for members in (first, second)]
    shorter, longer = sorted(len(text) for text in texts)
    if shorter < KEPT_MIN_CHARS or longer > KEPT_MAX_LENGTH_RATIO * shorter:
        return False
    words = [set(WORDS.findall(text)) for text in texts]  # a cheap test first: difflib's is quadratic
    if len(words[0] & words[1]) < KEPT_MIN_SHARED_WORDS * len(words[0] | words[1]):
        return False
    return difflib.SequenceMatcher(None, *texts, autojunk=False).ratio() >= KEPT_MIN_SIMILARITY


def paragraph_by_paragraph(langs: list[str], segments: list[Segment]) -> bool:
    """Whether a mixed file reads as paragraphs and their translations: each language holds at least
    PAGE_MIN_SHARE of the paragraphs whose language is known (not an English page quoting some Russian)."""
    known = [lang for lang, _ in paragraph_lengths(langs, segments) if lang]
    return bool(known) and min(known.count(lang) for lang in OTHER_SIDE) >= PAGE_MIN_SHARE * len(known)


def heading_translation(langs: list[str], segments: list[Segment], i: int, leading: str) -> str:
    """For a paragraph saying nothing of its language ("I") beside a short heading in capitals that holds no number,
    in a mixed file whose pairs of paragraphs open with `leading`: the heading's translation when the two make a pair
    in that order between the pairs around them ("ГЛАВА ПЕРВАЯ", "I" when Russian leads; "I", "ГЛАВА ПЕРВАЯ" when
    English does); else "" (fill_from_neighbours decides)."""
    if not 0 < i < len(segments) - 1 or not all(adjacent(segments, i, j) for j in (i - 1, i + 1)):
        return ""
    trailing = OTHER_SIDE[leading]
    if langs[i - 1] == langs[i + 1] == leading and is_capitals_heading(segments, i - 1):
        return trailing  # the heading, its number, then the next pair
    if langs[i - 1] == langs[i + 1] == trailing and is_capitals_heading(segments, i + 1):
        return leading  # the pair before, then the number and its heading
    return ""


def one_sided_run(langs: list[str], segments: list[Segment], i: int) -> str:
    """For a paragraph saying nothing of its language ("XXIV") between two paragraphs of different languages: the
    language of the one after it when the paragraph after that is of the same language, a run left without
    translation (a translation that leaves out a chapter's opening leaves out its number with it); else ""
    (fill_from_neighbours takes the paragraph before)."""
    before, after = paragraph_language(langs, segments, i - 1, i), paragraph_language(langs, segments, i + 1, i)
    if not before or not after or before == after:
        return ""
    following = paragraph_members(segments, i + 1)[-1] + 1
    return after if paragraph_language(langs, segments, following, following - 1) == after else ""


def paragraph_language(langs: list[str], segments: list[Segment], k: int, i: int) -> str:
    """The language of segment k's paragraph when it is next to segment i's: "" unless all its segments with a
    language have one and the same."""
    if not 0 <= k < len(segments) or not adjacent(segments, i, k):
        return ""
    found = {langs[j] for j in paragraph_members(segments, k) if langs[j]}
    return found.pop() if len(found) == 1 else ""


def paragraph_members(segments: list[Segment], k: int) -> range:
    """The indices of the segments of segment k's paragraph."""
    first, last = k, k
    while first > 0 and segments[first - 1].paragraph == segments[k].paragraph:
        first -= 1
    while last + 1 < len(segments) and segments[last + 1].paragraph == segments[k].paragraph:
        last += 1
    return range(first, last + 1)


def adjacent(segments: list[Segment], i: int, j: int) -> bool:
    """Whether segment j is in a paragraph next to segment i's."""
    return abs(segments[j].paragraph - segments[i].paragraph) == 1


def is_capitals_heading(segments: list[Segment], i: int) -> bool:
    """Whether segment i is a paragraph of its own, short and in capitals ("ГЛАВА ПЕРВАЯ", "CHAPTER ONE")."""
    text = segments[i].text.strip()
    capitals = any(char.isalpha() for char in text) and text == text.upper()
    return capitals and len(text) <= MAX_HEADING_CHARS and alone(segments, i)


def names_in_their_paragraph(langs: list[str], segments: list[Segment], names_only: list[bool]) -> list[str]:
    """In a mixed file, a segment of names alone ("Teath-In.", Scripts.names_only) inside a paragraph whose other
    segments are all of one language takes that language: the paragraph quotes the name, in either language."""
    result = list(langs)
    for _, group in itertools.groupby(range(len(segments)), key=lambda i: segments[i].paragraph):
        members = list(group)
        told = {langs[i] for i in members if langs[i] and not names_only[i]}
        if len(told) == 1:
            (lang,) = told
            for i in members:
                result[i] = lang if names_only[i] and langs[i] else result[i]
    return result


def is_twin_pair(langs: list[str], segments: list[Segment], i: int) -> bool:
    """Whether segments i and i + 1 are two paragraphs in a row, each alone in its paragraph, of the same text and
    no language."""
    first, second = segments[i], segments[i + 1]
    if langs[i] or langs[i + 1] or first.text.strip() != second.text.strip():
        return False
    return alone(segments, i) and alone(segments, i + 1) and second.paragraph == first.paragraph + 1


def leading_language(langs: list[str], segments: list[Segment]) -> str:
    """The language that opens each pair of paragraphs in a mixed file. Of two neighbouring paragraphs of different
    languages, those in the file's order are a paragraph and its translation, of about the same length; the others
    are a translation and the next paragraph: the order whose neighbours' lengths differ less (median |log| of
    their ratio) is the file's. Without such neighbours, the first known language ("" if none)."""
    known = [(lang, chars) for lang, chars in paragraph_lengths(langs, segments) if lang]
    misfits: dict[str, list[float]] = {"ru": [], "en": []}
    for (first, first_chars), (second, second_chars) in itertools.pairwise(known):
        if first != second and first in misfits:
            misfits[first].append(abs(math.log(first_chars / second_chars)))
    if misfits["ru"] and misfits["en"]:
        return "ru" if statistics.median(misfits["ru"]) <= statistics.median(misfits["en"]) else "en"
    return next_known(langs)[0] if langs else ""


def paragraph_lengths(langs: list[str], segments: list[Segment]) -> list[tuple[str, int]]:
    """Each paragraph's language ("" unless all its segments with a language have one and the same) and its
    characters, in file order."""
    result: list[tuple[str, int]] = []
    for _, group in itertools.groupby(zip(langs, segments, strict=True), key=lambda item: item[1].paragraph):
        items = list(group)
        found = {lang for lang, _ in items if lang}
        result.append((found.pop() if len(found) == 1 else "", max(1, sum(len(seg.text) for _, seg in items))))
    return result


def next_known(langs: list[str]) -> list[str]:
    """For each position, the first known language at it or after it ("" when there is none)."""
    result = [""] * len(langs)
    known = ""
    for i in range(len(langs) - 1, -1, -1):
        known = langs[i] or known
        result[i] = known
    return result


def heading_partner(langs: list[str], segments: list[Segment], i: int) -> str:
    """For a paragraph saying nothing of its language next to a short one-language paragraph that holds its text
    ("IV" beside "ГЛАВА IV"): the other language, its translation; else ""."""
    text = segments[i].text.strip()
    if not alone(segments, i):
        return ""
    for j in (i - 1, i + 1):
        if not 0 <= j < len(segments) or not langs[j] or not alone(segments, j):
            continue
        if abs(segments[j].paragraph - segments[i].paragraph) != 1 or len(segments[j].text) > MAX_HEADING_CHARS:
            continue
        if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", segments[j].text):
            return OTHER_SIDE[langs[j]]
    return ""


def alone(segments: list[Segment], i: int) -> bool:
    """Whether segment i is the only one of its paragraph."""
    paragraph = segments[i].paragraph
    return all(not 0 <= j < len(segments) or segments[j].paragraph != paragraph for j in (i - 1, i + 1))


def fill_from_neighbours(langs: list[str], paragraphs: list[int]) -> list[str]:
    """Replace empty guesses with the nearest known one, preferring the same paragraph, then the one before."""
    before = nearest_known(langs, range(len(langs)))
    after = nearest_known(langs, range(len(langs) - 1, -1, -1))
    filled = list(langs)
    for i, lang in enumerate(langs):
        if lang:
            continue
        options = [j for j in (before[i], after[i]) if j is not None]
        same = [j for j in options if paragraphs[j] == paragraphs[i]]
        if options:
            filled[i] = langs[min(same or options, key=lambda j: (abs(j - i), j > i))]
    return filled


def nearest_known(langs: list[str], order: range) -> list[int | None]:
    """For each position, the index of the last non-empty guess met walking in `order`."""
    found: list[int | None] = [None] * len(langs)
    last = None
    for i in order:
        if langs[i]:
            last = i
        found[i] = last
    return found
