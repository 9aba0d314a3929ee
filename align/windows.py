"""A document longer than a window is aligned window by window, so that memory is bounded by the window's size.

Each window holds the next WINDOW_SENTENCES sentences of the longer side and as large a share of the other side;
its sentences are embedded (by the caller's `embed`), searched with align.align.searched_links, and its links kept up
to an anchor in the window's first half: preferably a confident pair ending a paragraph on both sides, else a
confident pair, else wherever the first half ends. The next window starts right after the anchor, so every
sentence is searched with at least a quarter of a window of context on each side of it, and the embeddings of a
window are freed before the next one is made. A document within one window is aligned whole, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from align.align import AlignOptions, Link, Side, searched_links
from align.model import Segment
from align.options import WINDOW_SENTENCES

KEPT_SHARE = 0.5  # of a window (not the last), the links ending in this first share of both sides are kept ...
MIN_KEPT_SHARE = 0.25  # ... cut at an anchor past this share of one side if there is one: each window moves on
ANCHOR_MIN_SCORE = 0.6  # a pair scoring this (cosine with margin) is a confident anchor, as a related page's median

Embed = Callable[[Sequence[Segment], Sequence[Segment]], tuple[Side, Side]]  # RU and EN sentences -> their Sides


def windowed_links(
    ru: Sequence[Segment], en: Sequence[Segment], embed: Embed, options: AlignOptions, window: int = WINDOW_SENTENCES
) -> list[Link]:
    """The links of the whole document, found window by window (one window if both sides fit in it)."""
    n, m = len(ru), len(en)
    links: list[Link] = []
    i = j = 0
    while i < n and j < m:
        last = n - i <= window and m - j <= window
        width_ru, width_en = window_widths(n - i, m - j, window)
        window_ru, window_en = ru[i : i + width_ru], en[j : j + width_en]
        found = searched_links(window_ru, window_en, *embed(window_ru, window_en), options)  # its embeddings then go
        kept = found if last else found[: kept_links(found, window_ru, window_en)]
        links += [shifted(link, i, j) for link in kept]
        i += sum(len(link.ru) for link in kept)
        j += sum(len(link.en) for link in kept)
    return links + [Link((k,), (), 0.0) for k in range(i, n)] + [Link((), (k,), 0.0) for k in range(j, m)]


def window_widths(rest_ru: int, rest_en: int, window: int) -> tuple[int, int]:
    """How many of the remaining sentences of each side the next window holds: `window` of the longer side and
    the same share of the other (all of both when they fit)."""
    if rest_ru <= window and rest_en <= window:
        return rest_ru, rest_en
    share = window / max(rest_ru, rest_en)
    return min(rest_ru, max(1, round(rest_ru * share))), min(rest_en, max(1, round(rest_en * share)))


def kept_links(links: Sequence[Link], ru: Sequence[Segment], en: Sequence[Segment]) -> int:
    """How many of a window's first links to keep: up to the last anchor inside the first KEPT_SHARE of both sides
    (a confident pair ending a paragraph on both sides, else a confident pair, else the last link there), at
    least one link."""
    inside: list[tuple[int, int, int]] = []  # (links kept, RU sentences, EN sentences) at each cut in the share
    ru_end = en_end = 0
    for count, link in enumerate(links, start=1):
        ru_end, en_end = ru_end + len(link.ru), en_end + len(link.en)
        if ru_end > KEPT_SHARE * len(ru) or en_end > KEPT_SHARE * len(en):
            break
        inside.append((count, ru_end, en_end))
    if not inside:
        return 1
    late = [cut for cut in inside if cut[1] >= MIN_KEPT_SHARE * len(ru) or cut[2] >= MIN_KEPT_SHARE * len(en)]
    confident = [cut for cut in late if is_anchor(links[cut[0] - 1])]
    ending = [cut for cut in confident if ends_paragraph(ru, cut[1]) and ends_paragraph(en, cut[2])]
    return (ending or confident or inside)[-1][0]


def is_anchor(link: Link) -> bool:
    """Whether a link is a pair confident enough to cut the search after it."""
    return bool(link.ru and link.en) and link.score >= ANCHOR_MIN_SCORE


def ends_paragraph(segments: Sequence[Segment], count: int) -> bool:
    """Whether the first `count` (at least one) sentences end a paragraph: the next one starts another, or there is
    none."""
    if count == 0:
        return False
    return count >= len(segments) or segments[count].paragraph != segments[count - 1].paragraph


def shifted(link: Link, ru_start: int, en_start: int) -> Link:
    """A window's link as indices into the whole document."""
    return replace(link, ru=tuple(k + ru_start for k in link.ru), en=tuple(k + en_start for k in link.en))
