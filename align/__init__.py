"""align: turn bilingual Russian/English texts into clean parallel corpora, and report what has no translation.

The library API (imported lazily, so `align --help` stays fast):

    >>> from pathlib import Path
    >>> import align
    >>> result = align.run(align.Request(paths=("seeds/",), out=Path("out"), formats=("tmx", "jsonl")))
    >>> result.stats.pairs, str(result.signature).split("|")[0]
    (4, 'align:0.1.0')
"""

from importlib import import_module
from typing import Any

# the one place the version is written: pyproject.toml reads it from here (setuptools' `attr:`, without importing
# align), so no process pays importlib.metadata's import (about 30 ms, the email package with it) to learn it
__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "run": "align.runner",
    "Request": "align.runner",
    "RunResult": "align.runner",
    "Outcome": "align.runner",
    "RunError": "align.runner",
    "Listener": "align.runner",
    "AlignOptions": "align.align",
    "Alignment": "align.model",
    "Bead": "align.model",
    "Document": "align.model",
    "Segment": "align.model",
    "Finding": "align.model",
    "InputError": "align.load",
    "ModelError": "align.encoders",
    "Signature": "align.signature",
    "BeadStats": "align.stats",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'align' has no attribute {name!r}")
    return getattr(import_module(module), name)
