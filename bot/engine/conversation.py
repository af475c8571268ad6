"""Conversation state as data: what a turn hands on, the next clause for "more", and yes/no verdicts.

Which move a turn makes is bot/engine/moves.py (`plan_turn`, re-exported here); this module holds what
the moves need besides a search:

* `next_context` — what a turn hands on: an answer its clause, region, year, topic and intent, and every
  clause shown so far (so "还有吗？" never repeats one); a decline its topic and region (so "那槐荫区呢？" still
  works); the nearest clause shown when unsure, like an answer's (so "那啥时候完成？" asks about it); a request
  for a topic the previous context; a reset nothing. The topic handed on is what the turn and its clause
  share (`settled_topic`), so a region switch searches the plans' wording, not the sender's story.
* `next_unseen` — "more": the best-ranked clause on the topic, in the conversation's plan, not yet shown.
* `check` — a confirmation: does the clause bear out the presumed unit or deadline? The verdict is about
  the clause in hand, never a reason to jump to another clause that mentions the presumed unit.

Adapters (web session, CLI prompt, staff bot chat) only store `Context.to_dict()` and pass it back.
Neighbours: bot/engine/understand.py (Query), bot/engine/decide.py (Decision), bot/engine/coordinator.py (runs it).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.engine.answer import Context, Intent
from bot.engine.decide import Decision, Kind
from bot.engine.moves import Move, Presumption, TurnPlan, plan_turn
from bot.engine.retrieve import Candidate
from bot.engine.understand import Query, own_topic, stated_period
from bot.language import vocabulary as vocab
from indexer.model import Entry

__all__ = ["Move", "TurnPlan", "Verdict", "check", "next_context", "next_unseen", "plan_turn", "restated"]

SHOWN_KEPT = 60  # a conversation remembers this many shown clauses (ids), newest last


@dataclass(frozen=True)
class Verdict:
    """The answer to a yes/no turn: `yes` (None: the clause does not say), what it was about, and what the
    clause states instead."""

    yes: bool | None
    about: str  # "units" | "deadline"
    presumed: str
    units: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # units of the clause besides the presumed ones
    deadline: str | None = None


def check(entry: Entry, presumption: Presumption, same_unit: Callable[[str, str], bool],
          plan_year: int | None = None) -> Verdict:
    """Whether `entry` bears out the presumption. Units: each presumed unit is among the clause's (and,
    when presumed alone, no other is); a deadline: the same completion month (or the same all-year word)."""
    units = tuple(entry.responsible)
    if presumption.departments:
        presumed = presumption.departments
        found = [d for d in presumed if any(same_unit(u, d) for u in units)]
        others = tuple(u for u in units if not any(same_unit(u, d) for d in presumed))
        yes = len(found) == len(presumed) and not (presumption.only and others)
        return Verdict(yes if units else None, "units", "、".join(presumed), units, others, entry.deadline)
    said = presumption.deadline or ""
    stated = entry.deadline or stated_period(entry.text, True)  # a row's deadline, else how often the clause says
    if not stated:
        return Verdict(None, "deadline", said, units, deadline=None)
    wanted = _month_of(said, plan_year or entry.year)
    if wanted is None:  # "全年", "长期", "每季度": the same kind of word (按季度 is 每季度)
        word = vocab.NO_COMPLETION_DATE.search(said)
        yes = bool(word and (word.group(0) in stated or _same_frequency(word.group(0), stated))
                   and not vocab.COMPLETION_DATE.search(stated))
        return Verdict(yes, "deadline", said, units, deadline=stated)
    if vocab.NO_COMPLETION_DATE.search(stated) and not vocab.COMPLETION_DATE.search(stated):
        return Verdict(False, "deadline", said, units, deadline=stated)  # "全年" is no completion date
    due = _month_of(stated, entry.year) if not entry.due else _iso_month(entry.due)
    yes = due is not None and due[1] == wanted[1] and (wanted[0] is None or due[0] in (None, wanted[0]))
    return Verdict(yes, "deadline", said, units, deadline=stated)


def _same_frequency(said: str, stated: str) -> bool:
    """Whether two how-often words name the same period ("每季度" and "按季度", "每月" and "按月")."""
    unit = vocab.FREQUENCY_UNIT.search(said)
    return unit is not None and unit.group(0) == (m.group(0) if (m := vocab.FREQUENCY_UNIT.search(stated)) else None)


def _iso_month(iso: str) -> tuple[int | None, int] | None:
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return None
    return d.year, d.month


def _month_of(text: str, year: int | None) -> tuple[int | None, int] | None:
    """(year or None, month) of the completion date a deadline phrase names ("9月底前", "年底前", "上半年")."""
    m = vocab.MONTH_END.search(text) or vocab.MONTH_END_SAID.search(text)
    if m:
        month = vocab.cn_number(m.group(2)) or 0
        return (int(m.group(1)) if m.group(1) else None, month) if 1 <= month <= 12 else None
    m = vocab.QUARTER.search(text)
    if m:
        quarter = vocab.cn_number(m.group(2)) or int(m.group(2))
        return (int(m.group(1)) if m.group(1) else None, 3 * quarter)
    m = vocab.HALF_YEAR.search(text)
    if m:
        return (int(m.group(1)) if m.group(1) else None, 6)
    m = vocab.YEAR_END.search(text)
    if m:
        return (int(m.group(1)) if m.group(1) else None, 12)
    return None


def next_unseen(candidates: Sequence[Candidate], shown: Sequence[str], current: Entry | None,
                region: str | None, floor: float, topic: Sequence[str] = ()) -> int | None:
    """Index of the best-ranked candidate on the topic not yet shown, in `region`; None when the topic has
    no more. On the topic: it covers at least `floor` of the topic and contains one of its specific words
    (`topic`, when given), or it belongs with the current clause (the same section, or a task row and the
    body clause that restates it)."""
    seen = set(shown)
    words = {t for t in topic if not vocab.is_generic(t) and not t.isascii()}
    specific = {t for t in words if not any(t != w and t in w for w in words)}  # 义务教育, not 教育
    for i, c in enumerate(candidates):
        e = c.entry
        if e.id in seen or (region and e.region != region) or c.score <= 0:
            continue
        if specific and not specific & set(c.matched):
            continue
        if c.coverage >= floor or (current is not None and _belongs_with(e, current)):
            return i
    return None


def _belongs_with(e: Entry, current: Entry) -> bool:
    same_plan = e.doc == current.doc
    return same_plan and (e.id in current.linked or current.id in e.linked
                          or bool(set(e.linked) & set(current.linked))
                          or bool(e.section and e.section == current.section))


RESTATES = 0.6  # a task row whose hanzi pairs are this much inside the text shown was shown too
LEADS_WITH = 90  # the answer card leads with the key sentence, else this much of the clause (compose.POINT_CHARS)


def restated(entry: Entry, key: str | None, rows: Sequence[Entry]) -> list[str]:
    """The rows (of a body clause summing up several) that the reply showed in substance: those whose
    wording lies inside what the answer card leads with — the key sentence, else the clause's opening."""
    shown = key or entry.text[:LEADS_WITH]
    have = _pairs(shown)
    out = []
    for r in rows:
        mine = _pairs(r.text)
        if have and mine and len(mine & have) >= RESTATES * len(mine):
            out.append(r.id)
    return out


