"""Re-checks as a pre-commit hook and a CI job make them: a docs tree with one page edited, and an unchanged re-run.

usage: python bench/incremental.py [--bench ../shared/bench] [--work bench-work/incremental] [--rounds 3]

- Builds a tree of >= 200 pages from the Vue.js guide (vuedocs_en-ru, en/ + ru/ Markdown), copied COPIES times
  under renamed folders (en/copy1/guide/x.md <-> ru/copy1/guide/x.md, ...).
- `align check TREE` on a cold cache once, then ROUNDS interleaved rounds of: `align --version`; `align check
  TREE` unchanged; one sentence added to one paragraph of one Russian page, then `align check TREE`; another
  sentence added, then `align check PAGE` (only the changed file, as pre-commit passes it: its English partner
  is found by the layouts). Each edited check must report the added sentence as untranslated.
- With --verify, the tree's warm check at the end (its last edit read back from the cache) must print the same
  JSON report, byte for byte, as `align check TREE --no-cache` (every page aligned and judged afresh).
- wmt22 ru-en (pair cases of make_cases.py, seed 1): `align run` on a cold cache, then unchanged re-runs.
Medians over rounds; ratios are taken within the same rounds; the edited checks' CPU seconds (user + system of the
child process) too, which a loaded machine inflates less than wall time. Writes a JSON summary (--json).
- With --against CLONE, the docs tree's rows of that version too (PYTHONPATH=CLONE, its own tree copy and cache
  under WORK/against), the two versions taking turns at every command of every round.

Every command runs with its compiled modules kept (PYTHONPYCACHEPREFIX in the work folder, the environment's
PYTHONDONTWRITEBYTECODE dropped), as an installed align's are: otherwise each run compiles align's own modules
from source again (about 45 for a check), which no pre-commit hook of a pip-installed align pays (--as-is: the
environment unchanged, as the figures before 2026-12-01 20:00 UTC were taken).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ALIGN = str(Path(sys.executable).with_name("align"))
DOCS = "vuedocs_en-ru"
COPIES = 4  # 52 pages a copy
PAGE = "ru/copy1/guide/essentials/computed.md"  # the page a commit edits
ADDED = "Это предложение добавлено при проверке номер {k}, чтобы увидеть, что правка найдена."


def docs_tree(bench: Path, tree: Path, copies: int) -> int:
    """The tree of `copies` renamed copies of the Vue.js guide; its number of two-language pages."""
    corpus = bench / "corpora" / DOCS
    shutil.rmtree(tree, ignore_errors=True)
    for lang in ("en", "ru"):
        for k in range(1, copies + 1):
            shutil.copytree(corpus / lang, tree / lang / f"copy{k}")
    en = {p.relative_to(tree / "en") for p in (tree / "en").rglob("*.md")}
    ru = {p.relative_to(tree / "ru") for p in (tree / "ru").rglob("*.md")}
    return len(en & ru)


def wall(command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
    """Wall seconds and stdout of a command whose exit code must be one of `ok`."""
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(command)}: exit {proc.returncode}: {proc.stderr[-800:]}")
    return seconds, proc.stdout


def check(target: Path, env: dict[str, str]) -> tuple[float, dict]:
    """`align check TARGET -f json` (exit 0 or 1: findings are its answer): seconds and the parsed report."""
    seconds, out = wall([ALIGN, "check", str(target), "-f", "json"], env, ok=(0, 1))
    return seconds, json.loads(out)


def same_as_uncached(tree: Path, env: dict[str, str]) -> bool:
    """Whether the tree's check through the cache prints, byte for byte, the report of a check without it."""
    warm = wall([ALIGN, "check", str(tree), "-f", "json"], env, ok=(0, 1))[1]
    return warm == wall([ALIGN, "check", str(tree), "-f", "json", "--no-cache"], env, ok=(0, 1))[1]


def measured_env(work: Path, cache: str, as_is: bool = False) -> dict[str, str]:
    """The environment of every measured command: the cache folder, and (unless `as_is`) compiled modules kept in
    the work folder."""
    if as_is:
        return dict(os.environ, ALIGN_CACHE_DIR=cache)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, ALIGN_CACHE_DIR=cache, PYTHONPYCACHEPREFIX=str((work / "pycache").resolve()))


def edited(page: Path, k: int) -> str:
    """Add round k's sentence to the page's first long paragraph; the sentence."""
    text = page.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    first = next(i for i, p in enumerate(paragraphs) if len(p) > 80 and p[0].isalpha())
    sentence = ADDED.format(k=k)
    paragraphs[first] = paragraphs[first] + " " + sentence
    page.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return sentence


def reports(report: dict, sentence: str) -> bool:
    """Whether a check report has the added sentence among its findings."""
    return any(sentence in (finding.get("ru") or "") for finding in report["findings"])


def tree_rows(bench: Path, work: Path, rounds: int, env: dict[str, str], verify: bool = False) -> dict:
    """The docs tree's rows for the align `env` runs."""
    return interleaved_tree_rows(bench, {"": (work, env)}, rounds, verify)[""]


