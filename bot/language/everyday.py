"""How everyday a word is in general Chinese, from jieba's own IDF table (shipped inside the jieba wheel).

A citizen's message carries chatter ("我是做外贸生意的", "不太会上网") beside its question. Words the
plans never use weigh heavily in coverage (bot/engine/retrieve.py), which is right for an off-topic topic word
(个税, 供暖费: rare in general Chinese too) and wrong for everyday words (看, 打算, 平时, 公司: common
everywhere). `salience(word)` scales such a word by its general-language IDF: 1 for rare words, down to
a floor for the commonest. Loaded once, lazily (the table is read on first use, not at import), and only
the words below the high mark are kept (~a tenth of the table).
"""
from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

from bot.engine.tuning import Tuning

_lock = threading.Lock()
_table: dict[str, float] | None = None


def _idf_path() -> Path:
    """jieba/analyse/idf.txt, found without importing jieba.analyse (which loads two dictionaries)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return Path("/nonexistent")
    return Path(spec.origin).parent / "analyse" / "idf.txt"


def _load(high: float) -> dict[str, float]:
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                table: dict[str, float] = {}
                try:
                    parts = _idf_path().read_text(encoding="utf-8").split()
                    for word, value in zip(parts[::2], parts[1::2], strict=True):
                        # most words are rare (IDF >= 10): skip them before paying for float()
                        if (high >= 10 or value[1:2] == ".") and float(value) < high:
                            table[word] = float(value)
                except (OSError, ValueError):  # a jieba without its table: every word counts fully
                    table = {}
                _table = table
    return _table


class Everyday:
    """`salience(word)` in [floor, 1]: how much a word the plans do not use says about a topic."""

    def __init__(self, tuning: Tuning) -> None:
        self.low, self.high, self.floor = tuning.everyday_idf_low, tuning.everyday_idf_high, tuning.everyday_floor
        self.untranslated = tuning.untranslated_english

    def warm_up(self) -> None:
        _load(self.high)

    def salience(self, word: str) -> float:
        """1 for a word rare in general Chinese, down to the floor for the commonest. A word the table
        lacks is as salient as its most salient part ("搞不清楚" like 清楚, "个体户" like 个体); a word in
        Latin letters left untranslated by the glossary, or a number, weighs `untranslated`."""
        if word.isascii():  # untranslated English, or a number (a hotline, a count): wording, not topic
            return self.untranslated
        table = _load(self.high)
        idf = table.get(word)
        if idf is not None:
            return self._scale(idf)
        parts = [table[p] for n in (2, 1) for i in range(len(word) - n + 1) if (p := word[i:i + n]) in table]
        if not parts or len(word) < 2:
            return 1.0
        return max(self._scale(v) for v in parts) if len(parts) >= len(word) - 1 else 1.0

    def _scale(self, idf: float) -> float:
        return min(1.0, max(self.floor, (idf - self.low) / (self.high - self.low)))
