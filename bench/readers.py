"""The readers' share of a cold docs-tree check (issue 17): their CPU seconds against the whole check's.

usage: python bench/readers.py [--bench ../shared/bench] [--work bench-work/readers] [--skip-check]
Builds bench/incremental.py's tree of >= 200 pages (the Vue.js guide copied), reads every page with its reader
in this process (CPU seconds, so a loaded machine's waiting does not count), then runs a cold
`align check TREE -f json` with an empty cache folder as a child and takes its CPU seconds and peak RSS from getrusage.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from incremental import COPIES, docs_tree  # bench/ is on sys.path when this script runs

from align.readers import reader_for

HERE = Path(__file__).resolve().parent
ALIGN = str(Path(sys.executable).with_name("align"))
KIB_PER_MIB = 1024


def readers_cpu(tree: Path) -> dict:
    """CPU seconds of reading every page of the tree with its reader, and what was read."""
    files = sorted(path for path in tree.rglob("*") if path.is_file())
    began = time.process_time()
    paragraphs = 0
    for path in files:
        reader = reader_for(str(path))
        paragraphs += len(reader.paragraphs(reader.source(str(path), path.read_bytes())))
    return {"files": len(files), "paragraphs": paragraphs, "readers_cpu_s": round(time.process_time() - began, 2)}


def cold_check_cpu(tree: Path, cache: Path) -> dict:
    """CPU seconds and peak RSS of a cold `align check TREE` (an empty cache folder) in a child process."""
    shutil.rmtree(cache, ignore_errors=True)
    env = {"ALIGN_CACHE_DIR": str(cache), "PATH": str(Path(sys.executable).parent)}
    began = time.perf_counter()
    command = [ALIGN, "check", str(tree), "-f", "json", "--fail-on", "never"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "check_wall_s": round(time.perf_counter() - began, 2),
        "check_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "check_peak_rss_mb": round(usage.ru_maxrss / KIB_PER_MIB),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=HERE.parents[1] / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=HERE.parent / "bench-work" / "readers")
    parser.add_argument("--skip-check", action="store_true", help="time the readers only")
    args = parser.parse_args()
    tree = args.work / "tree"
    row: dict = {"pages": docs_tree(args.bench, tree, COPIES), **readers_cpu(tree)}
    if not args.skip_check:
        row |= cold_check_cpu(tree, args.work / "cache")
        row["readers_share"] = round(row["readers_cpu_s"] / row["check_cpu_s"], 3)
    print(json.dumps(row))


if __name__ == "__main__":
    main()
