"""Stage 4, *compose*: a `Decision` -> the `Answer` a person reads, in Chinese or English.

The direct answer first (units, deadline or the period asked for, the key sentence), then the clause —
verbatim, or an excerpt when it is long, the whole text one step away in `results[0].text` and the cited
clause — then its source; honest declines keyed by `Reason`, with what the plans do say and where to ask
instead. Strings come from bot/engine/wording.py. Adapters show `Answer.reply` as is (the widget and kiosk also
show `units`/`deadline` and the clause apart).
Neighbours: bot/engine/decide.py makes the Decision; bot/engine/conversation.py the next context.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from bot.engine.answer import Answer, Context, Intent, Result, Topic
from bot.engine.conversation import Verdict
from bot.engine.decide import Decision, Kind, Reason
from bot.engine.moves import Move
from bot.engine.turns import Turn
from bot.engine.understand import Query
from bot.engine.wording import MONTHS, deadline_en, labels, words
from bot.language.vocabulary import (
    FOLLOWUP_FILLERS,
    LAST_YEAR,
    LEADING_CLAUSE_NUMBER,
    STATES_FREQUENCY,
    STATES_PERIOD,
    THIS_YEAR,
    is_generic,
)
from indexer.fields import deadline_in_text
from indexer.model import Entry

LEAD_CHARS = 200  # a reply leads with at most this much: the direct answer and the key sentence
EXCERPT_CHARS = 120  # a long clause is quoted up to here; the whole text is one step away
HELD_SHOWN = 8  # a scope decline names this many plans held, then "等N份"
POINT_CHARS = 90  # the answer card's key point: a sentence of the clause, cut at a boundary
QUOTE_CHARS = 16  # a decline quotes at most this much of the question (its topic words), never the message


def citation(entry: Entry, lang: str = "zh") -> str:
    """《plan title》 + where in it: 附件任务表第21项（section）or 一.(五)（section）."""
    lab = labels(lang)
    title = f"《{entry.title}》" if entry.title else entry.doc
    where = lab["row"].format(entry.number.split(".", 1)[-1]) if entry.kind == "task" else entry.number
    section = f"（{entry.section}）" if entry.section else ""
    return f"{title} {where}{section}"


def _units_line(entry: Entry, lang: str) -> str:
    lab = labels(lang)
    if not entry.responsible:
        return f"{lab['units']}{lab['colon']}{lab['none_units']}"
    line = f"{lab['units']}{lab['colon']}{'、'.join(entry.responsible)}"
    if entry.roles and any(k in entry.roles for k in ("牵头", "配合", ":", "：")):
        line += lab["roles"].format(entry.roles)
    return line


def show_deadline(text: str, lang: str) -> str:
    return deadline_en(text) if lang == "en" else text


def _deadline_line(entry: Entry, lang: str, deadline: str | None = None) -> str:
    lab = labels(lang)
    shown = deadline or entry.deadline
    return f"{lab['deadline']}{lab['colon']}{show_deadline(shown, lang) if shown else lab['none_deadline']}"


def _clause_line(entry: Entry, lang: str, key: str | None) -> str:
    """The clause verbatim, or when long an excerpt (around the key sentence when there is one)."""
    lab = labels(lang)
    text = entry.text
    if len(text) <= LEAD_CHARS:
        return f"{lab['clause']}{lab['colon']}“{text}”"
    start = text.find(key) if key else -1
    piece = text[start:start + EXCERPT_CHARS] if start > 0 else text[:EXCERPT_CHARS]
    lead = "…" if start > 0 else ""
    return f"{lab['excerpt']}{lab['colon']}“{lead}{piece}…”{lab['full'].format(n=len(text))}"


def single(entry: Entry, intent: Intent, lang: str, related: list[Entry], corrected: str | None = None,
           key: str | None = None, deadline: str | None = None, period: str | None = None) -> str:
    """One answer: direct answer line(s), the clause, the citation, and up to two related entries.

    For "what" questions over a long clause, `key` (the best-matching sentence) comes first; `deadline`
    overrides the entry's own when the question's sentence states a different time requirement;
    `period` answers a how-long question."""
    lab = labels(lang)
    lines: list[str] = []
    if corrected:
        lines.append(lab["corrected"].format(corrected))
    if period:
        label = lab["period"] if STATES_PERIOD.search(period) else lab["frequency"]
        lines.append(f"{label}{lab['colon']}{show_deadline(period, lang)}")
    if key and intent == Intent.WHAT:
        lines.append(f"{lab['key']}{lab['colon']}{_trim(key, LEAD_CHARS)}")
    if intent == Intent.WHEN:
        if not period or (deadline or entry.deadline or "") not in ("", period):
            lines.append(_deadline_line(entry, lang, None if deadline == period else deadline))
        if key:
            lines.append(f"{lab['key']}{lab['colon']}{_trim(key, LEAD_CHARS)}")
        lines.append(_units_line(entry, lang))
    else:
        lines.append(_units_line(entry, lang))
        if entry.deadline or intent == Intent.WHO:
            lines.append(_deadline_line(entry, lang))
    lines.append(_clause_line(entry, lang, key))
    lines.append(f"{lab['source']}{lab['colon']}{citation(entry, lang)}")
    if related:
        lines.append(f"{lab['related']}{lab['colon']}")
        for r in related[:2]:
            lines.append(f"· {short(r)}（{citation(r, lang)}）")
    return "\n".join(lines)


def _trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def by_region(best: list[Entry], intent: Intent, lang: str) -> str:
    """Several plans answer and the question named no region: one short answer per region."""
    lab = labels(lang)
    lines = [lab["by_region"]]
    for e in best:
        direct = []
        if intent in (Intent.WHO, Intent.WHAT, Intent.LIST) and e.responsible:
            direct.append(f"{lab['units']}{lab['colon']}{'、'.join(e.responsible)}")
        if intent == Intent.WHEN or e.deadline:
            direct.append(f"{lab['deadline']}{lab['colon']}{show_deadline(e.deadline, lang) if e.deadline else lab['none_deadline']}")
        lines.append(f"【{e.region or e.doc}】" + ("；".join(direct) if direct else ""))
        lines.append(f"  {_clause_line(e, lang, None)}")
        lines.append(f"  {lab['source']}{lab['colon']}{citation(e, lang)}")
    return "\n".join(lines)


def short(entry: Entry, limit: int = 60) -> str:
    return _trim(entry.text.replace("\n", ""), limit)


def listing(entries: list[Entry], header: str, lang: str, shown_per_plan: int = 12, first: int = 1) -> str:
    """A list answer grouped by plan, capped per plan so it stays readable; numbered from `first`
    (a later page continues the numbering)."""
    lab = labels(lang)
    groups: OrderedDict[str, list[Entry]] = OrderedDict()
    for e in entries:
        groups.setdefault(f"{e.title or e.doc}", []).append(e)
    lines = [header]
    for title, items in groups.items():
        lines.append(f"《{title}》（{len(items)}项）" if lang != "en" else f"《{title}》 ({len(items)})")
        for i, e in enumerate(items[:shown_per_plan], first if len(groups) == 1 else 1):
            extra = []
            if e.deadline:
                extra.append(f"{lab['deadline']}{lab['colon']}{show_deadline(e.deadline, lang)}")
            if e.responsible:
                extra.append(f"{lab['units']}{lab['colon']}{'、'.join(e.responsible[:4])}{'等' if len(e.responsible) > 4 else ''}")
            tail = f"（{'；'.join(extra)}）" if extra else ""
            lines.append(f"{i}. {short(e)}{tail}")
        if len(items) > shown_per_plan:
            lines.append(lab["more"].format(len(items) - shown_per_plan))
    return "\n".join(lines)


def decline(reason: str, lang: str, close_topics: list[str], hotline: str, lab_key: str = "decline_close") -> str:
    """An honest "the plans do not say", with close topics (or questions) and where to ask instead."""
    lab = labels(lang)
    lines = [reason, lab["decline_scope"]]
    if close_topics:
        lines.append(lab[lab_key] + ("；" if lang != "en" else "; ").join(close_topics[:3]))
    lines.append(lab["decline_hotline"].format(hotline=hotline))
    return "\n".join(lines)


def brief(reply: str, lang: str) -> str:
    """The reply without its direct-answer, clause, source and related lines, for pages that show those
    apart (badges, a citation box, question chips): what is left is the reading note, if any."""
    lab = labels(lang)
    heads = tuple(f"{lab[k]}{lab['colon']}" for k in ("units", "deadline", "clause", "excerpt", "source"))
    kept = []
    for line in reply.split("\n"):
        if line.startswith(f"{lab['related']}{lab['colon']}"):
            break  # related clauses: the pages offer them as question chips instead
        if not line.startswith(heads):
            kept.append(line)
    return "\n".join(kept).strip()


def point(entry: Entry, key: str | None) -> str:
    """What the answer card leads with: the sentence the question matched, else the clause's opening
    sentence, cut at a sentence or clause boundary (the whole clause is one tap away)."""
    text = (key or entry.text).replace("\n", "").strip()
    if len(text) <= POINT_CHARS:
        return text
    cut = max(text.rfind(p, 0, POINT_CHARS) for p in "。；，、")
    return text[: cut + 1].rstrip("，、") + "…" if cut >= POINT_CHARS // 3 else text[:POINT_CHARS - 1] + "…"


def verdict_line(v: Verdict, lang: str) -> str:
    """A yes/no answer first: "是的，完成时限是……" / "不是，这项由……共同负责"."""
    lab = labels(lang)
    units = "、".join(v.units) if lang != "en" else ", ".join(v.units)
    if v.about == "units":
        if v.yes is None:
            return lab["unknown_units"]
        if v.yes:
            key = "yes_units_with" if v.others else ("yes_units_only" if len(v.units) <= 1 else "yes_units")
            return lab[key].format(units=units, presumed=v.presumed, others="、".join(v.others))
        return lab["no_units_shared" if len(v.units) > 1 else "no_units"].format(units=units)
    if v.yes is None or not v.deadline:
        return lab["unknown_deadline"]
    often = bool(STATES_FREQUENCY.fullmatch(v.deadline))  # how often the clause says, not a deadline
    key = ("yes_" if v.yes else "no_") + ("often" if often else "deadline")
    return lab[key].format(deadline=show_deadline(v.deadline, lang))


def _leads(top: Entry, query: Query, intent: Intent, turn: Turn | None) -> list[str]:
    """What a reply and its card open with: a yes/no verdict, where the clause comes from, a comparison, the
    move that led to it ("another clause on this topic"), the part of a row's units asked about, and a
    note when the site's own region was silent."""
    lang = query.lang
    lab = labels(lang)
    move = turn.plan.move if turn is not None and turn.plan is not None else None
    leads = []
    if turn is not None and turn.verdict is not None:
        leads.append(verdict_line(turn.verdict, lang))
    if move == Move.SOURCE:
        leads.append(lab["source_lead"].format(citation=citation(top, lang)))
    if turn is not None and turn.compared is not None:
        leads.append(comparison_line(top, turn.compared, lang))
    if move in (Move.MORE, Move.REST):
        leads.append(lab["more_lead" if move == Move.MORE else "rest_lead"])
    part = part_line(top, query, lang) if intent == Intent.WHO and top.roles else None
    if part:
        leads.append(part)
    if turn is not None and turn.site_region and top.region:
        leads.append(lab["site_elsewhere"].format(site=turn.site_region, region=top.region))
    return leads


