"""Beyond RU/EN: align on Text+Berg de-fr (the field's benchmark) and on a second pair, scored by score_vecalign.py.

    python bench/textberg.py --bench ../shared/bench --out bench-work/textberg [--pair es,it] [-- ALIGN OPTIONS]

1. Text+Berg German-French dev (../shared/bench/corpora/textberg_de-fr_dev: dev.de, dev.fr, gold dev.defr):
   `align pair dev.de dev.fr --langs de,fr --presplit --format vecalign`, scored with
   `score_vecalign.py -g dev.defr -t OUT/dev.vecalign` (strict and lax P/R/F1, the published convention).
2. A second pair built from Django's translation catalogs (the PyPI wheel, fetched with `pip download`, BSD
   licence): every message translated in both languages, English msgid as the pivot, one message a line, in
   msgid order; then, with a fixed seed, some lines dropped on one side (one-sided beads) and some pairs of
   consecutive messages joined on one side (2-1 / 1-2 beads). Gold is kept in vecalign's format; nothing is copied
   into the repository.
Prints one Markdown table row per set (the figures of bench/textberg.md and the README); with --shapes, after each
row, the gold beads missed and align's beads not in the gold, counted by shape ("1-2": one source line, two target).
"""

from __future__ import annotations

import argparse
import ast
import gettext
import io
import random
import re
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

DJANGO = "django==5.2.19"  # the wheel the second pair is made from (pinned: the same text every time)
DROP, MERGE = 0.06, 0.08  # per line: probability to drop it on one side, to join it with the next on one side
SEED = 1
NO_SPACE_LANGS = frozenset({"ja", "zh", "th"})  # joined without a space
CATALOG_LANG = {"zh": "zh_Hans", "pt": "pt_BR"}  # Django's locale folder of a --langs code
TABLE_HEAD = (
    "| set | pair | beads | strict P | strict R | strict F1 | lax P | lax R | lax F1 | time s |\n|" + "---|" * 10
)
FIGURE = re.compile(r"\|\s*(Precision|Recall|F1)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|")


def aligned(source: Path, target: Path, langs: str, out: Path, extra: list[str]) -> float:
    """Run `align pair SOURCE TARGET --langs LANGS --presplit --format vecalign --out OUT`; seconds taken."""
    align = Path(sys.executable).with_name("align")
    command = [str(align), "pair", str(source), str(target), "--langs", langs, "--presplit", "-f", "vecalign"]
    started = time.perf_counter()
    subprocess.run([*command, "--out", str(out), "-q", *extra], check=True)
    return time.perf_counter() - started


def scored(bench: Path, gold: Path, test: Path) -> dict[str, tuple[float, float]]:
    """score_vecalign.py's figures: {"Precision": (strict, lax), "Recall": …, "F1": …}."""
    command = [sys.executable, str(bench / "score_vecalign.py"), "-g", str(gold), "-t", str(test)]
    table = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return {name: (float(strict), float(lax)) for name, strict, lax in FIGURE.findall(table)}


def row(name: str, langs: str, gold: Path, figures: dict[str, tuple[float, float]], seconds: float) -> str:
    beads = sum(1 for line in gold.read_text(encoding="utf-8").splitlines() if line.strip())
    cells = [f"{figures[key][k]:.3f}" for k in (0, 1) for key in ("Precision", "Recall", "F1")]
    return f"| {name} | {langs} | {beads} | " + " | ".join(cells) + f" | {seconds:.0f} |"


