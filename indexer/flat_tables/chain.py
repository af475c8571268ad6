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


def split_rows(stream: str, layout: Layout) -> list[tuple[str, str]] | None:
    """(序号, cell text) of each row: the chain of consecutive numbers that reads best as table rows."""
    cands = _candidates(stream, layout.spaced)
    lead = len(stream) - len(stream.lstrip())
    firsts = [(v, c) for v, cs in cands.items() for c in cs if c.start == lead]
    if not firsts:  # a section row before the first numbered row ("一、聚焦重点领域 1 …")
        firsts = sorted(((v, c) for v, cs in cands.items() for c in cs
                         if c.start <= 60 and SECTION_MARK.match(stream, lead) and heading_like(stream[:c.start].strip())),
                        key=lambda vc: vc[1].start)[:1]
    if not firsts:
        return None
    first_value, first = firsts[0]
    none: frozenset[str] = frozenset()
    cache: dict[tuple[int, int], float] = {}

    def seg(a: int, b: int) -> float:
        if (a, b) not in cache:  # a very long "row" most likely runs over rows whose numbers were passed by
            cache[(a, b)] = row_score(peel(section_tail(stream[a:b], layout)[0], layout, none)) - max(0, b - a - 600) / 600
        return cache[(a, b)]

    # layer: candidate -> (score so far, previous candidate index in the layer before)
    layers: list[list[tuple[_Candidate, float, int]]] = [[(first, first.bonus, -1)]]
    value = first_value
    while value + 1 in cands:
        layer: list[tuple[_Candidate, float, int]] = []
        for c in cands[value + 1]:
            best, back = None, -1
            for k, (p, score, _) in enumerate(layers[-1]):
                if not (p.end + 1 < c.start <= p.end + _MAX_ROW):
                    continue
                total = score + seg(p.end, c.start) + 1 + c.bonus
                if best is None or total > best:
                    best, back = total, k
            if best is not None:
                layer.append((c, best, back))
        if not layer:
            break
        if len(layer) > _BEAM:
            keep = sorted(range(len(layer)), key=lambda k: -layer[k][1])[:_BEAM]
            layer = [layer[k] for k in sorted(keep)]
        layers.append(layer)
        value += 1
    best_total, where = None, (0, 0)
    ends = [(d, k) for d, layer in enumerate(layers) for k, (c, _, _) in enumerate(layer)
            if len(stream) - c.end <= _MAX_ROW] or [(len(layers) - 1, k) for k in range(len(layers[-1]))]
    for depth, k in ends:
        c, score, _ = layers[depth][k]
        total = score + seg(c.end, len(stream))
        if best_total is None or total > best_total:
            best_total, where = total, (depth, k)
    if best_total is None:
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
    if chain[0].start > lead:
        parts.insert(0, ("", stream[:chain[0].start]))
    return parts
