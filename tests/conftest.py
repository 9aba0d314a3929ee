"""Shared fixtures: an isolated embedding cache, the repository's seeds and the ../shared folder.

hypothesis is imported here, at collection: its pytest plugin imports it at the terminal summary otherwise, when
a test's encoder-building thread may still be running, and CPython 3.11's AST recursion counter is shared by all
threads ("SystemError: AST constructor recursion depth mismatch" while pytest's rewriter parses it).
"""

from __future__ import annotations

from pathlib import Path

import hypothesis  # noqa: F401 - imported (and parsed by pytest's rewriter) before any test starts a thread
import pytest
from typer.testing import CliRunner

from align.cli import app

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
TMX_DTD = SHARED / "tmx14.dtd"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """All tests share one cache folder under pytest's session temp folder, never the user's cache."""
    folder = tmp_path_factory.getbasetemp() / "align-cache"
    monkeypatch.setenv("ALIGN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def tmx_dtd() -> Path:
    if not TMX_DTD.exists():
        pytest.skip(f"{TMX_DTD} not found (../shared is absent)")
    return TMX_DTD


def run_cli(*args: str) -> tuple[int, str, str]:
    """`align ARGS...` in-process: exit code, stdout, stderr; a crash (not a SystemExit) is re-raised."""
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr
