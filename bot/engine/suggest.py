"""Type-ahead suggestions: featured questions, task titles and department names for a partial input.

A hanzi substring, or a pinyin / pinyin-initials prefix ("yanglao", "ylbt"). Built at index time
(bot/index/search_index.py `Suggestion`s); the engine's `suggest` delegates here. No engine state is touched.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from bot.index.search_index import Suggestion


def suggest(suggestions: Sequence[Suggestion], prefix: str, limit: int = 8) -> list[str]:
    """Best suggestions first: prefix matches before substring matches, then by weight and length."""
    q = re.sub(r"\s+", "", (prefix or "").lower())[:50]
    if not q or limit < 1:
        return []
    ascii_q = re.fullmatch(r"[a-z]+", q) is not None
    scored: list[tuple[float, Suggestion]] = []
    for s in suggestions:
        rank = _ascii_rank(q, s) if ascii_q else _hanzi_rank(q, s)
        if rank is not None:
            scored.append((rank + s.weight, s))
    scored.sort(key=lambda x: (-x[0], len(x[1].text)))
    out: list[str] = []
    for _, s in scored:
        if s.text not in out:
            out.append(s.text)
        if len(out) >= limit:
            break
    return out


def _ascii_rank(q: str, s: Suggestion) -> float | None:
    if s.pinyin.startswith(q):
        return 2.0
    if len(q) >= 2 and s.initials.startswith(q):
        return 1.5
    if len(q) >= 4 and q in s.pinyin:
        return 0.5
    if len(q) >= 2 and q in s.initials:
        return 0.3
    return None


def _hanzi_rank(q: str, s: Suggestion) -> float | None:
    if s.text.startswith(q):
        return 2.0
    if q in s.text:
        return 1.0
    return None
