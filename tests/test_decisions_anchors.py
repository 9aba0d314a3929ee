"""Version 2 decisions (align/anchors.py, align/decisions.py): sentences named by content, found again after
the offsets moved, beads the reviewer made made again, repeated sentences told apart, the no-longer-match
note. The alignments are built by hand, as in tests/test_decisions.py."""

from __future__ import annotations

from pathlib import Path

from align.anchors import anchor_of, side_sentences
from align.decisions import applied, apply_decisions, decisions_elsewhere, read_decisions, unmatched
from align.model import Alignment, Bead
from tests.test_decisions import Texts, problem, shape, small_alignment, write

# --------------------------------------------------------------------------------------------- version 2: by content


def by_content(alignment: Alignment, bead: Bead, decision: str) -> dict:
    """A version 2 entry about `bead`, as the report's "Download decisions" writes it."""
    sides = {lang: side_sentences(alignment, lang) for lang in ("ru", "en")}

    def side(lang: str) -> dict:
        segments = getattr(bead, lang)
        if not segments:
            return {"sentences": [], "before": "", "at": [], "text": ""}
        start = sides[lang].index(segments[0])
        anchor = anchor_of(sides[lang], start, len(segments))
        named = {"sentences": list(anchor.sentences), "before": anchor.before, "at": anchor.at, "text": anchor.text}
        return named | {"n": anchor.n}

    return {"document": alignment.document.name, "decision": decision, "ru": side("ru"), "en": side("en")}


def version_2(tmp_path: Path, *entries: dict) -> dict:
    return read_decisions(write(tmp_path, {"version": 2, "tool": "align", "decisions": list(entries)}))


def shifted_alignment() -> Alignment:
    """small_alignment() with one more pair before everything: every offset moved."""
    t = Texts()
    beads = [t.bead(["Вступление."], ["Preface."])]
    beads += [
        t.bead(["Один."], ["One."]),
        t.bead(["Два.", "Три."], ["Two and three."], 0.7),
        t.bead(["Без перевода."], []),
    ]
    beads += [t.bead(["Четыре."], ["Four."], 0.8), Bead((), (), 0.0, other=(t.sentence("other", "Привіт."),))]
    beads += [t.bead([], ["No Russian."]), t.bead(["Пять."], ["Five."], 0.95)]
    return Alignment(t.document, beads)


def test_a_rejected_pair_is_found_by_its_text_after_the_offsets_moved(tmp_path: Path) -> None:
    decisions = version_2(tmp_path, by_content(small_alignment(), small_alignment().beads[3], "rejected"))
    moved = shifted_alignment()
    result, notes = applied(moved, decisions)
    assert shape(result)[4:6] == [(["Четыре."], []), ([], ["Four."])] and notes == []
    assert unmatched([moved], decisions) == []


def test_a_rejected_pair_the_new_run_pairs_inside_a_bigger_bead_is_not_brought_back(tmp_path: Path) -> None:
    old = small_alignment()  # "Один." / "One." rejected; the new run pairs them again, in a 2-1 with "Два."
    decisions = version_2(tmp_path, by_content(old, old.beads[0], "rejected"))
    t = Texts()
    beads = [t.bead(["Один.", "Два."], ["One."]), t.bead(["Три."], ["Two and three."]), t.bead(["Четыре."], ["Four."])]
    result, notes = applied(Alignment(t.document, beads), decisions)
    assert shape(result)[:3] == [(["Один."], []), (["Два."], []), ([], ["One."])] and notes == []
    assert shape(result)[3:] == [(["Три."], ["Two and three."]), (["Четыре."], ["Four."])]


def test_beads_the_reviewer_made_are_made_again_and_a_one_sided_sentence_stays_apart(tmp_path: Path) -> None:
    t = Texts()
    made = Bead((t.sentence("ru", "Без перевода."),), (t.sentence("en", "No Russian."),), 1.0)
    merged = Bead(tuple(t.sentence("ru", s) for s in ("Один.", "Два.")), (t.sentence("en", "One and two."),), 1.0)
    alone = Bead((), (t.sentence("en", "Extra."),), 0.0)
    edited = Alignment(t.document, [made, merged, alone])
    decisions = version_2(tmp_path, *(by_content(edited, bead, "bead") for bead in (made, merged, alone)))
    u = Texts()  # the aligner's own result for the same sentences, one paragraph later
    beads = [u.bead(["Новое начало."], ["A new start."])]
    beads += [u.bead(["Без перевода."], []), u.bead([], ["No Russian."]), u.bead(["Один."], ["One and two."], 0.8)]
    beads += [u.bead(["Два."], ["Extra."], 0.4)]
    result, notes = applied(Alignment(u.document, beads), decisions)
    assert shape(result) == [
        (["Новое начало."], ["A new start."]),
        (["Без перевода."], ["No Russian."]),
        (["Один.", "Два."], ["One and two."]),
        ([], ["Extra."]),
    ]
    assert [bead.score for bead in result.beads] == [0.9, 1.0, 1.0, 0.0] and notes == []