def interleaved_tree_rows(
    bench: Path, sides: dict[str, tuple[Path, dict[str, str]]], rounds: int, verify: bool = False
) -> dict[str, dict]:
    """Per side (name -> its work folder and environment, e.g. another version's PYTHONPATH), the docs tree's
    rows: each side on its own copy of the tree with its own cache, the sides taking turns at every command of
    every round, so that a loaded machine's swings fall on all of them alike."""
    trees = {name: work / "tree" for name, (work, _) in sides.items()}
    pages = {name: docs_tree(bench, tree, COPIES) for name, tree in trees.items()}
    cold = {name: check(trees[name], env) for name, (_, env) in sides.items()}
    kinds = ("version", "unchanged", "edited_tree", "edited_file", "edited_tree_cpu", "edited_file_cpu")
    rows: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in kinds} for name in sides}
    for k in range(rounds):
        for name, (_, env) in sides.items():
            rows[name]["version"].append(wall([ALIGN, "--version"], env)[0])
        for name, (_, env) in sides.items():
            rows[name]["unchanged"].append(check(trees[name], env)[0])
        for name, (_, env) in sides.items():
            sentence = edited(trees[name] / PAGE, 2 * k)
            before = children_cpu()
            seconds, found = check(trees[name], env)
            assert reports(found, sentence), "the edited sentence is not in the tree's report"
            rows[name]["edited_tree"].append(seconds)
            rows[name]["edited_tree_cpu"].append(children_cpu() - before)
        for name, (_, env) in sides.items():
            sentence = edited(trees[name] / PAGE, 2 * k + 1)
            before = children_cpu()
            seconds, found = check(trees[name] / PAGE, env)
            rows[name]["edited_file_cpu"].append(children_cpu() - before)
            assert reports(found, sentence) and len(found["documents"]) == 1, "the edited file was not checked"
            assert any("/en/" in finding["file"] for finding in found["findings"]), "its English partner was not found"
            rows[name]["edited_file"].append(seconds)
    result = {}
    for name, (_, env) in sides.items():
        medians = {key: round(statistics.median(values), 3) for key, values in rows[name].items()}
        if verify:
            assert same_as_uncached(trees[name], env), "the cached check's report differs from an uncached check's"
        version = medians["version"]
        ratios = ("unchanged", "edited_tree", "edited_file")
        result[name] = {
            "pages": pages[name],
            "verified_same_as_uncached": verify,
            "documents_checked": len(cold[name][1]["documents"]),
            "cold_check_s": round(cold[name][0], 2),
            **{f"{key}_s": value for key, value in medians.items()},
            **{f"{key}_vs_version": round(medians[key] / version, 1) for key in ratios},
            "rounds": {key: [round(v, 3) for v in values] for key, values in rows[name].items()},
        }
    return result


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = os.times()
    return usage.children_user + usage.children_system


def wmt_rows(bench: Path, work: Path, rounds: int, env: dict[str, str]) -> dict:
    cases = work / "cases" / "wmt22_generaltest_ru-en.pair"
    if not (cases / "gold.jsonl").exists():
        corpus = bench / "corpora" / "wmt22_generaltest_ru-en"
        maker = [sys.executable, str(bench / "make_cases.py"), str(corpus), str(cases), "--mode", "pair"]
        subprocess.run([*maker, "--seed", "1", "--force"], check=True, stdout=subprocess.DEVNULL)
    inputs = work / "input-wmt22"
    shutil.rmtree(inputs, ignore_errors=True)
    inputs.mkdir(parents=True)
    for doc in cases.glob("*.txt"):
        shutil.copy(doc, inputs)
    command = [ALIGN, "run", str(inputs), "--out", str(work / "out-wmt22"), "-f", "jsonl", "-q"]
    cold, _ = wall(command, env)
    again, version = [], []
    for _ in range(rounds):
        again.append(wall(command, env)[0])
        version.append(wall([ALIGN, "--version"], env)[0])
    rerun = statistics.median(again)
    return {
        "cold_s": round(cold, 2),
        "unchanged_rerun_s": round(rerun, 3),
        "speedup": round(cold / rerun, 1),
        "version_s": round(statistics.median(version), 3),
        "rounds": [round(v, 3) for v in again],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("bench-work/incremental"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-wmt", action="store_true", help="only the docs tree")
    parser.add_argument("--verify", action="store_true", help="the warm report must equal an uncached check's")
    parser.add_argument("--as-is", action="store_true", help="the environment as it is (no compiled modules kept)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--against", type=Path, default=None, help="a clone of another version: its tree rows interleaved with these"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = {"load_average_start": os.getloadavg()[0], "compiled_modules_kept": not args.as_is}
    if args.against:
        with tempfile.TemporaryDirectory() as this, tempfile.TemporaryDirectory() as other:
            theirs = dict(measured_env(args.work / "against", other, args.as_is), PYTHONPATH=str(args.against))
            mine = measured_env(args.work, this, args.as_is)
            sides = {"this": (args.work, mine), "against": (args.work / "against", theirs)}
            result["docs_tree"] = interleaved_tree_rows(args.bench, sides, args.rounds, args.verify)
            for name in sides:
                print(name, json.dumps(result["docs_tree"][name]), flush=True)
    else:
        with tempfile.TemporaryDirectory() as cache:
            env = measured_env(args.work, cache, args.as_is)
            result["docs_tree"] = tree_rows(args.bench, args.work, args.rounds, env, args.verify)
            print(json.dumps(result["docs_tree"]), flush=True)
    if not args.skip_wmt:
        with tempfile.TemporaryDirectory() as cache:
            env = measured_env(args.work, cache, args.as_is)
            result["wmt22_rerun"] = wmt_rows(args.bench, args.work, args.rounds, env)
            print(json.dumps(result["wmt22_rerun"]), flush=True)
    result["load_average_end"] = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
