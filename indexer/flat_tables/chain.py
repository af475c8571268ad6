"""Where a flattened table's rows start: of all chains of consecutive numbers (1, 2, 3 …) in the text, the
one whose pieces read best as rows. A number inside a row ("20件", "26+1+n") never opens a row.

Used by indexer/flat_tables/rows.py; scores pieces with indexer/flat_tables/peel.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.flat_tables.header import Layout
from indexer.flat_tables.peel import SECTION_MARK, heading_like, peel, row_score, section_tail
from indexer.patterns import CJK

_NUMBER = re.compile(r"(?<!\d)\d{1,3}(?!\d)")
# A number followed by one of these most likely counts something ("20件", "3个工作日"), and is no 序号.
_MEASURE = frozenset("号个次项件家条类名位万亿元天批期场轮届种份部台套座篇余倍级版季度")
# Characters a 序号 cannot follow ("第5", "（1）", "No.3", "1+N").
_NOT_BEFORE = frozenset("第.．-—－/~～+＋×*#(（[【〔<《“\"'：:")
_NOT_AFTER = frozenset(".．、%‰:：,，)）]】〕+＋-—/~～")
_OPENERS = frozenset("（(“《【〔\"'")
_MAX_ROW = 4000  # characters: longer "rows" are runs of several rows that lost their numbers
_BEAM = 6  # best chains kept per row number


@dataclass
class _Candidate:
    start: int
    end: int
    bonus: float


def _candidates(stream: str, spaced: bool) -> dict[int, list[_Candidate]]:
    found: dict[int, list[_Candidate]] = {}
    for m in _NUMBER.finditer(stream):
        a, b = m.span()
        before = stream[a - 1] if a else "\n"
        if before in _NOT_BEFORE or before.isascii() and before.isalpha():
            continue
        if b >= len(stream) or stream[b] in _NOT_AFTER:
            continue
        j = b
        while j < len(stream) and stream[j] in " \n":
            j += 1
        if j >= len(stream):
            continue
        nxt = stream[j]
        if nxt in "年月日" or not (re.match(rf"[{CJK}]", nxt) or nxt in _OPENERS or j > b and spaced and nxt.isdigit()):
            continue
        bonus = 3.0 if before == "\n" else 1.5 if before.isspace() else 0.0
        bonus += 0.5 if j > b else 0.0
        if nxt in _MEASURE:  # most likely counts something; a row may still start so ("项目…")
            bonus -= 4
        found.setdefault(int(m.group(0)), []).append(_Candidate(a, b, bonus))
    return found


_Layer = list[tuple[_Candidate, float, int]]  # per candidate: (score so far, its predecessor in the layer before)


class _Chains:
    """A beam search over chains of consecutive row numbers, scoring each piece as a row."""

    def __init__(self, stream: str, layout: Layout) -> None:
        self.stream, self.layout = stream, layout
        self.cands = _candidates(stream, layout.spaced)
        self.lead = len(stream) - len(stream.lstrip())
        self.cache: dict[tuple[int, int], float] = {}

    def seg(self, a: int, b: int) -> float:
        """How well stream[a:b] reads as one row."""
        if (a, b) not in self.cache:  # a very long "row" most likely runs over rows whose numbers were passed by
            row = peel(section_tail(self.stream[a:b], self.layout)[0], self.layout, frozenset())
            self.cache[(a, b)] = row_score(row) - max(0, b - a - 600) / 600
        return self.cache[(a, b)]

    def first(self) -> tuple[int, _Candidate] | None:
        """The first row's number: at the start, or after a section row ("一、聚焦重点领域 1 …")."""
        firsts = [(v, c) for v, cs in self.cands.items() for c in cs if c.start == self.lead]
        if not firsts:
            stream = self.stream
            firsts = sorted(((v, c) for v, cs in self.cands.items() for c in cs
                             if c.start <= 60 and SECTION_MARK.match(stream, self.lead)
                             and heading_like(stream[:c.start].strip())),
                            key=lambda vc: vc[1].start)[:1]
        return firsts[0] if firsts else None

    def next_layer(self, previous: _Layer, value: int) -> _Layer:
        """The candidates for row `value`, each with the best chain reaching it."""
        layer: _Layer = []
        for c in self.cands[value]:
            best, back = None, -1
            for k, (p, score, _) in enumerate(previous):
                if not (p.end + 1 < c.start <= p.end + _MAX_ROW):
                    continue
                total = score + self.seg(p.end, c.start) + 1 + c.bonus
                if best is None or total > best:
                    best, back = total, k
            if best is not None:
                layer.append((c, best, back))
        if len(layer) > _BEAM:
            keep = sorted(range(len(layer)), key=lambda k: -layer[k][1])[:_BEAM]
            layer = [layer[k] for k in sorted(keep)]
        return layer

    def best_end(self, layers: list[_Layer]) -> tuple[int, int] | None:
        """(layer, index) of the last row of the best chain, its last piece running to the stream's end."""
        n = len(self.stream)
        ends = [(d, k) for d, layer in enumerate(layers) for k, (c, _, _) in enumerate(layer)
                if n - c.end <= _MAX_ROW] or [(len(layers) - 1, k) for k in range(len(layers[-1]))]
        best_total, where = None, None
        for depth, k in ends:
            c, score, _ = layers[depth][k]
            total = score + self.seg(c.end, n)
            if best_total is None or total > best_total:
                best_total, where = total, (depth, k)
        return where


def split_rows(stream: str, layout: Layout) -> list[tuple[str, str]] | None:
    """(序号, cell text) of each row: the chain of consecutive numbers that reads best as table rows."""
    search = _Chains(stream, layout)
    start = search.first()
    if start is None:
        return None
    value, first = start
    layers: list[_Layer] = [[(first, first.bonus, -1)]]
    while value + 1 in search.cands:
        layer = search.next_layer(layers[-1], value + 1)
        if not layer:
            break
        layers.append(layer)
        value += 1
    where = search.best_end(layers)
    if where is None:
        return None
    chain: list[_Candidate] = []
    depth, k = where
    while depth >= 0:
        c, _, back = layers[depth][k]
        chain.append(c)
        depth, k = depth - 1, back
    chain.reverse()
    bounds = [c.start for c in chain[1:]] + [len(stream)]
    parts = [(stream[c.start:c.end], stream[c.end:b]) for c, b in zip(chain, bounds, strict=True)]
    if chain[0].start > search.lead:
        parts.insert(0, ("", stream[:chain[0].start]))
    return parts
