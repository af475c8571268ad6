"""What the engine hands every adapter: an `Answer` with its intent, reply, ranked results and suggestions.

Adapters (CLI, web API, widget, kiosk, staff bot) render these and never reach into the index.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from indexer.model import Entry


class Intent(StrEnum):
    """What the question asks for."""

    WHO = "who"  # 责任单位
    WHEN = "when"  # 完成时限 / time requirement
    WHAT = "what"  # what must be done or disclosed, or a fact inside a clause
    LIST = "list"  # all tasks of a department, or everything due before a date
    NONE = "none"  # nothing to ask (greeting, empty) or declined


def _copied(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


@dataclass
class Result:
    """One ranked entry with its score (higher is better)."""

    entry: Entry
    score: float

    def to_dict(self) -> dict[str, Any]:
        # Entry.to_dict() is dataclasses.asdict, whose recursive deep copy cost more than answering in
        # `ask --json -` batches. Every Entry field is a str, int, None or list of str, so copying the
        # lists gives the very same dict, keys in the same order.
        e = self.entry
        d = {f.name: _copied(getattr(e, f.name)) for f in fields(e)}
        d["score"] = round(float(self.score), 4)
        return d


@dataclass
class Context:
    """What a follow-up question may reuse ("那完成时限呢？"): the previous topic, region and entries, and
    the clauses already shown.

    Adapters keep one per conversation (web session, Telegram chat) and pass it back in.
    """

    question: str = ""
    intent: str = "none"
    region: str | None = None
    year: int | None = None
    department: str | None = None
    entry_ids: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    topic: str = ""  # the question without its places: re-asked when a follow-up names another region
    next_page: int = 0  # a list with more entries: where "下一页" starts (0: no more)
    shown: list[str] = field(default_factory=list)  # every clause shown so far: "还有吗？" never repeats one
    read_on: str | None = None  # a clause whose other sentences "还有吗？" already showed (the topic had no more)

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "next_page": self.next_page,
            "shown": list(self.shown),
            "read_on": self.read_on,
            "question": self.question,
            "intent": self.intent,
            "region": self.region,
            "year": self.year,
            "department": self.department,
            "entry_ids": list(self.entry_ids),
            "terms": list(self.terms),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Context | None:
        if not data:
            return None
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        try:
            return cls(**known)
        except TypeError:  # a context stored by another version: start afresh rather than fail
            return None


@dataclass
class Answer:
    """The engine's reply to one question.

    `units` and `deadline` are the direct answer (shown prominently by the widget and kiosk);
    `reply` is the full text for a person; `results` are ranked best first; `suggestions` are
    related questions to offer as chips or buttons.
    """

    question: str
    intent: Intent
    answered: bool
    reply: str
    results: list[Result] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    deadline: str | None = None
    citation: str | None = None
    lang: str = "zh"
    region: str | None = None
    context: Context = field(default_factory=Context)
    brief: str | None = None  # reply minus what badges and the clause box already show (widget, kiosk)

    def to_dict(self) -> dict[str, Any]:
        """The `ask --json` / `POST /api/ask` object."""
        return {
            "question": self.question,
            "intent": str(self.intent),
            "answered": self.answered,
            "reply": self.reply,
            "results": [r.to_dict() for r in self.results],
            "suggestions": list(self.suggestions),
            "units": list(self.units),
            "deadline": self.deadline,
            "citation": self.citation,
            "lang": self.lang,
            "region": self.region,
            "brief": self.reply if self.brief is None else self.brief,
            "context": self.context.to_dict(),
        }


@dataclass
class Topic:
    """A kiosk tile / staff-bot /start group: a topic name and its featured questions."""

    name: str
    questions: list[str] = field(default_factory=list)
    key: str = ""  # short ascii id for URLs and callback data


@runtime_checkable
class EngineContract(Protocol):
    """What every adapter (CLI, web API, widget, kiosk, staff bot) may call, and nothing else.

    `bot.engine.coordinator.Engine` implements it over the shipped index; tests/fake_engine.py is the one shared
    test fake. Adapters never reach into the index or the pipeline's stages.
    """

    def answer(self, question: str, *, region: str | None = None, context: Context | None = None) -> Answer:
        """Answer one question; `context` is the previous `Answer.context` of the same conversation."""
        ...

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (servers call this at start)."""
        ...

    def entry_count(self) -> int: ...

    def entry(self, entry_id: str) -> Entry | None: ...

    def regions(self) -> list[str]: ...

    def documents(self) -> list[dict]: ...

    def resolve_department(self, text: str) -> str | None: ...

    def department_tasks(self, department: str, region: str | None = None) -> list[Entry]: ...

    def due_tasks(self, until: date, *, since: date | None = None, region: str | None = None,
                  department: str | None = None) -> list[Entry]: ...

    def featured(self) -> list[Topic]: ...

    def suggest(self, prefix: str, limit: int = 8) -> list[str]: ...
