"""Stage 4, *compose*: a `Decision` -> the `Answer` a person reads, in Chinese or English.

The direct answer first, then the clause quoted verbatim, then its source; honest declines keyed by
`Reason` with close topics and where to ask instead. Every user-facing string of the pipeline lives
here (`WORDING`, `_LABELS`), keyed by decision kind or reason and language. Adapters show
`Answer.reply` as is (the widget and kiosk also show `units`/`deadline` and the clause apart).
Neighbours: bot/decide.py makes the Decision; bot/conversation.py the next context.
"""
from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from bot.answer import Answer, Context, Intent, Result, Topic
from bot.decide import Decision, Kind, Reason
from bot.understand import Query
from bot.vocabulary import LEADING_CLAUSE_NUMBER
from indexer.fields import deadline_in_text
from indexer.model import Entry

LIST_SHOWN = 12  # list replies show this many items per plan, then "…另有N项" (Tuning.list_shown)

_LABELS = {
    "zh": {
        "units": "负责单位", "deadline": "完成时限", "clause": "原文", "source": "出处", "related": "相关条款",
        "row": "附件任务表第{}项", "clause_no": "第{}条", "none_units": "（条款未写明责任单位）",
        "none_deadline": "（条款未写明完成时限）", "corrected": "已按{}理解您的问题。",
        "also": "其他地区", "more": "…另有{}项，可说明地区或部门缩小范围。", "key": "要点",
    },
    "en": {
        "units": "Responsible units", "deadline": "Deadline", "clause": "Clause (original Chinese)",
        "source": "Source", "related": "Related clauses", "row": "task table item {}", "clause_no": "clause {}",
        "none_units": "(the plan names no responsible unit for this clause)",
        "none_deadline": "(the plan sets no deadline for this clause)", "corrected": "Read as: {}.",
        "also": "Other regions", "more": "… and {} more; name a region or department to narrow it.",
        "key": "Key sentence",
    },
}


def labels(lang: str) -> dict[str, str]:
    return _LABELS["en" if lang == "en" else "zh"]


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
        return f"{lab['units']}：{lab['none_units']}"
    line = f"{lab['units']}：{'、'.join(entry.responsible)}"
    if entry.roles and any(k in entry.roles for k in ("牵头", "配合", ":", "：")):
        line += f"（原文：{entry.roles}）"
    return line


def _deadline_line(entry: Entry, lang: str, deadline: str | None = None) -> str:
    lab = labels(lang)
    return f"{lab['deadline']}：{deadline or entry.deadline or lab['none_deadline']}"


