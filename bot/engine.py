"""THE answer engine: every adapter (CLI, JSON API, widget, kiosk, staff bot) calls `Engine.answer`.

question -> bot/rewrite/ (plan vocabulary) -> bot/understand.py (intent, region, department, dates)
-> bot/retrieve.py (BM25 over the index, intent re-ranking, coverage) or bot/tasks.py (list questions)
-> honest decline or bot/compose.py reply. Heavy state (index, jieba dictionary) loads once in
`Engine.load`/`warm_up`.
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot import compose
from bot.answer import Answer, Context, Intent, Result
from bot.config import Settings
from bot.departments import unit_key
from bot.index import SearchIndex, Suggestion, load_index
from bot.official import OfficialAnswers
from bot.retrieve import GENERIC_TERMS, Retriever
from bot.tasks import TaskLists
from bot.text import Tokenizer
from bot.understand import (
    Query,
    asks_amount,
    asks_duration,
    asks_procedure,
    detect_intent,
    find_until,
    find_year,
    is_followup,
    is_greeting,
    states_duration,
    strip_dates,
    strip_procedure,
    topic_bigrams,
    unknown_place,
)
from indexer.fields import deadline_in_text
from indexer.model import Entry

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000


# Question phrasing removed before tokenizing, so it neither matches text nor counts as a missing topic.
QUESTION_PHRASES = re.compile(
    r"什么时候|啥时候|何时|哪个部门|哪些部门|哪个单位|哪些单位|什么部门|什么单位|由谁|归谁|谁来|谁负责|谁管|"
    r"要干些啥|干些啥|干些什么|干啥|做些什么|做什么|是啥样|啥样|是什么|是哪个|是哪些|有哪些|有什么|都有啥|有啥|"
    r"怎么样|怎么办|怎么|如何|多久|多长时间|在搞|在管|负责|牵头|归口|主管|请问|能不能|可不可以|是不是|"
    r"需要|应该|要求|规定|里面|里|之前|以前|前要|前|后要|呢|吗|啊|吧|呀"
)


@dataclass
class Topic:
    """A kiosk tile / staff-bot /start group: a topic name and its featured questions."""

    name: str
    questions: list[str] = field(default_factory=list)
    key: str = ""  # short ascii id for URLs and callback data


@dataclass
class _Identity:
    """Stand-in for bot/rewrite.Rewrite when no rewriter is available."""

    text: str
    lang: str = "zh"
    corrections: list[tuple[str, str]] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)


class Engine:
    """Answers questions over one SearchIndex. Thread-safe for concurrent `answer` calls."""

    official: OfficialAnswers | None = None  # office's answers (bot/official/), attached by load / adapters

    def __init__(self, index: SearchIndex, *, top_k: int = 5, list_limit: int = 50, min_score: float = 0.35,
                 default_region: str = "", hotline: str = "12345政务服务便民热线") -> None:
        if top_k < 1 or list_limit < 1:
            raise ValueError(f"top_k and list_limit must be >= 1; got {top_k}, {list_limit}")
        self.index = index
        self.top_k = top_k
        self.list_limit = list_limit
        self.min_score = min_score
        self.default_region = default_region.strip()
        self.hotline = hotline
        self.tokenizer = Tokenizer(index.terms, lexicon=index.lexicon)
        self._known_terms = set(index.terms)
        self._vocabulary = self._known_terms | set(index.text.idf)
        self.retriever = Retriever(index, self.tokenizer, self.default_region)
        self.tasks = TaskLists(index)
        self._region_keys: dict[str, list[int]] = {}  # first two characters -> region positions
        for i, r in enumerate(index.regions):
            self._region_keys.setdefault(r[:2], []).append(i)
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ construction
    @classmethod
    def load(cls, settings: Settings) -> Engine:
        """Load (or build, when plans or curated data changed) the index once."""
        index, rebuilt = load_index(
            settings.path("knowledge.plans_dir"), settings.path("knowledge.data_dir"),
            settings.path("knowledge.index_path"),
        )
        if rebuilt:
            log.info("index rebuilt: %d entries", len(index.entries))
        engine = cls(
            index,
            top_k=int(settings["search.top_k"]),
            list_limit=int(settings["search.list_limit"]),
            min_score=float(settings["search.min_score"]),
            default_region=str(settings["search.default_region"]),
            hotline=str(settings["search.hotline"]),
        )
        engine.official = OfficialAnswers.at(settings.path("office.dir") / "answers.json")  # OFFICE HOOK
        return engine

    def warm_up(self) -> None:
        """Load the jieba dictionary now rather than on the first question (servers call this)."""
        self.tokenizer.tokens("政务公开")

    # ------------------------------------------------------------------ lookups used by adapters
    def entry(self, entry_id: str) -> Entry | None:
        pos = self.index.position(entry_id)
        return None if pos is None else self.index.entries[pos]

    def regions(self) -> list[str]:
        return list(self.index.regions)

    def documents(self) -> list[dict]:
        return [vars(d).copy() for d in self.index.documents.values()]

    def resolve_department(self, text: str) -> str | None:
        """Canonical department name for a name or alias (区人社局 -> 区人力资源社会保障局), or None."""
        text = (text or "").strip()
        if not text:
            return None
        got = self.index.departments.resolve(text)
        if got:
            return got
        found = self.index.departments.find(text)
        return found[0] if found else None

    def department_tasks(self, department: str, region: str | None = None) -> list[Entry]:
        """Every entry whose responsible units include the department (aliases resolved), in plan order."""
        canon = self.resolve_department(department) or department
        region = self._region_name(region)
        picked = [
            e for e in self.tasks.naming_unit(canon, region)
            if (not region or e.region == region)
            and any(self.index.departments.matches(u, canon) for u in e.responsible)
        ]
        return self.tasks.without_restated(picked)

    def due_tasks(self, until: date, *, since: date | None = None, region: str | None = None,
                  department: str | None = None) -> list[Entry]:
        """Entries with a readable due date in [since, until], earliest first."""
        region = self._region_name(region)
        canon = (self.resolve_department(department) or department) if department else None
        lo, hi = (since.isoformat() if since else ""), until.isoformat()
        picked = [
            e for e in self.tasks.due_between(lo, hi, region)
            if e.due and lo <= e.due <= hi and (not region or e.region == region)
            and (not canon or any(self.index.departments.matches(u, canon) for u in e.responsible))
        ]
        picked = self.tasks.without_restated(picked)
        return sorted(picked, key=lambda e: (e.due or "", e.region or "", self.index.by_id[e.id]))

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
        q = re.sub(r"\s+", "", (prefix or "").lower())[:50]
        if not q or limit < 1:
            return []
        ascii_q = re.fullmatch(r"[a-z]+", q) is not None
        scored: list[tuple[float, Suggestion]] = []
        for s in self.index.suggestions:
            if ascii_q:
                if s.pinyin.startswith(q):
                    scored.append((2.0 + s.weight, s))
                elif len(q) >= 2 and s.initials.startswith(q):
                    scored.append((1.5 + s.weight, s))
                elif len(q) >= 4 and q in s.pinyin:
                    scored.append((0.5 + s.weight, s))
                elif len(q) >= 2 and q in s.initials:
                    scored.append((0.3 + s.weight, s))
            elif s.text.startswith(q):
                scored.append((2.0 + s.weight, s))
            elif q in s.text:
                scored.append((1.0 + s.weight, s))
        scored.sort(key=lambda x: (-x[0], len(x[1].text)))
        out: list[str] = []
        for _, s in scored:
            if s.text not in out:
                out.append(s.text)
            if len(out) >= limit:
                break
        return out

    # ------------------------------------------------------------------ answering
    def answer(self, question: str, *, region: str | None = None, context: Context | None = None) -> Answer:
        """Answer one question; `context` is the previous Answer.context of the same conversation."""
        found = self._answer_from_plans(question, region=region, context=context)
        # OFFICE HOOK (issue 13): the office's official answer (答复口径, bot/official/) goes first when one
        # matches the question; the plan clauses found above stay behind it as evidence.
        return self.official.overlay(found, region) if self.official is not None else found

    def _answer_from_plans(self, question: str, *, region: str | None = None,
                           context: Context | None = None) -> Answer:
        raw = question if isinstance(question, str) else ""
        q = raw.strip()
        if not q:
            return self._plain(raw, "请输入您的问题，例如：“养老补贴信息公开由哪个部门负责？”")
        if len(q) > MAX_QUESTION_CHARS:
            return self._plain(raw, f"问题太长（{len(q)}字），请精简到{MAX_QUESTION_CHARS}字以内再问。")
        try:
            query = self.understand(q, region=region)
            return self._answer(raw, query, context)
        except Exception:  # never let one odd question take an adapter down
            log.exception("engine failed on question %r", q[:200])
            return self._plain(raw, f"抱歉，暂时无法回答这个问题。请稍后再试，或拨打{self.hotline}。")

    def understand(self, question: str, region: str | None = None) -> Query:
        rw = self._rewrite(question)
        text = rw.text
        query = Query(raw=question, text=text, lang=rw.lang, corrections=list(rw.corrections),
                      expansions=list(dict.fromkeys(rw.expansions)))
        query.greeting = is_greeting(question)
        regions = [r for r in (self._region_name(region),) if r]
        for r in list(rw.regions) + self._regions_in(text):
            r = self._region_name(r) or r
            if r in self.index.regions and r not in regions:
                regions.append(r)
        if not regions:
            query.unknown_region = unknown_place(text, self.index.regions, self._vocabulary,
                                                 self.tokenizer.words(text))
        if not regions and not query.unknown_region:
            for parent, under in self.index.parents.items():
                if len(under) == 1 and (parent in text or parent[:-1] in text):
                    regions.append(under[0])
        query.regions = regions
        year = find_year(text)
        if year and any(d.year == year for d in self.index.documents.values()):
            query.year = year
        query.departments = self.index.departments.find(text)
        query.until, query.month_only = find_until(text)
        query.asks_amount = asks_amount(question) or asks_amount(text)
        query.asks_procedure = asks_procedure(question) or asks_procedure(text)
        query.asks_duration = asks_duration(text)
        query.followup = is_followup(text)
        terms = self._content_terms(text, query)
        query.terms = terms
        topic_terms = [t for t in terms if t not in GENERIC_TERMS and not self._is_dept_token(t, query)]
        query.intent = detect_intent(text, bool(query.departments), query.until is not None, len(topic_terms),
                                     has_region=bool(query.regions))
        query.vague = not any(len(t) >= 2 and t not in GENERIC_TERMS for t in terms)
        return query

    # -- internals -------------------------------------------------------------------------
    def _rewrite(self, question: str):  # type: ignore[no-untyped-def]
        rewriter = self.index.rewriter
        if rewriter is not None:
            try:
                return rewriter.rewrite(question)  # type: ignore[attr-defined]
            except Exception:
                log.exception("rewriter failed on %r", question[:200])
        return _Identity(text=question)

    def _region_name(self, name: str | None) -> str | None:
        if not name:
            return None
        name = name.strip()
        for r in self._regions_near(name):
            if name == r or (len(name) >= 2 and (r.startswith(name) or name.endswith(r) or name == r[:-1])):
                return r
        return None

    def _regions_in(self, text: str) -> list[str]:
        found = []
        for r in self._regions_near(text):
            if r in text or (len(r) >= 3 and r[:-1] in text):
                found.append(r)
        return found

    def _regions_near(self, text: str) -> list[str]:
        """The regions whose first two characters occur in `text`, in index order: the only ones that can
        match in _region_name, _regions_in and _content_terms, so those need not scan every region."""
        keys = self._region_keys
        hits = {i for k in range(len(text)) for key in (text[k:k + 2], text[k]) for i in keys.get(key, ())}
        return [self.index.regions[i] for i in sorted(hits)]

    def _is_dept_token(self, token: str, query: Query) -> bool:
        return any(token in d or token in unit_key(d) for d in query.departments) if query.departments else False

    def _content_terms(self, text: str, query: Query) -> list[str]:
        strip = text
        for parent in self.index.parents:  # city names place the question; they are not its topic
            strip = strip.replace(parent, " ").replace(parent[:-1], " ")
        for r in self._regions_near(text):
            strip = strip.replace(r, " ")
            if len(r) >= 3:
                strip = strip.replace(r[:-1], " ")
        if query.until is not None:
            strip = strip_dates(strip)
        strip = re.sub(r"20\d{2}\s*年?度?", " ", strip)
        if query.asks_procedure:
            strip = strip_procedure(strip)
        strip = QUESTION_PHRASES.sub(" ", strip)
        query.bigrams = topic_bigrams(strip)
        toks = self.tokenizer.tokens(strip)
        return list(dict.fromkeys(toks))

    def _plain(self, raw: str, reply: str, intent: Intent = Intent.NONE, suggestions: list[str] | None = None,
               lang: str = "zh") -> Answer:
        return Answer(question=raw, intent=intent, answered=False, reply=reply,
                      suggestions=suggestions if suggestions is not None else self._featured_questions(3), lang=lang)

    def _featured_questions(self, n: int) -> list[str]:
        out = []
        for t in self.featured():
            if t.questions:
                out.append(t.questions[0])
            if len(out) >= n:
                break
        return out

    def _answer(self, raw: str, query: Query, context: Context | None) -> Answer:
        if query.greeting:
            return self._plain(raw, "您好！我可以回答本地区政务公开工作要点中的问题，例如某项信息公开由哪个部门负责、"
                                    "什么时候完成、某部门有哪些公开任务。", lang=query.lang)
        if context and context.entry_ids and (query.followup or (not query.terms and not query.departments
                                                                and query.until is None)):
            entry = self.entry(context.entry_ids[0])
            if entry is not None:
                intent = query.intent if query.intent != Intent.LIST else Intent.WHAT
                return self._single(raw, query, [(entry, 1.0)], intent, followup_of=context)
        if query.unknown_region:
            reason = (f"知识库中暂无“{query.unknown_region}”的政务公开工作要点（现有：{'、'.join(self.index.regions)}）。"
                      if query.lang != "en" else
                      f"The knowledge base has no plan for {query.unknown_region} "
                      f"(it covers {', '.join(self.index.regions)}).")
            return self._decline(raw, query, reason, [])
        if query.intent == Intent.LIST:
            return self._list(raw, query)
        if not query.terms or query.vague:
            return self._plain(raw, "请说得具体一些，例如：“养老补贴信息公开由哪个部门负责？”", lang=query.lang)
        ranked = self.retriever.search(query)
        if not ranked:
            return self._decline(raw, query, self._not_found(query), [])
        top_entry, top_score = ranked[0]
        coverage = self.retriever.coverage(query, self.index.by_id[top_entry.id])
        if coverage < self.min_score:
            return self._decline(raw, query, self._not_found(query), ranked)
        if query.asks_amount and not re.search(r"\d+(?:\.\d+)?\s*(?:元|万元|亿元)", top_entry.text):
            reason = ("政务公开工作要点中没有规定具体金额或补贴标准。" if query.lang != "en"
                      else "The plans do not state amounts or benefit levels.")
            return self._decline(raw, query, reason, ranked)
        if query.asks_procedure:
            return self._decline(raw, query, self._procedure_reason(query, top_entry), ranked)
        if query.asks_duration and not states_duration(f"{top_entry.text}{top_entry.deadline or ''}"):
            reason = ("相关条款没有规定具体的期限或次数。" if query.lang != "en"
                      else "The related clause sets no period or count.")
            return self._decline(raw, query, reason + self._related_note(query, top_entry), ranked)
        return self._single(raw, query, ranked, query.intent)

    def _related_note(self, query: Query, related: Entry) -> str:
        """Where the nearest clause is, so a decline still points somewhere useful."""
        if query.lang == "en":
            return f" Nearest clause: {compose.citation(related, 'en')}."
        return f"最接近的条款见{compose.citation(related)}。"

    def _procedure_reason(self, query: Query, related: Entry) -> str:
        """Decline a how-to question, but say who publishes the related information and where."""
        if query.lang == "en":
            reason = "The plans say which information must be published, not how to apply or what to bring."
            if related.responsible:
                reason += f" Related information is published by {'、'.join(related.responsible)} ({compose.citation(related, 'en')})."
            return reason
        reason = "政务公开工作要点只规定哪些信息要公开，没有写具体的办理条件、材料和流程。"
        if related.responsible:
            reason += f"与此相关的信息公开由{'、'.join(related.responsible)}负责（{compose.citation(related)}），可向其咨询。"
        return reason

    def _not_found(self, query: Query) -> str:
        if query.lang == "en":
            return "I could not find this in the government disclosure plans I know."
        return f"抱歉，现有的政务公开工作要点中没有找到与“{query.raw[:40]}”直接相关的内容。"

    def _decline(self, raw: str, query: Query, reason: str, ranked: list[tuple[Entry, float]]) -> Answer:
        close = []
        for e, _ in ranked[:6]:
            topic = topic_of(e)
            if topic and topic not in close:
                close.append(topic)
        reply = compose.decline(reason, query.lang, close, self.hotline)
        suggestions = [self._question_for(e, Intent.WHO) for e, _ in ranked[:2]] or self._featured_questions(3)
        results = [Result(e, s) for e, s in ranked[: self.top_k]]
        return Answer(question=raw, intent=query.intent, answered=False, reply=reply, results=results,
                      suggestions=suggestions, lang=query.lang, region=query.regions[0] if query.regions else None,
                      context=Context(question=query.raw, intent=str(query.intent),
                                      region=query.regions[0] if query.regions else None))

    def _single(self, raw: str, query: Query, ranked: list[tuple[Entry, float]], intent: Intent,
                followup_of: Context | None = None) -> Answer:
        top, _ = ranked[0]
        results = [Result(e, s) for e, s in ranked[: self.top_k]]
        related = [e for e, _ in ranked[1:] if e.id not in top.linked and e.region == top.region][:2]
        corrected = ("、".join(f"“{b}”（{a}）" for a, b in query.corrections)
                     if query.corrections and query.lang != "en" else None)
        grouped = self._by_region(query, ranked) if followup_of is None else []
        deadline: str | None = None
        if len(grouped) > 1:
            reply = compose.by_region(grouped, intent, query.lang)
            brief = reply
        else:
            key = compose.key_sentence(top.text, query.bigrams) if intent in (Intent.WHAT, Intent.WHEN) else None
            deadline = self._deadline_for(top, key) if intent == Intent.WHEN else None
            reply = compose.single(top, intent, query.lang, related, corrected, key, deadline)
            brief = compose.brief(reply, query.lang)
        suggestions = self._suggestions_for(top, related, intent)
        ctx = Context(question=query.raw, intent=str(intent), region=top.region, year=top.year,
                      department=query.departments[0] if query.departments else None,
                      entry_ids=[e.id for e, _ in ranked[:3]], terms=list(query.terms))
        return Answer(question=raw, intent=intent, answered=True, reply=reply, results=results,
                      suggestions=suggestions, units=list(top.responsible), deadline=deadline or top.deadline,
                      citation=compose.citation(top, query.lang), lang=query.lang, region=top.region, context=ctx,
                      brief=brief)

    @staticmethod
    def _deadline_for(entry: Entry, key: str | None) -> str | None:
        """For a body clause with no task-table row, the time requirement of the sentence the question
        is about (a long clause can state several; the indexer keeps only its first)."""
        if entry.kind != "clause" or entry.linked or not key:
            return None
        return deadline_in_text(key)

    def _by_region(self, query: Query, ranked: list[tuple[Entry, float]]) -> list[Entry]:
        """Best entry per region when the question named none and several plans answer about as well."""
        if query.regions or self.default_region or not ranked:
            return []
        top_score = ranked[0][1]
        best: dict[str, Entry] = {}
        for e, s in ranked[:12]:
            if s < 0.8 * top_score or not e.region or e.region in best:
                continue
            if self.retriever.coverage(query, self.index.by_id[e.id]) < max(self.min_score, 0.6):
                continue
            best[e.region] = e
        return list(best.values())

    def _list(self, raw: str, query: Query) -> Answer:
        region = query.regions[0] if query.regions else None
        picked: list[Entry]
        if query.until is not None:
            picked = []
            years = {query.year} if query.year else {d.year for d in self.index.documents.values() if d.year}
            for y in sorted(y for y in years if y):
                until = query.until.replace(year=y) if query.month_only else query.until
                if until.year != y and not query.month_only:
                    continue
                picked += self.due_tasks(until, since=date(y, 1, 1), region=region,
                                         department=query.departments[0] if query.departments else None)
            what = f"{query.until.month}月底前" if query.month_only else query.until.isoformat()
            header = f"完成时限在{what}的任务："
        elif query.departments:
            dept = query.departments[0]
            picked = self.department_tasks(dept, region=region)
            if query.year:
                picked = [e for e in picked if e.year == query.year]
            header = f"{dept}负责的政务公开任务："
        else:  # a region's whole plan: its task rows (or clauses, for a plan without a table)
            picked = self.tasks.without_restated([e for e in self.index.entries if e.region == region
                                                  and (not query.year or e.year == query.year)
                                                  and not e.number.startswith("前言")])
            header = f"{region}政务公开工作要点的任务（共{len(picked)}项）："
        topic = [t for t in query.terms if t not in GENERIC_TERMS and not self._is_dept_token(t, query)]
        if topic and picked:
            scores = self.retriever.scores(Query(raw=raw, text=query.text, terms=topic))
            focused = [e for e in picked if scores[self.index.by_id[e.id]] > 0]
            if focused:
                picked = focused
        picked = picked[: self.list_limit]
        if not picked:
            reason = ("没有找到符合条件的任务。" if query.lang != "en" else "No matching tasks found.")
            return self._decline(raw, query, reason, [])
        reply = compose.listing(picked, header, query.lang)
        ctx = Context(question=query.raw, intent="list", region=region, year=query.year,
                      department=query.departments[0] if query.departments else None,
                      entry_ids=[e.id for e in picked[:3]], terms=list(query.terms))
        return Answer(question=raw, intent=Intent.LIST, answered=True, reply=reply,
                      results=[Result(e, 1.0) for e in picked], suggestions=self._featured_questions(2),
                      lang=query.lang, region=region, context=ctx)

    def _question_for(self, entry: Entry, intent: Intent) -> str:
        topic = topic_of(entry)
        where = entry.region or ""
        if intent == Intent.WHEN:
            return f"{where}{topic}的完成时限是什么？"
        return f"{where}{topic}由哪个部门负责？"

    def _suggestions_for(self, top: Entry, related: list[Entry], intent: Intent) -> list[str]:
        out = []
        if intent != Intent.WHEN and top.deadline:
            out.append(self._question_for(top, Intent.WHEN))
        if intent != Intent.WHO and top.responsible:
            out.append(self._question_for(top, Intent.WHO))
        for r in related:
            out.append(self._question_for(r, Intent.WHO))
        return list(dict.fromkeys(out))[:4]


_LEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])\s*")


def topic_of(entry: Entry) -> str:
    """A short topic name for an entry: its own heading, else its last section level, else its text."""
    for candidate in (entry.heading, entry.section.split(" > ")[-1] if entry.section else ""):
        c = _LEADING_NUMBER.sub("", (candidate or "").strip()).strip("。；")
        if 3 <= len(c) <= 30:
            return c
    text = re.split(r"[，。；]", entry.text, maxsplit=1)[0]
    return text[:24]


def load_engine(settings: Settings) -> Engine:
    """Convenience for adapters and tests: `Engine.load(settings)`."""
    return Engine.load(settings)


__all__ = ["Engine", "Topic", "load_engine", "Path"]
