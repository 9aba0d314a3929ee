"""Fuzzing the side files through the real `align` command (in-process): hostile align.toml, glossary CSV,
decisions and baseline JSON, as random bytes and as random structures near the real layouts.

Whatever the file holds: no traceback (run_cli re-raises any exception that is not an exit), an exit code in
{0, 1, 2}, and stderr made of whole one-line messages ("error: …", "note: …"), every error naming the file.
`make test` runs the small profile (HYPOTHESIS_PROFILE unset or "ci": a few dozen examples in all), `make fuzz`
the large one ("fuzz").
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align.checks.options import SETTINGS
from tests.conftest import run_cli

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
EXAMPLES = {"ci": 12, "fuzz": 500}.get(PROFILE, 12)  # per side file
SIDE_FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    print_blob=True,
)
PAGE = (
    "Кошка спит на диване. Собака лает во дворе.\n\nThe cat is sleeping on the sofa. The dog barks in the yard.\n\n"
    "Совершенно новый абзац без перевода, в нём много слов.\n"
)
PREFIXES = ("error: ", "note: ", "warning: ")
DOC = "DOC"  # in a command's arguments: the page checked (doc.txt in the fixture's folder)
BOM = b"\xef\xbb\xbf"
HUGE = "<huge>"  # a placeholder: hypothesis itself cannot print integers past Python's 4,300-digit limit
HUGE_INTEGER = "9" * 5000

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.just(HUGE)  # becomes a 5,000-digit integer in the JSON text (see dumped)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["ru", "en", "error", "warning", "note", "rejected", "accepted", "x.txt", "", "\x00", "~x/y"])
)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=16,
)
raw_bytes = st.binary(max_size=300)
openers = st.sampled_from(["[", '{"a":', '[{"a":'])
bombs = st.builds(lambda depth, opener: opener * depth, st.integers(1, 50_000), openers)  # nesting bombs


def dumped(value: object) -> str:
    """`value` as JSON text, each HUGE placeholder a 5,000-digit integer."""
    return json.dumps(value).replace(json.dumps(HUGE), HUGE_INTEGER)


def as_file(payload: bytes, bom: bool) -> bytes:
    return BOM + payload if bom else payload


@st.composite
def decisions_files(draw: st.DrawFn) -> bytes:
    """Bytes of a decisions file: near the real layout (version 1 or 2, entries with spans), any JSON, a nesting
    bomb or random bytes; sometimes with a byte-order mark."""
    entry = st.fixed_dictionaries(
        {},
        optional={
            "document": st.text(max_size=10) | st.just("doc"),
            "ru": st.lists(st.lists(st.integers(-5, 10**6) | scalars, max_size=3), max_size=3) | json_values,
            "en": st.lists(st.lists(st.integers(-5, 10**6), max_size=3), max_size=3) | json_values,
            "decision": st.sampled_from(["rejected", "accepted", "bead", "x"]) | json_values,
        },
    )
    layout = st.fixed_dictionaries(
        {"version": st.sampled_from([1, 2, 0, "1", None]), "tool": st.sampled_from(["align", "other"]),
         "decisions": st.lists(entry, max_size=4) | json_values}
    )
    value = draw(st.one_of(layout.map(dumped), json_values.map(dumped), bombs, st.text(max_size=200)))
    payload = draw(raw_bytes) if draw(st.integers(0, 5)) == 0 else value.encode("utf-8", "surrogatepass")
    return as_file(payload, draw(st.booleans()))


@st.composite
def baseline_files(draw: st.DrawFn) -> bytes:
    """Bytes of a baseline: {"version", "fingerprints"} with random entries, a list, any JSON, a bomb, bytes."""
    fingerprints = st.dictionaries(st.text(max_size=16), json_values, max_size=4) | st.lists(scalars, max_size=4)
    layout = st.fixed_dictionaries({"version": st.sampled_from([1, 2, "1", None]), "fingerprints": fingerprints})
    value = draw(st.one_of(layout.map(dumped), json_values.map(dumped), bombs, st.text(max_size=200)))
    payload = draw(raw_bytes) if draw(st.integers(0, 5)) == 0 else value.encode("utf-8", "surrogatepass")
    return as_file(payload, draw(st.booleans()))


def toml_value(value: object) -> str:
    """A TOML rendering of a JSON-like value (JSON strings and numbers are TOML; null becomes a string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)} = {toml_value(item)}" for key, item in value.items()) + "}"
    if value is None or isinstance(value, float):
        return json.dumps(str(value))
    return dumped(value)


