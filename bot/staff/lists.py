"""Department and due-date task lists of the staff service, one page at a time.

Job: `/dept 部门` / "部门 区民政局" and `/due 9月底` / "到期 9月底" become a stored query (prefs.Listing, so
a page can be recomputed after a restart) and a `Reply` holding one `TaskPage` with ◀ n/m ▶ buttons
(`Page` actions; WeCom shows them as "下一页" hints). Neighbours: service.py dispatches to these;
dates.py reads due ranges; the engine's department_tasks / due_tasks supply the entries.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from bot.engine.answer import EngineContract
from indexer.model import Entry

from .dates import DueRange
from .messages import Button, Noop, Page, Reply, Say, Style, TaskPage, bold, cmd
from .options import StaffOptions
from .prefs import Listing


def plan_name(entry: Entry) -> str:
    """The plan an entry belongs to, as staff know it: its title, else region + year."""
    if entry.title:
        return entry.title
    parts = [f"{entry.year}年" if entry.year else "", entry.region or "", "政务公开工作要点"]
    return "".join(parts)


def trim(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters with an ellipsis (whitespace runs collapsed)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plan_key(entry: Entry) -> tuple[str, str, int]:
    return (entry.title or "", entry.region or "", entry.year or 0)


def entry_label(entry: Entry) -> str:
    """Where an entry sits in its plan, worded like the engine's citations: "任务表第21项" or "一.(五)"."""
    if entry.kind == "task":
        return f"任务表第{entry.number.rsplit('.', 1)[-1]}项"
    return entry.number


def days_left(due: str, today: date) -> str:
    """"还有 4 天", "今天到期" or "已逾期 3 天" for an ISO due date."""
    days = (date.fromisoformat(due) - today).days
    return "今天到期" if days == 0 else f"还有 {days} 天" if days > 0 else f"已逾期 {-days} 天"


def entry_lines(entry: Entry, today: date | None, text_chars: int, bold: Callable[[str], str],
                escape: Callable[[str], str]) -> str:
    """One task in a list, for any channel: label and (short) text, then units, deadline and, with
    `today`, "还有 N 天". `bold` and `escape` are the channel's markup (Telegram HTML, WeCom markdown)."""
    head = entry.heading if entry.heading and len(entry.heading) < text_chars else entry.text
    lines = [f"{bold(escape(entry_label(entry)))} {escape(trim(head, text_chars))}"]
    facts = []
    if entry.responsible:
        facts.append(f"责任单位：{escape('、'.join(entry.responsible))}")
    if entry.deadline or entry.due:
        facts.append(f"时限：{escape(entry.deadline or entry.due or '')}")
    if today is not None and entry.due:
        facts.append(f"⏰ {escape(entry.due)}（{escape(days_left(entry.due, today))}）")
    if facts:
        lines.append("　" + "｜".join(facts))
    return "\n".join(lines)


def by_plan(entries: Sequence[Entry]) -> list[Entry]:
    """Entries regrouped so each plan's entries are together (plans in order of first appearance, stable inside)."""
    order: dict[tuple[str, str, int], int] = {}
    for e in entries:
        order.setdefault(plan_key(e), len(order))
    return sorted(entries, key=lambda e: order[plan_key(e)])


def pager(listing_id: int, page: int, pages: int) -> tuple[tuple[Button, ...], ...]:
    """◀ n/m ▶ under a list; the edge buttons only where there is a page to go to."""
    if pages <= 1:
        return ()
    row: list[Button] = []
    if page > 0:
        row.append(Button("◀ 上一页", Page(listing_id, page - 1)))
    row.append(Button(f"{page + 1}/{pages}", Noop()))
    if page < pages - 1:
        row.append(Button("下一页 ▶", Page(listing_id, page + 1)))
    return (tuple(row),)


def listing_reply(engine: EngineContract, options: StaffOptions, listing: Listing, page: int) -> Reply:
    """Recompute a department or due list from its stored query and show page `page` of it."""
    where = f"（{listing.region}）" if listing.region else ""
    today = options.today()
    if listing.kind == "dept":
        entries = by_plan(engine.department_tasks(listing.arg, region=listing.region))
        title = Say.of("🏢 ", bold(listing.arg), f"{where}：共 {len(entries)} 项任务")
        empty = (Say.of("没有找到该部门的任务。可用 ", cmd("region", "不限", style=Style.PLAIN), " 查看所有地区。")
                 if listing.region else Say.of("没有找到该部门的任务。"))
        show_days = None
    else:
        rng = DueRange.from_key(listing.arg)
        entries = engine.due_tasks(rng.until, since=rng.since, region=listing.region)
        title = Say.of("📅 ", bold(rng.label), f"到期的任务{where}：共 {len(entries)} 项，最早的在前")
        empty = Say.of("这段时间没有到期的任务。可试试 ", cmd("due", "年底"), " 或 ", cmd("due", "all"), "。")
        show_days = today
    if not entries:
        return Reply(parts=(title, empty))
    part = TaskPage(title, tuple(entries), 0, options.page_size, today=show_days)
    page = min(max(0, page), part.pages - 1)
    part = TaskPage(title, tuple(entries), page, options.page_size, today=show_days)
    return Reply(parts=(part,), buttons=pager(listing.id, page, part.pages))