def test_a_sentence_repeated_with_the_same_one_before_it_is_told_apart_by_its_rank(tmp_path: Path) -> None:
    def dialogue(preface: bool) -> Alignment:
        t = Texts()
        beads = (
            [t.bead(["Вступление к этой книге, написанное позже."], ["A preface, written later."])] if preface else []
        )
        for _ in range(2):
            beads += [t.bead(["Он кивнул."], ["He nodded."]), t.bead(["Да."], ["Yes."])]
        return Alignment(t.document, beads)

    old = dialogue(preface=False)  # the second "Да." / "Yes." rejected; then a preface longer than the gap
    decisions = version_2(tmp_path, by_content(old, old.beads[3], "rejected"))
    result = apply_decisions(dialogue(preface=True), decisions)
    assert [b.kind for b in result.beads] == ["1-1", "1-1", "1-1", "1-1", "1-0", "0-1"]
    assert (
        problem(
            tmp_path,
            {
                "version": 2,
                "decisions": [by_content(old, old.beads[3], "rejected") | {"ru": {"sentences": ["abc"], "n": -1}}],
            },
        )
        == "decision 1: 'ru' 'n' must be a whole number, 0 or more"
    )


def test_a_repeated_sentence_is_told_apart_by_the_sentence_before_it(tmp_path: Path) -> None:
    t = Texts()
    beads = [t.bead(["Первый."], ["First."]), t.bead(["Да."], ["Yes."]), t.bead(["Второй."], ["Second."])]
    beads += [t.bead(["Да."], ["Yes."])]
    decisions = version_2(tmp_path, by_content(Alignment(t.document, beads), beads[3], "rejected"))
    u = Texts()  # a paragraph more at the top: the first "Да." is now where the second one was
    beads = [u.bead(["Вступление."], ["Preface."]), u.bead(["Первый."], ["First."]), u.bead(["Да."], ["Yes."])]
    beads += [u.bead(["Второй."], ["Second."]), u.bead(["Да."], ["Yes."])]
    assert beads[2].ru[0].start == 20 == t.document.ru[3].start
    result = apply_decisions(Alignment(u.document, beads), decisions)
    assert [b.kind for b in result.beads] == ["1-1", "1-1", "1-1", "1-1", "1-0", "0-1"]


def test_decisions_whose_sentences_are_gone_are_one_note_never_dropped_silently(tmp_path: Path) -> None:
    alignment = small_alignment()
    entries = [by_content(alignment, alignment.beads[i], "rejected") for i in (0, 1, 3, 6)]
    decisions = version_2(tmp_path, *entries)
    t = Texts()  # "Один." and "Пять." were edited away
    beads = [t.bead(["Одна."], ["One."]), t.bead(["Два.", "Три."], ["Two and three."]), t.bead(["Четыре."], ["Four."])]
    result, notes = applied(Alignment(t.document, beads), decisions)
    assert notes == ["doc: 2 of 4 decisions no longer match: rejected «Один.» / «One.»; rejected «Пять.» / «Five.»"]
    assert [b.kind for b in result.beads] == ["1-1", "1-0", "1-0", "0-1", "1-0", "0-1"]
    assert decisions_elsewhere(decisions, ["other"]) == [
        "4 of 4 decisions no longer match: about documents not in this run (doc)"
    ]
    assert decisions_elsewhere(decisions, ["doc"]) == []


def test_a_version_2_side_must_be_an_anchor(tmp_path: Path) -> None:
    side = {"sentences": ["abc"], "before": "", "at": [[0, 3]], "text": "x"}
    good = {"document": "d", "decision": "bead", "ru": side, "en": side}
    assert problem(tmp_path, {"version": 2, "decisions": [good | {"ru": {"sentences": "abc"}}]}) == (
        "decision 1: 'ru' 'sentences' must be a list of sentence hashes"
    )
    assert problem(tmp_path, {"version": 2, "decisions": [good | {"en": side | {"at": [[0, 1], [2, 3]]}}]}) == (
        "decision 1: 'en' 'at' must give one [start, end] per sentence"
    )
    empty = {"sentences": [], "before": "", "at": [], "text": ""}
    assert problem(tmp_path, {"version": 2, "decisions": [good | {"ru": empty, "en": empty}]}) == (
        "decision 1: 'ru' and 'en' are both empty"
    )
