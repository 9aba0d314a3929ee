"""Reviewer decisions (align/decisions.py): reading decisions.json, its one-line errors, and applying it.

The alignments are built by hand, sentence by sentence with true character offsets; the round trip
through the HTML report in a browser is in tests/test_html.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.decisions import (
    DecisionsFile,
    Entry,
    apply_decisions,
    key_of,
    read_decisions,
    spans_of,
    split,
    unmatched,
)
from align.model import Alignment, Bead, Document, Segment

NAME = "doc"

# --------------------------------------------------------------------------------------------- helpers


class Texts:
    """A RU and an EN "file" of `name`, written one sentence a line; each sentence's offsets are true."""

    def __init__(self, name: str = NAME) -> None:
        self.document = Document(name, f"{name}.ru.txt", f"{name}.en.txt")
        self.length = {"ru": 0, "en": 0}
        self.lines = {"ru": 0, "en": 0}

    def sentence(self, lang: str, text: str) -> Segment:
        side = "en" if lang == "other" else lang
        file = self.document.ru_file if side == "ru" else self.document.en_file
        start = self.length[side]
        self.length[side] += len(text) + 1
        self.lines[side] += 1
        segment = Segment(file, start, start + len(text), self.lines[side], text, lang, 0)
        {"ru": self.document.ru, "en": self.document.en, "other": self.document.other}[lang].append(segment)
        return segment

    def bead(self, ru: list[str], en: list[str], score: float = 0.9) -> Bead:
        segments = tuple(self.sentence("ru", text) for text in ru), tuple(self.sentence("en", text) for text in en)
        return Bead(*segments, score=score if ru and en else 0.0)


def small_alignment(name: str = NAME) -> Alignment:
    """1-1, 2-1, 1-0, 1-1, an other-language sentence, then 0-1 and 1-1."""
    t = Texts(name)
    beads = [
        t.bead(["Один."], ["One."]),
        t.bead(["Два.", "Три."], ["Two and three."], 0.7),
        t.bead(["Без перевода."], []),
        t.bead(["Четыре."], ["Four."], 0.8),
        Bead((), (), 0.0, other=(t.sentence("other", "Привіт."),)),
        t.bead([], ["No Russian."]),
        t.bead(["Пять."], ["Five."], 0.95),
    ]
    return Alignment(t.document, beads, seconds=1.5)


def entry(document: str, bead: Bead, decision: str) -> dict:
    return {
        "document": document,
        "ru": [[s.start, s.end] for s in bead.ru],
        "en": [[s.start, s.end] for s in bead.en],
        "decision": decision,
    }


def write(tmp_path: Path, content: object, name: str = "decisions.json") -> str:
    """`content` saved as JSON (a str is written as it is); the file's path."""
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def decisions_of(alignment: Alignment, *pairs: tuple[int, str]) -> dict:
    """{key of bead `index`: decision} for (index, decision) pairs."""
    return {key_of(alignment.document.name, alignment.beads[index]): decision for index, decision in pairs}


def shape(alignment: Alignment) -> list[tuple[list[str], list[str]]]:
    """Each bead as (RU texts, EN texts), other-language beads as ([], ["other: TEXT"])."""
    return [
        ([s.text for s in b.ru], [s.text for s in b.en] + [f"other: {s.text}" for s in b.other])
        for b in alignment.beads
    ]


def sentences(alignment: Alignment, lang: str) -> list[Segment]:
    return [segment for bead in alignment.beads for segment in getattr(bead, lang)]


