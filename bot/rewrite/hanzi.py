"""Toneless pinyin typed by the user -> hanzi: a map from pinyin to corpus terms and a cheapest-reading DP.

Neighbours: built by bot/rewrite/rewriter.py from the vocabulary (bot/rewrite/vocabulary.py) and the reading
table (bot/rewrite/pinyin.py); bot/rewrite/typos.py looks homophones up in the same map.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import product

from bot.rewrite.pinyin import Readings, all_readings
from bot.rewrite.regions import region_base
from bot.rewrite.tokens import HAN_RE, WORD_SPLIT_RE, Tok

# Flags stored with each pinyin-map candidate.
F_TERM = 1  # curated or quoted term, department, region, glossary/synonym target, question word
F_WORD = 2  # an everyday dictionary word (jieba) that occurs in the corpus
F_REGION = 4
F_COMPOUND = 8  # a 4-gram made of two dictionary words (政策评价 = 政策 + 评价)

_CANDIDATES_PER_KEY = 8

# One candidate: (hanzi, corpus frequency, flags, syllable lengths such as "43" for yang+lao).
Candidate = tuple[str, int, int, str]


class PinyinMap:
    """Concatenated toneless pinyin ("yanglao") -> the corpus terms that sound like it, best first."""

    def __init__(self, entries: dict[str, tuple[Candidate, ...]], readings: Readings) -> None:
        self.entries = entries
        self.max_key = max((len(k) for k in entries), default=0)
        self.readings = readings

    def candidates(self, key: str) -> tuple[Candidate, ...]:
        return self.entries.get(key, ())

    def convert(self, toks: list[Tok], regions: list[str], corrections: list[tuple[str, str]]) -> list[Tok]:
        """Turn each run of pinyin words (spaces allowed between them) into hanzi."""
        out: list[Tok] = []
        i = 0
        while i < len(toks):
            if not (toks[i].kind == "word" and toks[i].role == "py"):
                out.append(toks[i])
                i += 1
                continue
            run = [i]
            j = i
            while (j + 2 < len(toks) and toks[j + 1].kind == "space" and toks[j + 2].kind == "word"
                   and toks[j + 2].role == "py"):
                j += 2
                run.append(j)
            words = [toks[k].text for k in run]
            converted = self._to_hanzi(words, regions)
            if converted is None:
                out.extend(toks[i:j + 1])
            else:
                written = " ".join(words)
                corrections.append((written, converted))
                out.append(Tok("zh", converted, "pinyin"))
            i = j + 1
        return out

    def _to_hanzi(self, words: list[str], regions: list[str]) -> str | None:
        """Dynamic programming over the letters for the cheapest reading, then the most frequent.

        A dictionary word or known term costs 1, any other corpus n-gram 1.4, a syllable left as typed
        1.6: so fewer, longer, real words win. Boundaries the user typed (spaces, apostrophes) must be
        syllable boundaries, and a piece may only span one if it starts and ends on typed boundaries
        ("yanglao butie" -> 养老补贴 is fine, "xinjin gongwu" never reads as 新 + 进工 + 务).
        Returns None when nothing could be converted.
        """
        valid_syllables = self.readings.valid_syllables
        max_syllable = self.readings.max_syllable
        s = ""
        forced: set[int] = set()
        for w in words:
            for part in WORD_SPLIT_RE.split(w.lower()):
                if s:
                    forced.add(len(s))
                s += part
        n = len(s)
        edges = forced | {0, n}
        inf = (math.inf, 0.0)
        best: list[tuple[float, float]] = [inf] * (n + 1)
        back: list[tuple[int, str, bool, bool] | None] = [None] * (n + 1)
        best[0] = (0.0, 0.0)
        for i in range(n):
            if best[i] is inf:
                continue
            cost_i, score_i = best[i]
            for j in range(i + 1, min(n, i + self.max_key) + 1):
                cands = self.entries.get(s[i:j])
                if not cands:
                    continue
                spans_typed = any(i < b < j for b in forced)
                if spans_typed and not (i in edges and j in edges):
                    continue
                for word, freq, flags, lens in cands:
                    if not _boundaries_ok(i, j, lens, forced):
                        continue
                    if len(lens) == 1 and not flags & F_TERM:
                        continue  # single syllables are too ambiguous unless curated (谁)
                    real = bool(flags & (F_TERM | F_WORD | F_COMPOUND))
                    cost = (cost_i + (1.0 if real else 1.4), score_i - math.log1p(freq))
                    if cost < best[j]:
                        best[j] = cost
                        back[j] = (i, word, True, bool(flags & F_REGION))
                    break  # candidates are ranked best first
            for j in range(i + 1, min(n, i + max_syllable) + 1):
                if s[i:j] in valid_syllables and not any(i < b < j for b in forced):
                    cost = (cost_i + 1.6, score_i)
                    if cost < best[j]:
                        best[j] = cost
                        back[j] = (i, s[i:j], False, False)
        if best[n] is inf:
            return None
        pieces: list[tuple[int, int, str, bool, bool]] = []
        j = n
        while j > 0:
            i, word, conv, is_region = back[j]  # type: ignore[misc]
            pieces.append((i, j, word, conv, is_region))
            j = i
        pieces.reverse()
        if not any(conv for _, _, _, conv, _ in pieces):
            return None
        out = ""
        prev_conv = None
        for i, _j, word, conv, is_region in pieces:
            if is_region:
                regions.append(word)
            if not conv:
                # Unconverted syllables stay as typed; keep them apart from hanzi and other words.
                if out and (prev_conv or i in forced):
                    out += " "
            elif prev_conv is False:
                out += " "
            out += word
            prev_conv = conv
        return out


def build_pinyin_map(
    readings: Readings,
    heteronyms: dict[str, tuple[str, ...]],
    ngram_freq: Counter[str],
    common: dict[str, int],
    terms: set[str],
    question_words: set[str],
    joined: str,
    regions: list[str],
) -> PinyinMap:
    """Map concatenated toneless pinyin ("yanglao") to the corpus terms that sound like it.

    Candidates: corpus n-grams that are dictionary words (or two of them) or occur at least three
    times, plus every known term of any length. Each candidate keeps its frequency, flags and syllable
    lengths (to honour the spaces a user typed and to compare syllables exactly when correcting typos).
    """
    from pypinyin import Style, lazy_pinyin  # build-time only

    entries: dict[str, dict[str, tuple[int, int, str]]] = {}

    def add(word: str, freq: int, flags: int, out: str | None = None, variants: bool = False) -> None:
        han = "".join(HAN_RE.findall(word))
        if len(han) < 1:
            return
        sylls = lazy_pinyin(han, style=Style.NORMAL, errors="ignore")
        if len(sylls) != len(han) or not all(s.isascii() and s.isalpha() for s in sylls):
            return
        combos: Iterable[tuple[str, ...]] = [tuple(sylls)]
        if variants:
            # Curated terms also answer to the other readings of their characters: pypinyin reads
            # 三审三校 as ...xiao, people (rightly) say ...jiao.
            options = [tuple(dict.fromkeys((s, *all_readings(readings, heteronyms, c))))
                       for s, c in zip(sylls, han, strict=True)]
            combos = _capped_product(options, 8)
        target = out or word
        for combo in combos:
            key = "".join(combo)
            lens = "".join(str(len(s)) for s in combo)
            slot = entries.setdefault(key, {})
            old = slot.get(target)
            if old is None:
                slot[target] = (freq, flags, lens)
            else:
                slot[target] = (max(freq, old[0]), flags | old[1], old[2])

    for gram, f in ngram_freq.items():
        flags = F_WORD if gram in common else 0
        if len(gram) == 4 and gram[:2] in common and gram[2:] in common:
            flags |= F_COMPOUND
        if f >= 3 or flags:
            add(gram, f, flags)
    for t in terms:
        f = ngram_freq.get(t) or (joined.count(t) if len(t) > 4 else 0)
        add(t, max(f, 1), F_TERM, variants=True)
    for q in question_words:
        add(q, 1, F_TERM)  # no reading variants: 什么 must not answer to "shiyao"
    add("谁", 1, F_TERM)
    entries.setdefault("shei", {})["谁"] = (1, F_TERM, "4")  # the spoken reading; pypinyin says shui
    for r in regions:
        f = max(ngram_freq.get(r, 0), 1)
        add(r, f, F_TERM | F_REGION)
        base = region_base(r)
        if base != r:
            add(base, f, F_TERM | F_REGION, out=r)

    ranked_entries: dict[str, tuple[Candidate, ...]] = {}
    for key, slot in entries.items():
        ranked = sorted(slot.items(), key=_rank)
        ranked_entries[key] = tuple((w, f, fl, lens) for w, (f, fl, lens) in ranked[:_CANDIDATES_PER_KEY])
    return PinyinMap(ranked_entries, readings)


def _rank(item: tuple[str, tuple[int, int, str]]) -> tuple[int, int, int, str]:
    """Sort key: regions first, then real words, then the more frequent, then by the hanzi (stable)."""
    word, (freq, flags, _lens) = item
    return (-(flags & F_REGION), -bool(flags & (F_TERM | F_WORD | F_COMPOUND)), -freq, word)


def _boundaries_ok(i: int, j: int, lens: str, forced: set[int]) -> bool:
    """Every boundary the user typed inside [i, j) must be a syllable boundary of the candidate."""
    inside = [b for b in forced if i < b < j]
    if not inside:
        return True
    pos = i
    cuts = set()
    for c in lens:
        pos += int(c)
        cuts.add(pos)
    return all(b in cuts for b in inside)


def _capped_product(readings: list[tuple[str, ...]], cap: int) -> Iterator[tuple[str, ...]]:
    """The first `cap` combinations of per-character readings (the everyday reading first)."""
    for k, combo in enumerate(product(*readings)):
        if k >= cap:
            return
        yield combo
