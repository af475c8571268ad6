"""Stage 3, *decide*: the question, its evidence and the conversation so far -> a `Decision`.

Answer, list, answer per region, ask for a topic, or decline — each decline with a named `Reason`, so
bot/compose.py can word it and the log can count it. Pure: reads the frozen `Query`, the `Ranked`
evidence (bot/retrieve.py) or the `TaskList` (bot/tasks.py) and the follow-up entry the coordinator
resolved from the context; never searches, never calls back into the engine. Thresholds are fields of
bot/tuning.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.answer import Context, Intent
from bot.retrieve import Candidate, Ranked
from bot.tasks import TaskList
from bot.tuning import Tuning
from bot.understand import Query, states_duration
from bot.vocabulary import STATES_AMOUNT
from indexer.model import Entry


class Kind(StrEnum):
    """What the reply does."""

    ANSWER = "answer"  # one clause answers
    FOLLOWUP = "followup"  # the previous answer's clause, asked about again
    BY_REGION = "by_region"  # several plans answer a question that named no region
    LIST = "list"  # a task list
    ASK_TOPIC = "ask_topic"  # only general words: ask what it is about
    GREETING = "greeting"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    FAILED = "failed"  # an internal error; the adapter still gets a polite reply
    DECLINE = "decline"  # see Reason


class Reason(StrEnum):
    """Why a question is declined."""

    OUT_OF_SCOPE = "out_of_scope"  # names a district the knowledge base does not hold
    NO_MATCH = "no_match"  # nothing in the plans matches
    LOW_COVERAGE = "low_coverage"  # the best clause covers too little of the question
    AMOUNT = "amount"  # asks for money the plans do not state
    HOW_TO = "how_to"  # asks how to apply; the plans only say what is published
    DURATION = "duration"  # asks how long; the clause states no period
    NO_TASKS = "no_tasks"  # a list question with nothing on the list


@dataclass(frozen=True)
class Decision:
    """What to reply, with the evidence the reply cites."""

    kind: Kind
    intent: Intent = Intent.NONE
    candidates: tuple[Candidate, ...] = ()  # best first; for ANSWER/FOLLOWUP the first is the answer
    reason: Reason | None = None
    grouped: tuple[Entry, ...] = ()  # BY_REGION: the best entry of each region
    related: tuple[Entry, ...] = ()  # ANSWER: other clauses of the same plan worth a look
    tasks: TaskList | None = None  # LIST

    @property
    def answered(self) -> bool:
        return self.kind in (Kind.ANSWER, Kind.FOLLOWUP, Kind.BY_REGION, Kind.LIST)

    @property
    def top(self) -> Entry | None:
        return self.candidates[0].entry if self.candidates else None


def before_search(query: Query, context: Context | None, followup_entry: Entry | None) -> Decision | None:
    """Decisions that need no search: greetings, follow-ups on the previous clause, districts not held,
    questions with no topic. None: search (or gather a list) and call `after_search`/`listing`."""
    if query.greeting:
        return Decision(Kind.GREETING)
    if followup_entry is not None and is_followup_turn(query):
        intent = query.intent if query.intent != Intent.LIST else Intent.WHAT
        return Decision(Kind.FOLLOWUP, intent, (Candidate(followup_entry, -1, 1.0, 1.0),))
    if query.unknown_region:
        return Decision(Kind.DECLINE, query.intent, reason=Reason.OUT_OF_SCOPE)
    if query.intent == Intent.LIST:
        return None
    if not query.terms or query.vague:
        return Decision(Kind.ASK_TOPIC, Intent.NONE)
    return None


def is_followup_turn(query: Query) -> bool:
    """A turn that asks about the previous clause: follow-up wording, or nothing of its own to search."""
    return query.followup or (not query.terms and not query.departments and query.until is None)


def after_search(query: Query, ranked: Ranked, tuning: Tuning, grouping: bool) -> Decision:
    """Answer from the top candidate, answer per region, or decline with the reason.

    `grouping`: the deployment serves no default region, so a region-less question several plans
    answer about as well is answered per region."""
    top = ranked.top
    if top is None:
        return Decision(Kind.DECLINE, query.intent, reason=Reason.NO_MATCH)
    reason = _decline_reason(query, top, tuning)
    if reason is not None:
        return Decision(Kind.DECLINE, query.intent, ranked.candidates, reason=reason)
    related = tuple(c.entry for c in ranked.candidates[1:]
                    if c.entry.id not in top.entry.linked and c.entry.region == top.entry.region)[:2]
    grouped = by_region(query, ranked, tuning) if grouping else []
    if len(grouped) > 1:
        return Decision(Kind.BY_REGION, query.intent, ranked.candidates, grouped=tuple(grouped), related=related)
    return Decision(Kind.ANSWER, query.intent, ranked.candidates, related=related)


def _decline_reason(query: Query, top: Candidate, tuning: Tuning) -> Reason | None:
    e = top.entry
    if top.coverage < tuning.min_score:
        return Reason.LOW_COVERAGE
    if query.asks_amount and not STATES_AMOUNT.search(e.text):
        return Reason.AMOUNT
    if query.asks_procedure:
        return Reason.HOW_TO
    if query.asks_duration and not states_duration(f"{e.text}{e.deadline or ''}"):
        return Reason.DURATION
    return None


def by_region(query: Query, ranked: Ranked, tuning: Tuning) -> list[Entry]:
    """Best entry per region when the question named none and several plans answer about as well."""
    if query.regions or not ranked:
        return []
    top_score = ranked.candidates[0].score
    floor = max(tuning.min_score, tuning.group_min_coverage)
    best: dict[str, Entry] = {}
    for c in ranked.candidates[:12]:
        e = c.entry
        if c.score < tuning.group_score_ratio * top_score or not e.region or e.region in best:
            continue
        if c.coverage < floor:
            continue
        best[e.region] = e
    return list(best.values())


def listing(query: Query, tasks: TaskList) -> Decision:
    """A list answer, or a decline when nothing is on the list."""
    if not tasks.entries:
        return Decision(Kind.DECLINE, query.intent, reason=Reason.NO_TASKS, tasks=tasks)
    return Decision(Kind.LIST, Intent.LIST, tuple(Candidate(e, -1, 1.0, 1.0) for e in tasks.entries), tasks=tasks)
