"""Runs one turn: read it, classify its move (bot/engine/moves.py), then read, search and decide as the move
says — every move through the same reading as a first question, so a region or year not held is declined in
any turn, and a presumed department never steers the search.

    NEW            the turn as read (region-less: in the site's region first, then everywhere if it is silent)
    SWITCH_*/TOPIC the conversation's topic (or the turn's) re-read in the region / year the move names
    SAME_CLAUSE    the current clause, asked about again
    MORE           the topic re-searched in the conversation's plan; the best clause not yet shown
    CONFIRM        the current clause (or the one the turn's own topic finds, searched without the presumed
                   department) and a `Verdict` on the presumption
    PAGE / RESET   the list's next page / a fresh start

Pure over the engine's stages (reader, retriever, task lists, decide): holds no conversation state itself.
Neighbours: bot/engine/coordinator.py (calls `Turns.run`), bot/engine/conversation.py (verdicts, next context).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from bot.engine import decide
from bot.engine.answer import Context, Intent
from bot.engine.conversation import Verdict, check, next_unseen, restated
from bot.engine.decide import Decision, Kind
from bot.engine.english_rerank import rerank
from bot.engine.moves import Move, TurnPlan, plan_turn
from bot.engine.retrieve import Candidate, Retriever
from bot.engine.task_lists import TaskLists
from bot.engine.tuning import Tuning
from bot.engine.understand import Query, QuestionReader, stated_period
from bot.index.search_index import SearchIndex
from bot.language import vocabulary as vocab
from indexer.divisions import table as divisions
from indexer.model import Entry

REREAD = (Move.SWITCH_REGION, Move.SWITCH_YEAR, Move.TOPIC, Move.PAGE)


@dataclass(frozen=True)
class Turn:
    """One turn's reading, its decision, the move it made and, for a confirmation, the verdict."""

    query: Query | None
    decision: Decision
    plan: TurnPlan | None = None
    verdict: Verdict | None = None
    site_region: str | None = None  # the site's region was silent and the answer came from elsewhere
    restating: tuple[str, ...] = ()  # task rows the reply showed in substance (see conversation.restated)
    compared: Entry | None = None  # COMPARE: the clause of the other plan the answer is set against


