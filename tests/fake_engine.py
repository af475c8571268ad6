"""THE test fake of the engine contract (`bot.engine.answer.EngineContract`), shared by the web, staff-bot and
WeCom tests.

Job: let route, handler, rendering and reminder tests control exactly which entries exist (dated tasks
for reminders, many tasks of one department for pagination, text with markup for escaping) without
loading the real index, and make the engine fail on demand (the question "boom" raises). End-to-end
tests use the real engine over the shipped knowledge base. Entries are modelled on the 2022 槐荫区 and
2023 历城区 plans.
"""
from __future__ import annotations

from datetime import date

from bot.engine.answer import Answer, Context, Intent, Result
from bot.engine.coordinator import Engine, Topic
from indexer.model import Entry

HY = dict(region="槐荫区", year=2022, title="2022年槐荫区政务公开工作要点", doc="2022-hy")
LC = dict(region="历城区", year=2023, title="2023年济南市历城区政务公开工作要点", doc="2023-lc")

_STOP = {"信息", "息公", "公开", "部门", "负责", "哪个", "个部", "完成", "时限"}

ALIASES = {
    "区人社局": "区人力资源社会保障局",
    "人社局": "区人力资源社会保障局",
    "民政局": "区民政局",
    "司法局": "区司法局",
}


def _entries() -> list[Entry]:
    out = [
        Entry(id="hy-21", kind="task", number="21", section="聚焦重点领域 > 紧扣民生保障加强信息公开",
              text="多渠道发布养老保障、养老服务、养老机构、养老设施等相关补贴政策，实施养老托育拓展行动，加强经济困难老年人家庭居家适老化改造。",
              responsible=["区民政局", "各街道办事处"], **HY),
        Entry(id="hy-20", kind="task", number="20", section="聚焦重点领域 > 紧扣民生保障加强信息公开",
              text="加大养老保险、医疗保险等社会保险信息公开力度。",
              responsible=["区人力资源社会保障局", "区医保局", "各街道办事处"], deadline="全年", **HY),
        Entry(id="hy-5", kind="task", number="5", section="加强政务信息管理",
              text="2022年底前通过区政府门户网站的“政府信息公开专栏”集中公开现行有效的规范性文件。",
              responsible=["区司法局"], deadline="2022年年底前", due="2022-12-31", **HY),
        Entry(id="hy-30", kind="task", number="30", section="聚焦重点领域",
              text="做好社会救助信息公开，公开<低保>标准 & 救助结果。",
              responsible=["区民政局", "区社会救助局"], deadline="2022年9月底前", due="2022-09-30", **HY),
        Entry(id="hy-31", kind="task", number="31", section="聚焦重点领域",
              text="更新养老机构名录并公开。", responsible=["区民政局"], deadline="2022年10月3日前",
              due="2022-10-03", **HY),
        Entry(id="lc-9", kind="clause", number="二.(三).2", section="二、重点任务",
              text="做好养老服务补贴发放信息公开。", responsible=["区民政局"], deadline="2023年8月31日前",
              due="2023-08-31", **LC),
    ]
    for i in range(40, 50):  # enough tasks of one department for several pages
        out.append(Entry(id=f"hy-{i}", kind="task", number=str(i), section="保障措施",
                         text=f"民政领域第{i}项公开任务：公开相关政策文件和办事指南。",
                         responsible=["区民政局"], **HY))
    return out


class FakeEngine(Engine):
    """Keyword matching over a handful of entries; enough to exercise every adapter path."""

    def __init__(self, entries: list[Entry] | None = None) -> None:
        self.entries = entries if entries is not None else _entries()
        self.calls: list[str] = []  # questions asked, so tests can assert "no engine call"
        self.asked: list[tuple[str, str | None, Context | None]] = []  # (question, region, context) per call

    @classmethod
    def load(cls, settings: object) -> FakeEngine:  # type: ignore[override]
        return cls()

    def _intent(self, q: str) -> Intent:
        if any(w in q for w in ("谁", "哪个部门", "负责", "归")):
            return Intent.WHO
        if any(w in q for w in ("时限", "什么时候", "何时", "完成时间")):
            return Intent.WHEN
        return Intent.WHAT

    def answer(self, question: str, *, region: str | None = None, context: Context | None = None) -> Answer:
        self.calls.append(question)
        self.asked.append((question, region, context))
        if question == "boom":
            raise RuntimeError("engine exploded")
        if question.strip("！!。 ") in ("你好", "您好", "hi"):
            return Answer(question, Intent.NONE, False, "您好！请直接提问。")
        intent = self._intent(question)
        region = next((r for r in self.regions() if r in question), region)
        hits: list[Entry]
        if question.startswith("那") and context and context.entry_ids:
            hits = [e for e in self.entries if e.id in context.entry_ids]
            region = context.region
        else:
            scored = []
            for e in self.entries:
                if region and e.region != region:
                    continue
                score = sum(1 for i in range(len(question) - 1)
                            if question[i:i + 2] in e.text and question[i:i + 2] not in _STOP)
                if score >= 2:
                    scored.append((score, e))
            scored.sort(key=lambda t: -t[0])
            hits = [e for _, e in scored[:3]]
        ctx = Context(question=question, intent=str(intent), region=region,
                      entry_ids=[e.id for e in hits[:1]])
        if not hits:
            return Answer(question, intent, False, "知识库中没有找到相关内容，请拨打12345政务服务便民热线咨询。",
                          context=ctx, region=region)
        top = hits[0]
        if intent == Intent.WHO:
            reply = f"{'、'.join(top.responsible)}负责。"
        elif intent == Intent.WHEN:
            reply = f"完成时限：{top.deadline or '未规定具体时限'}。"
        else:
            reply = top.text
        return Answer(question, intent, True, reply, results=[Result(e, 1.0) for e in hits],
                      suggestions=["那完成时限呢？", "那由哪个部门负责？"], units=list(top.responsible),
                      deadline=top.deadline, citation=top.text, region=top.region, context=ctx)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        return []

    def warm_up(self) -> None:
        pass

    def entry_count(self) -> int:
        return len(self.entries)

    def documents(self) -> list[dict]:
        docs = {e.doc: {"doc_id": e.doc, "title": e.title, "region": e.region, "year": e.year} for e in self.entries}
        return list(docs.values())

    def featured(self) -> list[Topic]:
        return [Topic("养老", ["槐荫区养老补贴信息公开归哪个部门管？",
                               "养老保险信息公开由哪些部门负责、完成时限是什么、需要公开哪些内容？"], key="yl")]

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def regions(self) -> list[str]:
        return sorted({e.region for e in self.entries if e.region})

    def resolve_department(self, text: str) -> str | None:
        text = text.strip()
        known = {u for e in self.entries for u in e.responsible}
        return text if text in known else ALIASES.get(text)

    def department_tasks(self, department: str, region: str | None = None) -> list[Entry]:
        return [e for e in self.entries if department in e.responsible and (region is None or e.region == region)]

    def due_tasks(self, until: date, *, since: date | None = None, region: str | None = None,
                  department: str | None = None) -> list[Entry]:
        out = [e for e in self.entries if e.due
               and (since is None or date.fromisoformat(e.due) >= since) and date.fromisoformat(e.due) <= until
               and (region is None or e.region == region)
               and (department is None or department in e.responsible)]
        return sorted(out, key=lambda e: e.due or "")