def bead_set(path: Path) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The beads of a vecalign file, as (source ids, target ids)."""
    beads = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            source, target = line.split(":")[:2]  # `[src ids]:[tgt ids]:score`, ids holding no colon
            beads.add((tuple(ast.literal_eval(source)), tuple(ast.literal_eval(target))))
    return beads


def shapes(gold: Path, test: Path) -> str:
    """The gold beads the test misses and the test beads not in the gold, counted by shape, most frequent first."""
    gold_beads, test_beads = bead_set(gold), bead_set(test)

    def counted(beads: set[tuple[tuple[int, ...], tuple[int, ...]]]) -> str:
        found = Counter(f"{len(source)}-{len(target)}" for source, target in beads)
        return ", ".join(f"{shape} {count}" for shape, count in found.most_common())

    return f"missed gold beads: {counted(gold_beads - test_beads)}; wrong beads: {counted(test_beads - gold_beads)}"


def textberg_row(bench: Path, out: Path, extra: list[str], by_shape: bool = False) -> str:
    corpus = bench / "corpora" / "textberg_de-fr_dev"
    seconds = aligned(corpus / "dev.de", corpus / "dev.fr", "de,fr", out / "textberg", extra)
    figures = scored(bench, corpus / "dev.defr", out / "textberg" / "dev.vecalign")
    found = row("Text+Berg dev", "de-fr", corpus / "dev.defr", figures, seconds)
    return found + ("\n" + shapes(corpus / "dev.defr", out / "textberg" / "dev.vecalign") if by_shape else "")


def django_catalog(wheel: Path, lang: str) -> dict[str, str]:
    """msgid -> translation of every django.mo of the language in the wheel (plural forms and empties left out)."""
    folder = f"/locale/{CATALOG_LANG.get(lang, lang)}/LC_MESSAGES/django.mo"
    catalog: dict[str, str] = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith(folder):
                translations = gettext.GNUTranslations(io.BytesIO(archive.read(name)))
                messages = translations._catalog  # type: ignore[attr-defined]  # msgid -> msgstr, as read
                catalog.update((k, v) for k, v in messages.items() if isinstance(k, str) and k and v)
    return catalog


def one_line(text: str) -> str:
    return " ".join(text.split())


def made_pair(wheel: Path, langs: tuple[str, str], folder: Path) -> tuple[Path, Path, Path]:
    """SRC file, TGT file and gold of the Django pair (see the module docstring), in `folder`."""
    source_catalog, target_catalog = (django_catalog(wheel, lang) for lang in langs)
    pairs = [
        (one_line(source_catalog[key]), one_line(target_catalog[key]))
        for key in sorted(set(source_catalog) & set(target_catalog))
        if one_line(source_catalog[key]) and one_line(target_catalog[key])
    ]
    rng = random.Random(SEED)
    sides: tuple[list[str], list[str]] = ([], [])
    gold: list[str] = []
    k = 0
    while k < len(pairs):
        chance = rng.random()
        if chance < DROP:  # one side keeps the message, the other lost it
            kept = rng.randrange(2)
            sides[kept].append(pairs[k][kept])
            ids = [len(sides[kept]) - 1]
            gold.append(f"{ids}:[]" if kept == 0 else f"[]:{ids}")
            k += 1
        elif chance < DROP + MERGE and k + 1 < len(pairs):  # one side joins two messages into one line
            joined = rng.randrange(2)
            glue = "" if langs[joined] in NO_SPACE_LANGS else " "
            sides[joined].append(pairs[k][joined] + glue + pairs[k + 1][joined])
            other = 1 - joined
            sides[other].extend((pairs[k][other], pairs[k + 1][other]))
            one, two = [len(sides[joined]) - 1], [len(sides[other]) - 2, len(sides[other]) - 1]
            gold.append(f"{one}:{two}" if joined == 0 else f"{two}:{one}")
            k += 2
        else:
            for side in (0, 1):
                sides[side].append(pairs[k][side])
            gold.append(f"[{len(sides[0]) - 1}]:[{len(sides[1]) - 1}]")
            k += 1
    folder.mkdir(parents=True, exist_ok=True)
    paths = (folder / f"django.{langs[0]}", folder / f"django.{langs[1]}", folder / "django.gold")
    for path, lines in zip(paths, (*sides, gold), strict=True):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def django_row(bench: Path, out: Path, langs: tuple[str, str], extra: list[str], by_shape: bool = False) -> str:
    wheels = out / "wheels"
    found = sorted(wheels.glob("[Dd]jango-*.whl"))
    if not found:
        pip = [sys.executable, "-m", "pip", "download", DJANGO, "--no-deps", "-d", str(wheels), "-q"]
        subprocess.run(pip, check=True)
        found = sorted(wheels.glob("[Dd]jango-*.whl"))
    source, target, gold = made_pair(found[-1], langs, out / "django-pair")
    seconds = aligned(source, target, ",".join(langs), out / "django", extra)
    figures = scored(bench, gold, out / "django" / "django.vecalign")
    found = row("Django catalogs", "-".join(langs), gold, figures, seconds)
    return found + ("\n" + shapes(gold, out / "django" / "django.vecalign") if by_shape else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "bench")
    parser.add_argument("--out", type=Path, default=Path("bench-work/textberg"))
    parser.add_argument("--pair", default="es,it", help="the second pair's languages (Django catalogs)")
    parser.add_argument("--shapes", action="store_true", help="after each row, the differing beads by shape")
    parser.add_argument("extra", nargs="*", help="more align options, after --")
    args = parser.parse_args()
    langs = tuple(args.pair.split(","))
    print(TABLE_HEAD)
    print(textberg_row(args.bench, args.out, args.extra, args.shapes), flush=True)
    print(django_row(args.bench, args.out, (langs[0], langs[1]), args.extra, args.shapes), flush=True)


if __name__ == "__main__":
    main()