def problem(tmp_path: Path, content: object) -> str:
    """The one-line error `read_decisions` gives for a file holding `content`, without the path."""
    path = write(tmp_path, content, "bad.json")
    with pytest.raises(ValueError) as caught:
        read_decisions(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def a_file(*entries: object, **fields: object) -> dict:
    return {"version": 1, "tool": "align", "decisions": list(entries)} | fields


GOOD = {"document": "d", "ru": [[0, 5]], "en": [[0, 4]], "decision": "accepted"}


# --------------------------------------------------------------------------------------------- reading


def test_a_valid_file_reads_as_keys_of_document_and_spans(tmp_path: Path) -> None:
    content = a_file(
        {"document": "a", "ru": [[0, 5], [6, 12]], "en": [[0, 9]], "decision": "rejected"},
        {"document": "b", "ru": [[3, 3]], "en": [], "decision": "accepted"},
        {"document": "b", "ru": [], "en": [[7, 20]], "decision": "accepted", "note": "ignored"},
    )
    assert read_decisions(write(tmp_path, content)) == {
        ("a", ((0, 5), (6, 12)), ((0, 9),)): "rejected",
        ("b", ((3, 3),), ()): "accepted",
        ("b", (), ((7, 20),)): "accepted",
    }


def test_an_empty_list_without_a_tool_and_a_repeated_decision_are_fine(tmp_path: Path) -> None:
    assert read_decisions(write(tmp_path, {"version": 1, "decisions": []})) == {}
    twice = read_decisions(write(tmp_path, {"version": 1, "decisions": [GOOD, GOOD]}))
    assert twice == {("d", ((0, 5),), ((0, 4),)): "accepted"}


def test_the_file_model_validates_python_data_too() -> None:
    model = DecisionsFile.model_validate(a_file(GOOD))
    assert model.version == 1 and model.tool == "align"
    assert model.decisions == (Entry(document="d", decision="accepted", ru=((0, 5),), en=((0, 4),)),)
    assert model.decisions[0].key == ("d", ((0, 5),), ((0, 4),))
    assert model.table() == {("d", ((0, 5),), ((0, 4),)): "accepted"}


def test_what_the_html_report_downloads_reads_back_as_the_beads_keys(tmp_path: Path) -> None:
    alignment = small_alignment()
    merged = alignment.beads[1]
    path = write(tmp_path, {"version": 1, "tool": "align", "decisions": [entry(NAME, merged, "rejected")]})
    assert read_decisions(path) == {key_of(NAME, merged): "rejected"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON (line 1, column 2: Expecting property name enclosed in double quotes)"),
        ('{"version": 1,\n "decisions": [}', "not valid JSON (line 2, column 16: Expecting value)"),
        ("", "not valid JSON (line 1, column 1: Expecting value)"),
        ([], "expected a JSON object with a 'decisions' list"),
        ("null", "expected a JSON object with a 'decisions' list"),
        ({"version": 3, "decisions": []}, "unsupported decisions version 3 (expected 1 or 2)"),
        ({"version": True, "decisions": []}, "unsupported decisions version True (expected 1 or 2)"),
        ({"version": "1", "decisions": []}, "unsupported decisions version '1' (expected 1 or 2)"),
        ({"decisions": []}, "unsupported decisions version None (expected 1 or 2)"),
        ({"version": 3}, "unsupported decisions version 3 (expected 1 or 2)"),  # the version is checked first
        ({"version": 1, "tool": "other", "decisions": []}, "not an align decisions file (tool is 'other')"),
        ({"version": 1, "tool": None, "decisions": []}, "not an align decisions file (tool is None)"),
        ({"version": 1}, "'decisions' must be a list"),
        ({"version": 1, "decisions": {"0": GOOD}}, "'decisions' must be a list"),
        (a_file(3), "decision 1: expected an object"),
        (a_file(GOOD, [GOOD]), "decision 2: expected an object"),
        (a_file(GOOD | {"document": ""}), "decision 1: 'document' must be a non-empty string"),
        (a_file(GOOD | {"document": 7}), "decision 1: 'document' must be a non-empty string"),
        (
            a_file({"ru": [], "en": [[0, 1]], "decision": "accepted"}),
            "decision 1: 'document' must be a non-empty string",
        ),
        (
            a_file(GOOD | {"decision": "maybe"}),
            'decision 1: \'decision\' must be "accepted", "rejected" or "bead", not \'maybe\'',
        ),
        (
            a_file(GOOD | {"decision": None}),
            'decision 1: \'decision\' must be "accepted", "rejected" or "bead", not None',
        ),
        (a_file(GOOD | {"ru": "0-5"}), "decision 1: 'ru' must be a list of [start, end] pairs"),
        (
            a_file({"document": "d", "ru": [], "decision": "accepted"}),
            "decision 1: 'en' must be a list of [start, end] pairs",
        ),
        (
            a_file(GOOD | {"ru": [[5, 1]]}),
            "decision 1: 'ru' must be a list of [start, end] pairs with 0 <= start <= end, got [5, 1]",
        ),
        (
            a_file(GOOD | {"ru": [[0, True]]}),
            "decision 1: 'ru' must be a list of [start, end] pairs with 0 <= start <= end, got [0, True]",
        ),
        (
            a_file(GOOD | {"en": [[0, 4], [-1, 2]]}),
            "decision 1: 'en' must be a list of [start, end] pairs with 0 <= start <= end, got [-1, 2]",
        ),
        (
            a_file(GOOD | {"en": [[0.0, 4]]}),
            "decision 1: 'en' must be a list of [start, end] pairs with 0 <= start <= end, got [0.0, 4]",
        ),
        (
            a_file(GOOD | {"en": [[0, 4, 8]]}),
            "decision 1: 'en' must be a list of [start, end] pairs with 0 <= start <= end, got [0, 4, 8]",
        ),
        (a_file(GOOD | {"ru": [], "en": []}), "decision 1: 'ru' and 'en' are both empty"),
        (
            a_file(GOOD, GOOD | {"decision": "rejected"}),
            "decision 2: contradicts an earlier decision for the same bead",
        ),
        # the first problem in file order, fields in the order document, decision, ru, en
        (a_file(GOOD | {"document": "", "decision": "maybe"}, 3), "decision 1: 'document' must be a non-empty string"),
        (
            a_file(GOOD | {"decision": "maybe", "ru": 3}),
            'decision 1: \'decision\' must be "accepted", "rejected" or "bead", not \'maybe\'',
        ),
        # the shape of every decision is checked before any two are compared
        (a_file(GOOD, GOOD | {"decision": "rejected"}, 3), "decision 3: expected an object"),
    ],
)
def test_a_malformed_file_gives_one_line_naming_the_file_and_the_problem(
    tmp_path: Path, content: object, expected: str
) -> None:
    assert problem(tmp_path, content) == expected


