"""Peak memory and wall time of `align run` on inputs of hostile shape (issue 16), for RELIABILITY.md.

usage: python bench/reliability.py [--work DIR] [--cases NAME,...] [--out FILE.json]

Each case writes its input into --work, runs `align run INPUT --out DIR` (default formats, a cold cache of its
own, SOURCE_DATE_EPOCH fixed) in a subprocess and reads that child's peak RSS and CPU time from os.wait4.
Cases (NAME: input):
- unpunctuated-5mb / -10mb / -20mb: a Russian paragraph and an English one with no sentence punctuation at all,
  each half the size (the 20 MB one is the issue's "two 10 MB paragraphs");
- file-200mb: the same shape at 200 MB, with --max-file-size 300MB;
- paragraph-7500 / -15000 / -30000: one Russian paragraph of N sentences and its English version as one
  paragraph (30,000 per side is about 1.6 MB); every sentence distinct, so every one is embedded;
- page-10mb / page-50mb / page-200mb: a mixed page of many short paragraphs (tests.test_reliability.write_big_page:
  drawn from 2,000 distinct paragraph pairs, so the cache encodes each text once while the document is full-size;
  50 MB is about 606,000 sentences), the sentence-rich shape of a big file.
Prints one Markdown row per case as it finishes and writes all of them to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ALIGN = str(Path(sys.executable).with_name("align"))
EPOCH = "1700000000"
WORDS = [  # Russian / English word pairs: sentences the language identifier settles without lingua
    ("кошка", "cat"), ("собака", "dog"), ("дом", "house"), ("река", "river"), ("лес", "forest"),
    ("город", "city"), ("улица", "street"), ("окно", "window"), ("стол", "table"), ("книга", "book"),
    ("дерево", "tree"), ("небо", "sky"), ("солнце", "sun"), ("ветер", "wind"), ("море", "sea"),
    ("поле", "field"), ("школа", "school"), ("мост", "bridge"), ("поезд", "train"), ("письмо", "letter"),
]
MB = 1_000_000
CASES = {
    "unpunctuated-5mb": ("unpunctuated", 5 * MB),
    "unpunctuated-10mb": ("unpunctuated", 10 * MB),
    "unpunctuated-20mb": ("unpunctuated", 20 * MB),
    "file-200mb": ("unpunctuated", 200 * MB),
    "paragraph-7500": ("paragraph", 7_500),
    "paragraph-15000": ("paragraph", 15_000),
    "paragraph-30000": ("paragraph", 30_000),
    "page-10mb": ("page", 10 * MB),
    "page-50mb": ("page", 50 * MB),
    "page-200mb": ("page", 200 * MB),
}
MAX_FILE_SIZE = "300MB"  # above the 200 MB case (the default limit is 50 MB)


def write_unpunctuated(path: Path, size: int, seed: int = 0) -> None:
    """About `size` bytes: a Russian paragraph of words, a blank line, an English one; no full stop anywhere."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for side in (0, 1):
            written = 0
            while written < size // 2:
                line = " ".join(rng.choice(WORDS)[side] for _ in range(1000)) + " "
                handle.write(line)
                written += len(line.encode("utf-8"))
            handle.write("\n\n")


def write_paragraph(path: Path, sentences: int, seed: int = 0) -> None:
    """One Russian paragraph of `sentences` distinct sentences, a blank line, its English version."""
    rng = random.Random(seed)
    ru, en = [], []
    for number in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(2, 4))]
        ru.append(" ".join(w[0] for w in words).capitalize() + f" {number}.")
        en.append(" ".join(w[1] for w in words).capitalize() + f" {number}.")
    path.write_text(" ".join(ru) + "\n\n" + " ".join(en) + "\n", encoding="utf-8")


def write_page(path: Path, size: int) -> None:
    """A mixed page of about `size` bytes: short RU paragraphs each followed by its English version."""
    from tests.test_reliability import write_big_page

    write_big_page(path, size)


def measured(args: list[str], env: dict[str, str]) -> dict[str, float | int]:
    """Run `args`; its exit code, wall seconds, CPU seconds (user + system) and peak RSS in bytes (os.wait4)."""
    began = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return {
        "exit": child.returncode,
        "wall_s": round(time.perf_counter() - began, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_bytes": usage.ru_maxrss * 1024,  # Linux reports KiB
        "stderr_lines": len(stderr.decode("utf-8", "replace").splitlines()),
    }


def run_case(name: str, work: Path) -> dict[str, object]:
    """Write the case's input, align it with a cold cache, and return its figures."""
    shape, size = CASES[name]
    page = work / f"{name}.txt"
    if not page.exists():
        writers = {"unpunctuated": write_unpunctuated, "paragraph": write_paragraph, "page": write_page}
        writers[shape](page, size)
    out, cache = work / f"out-{name}", work / f"cache-{name}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": EPOCH}
    args = [ALIGN, "run", str(page), "--out", str(out), "-q", "--max-file-size", MAX_FILE_SIZE]
    figures: dict[str, object] = {"case": name, "input_bytes": page.stat().st_size, **measured(args, env)}
    if shape in ("paragraph", "page") and figures["exit"] == 0:
        from tests.test_reliability import verify_jsonl

        figures["sentences_checked"] = verify_jsonl(page, out / f"{name}.jsonl")
    shutil.rmtree(cache, ignore_errors=True)
    return figures


def row(figures: dict[str, object]) -> str:
    """One Markdown table row."""
    rss = int(figures["peak_rss_bytes"]) / 1e9  # type: ignore[call-overload]
    checked = figures.get("sentences_checked", "")
    return (
        f"| {figures['case']} | {int(figures['input_bytes']) / MB:.1f} MB | {figures['exit']} | "  # type: ignore[call-overload]
        f"{rss:.2f} GB | {figures['wall_s']} s | {figures['cpu_s']} s | {checked} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("bench-work/reliability"))
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--out", type=Path, default=None, help="JSON file for the figures")
    options = parser.parse_args()
    options.work.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.test_reliability.verify_jsonl
    results = []
    print("| case | input | exit | peak RSS | wall | CPU | sentences checked |", flush=True)
    print("|---|---|---|---|---|---|---|", flush=True)
    for name in options.cases.split(","):
        figures = run_case(name, options.work)
        results.append(figures)
        print(row(figures), flush=True)
        if options.out:
            options.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
