"""Temporary alias of align.files while the architecture change lands (removed before it is done)."""

from align.files import write_atomic

__all__ = ["write_atomic"]
