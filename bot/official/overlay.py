"""Put the office's answer in front of the engine's plan answer: reply, first result and citation.

`OfficialAnswers.overlay(answer, region)` is the engine's one hook (end of `Engine.answer`): when an
official answer matches, the reply becomes its text with its source and date, results[0] is the answer
itself (kind "answer") and the plan clauses the engine found stay behind it as evidence.
"""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from bot.engine.answer import Answer, Result
from bot.official.match import Matcher
from bot.official.store import AnswerRecord, AnswerStore
from indexer.model import Entry

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
        self._version = -1
        self._matcher = Matcher([])

    @classmethod
    def at(cls, path: Path) -> OfficialAnswers:
        return cls(AnswerStore(path))

    def matcher(self) -> Matcher:
        records = self.store.all()  # stat; reloads when the file changed
        with self._lock:
            if self._version != self.store.version:
                self._matcher = Matcher(records)
                self._version = self.store.version
            return self._matcher

    def stamp(self) -> int:
        """The answers' version now (the file is re-read when it changed): part of the web cache's keys."""
        self.store.all()
        return self.store.version

    def find(self, question: str, region: str | None = None) -> AnswerRecord | None:
        return self.matcher().find(question, region)

    def overlay(self, answer: Answer, region: str | None = None) -> Answer:
        """`answer` unchanged, or the office's answer first with the plan clauses behind it."""
        record = self.find(answer.question, region)
        if record is None:
            return answer
        reply = reply_for(record, answer.lang)
        evidence = [r for r in answer.results if r.entry.kind != KIND]
        return replace(answer, answered=True, reply=reply, brief=reply,
                       results=[Result(as_entry(record), 1.0), *evidence],
                       units=[], deadline=None, citation=record.source or "本机关答复口径",
                       region=record.region or answer.region)
