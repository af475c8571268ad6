"""Reply text for a person: the direct answer first, then the clause quoted verbatim, then its source.

Called by bot/engine.py with ranked entries; adapters show `Answer.reply` as is (the widget and kiosk
also show `units`/`deadline` prominently). Chinese by default, English labels for English questions,
with the plan's Chinese text always quoted as written.
"""
from __future__ import annotations

import re
from collections import OrderedDict

from bot.answer import Intent
from indexer.model import Entry

LIST_SHOWN = 12  # list replies show this many items per plan, then "…及另外N项"

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
