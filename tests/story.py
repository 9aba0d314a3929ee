"""A short bilingual text every reader test builds in its own format (one Russian paragraph deleted), and what
aligning and checking its plain-text version gives: the pairs and the single `untranslated` finding."""

from __future__ import annotations

from pathlib import Path

RU = [
    "Кошка сидела на подоконнике и смотрела на дождь. Капли стекали по стеклу.",
    "Вечером пришёл хозяин и включил свет. Кошка спрыгнула на пол и подошла к нему.",
    "Утром дождь закончился, и выглянуло солнце.",
]
EN = [
    "The cat sat on the windowsill and watched the rain. Drops ran down the glass.",
    "In the evening the owner came home and turned on the light. The cat jumped down and went up to him.",
    "He gave her some milk and sat down to read the newspaper by the fire.",  # its Russian paragraph was deleted
    "In the morning the rain stopped and the sun came out.",
]
DELETED = 2  # index in EN of the paragraph without a Russian counterpart


def write_text_pair(folder: Path) -> tuple[Path, Path]:
    """story.ru.txt and story.en.txt, paragraphs separated by blank lines."""
    folder.mkdir(parents=True, exist_ok=True)
    ru, en = folder / "story.ru.txt", folder / "story.en.txt"
    ru.write_text("\n\n".join(RU) + "\n", encoding="utf-8")
    en.write_text("\n\n".join(EN) + "\n", encoding="utf-8")
    return ru, en


def pairs_and_findings(ru: Path, en: Path) -> tuple[list[tuple[str, str]], list]:
    """The (Russian, English) texts of each pair, and the check's findings with --require ru (so the deleted
    paragraph is the one `untranslated` finding), for the two files through the real pipeline."""
    from align.checks import CheckOptions, findings
    from align.runner import Request, run

    result = run(Request(paths=(str(ru), str(en)), pair=True))
    alignment = result.alignments[0]
    paired = [bead for bead in alignment.beads if bead.paired]
    pairs = [(" ".join(s.text for s in bead.ru), " ".join(s.text for s in bead.en)) for bead in paired]
    return pairs, findings(result.alignments, CheckOptions(require="ru"))


MIXED = "Кошка сидела на подоконнике и смотрела на дождь.\n\nThe cat sat on the windowsill and watched the rain.\n"


def aligned(ru: Path, en: Path):
    """The alignment of two files given as a pair, through the runner."""
    from align.runner import Request, run

    return run(Request(paths=(str(ru), str(en)), pair=True)).alignments[0]


def run_beside_a_good_file(bad: Path, folder: Path) -> tuple[int, list[str], str, str, Path]:
    """`align run BAD mixed.txt --out OUT` (mixed.txt holds MIXED): exit code, error lines, stdout, stderr, OUT."""
    from tests.conftest import run_cli

    good = folder / "mixed.txt"
    good.write_text(MIXED, encoding="utf-8")
    out = folder / "out"
    code, stdout, stderr = run_cli("run", str(bad), str(good), "--out", str(out))
    return code, [line for line in stderr.splitlines() if line.startswith("error:")], stdout, stderr, out
