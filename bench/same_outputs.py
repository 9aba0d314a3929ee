"""Snapshot every output of `align run` and `align check` on the seeds and the dev bench cases, or compare two.

    python bench/same_outputs.py snapshot --bench ../shared/bench --work bench-work/same --name before
    python bench/same_outputs.py snapshot --bench ../shared/bench --work bench-work/same --name after
    python bench/same_outputs.py compare bench-work/same/before bench-work/same/after

A snapshot folder holds, per case folder (every dev corpus, pair and mixed mode, seed 1, and the seeds), the
files `align run -f tmx,csv,jsonl,html` writes and the stdout of `align check --format json`, made with
SOURCE_DATE_EPOCH fixed. `compare` lists every file that differs; `--ignore-signature` leaves out the lines
that carry a run's signature (added on purpose by the architecture issue), so the rest must be byte-identical.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = (
    "wmt22_generaltest_ru-en",
    "wmt22_generaltest_en-ru",
    "tico19_en-ru",
    "tatoeba_laser_rus-eng",
    "bilinguator_dev",
)
MODES = ("pair", "mixed")
EPOCH = "1700000000"
ALIGN = str(Path(sys.executable).with_name("align"))
SIGNATURE_PROP = b'<prop type="x-align-signature">'


def case_folders(bench: Path, work: Path) -> dict[str, Path]:
    """Every case folder to snapshot, made once with make_cases.py (seed 1), plus the repository's seeds."""
    seeds = work / "cases" / "seeds"
    if not seeds.exists():  # a copy, so that every snapshot names the same paths
        shutil.copytree(HERE.parent / "seeds", seeds)
    folders = {"seeds": seeds}
    for corpus in CORPORA:
        for mode in MODES:
            target = work / "cases" / f"{corpus}.{mode}"
            if not target.exists():
                command = [sys.executable, str(bench / "make_cases.py"), str(bench / "corpora" / corpus), str(target)]
                subprocess.run([*command, "--mode", mode, "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
            texts = target / "texts"
            if not texts.exists():  # only the document texts, never gold.jsonl or CASES.md
                texts.mkdir()
                for path in sorted(target.glob("*.txt")):
                    os.link(path, texts / path.name)
            folders[f"{corpus}.{mode}"] = texts
    return folders


def snapshot(bench: Path, work: Path, name: str, only: list[str] | None = None) -> None:
    """Run align on every case folder (or those named in `only`) into work/name/<case>/."""
    work = work.resolve()  # outputs name the input files by path: every snapshot the same
    environment = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    for case, folder in case_folders(bench, work).items():
        if only and case not in only:
            continue
        out = work / name / case
        out.mkdir(parents=True, exist_ok=True)
        run = [ALIGN, "run", str(folder), "--out", str(out / "run"), "-f", "tmx,csv,jsonl,html", "-q"]
        subprocess.run(run, check=False, env=environment, stdout=subprocess.DEVNULL)
        check = [ALIGN, "check", str(folder), "--format", "json"]
        found = subprocess.run(check, check=False, env=environment, capture_output=True)
        (out / "check.json").write_bytes(found.stdout)
        print(f"{case}: done", flush=True)


def without_signature(path: Path) -> bytes:
    """The file's bytes without its signature: the TMX header's prop (the header then closes itself again, as
    before it had one) or the `signature` key of check's JSON."""
    data = path.read_bytes()
    if path.suffix == ".tmx":
        lines = [line for line in data.split(b"\n") if SIGNATURE_PROP not in line]
        text = b"\n".join(lines)
        return re.sub(rb"(<header [^>\n]*)>\n\s*</header>", rb"\1/>", text, count=1)
    if path.name == "check.json" and data.strip():
        report = json.loads(data)
        report.pop("signature", None)
        return json.dumps(report, ensure_ascii=False, indent=2).encode()
    return data


def compare(before: Path, after: Path, ignore_signature: bool) -> int:
    """Print each file that differs or exists on one side only; the number of differences."""
    differences = 0
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    for name in sorted(names):
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            if ignore_signature and name.name == "signature.json":
                continue
            print(f"only in {'after' if b.exists() else 'before'}: {name}")
            differences += 1
        elif not filecmp.cmp(a, b, shallow=False) and (
            not ignore_signature or without_signature(a) != without_signature(b)
        ):
            print(f"differs: {name}")
            differences += 1
    print(f"{differences} of {len(names)} files differ")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("snapshot")
    take.add_argument("--bench", type=Path, default=HERE.parents[1] / "shared" / "bench")
    take.add_argument("--work", type=Path, default=Path("bench-work/same"))
    take.add_argument("--name", required=True)
    take.add_argument("--only", nargs="*", help="case folders to snapshot (default: all)")
    diff = commands.add_parser("compare")
    diff.add_argument("before", type=Path)
    diff.add_argument("after", type=Path)
    diff.add_argument("--ignore-signature", action="store_true")
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.bench, args.work, args.name, args.only)
    else:
        sys.exit(1 if compare(args.before, args.after, args.ignore_signature) else 0)


if __name__ == "__main__":
    main()
