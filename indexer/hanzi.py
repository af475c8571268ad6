"""Plans written in traditional characters: simplified for parsing, metadata and search; verbatim for quoting.

`simplify` converts character by character (zhconv's table, loaded only for a document that looks
traditional), so the simplified text has the same length as the original; `Verbatim` then finds a
fragment of the parsed (simplified) text back in the original and returns it as written there. Used by
indexer/entries.py.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Frequent characters that exist only in traditional script: a plan holding several is written in it.
_TRADITIONAL = frozenset("們個來時為說會對於這過發與國實開關當應點體價門問區縣鄉鎮務處機構辦號稱義據導權責條規劃員單資經濟環"
                         "網頁頒佈聯營節計劃報業務頭點歲優禮")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def looks_traditional(text: str) -> bool:
    """Whether the text is written in traditional characters (a few distinct traditional-only ones)."""
    return len(_TRADITIONAL.intersection(text)) >= 3


@lru_cache(maxsize=4096)
def _simple(ch: str) -> str:
    import zhconv  # loaded only for a traditional document (its import costs ~0.3 s)

    out = zhconv.convert(ch, "zh-hans")
    return out if len(out) == 1 else ch


def simplify(text: str) -> str:
    """The text in simplified characters, character for character (same length, same positions)."""
    table = {ord(ch): _simple(ch) for ch in set(_CJK.findall(text))}
    return text.translate({k: v for k, v in table.items() if v != chr(k)})


class Verbatim:
    """Finds fragments of the simplified text back in the original (whitespace aside)."""

    def __init__(self, original: str, simplified: str) -> None:
        self.original = original
        self.positions = [i for i, ch in enumerate(simplified) if not ch.isspace()]
        self.compact = "".join(simplified[i] for i in self.positions)

    def of(self, fragment: str) -> str:
        """`fragment` (simplified, as parsed) with each character as the original wrote it; unchanged when
        it cannot be found (markup removed, cells joined)."""
        compact = "".join(ch for ch in fragment if not ch.isspace())
        at = self.compact.find(compact) if compact else -1
        if at < 0:
            return fragment
        chars = iter(self.original[self.positions[at + k]] for k in range(len(compact)))
        return "".join(ch if ch.isspace() else next(chars) for ch in fragment)
