"""The baseline file's layout as pydantic models (align.config reads and writes baselines through them)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictStr

BASELINE_VERSION: Literal[1] = 1  # of the baseline file layout; Baseline.version must be it


class BaselineEntry(BaseModel):
    """What a baseline records of a known finding, for the reader of the file (only fingerprints are matched)."""

    model_config = ConfigDict(frozen=True)

    rule: str
    file: str
    message: str


class Baseline(BaseModel):
    """A baseline file: {"version": 1, "fingerprints": {FINGERPRINT: BaselineEntry}}; a plain list of
    fingerprints, or entries of another shape, are read too."""

    version: Literal[1]
    fingerprints: dict[str, Any] | list[StrictStr]
