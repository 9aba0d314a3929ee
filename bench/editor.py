"""How fast the HTML report's editor is on a large document: open time and the time of one edit.

usage: .venv/bin/python bench/editor.py [--beads 5000] [--repeat 5]

Builds a report of BEADS beads of every kind (tests/test_html.py's synthetic_alignment, a low-confidence
finding on every low pair), opens it in headless Chromium (Debian's, through Playwright, as the tests
do) REPEAT times and prints the median and the worst of:

- open: page.goto until the load event and the first frame painted, wall time seen from Python;
- each edit, measured inside the page: the key's keydown handler and the style and layout that follow
  (performance.now() around dispatching the key and reading the layout), on a row in the middle;
- undo of the last edit, the same way.

Targets (issue 15): open <= 2 s, one edit <= 100 ms. The figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from align.writers.html import LOW, html_report  # noqa: E402
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from tests.test_html import finding_on, synthetic_alignment  # noqa: E402

OPEN_TARGET_S = 2.0
EDIT_TARGET_MS = 100.0
# (label, row to select, key): rows of synthetic_alignment's ten-bead cycle near the middle of 5,000
EDITS = (
    ("link (0-1 + 1-0)", 2507, "l"),
    ("merge down (1-1 + 1-1)", 2500, "m"),
    ("split (2-1)", 2504, "s"),
    ("unlink (1-1)", 2513, "u"),
    ("fine (mark)", 2512, "f"),
)
TIMED_KEY = """([id, key]) => {
  const row = document.getElementById(id).firstElementChild;
  row.focus();
  const started = performance.now();
  document.activeElement.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true, cancelable: true}));
  document.body.getBoundingClientRect();  // style and layout included
  return performance.now() - started;
}"""
TIMED_UNDO = """() => {
  const started = performance.now();
  document.dispatchEvent(new KeyboardEvent("keydown", {key: "z", ctrlKey: true, bubbles: true, cancelable: true}));
  document.body.getBoundingClientRect();
  return performance.now() - started;
}"""


def report(beads: int, folder: Path) -> Path:
    alignment = synthetic_alignment(beads)
    found = [finding_on(alignment, bead) for bead in alignment.beads if bead.paired and bead.score < LOW]
    path = folder / "big.html"
    path.write_text(html_report([alignment], found, version="bench"), encoding="utf-8")
    return path


def measure(path: Path, repeat: int) -> dict[str, list[float]]:
    """Seconds to open (key "open") and milliseconds of each edit and its undo, one list of `repeat` runs each."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {"open": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            page = browser.new_page(viewport=VIEWPORT)
            started = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r)))")  # first frame painted
            times["open"].append(time.perf_counter() - started)
            for label, row, key in EDITS:
                times.setdefault(label, []).append(page.evaluate(TIMED_KEY, [f"d0-b{row}", key]))
                times.setdefault(f"undo {label}", []).append(page.evaluate(TIMED_UNDO))
            assert page.inner_text("#edit-status").startswith("Undone"), page.inner_text("#edit-status")
            page.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beads", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = report(arguments.beads, Path(folder))
        size = path.stat().st_size / 1e6
        times = measure(path, arguments.repeat)
    print(f"{arguments.beads:,} beads, {size:.1f} MB page, {arguments.repeat} runs, Chromium {CHROMIUM}")
    opened = times.pop("open")
    verdict = "ok" if max(opened) <= OPEN_TARGET_S else "over"
    median, worst = statistics.median(opened), max(opened)
    print(f"open: median {median:.2f} s, worst {worst:.2f} s (target {OPEN_TARGET_S} s: {verdict})")
    for label, values in times.items():
        verdict = "ok" if max(values) <= EDIT_TARGET_MS else "over"
        print(f"{label}: median {statistics.median(values):.1f} ms, worst {max(values):.1f} ms ({verdict})")


if __name__ == "__main__":
    main()
