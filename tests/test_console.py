"""What the command line shows: a bug is one line and exit code 3, its traceback only with --debug."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.console import INTERNAL_ERROR, run_app
from tests.conftest import SEEDS, run_cli


def broken_app() -> None:
    raise RuntimeError("the aligner lost its way\nsecond line")


def test_an_internal_error_is_one_line_and_exit_code_3(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run_app(broken_app, argv=["run", "x"])

    assert stopped.value.code == INTERNAL_ERROR == 3
    assert capsys.readouterr().err == (
        "align: internal error: RuntimeError: the aligner lost its way — rerun with --debug for the traceback\n"
    )


def test_debug_shows_the_traceback() -> None:
    with pytest.raises(RuntimeError, match="lost its way"):
        run_app(broken_app, argv=["--debug", "run", "x"])


@pytest.mark.parametrize("target", ["folder", "folder/missing/x.json", "file/x.json"])
def test_a_baseline_that_cannot_be_written_is_a_user_error_not_findings(tmp_path: Path, target: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("in the way\n", encoding="utf-8")
    code, _, stderr = run_cli("check", str(SEEDS), "--require", "ru", "--write-baseline", str(tmp_path / target))

    if target == "folder/missing/x.json":  # a missing parent folder is made
        assert code == 0 and (tmp_path / target).is_file()
        return
    assert code == 2 and "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "cannot write" in lines[0]
    assert ".tmp" not in lines[0]
