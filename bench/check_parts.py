"""CPU seconds of each part of a warm `align check` of the docs tree, measured inside one process: what a re-check
where one page changed pays for the ~200 pages that did not, part by part.

usage: python bench/check_parts.py [--bench ../shared/bench] [--work bench-work/check-parts] [--repeat 15]
       [--against CLONE]

"this" is the checkout holding this script (PYTHONPATH=its folder). The tree is bench/incremental.py's
(vuedocs_en-ru copied 4 times, 208 pages), checked once through the CLI so the cache (WORK/cache, kept between
calls; align's code is in its keys, so an edit of align aligns every page again, from cached vectors) holds every
page; then, in a fresh process, after one warm-up call each, the least CPU seconds (time.process_time) over
--repeat calls of:
- find_inputs: align.load.find_inputs of the tree (walk, real paths, layouts);
- run_all_cached: align.runner.run of the check's request, every page read back from the result cache;
- findings_one_page: align.findings_cache.run_findings with one page's findings and the cross-document record
  forgotten first (as after an edit of that page);
- render_json: align.report.render of the findings as JSON;
- record_of_page: align.stored.record_of of the edited page's alignment (what storing an edited page costs).
With --against CLONE, the same in a process of that version (PYTHONPATH=CLONE, its own tree and cache under
WORK/against), the two alternating call by call. Every figure is CPU time, which a loaded machine inflates less
than wall time; compare rows within one call of this script.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ALIGN = str(Path(sys.executable).with_name("align"))
EDITED = "copy1_guide_essentials_computed"  # the document of bench/incremental.py's PAGE
PARTS = ("find_inputs", "run_all_cached", "findings_one_page", "render_json", "record_of_page")
CHILD = r"""
import json, sqlite3, sys, time
from dataclasses import replace
from pathlib import Path
from align import __version__
from align.cache import cache_path, result_fingerprint
from align.cli import request_of
from align.config import load_config, merged
from align.findings_cache import judged, keyed, run_findings
from align.layouts import tags_with
from align.load import find_inputs
from align.report import render
from align.runner import run
from align.stored import digest_of, name_of, record_of
from rich.console import Console

tree, edited, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
request = request_of([tree], partners=True, model="use", no_cache=False, jobs=1, max_file_size="50MB",
                     langs="ru,en", presplit=False)
request = replace(request, out=None, formats=(), keep=True, note_unpaired=False)
config = merged(load_config(Path.cwd()), format="json")
result = run(request)
alignments = result.alignments
page = next(a for a in alignments if name_of(a) == edited)
page.beads  # decoded once, as an edited page's is
salt = result_fingerprint("findings", judged(config))
digests = [digest_of(alignment) for alignment in alignments]
forgotten_keys = [(keyed(salt, digest_of(page)),), (keyed(salt, b"all", *digests),)]

def forget():
    db = sqlite3.connect(cache_path(request.cache_dir), isolation_level=None)
    db.executemany("DELETE FROM findings WHERE key = ?", forgotten_keys)
    db.close()

found = run_findings(result, config)
documents = [name_of(alignment) for alignment in alignments]
calls = {
    "find_inputs": (lambda: None, lambda: find_inputs([tree], keep_notes=True, tags=tags_with({}))),
    "run_all_cached": (lambda: None, lambda: run(request)),
    "findings_one_page": (forget, lambda: run_findings(result, config)),
    "render_json": (lambda: None, lambda: render(found, "json", documents, __version__, Console(),
                                                 signature=result.signature.as_dict())),
    "record_of_page": (lambda: None, lambda: record_of(page, [])),
}
for line in sys.stdin:  # one part's name a line: its least CPU seconds over `repeat` calls, after a warm-up
    before, call = calls[line.strip()]
    before(); call()
    best = float("inf")
    for _ in range(repeat):
        before()
        start = time.process_time()
        call()
        best = min(best, time.process_time() - start)
    print(json.dumps(round(best, 4)), flush=True)
"""


def warm_tree(bench: Path, work: Path, env: dict[str, str]) -> Path:
    """The docs tree under `work`, checked once through the CLI with `env`'s cache (every page stored)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from incremental import COPIES, docs_tree

    tree = work / "tree"
    if not tree.exists():
        docs_tree(bench, tree, COPIES)
    subprocess.run([ALIGN, "check", str(tree), "-f", "json"], env=env, stdout=subprocess.DEVNULL, check=False)
    return tree


def side_env(work: Path, pythonpath: str) -> dict[str, str]:
    """The environment of one version's processes: its code first on the path, its cache folder and compiled
    modules in `work`."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return env | {"ALIGN_CACHE_DIR": str(work / "cache"), "PYTHONPYCACHEPREFIX": str(work / "pycache"),
                  "PYTHONPATH": pythonpath}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("bench-work/check-parts"))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--against", type=Path, default=None, help="a clone of another version, measured alike")
    args = parser.parse_args()
    sides = {"this": (args.work.resolve(), str(Path(__file__).resolve().parents[1]))}  # the checkout holding this
    if args.against:
        sides["against"] = ((args.work / "against").resolve(), str(args.against.resolve()))
    children = {}
    for name, (work, pythonpath) in sides.items():
        work.mkdir(parents=True, exist_ok=True)
        env = side_env(work, pythonpath)
        tree = warm_tree(args.bench, work, env)
        command = [sys.executable, "-c", CHILD, str(tree), EDITED, str(args.repeat)]
        children[name] = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    rows: dict[str, dict[str, float]] = {name: {} for name in sides}
    for part in PARTS:
        for name, child in children.items():  # the versions take turns, so a loaded machine's swings hit both
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write(part + "\n")
            child.stdin.flush()
            rows[name][part] = json.loads(child.stdout.readline())
    for child in children.values():
        assert child.stdin is not None
        child.stdin.close()
        child.wait()
    print(json.dumps({"cpu_seconds_least_of": args.repeat, "load_average": os.getloadavg()[0], **rows}, indent=2))


if __name__ == "__main__":
    main()