def key_sentence(text: str, bigrams: list[str]) -> str | None:
    """The sentence of a long clause that best matches the question (by shared character pairs), so a
    "what" answer can lead with it; None when the clause is short or nothing stands out."""
    sentences = [x for x in re.split(r"(?<=[。；！？])", text) if x.strip()]
    if len(sentences) < 2 or not bigrams:
        return None
    wanted = set(bigrams)

    def overlap(sentence: str) -> int:
        return sum(1 for b in wanted if b in sentence)

    best = max(sentences, key=overlap)
    return best.strip() if overlap(best) >= max(2, len(wanted) // 3) else None


def single(entry: Entry, intent: Intent, lang: str, related: list[Entry], corrected: str | None = None,
           key: str | None = None, deadline: str | None = None) -> str:
    """One answer: direct answer line(s), the clause, the citation, and up to two related entries.

    For "what" questions over a long clause, `key` (the best-matching sentence) comes first; `deadline`
    overrides the entry's own when the question's sentence states a different time requirement."""
    lab = labels(lang)
    lines: list[str] = []
    if corrected:
        lines.append(lab["corrected"].format(corrected))
    if key and intent == Intent.WHAT:
        lines.append(f"{lab['key']}：{key}")
    if intent == Intent.WHEN:
        lines.append(_deadline_line(entry, lang, deadline))
        if key:
            lines.append(f"{lab['key']}：{key}")
        lines.append(_units_line(entry, lang))
    else:
        lines.append(_units_line(entry, lang))
        if entry.deadline or intent == Intent.WHO:
            lines.append(_deadline_line(entry, lang))
    lines.append(f"{lab['clause']}：“{entry.text}”")
    lines.append(f"{lab['source']}：{citation(entry, lang)}")
    if related:
        lines.append(f"{lab['related']}：")
        for r in related[:2]:
            lines.append(f"· {short(r)}（{citation(r, lang)}）")
    return "\n".join(lines)


def by_region(best: list[Entry], intent: Intent, lang: str) -> str:
    """Several plans answer and the question named no region: one short answer per region."""
    lab = labels(lang)
    head = ("以下地区的政务公开工作要点都有相关规定，请按您所在地区查看："
            if lang != "en" else "Several districts' plans cover this; see yours:")
    lines = [head]
    for e in best:
        direct = []
        if intent in (Intent.WHO, Intent.WHAT, Intent.LIST) and e.responsible:
            direct.append(f"{lab['units']}：{'、'.join(e.responsible)}")
        if intent == Intent.WHEN or e.deadline:
            direct.append(f"{lab['deadline']}：{e.deadline or lab['none_deadline']}")
        lines.append(f"【{e.region or e.doc}】" + ("；".join(direct) if direct else ""))
        lines.append(f"  {lab['clause']}：“{e.text}”")
        lines.append(f"  {lab['source']}：{citation(e, lang)}")
    return "\n".join(lines)


def short(entry: Entry, limit: int = 60) -> str:
    text = entry.text.replace("\n", "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listing(entries: list[Entry], header: str, lang: str) -> str:
    """A list answer grouped by plan, capped per plan so it stays readable."""
    lab = labels(lang)
    groups: OrderedDict[str, list[Entry]] = OrderedDict()
    for e in entries:
        groups.setdefault(f"{e.title or e.doc}", []).append(e)
    lines = [header]
    for title, items in groups.items():
        lines.append(f"《{title}》（{len(items)}项）")
        for i, e in enumerate(items[:LIST_SHOWN], 1):
            extra = []
            if e.deadline:
                extra.append(f"{lab['deadline']}：{e.deadline}")
            if e.responsible:
                extra.append(f"{lab['units']}：{'、'.join(e.responsible[:4])}{'等' if len(e.responsible) > 4 else ''}")
            tail = f"（{'；'.join(extra)}）" if extra else ""
            lines.append(f"{i}. {short(e)}{tail}")
        if len(items) > LIST_SHOWN:
            lines.append(lab["more"].format(len(items) - LIST_SHOWN))
    return "\n".join(lines)


def decline(reason: str, lang: str, close_topics: list[str], hotline: str) -> str:
    """An honest "the plans do not say", with close topics and where to ask instead."""
    if lang == "en":
        lines = [reason, "The plans (政务公开工作要点) set out which department must disclose what, and by when;"
                 " they do not cover individual cases, fees or benefit amounts."]
        if close_topics:
            lines.append("Related topics the plans do cover: " + "; ".join(close_topics[:3]))
        lines.append(f"For other questions please call {hotline}.")
        return "\n".join(lines)
    lines = [reason, "政务公开工作要点规定的是各部门要公开哪些信息、何时完成，不包含具体办事流程、收费或补贴金额等内容。"]
    if close_topics:
        lines.append("您可以问问这些相关内容：" + "；".join(close_topics[:3]))
    lines.append(f"如需办事咨询，请拨打{hotline}或咨询相关部门。")
    return "\n".join(lines)


def brief(reply: str, lang: str) -> str:
    """The reply without its direct-answer, clause, source and related lines, for pages that show those
    apart (badges, a citation box, question chips): what is left is the reading note, if any."""
    lab = labels(lang)
    heads = tuple(f"{lab[k]}：" for k in ("units", "deadline", "clause", "source"))
    kept = []
    for line in reply.split("\n"):
        if line.startswith(f"{lab['related']}："):
            break  # related clauses: the pages offer them as question chips instead
        if not line.startswith(heads):
            kept.append(line)
    return "\n".join(kept).strip()


# --- whole replies from a Decision ---------------------------------------------------------------------
# Fixed replies and decline reasons, by language. {hotline}, {limit}, {n}, {place}, {regions}, {question}
# are filled in by `Composer`.
WORDING: dict[str, dict[str, str]] = {
    "zh": {
        Kind.GREETING: "您好！我可以回答本地区政务公开工作要点中的问题，例如某项信息公开由哪个部门负责、"
                       "什么时候完成、某部门有哪些公开任务。",
        Kind.EMPTY: "请输入您的问题，例如：“养老补贴信息公开由哪个部门负责？”",
        Kind.TOO_LONG: "问题太长（{n}字），请精简到{limit}字以内再问。",
        Kind.FAILED: "抱歉，暂时无法回答这个问题。请稍后再试，或拨打{hotline}。",
        Kind.ASK_TOPIC: "请说得具体一些，例如：“养老补贴信息公开由哪个部门负责？”",
        Reason.OUT_OF_SCOPE: "知识库中暂无“{place}”的政务公开工作要点（现有：{regions}）。",
        Reason.NO_MATCH: "抱歉，现有的政务公开工作要点中没有找到与“{question}”直接相关的内容。",
        Reason.AMOUNT: "政务公开工作要点中没有规定具体金额或补贴标准。",
        Reason.HOW_TO: "政务公开工作要点只规定哪些信息要公开，没有写具体的办理条件、材料和流程。",
        Reason.DURATION: "相关条款没有规定具体的期限或次数。",
        Reason.NO_TASKS: "没有找到符合条件的任务。",
        "how_to_who": "与此相关的信息公开由{units}负责（{citation}），可向其咨询。",
        "nearest": "最接近的条款见{citation}。",
        "due_header": "完成时限在{what}的任务：",
        "due_month": "{month}月底前",
        "department_header": "{department}负责的政务公开任务：",
        "region_header": "{region}政务公开工作要点的任务（共{n}项）：",
        "ask_when": "{where}{topic}的完成时限是什么？",
        "ask_who": "{where}{topic}由哪个部门负责？",
    },
    "en": {
        Kind.GREETING: "您好！我可以回答本地区政务公开工作要点中的问题，例如某项信息公开由哪个部门负责、"
                       "什么时候完成、某部门有哪些公开任务。",
        Kind.EMPTY: "请输入您的问题，例如：“养老补贴信息公开由哪个部门负责？”",
        Kind.TOO_LONG: "问题太长（{n}字），请精简到{limit}字以内再问。",
        Kind.FAILED: "抱歉，暂时无法回答这个问题。请稍后再试，或拨打{hotline}。",
        Kind.ASK_TOPIC: "请说得具体一些，例如：“养老补贴信息公开由哪个部门负责？”",
        Reason.OUT_OF_SCOPE: "The knowledge base has no plan for {place} (it covers {regions}).",
        Reason.NO_MATCH: "I could not find this in the government disclosure plans I know.",
        Reason.AMOUNT: "The plans do not state amounts or benefit levels.",
        Reason.HOW_TO: "The plans say which information must be published, not how to apply or what to bring.",
        Reason.DURATION: "The related clause sets no period or count.",
        Reason.NO_TASKS: "No matching tasks found.",
        "how_to_who": " Related information is published by {units} ({citation}).",
        "nearest": " Nearest clause: {citation}.",
        "due_header": "完成时限在{what}的任务：",
        "due_month": "{month}月底前",
        "department_header": "{department}负责的政务公开任务：",
        "region_header": "{region}政务公开工作要点的任务（共{n}项）：",
        "ask_when": "{where}{topic}的完成时限是什么？",
        "ask_who": "{where}{topic}由哪个部门负责？",
    },
}
for _lang in ("zh", "en"):
    WORDING[_lang][Reason.LOW_COVERAGE] = WORDING[_lang][Reason.NO_MATCH]


def words(lang: str) -> dict[str, str]:
    return WORDING["en" if lang == "en" else "zh"]


def topic_of(entry: Entry) -> str:
    """A short topic name for an entry: its own heading, else its last section level, else its text."""
    for candidate in (entry.heading, entry.section.split(" > ")[-1] if entry.section else ""):
        c = LEADING_CLAUSE_NUMBER.sub("", (candidate or "").strip()).strip("。；")
        if 3 <= len(c) <= 30:
            return c
    text = re.split(r"[，。；]", entry.text, maxsplit=1)[0]
    return text[:24]


@dataclass(frozen=True)
class Composer:
    """Renders Decisions for one deployment: its hotline, its regions and its featured questions."""

    hotline: str
    regions: tuple[str, ...]
    featured: tuple[Topic, ...]
    top_k: int
    max_question_chars: int

    def render(self, raw: str, query: Query | None, decision: Decision, context: Context) -> Answer:
        """The Answer for a decision; `context` is what the conversation carries into the next turn."""
        if decision.kind in (Kind.ANSWER, Kind.FOLLOWUP, Kind.BY_REGION):
            assert query is not None
            return self._single(raw, query, decision, context)
        if decision.kind == Kind.LIST:
            assert query is not None
            return self._list(raw, query, decision, context)
        if decision.kind == Kind.DECLINE:
            assert query is not None
            return self._decline(raw, query, decision, context)
        lang = query.lang if query is not None and decision.kind in (Kind.GREETING, Kind.ASK_TOPIC) else "zh"
        text = words(lang)[decision.kind].format(hotline=self.hotline, n=len(raw.strip()),
                                                 limit=self.max_question_chars)
        return Answer(question=raw, intent=Intent.NONE, answered=False, reply=text,
                      suggestions=self.featured_questions(3), lang=lang)

    def featured_questions(self, n: int) -> list[str]:
        return [t.questions[0] for t in self.featured if t.questions][:n]

    def _single(self, raw: str, query: Query, d: Decision, context: Context) -> Answer:
        top = d.candidates[0].entry
        lang, intent = query.lang, d.intent
        corrected = ("、".join(f"“{b}”（{a}）" for a, b in query.corrections)
                     if query.corrections and lang != "en" else None)
        deadline: str | None = None
        if d.kind == Kind.BY_REGION:
            reply = by_region(list(d.grouped), intent, lang)
            brief_text = reply
        else:
            key = key_sentence(top.text, list(query.bigrams)) if intent in (Intent.WHAT, Intent.WHEN) else None
            deadline = sentence_deadline(top, key) if intent == Intent.WHEN else None
            reply = single(top, intent, lang, list(d.related), corrected, key, deadline)
            brief_text = brief(reply, lang)
        return Answer(question=raw, intent=intent, answered=True, reply=reply,
                      results=[Result(c.entry, c.score) for c in d.candidates[: self.top_k]],
                      suggestions=self._suggestions_for(top, list(d.related), intent), units=list(top.responsible),
                      deadline=deadline or top.deadline, citation=citation(top, lang), lang=lang,
                      region=top.region, context=context, brief=brief_text)

    def _list(self, raw: str, query: Query, d: Decision, context: Context) -> Answer:
        assert d.tasks is not None
        entries = list(d.tasks.entries)
        reply = listing(entries, self._list_header(query, d.tasks.plan_total), query.lang)
        return Answer(question=raw, intent=Intent.LIST, answered=True, reply=reply,
                      results=[Result(e, 1.0) for e in entries], suggestions=self.featured_questions(2),
                      lang=query.lang, region=d.tasks.region, context=context)

    def _list_header(self, query: Query, plan_total: int) -> str:
        w = words(query.lang)
        if query.until is not None:
            what = w["due_month"].format(month=query.until.month) if query.month_only else query.until.isoformat()
            return w["due_header"].format(what=what)
        if query.departments:
            return w["department_header"].format(department=query.departments[0])
        return w["region_header"].format(region=query.region, n=plan_total)

    def _decline(self, raw: str, query: Query, d: Decision, context: Context) -> Answer:
        lang = query.lang
        entries = [c.entry for c in d.candidates]
        close: list[str] = []
        for e in entries[:6]:
            topic = topic_of(e)
            if topic and topic not in close:
                close.append(topic)
        reply = decline(self._reason_text(query, d), lang, close, self.hotline)
        suggestions = [self._question_for(e, Intent.WHO) for e in entries[:2]] or self.featured_questions(3)
        return Answer(question=raw, intent=query.intent, answered=False, reply=reply,
                      results=[Result(c.entry, c.score) for c in d.candidates[: self.top_k]],
                      suggestions=suggestions, lang=lang, region=query.region, context=context)

    def _reason_text(self, query: Query, d: Decision) -> str:
        w, lang = words(query.lang), query.lang
        assert d.reason is not None
        text = w[d.reason].format(place=query.unknown_region, question=query.raw[:40],
                                  regions=("、" if lang != "en" else ", ").join(self.regions))
        top = d.top
        if d.reason == Reason.HOW_TO and top is not None and top.responsible:
            text += w["how_to_who"].format(units="、".join(top.responsible), citation=citation(top, lang))
        if d.reason == Reason.DURATION and top is not None:
            text += w["nearest"].format(citation=citation(top, lang))
        return text

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


def sentence_deadline(entry: Entry, key: str | None) -> str | None:
    """For a body clause with no task-table row, the time requirement of the sentence the question
    is about (a long clause can state several; the indexer keeps only its first)."""
    if entry.kind != "clause" or entry.linked or not key:
        return None
    return deadline_in_text(key)
