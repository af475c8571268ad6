"""THE answer engine: the one object every adapter (CLI, JSON API, widget, kiosk, staff bot) calls.

A thin coordinator of typed stages, each handing the next a value and never calling back:

    question -> read (bot/engine/understand.py: Query) -> retrieve (bot/engine/retrieve.py: Ranked, or
    bot/engine/task_lists.py: TaskList) -> decide (bot/engine/decide.py: Decision) -> compose (bot/engine/compose.py: Answer)
    -> next context (bot/engine/conversation.py)

Heavy state (the index, jieba's dictionary) loads once in `Engine.load` / `warm_up`, never at import.
Implements `bot.engine.answer.EngineContract`.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from bot.engine import decide
from bot.engine.answer import Answer, Context, EngineContract, Intent, Topic
from bot.engine.compose import Composer
from indexer.settings import Settings
from bot.engine.conversation import Move, next_context, plan_turn
from bot.engine.decide import Decision, Kind
from bot.index.search_index import SearchIndex, load_index
from bot.official import OfficialAnswers
from bot.engine.retrieve import Retriever
from bot.engine.suggest import suggest
from bot.engine.task_lists import TaskLists
from bot.language.tokenizer import Tokenizer
from bot.engine.tuning import Tuning
from bot.engine.understand import Query, QuestionReader
from indexer.model import Entry

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000


class Engine(EngineContract):
    """Answers questions over one SearchIndex. Thread-safe for concurrent `answer` calls."""

    official: OfficialAnswers | None = None  # office's answers (bot/official/), attached by load / adapters

    def __init__(self, index: SearchIndex, *, top_k: int = 5, list_limit: int = 50,
                 default_region: str = "", hotline: str = "12345政务服务便民热线",
                 tuning: Tuning | None = None) -> None:
        if top_k < 1 or list_limit < 1:
            raise ValueError(f"top_k and list_limit must be >= 1; got {top_k}, {list_limit}")
        self.index = index
        self.tuning = tuning or Tuning()
        self.default_region = default_region.strip()
        self.tokenizer = Tokenizer(index.terms, lexicon=index.lexicon)
        self.reader = QuestionReader(index, self.tokenizer)
        self.retriever = Retriever(index, self.tokenizer, self.tuning, self.default_region)
        self.tasks = TaskLists(index, self.retriever, list_limit)
        holdings = tuple(sorted({(d.region, d.year) for d in index.documents.values() if d.region},
                                key=lambda ry: (ry[0], ry[1] or 0)))
        self.composer = Composer(hotline=hotline, holdings=holdings, featured=tuple(self.featured()),
                                 top_k=top_k, max_question_chars=MAX_QUESTION_CHARS,
                                 list_shown=self.tuning.list_shown)

    @classmethod
    def load(cls, settings: Settings) -> Engine:
        """Load (or build, when plans or curated data changed) the index once."""
        index, rebuilt = load_index(
            settings.path("knowledge.plans_dir"), settings.path("knowledge.data_dir"),
            settings.path("knowledge.index_path"),
        )
        if rebuilt:
            log.info("index rebuilt: %d entries", len(index.entries))
        engine = cls(index, top_k=int(settings["search.top_k"]), list_limit=int(settings["search.list_limit"]),
                     default_region=str(settings["search.default_region"]), hotline=str(settings["search.hotline"]),
                     tuning=Tuning.from_settings(settings))
        engine.official = OfficialAnswers.at(settings.path("office.dir") / "answers.json")  # OFFICE HOOK
        return engine

    def warm_up(self) -> None:
        """Load the jieba dictionary and the everyday-word table now rather than on the first question."""
        self.tokenizer.tokens("政务公开")
        self.retriever.everyday.warm_up()

    # ------------------------------------------------------------------ answering
    def answer(self, question: str, *, region: str | None = None, context: Context | None = None) -> Answer:
        """Answer one question; `context` is the previous Answer.context of the same conversation."""
        raw = question if isinstance(question, str) else ""
        q = raw.strip()
        query: Query | None = None
        if not q:
            decision = Decision(Kind.EMPTY)
        elif len(q) > MAX_QUESTION_CHARS:
            decision = Decision(Kind.TOO_LONG)
        else:
            try:
                query, followup, fallback, offset = self._read(q, region, context)
                decision = Decision(Kind.NO_MORE) if offset < 0 else self._decide(query, followup, offset)
                if fallback is not None and decision.kind == Kind.DECLINE and decision.reason in decide.SILENT:
                    query, decision = fallback, self._decide(fallback, None)
            except Exception:  # never let one odd question take an adapter down
                log.exception("engine failed on question %r", q[:200])
                query, decision = None, Decision(Kind.FAILED)
        found = self.composer.render(raw, query, decision, next_context(query, decision, context))
        # OFFICE HOOK (issue 13): the office's official answer (答复口径, bot/official/) goes first when one
        # matches the question; the plan clauses found above stay behind it as evidence.
        return self.official.overlay(found, region) if self.official is not None else found

    def _read(self, question: str, region: str | None,
              context: Context | None) -> tuple[Query, Entry | None, Query | None, int]:
        """Read the turn, then in the light of the conversation (bot/engine/conversation.py): re-read the
        previous topic in a new region, a new topic in the previous region, or point at the current
        clause. Also the turn as read on its own, when the plan is only a preference (`soft`), and where
        a list's page starts ("下一页")."""
        query = alone = self.reader.read(question, region=region)
        plan = plan_turn(query, context)
        if plan.move in (Move.REGION, Move.TOPIC, Move.NEXT_PAGE) and plan.text:
            query = replace(self.reader.read(plan.text, region=plan.region), raw=question)
        if plan.intent is not None:
            query = replace(query, intent=plan.intent)
        followup = self.entry(plan.entry_id) if plan.move == Move.ENTRY and plan.entry_id else None
        offset = -1 if plan.move == Move.NO_MORE else plan.offset
        return query, followup, (alone if plan.soft else None), offset

    def _decide(self, query: Query, followup: Entry | None, offset: int = 0) -> Decision:
        early = decide.before_search(query, followup)
        if early is not None:
            return early
        if query.intent == Intent.LIST:
            return decide.listing(query, self.tasks.gather(query, offset))
        grouping = not self.default_region
        return decide.after_search(query, self.retriever.search(query), self.tuning, grouping)

    def understand(self, question: str, region: str | None = None) -> Query:
        """The read stage alone (tests and tools inspect how a question was read)."""
        return self.reader.read(question, region=region)

    # ------------------------------------------------------------------ lookups used by adapters
    def entry_count(self) -> int:
        return len(self.index.entries)

    def entry(self, entry_id: str) -> Entry | None:
        pos = self.index.position(entry_id)
        return None if pos is None else self.index.entries[pos]

    def regions(self) -> list[str]:
        return list(self.index.regions)

    def documents(self) -> list[dict]:
        return [vars(d).copy() for d in self.index.documents.values()]

    def resolve_department(self, text: str) -> str | None:
        """Canonical department name for a name or alias (区人社局 -> 区人力资源社会保障局), or None."""
        return self.index.departments.name_for(text)

    def department_tasks(self, department: str, region: str | None = None) -> list[Entry]:
        """Every entry whose responsible units include the department (aliases resolved), in plan order."""
        return self.tasks.department_tasks(department, region=self.reader.region_name(region))

    def due_tasks(self, until: date, *, since: date | None = None, region: str | None = None,
                  department: str | None = None) -> list[Entry]:
        """Entries with a readable due date in [since, until], earliest first."""
        return self.tasks.due_tasks(until, since=since, region=self.reader.region_name(region), department=department)

    def featured(self) -> list[Topic]:
        """Featured questions by topic, from knowledge/data/featured.toml."""
        topics = []
        for i, t in enumerate(self.index.featured):
            name = str(t.get("name", "")).strip()
            questions = [str(q) for q in t.get("questions", []) if str(q).strip()]
            if name and questions:
                topics.append(Topic(name=name, questions=questions, key=str(t.get("key") or f"t{i}")))
        return topics

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Questions / keywords for a partial input: hanzi substring, or pinyin / initials prefix."""
        return suggest(self.index.suggestions, prefix, limit)


def load_engine(settings: Settings) -> Engine:
    """Convenience for adapters and tests: `Engine.load(settings)`."""
    return Engine.load(settings)


__all__ = ["Engine", "Topic", "load_engine"]
