"""English questions: the best candidates reordered by how much of the question's English they gloss.

Why: the Chinese reading of an English paraphrase keeps only the words a glossary or the dictionary
translates, and the clause meant is often second or third (held-out English in issue 20: right clause
first 0.50, in the best three 0.69). Reading each candidate's words back into English through CC-CEDICT
(bot/language/rewrite/glosses.py) and counting the question's weighted English stems they cover uses
every word the asker wrote — "changes jobs" meets 变动 "change" and 岗位 "post; job" — without choosing
one translation up front. Only the order of the best `english_rerank_depth` candidates changes; the
decision (bot/engine/decide.py) still judges the one on top by its own coverage.
Neighbours: bot/engine/turns.py calls `rerank` between the retriever and the decision.
"""
from __future__ import annotations

import re
from dataclasses import replace

from bot.engine.retrieve import Candidate, Ranked
from bot.engine.tuning import Tuning
from bot.engine.understand import Query
from bot.language.rewrite.english import stem
from bot.language.rewrite.glosses import Glosses
from bot.language.vocabulary import EN_DUTY_VERBS, EN_STOPWORDS, EN_WH_WORDS

_WORD = re.compile(r"[A-Za-z]+")
# words the English reading treats as wording, never topic: wh-words, stop words, verbs of duty ("handles")
_WORDING = EN_WH_WORDS | EN_STOPWORDS | EN_DUTY_VERBS


def rerank(query: Query, ranked: Ranked, glosses: Glosses | None, tuning: Tuning) -> Ranked:
    """`ranked` with its best candidates reordered for an English question (unchanged otherwise)."""
    if query.lang != "en" or glosses is None or len(ranked.candidates) < 2:
        return ranked
    words = [w for w in _WORD.findall(query.raw) if w.lower() not in _WORDING and not _names_place(w, query)]
    asked = glosses.question_stems(words, stem)
    if len(asked) < 2:
        return ranked
    depth = tuning.english_rerank_depth
    head, rest = ranked.candidates[:depth], ranked.candidates[depth:]
    share = tuning.english_gloss_share
    gloss = [glosses.share_of(asked, c.found.text) for c in head]
    head = _core_as_glossed(head, gloss, tuning)
    best = max(c.score for c in head) or 1.0
    blended = [((1 - share) * c.score / best + share * gloss[i], i) for i, c in enumerate(head)]
    blended.sort(key=lambda b: (-b[0], b[1]))
    # scores stay non-increasing: the blend, in the best score's units, for the head; the rest below it
    new_head = [replace(head[i], score=blend * best) for blend, i in blended]
    floor = new_head[-1].score
    new_rest = [replace(c, score=min(c.score, floor)) for c in rest]
    return replace(ranked, candidates=(*new_head, *new_rest))


def _core_as_glossed(head: tuple[Candidate, ...], gloss: list[float], tuning: Tuning) -> tuple[Candidate, ...]:
    """An English question's core word is itself a translation ("share" read as 共享 in "the checklist the city
    and district share"): a candidate lacking it keeps its score unhalved (retrieve.py `lacks_core`) when its
    words gloss at least as much of the question's English as those of every candidate holding it."""
    held = [g for g, c in zip(gloss, head, strict=True) if c.has_core]
    bar = max(held, default=0.0)
    return tuple(c if c.has_core or g < bar else replace(c, score=c.score / tuning.lacks_core)
                 for g, c in zip(gloss, head, strict=True))


def _names_place(word: str, query: Query) -> bool:
    """A region the question names in pinyin ("Huaiyin"): it placed the question, it is no topic word."""
    return any(word.lower() in c.lower() for c, _ in getattr(query, "corrections", ()))
