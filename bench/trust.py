"""The trust tables of bench/quality.md: confidence calibration per corpus, false untranslated on complete translations.

Calibration: align's paired beads by confidence bin, and the share of them that are right against the gold. A bead
of a sentence-level corpus is right when it equals a gold bead; in bilinguator_dev, whose gold pairs paragraphs, when
all its sentences lie in one gold bead (the sentence alignment inside a paragraph pair is unknown).

Complete translations: `make_cases.py --drop 0 --merge 0` (nothing deleted, nothing merged), aligned in-process
with the cached encoder; "false untranslated" counts units `align check --require both` reports as `untranslated`
(loose-translation notes are not errors) that are not gold one-sided units, and units score.py finds linked to
nothing that are not gold one-sided.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from align.cache import cache_path
from align.cached_encoder import CachedEncoder
from align.checks.options import CheckOptions
from align.checks.untranslated import facing_sentences, passages
from align.encoders.use import UseEncoder
from align.files import write_atomic
from align.load import find_inputs
from align.model import Alignment, Segment
from align.pipeline import Pipeline
from align.writers.jsonl import jsonl_text

BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)
HIGH = 0.9  # beads at least this confident ...
HIGH_FLOOR = 0.97  # ... must be right at least this often on every corpus
PARAGRAPH_GOLD = frozenset({"bilinguator_dev"})
PER = 1000  # false untranslated are counted per this many units
FALSE_FLOOR = 0.5  # false untranslated units per PER on complete news and health translations ...
LITERARY_FALSE_FLOOR = 3.0  # ... and on complete literary ones
LITERARY = "bilinguator_dev"  # the complete literary works `align check --require en` is tried on


def bench_modules(bench: Path) -> Any:
    """score.py and make_cases.py of ../shared/bench."""
    sys.path.insert(0, str(bench))
    import make_cases
    import score

    return score, make_cases


def gold_sides(score: Any, cases: Path, gold: dict) -> dict[str, Any]:
    """score.SideIndex of both sides of one gold record."""
    return {
        side: score.SideIndex(gold[side], score.read_text(str(cases / gold[side]["file"]))) for side in ("ru", "en")
    }


def bead_owner(gold: dict) -> dict[tuple[str, int], int]:
    """(side, unit) -> the index of the gold bead holding it."""
    return {(side, unit): k for k, bead in enumerate(gold["beads"]) for side in ("ru", "en") for unit in bead[side]}


def calibration(bench: Path, cases: Path, pred: Path, corpus: str) -> list[tuple[str, int, float]]:
    """(bin label, paired beads, share right) per confidence bin, for one corpus and mode."""
    score, _ = bench_modules(bench)
    hits = [[0, 0] for _ in BINS[:-1]]
    for line in (cases / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        sides = gold_sides(score, cases, gold)
        truth = {(frozenset(b["ru"]), frozenset(b["en"])) for b in gold["beads"]}
        owner = bead_owner(gold)
        rows, _ = score.read_predictions(str(pred / f"{gold['doc']}.jsonl"))
        for row in rows:
            if not (row["ru"]["spans"] and row["en"]["spans"]):
                continue
            scratch: collections.Counter = collections.Counter()
            ru, en = sides["ru"].map_side(row["ru"], scratch), sides["en"].map_side(row["en"], scratch)
            if corpus in PARAGRAPH_GOLD:
                owners = {owner.get(("ru", u)) for u in ru} | {owner.get(("en", u)) for u in en}
                right = len(owners) == 1 and None not in owners
            else:
                right = (ru, en) in truth
            index = next(i for i in range(len(BINS) - 1) if BINS[i] <= row["score"] < BINS[i + 1])
            hits[index][0] += 1
            hits[index][1] += right
    return [(bin_label(i), n, good / n if n else 0.0) for i, (n, good) in enumerate(hits)]


def bin_label(i: int) -> str:
    last = i == len(BINS) - 2
    return f"[{BINS[i]:.2f}, {min(BINS[i + 1], 1.0):.2f}{']' if last else ')'}"


def high_share(rows: list[tuple[str, int, float]]) -> tuple[int, float]:
    """Beads at confidence HIGH or more and the share of them that are right."""
    chosen = [(n, share) for (label, n, share), low in zip(rows, BINS, strict=False) if low >= HIGH]
    total = sum(n for n, _ in chosen)
    return total, (sum(n * share for n, share in chosen) / total if total else 1.0)


def calibration_lines(bench: Path, out: Path, corpora: list[str], modes: list[str]) -> list[str]:
    """The calibration table: one row per corpus and mode, one column per confidence bin, and the ≥ 0.9 verdict."""
    head = "| corpus | mode | " + " | ".join(bin_label(i) for i in range(len(BINS) - 1)) + f" | ≥ {HIGH} right |"
    lines = [head, "|" + "---|" * (len(BINS) + 2)]
    for corpus in corpora:
        for mode in modes:
            cases, pred = out / "cases" / f"{corpus}.{mode}", out / "pred" / f"{corpus}.{mode}"
            if not (cases / "gold.jsonl").exists():
                continue
            rows = calibration(bench, cases, pred, corpus)
            cells = " | ".join(f"{share:.3f} ({n})" if n else "–" for _, n, share in rows)
            n, share = high_share(rows)
            verdict = "met" if share >= HIGH_FLOOR else f"**missed** (floor {HIGH_FLOOR})"
            lines.append(f"| {corpus} | {mode} | {cells} | {share:.3f} of {n}: {verdict} |")
    return lines


def flagged_units(alignment: Alignment, sides: dict[str, Any]) -> set[tuple[str, int]]:
    """(side, unit) of every unit holding a sentence `align check --require both` reports as untranslated."""
    facing = facing_sentences(alignment)
    segments: list[Segment] = []
    for passage in passages(alignment, CheckOptions(require="both")):
        if passage.status in ("ru", "en") and not all(id(s) in facing for s in passage.segments):
            segments.extend(passage.segments)
    return {(s.lang, unit) for s in segments for unit in sides[s.lang].units(s.start, s.end)}


def complete_translations(bench: Path, out: Path, corpora: list[str], seed: int) -> list[dict]:
    """Per corpus: units, false untranslated by check and by score.py, on cases with nothing deleted or merged."""
    score, make_cases = bench_modules(bench)
    pipeline = Pipeline(CachedEncoder(UseEncoder(), cache_path()))
    results = []
    for corpus in corpora:
        cases, pred = out / "complete" / "cases" / corpus, out / "complete" / "pred" / corpus
        options = make_cases.Options(mode="pair", seed=seed, merge=0.0, drop=0.0, force=True)
        make_cases.make_cases(str(bench / "corpora" / corpus), str(cases), options, "bench/trust.py")
        pred.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        alignments = {}
        inputs, _ = find_inputs([str(p) for p in sorted(cases.glob("*.txt"))])
        for result, _ in pipeline.results(inputs):
            if isinstance(result, Alignment):
                alignments[result.document.name] = result
                write_atomic(pred / f"{result.document.name}.jsonl", jsonl_text(result))
        seconds = time.perf_counter() - start
        units = checked_false = 0
        for line in (cases / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            gold = json.loads(line)
            sides = gold_sides(score, cases, gold)
            units += len(gold["ru"]["spans"]) + len(gold["en"]["spans"])
            one_sided = {
                (s, u) for b in gold["beads"] for s in ("ru", "en") if not b["en" if s == "ru" else "ru"] for u in b[s]
            }
            if gold["doc"] in alignments:
                checked_false += len(flagged_units(alignments[gold["doc"]], sides) - one_sided)
        counts = score.score(str(cases), str(pred))["summary"]["counts"]
        scored_false = counts.get("untr_pred", 0) - counts.get("untr_tp", 0)
        results.append(dict(corpus=corpus, units=units, check=checked_false, score=scored_false, seconds=seconds))
    return results


def complete_lines(results: list[dict]) -> list[str]:
    """The complete-translations table, each row against its floor (both counts at or under it)."""
    lines = [
        "| corpus | units | false untranslated (check) | per 1000 | unlinked, not one-sided (score.py) | per 1000 "
        "| floor per 1000 | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        floor = LITERARY_FALSE_FLOOR if r["corpus"] in PARAGRAPH_GOLD else FALSE_FLOOR
        checked, scored = (PER * r[key] / max(r["units"], 1) for key in ("check", "score"))
        verdict = "met" if max(checked, scored) <= floor else "**missed**"
        lines.append(
            f"| {r['corpus']} | {r['units']} | {r['check']} | {checked:.1f} | {r['score']} | {scored:.1f} "
            f"| ≤ {floor:g} | {verdict} |"
        )
    return lines


def line_offsets(text: str) -> list[int]:
    """The offset where each line of `text` starts, and the text's end."""
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def literary_errors(bench: Path, out: Path) -> dict:
    """`align check --require en --format json` on the complete literary works: its errors, and how many of them
    lie wholly on units the gold itself keeps one-sided (a paragraph the published translation lacks)."""
    score, _ = bench_modules(bench)
    cases = out / "complete" / "cases" / LITERARY
    files = sorted(str(p) for p in cases.glob("*.txt"))
    command = [str(Path(sys.executable).with_name("align")), "check", *files, "--require", "en", "--format", "json"]
    report = json.loads(subprocess.run(command, capture_output=True, text=True).stdout)
    golds = {g["doc"]: g for g in map(json.loads, (cases / "gold.jsonl").read_text(encoding="utf-8").splitlines())}
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    one_sided, others = 0, []
    for finding in errors:
        gold = golds[finding["document"]]
        side = "ru" if finding["file"].endswith(".ru.txt") else "en"
        text = score.read_text(finding["file"])
        offsets = line_offsets(text)
        start, end = offsets[finding["line"] - 1], offsets[min(finding["end_line"], len(offsets) - 1)]
        units = gold_sides(score, cases, gold)[side].units(start, end)
        kept = {u for b in gold["beads"] if not b["en" if side == "ru" else "ru"] for u in b[side]}
        if bool(units) and units <= kept:
            one_sided += 1
        else:
            others.append(
                dict(
                    file=Path(finding["file"]).name,
                    line=finding["line"],
                    text=text[start:end].strip(),
                    gold=gold_partner(score, cases, gold, side, units),
                )
            )
    rules = collections.Counter(f["rule"] for f in errors)
    return dict(works=len(files) // 2, errors=len(errors), one_sided=one_sided, rules=dict(rules), others=others)


def gold_partner(score: Any, cases: Path, gold: dict, side: str, units: set[int]) -> str:
    """The other side's text of the gold beads holding `units` (what the gold says they translate)."""
    other = "en" if side == "ru" else "ru"
    text = score.read_text(str(cases / gold[other]["file"]))
    owner = bead_owner(gold)
    partners = sorted({u for k in {owner[(side, unit)] for unit in units} for u in gold["beads"][k][other]})
    return " ".join(text[slice(*gold[other]["spans"][u])].strip() for u in partners)


def literary_lines(result: dict) -> list[str]:
    """The literary check's one paragraph of bench/quality.md."""
    verdict = "met" if result["errors"] == 0 else "**missed**"
    return [
        f"`align check CASES/*.txt --require en --format json` on {LITERARY}'s {result['works']} complete works "
        f"(CASES: make_cases.py --drop 0 --merge 0): **{result['errors']} errors** (floor 0: {verdict}); "
        f"{result['one_sided']} of them lie wholly on paragraphs the gold itself keeps one-sided, "
        f"{result['errors'] - result['one_sided']} do not. "
        f"Errors by rule: {', '.join(f'{k} {v}' for k, v in sorted(result['rules'].items())) or 'none'}."
        + (
            " The others, with what the gold pairs them with (its beads are paragraphs, paired in order):"
            if result["others"]
            else ""
        ),
        "",
        *(f"- {o['file']}:{o['line']} «{shorter(o['text'])}» — gold: {shorter(o['gold'])}" for o in result["others"]),
    ]


def shorter(text: str, limit: int = 90) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
