"""Tests for align.installed: versions from the .dist-info folders' names, as importlib.metadata gives them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

from align import installed
from align.cache import DEPENDENCIES, LINGUA


@pytest.fixture(autouse=True)
def fresh_listings() -> Iterator[None]:
    """Every test lists sys.path's folders afresh (and leaves no listing of its own folders behind)."""
    installed.folder_versions.cache_clear()
    yield
    installed.folder_versions.cache_clear()


def metadata_says(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return installed.MISSING


def dist_info(folder: Path, name: str, version: str) -> Path:
    """A .dist-info folder as an installer writes it."""
    found = folder / f"{installed.normalised(name)}-{version}.dist-info"
    found.mkdir(parents=True)
    (found / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
    return found


def test_every_installed_distribution_has_the_version_importlib_metadata_gives() -> None:
    names = {dist.metadata["Name"] for dist in metadata.distributions()} | set(DEPENDENCIES) | {"align", LINGUA}
    assert {name: installed.version(name) for name in names} == {name: metadata_says(name) for name in names}


def test_a_distribution_that_is_not_installed_is_missing() -> None:
    assert installed.version("no-such-distribution-anywhere") == installed.MISSING == "none"


def test_a_name_is_found_however_its_separators_and_case_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist_info(tmp_path, "Markdown.It-Py", "99.1")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert installed.version("markdown-it-py") == installed.version("markdown_it.py") == "99.1"


def test_the_first_folder_on_sys_path_wins_as_with_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist_info(tmp_path / "first", "pyyaml", "99.2")
    dist_info(tmp_path / "second", "pyyaml", "99.3")
    monkeypatch.syspath_prepend(str(tmp_path / "second"))
    monkeypatch.syspath_prepend(str(tmp_path / "first"))
    assert installed.version("pyyaml") == metadata_says("pyyaml") == "99.2"


def test_two_folders_of_one_name_in_one_place_are_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist_info(tmp_path, "lxml", "99.4")
    dist_info(tmp_path, "lxml", "99.5")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert installed.version("lxml") == metadata_says("lxml")


def test_an_egg_info_folder_is_read_through_importlib_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    egg = tmp_path / "srt.egg-info"  # `setup.py develop`: no version in the folder's name
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: srt\nVersion: 99.6\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert installed.version("srt") == metadata_says("srt") == "99.6"


def test_looking_up_the_cache_keys_versions_does_not_import_importlib_metadata() -> None:
    code = "import sys, align.cache; align.cache.dependency_versions(); print('importlib.metadata' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_version_align_reports_is_the_one_it_was_installed_with() -> None:
    import align

    assert align.__version__ == metadata.version("align")  # pyproject.toml reads it from align/__init__.py
