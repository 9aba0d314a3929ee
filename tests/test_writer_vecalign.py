"""--presplit input and the vecalign writer (align/readers/presplit.py, align/writers/vecalign.py): line numbers as
sentence ids, gold files written back unchanged (score_vecalign.py: 1.000), empty lines as paragraph breaks,
malformed lines one error naming file and line, and `align pair --langs de,fr --presplit --format vecalign`."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from align.load import source_of
from align.model import Alignment, Bead, Document, Segment
from align.readers.presplit import line_paragraphs
from align.segment import segments_of
from align.writers import WriteContext
from align.writers.vecalign import VecalignWriter
from tests.conftest import SHARED, run_cli

SCORER = SHARED / "bench" / "score_vecalign.py"
TEXTBERG = SHARED / "bench" / "corpora" / "textberg_de-fr_dev"
PRESPLIT = WriteContext("0.1.0", "20231114T221320Z", presplit=True)
GERMAN = [
    "Der Zug nach Bern fährt um acht Uhr ab.",
    "Er hält in Olten.",
    "Dort steigen viele Pendler aus.",
    "Der Speisewagen ist heute geschlossen.",
    "Fahrkarten gibt es am Automaten.",
]
FRENCH = [
    "Le train pour Berne part à huit heures.",
    "Il s'arrête à Olten, où beaucoup de pendulaires descendent.",
    "Le wagon-restaurant est fermé aujourd'hui.",
    "Les billets sont vendus au distributeur.",
    "Bon voyage !",
]
VECALIGN_DE_FR = ("--langs", "de,fr", "--presplit", "--format", "vecalign")
GOLD = "[0]:[0]\n[1, 2]:[1]\n[3]:[2]\n[4]:[3]\n[]:[4]\n"


def presplit_segments(path: Path, lang: str) -> list[Segment]:
    """The sentences align reads from a pre-split file, each labelled `lang`."""
    source = source_of(str(path), path.read_bytes())
    return [
        Segment(s.file, s.start, s.end, s.line, s.text, lang, s.paragraph)
        for s in segments_of(line_paragraphs(source), source.text)
    ]


def gold_alignment(source: Path, target: Path, gold: Path) -> Alignment:
    """The gold beads of `gold` as an Alignment of the pre-split files' sentences (ids are 0-based lines)."""
    src = {s.line - 1: s for s in presplit_segments(source, "de")}
    tgt = {s.line - 1: s for s in presplit_segments(target, "fr")}
    beads = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        left, right = line.split("]:")[:2]
        ids_src, ids_tgt = ast.literal_eval(left + "]"), ast.literal_eval(right.split(":")[0])
        beads.append(Bead(tuple(src[i] for i in ids_src), tuple(tgt[j] for j in ids_tgt), 1.0))
    document = Document("gold", str(source), str(target), list(src.values()), list(tgt.values()))
    return Alignment(document, beads)


def bead_ids(text: str) -> list[str]:
    """`[src]:[tgt]` of each bead line, the score left out."""
    return [line.rsplit(":", 1)[0] for line in text.splitlines()]


def f1_figures(gold: Path, test: Path) -> list[str]:
    """The F1 row of score_vecalign.py's table: strict and lax."""
    command = [sys.executable, str(SCORER), "-g", str(gold), "-t", str(test)]
    found = subprocess.run(command, capture_output=True, text=True, check=True)
    row = next(line for line in found.stdout.splitlines() if line.startswith("| F1"))
    return row.split("|")[2:4]


def write_pair(folder: Path, german: list[str], french: list[str]) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    source, target = folder / "train.de", folder / "train.fr"
    source.write_text("\n".join(german) + "\n", encoding="utf-8")
    target.write_text("\n".join(french) + "\n", encoding="utf-8")
    return source, target


def test_a_gold_alignment_is_written_back_line_for_line_and_scores_one(tmp_path: Path) -> None:
    if not SCORER.exists():
        pytest.skip(f"{SCORER} not found (../shared is absent)")
    source, target = write_pair(tmp_path, GERMAN, FRENCH)
    gold = tmp_path / "train.defr"
    gold.write_text(GOLD, encoding="utf-8")
    written = tmp_path / "train.vecalign"
    written.write_text(VecalignWriter().document(gold_alignment(source, target, gold), PRESPLIT), encoding="utf-8")
    assert bead_ids(written.read_text(encoding="utf-8")) == GOLD.splitlines()
    assert f1_figures(gold, written) == ["   1.000 ", "   1.000 "]
    assert f1_figures(written, written) == ["   1.000 ", "   1.000 "]


