"""Tokens of a question while it is rewritten: how the text is cut into pieces and rejoined afterwards.

Neighbours: bot/language/rewrite/rewriter.py tokenizes the normalised question (bot/language/rewrite/normalize.py) and joins
the result; regions.py, hanzi.py, english.py and typos.py read and replace the tokens in between.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Hanzi runs: CJK Extension A, the Unified Ideographs and the compatibility block.
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# What splits an ASCII word into parts: apostrophes and hyphens (xi'an, elderly-care).
WORD_SPLIT_RE = re.compile(r"['’\-]")

_TOKEN_RE = re.compile(
    r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    r"|(?P<word>[A-Za-z]+(?:['’\-][A-Za-z]+)*)"
    r"|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.S,
)


@dataclass
class Tok:
    """One piece of the question while it is being rewritten."""

    kind: str  # han | word | num | space | other | zh (Chinese produced by the rewriter)
    text: str
    role: str = ""  # for words: "py" | "en"; for zh: "region" | "pinyin" | "gloss"


def tokenize(text: str) -> list[Tok]:
    """Hanzi runs, ASCII words (with inner apostrophes/hyphens), numbers, spaces and single others."""
    return [Tok(m.lastgroup or "other", m.group()) for m in _TOKEN_RE.finditer(text)]


def join(toks: list[Tok], lang: str) -> str:
    """Reassemble tokens: no spaces next to Chinese, single spaces between ASCII words and numbers."""
    pieces: list[str] = []
    prev: Tok | None = None
    pending_space = False
    for t in toks:
        if t.kind == "space":
            pending_space = True
            continue
        if lang == "en" and t.kind == "other" and t.text in ".,?!;:\"'()":
            pending_space = True
            continue
        if pieces and prev is not None:
            ascii_left = prev.kind in ("word", "num")
            ascii_right = t.kind in ("word", "num")
            if (pending_space or lang == "en") and (ascii_left or ascii_right):
                pieces.append(" ")  # spaces only ever separate Latin words and numbers
        pieces.append(t.text)
        prev = t
        pending_space = False
    return "".join(pieces).strip()
