"""Task tables that reach us as a stream of cells, one cell a line, with or without `|` marks between the
cells ("工作任务 |" / "具体要求 |" / … / "一、深入推进政策公开 |" / "1 |" / "聚焦…。 |" / "区直部门 |" / "持续推进 |").

The grid comes back from the header vocabulary and the column count: the header is the run of cells naming
columns (序号/工作任务/具体要求/责任单位/责任科室/完成时限/时限要求 and kin, indexer/patterns.py; a short word of
no known role between them, such as 公开载体, is a column to leave out). Each row opens at its 序号 cell and
takes the cells of the columns after it; cells standing between one row's last column and the next 序号 are
category cells ("一、…", "（一）…", or a merged task cell written once), which head the rows below them
instead of becoming rows. A row that leaves out a cell keeps the columns it has by content (a unit list is
the units, a time phrase the deadline). A header without 序号 puts the number after its leading task
columns, where such tables print it. Rows come back as TAB rows under the header for indexer/tables.py,
which carries merged cells down. Used by indexer/flat_tables/__init__.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.actors import unit_line
from indexer.fields import is_unit_name, looks_like_deadline, looks_like_units
from indexer.outline import match_marker
from indexer.tables import cell_role, header_roles

_PIPES = re.compile(r"\s*[|｜]\s*")
_NUMBER = re.compile(r"\d{1,3}[.．、]?")
_END = re.compile(r"^(?:抄送|主送)\s*[：:]|^[\u4e00-\u9fff]{2,30}(?:人民政府办公室|人民政府办公厅)\s*\d{4}\s*年")
_MAX_LEVELS = 3
_HEADING_THEN_TEXT = re.compile(r"^([（(]?\s*[一二三四五六七八九十\d]{1,3}\s*[）)、.．]\s*\S{2,40}?)\s+(\S.*)$")


def _cells_of(line: str) -> list[str]:
    """A line's cells: the pieces between `|` marks, or the line itself; nothing for a mark alone."""
    return [c for c in (p.strip() for p in _PIPES.split(line.strip())) if c]


def _column_word(cell: str) -> str | None:
    """The header role of a cell ("other" for a short word of no known role), or None when it names none."""
    word = re.sub(r"\s+", "", cell)
    if not word or len(word) > 8 or word.endswith("表"):
        return None
    role = cell_role(word)
    if role:
        return role
    return "other" if 2 <= len(word) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", word) else None


@dataclass
class _Header:
    words: list[str]
    roles: list[str]
    after: list[str]  # roles of the columns after the 序号 column, in order

    @classmethod
    def read(cls, cells: list[str]) -> _Header | None:
        words: list[str] = []
        roles: list[str] = []
        for cell in cells:
            role = _column_word(cell)
            if role is None or role == "number" and "number" in roles:
                break
            words.append(re.sub(r"\s+", "", cell))
            roles.append(role)
        while roles and roles[-1] == "other":
            roles.pop()
            words.pop()
        known = [r for r in roles if r != "other"]
        if len(known) < 3 or header_roles([w for w, r in zip(words, roles, strict=True) if r != "other"]) is None:
            return None
        if "number" in roles:
            after = roles[roles.index("number") + 1:]
        else:  # no 序号 in the header: the number stands after the leading task (category) columns
            lead = 0
            while lead < len(roles) - 1 and roles[lead] == "task":
                lead += 1
            after = roles[lead:]
        return cls(words, roles, after)


@dataclass
class _Row:
    number: str
    levels: list[str]  # category cells above it and its own task cells, outermost first
    text: str
    tail: dict[int, str] = field(default_factory=dict)  # column (index into header.after) -> cell


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.fullmatch(cell))


def _category(cell: str) -> bool:
    """A cell that heads rows: a numbered heading or a short phrase with no sentence in it."""
    body = match_marker(cell)
    text = body[3] if body else cell
    return len(text) <= 40 and not re.search(r"[。；;！？]", text.rstrip("。")) and not looks_like_deadline(cell) \
        and not looks_like_units(cell) and not unit_line(cell)


