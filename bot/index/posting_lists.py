"""BM25 posting lists (term -> ascending doc ids and their weights), in memory or read from files by pread.

Why this layer: a built index holds its postings as arrays; an opened one reads them from its version
directory with pread (bot/index/pread.py), so a worker never maps the postings (the largest part of the index)
and its resident set stays its own working memory, whatever questions it has answered. Two reads:
    whole(term)               a term's whole posting (full-corpus scoring)
    near(term, docs)          enough of the posting to tell which of the docs hold the term, and
                              their weights (`ids_near`: the ids alone)
Where only part of a long posting is needed, every BLOCK-th doc id (the samples, kept in memory: one
per 128 postings) says which blocks to read.
Neighbours: bot/index/bm25.py scores with these; bot/index/files.py saves and opens them with the index.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

from bot.index.pread import PreadArray

BLOCK = 128  # postings per sampled block
WHOLE_READ_MAX = 8_192  # near reads a posting this short whole: one read beats a read per block
MAX_RUNS = 64  # more runs than this: near reads from the first to the last block at once
RUN_GAP = 8  # near reads blocks at most this many apart in one pread (4 KB of ids more, one call fewer)

Source = np.ndarray | PreadArray
_NO_WEIGHTS = np.zeros(0, dtype=np.float32)


class PostingLists:
    """The flat CSR layout: `indptr[t]:indptr[t+1]` are term t's postings in `ids` and `weights`."""

    def __init__(self, terms: list[str], indptr: np.ndarray, ids: Source, weights: Source,
                 samples: np.ndarray | None = None, sample_indptr: np.ndarray | None = None) -> None:
        self.terms, self.indptr, self._ids, self._weights = terms, indptr, ids, weights
        self.term_ix = {t: i for i, t in enumerate(terms)}
        if samples is None or sample_indptr is None:
            samples, sample_indptr = _samples(indptr, ids) if isinstance(ids, np.ndarray) else (None, None)
        self._samples, self._sample_indptr = samples, sample_indptr

    # -- files -------------------------------------------------------------------------------
    def save(self, folder: Path, name: str) -> None:
        ids, weights = (np.asarray(self._ids), np.asarray(self._weights))
        assert self._samples is not None and self._sample_indptr is not None
        for part, arr in (("indptr", self.indptr), ("ids", ids), ("weights", weights),
                          ("samples", self._samples), ("sample_indptr", self._sample_indptr)):
            np.save(folder / f"{name}.{part}.npy", np.ascontiguousarray(arr), allow_pickle=False)

    @classmethod
    def open(cls, folder: Path, name: str, terms: list[str]) -> PostingLists:
        """Postings read by pread; the offsets and samples (small) in memory. ValueError when they disagree."""
        def load(part: str) -> np.ndarray:
            return np.load(folder / f"{name}.{part}.npy", allow_pickle=False)

        indptr, samples, sample_indptr = load("indptr"), load("samples"), load("sample_indptr")
        ids, weights = PreadArray(folder / f"{name}.ids.npy"), PreadArray(folder / f"{name}.weights.npy")
        if (len(indptr) != len(terms) + 1 or len(sample_indptr) != len(terms) + 1 or len(ids) != len(weights)
                or ids.dtype != np.int32 or weights.dtype != np.float32
                or (len(terms) and (int(indptr[-1]) != len(ids) or int(sample_indptr[-1]) != len(samples)))):
            raise ValueError(f"{name}: posting arrays disagree with each other")
        return cls(terms, indptr, ids, weights, samples, sample_indptr)

    # -- reads -------------------------------------------------------------------------------
    def bounds(self, term: str) -> tuple[int, int] | None:
        i = self.term_ix.get(term)
        return None if i is None else (int(self.indptr[i]), int(self.indptr[i + 1]))

    def whole(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        got = self.bounds(term)
        return None if got is None else (self._take(self._ids, *got), self._take(self._weights, *got))

    def ids_near(self, term: str, docs: np.ndarray) -> np.ndarray | None:
        """Ascending ids of the posting that include every one of `docs` the term occurs in."""
        got = self.near(term, docs, weights=False)
        return None if got is None else got[0]

    def near(self, term: str, docs: np.ndarray, weights: bool = True,
             spans: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
        """Ascending ids (and their weights, when asked) of the part of the posting that holds every one
        of `docs` the term occurs in: only the blocks those docs fall in, neighbouring blocks read in one
        pread. Why not the range from the smallest to the largest doc: a region's entries lie in a few
        plans spread over the whole index (one per year), so that range is most of a long posting.
        `spans`: the docs as runs of consecutive ids (first ids, then last ids; `spans_of`), when the caller
        reads many postings for the same docs: the blocks then come from the runs' ends alone."""
        ranges = self.ranges_near(term, docs, spans)
        if ranges is None:
            return None
        return self.ids_in(ranges), (self.weights_in(ranges) if weights else _NO_WEIGHTS)

    def ranges_near(self, term: str, docs: np.ndarray, spans: np.ndarray | None = None
                    ) -> list[tuple[int, int]] | None:
        """Where in `ids` / `weights` the part of the posting `near` reads lies: ascending [start, end)
        ranges (the whole posting as one when short or in memory); None for a term without postings.
        A caller may read the ids, and the weights only when some of its docs turned out to hold the term."""
        got = self.bounds(term)
        if got is None:
            return None
        a, b = got
        if isinstance(self._ids, np.ndarray) or b - a <= WHOLE_READ_MAX:
            return [(a, b)]
        if spans is not None:
            blocks = self._blocks(term, spans).tolist()  # the runs' first ids' blocks, then their last ids'
            half = len(blocks) // 2
            runs = _merged(blocks[:half], blocks[half:])
        else:
            runs = _runs(np.sort(self._blocks(term, docs)))
        if len(runs) > MAX_RUNS:  # docs all over the posting: one read of the span beats hundreds
            runs = [(runs[0][0], runs[-1][1])]
        return [(a + first * BLOCK, min(b, a + (last + 1) * BLOCK)) for first, last in runs]

    def ids_in(self, ranges: list[tuple[int, int]]) -> np.ndarray:
        """The doc ids in these ranges (`ranges_near`), one read per range."""
        return self._in(self._ids, ranges)

    def weights_in(self, ranges: list[tuple[int, int]]) -> np.ndarray:
        """The weights in these ranges, aligned with `ids_in(ranges)`."""
        return self._in(self._weights, ranges)

    def _in(self, source: Source, ranges: list[tuple[int, int]]) -> np.ndarray:
        parts = [self._take(source, ra, rb) for ra, rb in ranges]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _blocks(self, term: str, docs: np.ndarray) -> np.ndarray:
        """For each doc, the block of the term's posting where it is or would be."""
        assert self._samples is not None and self._sample_indptr is not None
        i = self.term_ix[term]
        samples = self._samples[int(self._sample_indptr[i]):int(self._sample_indptr[i + 1])]
        return np.maximum(samples.searchsorted(docs, side="right") - 1, 0)

    @staticmethod
    def _take(source: Source, a: int, b: int) -> np.ndarray:
        return source[a:b] if isinstance(source, np.ndarray) else source.take(a, b)

    # -- mappings for callers that want a term's whole posting ---------------------------------
    def ids_map(self) -> Mapping[str, np.ndarray]:
        return _Whole(self, 0)

    def weights_map(self) -> Mapping[str, np.ndarray]:
        return _Whole(self, 1)


def _runs(blocks: np.ndarray) -> list[tuple[int, int]]:
    """Non-decreasing block numbers (repeats allowed) as (first, last) runs; blocks at most RUN_GAP
    apart share a run (reading a few unneeded blocks costs less than another system call)."""
    if not len(blocks):
        return []
    breaks = np.flatnonzero(np.diff(blocks) > RUN_GAP + 1)
    if not len(breaks):
        return [(int(blocks[0]), int(blocks[-1]))]
    firsts = blocks[np.concatenate(([0], breaks + 1))].tolist()
    lasts = blocks[np.concatenate((breaks, [len(blocks) - 1]))].tolist()
    return list(zip(firsts, lasts, strict=True))


def _merged(firsts: list[int], lasts: list[int]) -> list[tuple[int, int]]:
    """Ascending block intervals [first, last] as runs, intervals at most RUN_GAP apart joined."""
    runs: list[tuple[int, int]] = []
    for first, last in zip(firsts, lasts, strict=True):
        if runs and first - runs[-1][1] <= RUN_GAP + 1:
            runs[-1] = (runs[-1][0], max(runs[-1][1], last))
        else:
            runs.append((first, last))
    return runs


def spans_of(docs: np.ndarray) -> np.ndarray | None:
    """Ascending distinct doc ids as runs of consecutive ids: their first ids, then their last ids, in one
    array (`near` finds the blocks of both in one search); None when the ids are not ascending or form
    more than MAX_RUNS runs (`near` then reads by each doc's block)."""
    if len(docs) < 2 or not (docs[1:] > docs[:-1]).all():
        return None
    cut = np.flatnonzero(np.diff(docs) != 1)
    if len(cut) >= MAX_RUNS:
        return None
    return np.concatenate((docs[np.concatenate(([0], cut + 1))], docs[np.concatenate((cut, [len(docs) - 1]))]))


def _samples(indptr: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every BLOCK-th doc id of every posting (its first one included), and where each term's start."""
    df = np.diff(indptr)
    counts = (df + BLOCK - 1) // BLOCK
    sample_indptr = np.zeros(len(df) + 1, dtype=np.int64)
    np.cumsum(counts, out=sample_indptr[1:])
    within = np.arange(int(sample_indptr[-1]), dtype=np.int64) - np.repeat(sample_indptr[:-1], counts)
    positions = np.repeat(indptr[:-1], counts) + within * BLOCK
    return np.asarray(ids)[positions].astype(np.int32), sample_indptr


class _Whole(Mapping[str, np.ndarray]):
    """term -> its whole posting (ids or weights), read on lookup."""

    def __init__(self, lists: PostingLists, part: int) -> None:
        self._lists, self._part = lists, part

    def __getitem__(self, term: str) -> np.ndarray:
        got = self._lists.whole(term)
        if got is None:
            raise KeyError(term)
        return got[self._part]

    def get(self, term: str, default: np.ndarray | None = None) -> np.ndarray | None:  # type: ignore[override]
        got = self._lists.whole(term)
        return default if got is None else got[self._part]

    def __contains__(self, term: object) -> bool:
        return term in self._lists.term_ix

    def __iter__(self) -> Iterator[str]:
        return iter(self._lists.term_ix)

    def __len__(self) -> int:
        return len(self._lists.term_ix)
