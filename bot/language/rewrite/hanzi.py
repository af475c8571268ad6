"""Toneless pinyin typed by the user -> hanzi: a map from pinyin to corpus terms and a cheapest-reading DP.

Neighbours: built by bot/language/rewrite/rewriter.py from the vocabulary (bot/language/rewrite/vocabulary.py) and the reading
table (bot/language/rewrite/pinyin.py); bot/language/rewrite/typos.py looks homophones up in the same map.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import product

from bot.language.rewrite.pinyin import Readings, all_readings
from bot.language.rewrite.regions import region_base
from bot.language.rewrite.tokens import HAN_RE, WORD_SPLIT_RE, Tok

# Flags stored with each pinyin-map candidate.
F_TERM = 1  # curated or quoted term, department, region, glossary/synonym target, question word
F_WORD = 2  # an everyday dictionary word (jieba) that occurs in the corpus
F_REGION = 4
F_COMPOUND = 8  # a 4-gram made of two dictionary words (政策评价 = 政策 + 评价)

_CANDIDATES_PER_KEY = 8

# One candidate: (hanzi, corpus frequency, flags, syllable lengths such as "43" for yang+lao).
Candidate = tuple[str, int, int, str]

# One step of a reading in the DP: (where it starts, its text, converted to hanzi?, a region name?).
_Step = tuple[int, str, bool, bool]
# Cost of a position the DP has not reached; compared by identity, so it must stay this one object.
_UNREACHED: tuple[float, float] = (math.inf, 0.0)


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
        letters, forced = _join_typed(words)
        back = self._cheapest_reading(letters, forced)
        if back is None:
            return None
        pieces = _trace_back(back, len(letters))
        if not any(conv for _, _, _, conv, _ in pieces):
            return None
        return _render(pieces, forced, regions)

    def _cheapest_reading(self, s: str, forced: set[int]) -> list[_Step | None] | None:
        """For each position of `s`, the last step of the cheapest way to read up to it; None when the
        whole of `s` cannot be read (a letter run that is neither a term nor a syllable)."""
        n = len(s)
        edges = forced | {0, n}
        best: list[tuple[float, float]] = [_UNREACHED] * (n + 1)
        back: list[_Step | None] = [None] * (n + 1)
        best[0] = (0.0, 0.0)
        for i in range(n):
            if best[i] is _UNREACHED:
                continue
            self._extend_by_terms(s, i, forced, edges, best, back)
            self._extend_by_syllables(s, i, forced, best, back)
        return None if best[n] is _UNREACHED else back

    def _extend_by_terms(self, s: str, i: int, forced: set[int], edges: set[int],
                         best: list[tuple[float, float]], back: list[_Step | None]) -> None:
        """Relax every span s[i:j] that spells a corpus term, with that span's best usable candidate.

        Kept apart from the syllable step because terms carry the costs and frequencies that rank
        readings, and a term may cross a typed boundary only from one typed boundary to another.
        """
        cost_i, score_i = best[i]
        for j in range(i + 1, min(len(s), i + self.max_key) + 1):
            cands = self.entries.get(s[i:j])
            if not cands:
                continue
            spans_typed = any(i < b < j for b in forced)
            if spans_typed and not (i in edges and j in edges):
                continue
            usable = _first_usable(cands, i, j, forced)
            if usable is None:
                continue
            word, freq, flags, _lens = usable
            real = bool(flags & (F_TERM | F_WORD | F_COMPOUND))
            cost = (cost_i + (1.0 if real else 1.4), score_i - math.log1p(freq))
            if cost < best[j]:
                best[j] = cost
                back[j] = (i, word, True, bool(flags & F_REGION))

    def _extend_by_syllables(self, s: str, i: int, forced: set[int],
                             best: list[tuple[float, float]], back: list[_Step | None]) -> None:
        """Relax every span s[i:j] that is one valid syllable, left as typed: the fallback that lets a
        run convert in part (a stray syllable must not stop its neighbours becoming hanzi)."""
        cost_i, score_i = best[i]
        for j in range(i + 1, min(len(s), i + self.readings.max_syllable) + 1):
            if s[i:j] in self.readings.valid_syllables and not any(i < b < j for b in forced):
                cost = (cost_i + 1.6, score_i)
                if cost < best[j]:
                    best[j] = cost
                    back[j] = (i, s[i:j], False, False)


def _join_typed(words: list[str]) -> tuple[str, set[int]]:
    """The lower-cased letters of the run without separators, and the offsets where the user typed a
    boundary (space or apostrophe): the reading must respect those, so they are kept as positions."""
    s = ""
    forced: set[int] = set()
    for w in words:
        for part in WORD_SPLIT_RE.split(w.lower()):
            if s:
                forced.add(len(s))
            s += part
    return s, forced


def _first_usable(cands: tuple[Candidate, ...], i: int, j: int, forced: set[int]) -> Candidate | None:
    """The best-ranked candidate for s[i:j] that fits the typed boundaries; candidates are ranked best
    first, so the first that fits is the one to use. Single syllables are too ambiguous unless curated (谁)."""
    for cand in cands:
        _word, _freq, flags, lens = cand
        if not _boundaries_ok(i, j, lens, forced):
            continue
        if len(lens) == 1 and not flags & F_TERM:
            continue
        return cand
    return None


def _trace_back(back: list[_Step | None], n: int) -> list[tuple[int, int, str, bool, bool]]:
    """The pieces (start, end, text, converted?, region?) of the cheapest reading, left to right."""
    pieces: list[tuple[int, int, str, bool, bool]] = []
    j = n
    while j > 0:
        i, word, conv, is_region = back[j]  # type: ignore[misc]
        pieces.append((i, j, word, conv, is_region))
        j = i
    pieces.reverse()
    return pieces


def _render(pieces: list[tuple[int, int, str, bool, bool]], forced: set[int], regions: list[str]) -> str:
    """Join the pieces into the rewritten text, noting the regions read on the way.

    Unconverted syllables stay as typed; a space keeps them apart from hanzi and from other words the
    user typed separately, so the tokenizer does not glue them onto a neighbour.
    """
    out = ""
    prev_conv = None
    for i, _j, word, conv, is_region in pieces:
        if is_region:
            regions.append(word)
        if not conv:
            if out and (prev_conv or i in forced):
                out += " "
        elif prev_conv is False:
            out += " "
        out += word
        prev_conv = conv
    return out


@lru_cache(maxsize=1 << 17)
def _syllables(han: str) -> tuple[str, ...]:
    """pypinyin's toneless reading of a run of hanzi, remembered for the process: every index build (a
    publish, a curation preview) reads mostly the same terms again. pypinyin is imported here, at build
    time only, never when a saved map is loaded."""
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(han, style=Style.NORMAL, errors="ignore"))


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
    builder = _PinyinMapBuilder(readings, heteronyms)
    _add_corpus_ngrams(builder, ngram_freq, common)
    _add_known_terms(builder, terms, question_words, ngram_freq, joined)
    _add_regions(builder, regions, ngram_freq)
    return PinyinMap(builder.ranked(), readings)


class _PinyinMapBuilder:
    """Collects candidates per pinyin key while build_pinyin_map walks its sources, merging repeats.

    A class rather than a closure so that each source (n-grams, terms, regions) can be added by its own
    small function; pypinyin is imported here, at build time only, never when a saved map is loaded.
    """

    def __init__(self, readings: Readings, heteronyms: dict[str, tuple[str, ...]]) -> None:
        self.readings = readings
        self.heteronyms = heteronyms
        self.entries: dict[str, dict[str, tuple[int, int, str]]] = {}

    def add(self, word: str, freq: int, flags: int, out: str | None = None, variants: bool = False) -> None:
        """File `out` (default `word`) under the pinyin of `word`'s hanzi; words pypinyin cannot read
        as plain syllables are skipped. `variants` also files it under other readings of its characters."""
        han = "".join(HAN_RE.findall(word))
        if len(han) < 1:
            return
        sylls = list(_syllables(han))
        if len(sylls) != len(han) or not all(s.isascii() and s.isalpha() for s in sylls):
            return
        combos: Iterable[tuple[str, ...]] = [tuple(sylls)]
        if variants:
            combos = self._reading_variants(sylls, han)
        target = out or word
        for combo in combos:
            self._merge("".join(combo), target, freq, flags, "".join(str(len(s)) for s in combo))

    def _reading_variants(self, sylls: list[str], han: str) -> Iterator[tuple[str, ...]]:
        """Curated terms also answer to the other readings of their characters: pypinyin reads
        三审三校 as ...xiao, people (rightly) say ...jiao. Capped so long terms stay cheap."""
        options = [tuple(dict.fromkeys((s, *all_readings(self.readings, self.heteronyms, c))))
                   for s, c in zip(sylls, han, strict=True)]
        return _capped_product(options, 8)

    def _merge(self, key: str, target: str, freq: int, flags: int, lens: str) -> None:
        """A word seen again under the same key keeps its highest frequency, all flags and its first
        syllable lengths, so adding the same word from several sources never demotes it."""
        slot = self.entries.setdefault(key, {})
        old = slot.get(target)
        if old is None:
            slot[target] = (freq, flags, lens)
        else:
            slot[target] = (max(freq, old[0]), flags | old[1], old[2])

    def override(self, key: str, word: str, freq: int, flags: int, lens: str) -> None:
        """File `word` under `key` exactly, overriding pypinyin (for readings it gets wrong)."""
        self.entries.setdefault(key, {})[word] = (freq, flags, lens)

    def ranked(self) -> dict[str, tuple[Candidate, ...]]:
        """Each key's candidates, best first (see _rank), cut to the few the DP ever looks at."""
        ranked_entries: dict[str, tuple[Candidate, ...]] = {}
        for key, slot in self.entries.items():
            ranked = sorted(slot.items(), key=_rank)
            ranked_entries[key] = tuple((w, f, fl, lens) for w, (f, fl, lens) in ranked[:_CANDIDATES_PER_KEY])
        return ranked_entries


