"""Typos by pronunciation: hanzi windows absent from the corpus -> a homophone plan term (养劳 -> 养老).

Neighbours: built by bot/language/rewrite/rewriter.py from corpus n-grams and vocabulary (bot/language/rewrite/vocabulary.py)
and jieba's dictionary (bot/language/rewrite/data.py); homophones come from the pinyin map in bot/language/rewrite/hanzi.py.
"""
from __future__ import annotations

import threading
import weakref
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bot.language.rewrite.hanzi import F_COMPOUND, F_TERM, F_WORD, PinyinMap
from bot.language.rewrite.pinyin import Readings, fuzzy_key, fuzzy_neighbours
from bot.language.rewrite.tokens import HAN_RE

# Function characters a correction never replaces (由 -> 有 would change the question, not fix a term).
_FUNCTION_CHARS: frozenset[str] = frozenset(
    "的了是在有由和与及或被把给对向从到为以之等也都就还要会能可吗呢吧啊哪谁什么怎几多这那我你他她它们个不没每各该其此"
)

# Build-time knobs (documented in knowledge/data/README.md).
_TYPO_MIN_FREQ = 2  # corpus frequency a dictionary word (not a curated term) needs to be a typo target
_MAX_NGRAM_HASHES = 1_000_000  # cap on the corpus-membership hash array (4 bytes each)
_MAX_KEPT_WINDOWS = 50_000  # per corrector: windows whose window-only guards were already checked
_UNKNOWN = object()


