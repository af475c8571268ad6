"""The benchmark's question mix: distinct questions, every style real traffic takes, the same for a seed."""
from __future__ import annotations

from bench.mix import SHARES, generate_mix, split_repeats


def test_mix_is_distinct_varied_and_deterministic(shipped_engine) -> None:  # type: ignore[no-untyped-def]
    entries = shipped_engine.index.entries
    mix = generate_mix(entries, 600, seed=7, facts=300)
    questions = [it.question for it in mix]
    assert len(questions) >= 600 and len(set(questions)) == len(questions)
    assert {it.kind for it in mix} == set(SHARES)  # long chatty, voice, English, pinyin, lists, follow-ups ...
    assert all(it.before for it in mix if it.kind == "followup")
    assert any(q.isascii() and " " in q for q in questions)  # English
    assert max(len(q) for q in questions if not q.isascii()) >= 50  # long chatty messages
    assert [it.question for it in generate_mix(entries, 600, seed=7, facts=300)] == questions
    assert questions != [it.question for it in generate_mix(entries, 600, seed=8, facts=300)]
    runs = split_repeats(mix, 3)
    assert sum(len(r) for r in runs) == len(mix) and all({it.kind for it in r} == set(SHARES) for r in runs)
