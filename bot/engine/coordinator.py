"""THE answer engine: the one object every adapter (CLI, JSON API, widget, kiosk, staff bot) calls.

A thin coordinator of typed stages, each handing the next a value and never calling back:

    question -> read (bot/engine/understand.py: Query) -> retrieve (bot/engine/retrieve.py: Ranked, or
    bot/engine/task_lists.py: TaskList) -> decide (bot/engine/decide.py: Decision) -> compose (bot/engine/compose.py: Answer)
    -> next context (bot/engine/conversation.py)

Heavy state (the index, jieba's dictionary) loads once in `Engine.load` / `warm_up`, never at import.
Implements `bot.engine.answer.EngineContract`.
"""
from __future__ import annotations

import copy
import logging
from datetime import date

from bot.engine.answer import Answer, Context, EngineContract, Topic
from bot.engine.compose import Composer
from bot.engine.conversation import next_context
from bot.engine.decide import Decision, Kind
from bot.engine.retrieve import Retriever
from bot.engine.suggest import suggest
from bot.engine.task_lists import TaskLists
from bot.engine.tuning import Tuning
from bot.engine.turns import Turn, Turns
from bot.engine.understand import Query, QuestionReader
from bot.index.search_index import SearchIndex
from bot.index.store import IndexStore
from bot.language.tokenizer import Tokenizer
from bot.official import OfficialAnswers
from indexer.model import Entry
from indexer.settings import Settings

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000


class Engine(EngineContract):
    """Answers questions over one SearchIndex. Thread-safe for concurrent `answer` calls."""

    def __init__(self, index: SearchIndex, *, top_k: int = 5, list_limit: int = 50,
                 default_region: str = "", hotline: str = "12345政务服务便民热线",
                 tuning: Tuning | None = None, official: OfficialAnswers | None = None) -> None:
        if top_k < 1 or list_limit < 1:
            raise ValueError(f"top_k and list_limit must be >= 1; got {top_k}, {list_limit}")
        self.index = index
        self.official = official  # the office's answers (bot/official/), laid over the engine's own
        self.tuning = tuning or Tuning()
        self.default_region = default_region.strip()
        self.tokenizer = Tokenizer(index.terms, lexicon=index.lexicon)
        self.reader = QuestionReader(index, self.tokenizer)
        self.retriever = Retriever(index, self.tokenizer, self.tuning, self.default_region)
        self.tasks = TaskLists(index, self.retriever, list_limit)
        holdings = tuple(sorted({(d.region, d.year) for d in index.documents.values() if d.region},
                                key=lambda ry: (ry[0], ry[1] or 0)))
        self.turns = Turns(self.reader, self.retriever, self.tasks, self.index, self.tuning,
                           grouping=not self.default_region)
        self.composer = Composer(hotline=hotline, holdings=holdings, featured=tuple(self.featured()),
                                 top_k=top_k, max_question_chars=MAX_QUESTION_CHARS,
                                 list_shown=self.tuning.list_shown)

    @classmethod
    def load(cls, settings: Settings, official: OfficialAnswers | None = None) -> Engine:
        """Load (or build, when plans or curated data changed) the index once, through its one owner
        (bot/index/store.py); `official` defaults to the office's answers file."""
        index, rebuilt = IndexStore.from_settings(settings).load()
        if rebuilt:
            log.info("index rebuilt: %d entries", len(index.entries))
        if official is None:
            from bot.office.records import records_for  # answers.json, or the database (PostgreSQL)

            official = OfficialAnswers(records_for(settings).answers)
        return cls(index, top_k=settings.integer("search.top_k"), list_limit=settings.integer("search.list_limit"),
                   default_region=settings.text("search.default_region"), hotline=settings.text("search.hotline"),
                   tuning=Tuning.from_settings(settings), official=official)

    def with_official(self, official: OfficialAnswers | None) -> Engine:
        """This engine over the same index with other official answers (a shallow copy: the index and
        every stage are shared; the original keeps its own answers)."""
        if official is self.official:
            return self
        twin = copy.copy(self)
        twin.official = official
        return twin

    def warm_up(self) -> None:
        """Load the jieba dictionary, the everyday-word table and the typo search's sound keys now rather
        than on the first question."""
        self.tokenizer.tokens("政务公开")
        self.retriever.everyday.warm_up()
        if self.index.rewriter is not None:
            self.index.rewriter.warm_up()

    # ------------------------------------------------------------------ answering
    def answer(self, question: str, *, region: str | None = None, context: Context | None = None) -> Answer:
        """Answer one question; `context` is the previous Answer.context of the same conversation; `region`
        the one the site serves (a widget's data-region): a question naming no region is read there first."""
        raw = question if isinstance(question, str) else ""
        q = raw.strip()
        turn = Turn(None, Decision(Kind.EMPTY))
        if len(q) > MAX_QUESTION_CHARS:
            turn = Turn(None, Decision(Kind.TOO_LONG))
        elif q:
            try:
                turn = self.turns.run(q, region, context)
            except Exception:  # never let one odd question take an adapter down
                log.exception("engine failed on question %r", q[:200])
                turn = Turn(None, Decision(Kind.FAILED))
        move = turn.plan.move if turn.plan is not None else None
        found = self.composer.render(raw, turn.query, turn.decision,
                                     next_context(turn.query, turn.decision, context, move, turn.restating), turn)
        # OFFICE HOOK (issue 13): the office's official answer (答复口径, bot/official/) goes first when one
        # matches the question; the plan clauses found above stay behind it as evidence.
        if self.official is None:
            return found
        return self.official.overlay(found, region, turn.query, self.reader.read)

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
