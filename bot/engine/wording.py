"""Every user-facing string of the answer pipeline, in Chinese and English, keyed by label, decision kind
or decline reason; and deadlines as the plans write them, read out in English.

Used by bot/engine/compose.py only. Adding a language means one more table here, not edits in the stages.
"""
from __future__ import annotations

import re

from bot.engine.decide import Kind, Reason

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "colon": "：", "units": "负责单位", "deadline": "完成时限", "period": "期限", "frequency": "频次", "clause": "原文", "excerpt": "原文（节选）",
        "source": "出处", "related": "相关条款",
        "row": "附件任务表第{}项", "none_units": "（条款未写明责任单位）",
        "none_deadline": "（条款未写明完成时限）", "corrected": "已按{}理解您的问题。",
        "more": "…另有{}项，可说明地区或部门缩小范围。", "key": "要点",
        "full": "（全文{n}字，见出处条款）", "roles": "（原文：{}）",
        "relative_year": "（“{said}”按知识库中{region}最新的{year}年工作要点理解。）",
        "by_region": "以下地区的政务公开工作要点都有相关规定，请按您所在地区查看：",
        "decline_scope": "政务公开工作要点规定的是各部门要公开哪些信息、何时完成，不包含具体办事流程、收费或补贴金额等内容。",
        "decline_close": "您可以问问这些相关内容：", "decline_hotline": "如需办事咨询，请拨打{hotline}或咨询相关部门。",
        "list_total": "共{total}项，以下列出第{first}–{last}项；回复“下一页”看后面的，或说明部门、地区缩小范围。",
        "list_undated": "另有{n}项的完成时限为全年、长期或常态化等，没有具体完成日期，未列入。",
        "more_lead": "这方面的另一条规定：",
        "rest_lead": "这方面没有别的条款了，这一条还写到：",
        "source_lead": "这一条出自{citation}。",
        "part_units": "其中{part}：{units}。",
        "site_elsewhere": "（{site}的工作要点中没有找到，以下是{region}的规定。）",
        "decline_ask": "您可以这样问：",
        "yes_units_only": "是的，这项由{units}负责。", "yes_units": "是的，{presumed}是这项的负责单位。",
        "yes_units_with": "是的，{presumed}是负责单位之一，一起负责的还有{others}。",
        "no_units_shared": "不是，这项由{units}共同负责。", "no_units": "不是，这项由{units}负责。",
        "unknown_units": "条款没有写明这项由哪个单位负责。",
        "yes_deadline": "是的，完成时限是{deadline}。", "no_deadline": "不是，完成时限是{deadline}。",
        "unknown_deadline": "条款没有写明这项的完成时限。",
        "yes_often": "是的，条款写的是{deadline}。", "no_often": "不是，条款写的是{deadline}。",
        "compare": "比较：本条完成时限为“{mine}”，前面问到的那一条为“{theirs}”。", "compare_mine": "本条更早。",
        "compare_theirs": "前面那一条更早。", "compare_same": "两者同时。",
        "compare_undated": "其中没有具体完成日期的，无法比较早晚。", "compare_unset": "未写明",
    },
    "en": {
        "colon": ": ", "units": "Responsible units", "deadline": "Deadline", "period": "Period", "frequency": "Frequency", "clause": "Clause (original Chinese)",
        "excerpt": "Clause (original Chinese, excerpt)", "source": "Source", "related": "Related clauses",
        "row": "task table item {}", "none_units": "(the plan names no responsible unit for this clause)",
        "none_deadline": "(the plan sets no deadline for this clause)", "corrected": "Read as: {}.",
        "more": "… and {} more; name a region or department to narrow it.", "key": "Key sentence",
        "full": " (full text: {n} characters, see the source clause)", "roles": " (as written: {})",
        "relative_year": "(\"{said}\" read as the newest plan held for {region}: {year}.)",
        "by_region": "Several districts' plans cover this; see yours:",
        "decline_scope": "The plans (政务公开工作要点) set out which department must disclose what, and by when;"
                         " they do not cover individual cases, fees or benefit amounts.",
        "decline_close": "Related topics the plans do cover: ", "decline_hotline": "For other questions please call {hotline}.",
        "list_total": "{total} in all; items {first}-{last} below. Say \"next page\" for more, or name a department or region.",
        "list_undated": "{n} more run all year, long-term or as routine, with no completion date; not listed.",
        "more_lead": "Another clause on this topic:",
        "rest_lead": "No other clause on this topic; the same clause also says:",
        "source_lead": "This comes from {citation}.",
        "part_units": "For {part}: {units}.",
        "site_elsewhere": "(Not found in the {site} plan; this is the {region} plan.)",
        "decline_ask": "You could ask: ",
        "yes_units_only": "Yes: {units} is responsible.", "yes_units": "Yes: {presumed} is responsible for this.",
        "yes_units_with": "Yes: {presumed} is one of the responsible units, together with {others}.",
        "no_units_shared": "No: {units} share the responsibility.", "no_units": "No: {units} is responsible.",
        "unknown_units": "The clause names no responsible unit.",
        "yes_deadline": "Yes: the deadline is {deadline}.", "no_deadline": "No: the deadline is {deadline}.",
        "unknown_deadline": "The clause sets no deadline.",
        "yes_often": "Yes: the clause says {deadline}.", "no_often": "No: the clause says {deadline}.",
        "compare": "Compared: this clause is due {mine}; the one asked about before, {theirs}.",
        "compare_mine": "This one is sooner.", "compare_theirs": "The one before is sooner.",
        "compare_same": "Both are due at the same time.",
        "compare_undated": "One of them names no completion date, so they cannot be ordered.",
        "compare_unset": "not stated",
    },
}

