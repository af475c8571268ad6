"""Stage 3, *decide*: the question, its evidence and the conversation so far -> a `Decision`.

Answer, list, answer per region, ask for a topic, or decline — each decline with a named `Reason`, so
bot/engine/compose.py can word it and the log can count it. Pure: reads the frozen `Query`, the `Ranked`
evidence (bot/engine/retrieve.py) or the `TaskList` (bot/engine/task_lists.py) and the follow-up entry the coordinator
resolved from the conversation (bot/engine/conversation.py); never searches, never calls back into the engine.
Thresholds are fields of bot/engine/tuning.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from bot.engine.answer import Intent
from bot.engine.retrieve import Candidate, Ranked
from bot.engine.task_lists import TaskList
from bot.engine.tuning import Tuning
from bot.engine.understand import Query, question_sentence, stated_period
from bot.language.vocabulary import (
    AMOUNT_CUES,
    CLAUSE_PARTS,
    CONTACT_CUES,
    PROCEDURE_CUES,
    STATES_AMOUNT,
    STATES_CONTACT,
    is_generic,
)
from indexer.model import Entry


class Kind(StrEnum):
    """What the reply does."""

    ANSWER = "answer"  # one clause answers
    FOLLOWUP = "followup"  # the previous answer's clause, asked about again
    BY_REGION = "by_region"  # several plans answer a question that named no region
    LIST = "list"  # a task list
    ASK_TOPIC = "ask_topic"  # only general words: ask what it is about
    NO_MORE = "no_more"  # "下一页" after a list's last page
    GREETING = "greeting"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    FAILED = "failed"  # an internal error; the adapter still gets a polite reply
    DECLINE = "decline"  # see Reason
    NEAREST = "nearest"  # not sure it answers: the nearest clause is shown, and said plainly to be only that


class Reason(StrEnum):
    """Why a question is declined."""

    OUT_OF_SCOPE = "out_of_scope"  # names a district the knowledge base does not hold
    YEAR_NOT_HELD = "year_not_held"  # names a year no plan of its region has
    NO_MATCH = "no_match"  # nothing in the plans matches
    LOW_COVERAGE = "low_coverage"  # the best clause covers too little of the question
    AMOUNT = "amount"  # asks for money the plans do not state
    CONTACT = "contact"  # asks for a phone number, an address or opening hours
    HOW_TO = "how_to"  # asks how to apply; the plans only say what is published
    DURATION = "duration"  # asks how long; the clause states no period
    NO_TASKS = "no_tasks"  # a list question with nothing on the list


# Declines that mean "this plan is silent on it" (another region's plan may not be).
SILENT = frozenset({Reason.NO_MATCH, Reason.LOW_COVERAGE})
# Replies that do not answer (JSON `answered` false): a decline, or the nearest clause shown as only that.
DECLINES = frozenset({Kind.DECLINE, Kind.NEAREST})


@dataclass(frozen=True)
class Decision:
    """What to reply, with the evidence the reply cites."""

    kind: Kind
    intent: Intent = Intent.NONE
    candidates: tuple[Candidate, ...] = ()  # best first; for ANSWER/FOLLOWUP the first is the answer
    reason: Reason | None = None
    grouped: tuple[Entry, ...] = ()  # BY_REGION: the best entry of each region
    related: tuple[Entry, ...] = ()  # ANSWER: other clauses of the same plan on the same topic
    tasks: TaskList | None = None  # LIST
    key: str | None = None  # the sentence of the top clause the question is about
    period: str | None = None  # a how-long question: the period that sentence states

    @property
    def answered(self) -> bool:
        return self.kind in (Kind.ANSWER, Kind.FOLLOWUP, Kind.BY_REGION, Kind.LIST)

    @property
    def top(self) -> Entry | None:
        return self.candidates[0].entry if self.candidates else None


def before_search(query: Query, followup_entry: Entry | None) -> Decision | None:
    """Decisions that need no search: greetings, follow-ups on the previous clause, districts or years
    not held, questions with no topic. None: search (or gather a list) and call `after_search`/`listing`."""
    if query.greeting:
        return Decision(Kind.GREETING)
    if followup_entry is not None:
        intent = query.intent if query.intent != Intent.LIST else Intent.WHAT
        key = key_sentence(followup_entry.text, query.bigrams, query.asks_duration or query.asks_frequency)
        return Decision(Kind.FOLLOWUP, intent, (Candidate(followup_entry, -1, 1.0, 1.0),), key=key,
                        period=_period(query, followup_entry, key))
    if query.unknown_region:
        return Decision(Kind.DECLINE, query.intent, reason=Reason.OUT_OF_SCOPE)
    if query.year_not_held:
        return Decision(Kind.DECLINE, query.intent, reason=Reason.YEAR_NOT_HELD)
    if query.intent == Intent.LIST:
        return None
    if not query.terms or query.vague:
        return Decision(Kind.ASK_TOPIC, Intent.NONE)
    return None


def after_search(query: Query, ranked: Ranked, tuning: Tuning, grouping: bool,
                 terms: TermEvidence | None = None) -> Decision:
    """Answer from the top candidate, answer per region, or decline with the reason.

    `grouping`: the deployment serves no default region, so a region-less question several plans
    answer about as well is answered per region. `terms`: how specific a term is and whether the plans
    use it (see `specific_evidence`); without it low coverage is never answered."""
    top = ranked.top
    if top is None:
        return Decision(Kind.DECLINE, query.intent, reason=Reason.NO_MATCH)
    key = key_sentence(top.entry.text, query.bigrams, query.asks_duration or query.asks_frequency)
    period = _period(query, top.entry, key)
    reason = _decline_reason(query, top, tuning, period)
    if reason == Reason.LOW_COVERAGE and terms is not None and specific_evidence(query, top, terms, tuning,
                                                                                 ranked.core):
        reason = _decline_reason(query, replace(top, coverage=max(top.coverage, tuning.min_score)), tuning, period)
    if reason == Reason.LOW_COVERAGE and top.coverage >= tuning.nearest_coverage:
        return Decision(Kind.NEAREST, query.intent, ranked.candidates, reason=reason, key=key)
    if reason is not None:
        return Decision(Kind.DECLINE, query.intent, ranked.candidates, reason=reason, key=key)
    related = _related(query, ranked, tuning)
    grouped = by_region(query, ranked, tuning) if grouping or len(query.regions) > 1 else []
    if len(grouped) > 1:
        return Decision(Kind.BY_REGION, query.intent, ranked.candidates, grouped=tuple(grouped), related=related)
    return Decision(Kind.ANSWER, query.intent, ranked.candidates, related=related, key=key, period=period)


class TermEvidence(Protocol):
    """What the decision may ask of the retriever about a term (bot/engine/retrieve.py `Retriever`)."""

    def specificity(self, term: str) -> float: ...

    def in_plans(self, term: str) -> bool: ...


def specific_evidence(query: Query, top: Candidate, terms: TermEvidence, tuning: Tuning,
                      core_word: str | None = None) -> bool:
    """Whether the clause's matched terms are specific evidence though it covers little of a long message:
    one matched plan term of `specific_compound` characters or more, two distinct matched words (neither
    inside the other), each at least `specific_evidence` specific, or the question's core word (`core_word`,
    its most specific topic word) matched and at least `specific_single` specific — and no plan word the question names
    but the clause lacks is more specific than they are (黄河流域 asked, only 高质量发展 matched: the
    clause lacks the question's topic)."""
    if top.coverage < tuning.specific_min_coverage:
        return False
    spec = {t: terms.specificity(t) for t in top.matched if len(t) >= 2}
    strong = [t for t, s in spec.items() if s >= tuning.specific_evidence]
    distinct = [t for t in strong if not any(t != u and t in u for u in strong)]
    core = core_word is not None and spec.get(core_word, 0.0) >= tuning.specific_single
    if not (core or any(len(t) >= tuning.specific_compound for t in strong) or len(distinct) >= 2):
        return False
    missing = [t for t in query.terms if len(t) >= 2 and t not in spec and terms.in_plans(t)
               and not any(t in m or m in t for m in spec)]
    best = max(spec.values()) * tuning.specific_missing_margin
    return all(terms.specificity(t) <= best for t in missing)


def _period(query: Query, entry: Entry, key: str | None) -> str | None:
    """For a how-long / how-often question, the period the relevant sentence (or the row's own
    deadline) states; a completion date is no answer to 多久."""
    if not (query.asks_duration or query.asks_frequency):
        return None
    for text in (key or entry.text, entry.deadline or ""):
        found = _nearest_period(text, query)
        if found:
            return found
    return None


def _nearest_period(text: str, query: Query) -> str | None:
    """The period stated in the part of the sentence that shares most with the question ("最迟在5小时内发布
    权威信息，在24小时内举行新闻发布会": 24小时内 for 新闻发布会); the first one when no part is nearer."""
    best, best_shared = None, -1
    for part in CLAUSE_PARTS.split(text):
        found = stated_period(part, query.asks_frequency)
        if found:
            shared = sum(1 for b in query.bigrams if b in part)
            if shared > best_shared:
                best, best_shared = found, shared
    return best or stated_period(text, query.asks_frequency)


def _decline_reason(query: Query, top: Candidate, tuning: Tuning, period: str | None) -> Reason | None:
    e = top.entry
    if top.coverage < tuning.min_score:
        return Reason.LOW_COVERAGE
    if query.asks_amount and not STATES_AMOUNT.search(e.text) and _asks(query, e, AMOUNT_CUES):
        return Reason.AMOUNT
    if query.asks_contact and not STATES_CONTACT.search(e.text) and _asks(query, e, CONTACT_CUES):
        return Reason.CONTACT
    if query.asks_procedure and _asks(query, e, PROCEDURE_CUES):
        return Reason.HOW_TO
    if (query.asks_duration or query.asks_frequency) and period is None:
        return Reason.DURATION
    return None


def _asks(query: Query, entry: Entry, cue: re.Pattern[str]) -> bool:
    """Whether how-to (or amount, or contact) wording is what the message asks: it stands in the
    sentence that carries the question (a story's "优待证怎么办" before "…归哪些单位负责？" is not the
    question), and names no topic the clause itself holds ("办事流程演示" is a task, not a request for
    the procedure). In English, where the cue is read from the whole question, a question that states
    who or when asks that ("who has to work out how much money reached each village"); in Chinese, one that
    states who or when asks what its last part asks (a how-to cue in an earlier part is the sender's story)."""
    states_who_or_when = query.intent_stated and query.intent in (Intent.WHO, Intent.WHEN)
    if query.lang == "en":
        return not states_who_or_when
    asking = question_sentence(query.text)
    if states_who_or_when:  # "…想了解政策和怎么办手续，这些信息是哪个部门公开的？": the last part asks
        parts = [p for p in CLAUSE_PARTS.split(asking) if p.strip()]
        asking = parts[-1] if parts else asking
    cues = [m.group(0) for m in cue.finditer(asking)]
    body = re.sub(r"\s+", "", entry.text)
    return any(c not in body for c in cues)


def _related(query: Query, ranked: Ranked, tuning: Tuning) -> tuple[Entry, ...]:
    """Other clauses of the top one's plan that share the question's topic (a specific word it matched,
    and nearly the top clause's coverage), never the rows restating the top clause."""
    first = ranked.candidates[0]
    top = first.entry
    topic = {t for t in query.topic if not is_generic(t)}
    floor = max(tuning.min_score, tuning.related_coverage * first.coverage)
    out: list[Entry] = []
    for c in ranked.candidates[1:]:  # the cheap tests first: a candidate's Entry is made only when they pass
        if c.coverage >= floor and topic & set(c.matched) and c.found.id not in top.linked \
                and c.found.region == top.region:
            out.append(c.entry)
            if len(out) == 2:
                break
    return tuple(out)


def by_region(query: Query, ranked: Ranked, tuning: Tuning) -> list[Entry]:
    """Best entry per region when the question named no region, or several (two districts, or a name
    several held districts share: 市中区 of 济南 and of 枣庄), and several plans answer about as well."""
    if len(query.regions) == 1 or not ranked:
        return []
    top_score = ranked.candidates[0].score
    floor = max(tuning.min_score, tuning.group_min_coverage)
    best: dict[str, Entry] = {}
    for c in ranked.candidates[:12]:
        region = c.found.region  # the candidate's Entry is made only when it is kept
        if c.score < tuning.group_score_ratio * top_score or not region or region in best:
            continue
        if c.coverage < floor or not c.has_core:  # a plan lacking the question's core word says less
            continue
        best[region] = c.entry
    return list(best.values())


def listing(query: Query, tasks: TaskList) -> Decision:
    """A list answer, or a decline when nothing is on the list."""
    if not tasks.entries:
        return Decision(Kind.DECLINE, query.intent, reason=Reason.NO_TASKS, tasks=tasks)
    return Decision(Kind.LIST, Intent.LIST, tuple(Candidate(e, -1, 1.0, 1.0) for e in tasks.entries), tasks=tasks)


def sentences(text: str) -> list[str]:
    """A clause's sentences, each with its closing mark, stripped."""
    return [x.strip() for x in re.split(r"(?<=[。；！？])", text) if x.strip()]


def key_sentence(text: str, bigrams: tuple[str, ...] | list[str], timed: bool = False) -> str | None:
    """The sentence of a long clause that best matches the question (by shared character pairs), so a
    reply can lead with it; None when the clause is short or nothing stands out. `timed` (a how-long or
    how-often question): of sentences matching equally well, one stating a period or frequency."""
    sentences = [x for x in re.split(r"(?<=[。；！？])", text) if x.strip()]
    if len(sentences) < 2 or not bigrams:
        return None
    wanted = set(bigrams)

    def overlap(sentence: str) -> int:
        return sum(1 for b in wanted if b in sentence)

    def rank(sentence: str) -> tuple[int, bool]:
        return overlap(sentence), timed and stated_period(sentence, True) is not None

    best = max(sentences, key=rank)
    return best.strip() if overlap(best) >= max(2, len(wanted) // 3) else None


def scope_reason(query: Query, entry: Entry, period: str | None, tuning: Tuning) -> Reason | None:
    """The decline reasons of a question about one clause that need no search (an amount, a contact, a
    procedure or a period the clause does not state): a follow-up on the clause shown gets the same rules
    as a first question (bot/engine/turns.py)."""
    return _decline_reason(query, Candidate(entry, -1, 1.0, 1.0), tuning, period)