class TypoCorrector:
    """Corrects pronunciation typos inside hanzi runs, guarded against bending off-topic questions.

    Corpus n-grams, everyday words and proper nouns are kept as sorted CRC32 arrays (4 bytes each) rather
    than sets of strings, so the pickle stays small; a collision only ever makes a correction *less* likely.
    """

    def __init__(
        self,
        pinyin: PinyinMap,
        readings: Readings,
        ngram_hashes: array,
        common_hashes: array,
        proper_hashes: array,
        vocab: frozenset[str],
        locked: frozenset[str],
    ) -> None:
        self.pinyin = pinyin
        self.readings = readings
        self.ngram_hashes = ngram_hashes  # "does this 2-4-gram occur in the corpus"
        self.common_hashes = common_hashes  # "is this an everyday (jieba) word"
        self.proper_hashes = proper_hashes  # jieba proper nouns absent from the corpus (淮阴, 海淀)
        self.vocab = vocab  # known terms and synonym sources: protected like corpus words
        self.vocab_max = max((len(w) for w in vocab), default=0)
        self.locked = locked  # question words and keep_words.txt: never touched

    @classmethod
    def build(
        cls,
        pinyin: PinyinMap,
        readings: Readings,
        ngram_freq: Counter[str],
        common: dict[str, int],
        proper: set[str],
        vocab_words: Iterable[str],
        locked: frozenset[str],
    ) -> TypoCorrector:
        keep = (ngram_freq if len(ngram_freq) <= _MAX_NGRAM_HASHES
                else dict(ngram_freq.most_common(_MAX_NGRAM_HASHES)))
        vocab = frozenset(w for w in vocab_words if HAN_RE.fullmatch(w) and 2 <= len(w) <= 16)
        return cls(
            pinyin,
            readings,
            ngram_hashes=_hash_array(keep),
            common_hashes=_hash_array(common),
            proper_hashes=_hash_array(w for w in proper if w not in ngram_freq),
            vocab=vocab,
            locked=locked,
        )

    def warm_up(self) -> None:
        """Make the sound keys now (`_sound_keys_of`: 15 ms for the shipped plans, 50 at 1 M entries)."""
        _sound_keys_of(self)

    def correct(self, run: str, corrections: list[tuple[str, str]]) -> str:
        """Replace 2-4 hanzi windows absent from the corpus by a homophone corpus term.

        Guards against bending off-topic questions into plan vocabulary: the window must not occur in
        the corpus, must not be an everyday word or cut through one (公积金 never becomes 公基金),
        must not touch a question word, allow-listed word or proper noun, and may differ from its
        target in at most half of its characters; the target must be a known term or frequent.
        Longer windows go first, and a character once corrected is never corrected again.
        """
        n = len(run)
        if n < 2:
            return run
        chars = list(run)
        fixed = [False] * n
        words = _RunWords(self, run)
        # The checks that depend on the window alone are made once per window and kept in `targets` (the
        # same windows recur in every question: 哪个部门, 负责); the run's word analysis only once a window
        # passes them. First of those: some target must sound like the window (one sound confused at most).
        targets = _targets_of(self)
        sound_keys, leads = _sound_keys_of(self)
        reads = [self.readings.reading(c) for c in run]  # each character's reading, once per run
        keys = [fuzzy_key(r) for r in reads]
        # where a window may start: its first two characters sound like the start of some target
        starts = [f"{keys[i]} {keys[i + 1]}" in leads for i in range(n - 1)]
        any_fixed = False
        for size in (4, 3, 2):
            for i in range(n - size + 1):
                if not starts[i] or (any_fixed and any(fixed[i:i + size])):
                    continue
                window = run[i:i + size]
                kept = targets.get(window, _UNKNOWN)
                if kept is _UNKNOWN:
                    combo = reads[i:i + size]
                    sounds = all(combo) and " ".join(keys[i:i + size]) in sound_keys  # nine windows in ten: not
                    target = self._window_target(window, combo) if sounds else None
                    if len(targets) < _MAX_KEPT_WINDOWS:
                        targets[window] = target
                else:
                    target = kept  # type: ignore[assignment]
                if target is None or words.touches_locked(i, i + size) or words.cuts(i, i + size):
                    continue
                chars[i:i + size] = list(target)
                for k in range(i, i + size):
                    fixed[k] = True
                any_fixed = True
                corrections.append((window, target))
        return "".join(chars)

    def _window_target(self, window: str, combo: list[str]) -> str | None:
        """The other guards of `correct` that depend on the window alone: it is neither a corpus n-gram nor
        a known or everyday word, and a homophone target exists. `combo`: its characters' readings."""
        h = _crc(window)  # the cheap guards first: most such windows of a question are corpus n-grams
        if _has_hash(self.ngram_hashes, h) or window in self.vocab or _has_hash(self.common_hashes, h):
            return None
        return self._homophone(window, combo)

    def _homophone(self, window: str, combo: list[str]) -> str | None:
        """The best corpus term pronounced like `window` and sharing most of its characters.

        `combo` holds the window's readings: the everyday reading of each character only, because
        archaic readings (找 huá, 车 jū) would make chance homophones of ordinary text.
        """
        if not all(combo):
            return None
        found = self._sounding_like(window, combo)
        if found is not None:
            return found
        # heard with one sound confused ("振心" for 振兴): only when no exact homophone is found
        valid = self.readings.valid_syllables
        for k, syllable in enumerate(combo):
            for near in fuzzy_neighbours(syllable, valid):
                found = self._sounding_like(window, [*combo[:k], near, *combo[k + 1:]])
                if found is not None:
                    return found
        return None

    def _sounding_like(self, window: str, combo: list[str]) -> str | None:
        """The best corpus term read exactly as `combo`, sharing most of the window's characters."""
        candidates = self.pinyin.candidates("".join(combo))
        if not candidates:
            return None
        lens = "".join(str(len(s)) for s in combo)
        best: tuple[tuple[int, int, int], str] | None = None
        size = len(window)
        for word, freq, flags, cand_lens in candidates:
            if cand_lens != lens or len(word) != size or word == window:
                continue
            diff = [k for k in range(size) if word[k] != window[k]]
            if len(diff) * 2 > size or any(window[k] in _FUNCTION_CHARS for k in diff):
                continue
            known = bool(flags & F_TERM)
            # Only real words become targets: a known term, a dictionary word, or two dictionary words
            # (政策评价); never a chance n-gram across a word boundary (向申请, 新媒体规).
            if not (known or (flags & (F_WORD | F_COMPOUND) and freq >= _TYPO_MIN_FREQ)):
                continue
            rank = (size - len(diff), int(known), freq)
            if best is None or rank > best[0]:
                best = (rank, word)
        return best[1] if best else None

    def _word_spans(self, run: str) -> tuple[list[tuple[int, int, bool]], list[bool]]:
        """Occurrences of everyday/known words in the run, and positions no correction may touch."""
        n = len(run)
        spans: list[tuple[int, int, bool]] = []
        locked = [False] * n
        longest = max(self.vocab_max, 5)
        at = [(i, j) for i in range(n) for j in range(i + 2, min(n, i + longest) + 1)]
        words = [run[i:j] for i, j in at]
        # Each substring hashed once (C-level maps) and looked up in the three hash arrays at once; only
        # the substrings something was found for are then visited, in order.
        hashes = np.array(list(map(zlib.crc32, map(str.encode, words))), dtype=np.uint32)
        proper, common, ngram = (_members(a, hashes) for a in (self.proper_hashes, self.common_hashes,
                                                                self.ngram_hashes))
        named = self.locked.intersection(words) | self.vocab.intersection(words)
        found = np.flatnonzero(proper | common).tolist()
        if named:
            found = sorted({*found, *(k for k, w in enumerate(words) if w in named)})
        for k in found:
            i, j = at[k]
            w = words[k]
            if w in self.locked or proper[k]:
                for m in range(i, j):
                    locked[m] = True
            if w in self.vocab:  # curated words are protected like corpus words
                spans.append((i, j, True))
            elif common[k]:
                spans.append((i, j, j - i <= 4 and bool(ngram[k])))
        for i, ch in enumerate(run):  # one-character question words (谁)
            if ch in self.locked:
                locked[i] = True
        return spans, locked


