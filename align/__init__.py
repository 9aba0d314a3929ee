"""align: turn bilingual Russian/English texts into clean parallel corpora."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("align")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
