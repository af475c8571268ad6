"""A canned stand-in for bot.engine.Engine, for route tests that need an engine to misbehave.

The end-to-end tests use the real engine (conftest.py `engine`); this one answers from three
hand-written entries, and raises on the question "boom" so the 500 path can be tested.
"""
from __future__ import annotations

from datetime import date

from bot.answer import Answer, Context, Intent, Result, Topic
from indexer.model import Entry

ENTRIES = [
    Entry(id="hy2022-t23", kind="task", number="23", section="聚焦重点领域 > 紧扣民生保障",
          text="多渠道发布养老保障、养老服务、养老机构、养老设施等相关补贴政策。", responsible=["区民政局"],
          deadline="2022年12月底前", doc="2022-hy", region="槐荫区", year=2022, title="2022年槐荫区政务公开工作要点"),
    Entry(id="hy2022-t24", kind="task", number="24", section="聚焦重点领域 > 紧扣民生保障",
          text="重点做好就业困难人员、高校毕业生等就业创业补贴政策服务信息公开。", responsible=["区人力资源社会保障局"],
          deadline="持续推进", doc="2022-hy", region="槐荫区", year=2022, title="2022年槐荫区政务公开工作要点"),
]

SUGGESTIONS = ["养老补贴信息公开归哪个部门管？", "养老服务", "就业创业补贴", "医疗保险信息公开"]
PINYIN = {"yanglao": "养老", "yl": "养老", "jiuye": "就业"}


class FakeEngine:
    """Same method names and signatures as bot.engine.Engine; deterministic canned behaviour."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None, Context | None]] = []

    def entry_count(self) -> int:
        return len(ENTRIES)

    def warm_up(self) -> None:
        pass

    def documents(self) -> list[dict]:
        return [{"doc_id": "2022-hy", "title": ENTRIES[0].title, "region": "槐荫区", "year": 2022}]

    def answer(self, question: str, *, region: str | None = None, context: Context | None = None) -> Answer:
        self.calls.append((question, region, context))
        if question == "boom":
            raise RuntimeError("engine exploded")
        entry = next((e for e in ENTRIES if any(k in question for k in ("养老", "就业") if k in e.text)), None)
        if entry is None and context and context.entry_ids and ("时限" in question or "什么时候" in question):
            entry = next(e for e in ENTRIES if e.id == context.entry_ids[0])
            return Answer(question, Intent.WHEN, True, f"完成时限：{entry.deadline}", [Result(entry, 1.0)],
                          deadline=entry.deadline, citation=f"《{entry.title}》任务{entry.number}", region=entry.region,
                          context=Context(question, "when", entry.region, entry.year, None, [entry.id], []))
        if entry is None:
            return Answer(question, Intent.NONE, False, "抱歉，工作要点中没有找到相关内容，请拨打12345。",
                          suggestions=SUGGESTIONS[:2], region=region, context=Context(question=question))
        return Answer(question, Intent.WHO, True, f"负责单位：{'、'.join(entry.responsible)}。{entry.text}",
                      [Result(entry, 3.2)], suggestions=["那完成时限呢？", SUGGESTIONS[2]], units=list(entry.responsible),
                      deadline=entry.deadline, citation=f"《{entry.title}》任务{entry.number}", region=entry.region,
                      context=Context(question, "who", entry.region, entry.year, None, [entry.id], ["养老"]))

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        word = PINYIN.get(prefix.lower(), prefix)
        return [s for s in SUGGESTIONS if s.startswith(word)][:limit]

    def featured(self) -> list[Topic]:
        return [Topic("养老", ["养老补贴信息公开归哪个部门管？"], "elderly"),
                Topic("就业", ["就业创业补贴政策由谁公开？"], "jobs")]

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in ENTRIES if e.id == entry_id), None)

    def regions(self) -> list[str]:
        return ["槐荫区"]

    def resolve_department(self, text: str) -> str | None:
        return text if text in {"区民政局", "区人力资源社会保障局"} else None

    def department_tasks(self, department: str, region: str | None = None) -> list[Entry]:
        return [e for e in ENTRIES if department in e.responsible]

    def due_tasks(self, until: date, *, since: date | None = None, region: str | None = None,
                  department: str | None = None) -> list[Entry]:
        return []
