"""Toneless pinyin of hanzi and of typed letters: a per-character reading table and syllable segmentation.

Neighbours: bot/language/rewrite/rewriter.py builds it once (the only place pypinyin reads characters); hanzi.py
(pinyin -> hanzi), typos.py (homophones) and english.py (pinyin or English?) read it; bot/index/search_index.py gets
suggestion prefixes through QueryRewriter.pinyin_of.
"""
from __future__ import annotations

from array import array
from functools import lru_cache

CJK_START, CJK_END = 0x4E00, 0x9FFF  # the block the pinyin table covers

# Readings pypinyin knows that nobody types as a syllable of a word (interjections, ê).
_BAD_SYLLABLES: frozenset[str] = frozenset({"m", "n", "ng", "hm", "hng", "ê", "o", "yo", "lo"})


class Readings:
    """The everyday toneless reading of every CJK Unified Ideograph, and the valid typed syllables.

    Stored as a tuple of syllables plus an unsigned-short index per code point (about 40 KB), so it
    pickles small and answers without pypinyin.
    """

    def __init__(self, syllables: tuple[str, ...], char_py: array, valid_syllables: frozenset[str]) -> None:
        self.syllables = syllables  # index 0 is "" (no reading)
        self.char_py = char_py  # code point - CJK_START -> index into syllables
        self.valid_syllables = valid_syllables
        self.max_syllable = max(len(s) for s in valid_syllables)

    def reading(self, ch: str) -> str:
        """The everyday toneless reading of a hanzi ("" for anything else)."""
        cp = ord(ch)
        if not CJK_START <= cp <= CJK_END:
            return ""
        return self.syllables[self.char_py[cp - CJK_START]]

    def pinyin_of(self, text: str) -> list[str]:
        """Toneless syllables of the hanzi in `text`, anything else skipped."""
        return [r for r in (self.reading(ch) for ch in text) if r]

    def segmentable(self, s: str) -> bool:
        """True when `s` splits completely into valid toneless pinyin syllables."""
        n = len(s)
        ok = [True] + [False] * n
        for i in range(n):
            if not ok[i]:
                continue
            for j in range(i + 1, min(n, i + self.max_syllable) + 1):
                if s[i:j] in self.valid_syllables:
                    ok[j] = True
        return ok[n]


def build_readings() -> tuple[Readings, dict[str, tuple[str, ...]]]:
    """The reading table, and each heteronym's other readings (up to two).

    The heteronyms are needed only while building (curated terms answer to every reading of their
    characters), so they are returned apart and never pickled.
    """
    from pypinyin import Style, pinyin  # build-time only

    syllables: list[str] = [""]
    index: dict[str, int] = {"": 0}
    table = array("H", bytes(2 * (CJK_END - CJK_START + 1)))
    extra: dict[str, tuple[str, ...]] = {}
    valid: set[str] = set()
    for cp in range(CJK_START, CJK_END + 1):
        ch = chr(cp)
        readings = [r for r in dict.fromkeys(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])
                    if r and r.isascii() and r.isalpha()]
        if not readings or readings[0] == ch:
            continue
        for r in readings:
            if r not in index:
                index[r] = len(syllables)
                syllables.append(r)
            if r not in _BAD_SYLLABLES:
                valid.add(r)
        table[cp - CJK_START] = index[readings[0]]
        if len(readings) > 1:
            extra[ch] = tuple(readings[1:3])
    valid.update({"lue", "nue"})  # how 略/虐 are usually typed (pypinyin writes lve/nve)
    return Readings(tuple(syllables), table, frozenset(valid)), extra


def all_readings(readings: Readings, heteronyms: dict[str, tuple[str, ...]], ch: str) -> tuple[str, ...]:
    """Every reading of `ch`, the everyday one first (build time only: heteronyms are not pickled)."""
    first = readings.reading(ch)
    return (first, *heteronyms.get(ch, ())) if first else ()


# Sounds a speaker or a speech recogniser confuses: back and front nasals, retroflex and flat initials, n and l.
# A voice-typed "乡村振心" is 振兴 heard as zhenxin.
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))


@lru_cache(maxsize=4096)
def fuzzy_neighbours(syllable: str, valid: frozenset[str]) -> tuple[str, ...]:
    """The valid syllables one confusable sound away from `syllable` ("xin" -> "xing"; "zhen" -> "zen").
    Remembered: a question's windows ask for the same few hundred syllables again and again."""
    out: list[str] = []
    for back, front in _FUZZY_FINALS:
        if syllable.endswith(back):
            out.append(syllable[: -len(back)] + front)
        elif syllable.endswith(front):
            out.append(syllable[: -len(front)] + back)
    for retroflex, flat in _FUZZY_INITIALS:
        if syllable.startswith(retroflex):
            out.append(flat + syllable[len(retroflex):])
        elif syllable.startswith(flat) and not syllable.startswith(("zh", "ch", "sh")):
            out.append(retroflex + syllable[len(flat):])
    return tuple(x for x in dict.fromkeys(out) if x != syllable and x in valid)


@lru_cache(maxsize=4096)
def fuzzy_key(syllable: str) -> str:
    """`syllable` with every confusion of `fuzzy_neighbours` folded one way (final -ng -> -n, zh/ch/sh ->
    z/c/s, n- -> l-): a syllable and each of its fuzzy neighbours share this key, so two readings whose
    keys differ can never be made equal by confusing one sound (typos.py skips such windows at once)."""
    if syllable.endswith(tuple(back for back, _ in _FUZZY_FINALS)):
        syllable = syllable[:-1]
    for retroflex, flat in _FUZZY_INITIALS:
        if syllable.startswith(retroflex):
            return flat + syllable[len(retroflex):]
    return syllable
