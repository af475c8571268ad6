"""Stage 2 for list questions, *retrieve* a task list: a department's tasks, tasks due by a date, or a
region's whole plan, from the index maps (no scan over every entry).

Neighbours: bot/index.py builds the postings bot/postings.py reads (by department, region, due date);
bot/understand.py reads the question; bot/decide.py turns a `TaskList` into a list answer. The engine's `department_tasks` /
`due_tasks` (the staff bot's /dept, /due and reminders) are these same lookups.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from bot.departments import unit_key
from bot.index import SearchIndex
from bot.postings import ListPostings
from bot.retrieve import Retriever
from bot.understand import Query
from bot.vocabulary import COMPLETION_DATE
from indexer.model import Entry


@dataclass(frozen=True)
class TaskList:
    """The entries a list question asks for, and what was asked (for the reply's header)."""

    kind: str  # "due" | "department" | "region"
    entries: tuple[Entry, ...]
    region: str | None = None
    department: str | None = None
    until: date | None = None
    month_only: bool = False
    plan_total: int = 0  # "region" lists: the plan's task count before narrowing to a topic
    total: int = 0  # entries on the whole list (this page is `entries`, starting at `offset`)
    offset: int = 0
    undated: int = 0  # due lists: rows left out because their deadline names no date (全年, 长期…)


class TaskLists:
    """Index lookups for task lists."""

    def __init__(self, index: SearchIndex, retriever: Retriever, list_limit: int) -> None:
        self.index = index
        self.retriever = retriever
        self.list_limit = list_limit
        self.postings = ListPostings(index)

    # -- lookups shared with the staff bot --------------------------------------------------
    def department_tasks(self, department: str, region: str | None = None) -> list[Entry]:
        """Every entry whose responsible units include the department (aliases resolved), in plan order."""
        canon = self.index.departments.name_for(department) or department
        positions = np.union1d(self.postings.department(canon, region), self._named_as_actor(canon, region))
        return self.postings.entries(self.postings.without_restated(positions.astype(np.int32)))

    def _named_as_actor(self, canon: str, region: str | None) -> np.ndarray:
        """Entries whose own text makes the department a sentence's subject ("区政府办公室是…主管部门",
        "区政府办公室定期检查…") though their unit column names others; only entries whose text has the
        name as a word are read."""
        deps = self.index.departments
        forms = [f for f in deps.forms if len(f) >= 3 and deps.canonical.get(unit_key(f)) == canon] or [canon]
        found: list[int] = []
        for form in forms:
            posting = self.index.text._ids.get(form)  # unit names are whole words of the tokenizer
            if posting is None:
                continue
            # the name opening a sentence or clause as its subject, not a modifier ("…的") or a list item ("、")
            actor = re.compile(rf"(?:^|[。；！？，\s])(?:由)?{re.escape(form)}(?![的、和与及等（(，。；\s])")
            for pos in self.postings.in_region(np.asarray(posting, dtype=np.int32), region).tolist():
                if actor.search(self.index.entries[pos].text):
                    found.append(pos)
        return np.array(sorted(set(found)), dtype=np.int32)

    def due_tasks(self, until: date, *, since: date | None = None, region: str | None = None,
                  department: str | None = None) -> list[Entry]:
        """Entries with a readable due date in [since, until], earliest first."""
        lo, hi = (since.isoformat() if since else ""), until.isoformat()
        positions = self.postings.due_between(lo, hi, region)
        if department:
            canon = self.index.departments.name_for(department) or department
            positions = np.intersect1d(positions, self.postings.department(canon, region), assume_unique=True)
        picked = self.postings.entries(self.postings.without_restated(positions))
        return sorted(picked, key=lambda e: (e.due or "", e.region or "", self.index.by_id[e.id]))

    # -- list questions ---------------------------------------------------------------------
    def gather(self, query: Query, offset: int = 0) -> TaskList:
        """The task list a list question asks for, narrowed to its topic words when some entries match
        them; one page of at most the list limit, from `offset`."""
        region = query.region
        undated = 0
        if query.until is not None:
            kind, picked, undated = "due", *self._due_for(query)
        elif query.departments:
            kind, picked = "department", self.department_tasks(query.departments[0], region=region)
            if query.year:
                picked = [e for e in picked if e.year == query.year]
        else:  # a region's whole plan: its task rows (or clauses, for a plan without a table)
            kind = "region"
            positions = self.postings.region(region, query.year) if region else np.zeros(0, dtype=np.int32)
            picked = [e for e in self.postings.entries(self.postings.without_restated(positions))
                      if not e.number.startswith("前言")]
        total = len(picked)
        if query.topic and picked:
            scores = self.retriever.topic_scores(query)
            focused = [e for e in picked if scores[self.index.by_id[e.id]] > 0]
            if focused:
                picked = focused
        offset = max(0, min(offset, len(picked) - 1)) if picked else 0
        return TaskList(kind, tuple(picked[offset:offset + self.list_limit]), region=region,
                        department=query.department, until=query.until, month_only=query.month_only,
                        plan_total=total, total=len(picked), offset=offset, undated=undated)

    def _due_for(self, query: Query) -> tuple[list[Entry], int]:
        """Due by the question's date in each plan year it may mean ("9月底前" names no year): a plan's
        rows against that plan's own year, and only rows whose deadline names a completion date (全年,
        长期, 常态化 name none: never due). Also how many rows were left out for naming none."""
        assert query.until is not None
        picked: list[Entry] = []
        undated = 0
        years = {query.year} if query.year else {d.year for d in self.index.documents.values() if d.year}
        for y in sorted(y for y in years if y):
            until = _same_day(query.until, y) if query.month_only else query.until
            if until.year != y and not query.month_only:
                continue
            rows = [e for e in self.due_tasks(until, since=date(y, 1, 1), region=query.region,
                                              department=query.department) if e.year in (y, None)]
            dated = [e for e in rows if COMPLETION_DATE.search(e.deadline or "")]
            undated += len(rows) - len(dated)
            picked += dated
        return picked, undated

    # -- index maps ---------------------------------------------------------------------------
    @staticmethod
    def without_restated(entries: list[Entry]) -> list[Entry]:
        """Drop body clauses whose task-table rows are already in the list (one task, one line); the
        reference for `ListPostings.without_restated`, which does the same on positions."""
        ids = {e.id for e in entries}
        return [e for e in entries if not (e.kind == "clause" and any(i in ids for i in e.linked))]


def _same_day(d: date, year: int) -> date:
    """The same month and day in another year (29 February becomes the 28th)."""
    try:
        return d.replace(year=year)
    except ValueError:
        return d.replace(year=year, day=28)