def _add_corpus_ngrams(builder: _PinyinMapBuilder, ngram_freq: Counter[str], common: dict[str, int]) -> None:
    """Corpus n-grams worth typing: dictionary words, two dictionary words (政策评价), or any n-gram
    seen at least three times; rarer chance n-grams would only add wrong readings."""
    for gram, f in ngram_freq.items():
        flags = F_WORD if gram in common else 0
        if len(gram) == 4 and gram[:2] in common and gram[2:] in common:
            flags |= F_COMPOUND
        if f >= 3 or flags:
            builder.add(gram, f, flags)


def _add_known_terms(builder: _PinyinMapBuilder, terms: set[str], question_words: set[str],
                     ngram_freq: Counter[str], joined: str) -> None:
    """Curated terms (with reading variants) and question words (without), flagged as terms so even
    rare ones are found; 谁 also answers to its spoken reading shei."""
    for t in terms:
        f = ngram_freq.get(t) or (joined.count(t) if len(t) > 4 else 0)
        builder.add(t, max(f, 1), F_TERM, variants=True)
    for q in question_words:
        builder.add(q, 1, F_TERM)  # no reading variants: 什么 must not answer to "shiyao"
    builder.add("谁", 1, F_TERM)
    builder.override("shei", "谁", 1, F_TERM, "4")  # the spoken reading; pypinyin says shui


def _add_regions(builder: _PinyinMapBuilder, regions: list[str], ngram_freq: Counter[str]) -> None:
    """Region names, and their bare base (huaiyin -> 槐荫区), flagged so the converter reports them."""
    for r in regions:
        f = max(ngram_freq.get(r, 0), 1)
        builder.add(r, f, F_TERM | F_REGION)
        base = region_base(r)
        if base != r:
            builder.add(base, f, F_TERM | F_REGION, out=r)


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
