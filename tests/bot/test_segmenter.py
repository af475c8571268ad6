"""bot/language/segmenter.py cuts exactly as stock jieba: the shipped plans and random text, every mode."""
from __future__ import annotations

import random
from pathlib import Path

import jieba
import pytest

from bot.language.segmenter import Segmenter
from indexer.store import build_knowledge

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pair() -> tuple[jieba.Tokenizer, Segmenter]:
    stock, fast = jieba.Tokenizer(), Segmenter()
    for tk in (stock, fast):
        tk.initialize()
        for word in ("双随机、一公开", "政务公开", "区民政局", "一网通办"):
            tk.add_word(word, freq=2000)
    return stock, fast


def _texts() -> list[str]:
    kb = build_knowledge(ROOT / "knowledge" / "plans")
    texts = [e.text for e in kb.entries] + [e.section for e in kb.entries]
    rng = random.Random(3)
    alphabet = "".join(sorted(set("".join(texts[:50])))) + "abcXYZ019 ，。"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(300)]
    return texts + ["", "a", "政", "Who is responsible? 养老补贴", "１２３　全角"]


def test_same_words_as_jieba_in_every_mode(pair) -> None:  # type: ignore[no-untyped-def]
    stock, fast = pair
    for text in _texts():
        assert list(fast.cut_for_search(text)) == list(stock.cut_for_search(text)), text
        assert list(fast.cut(text, HMM=False)) == list(stock.cut(text, HMM=False)), text
        assert list(fast.cut(text, cut_all=True)) == list(stock.cut(text, cut_all=True)), text


def test_a_word_added_later_is_used(pair) -> None:  # type: ignore[no-untyped-def]
    _, fast = pair
    text = "推进无证明城市建设"
    list(fast.cut(text))  # remember log frequencies under the current dictionary total
    fast.add_word("无证明城市", freq=50_000)  # changes the total: remembered values are dropped
    assert "无证明城市" in list(fast.cut(text))
    fast.del_word("无证明城市")  # frequency 0, total unchanged: still forgotten
    assert "无证明城市" not in list(fast.cut(text))