@dataclass
class _RunWords:
    """The words of one hanzi run, analysed on first use: most runs have no typo candidate at all, so
    `TypoCorrector.correct` should not pay for `_word_spans` unless a window gets that far."""

    corrector: TypoCorrector
    run: str

    @cached_property
    def _analysis(self) -> tuple[list[tuple[int, int, bool]], list[bool]]:
        return self.corrector._word_spans(self.run)

    def touches_locked(self, i: int, j: int) -> bool:
        """True when [i, j) touches a question word, allow-listed word or proper noun."""
        return any(self._analysis[1][i:j])

    def cuts(self, i: int, j: int) -> bool:
        """True when replacing [i, j) would split a word the user wrote correctly (see _cuts)."""
        return _cuts(self._analysis[0], i, j)


def _cuts(spans: list[tuple[int, int, bool]], i: int, j: int) -> bool:
    """True when replacing [i, j) would split a word the user wrote correctly.

    Blocked: the window lies inside a longer everyday word (积金 in 公积金), or it overlaps a corpus word
    without containing it (疗保 in 医疗保显 would break 医疗). Chance words across the boundary
    (报信 in 低报信息) do not block: only words that are in the corpus or contain the window count.
    """
    for a, b, in_corpus in spans:
        if a <= i and j <= b and (a, b) != (i, j):
            return True
        if in_corpus and a < j and i < b and not (i <= a and b <= j):
            return True
    return False


# Each corrector's checked windows, beside it rather than in it: correctors are stored as data forms
# (bot/index/dataform.py writes every attribute), and an index that is swapped out takes its entry with it.
_targets: weakref.WeakKeyDictionary[TypoCorrector, dict[str, str | None]] = weakref.WeakKeyDictionary()
_targets_lock = threading.Lock()


def _targets_of(corrector: TypoCorrector) -> dict[str, str | None]:
    found = _targets.get(corrector)
    if found is None:
        with _targets_lock:
            found = _targets.setdefault(corrector, {})
    return found


_SoundKeys = tuple[frozenset[str], frozenset[str]]
_sound_keys: weakref.WeakKeyDictionary[TypoCorrector, _SoundKeys] = weakref.WeakKeyDictionary()


def _sound_keys_of(corrector: TypoCorrector) -> _SoundKeys:
    """The fuzzy keys (pinyin.fuzzy_key of each syllable, space-joined) of every word `_sounding_like` may
    return, and their first two syllables' keys: a window whose key is not among the first has no target,
    nor has any window whose first two characters' keys are not among the second (most windows absent
    from the corpus are such). Made once per corrector (15 ms for the shipped plans, 50 at 1 M)."""
    found = _sound_keys.get(corrector)
    if found is None:
        keys: set[str] = set()
        leads: set[str] = set()
        for key, candidates in corrector.pinyin.entries.items():
            for word, freq, flags, lens in candidates:
                if (2 <= len(word) <= 4 and len(lens) == len(word)
                        and (flags & F_TERM or (flags & (F_WORD | F_COMPOUND) and freq >= _TYPO_MIN_FREQ))):
                    sounds = [fuzzy_key(syllable) for syllable in _split(key, lens)]
                    keys.add(" ".join(sounds))
                    leads.add(" ".join(sounds[:2]))
        with _targets_lock:
            found = _sound_keys.setdefault(corrector, (frozenset(keys), frozenset(leads)))
    return found


def _split(key: str, lens: str) -> list[str]:
    """A pinyin-map key cut into its syllables by their lengths ("yanglao", "43" -> yang, lao)."""
    out, i = [], 0
    for d in lens:
        out.append(key[i:i + int(d)])
        i += int(d)
    return out


def _crc(s: str) -> int:
    """Stable 32-bit hash (Python's str hash is salted per process, so it cannot be pickled)."""
    return zlib.crc32(s.encode("utf-8"))


def _hash_array(words: Iterable[str]) -> array:
    return array("I", sorted({_crc(w) for w in words}))


def _members(hashes: array, wanted: np.ndarray) -> np.ndarray:
    """For each of `wanted`, whether it is in the sorted CRC32 array (`_has_hash` for many at once)."""
    if not len(hashes) or not len(wanted):
        return np.zeros(len(wanted), dtype=bool)
    table = np.frombuffer(hashes, dtype=f"u{hashes.itemsize}")
    k = np.minimum(np.searchsorted(table, wanted), len(table) - 1)
    return np.asarray(table[k] == wanted)


def _has_hash(hashes: array, h: int) -> bool:
    """Membership in a sorted CRC32 array; a collision only ever makes us *more* conservative."""
    i = bisect_left(hashes, h)
    return i < len(hashes) and hashes[i] == h
