"""The naive baseline the CLI's per-question cost is compared with: jieba once + rank-bm25 BM25Plus.

What a first attempt at this bot would be: segment each shipped entry's text with jieba, build
rank_bm25.BM25Plus over them, and for each question on stdin segment it once with jieba, score every
entry and print the ten best entry ids as one JSON line (as `bot ask --json -` prints one answer per
line). Run as `python -m bench.naive ENTRIES.json < questions`; ENTRIES.json is a list of
{"id", "text"} written by bench/run.py from the shipped index.
Neighbours: bench/run.py times it beside `python -m bot ask --json -` on the same questions.
"""
from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> None:
    import jieba
    from rank_bm25 import BM25Plus

    jieba.setLogLevel(60)
    with open(argv[0], encoding="utf-8") as f:
        entries = json.load(f)
    ids = [e["id"] for e in entries]
    bm25 = BM25Plus([jieba.lcut(e["text"]) for e in entries])
    out = sys.stdout
    for line in sys.stdin:
        q = line.strip()
        if not q:
            continue
        scores = bm25.get_scores(jieba.lcut(q))
        best = sorted(range(len(ids)), key=lambda i: -scores[i])[:10]
        out.write(json.dumps({"question": q, "ids": [ids[i] for i in best]}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
