"""Stage 2 for list questions, *retrieve* a task list: a department's tasks, tasks due by a date, or a
region's whole plan, from the index maps (no scan over every entry).

Neighbours: bot/index/search_index.py builds the postings bot/index/list_positions.py reads (by department, region, due date);
bot/engine/understand.py reads the question; bot/engine/decide.py turns a `TaskList` into a list answer. The engine's `department_tasks` /
`due_tasks` (the staff bot's /dept, /due and reminders) are these same lookups.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from bot.engine.retrieve import Retriever
from bot.engine.understand import Query
from bot.index.list_positions import ListPostings, union
from bot.index.search_index import SearchIndex
from bot.language.departments import names_as_actor
from indexer.model import Entry

_EMPTY = np.zeros(0, dtype=np.int32)


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
    """Index lookups for task lists: positions filtered and ordered with numpy; only one page of them
    ever becomes `Entry` objects."""

    def __init__(self, index: SearchIndex, retriever: Retriever, list_limit: int) -> None:
        self.index = index
        self.retriever = retriever
        self.list_limit = list_limit
        self.postings = ListPostings(index)
        self.plan_years = sorted({d.year for d in index.documents.values() if d.year})
        self._forms = {f for f in index.departments.forms if len(f) >= 3}  # those `actor_positions` covers

    # -- lookups shared with the staff bot --------------------------------------------------
    def department_tasks(self, department: str, region: str | None = None) -> list[Entry]:
        """Every entry whose responsible units include the department (aliases resolved), in plan order."""
        return self.postings.entries(self.department_positions(department, region))

    def department_positions(self, department: str, region: str | None = None) -> np.ndarray:
        """Ascending positions of `department_tasks`: named in the unit column or as a sentence's subject."""
        canon = self.index.departments.name_for(department) or department
        positions = union([self.postings.department(canon, region), self._named_as_actor(canon, region)],
                          len(self.index.entry_region))
        return self.postings.without_restated(positions)

    def _named_as_actor(self, canon: str, region: str | None) -> np.ndarray:
        """Entries whose own text makes the department a sentence's subject though their unit column
        names others (`names_as_actor`): precomputed per form at build; a name the directory does not
        hold is checked here, on the entries whose text has it as a word."""
        found = []
        for form in self.index.departments.forms_of(canon) or [canon]:
            if form in self._forms:
                found.append(self.postings.in_region(self.index.actor_positions.get(form, _EMPTY), region))
                continue
            posting = self.index.text._ids.get(form)  # unit names are whole words of the tokenizer
            if posting is not None:
                positions = self.postings.in_region(np.asarray(posting, dtype=np.int32), region).tolist()
                found.append(np.array([p for p in positions if names_as_actor(self.index.entries[p].text, form)],
                                      dtype=np.int32))
        return union(found, len(self.index.entry_region))

    def due_tasks(self, until: date, *, since: date | None = None, region: str | None = None,
                  department: str | None = None) -> list[Entry]:
        """Entries with a readable due date in [since, until], earliest first."""
        return self.postings.entries(self.due_positions(until, since=since, region=region, department=department))

    def due_positions(self, until: date, *, since: date | None = None, region: str | None = None,
                      department: str | None = None) -> np.ndarray:
        """Positions of `due_tasks`, ordered by due date, region, plan order (the index's `due_rank`)."""
        lo, hi = (since.isoformat() if since else ""), until.isoformat()
        if not department:
            return self.postings.due_list(lo, hi, region)
        canon = self.index.departments.name_for(department) or department
        positions = self.postings.due_in_order(lo, hi, region)
        positions = positions[np.isin(positions, self.postings.department(canon, region))]
        return self.postings.without_restated(positions)

    # -- list questions ---------------------------------------------------------------------
    def gather(self, query: Query, offset: int = 0) -> TaskList:
        """The task list a list question asks for, narrowed to its topic words when some entries match
        them; one page of at most the list limit, from `offset`."""
        region = query.region
        undated = 0
        if query.until is not None:
            kind = "due"
            positions, undated = self._due_for(query)
        elif query.departments:
            kind = "department"
            positions = self.department_positions(query.departments[0], region=region)
            if query.year:
                positions = positions[self.index.entry_year[positions] == query.year]
        else:  # a region's whole plan: its task rows (or clauses, for a plan without a table)
            kind = "region"
            positions = self.postings.region(region, query.year) if region else _EMPTY
            positions = self.postings.without_restated(positions)
            positions = positions[~self.index.entry_preface[positions]]
        total = len(positions)
        if query.topic and total:
            focused = positions[self.retriever.topic_scores(query, positions) > 0]
            if len(focused):
                positions = focused
        offset = max(0, min(offset, len(positions) - 1)) if len(positions) else 0
        page = self.postings.entries(positions[offset:offset + self.list_limit])
        return TaskList(kind, tuple(page), region=region, department=query.department, until=query.until,
                        month_only=query.month_only, plan_total=total, total=len(positions), offset=offset,
                        undated=undated)

    def _due_for(self, query: Query) -> tuple[np.ndarray, int]:
        """Due by the question's date in each plan year it may mean ("9月底前" names no year): a plan's
        rows against that plan's own year, and only rows whose deadline names a completion date (全年,
        长期, 常态化 name none: never due). Also how many rows were left out for naming none."""
        assert query.until is not None
        picked: list[np.ndarray] = []
        undated = 0
        for y in [query.year] if query.year else self.plan_years:
            until = _same_day(query.until, y) if query.month_only else query.until
            if until.year != y and not query.month_only:
                continue
            if not query.department and (not query.region or query.region not in self.index.region_positions):
                rows, left_out = self.postings.due_of_year(date(y, 1, 1).isoformat(), until.isoformat(), y)
                undated += left_out
                picked.append(rows)
                continue
            rows = self.due_positions(until, since=date(y, 1, 1), region=query.region, department=query.department)
            year = self.index.entry_year[rows]
            rows = rows[(year == y) | (year == 0)]
            dated = self.index.entry_dated[rows]
            undated += int(len(rows) - dated.sum())
            picked.append(rows[dated])
        return (np.concatenate(picked) if picked else _EMPTY), undated

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
