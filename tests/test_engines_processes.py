"""The worker-process engine (align.engines.processes): the chunks with the most bytes go to the workers first."""

from __future__ import annotations

from pathlib import Path

from align.engines.processes import largest_first
from align.load import Input


def test_the_chunks_with_the_most_bytes_are_handed_out_first(tmp_path: Path) -> None:
    chunks = []
    for k, size in enumerate([10, 3000, 200, 3000]):
        path = tmp_path / f"page{k}.txt"
        path.write_text("ы" * size, encoding="utf-8")
        chunks.append([Input(f"page{k}", (str(path),))])
    assert largest_first(chunks) == [1, 3, 2, 0]  # a tie keeps input order