def _pairs(text: str) -> set[str]:
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    return {han[i] + han[i + 1] for i in range(len(han) - 1)}


def _shown(previous: Context | None, entries: Sequence[Entry] = (), also: Sequence[str] = ()) -> list[str]:
    """The clauses shown so far plus these, newest last, bounded. A clause restating exactly one other (a
    task row and its body clause) shows that one too; a body clause summing up several rows does not
    show each row."""
    out = list(previous.shown) if previous is not None else []
    ids = [i for e in entries for i in (e.id, *(e.linked if len(e.linked) == 1 else ()))]
    for i in [*ids, *also]:
        if i in out:
            out.remove(i)
        out.append(i)
    return out[-SHOWN_KEPT:]


def settled_topic(query: Query, decision: Decision) -> str:
    """The topic a conversation settles on: the turn's topic words its clause contains (the plans' own
    wording of it), so a later "那薛城呢？" searches what was found, not the sender's story or wording
    ("俺娘一个人住"); the turn's topic text when the clause shares no specific word of it."""
    top = decision.candidates[0] if decision.candidates else None
    if top is None:
        return query.topic_text
    # a word matched through one of its senses (an English word's other renderings) is the question's wording,
    # not the clause's: only words the clause itself holds are carried on
    shared = [t for t in query.topic if t in top.matched and t in top.entry.text]
    if not any(not vocab.is_generic(t) for t in shared):
        return query.topic_text
    return " ".join(t for t in shared if not any(t != w and t in w for w in shared))