def test_a_brace_in_a_bad_value_is_quoted_not_formatted(tmp_path: Path) -> None:
    assert problem(tmp_path, a_file(GOOD | {"decision": "{message}"})) == (
        'decision 1: \'decision\' must be "accepted", "rejected" or "bead", not \'{message}\''
    )


def test_an_unreadable_file_gives_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(ValueError) as caught:
        read_decisions(str(missing))
    assert str(caught.value) == f"{missing}: cannot read decisions (No such file or directory)"
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"version": 1, "decisions": [], "tool": "\xe9"}')
    with pytest.raises(ValueError) as caught:
        read_decisions(str(latin))
    message = str(caught.value)
    assert message.startswith(f"{latin}: cannot read decisions (") and "utf-8" in message and "\n" not in message


# --------------------------------------------------------------------------------------------- keys


def test_a_beads_key_is_its_document_and_the_offsets_of_its_sentences() -> None:
    alignment = small_alignment()
    merged = alignment.beads[1]
    assert spans_of(merged.ru) == ((6, 10), (11, 15))
    assert spans_of(merged.en) == ((5, 19),)
    assert key_of(NAME, merged) == (NAME, ((6, 10), (11, 15)), ((5, 19),))
    assert key_of(NAME, alignment.beads[2]) == (NAME, ((16, 29),), ())


def test_unmatched_lists_decisions_about_no_paired_bead_of_the_alignments() -> None:
    first, second = small_alignment("first"), small_alignment("second")
    known = key_of("first", first.beads[0])
    moved = ("first", ((1, 5),), ((0, 4),))
    elsewhere = ("third", ((0, 5),), ((0, 4),))
    one_sided = key_of("first", first.beads[2])  # 1-0 beads are never decided on in the report
    decisions = {known: "accepted", moved: "rejected", elsewhere: "rejected", one_sided: "rejected"}
    assert unmatched([first, second], decisions) == [moved, elsewhere, one_sided]
    assert unmatched([second], {known: "accepted"}) == [known]
    assert unmatched([first, second], {known: "accepted"}) == []


# --------------------------------------------------------------------------------------------- applying


def test_no_decisions_leave_the_beads_as_they_are_in_a_new_alignment() -> None:
    alignment = small_alignment()
    result = apply_decisions(alignment, {})
    assert result is not alignment and result.beads is not alignment.beads
    assert result.beads == alignment.beads
    assert result.document is alignment.document and result.seconds == 1.5