def part_line(entry: Entry, query: Query, lang: str) -> str | None:
    """The units of the part of a row's responsibility cell the question names ("自然灾害类专项预案:区应急局、…"
    when asked about natural-disaster plans), or None: a part is named by a topic word that not every part has."""
    parts = [p.replace("：", ":").split(":", 1) for p in re.split(r"[；;]", entry.roles or "") if ":" in p or "：" in p]
    if len(parts) < 2:
        return None
    names = [name for name, _ in parts]
    words = [t for t in query.topic if len(t) >= 2 and not all(t in name for name in names)]
    scores = [sum(len(t) for t in words if t in name) for name in names]
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return None
    label, units = parts[scores.index(best)]
    return labels(lang)["part_units"].format(part=label.strip(), units=units.strip())


def comparison_line(mine: Entry, theirs: Entry, lang: str) -> str:
    """Two plans' clauses set side by side by deadline, the other one referred to as "the one before" (the
    conversation named it; the reply stays with the clause it cites)."""
    lab = labels(lang)

    def said(e: Entry) -> str:
        return show_deadline(e.deadline, lang) if e.deadline else lab["compare_unset"]

    line = lab["compare"].format(mine=said(mine), theirs=said(theirs))
    if not (mine.due and theirs.due):
        return line + lab["compare_undated"]
    order = "compare_same" if mine.due == theirs.due else ("compare_mine" if mine.due < theirs.due else "compare_theirs")
    return line + lab[order]


