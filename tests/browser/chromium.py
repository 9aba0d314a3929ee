"""Debian's Chromium driven by Playwright, for the tests of the HTML report (tests/test_html.py, test_editor.py).

`browser` is a module-scoped fixture (skipped, with the reason, when playwright or the binary is missing);
`open_report` opens a report file in a new context that accepts downloads and records every page error,
console error and http(s) request in `problems` (a test asserts it stays empty).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("ALIGN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (skipped, with the reason, when either is missing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium, or set ALIGN_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_report(browser, path: Path, problems: list[str], viewport: dict[str, int] = VIEWPORT):
    """A new page (in its own context, downloads accepted) showing the report at `path`."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: problems.append(request.url) if request.url.startswith("http") else None)
    page.goto(path.as_uri())
    return page