@st.composite
def config_files(draw: st.DrawFn) -> bytes:
    """Bytes of an align.toml: known and unknown keys with any values, an [align] table, deep lists, bytes."""
    keys = st.sampled_from([*SETTINGS, *(name.replace("_", "-") for name in SETTINGS), "align", "languages"])
    entries = draw(st.lists(st.tuples(keys | st.text(min_size=1, max_size=8), json_values), max_size=5))
    lines = [f"{json.dumps(key)} = {toml_value(value)}" for key, value in entries]
    depth = draw(st.integers(0, 6000))
    if depth > 3000:
        lines.append("deep = " + "[" * depth + "]" * depth)
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = "[align]\n" + text
    payload = draw(raw_bytes) if draw(st.integers(0, 5)) == 0 else text.encode("utf-8", "surrogatepass")
    return as_file(payload, draw(st.booleans()))


@st.composite
def glossary_files(draw: st.DrawFn) -> bytes:
    """Bytes of a glossary CSV: a header or not, rows of any text (quotes, commas, newlines, NUL), bytes."""
    cell = st.text(max_size=12) | st.sampled_from(['"', '""', "a,b", "\n", "\r\n", "\x00", "кошка", "cat", " "])
    header = draw(st.sampled_from(["ru,en\n", "en,ru\n", "ru,en,note\n", "", "ru\n", "x,y\n"]))
    rows = draw(st.lists(st.lists(cell, max_size=4), max_size=6))
    text = header + "".join(",".join(row) + "\n" for row in rows)
    payload = draw(raw_bytes) if draw(st.integers(0, 5)) == 0 else text.encode("utf-8", "surrogatepass")
    return as_file(payload, draw(st.booleans()))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sidefuzz")
    (folder / "doc.txt").write_text(PAGE, encoding="utf-8")
    return folder


def assert_clean(code: int, stderr: str, named: Path | None) -> None:
    """Exit 0, 1 or 2; only whole one-line messages on stderr; with exit 2 an error line, naming `named`."""
    assert code in (0, 1, 2), (code, stderr)
    lines = stderr.splitlines()
    assert "Traceback" not in stderr and all(line.startswith(PREFIXES) for line in lines), stderr
    errors = [line for line in lines if line.startswith("error: ")]
    assert (code == 2) == bool(errors), (code, stderr)
    if named is not None:
        assert all(str(named) in line for line in errors), stderr


def assert_read_cleanly(folder: Path, name: str, content: bytes, *args: str, named: bool = True) -> None:
    """Write `content` as the side file `name`, run `align ARGS` (FILE: that file, DOC: the page), assert_clean."""
    path = folder / name
    path.write_bytes(content)
    code, _, stderr = run_cli(*({"FILE": str(path), DOC: str(folder / "doc.txt")}.get(arg, arg) for arg in args))
    assert_clean(code, stderr, path if named else None)


@SIDE_FUZZ
@given(content=decisions_files())
def test_any_decisions_file_is_used_or_refused_in_one_line(folder: Path, content: bytes) -> None:
    out = str(folder / "out")
    assert_read_cleanly(folder, "decisions.json", content, "run", DOC, "--decisions", "FILE", "--out", out, "-q")


@SIDE_FUZZ
@given(content=baseline_files())
def test_any_baseline_is_used_or_refused_in_one_line(folder: Path, content: bytes) -> None:
    assert_read_cleanly(folder, "baseline.json", content, "check", DOC, "--baseline", "FILE")


@SIDE_FUZZ
@given(content=config_files())
def test_any_config_file_is_used_or_refused_in_one_line(folder: Path, content: bytes) -> None:
    # An error may name a file the configuration names (its glossary) instead of the configuration.
    assert_read_cleanly(folder, "align.toml", content, "check", DOC, "--config", "FILE", named=False)


@SIDE_FUZZ
@given(content=glossary_files())
def test_any_glossary_is_used_or_refused_in_one_line(folder: Path, content: bytes) -> None:
    assert_read_cleanly(folder, "glossary.csv", content, "check", DOC, "--glossary", "FILE")