def quoted_topic(query: Query, limit: int = QUOTE_CHARS) -> str:
    """At most a short quote of what the question is about — its specific topic words, whole words only —
    never the message itself ("" when nothing specific is left or it would run long)."""
    words_ = [t for t in query.topic
              if len(t) >= 2 and not is_generic(t) and not t.isascii() and t not in FOLLOWUP_FILLERS]
    kept = [t for t in words_ if not any(t != o and t in o for o in words_)]
    out = ""
    for t in kept:
        nxt = f"{out}、{t}" if out else t
        if len(nxt) > limit:
            break
        out = nxt
    return out


def topic_of(entry: Entry) -> str:
    """A short topic name for an entry: its own heading, else its last section level, else its text."""
    for candidate in (entry.heading, entry.section.split(" > ")[-1] if entry.section else ""):
        c = LEADING_CLAUSE_NUMBER.sub("", (candidate or "").strip()).strip("。；")
        if 3 <= len(c) <= 30:
            return c
    text = re.split(r"[，。；]", entry.text, maxsplit=1)[0]
    return text[:24]


def sentence_deadline(entry: Entry, key: str | None) -> str | None:
    """For a body clause with no task-table row, the time requirement of the sentence the question
    is about (a long clause can state several; the indexer keeps only its first)."""
    if entry.kind != "clause" or entry.linked or not key:
        return None
    return deadline_in_text(key)


