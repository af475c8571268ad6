"""Put the office's answer in front of the engine's plan answer: reply, first result and citation.

`OfficialAnswers.overlay(answer, region)` is the engine's one hook (end of `Engine.answer`): when an
official answer matches, the reply becomes its text with its source and date, results[0] is the answer
itself (kind "answer") and the plan clauses the engine found stay behind it as evidence.
"""
from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.engine.answer import Answer, Result
from bot.official.match import Matcher, Reader
from bot.official.store import AnswerRecord, AnswerStore
from indexer.model import Entry

if TYPE_CHECKING:
    from bot.engine.understand import Query

KIND = "answer"


def as_entry(record: AnswerRecord) -> Entry:
    """The answer as a result row: `kind` "answer", its question as heading, its source as title."""
    return Entry(id=f"answer:{record.id}", kind=KIND, number="", section="答复口径", text=record.answer,
                 heading=record.question, doc="official-answers", region=record.region,
                 title=record.source or "本机关答复口径")


def reply_for(record: AnswerRecord, lang: str = "zh") -> str:
    source = record.source or "本机关答复口径"
    if lang == "en":
        return f"{record.answer}\n\n(The office's official answer. Source: {source}, {record.date}.)"
    return f"{record.answer}\n\n（本机关答复口径。来源：{source}，{record.date}）"


class OfficialAnswers:
    """The answers store plus a matcher rebuilt whenever the store reloads. Thread-safe."""

    def __init__(self, store: AnswerStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._version: tuple[int, str] = (-1, "")
        self._matcher = Matcher([])

    @classmethod
    def at(cls, path: Path) -> OfficialAnswers:
        return cls(AnswerStore(path))

    def matcher(self) -> Matcher:
        """A matcher over the answers served today: published, not expired (rebuilt on change or a new day)."""
        records = self.store.all()  # stat; reloads when the file changed
        today = date.today().isoformat()
        with self._lock:
            if self._version != (self.store.version, today):
                self._matcher = Matcher([r for r in records if r.served(today)])
                self._version = (self.store.version, today)
            return self._matcher

    def stamp(self) -> int:
        """The answers' version now (the file is re-read when it changed): part of the web cache's keys."""
        self.store.all()
        return self.store.version

    def find(self, question: str, region: str | None = None, query: Query | None = None,
             reader: Reader | None = None) -> AnswerRecord | None:
        """The answer asked for: by the question's text, then (given the engine's `query` and `reader`)
        by the engine's reading of it (bot/official/match.py)."""
        matcher = self.matcher()
        hit = matcher.find(question, region)
        if hit is None and query is not None and reader is not None:
            hit = matcher.find_read(query, reader, region)
        return hit

    def overlay(self, answer: Answer, region: str | None = None, query: Query | None = None,
                reader: Reader | None = None) -> Answer:
        """`answer` unchanged, or the office's answer first with the plan clauses behind it. The engine
        passes its reading of the question (`query`) and its reader, so typos and colloquial words match."""
        record = self.find(answer.question, region, query, reader)
        if record is None:
            return answer
        reply = reply_for(record, answer.lang)
        evidence = [r for r in answer.results if r.entry.kind != KIND]
        return replace(answer, answered=True, reply=reply, brief=reply,
                       results=[Result(as_entry(record), 1.0), *evidence],
                       units=[], deadline=None, citation=record.source or "本机关答复口径",
                       region=record.region or answer.region)