def next_context(query: Query | None, decision: Decision, previous: Context | None = None,
                 move: Move | None = None, restating: Sequence[str] = ()) -> Context:
    """The context a follow-up of this turn may reuse."""
    if query is None or move == Move.RESET:
        return Context()
    if decision.kind in (Kind.ANSWER, Kind.FOLLOWUP, Kind.BY_REGION):
        top = decision.candidates[0].entry
        # A confirmation stays on the topic unless it named (and moved to) a clause of its own.
        stayed = previous is not None and top.id in previous.entry_ids[:1]
        keeps_topic = previous is not None and (decision.kind == Kind.FOLLOWUP
                                                or move in (Move.MORE, Move.NEXT, Move.SAME_CLAUSE)
                                                or (move == Move.CONFIRM and stayed))
        topic = previous.topic if keeps_topic and previous and previous.topic else settled_topic(query, decision)
        entries = [top] if decision.kind != Kind.BY_REGION else list(decision.grouped)
        return Context(question=query.raw, intent=str(decision.intent), region=top.region, year=top.year,
                       department=query.department, entry_ids=[c.found.id for c in decision.candidates[:3]],
                       terms=list(query.terms), topic=topic, shown=_shown(previous, entries, restating),
                       read_on=top.id if move == Move.REST else None)
    if decision.kind == Kind.LIST:
        assert decision.tasks is not None
        tasks = decision.tasks
        shown = tasks.offset + len(tasks.entries)
        paging = move == Move.PAGE and previous is not None
        return Context(question=previous.question if paging and previous else query.raw, intent=str(Intent.LIST),
                       region=tasks.region, year=query.year, department=query.department,
                       entry_ids=[e.id for e in tasks.entries[:3]], terms=list(query.terms),
                       next_page=shown if shown < tasks.total else 0, shown=_shown(previous))
    if decision.kind == Kind.NEAREST and decision.candidates:
        # The nearest clause was shown: a follow-up asking its unit or deadline ("那啥时候以前得贴出来？")
        # is about that clause, as after an answer; the topic stays the turn's own words.
        top = decision.candidates[0].entry
        return Context(question=query.raw, intent=str(decision.intent), region=top.region, year=top.year,
                       department=query.department, entry_ids=[top.id], terms=list(query.terms),
                       topic=settled_topic(query, decision) if own_topic(query) or not previous else previous.topic,
                       shown=_shown(previous, [top]))
    if decision.kind in (Kind.DECLINE, Kind.NEAREST):
        region = query.region or (previous.region if previous and not query.unknown_region else None)
        topic = query.topic_text if own_topic(query) or not previous else previous.topic
        same_place = previous is not None and region == previous.region
        return Context(question=query.raw, intent=str(query.intent), region=region, terms=list(query.terms),
                       topic=topic, entry_ids=list(previous.entry_ids) if same_place and previous else [],
                       year=previous.year if same_place and previous else None, shown=_shown(previous))
    if decision.kind in (Kind.ASK_TOPIC, Kind.NO_MORE) and previous is not None:
        return previous
    return Context()