# Fixed replies and decline reasons. {hotline}, {limit}, {n}, {place}, {held}, {year}, {question} are
# filled in by bot/engine/compose.py.
WORDING: dict[str, dict[str, str]] = {
    "zh": {
        Kind.GREETING: "您好！我可以回答本地区政务公开工作要点中的问题，例如某项信息公开由哪个部门负责、"
                       "什么时候完成、某部门有哪些公开任务。",
        Kind.EMPTY: "请输入您的问题，例如：“养老补贴信息公开由哪个部门负责？”",
        Kind.TOO_LONG: "问题太长（{n}字），请精简到{limit}字以内再问。",
        Kind.FAILED: "抱歉，暂时无法回答这个问题。请稍后再试，或拨打{hotline}。",
        Kind.ASK_TOPIC: "请说得具体一些，例如：“养老补贴信息公开由哪个部门负责？”",
        Kind.NO_MORE: "这个列表已经全部列出了。可以换个部门、地区或日期再问。",
        Reason.OUT_OF_SCOPE: "知识库中暂无“{place}”的政务公开工作要点（现有：{held}）。",
        Reason.YEAR_NOT_HELD: "知识库中有{held}的政务公开工作要点，没有{year}年的，无法回答{year}年的问题。",
        Reason.NO_MATCH: "抱歉，现有的政务公开工作要点中没有找到与{question}直接相关的内容。",
        Reason.LOW_COVERAGE: "抱歉，现有的政务公开工作要点中没有找到与{question}直接相关的内容。",
        "quoted": "“{}”", "unquoted": "您的问题",
        "more_done": "这方面的相关条款已经都介绍过了。可以换个话题，或说明地区、部门再问。",
        "reset": "好的，我们重新开始。请问您想了解什么？例如某项信息公开由哪个部门负责、什么时候完成。",
        Reason.AMOUNT: "政务公开工作要点中没有规定具体金额或补贴标准。",
        Reason.CONTACT: "政务公开工作要点不载明各单位的电话、地址或办公时间。",
        Reason.HOW_TO: "政务公开工作要点只规定哪些信息要公开，没有写具体的办理条件、材料和流程。",
        Reason.DURATION: "政务公开工作要点没有规定这件事的具体期限或次数。",
        Reason.NO_TASKS: "没有找到符合条件的任务。",
        "how_to_who": "与此相关的信息公开由{units}负责（{citation}），可向其咨询。",
        "nearest": "最接近的条款（{citation}）是这样写的：“{text}”",
        "nearest_rule": "没有找到正好回答{question}的规定。最接近的规定（{citation}）是：“{text}”"
                        "这条规定可能不是您要问的内容，请以原文为准。",
        "due_header": "完成时限在{what}的任务：",
        "due_month": "{month}月底前",
        "due_date": "{year}年{month}月{day}日前",
        "department_header": "{department}负责的政务公开任务：",
        "region_header": "{region}政务公开工作要点的任务（共{n}项）：",
        "ask_when": "{where}{topic}的完成时限是什么？",
        "ask_who": "{where}{topic}由哪个部门负责？",
        "held_item": "{region}{year}年", "held_more": "等{n:,}份", "sep": "、",
    },
    "en": {
        Kind.GREETING: "Hello! I answer questions about this area's government disclosure plans (政务公开工作要点): "
                       "which department must publish what, by when, and each department's tasks.",
        Kind.EMPTY: "Please type a question, e.g. \"Who is responsible for elderly-care subsidy disclosure?\"",
        Kind.TOO_LONG: "The question is too long ({n} characters); please keep it under {limit}.",
        Kind.FAILED: "Sorry, I cannot answer this right now. Please try again later or call {hotline}.",
        Kind.ASK_TOPIC: "Could you say what it is about? E.g. \"Who is responsible for elderly-care subsidy disclosure?\"",
        Kind.NO_MORE: "That was the whole list. Ask about another department, region or date.",
        Reason.OUT_OF_SCOPE: "The knowledge base has no plan for {place} (it holds {held}).",
        Reason.YEAR_NOT_HELD: "The knowledge base holds the plans of {held}, not {year}, so it cannot answer for {year}.",
        Reason.NO_MATCH: "I could not find this in the government disclosure plans I know.",
        Reason.LOW_COVERAGE: "I could not find this in the government disclosure plans I know.",
        Reason.AMOUNT: "The plans do not state amounts or benefit levels.",
        Reason.CONTACT: "The plans do not give phone numbers, addresses or office hours.",
        Reason.HOW_TO: "The plans say which information must be published, not how to apply or what to bring.",
        Reason.DURATION: "The plans set no period or count for this.",
        Reason.NO_TASKS: "No matching tasks found.",
        "quoted": "", "unquoted": "",
        "more_done": "That was every clause on this topic. Ask about another topic, region or department.",
        "reset": "All right, let's start over. What would you like to know? For example, which department "
                 "publishes something, or by when.",
        "how_to_who": " Related information is published by {units} ({citation}).",
        "nearest": " The nearest clause ({citation}) reads: \"{text}\"",
        "nearest_rule": "I found no clause that answers this exactly. The nearest rule ({citation}) reads:"
                        " \"{text}\" It may not be what you asked about.",
        "due_header": "Tasks due by {what}:",
        "due_month": "the end of {month_name}",
        "due_date": "{day} {month_name} {year}",
        "department_header": "Disclosure tasks of {department}:",
        "region_header": "Tasks in the {region} plan ({n} in all):",
        "ask_when": "{where}{topic}的完成时限是什么？",
        "ask_who": "{where}{topic}由哪个部门负责？",
        "held_item": "{region} {year}", "held_more": " and {more:,} more", "sep": ", ",
    },
}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# Deadline words the plans use, read out in English (longest first when matching).
_DEADLINE_WORDS = {
    "长期坚持": "ongoing", "持续推进": "ongoing", "常态化": "as routine", "长期": "ongoing", "持续": "ongoing",
    "全年": "throughout the year", "每年": "every year", "每季度": "every quarter", "按季度": "every quarter",
    "按月": "monthly", "每月": "monthly", "年底前": "by the end of the year", "年底": "by the end of the year",
}
_DATE_PARTS = [
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前)?"),
     lambda m: f"by {int(m.group(3))} {MONTHS[int(m.group(2)) - 1]} {m.group(1)}"),
    (re.compile(r"(\d{4})年(\d{1,2})月(?:底|末)?(?:前|之前)"),
     lambda m: f"by the end of {MONTHS[int(m.group(2)) - 1]} {m.group(1)}"),
    (re.compile(r"(\d{4})年(?:年底|底|年末)(?:前|之前)?(?:完成)?"), lambda m: f"by the end of {m.group(1)}"),
    (re.compile(r"(\d{1,2})月(\d{1,2})日(?:前|之前)"), lambda m: f"by {int(m.group(2))} {MONTHS[int(m.group(1)) - 1]}"),
    (re.compile(r"(\d{1,2})月(?:底|末)?(?:前|之前)"), lambda m: f"by the end of {MONTHS[int(m.group(1)) - 1]}"),
    (re.compile(r"(?:本文件|本要点|本方案)?(?:印发|发布)后(\d+)日内"), lambda m: f"within {m.group(1)} days of issue"),
    (re.compile(r"(\d+)个工作日内?"), lambda m: f"within {m.group(1)} working days"),
    (re.compile(r"(\d+)日内"), lambda m: f"within {m.group(1)} days"),
]


def deadline_en(text: str) -> str:
    """"2022年9月底前；全年" -> "by the end of September 2022; throughout the year (2022年9月底前；全年)".
    Parts it cannot read stay in Chinese; the original always follows in brackets."""
    parts = [p for p in re.split(r"[；;，,]", text) if p.strip()]
    out = [_part_en(p.strip()) for p in parts]
    return f"{'; '.join(out)} ({text})" if out != parts else text


def _part_en(part: str) -> str:
    for pattern, fmt in _DATE_PARTS:
        m = pattern.search(part)
        if m:
            tail = part[m.end():].strip("，,")
            return fmt(m) + (f", {_part_en(tail)}" if tail else "")
    for word in sorted(_DEADLINE_WORDS, key=len, reverse=True):
        if word in part:
            return _DEADLINE_WORDS[word]
    return part


def words(lang: str) -> dict[str, str]:
    return WORDING["en" if lang == "en" else "zh"]


def labels(lang: str) -> dict[str, str]:
    return LABELS["en" if lang == "en" else "zh"]
