"""Tokenize the texts of an index build once each, across processes when there are many.

Why: jieba segments about a megabyte a second on one core, so a national corpus (a million entries of
distinct text) spends minutes here; forked workers use every core. The parent loads the tokenizer
(jieba's dictionary plus the knowledge terms) before forking, so the workers inherit it instead of
loading it again, and each chunk's tokens come back as one joined string (cheap to pass between
processes); the parent splits them and keeps one string object per distinct token.
Neighbours: bot/index/search_index.py calls `tokenize_all`; bot/language/tokenizer.py is the tokenizer.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable

from bot.language.tokenizer import Tokenizer

PARALLEL_MIN_TEXTS = 20_000  # below this, forking costs more than it saves
CHUNK_TEXTS = 2_000
_TOKEN_SEP, _TEXT_SEP = "\x00", "\x01"  # tokens hold neither (jieba words of printable text)

_worker_tokenizer: Tokenizer | None = None  # set in the parent just before forking


def tokenize_all(tokenizer: Tokenizer, texts: Iterable[str], processes: int | None = None) -> dict[str, list[str]]:
    """Each distinct text -> its tokens (`tokenizer.tokens`); the same result however many processes."""
    distinct = list(dict.fromkeys(texts))
    procs = processes if processes is not None else (os.cpu_count() or 1)
    if len(distinct) < PARALLEL_MIN_TEXTS or procs < 2 or "fork" not in multiprocessing.get_all_start_methods() \
            or any(_TOKEN_SEP in t or _TEXT_SEP in t for t in distinct):
        return {s: tokenizer.tokens(s) for s in distinct}
    global _worker_tokenizer
    tokenizer.tokens("政务公开")  # load jieba and our terms once, in the parent, before the fork
    _worker_tokenizer = tokenizer
    chunks = [distinct[i:i + CHUNK_TEXTS] for i in range(0, len(distinct), CHUNK_TEXTS)]
    out: dict[str, list[str]] = {}
    vocab: dict[str, str] = {}
    try:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            for chunk, joined in zip(chunks, pool.imap(_tokens_joined, chunks), strict=True):
                for text, toks in zip(chunk, joined.split(_TEXT_SEP), strict=True):
                    out[text] = [vocab.setdefault(t, t) for t in toks.split(_TOKEN_SEP)] if toks else []
    finally:
        _worker_tokenizer = None
    return out


def _tokens_joined(chunk: list[str]) -> str:
    """In a worker: one chunk's tokens, tokens joined by _TOKEN_SEP and texts by _TEXT_SEP."""
    assert _worker_tokenizer is not None
    return _TEXT_SEP.join(_TOKEN_SEP.join(_worker_tokenizer.tokens(t)) for t in chunk)
