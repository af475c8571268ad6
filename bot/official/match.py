"""Which official answer, if any, a question asks for: exact on the normalised text, then a strict near-match.

Normalising removes what does not change the question: width and case, spaces and punctuation,
politeness (请问, 您好) and closing particles (吗, 呢). The near-match compares content and kind: the
text with question wording (哪个部门, 什么时候, 怎么) cut out, as character pairs taken within each
remaining piece (single characters kept), and the kinds of wording used (where, who, when, how, what).
A question matches a stored form when it asks the same kind of thing, adds no content of its own, and
covers at least NEAR of the form's content, so word order and phrasing may differ but an unrelated
question, or one adding a topic of its own ("…有什么优惠"), never matches. No tokenizer is needed.

Then the engine's understanding (`find_read`): the question as the engine's QuestionReader rewrote it
(typos corrected, "依申请公开多久答付" -> "…答复") goes through the same two steps, and last the reading
itself must agree: the same intent, the same asks (duration, amount, …), the same departments and
the same topic terms, colloquial words counted as the plan terms they stand for (孩子上幼儿园 ->
学前教育), with at least MIN_TERMS of them. A question with a term of its own still never matches.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.official.store import AnswerRecord

if TYPE_CHECKING:
    from bot.engine.understand import Query

Reader = Callable[[str], "Query"]  # the engine's QuestionReader.read, as the engine reads a question

NEAR = 0.8  # least share of a stored form's content a near-matching question must cover
MIN_PAIRS = 2  # questions with less content than this must match exactly
MIN_TERMS = 2  # a reading with fewer topic terms than this never matches by terms alone

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_POLITE = re.compile(r"^(?:您好|你好|请问一下|请问|我想问一下|我想问|想问一下|想问|咨询一下|咨询)+")
_PARTICLES = re.compile(r"(?:吗|呢|啊|呀|吧|么|嘛|哈)+$")
_WORDING = re.compile(
    r"去哪里|在哪里|到哪里|去哪儿|在哪儿|什么时候|啥时候|何时|哪个部门|哪些部门|哪个单位|哪些单位|什么部门|什么单位|由谁|归谁|谁来|谁负责|谁管|"
    r"是什么|是哪个|是哪些|有哪些|有什么|有没有|怎么样|怎么办|怎么|如何|多久|多长时间|能不能|可不可以|是不是|"
    r"可以|需要|应该|要|的|了|吗|呢|啊|吧|呀|在|归|由|管|负责|哪里|哪儿|去哪"
)


@lru_cache(maxsize=1024)
def normalise(text: str) -> str:
    """The question without width, case, spaces, punctuation, politeness or closing particles. Remembered:
    matching one question normalises it some five times (exact key, pairs, kinds, the engine's reading)."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    t = _NOISE.sub("", t)
    t = _POLITE.sub("", t)
    return _PARTICLES.sub("", t)


_KINDS = {
    "where": re.compile(r"哪里|哪儿|去哪|在哪|何处|地点|地址"),
    "who": re.compile(r"部门|单位|谁"),
    "when": re.compile(r"什么时候|啥时候|何时|多久|多长时间|时限|期限"),
    "how": re.compile(r"怎么|如何|流程|步骤|材料"),
    "what": re.compile(r"是什么|有什么|有哪些|哪些|什么|啥"),
}


def content_pairs(text: str) -> frozenset[str]:
    """Character pairs of the question's content (wording cut out; no pair spans a cut; lone characters kept)."""
    pieces = [p for p in _WORDING.split(normalise(text)) if p]
    return frozenset(p[i:i + 2] for p in pieces for i in range(len(p) - 1)) | {p for p in pieces if len(p) == 1}


def kinds(text: str) -> frozenset[str]:
    """What sort of thing the question asks (where, who, when, how, what), from its wording."""
    t = normalise(text)
    return frozenset(k for k, rx in _KINDS.items() if rx.search(t))


@dataclass(frozen=True)
class _Form:
    record: AnswerRecord
    exact: str
    pairs: frozenset[str]
    kinds: frozenset[str]
    text: str


class Matcher:
    """Built from the current answers; `find(question, region)` returns the record asked for, or None."""

    def __init__(self, records: list[AnswerRecord]) -> None:
        self.forms: list[_Form] = []
        self.exact: dict[str, AnswerRecord] = {}
        self._read_cache: tuple[Reader, list[tuple[AnswerRecord, tuple]]] | None = None
        for r in records:
            for q in [r.question, *r.variants]:
                key = normalise(q)
                if not key:
                    continue
                self.exact.setdefault(key, r)
                self.forms.append(_Form(r, key, content_pairs(q), kinds(q), q))

    def find(self, question: str, region: str | None = None) -> AnswerRecord | None:
        key = normalise(question)
        if not key:
            return None
        hit = self.exact.get(key)
        if hit is not None and _applies(hit, region):
            return hit
        pairs, asked = content_pairs(question), kinds(question)
        if len(pairs) < MIN_PAIRS:
            return None
        best: tuple[float, AnswerRecord] | None = None
        for form in self.forms:
            if form.kinds != asked or not pairs <= form.pairs or not _applies(form.record, region):
                continue
            score = len(pairs) / len(form.pairs)
            if score >= NEAR and (best is None or score > best[0]):
                best = (score, form.record)
        return best[1] if best else None

    def find_read(self, query: Query, reader: Reader, region: str | None = None) -> AnswerRecord | None:
        """The record the engine's reading of a question asks for (see the module's docstring), or None."""
        if query.text and normalise(query.text) != normalise(query.raw):
            hit = self.find(query.text, region)
            if hit is not None:
                return hit
        key = reading_key(query)
        if key is None:
            return None
        region = region or query.region
        for record, form_key in self._readings(reader):
            if form_key == key and _applies(record, region):
                return record
        return None

    def _readings(self, reader: Reader) -> list[tuple[AnswerRecord, tuple]]:
        """Each stored form's reading key, read once per reader (a new engine reads them again)."""
        cached = self._read_cache
        if cached is not None and cached[0] == reader:  # a bound method: equal, not identical
            return cached[1]
        table: list[tuple[AnswerRecord, tuple]] = []
        for form in self.forms:
            key = reading_key(reader(form.text))
            if key is not None:
                table.append((form.record, key))
        self._read_cache = (reader, table)
        return table


def reading_key(query: Query) -> tuple | None:
    """What must agree between a question and a stored form for a match by reading; None: too little."""
    if query.followup or query.vague or query.segments or query.greeting:
        return None
    alternatives = dict(query.alternatives)
    terms = frozenset(tuple(sorted(alternatives[t])) if alternatives.get(t) else (t,) for t in query.topic)
    if len(terms) < MIN_TERMS:
        return None
    return (query.intent, terms, frozenset(query.departments), query.asks_amount, query.asks_procedure,
            query.asks_contact, query.asks_duration, query.asks_frequency)


def _applies(record: AnswerRecord, region: str | None) -> bool:
    """An answer written for one region is not given to a visitor who chose another."""
    return not record.region or not region or record.region == region