def _fits(role: str, cell: str, by_position: bool) -> bool:
    """Whether a cell stands in a units or deadline column: by what it says, or (when the row has exactly
    the header's cells) by a short sentence-free cell in that column."""
    if match_marker(cell) and _category(cell):
        return False
    if role == "units" and _unit_cell(cell):
        return True
    if role == "deadline" and looks_like_deadline(cell):
        return True
    limit = 40 if role == "units" else 20
    return by_position and len(cell) <= limit and "。" not in cell


def _own_number(cell: str) -> str | None:
    """The number of a task cell that opens with it ("1.对照法律法规…"): in a table without a 序号 column
    such a cell opens its row."""
    marker = match_marker(cell)
    return marker[1] if marker and marker[0] == "num" else None


def _segments(cells: list[str], numbered_cells: bool = False) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """(cells before the first 序号, [(序号, the cells up to the next one)]); with `numbered_cells` (no 序号
    column) a numbered task cell opens a row and stays its first cell."""
    before: list[str] = []
    out: list[tuple[str, list[str]]] = []
    for cell in cells:
        if _is_number(cell):
            out.append((cell.rstrip(".．、"), []))
        elif numbered_cells and (own := _own_number(cell)):
            out.append((own, [cell]))
        elif out:
            out[-1][1].append(cell)
        else:
            before.append(cell)
    return before, out


