"""The search's products run on one BLAS thread, and the process's BLAS threads are as they were after it."""

from __future__ import annotations

import os

import numpy as np
import pytest

import align.align
from align.align import AlignOptions, Side, searched_links
from align.model import Segment

threadpoolctl = pytest.importorskip("threadpoolctl")


def blas_threads() -> int:
    """The most threads any loaded BLAS library would use now."""
    return max(info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas")


def side(rng: np.random.Generator, count: int) -> tuple[list[Segment], Side]:
    vectors = rng.standard_normal((count, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    segments = [Segment("a.txt", k * 4, k * 4 + 3, 1, f"s{k}.", "ru", 0) for k in range(count)]
    return segments, Side.of(vectors, segments)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: BLAS uses one thread anyway")
def test_the_search_multiplies_on_one_blas_thread_and_gives_the_threads_back(monkeypatch) -> None:
    seen: list[int] = []
    original = align.align.neighbourhoods

    def counted(*args: object, **kwargs: object) -> object:
        seen.append(blas_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(align.align, "neighbourhoods", counted)
    rng = np.random.default_rng(0)
    (ru_segments, ru), (en_segments, en) = side(rng, 12), side(rng, 12)
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        searched_links(ru_segments, en_segments, ru, en, AlignOptions())
        after = blas_threads()
    assert seen == [1]
    assert after == 2
