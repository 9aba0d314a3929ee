"""The one lazy loader behind every registry (readers, writers, encoders, engines, check rules)."""

from __future__ import annotations

import importlib
from typing import Any


def loaded(target: str) -> Any:
    """What a registry entry "module:name" names, its module imported now (ImportError if it cannot be)."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
