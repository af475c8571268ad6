"""Conversation state as data: what one turn hands the next (`bot.answer.Context`).

The coordinator (bot/engine.py) resolves the previous context's entry for follow-ups before deciding
and calls `next_context` after deciding; adapters (web session, CLI prompt, staff bot chat) only store
the context's dict and pass it back. Neighbours: bot/decide.py (the Decision), bot/understand.py (Query).
"""
from __future__ import annotations

from bot.answer import Context, Intent
from bot.decide import Decision, Kind
from bot.understand import Query


def next_context(query: Query | None, decision: Decision) -> Context:
    """The context a follow-up of this turn may reuse: its topic, region, year and entries."""
    if query is None:
        return Context()
    if decision.kind in (Kind.ANSWER, Kind.FOLLOWUP, Kind.BY_REGION):
        top = decision.candidates[0].entry
        return Context(question=query.raw, intent=str(decision.intent), region=top.region, year=top.year,
                       department=query.department, entry_ids=[c.entry.id for c in decision.candidates[:3]],
                       terms=list(query.terms))
    if decision.kind == Kind.LIST:
        assert decision.tasks is not None
        return Context(question=query.raw, intent=str(Intent.LIST), region=decision.tasks.region, year=query.year,
                       department=query.department, entry_ids=[e.id for e in decision.tasks.entries[:3]],
                       terms=list(query.terms))
    if decision.kind == Kind.DECLINE:
        return Context(question=query.raw, intent=str(query.intent), region=query.region)
    return Context()