@dataclass(frozen=True)
class Composer:
    """Renders Decisions for one deployment: its hotline, the plans it holds and its featured questions."""

    hotline: str
    holdings: tuple[tuple[str, int | None], ...]  # (region, year) of every plan held
    featured: tuple[Topic, ...]
    top_k: int
    max_question_chars: int
    list_shown: int = 12

    def render(self, raw: str, query: Query | None, decision: Decision, context: Context,
               turn: Turn | None = None) -> Answer:
        """The Answer for a decision; `context` is what the conversation carries into the next turn, `turn`
        the move that led to it (a confirmation's verdict, "more", a reset)."""
        if query is not None and decision.kind in (Kind.ANSWER, Kind.FOLLOWUP, Kind.BY_REGION):
            return self._single(raw, query, decision, context, turn)
        if query is not None and decision.kind == Kind.LIST:
            return self._list(raw, query, decision, context)
        if query is not None and decision.kind in (Kind.DECLINE, Kind.NEAREST):
            return self._decline(raw, query, decision, context)
        lang = query.lang if query is not None else _language_of(raw)
        move = turn.plan.move if turn is not None and turn.plan is not None else None
        key: str = decision.kind
        if move == Move.RESET:
            key = "reset"
        elif move == Move.MORE and decision.kind == Kind.NO_MORE:
            key = "more_done"
        text = words(lang)[key].format(hotline=self.hotline, n=len(raw.strip()), limit=self.max_question_chars)
        return Answer(question=raw, intent=Intent.NONE, answered=False, reply=text,
                      suggestions=self.featured_questions(3), lang=lang, context=context)

    def featured_questions(self, n: int) -> list[str]:
        return [t.questions[0] for t in self.featured if t.questions][:n]

    def _single(self, raw: str, query: Query, d: Decision, context: Context, turn: Turn | None = None) -> Answer:
        top = d.candidates[0].entry
        lang, intent = query.lang, d.intent
        lab = labels(lang)
        leads = _leads(top, query, intent, turn)
        corrected = ("、".join(f"“{b}”（{a}）" for a, b in query.corrections)
                     if query.corrections and lang != "en" else None)
        deadline: str | None = None
        if d.kind == Kind.BY_REGION:
            reply = by_region(list(d.grouped), intent, lang)
            brief_text = reply
        else:
            key = d.key if intent in (Intent.WHAT, Intent.WHEN) else None
            deadline = d.period or (sentence_deadline(top, key) if intent == Intent.WHEN else None)
            reply = single(top, intent, lang, list(d.related), corrected, key, deadline, d.period)
            brief_text = brief(reply, lang)
            point_head = f"{lab['key']}{lab['colon']}"
            if point_head not in brief_text:  # the card leads with what was matched, units and deadline beside it
                brief_text = "\n".join(x for x in (brief_text, point_head + point(top, key)) if x)
        if leads:
            reply, brief_text = "\n".join([*leads, reply]), "\n".join([*leads, brief_text]).strip()
        if query.year_relative and top.year:
            note = labels(lang)["relative_year"].format(said=_relative_word(query.raw), region=top.region or "",
                                                        year=top.year)
            reply, brief_text = f"{reply}\n{note}", f"{brief_text}\n{note}".strip()
        return Answer(question=raw, intent=intent, answered=True, reply=reply,
                      results=[Result(c.entry, c.score) for c in d.candidates[: self.top_k]],
                      suggestions=self._suggestions_for(top, list(d.related), intent), units=list(top.responsible),
                      deadline=deadline or top.deadline, citation=citation(top, lang), lang=lang,
                      region=top.region, context=context, brief=brief_text)

    def _list(self, raw: str, query: Query, d: Decision, context: Context) -> Answer:
        assert d.tasks is not None
        tasks, lab = d.tasks, labels(query.lang)
        entries = list(tasks.entries)
        header = self._list_header(query, tasks.plan_total)
        notes = []
        if tasks.total > len(entries) or tasks.offset:
            notes.append(lab["list_total"].format(total=tasks.total, first=tasks.offset + 1,
                                                  last=tasks.offset + len(entries)))
        if tasks.undated:
            notes.append(lab["list_undated"].format(n=tasks.undated))
        reply = listing(entries, header, query.lang, self.list_shown, first=tasks.offset + 1)
        if notes:
            reply = "\n".join([reply, *notes])
        return Answer(question=raw, intent=Intent.LIST, answered=True, reply=reply,
                      results=[Result(e, 1.0) for e in entries], suggestions=self.featured_questions(2),
                      lang=query.lang, region=tasks.region, context=context)

    def _list_header(self, query: Query, plan_total: int) -> str:
        w = words(query.lang)
        if query.until is not None:
            d = query.until
            key = "due_month" if query.month_only else "due_date"
            what = w[key].format(year=d.year, month=d.month, day=d.day, month_name=MONTHS[d.month - 1])
            return w["due_header"].format(what=what)
        if query.departments:
            return w["department_header"].format(department=query.departments[0])
        return w["region_header"].format(region=query.region, n=plan_total)

    def _decline(self, raw: str, query: Query, d: Decision, context: Context) -> Answer:
        """An honest decline: why, what the plans cover, real questions to ask instead (chips on the pages)
        and the hotline. The reply never echoes the message."""
        lang = query.lang
        asks = self.questions_near(query, 3)
        reason = self._reason_text(query, d)
        reply = decline(reason, lang, asks, self.hotline, lab_key="decline_ask")
        card = decline(reason, lang, [], self.hotline)  # the pages show the questions as chips
        return Answer(question=raw, intent=query.intent, answered=False, reply=reply,
                      results=[Result(c.entry, c.score) for c in d.candidates[: self.top_k]],
                      suggestions=asks, lang=lang, region=query.region, context=context, brief=card)

    def questions_near(self, query: Query, n: int) -> list[str]:
        """Featured questions (real questions the plans answer) of the region the question or the site
        is about — those sharing most of the question's topic pairs first — deduplicated."""
        region = query.region
        pool = list(dict.fromkeys(q for t in self.featured for q in t.questions))
        if region:
            pool = [q for q in pool if region in q or region[:-1] in q] or pool
        pairs = set(query.bigrams)
        ranked = sorted(pool, key=lambda q: -sum(1 for b in pairs if b in q))
        return ranked[:n]

    def _reason_text(self, query: Query, d: Decision) -> str:
        w, lang = words(query.lang), query.lang
        assert d.reason is not None
        held_for = query.regions if d.reason == Reason.YEAR_NOT_HELD else ()
        quote = quoted_topic(query)
        asked = w["quoted"].format(quote) if quote else w["unquoted"]
        text = w[d.reason].format(place=query.unknown_region, question=asked, year=query.year_not_held,
                                  held=self._held(lang, held_for))
        top = d.top
        if d.reason == Reason.HOW_TO and top is not None and top.responsible:
            text += w["how_to_who"].format(units="、".join(top.responsible), citation=citation(top, lang))
        if d.kind == Kind.NEAREST and top is not None:  # issue 20: the nearest clause, said to be only that
            text = w["nearest_rule"].format(citation=citation(top, lang), text=_trim(d.key or top.text, EXCERPT_CHARS),
                                            question=asked)
        if d.reason == Reason.DURATION and top is not None:
            text += w["nearest"].format(citation=citation(top, lang), text=_trim(d.key or top.text, EXCERPT_CHARS))
        return text

    def _held(self, lang: str, regions: tuple[str, ...]) -> str:
        """The plans held (of `regions`, or all), bounded: "槐荫区2022年、历城区2023年等12份"."""
        w = words(lang)
        held = [h for h in self.holdings if h[0] in regions] if regions else self.holdings
        shown = w["sep"].join(w["held_item"].format(region=r, year=y or "") for r, y in held[:HELD_SHOWN])
        return shown + (w["held_more"].format(n=len(held), more=len(held) - HELD_SHOWN)
                       if len(held) > HELD_SHOWN else "")

    def _question_for(self, entry: Entry, intent: Intent) -> str:
        w = words("zh")
        key = "ask_when" if intent == Intent.WHEN else "ask_who"
        return w[key].format(where=entry.region or "", topic=topic_of(entry))

    def _suggestions_for(self, top: Entry, related: list[Entry], intent: Intent) -> list[str]:
        out = []
        if intent != Intent.WHEN and top.deadline:
            out.append(self._question_for(top, Intent.WHEN))
        if intent != Intent.WHO and top.responsible:
            out.append(self._question_for(top, Intent.WHO))
        for r in related:
            out.append(self._question_for(r, Intent.WHO))
        return list(dict.fromkeys(out))[:4]


def _language_of(raw: str) -> str:
    """For replies made before the question is read (empty, too long): English when it has no hanzi."""
    return "en" if raw.strip() and not re.search(r"[\u4e00-\u9fff]", raw) else "zh"


def _relative_word(raw: str) -> str:
    m = THIS_YEAR.search(raw) or LAST_YEAR.search(raw)
    return m.group(0) if m else ""
