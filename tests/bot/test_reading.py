"""Reading a question in one pass (issue 24): a message is segmented once, and each of its segments
gets its own words out of that one segmentation; they must be exactly what segmenting it again gives."""
from __future__ import annotations

import random

from bot.language import vocabulary as vocab


def _pieces(strip: str) -> list[str]:
    return [vocab.QUESTION_PHRASES.sub(" ", p) for s in vocab.SENTENCE_SPLIT.split(strip)
            for p in vocab.SEGMENT_SPLIT.split(s) if p.strip()]


def _texts(engine) -> list[str]:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    pieces = ["养老补贴", "哪个部门负责", "v1.2", "3.5", "abc", "。", "，", ".", "?", "！", " ", "区民政局", "的",
              "信息公开", "2024年", "e.g.", "呢", "；", "_x", "#1", "Who", "谁"]
    return ([e.text for e in engine.index.entries][:100]
            + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(300)])


def test_one_segmentation_gives_every_segment_its_own_words(shipped_engine) -> None:  # type: ignore[no-untyped-def]
    reader, tokenizer = shipped_engine.reader, shipped_engine.tokenizer
    once = 0
    for strip in _texts(shipped_engine):
        whole = vocab.QUESTION_PHRASES.sub(" ", strip)
        read: dict = {}
        reader._cut_once(strip, whole, read, ())
        if not read:
            continue  # a boundary inside a run of word characters: each segment is cut on its own
        once += 1
        assert read[whole][0] == tuple(dict.fromkeys(tokenizer.tokens(whole))), strip
        for piece in _pieces(strip):
            assert read[piece][0] == tuple(dict.fromkeys(tokenizer.tokens(piece))), (strip, piece)
    assert once > 200


def test_a_segment_ending_inside_a_word_run_is_cut_on_its_own(shipped_engine) -> None:  # type: ignore[no-untyped-def]
    strip = "版本v1.2版公开"  # "." ends a segment, but jieba reads "v1.2版" as one run
    read: dict = {}
    shipped_engine.reader._cut_once(strip, vocab.QUESTION_PHRASES.sub(" ", strip), read, ())
    assert read == {}


def test_tokens_with_offsets_are_the_tokens(shipped_engine) -> None:  # type: ignore[no-untyped-def]
    tokenizer = shipped_engine.tokenizer
    for text in _texts(shipped_engine):
        at = tokenizer.tokens_at(text)
        assert [w for w, _ in at] == tokenizer.tokens(text), text
        assert all(text[i:].lower().startswith(w) for w, i in at), text
