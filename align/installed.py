"""Installed distributions' versions, read from the names of their `.dist-info` folders on sys.path.

importlib.metadata gives the same answer, but importing it (with the email package it parses METADATA with) took
about 30 ms of every process's start, `align --version` included, and each look-up scans sys.path again; the
result cache's key looks up 19 versions. A wheel's installer names the folder `NAME-VERSION.dist-info` (the
name normalised, binary distribution format spec), so one listing of each sys.path folder gives every version. A
name found only in another form (an `.egg-info` folder, a zip on sys.path, two folders of one name in one place)
is looked up through importlib.metadata, as before.
"""

from __future__ import annotations

import functools
import os
import re
import sys

MISSING = "none"  # the version of a distribution that is not installed
SEPARATORS = re.compile(r"[-_.]+")


def version(name: str) -> str:
    """The installed version of distribution `name` (as importlib.metadata.version gives it), or MISSING."""
    wanted = normalised(name)
    for folder in sys.path:
        versions = folder_versions(folder or os.curdir)
        found = versions.get(wanted) if versions is not None else ""
        if found is not None:
            return found if found else metadata_version(name)  # "": this folder needs the long way
    return MISSING


def normalised(name: str) -> str:
    """A distribution's name as folder names write it: lower case, runs of - _ . as one _."""
    return SEPARATORS.sub("_", name).lower()


@functools.cache
def folder_versions(folder: str) -> dict[str, str] | None:
    """Normalised name -> version of the `.dist-info` folders in one sys.path folder, read once per process; ""
    for a name this folder holds in another form (egg-info, several dist-info folders) or an unparsable one; None
    for an entry that is not a folder but exists (a zip file: importlib.metadata knows how to read those)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return None if os.path.exists(folder) else {}
    versions: dict[str, str] = {}
    for entry in names:
        stem, dot, kind = entry.rpartition(".")
        if kind not in ("dist-info", "egg-info") or not dot:
            continue
        name, _, found = stem.partition("-")
        key = normalised(name)
        plain = kind == "dist-info" and found and "-" not in found and key not in versions
        versions[key] = found if plain else ""
    return versions


def metadata_version(name: str) -> str:
    """importlib.metadata's answer (the slow way), MISSING when the distribution is not installed."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return MISSING
