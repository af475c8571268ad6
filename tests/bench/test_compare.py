"""The libraries are compared on token lists read back from our index: they must be the documents' own."""
from __future__ import annotations

import random
from collections import Counter

from bench.compare import token_ids_of
from bot.index.bm25 import SparseBM25


def test_token_lists_read_back_from_the_index_are_the_documents_tokens() -> None:
    rng = random.Random(3)
    words = ["公开", "信息", "养老", "补贴", "政府", "网站", "x"]
    corpus = [[rng.choice(words) for _ in range(rng.randint(0, 30))] for _ in range(300)]
    docs, terms = token_ids_of(SparseBM25(corpus))
    assert len(docs) == len(corpus)
    for doc, tokens in zip(corpus, docs, strict=True):
        assert Counter(terms[i] for i in tokens.tolist()) == Counter(doc)
