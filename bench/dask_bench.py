"""Documents per second of `align run --engine dask` on this machine, with 1 and 2 worker processes.

    .venv/bin/python bench/dask_bench.py --bench ../shared/bench --work bench-work/dask

What it does (every figure measured in this run):
1. builds 1,000+ pair-mode documents with ../shared/bench/make_cases.py: several dev corpora x several seeds
   (default: wmt22 ru-en + wmt22 en-ru + tico19, seeds 1-3: 1,317 documents, 2,634 files);
2. warms the embedding cache (a bench-only cache folder, bench-work/dask/cache) with one untimed dask run, so
   the timed runs measure everything but encoding: reading, hashing, segmentation, language identification,
   the alignment DP, writing 3 files per document, the shards and the Dask scheduling;
3. times align.run(Request(engine="dask", …)) on a LocalCluster with 1 worker process and with 2 (1 Dask thread
   each; the encoder's BLAS threads split the cores between them), warm cache, into fresh output folders; and the
   local engine (`align run`, one process) on the same documents for comparison;
4. times `--cold-docs` documents (every k-th one) with an EMPTY cache (cold: encoding included) with 1 and 2 workers.

"wall" includes starting the LocalCluster and loading the encoder in each worker; "steady" is the rate between
the 10th percentile and the last document (what a long run on a cluster sees per worker).
Prints a Markdown table and writes WORK/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perf import machine  # noqa: E402  (bench/ is on sys.path when this script runs)

from align.load import Input, find_inputs  # noqa: E402
from align.runner import Outcome, Request, Silent, run  # noqa: E402

CORPORA = ("wmt22_generaltest_ru-en", "wmt22_generaltest_en-ru", "tico19_en-ru")
FORMATS = ("tmx", "csv", "jsonl")


class Stamps(Silent):
    """The runner's Listener that notes the time each document's outcome arrives."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def outcome(self, outcome: Outcome) -> None:
        self.times.append(time.perf_counter())


def make_documents(bench: Path, work: Path, corpora: list[str], seeds: list[int]) -> Path:
    """work/input/s<seed>/<corpus>/*.txt for every corpus and seed (made once)."""
    root = work / "input"
    for seed in seeds:
        for corpus in corpora:
            target = root / f"s{seed}" / corpus
            if target.is_dir() and any(target.glob("*.txt")):
                continue
            cases = work / "cases" / f"s{seed}" / corpus
            command = [sys.executable, str(bench / "make_cases.py"), str(bench / "corpora" / corpus), str(cases)]
            command += ["--mode", "pair", "--seed", str(seed), "--force"]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            target.mkdir(parents=True, exist_ok=True)
            for path in cases.glob("*.txt"):  # not CASES.md / gold.jsonl
                shutil.copy(path, target / path.name)
    return root


def timed_dask(inputs: list[Input], out: Path, workers: int, shard_size: int) -> dict[str, float]:
    """One dask run of `inputs` (their files named one by one) on a fresh LocalCluster; wall and steady-state
    documents per second."""
    shutil.rmtree(out, ignore_errors=True)
    paths = tuple(path for item in inputs for path in item.paths)
    request = Request(paths=paths, out=out, formats=FORMATS, engine="dask", workers=workers, shard_size=shard_size)
    stamps = Stamps()
    start = time.perf_counter()
    result = run(request, stamps)
    wall = time.perf_counter() - start
    manifest = result.details["manifest"]
    if result.failed or manifest.ok != len(inputs):
        raise RuntimeError(f"{manifest.failed} failures: {manifest.failures[:3]} {result.errors[:3]}")
    done = stamps.times
    first = max(1, len(done) // 10)
    steady = (len(done) - first) / (done[-1] - done[first - 1]) if len(done) > first + 1 else 0.0
    return {
        "documents": len(inputs),
        "workers": workers,
        "wall_s": round(wall, 2),
        "docs_per_s_wall": round(len(inputs) / wall, 2),
        "docs_per_s_steady": round(steady, 2),
        "docs_per_s_steady_per_worker": round(steady / workers, 2),
    }


def timed_local(paths: list[str], out: Path) -> dict[str, float]:
    shutil.rmtree(out, ignore_errors=True)
    command = [str(Path(sys.executable).with_name("align")), "run", *paths, "--out", str(out), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - start
    return {"wall_s": round(wall, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=ROOT / "bench-work" / "dask")
    parser.add_argument("--corpora", nargs="+", default=list(CORPORA))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--shard-size", type=int, default=1000)
    parser.add_argument("--cold-docs", type=int, default=40, help="documents timed with an empty cache (0: none)")
    parser.add_argument("--no-local", action="store_true", help="skip the local-engine comparison")
    args = parser.parse_args()
    if not (args.bench / "make_cases.py").exists():
        sys.exit(f"{args.bench}/make_cases.py not found (is ../shared there?)")
    work = args.work.resolve()
    root = make_documents(args.bench, work, args.corpora, args.seeds)
    inputs, errors = find_inputs([str(root)])
    if errors:
        sys.exit(f"{len(errors)} input errors, e.g. {errors[0]}")
    files = sum(len(item.paths) for item in inputs)
    print(f"{len(inputs)} documents ({files} files) from {len(args.corpora)} corpora x seeds {args.seeds}", flush=True)

    results: dict[str, object] = {"machine": machine(), "documents": len(inputs), "files": files}
    os.environ["ALIGN_CACHE_DIR"] = str(work / "cache")  # inherited by the LocalCluster's worker processes
    start = time.perf_counter()
    warm = timed_dask(inputs, work / "out-warmup", max(args.workers), args.shard_size)
    results["warmup"] = {**warm, "note": "untimed pass that fills the cache (cold for new texts only)"}
    print(f"cache warm-up: {time.perf_counter() - start:.0f} s", flush=True)

    rows = []
    for workers in args.workers:
        row = timed_dask(inputs, work / f"out-warm-{workers}", workers, args.shard_size)
        rows.append({"cache": "warm", **row})
        print(rows[-1], flush=True)
    if not args.no_local:
        local = timed_local([str(root)], work / "out-local")
        results["local"] = {**local, "docs_per_s": round(len(inputs) / local["wall_s"], 2)}
        print("local engine:", results["local"], flush=True)
    if args.cold_docs:
        stride = max(1, len(inputs) // args.cold_docs)
        subset = inputs[::stride][: args.cold_docs]  # spread over the corpora and seeds like the whole set
        for workers in args.workers:
            cache = work / f"cache-cold-{workers}"
            shutil.rmtree(cache, ignore_errors=True)
            os.environ["ALIGN_CACHE_DIR"] = str(cache)
            row = timed_dask(subset, work / f"out-cold-{workers}", workers, args.shard_size)
            rows.append({"cache": "cold", **row})
            print(rows[-1], flush=True)
    results["runs"] = rows
    (work / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")

    print(f"\n{results['machine']}\n")
    print("| cache | workers | documents | wall s | docs/s (wall) | docs/s (steady) | per worker (steady) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['cache']} | {row['workers']} | {row['documents']} | {row['wall_s']} | {row['docs_per_s_wall']} "
            f"| {row['docs_per_s_steady']} | {row['docs_per_s_steady_per_worker']} |"
        )
    if "local" in results:
        local = results["local"]
        print(
            f"| warm, local engine (`align run`) | 1 process | {len(inputs)} | {local['wall_s']} "  # type: ignore[index]
            f"| {local['docs_per_s']} | | |"
        )  # type: ignore[index]


if __name__ == "__main__":
    main()