class Turns:
    """Reads, classifies and decides turns over one engine's stages."""

    def __init__(self, reader: QuestionReader, retriever: Retriever, tasks: TaskLists, index: SearchIndex,
                 tuning: Tuning, *, grouping: bool) -> None:
        self.reader, self.retriever, self.tasks, self.index, self.tuning = reader, retriever, tasks, index, tuning
        self.grouping = grouping
        self._glosses = getattr(index.rewriter, "glosses", None) if index.rewriter is not None else None

    def names_topic(self, word: str, plan_only: bool = False, specific: bool = False, /) -> bool:
        """Whether a word a follow-up leaves over names a topic: a plan word, or (unless `plan_only`) a word
        rare in general Chinese — never a place ("烟台"), untranslated English or everyday wording ("弄完"); with
        `specific`, a plan word rare in general Chinese only (a turn pointing back: 落到 is its wording)."""
        if divisions().named(word):
            return False
        if word.isascii():
            return word in self.index.text.idf or word in self.index.meta.idf
        salient = self.retriever.everyday.salience(word) >= self.tuning.followup_topic_salience
        if word in self.index.text.idf or word in self.index.meta.idf:
            return salient or not specific
        return salient and not plan_only

    def run(self, question: str, site: str | None, context: Context | None) -> Turn:
        """The turn read, classified and decided; with the rows its answer showed in substance."""
        turn = self._run(question, site, context)
        top = turn.decision.top
        if turn.decision.kind in (Kind.ANSWER, Kind.FOLLOWUP) and top is not None and len(top.linked) > 1:
            rows = [e for e in map(self._entry, top.linked) if e is not None]
            return replace(turn, restating=tuple(restated(top, turn.decision.key, rows)))
        return turn

    def _run(self, question: str, site: str | None, context: Context | None) -> Turn:
        alone = self.reader.read(question)
        shown = self._entry(context.entry_ids[0]) if context is not None and context.entry_ids else None
        plan = plan_turn(alone, context, self.names_topic, shown.text if shown is not None else "",
                         (shown.roles or "") if shown is not None else "")
        move = plan.move
        if move == Move.NEW and plan.text:  # a fresh start with a question: the question without the reset words
            question = plan.text
            alone = self.reader.read(question)
        if move == Move.RESET:
            return Turn(alone, Decision(Kind.GREETING), plan)
        if move == Move.NO_MORE:
            return Turn(alone, Decision(Kind.NO_MORE), plan)
        if move in REREAD and plan.text:
            query = self._reread(plan, alone)
            decision = self.decide(query, None, plan.offset)
            if plan.soft and _silent(decision):
                return self._new(question, alone, site, plan)
            return Turn(query, decision, plan)
        if plan.first and context is not None:
            plan = replace(plan, entry_id=self._first_shown(context, plan.region))
        current = shown if shown is not None and plan.entry_id == shown.id else self._entry(plan.entry_id)
        if move in (Move.SAME_CLAUSE, Move.SOURCE) and current is not None:
            query = replace(alone, intent=plan.intent) if plan.intent else alone
            return Turn(query, self.decide(query, current), plan)
        if move == Move.MORE and context is not None:
            return self._more(plan, alone, context, shown)
        on_clause = {Move.NEXT: self._next, Move.CONFIRM: self._confirm, Move.COMPARE: self._compare}.get(move)
        if on_clause is not None and current is not None and context is not None:
            return on_clause(plan, alone, current, context)
        return self._new(question, alone, site, plan)

    # -- moves ---------------------------------------------------------------------------------------
    def _new(self, question: str, alone: Query, site: str | None, plan: TurnPlan) -> Turn:
        """A question of its own; one naming no region is read in the site's region first."""
        if site and not alone.regions and not alone.unknown_region:
            query = self.reader.read(question, region=site)
            if query.regions:
                decision = self.decide(query, None)
                if not _silent(decision):
                    return Turn(query, decision, replace(plan, move=Move.NEW))
                fallback = self.decide(alone, None)
                if not _silent(fallback):
                    return Turn(alone, fallback, replace(plan, move=Move.NEW), site_region=query.region)
                return Turn(query, decision, replace(plan, move=Move.NEW))
        return Turn(alone, self.decide(alone, None), replace(plan, move=Move.NEW))

    def _more(self, plan: TurnPlan, alone: Query, context: Context, current: Entry | None) -> Turn:
        """The best clause on the conversation's topic, in its plan, not yet shown (`current`: the one shown last)."""
        query = self._reread(plan, alone)
        if query.year is None and context.year and not query.year_not_held:
            query = replace(query, year=context.year)
        intent = Intent.WHAT  # another clause on the topic: ranked by the topic, not by a unit or deadline
        query = replace(query, intent=intent)
        ranked = self.retriever.search(query)
        floor = max(self.tuning.min_score, self.tuning.more_coverage)
        in_plans = tuple(t for t in query.topic if t in self.index.text.idf)  # a word no clause holds picks none
        at = next_unseen(ranked.candidates, context.shown or context.entry_ids[:1], current, context.region, floor,
                         in_plans)
        if at is None:
            return self._rest_of(query, plan, current, context) or Turn(query, Decision(Kind.NO_MORE), plan)
        chosen = ranked.candidates[at]
        rest = tuple(c for i, c in enumerate(ranked.candidates) if i != at)
        key = decide.key_sentence(chosen.entry.text, query.bigrams)
        return Turn(query, Decision(Kind.ANSWER, intent, (chosen, *rest), key=key), plan)

    def _rest_of(self, query: Query, plan: TurnPlan, current: Entry | None, context: Context) -> Turn | None:
        """No other clause on the topic: what else the clause shown says ("What else does that part say?"
        after a long row), led by the sentence after the one its answer led with; None for a one-sentence
        clause or one from another region."""
        if current is None or (context.region and current.region != context.region) or context.read_on == current.id:
            return None
        sentences = decide.sentences(current.text)
        if len(sentences) < 2:
            return None
        led = decide.key_sentence(current.text, query.bigrams) or sentences[0]
        after = sentences.index(led) + 1 if led in sentences else 1
        pos = self.index.position(current.id)
        if pos is None:
            return None
        chosen = Candidate(current, pos, 1.0, 1.0)
        key = sentences[after % len(sentences)]
        return Turn(query, Decision(Kind.ANSWER, Intent.WHAT, (chosen,), key=key), replace(plan, move=Move.REST))

    def _next(self, plan: TurnPlan, alone: Query, current: Entry, context: Context) -> Turn:
        """The item after the current one in its plan (a body clause after a body clause, a table row after a
        row), skipping what was shown; none after the plan's last. Asked of the part shown ("What else does that
        section say?"), an item of the same section, after the current one and then before it."""
        seen = set(context.shown) | {current.id}
        intent = plan.intent or Intent.WHAT
        query = replace(alone, intent=intent)
        for pos in self._after(current, plan.in_section):
            e = self.index.entries[pos]
            if e.kind == current.kind and e.id not in seen and (not plan.in_section or e.section == current.section):
                chosen = Candidate(e, pos, 1.0, 1.0)
                return Turn(query, Decision(Kind.ANSWER, intent, (chosen,), key=decide.key_sentence(e.text, ())), plan)
        if plan.in_section and plan.text:  # the section holds nothing more: more on the conversation's topic
            return self._more(plan, alone, context, current)
        return Turn(query, Decision(Kind.NO_MORE), plan)

    def _after(self, current: Entry, wrap: bool) -> list[int]:
        """Positions of the current entry's plan after it, then (`wrap`: a section asked for as a whole) before it."""
        entries = self.index.entries
        at = self.index.position(current.id)
        if at is None:
            return []
        end = at + 1
        while end < len(entries) and entries[end].doc == current.doc:
            end += 1
        start = at
        while wrap and start > 0 and entries[start - 1].doc == current.doc:
            start -= 1
        return [*range(at + 1, end), *range(start, at)]

    def _confirm(self, plan: TurnPlan, alone: Query, current: Entry, context: Context) -> Turn:
        """A yes/no check: on the clause the turn's own topic finds (searched without the presumed
        department, in the conversation's plan), else on the current clause."""
        assert plan.presumption is not None and plan.intent is not None
        decision: Decision | None = None
        query = replace(alone, intent=plan.intent)
        if plan.text:
            found = replace(self._reread(plan, alone), departments=(), intent=plan.intent)
            if found.year is None and context.year:
                found = replace(found, year=context.year)
            searched = decide.after_search(found, self.retriever.search(found), self.tuning, grouping=False)
            if searched.kind == Kind.ANSWER:
                query, decision = found, searched
        if decision is None:
            decision = self.decide(query, current)
        assert decision.top is not None
        verdict = check(decision.top, plan.presumption, self.index.departments.matches, context.year)
        return Turn(query, decision, plan, verdict)

    def _compare(self, plan: TurnPlan, alone: Query, current: Entry, context: Context) -> Turn:
        """Two plans compared: "which of the two says X" — X searched in both, the plan that says it best;
        "which is sooner" — the clause shown, set against the last one shown from the other plan."""
        other = self._other_plan(current, context)
        intent = plan.intent or Intent.WHAT
        if other is None:  # one plan so far: a question about the clause shown
            query = replace(alone, intent=intent)
            return Turn(query, self.decide(query, current), replace(plan, move=Move.SAME_CLAUSE))
        if plan.text:
            readings = [replace(self.reader.read(plan.text, region=e.region), raw=alone.raw, lang=alone.lang,
                                intent=intent, year=e.year) for e in (current, other)]
            decided = [(query, self.decide(query, None)) for query in readings]
            answered = [(d.candidates[0].score, q, d) for q, d in decided if d.kind == Kind.ANSWER and d.candidates]
            if not answered:  # neither plan says it: the decline of the conversation's own plan
                return Turn(decided[0][0], decided[0][1], plan)
            _, query, decision = max(answered, key=lambda a: a[0])
            return Turn(query, decision, plan)
        query = replace(alone, intent=intent)
        return Turn(query, self.decide(query, current), plan, compared=other)

    def _first_shown(self, context: Context, region: str | None) -> str | None:
        """The first clause the conversation showed (from `region`, when one is named)."""
        for entry_id in context.shown:
            e = self._entry(entry_id)
            if e is not None and (region is None or e.region == region):
                return e.id
        return None

    def _other_plan(self, current: Entry, context: Context) -> Entry | None:
        """The clause shown last from another plan than the current clause's (another region or year): the
        first of the last run of that plan's clauses in `context.shown` (a turn's answer, then what it linked)."""
        found: Entry | None = None
        for entry_id in reversed(context.shown):
            e = self._entry(entry_id)
            if e is None:
                continue
            if found is not None and e.doc != found.doc:
                break
            if e.doc != current.doc:
                found = e
        return found

    # -- stages --------------------------------------------------------------------------------------
    def _reread(self, plan: TurnPlan, alone: Query) -> Query:
        """The move's text read in the move's region, as the turn's own words, language and intent."""
        assert plan.text is not None
        query = replace(self.reader.read(plan.text, region=plan.region), raw=alone.raw, lang=alone.lang)
        return replace(query, intent=plan.intent) if plan.intent is not None else query

    def _entry(self, entry_id: str | None) -> Entry | None:
        pos = self.index.position(entry_id) if entry_id else None
        return None if pos is None else self.index.entries[pos]

    def decide(self, query: Query, followup: Entry | None, offset: int = 0) -> Decision:
        early = decide.before_search(query, followup)
        if early is not None:
            return _in_scope(early, query, self.tuning)
        if query.intent == Intent.LIST:
            return decide.listing(query, self.tasks.gather(query, offset))
        ranked = rerank(query, self.retriever.search(query), self._glosses, self.tuning)
        decision = decide.after_search(query, ranked, self.tuning, self.grouping, self.retriever)
        return _in_scope(decision, query, self.tuning)


