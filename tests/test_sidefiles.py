"""Side files (config, glossary, decisions, baseline) are regular files of bounded size: a device, a FIFO or a
nesting bomb is one error line naming the file, exit 2, never a hang, an out-of-memory kill or a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from align.sidefiles import NotJson, json_value, naming_the_file, side_bytes, side_text
from tests.conftest import SEEDS, run_cli


def one_error(stderr: str, path: str) -> None:
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and path in lines[0] and "Traceback" not in stderr, stderr


@pytest.mark.parametrize(
    "option", [["run", "--decisions"], ["check", "--glossary"], ["check", "--baseline"], ["check", "--config"]]
)
def test_a_device_as_a_side_file_is_one_error(tmp_path: Path, option: list[str]) -> None:
    command, flag = option
    extra = ["--out", str(tmp_path / "out")] if command == "run" else []
    code, _, stderr = run_cli(command, str(SEEDS), flag, "/dev/zero", *extra)

    assert code == 2
    one_error(stderr, "/dev/zero")


def test_a_fifo_glossary_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "terms.csv"
    os.mkfifo(fifo)

    code, _, stderr = run_cli("check", str(SEEDS), "--glossary", str(fifo))

    assert code == 2
    one_error(stderr, str(fifo))
    assert "not a regular file" in stderr


def test_deeply_nested_decisions_and_baselines_are_one_error(tmp_path: Path) -> None:
    bomb = tmp_path / "nested.json"
    bomb.write_text("[" * 100_000, encoding="utf-8")

    code, _, stderr = run_cli("run", str(SEEDS), "--decisions", str(bomb), "--out", str(tmp_path / "out"))
    assert code == 2
    one_error(stderr, str(bomb))
    code, _, stderr = run_cli("check", str(SEEDS), "--baseline", str(bomb))
    assert code == 2
    one_error(stderr, str(bomb))


def test_a_deeply_nested_config_is_one_error(tmp_path: Path) -> None:
    config = tmp_path / "align.toml"
    config.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")

    code, _, stderr = run_cli("check", str(SEEDS), "--config", str(config))

    assert code == 2
    one_error(stderr, str(config))


def test_a_decisions_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.json"
    decisions.write_bytes(b"\xef\xbb\xbf" + json.dumps({"version": 1, "tool": "align", "decisions": []}).encode())

    code, _, stderr = run_cli("run", str(SEEDS), "--decisions", str(decisions), "--out", str(tmp_path / "out"), "-q")

    assert code == 0, stderr


def test_side_bytes_reads_regular_files_within_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_bytes(b"\xef\xbb\xbfru,en\n")
    assert side_text(path) == "ru,en\n" and side_bytes(path) == b"\xef\xbb\xbfru,en\n"
    with pytest.raises(OSError, match="too large for a side file"):
        side_bytes(path, limit=3)
    with pytest.raises(IsADirectoryError):
        side_bytes(tmp_path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [("[" * 100_000, "nested too deeply"), ("[" + "9" * 5000 + "]", "a number too long (over 4300 digits)"),
     ('{"a": ', "invalid JSON (line 1, column 7: Expecting value)")],
)
def test_json_value_turns_every_refusal_into_one_line(text: str, problem: str) -> None:
    with pytest.raises(NotJson) as caught:
        json_value(text)
    assert str(caught.value) == problem


def test_a_side_file_error_always_names_the_file() -> None:
    assert naming_the_file("d.json", ValueError("d.json: decision 1: bad")) == "d.json: decision 1: bad"
    huge = ValueError("Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits")
    assert naming_the_file("d.json", huge) == "d.json: a number too long (over 4300 digits)"


def test_a_nul_character_in_a_side_file_path_is_an_os_error_not_a_value_error() -> None:
    with pytest.raises(OSError, match="a path cannot hold a NUL character"):
        side_bytes("a\x00b.csv")