def test_the_text_berg_dev_gold_round_trips_exactly(tmp_path: Path) -> None:
    if not (TEXTBERG / "dev.defr").exists():
        pytest.skip(f"{TEXTBERG} not found (../shared is absent)")
    gold = TEXTBERG / "dev.defr"
    alignment = gold_alignment(TEXTBERG / "dev.de", TEXTBERG / "dev.fr", gold)
    text = VecalignWriter().document(alignment, PRESPLIT)
    assert bead_ids(text) == gold.read_text(encoding="utf-8").splitlines()
    scores = {line.rsplit(":", 1)[1] for line in text.splitlines() if "[]" not in line}
    assert scores == {"1.0000"}  # a one-sided bead's score is 0.0000
    assert {line.rsplit(":", 1)[1] for line in text.splitlines() if "[]" in line} == {"0.0000"}


def test_empty_lines_are_paragraph_breaks_and_keep_the_files_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.de"
    path.write_text("Erster Satz.\nZweiter Satz.\n\n\n  Dritter Satz.  \r\nVierter Satz.", encoding="utf-8")
    paragraphs = line_paragraphs(source_of(str(path), path.read_bytes()))
    assert [(p.line, p.text, p.index) for p in paragraphs] == [
        (1, "Erster Satz.", 0),
        (2, "Zweiter Satz.", 0),
        (5, "Dritter Satz.", 1),
        (6, "Vierter Satz.", 1),
    ]
    assert all(p.whole for p in paragraphs)  # never split again into sentences


@pytest.mark.parametrize(("char", "shown"), [("\r", "CR"), ("\u2028", "U+2028"), ("\x0c", "FF")])
def test_a_line_with_another_line_break_is_one_error_naming_file_and_line(
    tmp_path: Path, char: str, shown: str
) -> None:
    source, target = write_pair(tmp_path / "bad", GERMAN[:2], FRENCH[:2])
    target.write_text(f"Le train part.\nIl s'arrête{char} à Olten.\n", encoding="utf-8")
    code, _, err = run_cli("pair", str(source), str(target), *VECALIGN_DE_FR, "-o", str(tmp_path / "o"))
    assert code == 2
    assert f"error: {target}: line 2: holds a {shown} line break" in err
    assert "Traceback" not in err and len([line for line in err.splitlines() if "error:" in line]) == 1


def test_align_pair_writes_the_first_files_stem_with_line_numbers_of_the_input(tmp_path: Path) -> None:
    source, target = write_pair(tmp_path, GERMAN, FRENCH)
    out = tmp_path / "out"
    code, _, err = run_cli("pair", str(source), str(target), *VECALIGN_DE_FR, "-o", str(out))
    assert code == 0, err
    beads = [line.split(":") for line in (out / "train.vecalign").read_text(encoding="utf-8").splitlines()]
    sources = [i for left, _, _ in beads for i in ast.literal_eval(left)]
    targets = [j for _, right, _ in beads for j in ast.literal_eval(right)]
    assert sources == list(range(len(GERMAN))) and targets == list(range(len(FRENCH)))  # each line once, in order
    assert beads[0][:2] == ["[0]", "[0]"] and float(beads[0][2]) > 0.5
    assert ["[1, 2]", "[1]"] in [bead[:2] for bead in beads]  # the merge the translator made
    assert (out / "corpus.vecalign").read_text(encoding="utf-8") == (out / "train.vecalign").read_text(encoding="utf-8")


def test_a_bad_file_fails_alone_and_the_other_documents_are_written(tmp_path: Path) -> None:
    write_pair(tmp_path / "in" / "good", GERMAN, FRENCH)
    (tmp_path / "in" / "good" / "train.de").rename(tmp_path / "in" / "good" / "train.de.txt")
    (tmp_path / "in" / "good" / "train.fr").rename(tmp_path / "in" / "good" / "train.fr.txt")
    bad = tmp_path / "in" / "bad"
    bad.mkdir()
    (bad / "note.de.txt").write_text("Ein Satz.\vNoch einer.\n", encoding="utf-8")
    (bad / "note.fr.txt").write_text("Une phrase.\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli("run", str(tmp_path / "in"), *VECALIGN_DE_FR, "-o", str(out))
    assert code == 2
    assert f"{bad / 'note.de.txt'}: line 1: holds a VT line break" in err
    assert (out / "good" / "train.vecalign").exists() or (out / "train.vecalign").exists()