def _in_scope(decision: Decision, query: Query, tuning: Tuning) -> Decision:
    """The scope rules of a first question, for every turn: a follow-up on the clause shown ("那我怎么申请？",
    "这个要多少天办完？") asking for an amount, a contact, a procedure or a period the clause does not state is
    declined as the question alone would be. And a when-question whose clause states no date, deadline,
    period or timing word ("By when?" on a clause the plan leaves open) is not answered either: the plans
    set none, said plainly with the clause, as for "how long"."""
    top = decision.top
    if decision.kind not in (Kind.ANSWER, Kind.FOLLOWUP) or top is None:
        return decision
    reason = decide.scope_reason(query, top, decision.period, tuning)
    if reason is None and decision.intent == Intent.WHEN and not _dated(decision, top, query):
        reason = decide.Reason.DURATION
    if reason is None and decision.intent == Intent.WHEN and not top.deadline and decision.period is None:
        # no deadline, but the clause says how often ("按季度向社会公开…"): that answers when, shown as such
        decision = replace(decision, period=stated_period(decision.key or top.text, True))
    return decision if reason is None else replace(decision, kind=Kind.DECLINE, reason=reason)


def _dated(decision: Decision, top: Entry, query: Query) -> bool:
    """Whether the clause states a date, a deadline, a period or how often ("按季度向社会公开…": quarterly is when),
    or a timing word in the sentence that answers ("会议结束后及时公开"; not "持续做好" elsewhere in the clause)."""
    key = decision.key or decide.key_sentence(top.text, query.bigrams) or ""
    return bool(top.deadline or decision.period or stated_period(top.text, True)
                or vocab.COMPLETION_DATE.search(top.text) or vocab.NO_COMPLETION_DATE.search(key))


def _silent(decision: Decision) -> bool:
    """A decline meaning "this plan says nothing on it" (another region's plan may)."""
    return decision.kind in decide.DECLINES and decision.reason in decide.SILENT