def test_accepted_beads_are_kept_verbatim() -> None:
    alignment = small_alignment()
    result = apply_decisions(alignment, decisions_of(alignment, (0, "accepted"), (1, "accepted")))
    assert all(after is before for after, before in zip(result.beads, alignment.beads, strict=True))


def test_a_rejected_one_to_one_becomes_one_to_zero_and_zero_to_one() -> None:
    alignment = small_alignment()
    one = alignment.beads[0]
    result = apply_decisions(alignment, decisions_of(alignment, (0, "rejected"), (3, "accepted")))
    assert shape(result)[:3] == [(["Один."], []), ([], ["One."]), (["Два.", "Три."], ["Two and three."])]
    assert result.beads[0] == Bead(one.ru, (), 0.0) and result.beads[1] == Bead((), one.en, 0.0)
    assert result.beads[2:] == alignment.beads[1:]
    assert alignment.beads[0] is one and len(alignment.beads) == 7  # the input is left alone


def test_a_rejected_two_to_one_is_split_into_one_sided_beads_in_place() -> None:
    alignment = small_alignment()
    merged = alignment.beads[1]
    result = apply_decisions(alignment, decisions_of(alignment, (1, "rejected")))
    assert [b.kind for b in result.beads] == ["1-1", "1-0", "1-0", "0-1", "1-0", "1-1", "other", "0-1", "1-1"]
    assert result.beads[1:4] == [
        Bead((merged.ru[0],), (), 0.0),
        Bead((merged.ru[1],), (), 0.0),
        Bead((), merged.en, 0.0),
    ]
    assert split(merged) == result.beads[1:4]
    for lang in ("ru", "en", "other"):
        assert sentences(result, lang) == sentences(alignment, lang)


def test_decisions_about_another_document_change_nothing() -> None:
    alignment, other = small_alignment(), small_alignment("other")
    result = apply_decisions(alignment, decisions_of(other, (0, "rejected"), (1, "rejected")))
    assert result.beads == alignment.beads


def test_realign_gets_the_run_of_rejected_and_one_sided_beads_and_its_beads_are_used() -> None:
    alignment = small_alignment()
    seen: list[tuple[list[str], list[str]]] = []

    def last_pair(document: Document) -> Alignment:  # a stand-in aligner: the last RU sentence with every EN one
        seen.append(([s.text for s in document.ru], [s.text for s in document.en]))
        alone = [Bead((s,), (), 0.0) for s in document.ru[:-1]]
        return Alignment(document, [*alone, Bead((document.ru[-1],), tuple(document.en), 0.5)])

    result = apply_decisions(alignment, decisions_of(alignment, (1, "rejected")), realign=last_pair)
    # the rejected 2-1 and the 1-0 after it; the other-language sentence ends the second run, which has no rejection
    assert seen == [(["Два.", "Три.", "Без перевода."], ["Two and three."])]
    assert shape(result)[1:4] == [(["Два."], []), (["Три."], []), (["Без перевода."], ["Two and three."])]
    assert len(result.beads) == len(alignment.beads) + 1


def test_a_realigned_bead_equal_to_a_rejected_one_is_split_again() -> None:
    alignment = small_alignment()

    def same_again(document: Document) -> Alignment:
        return Alignment(
            document, [Bead(tuple(document.ru[:2]), tuple(document.en), 0.7), Bead((document.ru[2],), (), 0.0)]
        )

    result = apply_decisions(alignment, decisions_of(alignment, (1, "rejected")), realign=same_again)
    assert [b.kind for b in result.beads[:5]] == ["1-1", "1-0", "1-0", "0-1", "1-0"]


def test_a_realign_that_loses_a_sentence_is_an_error() -> None:
    alignment = small_alignment()

    def loses_one(document: Document) -> Alignment:
        return Alignment(document, [Bead(tuple(document.ru[:-1]), tuple(document.en), 0.5)])

    with pytest.raises(ValueError, match=rf"^{NAME}: realign did not return every sentence exactly once and in order$"):
        apply_decisions(alignment, decisions_of(alignment, (1, "rejected")), realign=loses_one)