def _unit_closed_segments(cells: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Rows of a table with neither 序号 nor numbered task cells (a "回头看" table: 一级指标 / 二级指标 / 存在问题
    及建议 / 责任单位 / 完成期限 / 落实情况): a row opens at the requirement cell standing right before a unit
    cell, so the short cells before it head the rows after (as category cells do between numbered rows)."""
    opens = [k - 1 for k in range(1, len(cells))
             if _unit_cell(cells[k]) and not _unit_cell(cells[k - 1]) and not looks_like_deadline(cells[k - 1])]
    if not opens:
        return cells, []
    bounds = [*opens, len(cells)]
    return cells[:opens[0]], [("", cells[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def _read_segment(header: _Header, cells: list[str]) -> tuple[list[str], dict[int, str], list[str]]:
    """(body cells, tail cells by column, category cells for the rows after) of one row's cells."""
    cells = list(cells)
    after = header.after
    categories: list[str] = []
    extra = len(cells) - len(after)
    while cells and (extra > 0 and _category(cells[-1]) or match_marker(cells[-1]) and _category(cells[-1])
                     and len(cells) > 1):
        categories.insert(0, cells.pop())
        extra -= 1
    by_position = len(cells) == len(after)
    tail: dict[int, str] = {}
    for col in range(len(after) - 1, -1, -1):
        role = "other" if after[col] == "note" else after[col]  # 备注 / 落实情况: a column to leave out
        if role not in ("units", "deadline", "other"):
            break
        if len(cells) < 2:
            break
        if role == "other" and by_position or role != "other" and _fits(role, cells[-1], by_position):
            tail[col] = cells.pop()
    return cells, tail, categories


def _unit_cell(cell: str) -> bool:
    """A cell of unit names ("发展改革委、统计局", "法规科牵头,相关科(室)配合。")."""
    parts = [p for p in re.split(r"[、，,；;]", cell.strip().removesuffix("。")) if p]
    return looks_like_units(cell) or bool(unit_line(cell)) or len(parts) >= 2 and all(map(is_unit_name, parts))


def _continuations(header: _Header, cells: list[str], last: bool) -> list[list[str]]:
    """One 序号's cells as its rows: more cells than the header has columns, each run closed by a unit cell
    (and its deadline), are continuation rows whose merged leading cells were left out ("召开…发布会 |
    发展改革委、统计局、新闻办" under row 1's task). Cells after the last closed run stay with it."""
    if len(cells) <= len(header.after) or "units" not in header.after:
        return [cells]
    timed = "deadline" in header.after[header.after.index("units"):]
    groups: list[list[str]] = [[]]
    for k, cell in enumerate(cells):
        groups[-1].append(cell)
        nxt = cells[k + 1] if k + 1 < len(cells) else ""
        closes = _unit_cell(cell) and not _unit_cell(nxt) and not (timed and looks_like_deadline(nxt)) or (
            timed and looks_like_deadline(cell) and len(groups[-1]) >= 2 and _unit_cell(groups[-1][-2]))
        if closes and len(groups[-1]) >= 2 and k + 1 < len(cells):
            groups.append([])
    rest = groups[-1]
    if len(groups) > 1 and all(_category(c) for c in rest) and not (last and not match_marker(rest[0])):
        groups[-2].extend(groups.pop())  # category cells heading the rows after: they stay with the last row
    return [g for g in groups if g]  # at the table's end an unclosed rest of text is a row cut off there


def _rows(header: _Header, cells: list[str]) -> list[_Row]:
    before, segments = _segments(cells, "number" not in header.roles)
    if not segments and "number" not in header.roles:
        before, segments = _unit_closed_segments(cells)
    pending = [c for c in before if _category(c)]
    rows: list[_Row] = []
    for k, (number, cells_of_number) in enumerate(segments):
        seg, *more = _continuations(header, cells_of_number, k == len(segments) - 1)
        continued = []
        for cells_of_row in more:
            body, tail, _ = _read_segment(header, cells_of_row)
            continued.append(_Row("", [], body.pop() if body else "", tail))
        body, tail, categories = _read_segment(header, seg)
        text = body.pop() if body else ""
        heading = _HEADING_THEN_TEXT.match(text)
        if heading and match_marker(heading.group(1)) and _category(heading.group(1)):
            body.append(heading.group(1))  # "(三) 积极回应群众关切 出台重大政策…": a heading paragraph, then text
            text = heading.group(2)
        rows.append(_Row(number, [*pending, *body], text, tail))
        rows.extend(continued)  # the same task (merged cells), no number of their own
        pending = categories
    return rows


def _tab_rows(header: _Header, rows: list[_Row]) -> list[str]:
    """The header and rows as TAB lines: 序号, task cells (deepest last), the requirement, the tail columns."""
    levels = min(_MAX_LEVELS, max([len(r.levels) for r in rows] + [0]))
    tail_cols = [k for k, role in enumerate(header.after) if role in ("units", "deadline")]
    names = dict(zip(header.roles, header.words, strict=True))
    text_name = names.get("text") or names.get("task") or "具体要求"
    out = ["\t".join(["序号", *["工作任务"] * levels, text_name, *[header_word(header, k) for k in tail_cols]])]
    for r in rows:
        own = r.levels[-levels:] if levels else []
        out.append("\t".join([r.number, *[""] * (levels - len(own)), *own, r.text, *[r.tail.get(k, "") for k in tail_cols]]))
    return out


def header_word(header: _Header, column: int) -> str:
    """The header word of a column after the 序号 (by its place among the header's columns)."""
    offset = len(header.roles) - len(header.after)
    return header.words[offset + column]


def _is_mark_line(line: str) -> bool:
    return bool(line.strip()) and not line.replace("|", "").replace("｜", "").strip()


def _fits_column(role: str, cell: str) -> bool:
    if not cell or role not in ("units", "deadline"):
        return True
    return _fits(role, cell, True) and not (match_marker(cell) and _category(cell))


def _pipe_grid(lines: list[str], i: int, header: _Header) -> tuple[list[str], int] | None:
    """A stream that keeps its empty cells ("一、… |" / "|||"): every cell ends at a `|`, so the grid is the
    cells taken a header's width at a time, merged cells as empty ones. None when the stream is no such grid
    (no empty cell kept, or a row whose unit or deadline column holds something else)."""
    j = i
    while j < len(lines) and "\t" not in lines[j] and not _END.match(lines[j].strip()):
        j += 1
    region = [ln.strip() for ln in lines[i:j] if ln.strip()]
    closed = sum(1 for ln in region if re.search(r"[|｜]$", ln))  # "任务 |" / "省财政厅 |": each cell closed
    if sum(map(_is_mark_line, region)) < 0.4 * len(region) and closed < len(region) - 1 or not any(
            "||" in ln for ln in region):
        return None
    cells = [c.strip() for c in _PIPES.sub("|", "".join(region)).split("|")]
    width = len(header.words)
    if [re.sub(r"\s+", "", c) for c in cells[:width]] != header.words:  # "工 作 任 务": spaced header words
        return None
    cells = cells[width:]
    if cells and not cells[-1]:
        cells.pop()
    rows = [cells[k:k + width] for k in range(0, len(cells), width)]
    filled = 0
    for row in rows:
        if not all(_fits_column(role, cell) for role, cell in zip(header.roles, row, strict=False)):
            return None
        filled += any(role == "units" and cell for role, cell in zip(header.roles, row, strict=False))
    if filled < 2:
        return None
    return ["\t".join(header.words), *("\t".join(row + [""] * (width - len(row))) for row in rows)], j


def _table_at(lines: list[str], i: int) -> tuple[list[str], int] | None:
    """(TAB rows, index after the table) for a cell-stream table whose header starts at line i."""
    cells: list[str] = []
    j = i
    while j < len(lines) and len(cells) < 12 and "\t" not in lines[j]:
        got = _cells_of(lines[j])
        if got and _column_word(got[0]) is None:
            break
        cells.extend(got)
        j += 1
    header = _Header.read(cells)
    if header is None or len(header.words) < len(cells) and j - i <= 1:
        return None
    grid = _pipe_grid(lines, i, header) if "other" not in header.roles else None
    if grid is not None:
        return grid
    stream: list[str] = cells[len(header.words):]
    numbers = 0
    while j < len(lines) and "\t" not in lines[j] and not _END.match(lines[j].strip()):
        got = _cells_of(lines[j])
        numbers += sum(1 for c in got if _is_number(c) or "number" not in header.roles and _own_number(c))
        stream.extend(got)
        j += 1
    if numbers == 0 and "number" not in header.roles:
        numbers = len(_unit_closed_segments(stream)[1])
    if numbers < (1 if "number" in header.roles and len(header.roles) >= 4 else 2):
        return None  # a full header with its 序号 column may head a single (cut-off) row
    rows = _rows(header, stream)
    tail = {k for k, role in enumerate(header.after) if role in ("units", "deadline")}
    if not any(tail & set(r.tail) for r in rows):
        return None
    return _tab_rows(header, rows), j


_BARE_HEADER = _Header(["工作任务", "具体要求", "责任单位", "完成时限"], ["task", "text", "units", "deadline"],
                       ["text", "units", "deadline"])
_MIN_BARE_ROWS = 3


def _headerless_at(lines: list[str], i: int) -> tuple[list[str], int] | None:
    """A cell stream with no header, each cell ending at a `|` ("1.结合权责清单… |" / "法规科牵头,相关科(室)
    配合。 |" / "长期 |"): rows open at their numbered task cells and are read by what their cells say, as
    under a 工作任务/具体要求/责任单位/完成时限 header. None unless at least three rows close with unit cells."""
    j = i
    while j < len(lines) and re.search(r"[|｜]\s*$", lines[j]) and "\t" not in lines[j]:
        j += 1
    cells = [c for ln in lines[i:j] for c in _cells_of(ln)]
    numbered = sum(1 for c in cells if _own_number(c))
    units = sum(1 for c in cells if _unit_cell(c))
    if numbered < _MIN_BARE_ROWS or units < _MIN_BARE_ROWS:
        return None
    rows = _rows(_BARE_HEADER, cells)
    if sum(1 for r in rows if r.tail) < _MIN_BARE_ROWS:
        return None
    return _tab_rows(_BARE_HEADER, rows), j


def stream_tables(lines: list[str]) -> list[str]:
    """The lines with every cell-stream table replaced by its TAB rows (text around it kept)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        first = _cells_of(lines[i]) if "\t" not in lines[i] else []
        found = _table_at(lines, i) if first and _column_word(first[0]) is not None else None
        if found is None and first and re.search(r"[|｜]\s*$", lines[i]) and (i == 0 or "|" not in lines[i - 1]):
            found = _headerless_at(lines, i)
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        rows, i = found
        out.extend(rows)
    return out
