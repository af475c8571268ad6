"""Task tables (序号 / 工作任务 / 具体要求 / 责任单位 / 完成时限 and variants) -> one `TaskRow` per row.

Input: TAB-separated rows from indexer/normalize.py (every reader renders tables that way, merged cells
as empty cells). Cells are classified by content as well as by header position, because real tables
lose cells at page breaks, split headers over two columns and repeat the header on every page.
Empty cells take the value above them within the same table (vertical merges).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.actors import unit_line
from indexer.fields import looks_like_deadline, looks_like_units, split_units
from indexer.outline import match_marker
from indexer.patterns import HEADER_WORDS, NUMBER_START, squash_cjk_spaces

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_CELL_BREAK = "\u2028"  # a paragraph break kept inside a cell by the Word/HTML readers (see indexer.read)


@dataclass
class TaskRow:
    """One table row: its 序号 (or position), task levels, requirement text, units and deadline."""

    number: str
    levels: list[str]
    text: str
    units_text: str | None
    deadline: str | None
    units: list[str] = field(default_factory=list)
    table: int = 0  # which table of the document (0-based)


def _cell(s: str) -> str:
    return squash_cjk_spaces(re.sub(r"\s+", " ", s.replace(_CELL_BREAK, ""))).strip()


def cell_role(raw: str) -> str:
    """A header cell's role (number / task / text / units / deadline / note), "" when it names none.

    The best-fitting header word: an exact one, else the longest contained ("时限要求" is a deadline
    although it contains 要求)."""
    c = re.sub(r"\s+", "", raw)
    if not c:
        return ""
    fits = [(c == w, len(w), name) for name, words in HEADER_WORDS.items() for w in words
            if c == w or (len(c) <= 8 and w in c)]
    return max(fits, key=lambda fit: fit[:2])[2] if fits else ""


def header_roles(cells: list[str]) -> list[str] | None:
    """Column roles when the row is a header row (it names at least a task/text column and units or deadline)."""
    roles = [cell_role(raw) for raw in cells]
    found = {role for role in roles if role}
    if ("units" in found or "deadline" in found) and ("task" in found or "text" in found):
        return roles
    return None


def _split_heading_cells(cell: str) -> list[str]:
    """A task cell may hold two numbered headings ("三、围绕政策解读… (一) 深化政策集中统一公开")."""
    parts = re.split(r"\s+(?=[（(][一二三四五六七八九十]+[）)])", cell)
    return [p.strip() for p in parts if p.strip()]


def _paragraph_cells(cell: str) -> list[str]:
    """HTML paragraphs left inside a cell: "<p>(三) 积极回应群众关切</p> <p>出台…</p>" -> two parts; the same for
    a paragraph break the Word and HTML readers kept in a cell."""
    if "<" not in cell and _CELL_BREAK not in cell:
        return [cell]
    parts = re.split(rf"</p>\s*<p[^>]*>|<br\s*/?>|{_CELL_BREAK}", cell, flags=re.I)
    return [p for p in (_cell(_TAG.sub("", x)) for x in parts) if p]


@dataclass
class _Layout:
    roles: list[str]
    levels_wanted: int
    names: list[str] = field(default_factory=list)  # the header cells as written
    headerless: bool = False  # rows recognised by content alone

    def role(self, position: int, width: int) -> str:
        """The header's role for a cell of a row of `width` cells; "" when the row does not line up with the
        header (a row may be shorter: an editor drops trailing empty cells)."""
        return self.roles[position] if width <= len(self.roles) and 0 <= position < width else ""


class TableParser:
    """Stateful over one document: tracks the header, the inherited (merged) cells and table numbers."""

    def __init__(self) -> None:
        self.rows: list[TaskRow] = []
        self._layout: _Layout | None = None
        self._levels: list[str] = []
        self._units: str | None = None
        self._deadline: str | None = None
        self._table = -1
        self._unit_columns: dict[int, str] = {}  # 牵头单位/配合单位 column -> value above
        self._chunk_start = 0
        self._auto_number = 0
        self._explicit_numbers = False
        self._task_styles: set[str] = set()  # numbering styles of the current table's task texts ("1.…")
        self._unit_column: dict[int, bool] = {}  # table -> its header names a 责任单位 column

    # -- public -------------------------------------------------------------------------------
    def feed(self, line: str) -> bool:
        """Consume one normalised line; True when it belonged to a table (row, header or stray cell)."""
        if "\t" not in line:
            return self._stray_cell(line)
        cells = [c for c in line.split("\t")]
        roles = header_roles(cells)
        if roles:
            self._start_chunk(roles, names=[re.sub(r"\s+", "", c) for c in cells])
            return True
        if self._layout is None:
            # A TAB row with no header seen: a table only if it reads like a task row.
            if not self._row_like(cells):
                return False
            self._start_chunk(["number", "task", "task", "text", "units", "deadline"], new_table=True)
            assert self._layout is not None  # _start_chunk set it
            self._layout.headerless = True
        elif self._layout.headerless and not any(len(c.strip()) > 15 for c in cells):
            self._layout = None  # without a header, a row with no requirement text ends the table
            return False
        self._row(cells)
        return True

    def problems(self) -> list[str]:
        """What went wrong with the document's tables: a header with no rows under it, rows without units
        in a table that has a 责任单位 column."""
        out: list[str] = []
        for table, has_units in sorted(self._unit_column.items()):
            rows = [r for r in self.rows if r.table == table]
            if not rows:
                out.append(f"table {table + 1}: a header but no rows read under it")
            elif has_units and (bare := [r.number for r in rows if not r.units]):
                shown = ", ".join(bare[:5]) + (f" (+{len(bare) - 5})" if len(bare) > 5 else "")
                out.append(f"table {table + 1}: {len(bare)} task row(s) without units although the table has a "
                           f"unit column: {shown}")
        return out

    def end_table(self) -> None:
        """Prose between tables ends the current table: nothing is inherited across it."""
        self._layout = None

    # -- internals ----------------------------------------------------------------------------
    def _start_chunk(self, roles: list[str], new_table: bool = False, names: list[str] | None = None) -> None:
        if self._layout is None or new_table:
            self._table += 1
            self._levels, self._units, self._deadline = [], None, None
            self._unit_columns = {}
            self._auto_number = 0
            self._explicit_numbers = False
            self._task_styles = set()
        self._layout = _Layout(roles=roles, levels_wanted=max(1, roles.count("task")), names=names or [])
        self._unit_column[self._table] = self._unit_column.get(self._table, False) or (
            "units" in roles and not self._layout.headerless)
        self._chunk_start = len(self.rows)

    @staticmethod
    def _row_like(cells: list[str]) -> bool:
        filled = [c for c in cells if c.strip()]
        return len(filled) >= 2 and any(len(c) > 15 for c in filled) and any(
            looks_like_units(c) or looks_like_deadline(c) for c in filled
        )

    def _stray_cell(self, line: str) -> bool:
        """A lone deadline line right after table rows is the text of a merged 完成时限 cell
        (printed once, after the rows it spans): give it to the rows of this page chunk that lack one."""
        if self._layout is None or not looks_like_deadline(line):
            return False
        chunk = self.rows[self._chunk_start:]
        if not chunk:
            return False
        for row in chunk:
            if row.deadline is None or getattr(row, "_deadline_inherited", False):
                row.deadline = _cell(line)
        self._deadline = _cell(line)
        return True

    @staticmethod
    def _split_cells(raw_cells: list[str]) -> tuple[list[str], list[int]]:
        """Cleaned cells and each one's column in the raw row (a cell holding a numbered heading paragraph
        and its text becomes two cells in one column)."""
        cells: list[str] = []
        where: list[int] = []
        for column, c in enumerate(raw_cells):
            if "<" in c or _CELL_BREAK in c:
                parts = _paragraph_cells(c)
                if len(parts) > 1 and match_marker(parts[0]) and len(parts[0]) <= 40:
                    cells.extend([parts[0], "".join(parts[1:])])
                    where.extend([column, column])
                else:
                    cells.append("".join(parts))
                    where.append(column)
                continue
            cell = _cell(c)
            if re.search(r"\s\S{2,20}[:：]", c):
                labelled = _cell(_sublabels(c))
                if looks_like_units(labelled):
                    cell = labelled
            cells.append(cell)
            where.append(column)
        return cells, where

    def _take_number(self, cells: list[str], where: list[int]) -> str:
        """The row's 序号 ("12", or "12." as Word's auto-numbered cells show it), taken off the cells."""
        assert self._layout is not None
        serial = re.fullmatch(r"(\d{1,4})\s*[.．、]?", cells[0]) if cells else None
        if serial:
            cells.pop(0)
            where.pop(0)
            self._explicit_numbers = True
            return serial.group(1)
        if self._layout.roles and self._layout.roles[0] == "number" and cells and not cells[0]:
            cells.pop(0)
            where.pop(0)
        return ""

    def _trailing(self, cells: list[str], where: list[int], width: int, several: bool
                  ) -> tuple[str | None, str | None, int]:
        """(deadline, units, index of the requirement cell) read from the row's last filled cells: the
        deadline, then the units (by content; by the header's column where content is unclear)."""
        filled = [i for i, c in enumerate(cells) if c]
        tail = filled[::-1]
        deadline = units_text = None
        idx = 0
        if len(filled) > 1 and self._is_deadline(cells[tail[0]], where[tail[0]], width):
            deadline = cells[tail[0]]
            idx += 1
        if (not several and idx < len(tail) and len(filled) - idx > 1
                and self._is_units(cells[tail[idx]], where[tail[idx]], width)):
            units_text = cells[tail[idx]]
            idx += 1
            # a 完成时限 column printed before the 责任单位 one ("… | 全年 | 区发改局、…")
            if (deadline is None and idx < len(tail) and len(filled) - idx > 1
                    and self._is_deadline(cells[tail[idx]], where[tail[idx]], width)):
                deadline = cells[tail[idx]]
                idx += 1
        return deadline, units_text, tail[idx] if idx < len(tail) else -1

    def _row(self, raw_cells: list[str]) -> None:
        assert self._layout is not None
        layout, width = self._layout, len(raw_cells)
        cells, where = self._split_cells(raw_cells)
        # Columns the content logic below must not see: 备注, and 牵头单位/配合单位 when there are several.
        units_text: str | None = None
        units_inherited = True
        unit_columns = [i for i, r in enumerate(layout.roles) if r == "units"] if width <= len(layout.roles) else []
        several = len(unit_columns) > 1
        if several:
            units_text, units_inherited = self._unit_columns_text(raw_cells, unit_columns)
        keep = [k for k, column in enumerate(where)
                if layout.role(column, width) != "note" and not (several and column in unit_columns)]
        cells, where = [cells[k] for k in keep], [where[k] for k in keep]
        number = self._take_number(cells, where)
        while cells and not cells[-1]:
            cells.pop()
            where.pop()
        if not cells or self._unit_row(cells):
            return
        deadline, own_units, body_end = self._trailing(cells, where, width, several)
        if body_end < 0:
            return
        if own_units is not None:
            units_text = own_units
        text = cells[body_end]
        # A requirement cell that opens with its own numbered heading ("(三) 积极回应群众关切 出台…"), or
        # a category row whose unit and deadline cells are empty (merged into the rows below)
        bare = own_units is None and deadline is None and (not several or units_inherited)
        heading_in_text, text = self._heading_or_text(text, units_text is None or bare, bool(units_text))
        levels = cells[:body_end]
        if text and levels and levels[-1] and (m := match_marker(levels[-1])) and m[0] == "num":
            text = f"{levels.pop()}：{text}"  # "1.主动公开…" numbered per row: the row's own task, not a heading
        self._update_levels(levels, heading_in_text)
        if several or own_units is not None:
            self._units = units_text
            units_inherited = units_inherited and own_units is None
        else:
            units_text = self._units
        inherited_deadline = deadline is None
        self._deadline = deadline = self._deadline if deadline is None else deadline
        if not text:
            return
        self._auto_number += 1
        row = TaskRow(
            number=number or str(self._auto_number),
            levels=[lv.rstrip("。") for lv in self._levels],
            text=text,
            units_text=units_text,
            deadline=deadline,
            units=split_units(units_text) if units_text else [],
            table=self._table,
        )
        row._deadline_inherited = inherited_deadline  # type: ignore[attr-defined]
        row._units_inherited = units_inherited  # type: ignore[attr-defined]
        self.rows.append(row)

    def _heading_or_text(self, text: str, no_units: bool, has_units: bool) -> tuple[list[str], str]:
        """([heading], "") for a requirement cell that is a numbered heading (a category row whose unit and
        deadline cells are empty), else ([], text). Numbered like the table's tasks ("2.…" after "1.…" rows
        with units) it is a task whose cells merge with those above; a bare "(三)" is a cut-off heading."""
        marker = match_marker(text)
        if NUMBER_START.fullmatch(text.strip()):
            return [text.strip()], ""
        if marker and "。" not in text and len(text) <= 40 and no_units and marker[0] not in self._task_styles:
            return [text], ""
        if marker and has_units:
            self._task_styles.add(marker[0])
        return [], text

    def _unit_row(self, cells: list[str]) -> bool:
        """A row holding only a unit line ("县教育局牵头落实") gives its units to the row above it, whose
        units were not written (or only inherited): the units of the task it follows, never a task."""
        filled = [c for c in cells if c]
        if len(filled) != 1 or not self.rows or not unit_line(filled[0]):
            return False
        above = self.rows[-1]
        if above.units and not getattr(above, "_units_inherited", False):
            return False
        above.units_text, above.units = filled[0], split_units(filled[0])
        above._units_inherited = False  # type: ignore[attr-defined]
        self._units = filled[0]
        return True

    def _is_deadline(self, cell: str, column: int, width: int) -> bool:
        """A 完成时限 cell: reads as one, or is a short phrase ("常年坚持", "按要求") in the 完成时限 column."""
        if looks_like_deadline(cell):
            return True
        assert self._layout is not None
        return (self._layout.role(column, width) == "deadline" and len(cell) <= 20 and "。" not in cell
                and not looks_like_units(cell))

    def _is_units(self, cell: str, column: int, width: int) -> bool:
        """A 责任单位 cell: reads as unit names, or is a short sentence-free cell in the 责任单位 column."""
        if looks_like_units(cell):
            return True
        assert self._layout is not None
        return (self._layout.role(column, width) == "units" and len(cell) <= 80 and "。" not in cell.rstrip("。")
                and not looks_like_deadline(cell))

    def _unit_columns_text(self, raw_cells: list[str], columns: list[int]) -> tuple[str | None, bool]:
        """牵头单位 + 配合单位 (several unit columns): each column inherits down the table on its own; the
        result names each column ("牵头单位：区司法局；配合单位：区政府各部门"). Returns (text, all inherited)."""
        assert self._layout is not None
        parts: list[str] = []
        inherited = True
        for column in columns:
            value = _cell(raw_cells[column]) if column < len(raw_cells) else ""
            if value:
                self._unit_columns[column] = value
                inherited = False
            else:
                value = self._unit_columns.get(column, "")
            if value:
                name = self._layout.names[column] if column < len(self._layout.names) else ""
                parts.append(f"{name}：{value}" if name else value)
        return ("；".join(parts) or None), inherited

    def _update_levels(self, level_cells: list[str], extra: list[str]) -> None:
        """Merged task cells are empty: keep the levels above; a filled cell replaces its level and
        everything below it. Numbered headings find their level by numbering style."""
        new: list[tuple[int, str]] = []
        for pos, c in enumerate(level_cells):
            for part in _split_heading_cells(c) if c else []:
                new.append((pos, part))
        for part in extra:
            new.append((len(level_cells), part))
        if not new:
            return
        levels = list(self._levels)
        for offset, (pos, text) in enumerate(new):
            style = match_marker(text)
            if style:
                same = [i for i, lv in enumerate(levels) if (m := match_marker(lv)) and m[0] == style[0]]
                if same:
                    levels = levels[: same[0]] + [text]
                    continue
                # a deeper numbered heading after an unnumbered or shallower level
                parent = [i for i, lv in enumerate(levels) if match_marker(lv)]
                if offset == 0 and pos == 0 and not parent:
                    levels = [text]
                else:
                    levels = levels[: (parent[-1] + 1) if parent else min(pos, len(levels))] + [text]
                continue
            cut = min(pos, len(levels)) if offset == 0 else len(levels)
            levels = levels[:cut] + [text]
        self._levels = levels


def _sublabels(units_text: str) -> str:
    """Sub-labelled unit lists ("区总体预案:区应急局 自然灾害类专项预案:区应急局、…") split per label."""
    return re.sub(r"\s+(?=[^\s:：、，]{2,20}[:：])", "；", units_text)
