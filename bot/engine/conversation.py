"""Conversation state as data: how a turn reads in the light of the previous one, and what it hands on.

`plan_turn(query, context)` applies explicit rules to the turn as read on its own:

* a turn with no topic of its own ("那完成时限呢？", "除了它，还有哪些单位一起负责？", "And by when?")
  asks about the current clause again, with its own intent (or the previous one);
* a turn naming another region and no topic of its own ("那历城区呢？", "换成槐荫区") re-asks the
  previous topic there, keeping the intent;
* a turn continuing with a new topic and no region ("那医保呢？") keeps the region and the intent;
* anything else is a fresh question and replaces the context.

`next_context` says what the turn hands on: an answer its clause, region, topic and intent; a decline
its topic and region (so "那槐荫区呢？" still works); a request for a topic the previous context.
Adapters (web session, CLI prompt, staff bot chat) only store `Context.to_dict()` and pass it back.
Neighbours: bot/engine/understand.py (Query), bot/engine/decide.py (Decision), bot/engine/coordinator.py (runs the plan).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.language import vocabulary as vocab
from bot.engine.answer import Context, Intent
from bot.engine.decide import Decision, Kind
from bot.engine.understand import Query, own_topic


class Move(StrEnum):
    FRESH = "fresh"
    ENTRY = "entry"  # ask about the current clause again
    REGION = "region"  # the previous topic, in another region
    TOPIC = "topic"  # a new topic, in the previous region
    NEXT_PAGE = "next_page"  # the previous list, from where its last page ended
    NO_MORE = "no_more"  # "下一页" after the last page


@dataclass(frozen=True)
class TurnPlan:
    """How to read a turn: re-read `text` in `region` (when set) and answer with `intent` (when set)."""

    move: Move
    text: str | None = None
    region: str | None = None
    intent: Intent | None = None
    entry_id: str | None = None
    soft: bool = False  # TOPIC without a continuation word: fall back to every region if this one is silent
    offset: int = 0  # NEXT_PAGE: where the page starts


def plan_turn(query: Query, context: Context | None) -> TurnPlan:
    """Which conversation rule applies to this turn (see the module docstring)."""
    if context is None or query.greeting or query.unknown_region or _no_context(context):
        return TurnPlan(Move.FRESH)
    if context.intent == Intent.LIST and vocab.NEXT_PAGE.search(query.raw):
        if not context.next_page:
            return TurnPlan(Move.NO_MORE)
        return TurnPlan(Move.NEXT_PAGE, text=context.question, region=context.region, offset=context.next_page)
    mine = own_topic(query)
    intent = _intent(query, context)
    new_region = query.region if query.region and query.region != context.region else None
    new_year = query.year if query.year and query.year != context.year else None
    names_units = bool(query.departments) and not vocab.ALSO_CUES.search(query.raw)
    if not mine and not names_units and query.until is None:
        if (new_region or new_year) and context.topic:
            text = f"{new_year}年{context.topic}" if new_year else context.topic
            return TurnPlan(Move.REGION, text=text, region=new_region or context.region, intent=intent)
        asks_again = query.intent_stated or vocab.CONTINUATION.search(query.raw) or query.followup
        if context.entry_ids and not new_region and asks_again:
            return TurnPlan(Move.ENTRY, intent=intent or _who_if_also(query), entry_id=context.entry_ids[0])
    if mine and not query.regions and context.region and query.intent != Intent.LIST:
        continues = bool(vocab.CONTINUATION.search(query.raw)) or not query.intent_stated
        return TurnPlan(Move.TOPIC, text=query.text, region=context.region, intent=intent, soft=not continues)
    return TurnPlan(Move.FRESH)


def _who_if_also(query: Query) -> Intent | None:
    """"除了发改局还有谁？" names a unit to ask for the others: a who-question about the same clause."""
    return Intent.WHO if query.departments and vocab.ALSO_CUES.search(query.raw) else None


def _no_context(context: Context) -> bool:
    return not (context.entry_ids or context.topic or context.region)


def _intent(query: Query, context: Context) -> Intent | None:
    """The turn's own intent when its wording states one, else the previous turn's."""
    if query.intent_stated:
        return None
    try:
        previous = Intent(context.intent)
    except ValueError:
        return None
    return previous if previous in (Intent.WHO, Intent.WHEN, Intent.WHAT) else None


def next_context(query: Query | None, decision: Decision, previous: Context | None = None) -> Context:
    """The context a follow-up of this turn may reuse."""
    if query is None:
        return Context()
    if decision.kind in (Kind.ANSWER, Kind.FOLLOWUP, Kind.BY_REGION):
        top = decision.candidates[0].entry
        topic = query.topic_text if decision.kind != Kind.FOLLOWUP or not previous else previous.topic
        return Context(question=query.raw, intent=str(decision.intent), region=top.region, year=top.year,
                       department=query.department, entry_ids=[c.entry.id for c in decision.candidates[:3]],
                       terms=list(query.terms), topic=topic)
    if decision.kind == Kind.LIST:
        assert decision.tasks is not None
        tasks = decision.tasks
        shown = tasks.offset + len(tasks.entries)
        paging = previous is not None and previous.intent == Intent.LIST and bool(vocab.NEXT_PAGE.search(query.raw))
        return Context(question=previous.question if paging and previous else query.raw, intent=str(Intent.LIST), region=tasks.region, year=query.year,
                       department=query.department, entry_ids=[e.id for e in tasks.entries[:3]],
                       terms=list(query.terms), next_page=shown if shown < tasks.total else 0)
    if decision.kind == Kind.DECLINE:
        region = query.region or (previous.region if previous and not query.unknown_region else None)
        topic = query.topic_text if own_topic(query) or not previous else previous.topic
        same_place = previous is not None and region == previous.region
        return Context(question=query.raw, intent=str(query.intent), region=region, terms=list(query.terms),
                       topic=topic, entry_ids=list(previous.entry_ids) if same_place and previous else [])
    if decision.kind in (Kind.ASK_TOPIC, Kind.NO_MORE) and previous is not None:
        return previous
    return Context()
