"""Task tables flattened into text with no cell separators -> TAB rows for indexer/tables.py.

A table copied from a web page often arrives as one long line ("序号 工作任务 具体要求 责任单位 完成时限 1 聚焦…
全年 2 主动公开…"), one line per row, or one cell per line, with its cells joined by single spaces or by
nothing. Merged cells are simply absent. This module finds the header words (the ones tables.py knows),
splits the rows at their consecutive 序号 (1, 2, 3 …; a number inside the text such as "20件" or "26+1+n"
never opens a row: of all chains of consecutive numbers, the one whose pieces read best as rows wins), then
peels each row from its end: the 完成时限, the 责任单位 list (牵头/配合 columns when spaced), the requirement,
and the short task headings before it (cells joined by nothing: the headings the body's own titles name).
A numbered section row without a 序号 ("二、加强平台建设") becomes a heading row. The rows are handed back as
TAB rows, empty cells where a cell is absent, so TableParser does all inheritance (merged cells) exactly as
for any other table.

Called from indexer.normalize.clean_lines on the raw lines (before spaces between Chinese words, which here
separate cells, are squashed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.fields import is_unit_name, looks_like_deadline, looks_like_units, split_units
from indexer.normalize import _PAGE_NUMBER
from indexer.outline import match_marker
from indexer.tables import _HEADER_WORDS, cell_role, header_roles

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORDS = sorted({w for words in _HEADER_WORDS.values() for w in words}, key=len, reverse=True)
_WORD = "|".join(r"[ ]?".join(map(re.escape, w)) for w in _WORDS)
_GLUED_HEADER = re.compile(rf"(?:序[ ]?号|编[ ]?号)(?:{_WORD})+")
_HEADER_WORD = re.compile(_WORD)
_SPACED_WORD = re.compile(r"[ \n]+(\S{1,10})(?=\s|$)")
_HEADER_HINT = re.compile(r"序[ ]?号|编[ ]?号")
# Where a flattened table stops although the line goes on: the 抄送 block or the "…印发" signature.
_TABLE_END = re.compile(
    rf"(?:抄送|主送)\s*[：:]|[{_CJK}]{{2,30}}(?:人民政府办公室|人民政府办公厅)\s*\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*印发"
)
_NUMBER = re.compile(r"(?<!\d)\d{1,3}(?!\d)")
_ROW_LINE = re.compile(r"^\d{1,3}(?![\d.．、%])")
# A number followed by one of these most likely counts something ("20件", "3个工作日"), and is no 序号.
_MEASURE = frozenset("号个次项件家条类名位万亿元天批期场轮届种份部台套座篇余倍级版季度")
# Characters a 序号 cannot follow ("第5", "（1）", "No.3", "1+N").
_NOT_BEFORE = frozenset("第.．-—－/~～+＋×*#(（[【〔<《“\"'：:")
_NOT_AFTER = frozenset(".．、%‰:：,，)）]】〕+＋-—/~～")
_OPENERS = frozenset("（(“《【〔\"'")
_TERMINAL = tuple("。！？!?；;…”）)」")
_SEPARATORS = frozenset("、，,；;")
_LIST_TAIL = " \n，,、；;：:"
# Two unit names written one after the other ("区司法局区政府各部门") when cells are joined by nothing.
_GLUED_UNITS = re.compile(r"(?<=[局办室委会处厅署院所站队部心）)])(?=(?:区|市|县|镇|乡|各|有关|相关)[\u4e00-\u9fff])")
_UNIT_PREFIXES = ("区", "市", "县", "镇", "乡", "各", "有关", "相关", "街道")
_MAX_ROW = 4000  # characters: longer "rows" are runs of several rows that lost their numbers
_BEAM = 6  # best chains kept per row number


def _plain(line: str) -> str:
    line = line.replace("\u00a0", " ").replace("\u3000", " ").replace("\u200b", "").replace("\ufeff", "")
    line = re.sub(r"</?[a-zA-Z][^>]*>", " ", line)
    return re.sub(r"[ \r\f\v]+", " ", line.replace("**", "")).strip()


@dataclass
class _Header:
    start: int
    end: int
    words: list[str]
    spaced: bool  # its words (and so the table's cells) are separated by spaces


def _header_at(text: str, start: int) -> _Header | None:
    """The task-table header that opens at `start` (on 序号/编号): words separated by spaces, each naming a
    column (by containment, as for TAB headers: "主要任务"), or known words joined with nothing."""
    first = re.match(r"序[ ]?号|编[ ]?号", text[start:])
    if first is None:
        return None
    words, pos = [re.sub(r"\s+", "", first.group(0))], start + first.end()
    while True:
        m = _SPACED_WORD.match(text, pos)
        if m is None or not cell_role(m.group(1)):
            break
        words.append(m.group(1))
        pos = m.end()
    if len(words) >= 3 and header_roles(words):
        return _Header(start, pos, words, True)
    m = _GLUED_HEADER.match(text, start)
    if m:
        words = [re.sub(r"\s+", "", w) for w in _HEADER_WORD.findall(m.group(0))]
        if len(words) >= 3 and header_roles(words):
            return _Header(start, m.end(), words, False)
    return None


def _headers(text: str) -> list[_Header]:
    found: list[_Header] = []
    for m in _HEADER_HINT.finditer(text):
        if found and m.start() < found[-1].end:
            continue
        header = _header_at(text, m.start())
        if header:
            found.append(header)
    return found


@dataclass
class _Row:
    number: str
    headings: list[str]
    text: str
    units: str | None
    deadline: str | None
    depths: list[int] = field(default_factory=list)  # each heading's level where known (-1: not known)


@dataclass
class _Candidate:
    start: int
    end: int
    bonus: float


@dataclass
class _Layout:
    """The header's columns: number, body (task levels + requirement) and the trailing units/deadline ones."""

    number_word: str
    body_words: list[str]
    tail: list[tuple[str, str]]  # (role, header word) of units / deadline columns, in order
    spaced: bool  # cells are separated by spaces (else joined with nothing)
    headings: list[tuple[re.Pattern[str], int]] = field(default_factory=list)  # see heading_patterns
    unit_columns: int = field(init=False)

    def __post_init__(self) -> None:
        self.unit_columns = sum(1 for role, _ in self.tail if role == "units")

    @property
    def peel_order(self) -> list[str]:
        """Roles to peel from a row's end: "deadline" / "units" (several unit columns peel as one)."""
        order: list[str] = []
        for role, _ in reversed(self.tail):
            if not order or order[-1] != role:
                order.append(role)
        return order


def _layout(words: list[str], spaced: bool) -> _Layout | None:
    roles = header_roles(words)
    if roles is None or roles[0] != "number":
        return None
    body = [w for w, r in zip(words, roles, strict=True) if r in {"task", "text"}]
    tail = [(r, w) for w, r in zip(words, roles, strict=True) if r in {"units", "deadline"}]
    if not body or not tail:
        return None
    return _Layout(number_word=words[0], body_words=body, tail=tail, spaced=spaced)


# ---------------------------------------------------------------------------------------------- one row


def _spans(s: str, spaced: bool) -> list[tuple[int, int]]:
    """List items of `s`: split at 、，；(and spaces when cells are spaced), never inside brackets."""
    out: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(s):
        if ch in "（(【[〔":
            depth += 1
        elif ch in "）)】]〕":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in _SEPARATORS or ch.isspace() and (spaced or ch == "\n")):
            if i > start:
                out.append((start, i))
            start = i + 1
    if len(s) > start:
        out.append((start, len(s)))
    return out


def _unitish(item: str) -> bool:
    item = re.sub(r"^[^:：]{1,20}[:：]", "", item.strip())
    if not item or len(item) > 40 or "。" in item:
        return False
    bare = re.sub(r"[（(][^（）()]*[）)]$", "", item)
    return is_unit_name(item) or bool(bare) and bare != item and is_unit_name(bare)


def _glued_unit_start(token: str, known: frozenset[str]) -> int | None:
    """Where a unit name begins inside text it is glued to ("…解读回应区发展改革局"): a unit name met in the
    table's other rows, else the first unit-like tail that opens with 区/市/县/各…."""
    for i in range(1, len(token) - 1):
        if token[i:] in known:
            return i
    for i in range(1, len(token) - 1):
        tail = token[i:]
        if tail.startswith(_UNIT_PREFIXES) and len(tail) <= 20 and _unitish(tail) and not _unitish(token[:i]):
            return i
    return None


# Words of a requirement, never of a 完成时限 cell: a "deadline" holding one runs into the next row's text.
_NOT_DEADLINE = re.compile(r"做好|加强|深化|开展|建立|健全|发布|任务|信息|政策|[局室办委]")


def _deadline_ok(cell: str, spaced: bool) -> bool:
    """A whole 完成时限 cell: reads as one, and every number in it is part of a date or a count of days."""
    if not looks_like_deadline(cell) or re.search(r"\d(?![\d年月日号个.．/\-]|\s*(?:个|日|天|周))", cell):
        return False
    if spaced:  # one cell: words after a space are a cell of their own unless they read as a time too
        return all(looks_like_deadline(chunk) for chunk in re.split(r"\s+(?=\D)", cell))
    return len(cell) <= 24 and not _NOT_DEADLINE.search(cell)


def _peel_deadline(s: str, spaced: bool) -> tuple[str, str | None]:
    for i in range(max(1, len(s) - 40), len(s)):
        before = s[i - 1]
        if before.isdigit() or before in ".．/-" or s[i].isspace():
            continue
        if spaced and not (before.isspace() or before in "。；;"):
            continue
        if _deadline_ok(s[i:].strip(), spaced):
            return s[:i].rstrip(_LIST_TAIL), s[i:].strip()
    return s, None


def _positional_deadline(s: str, known: frozenset[str]) -> tuple[str, str | None]:
    """Spaced cells: a short last cell that is no deadline by its words ("按上级要求") still is one when the
    cell before it is the units list (as TableParser reads a short cell in the 完成时限 column)."""
    m = re.search(r"\s(\S{1,20})$", s)
    if m is None or re.search(r"[。；;]", m.group(1)) or _unitish(m.group(1)):
        return s, None
    rest = s[: m.start()].rstrip()
    if _peel_units(rest, True, known)[1] is None:
        return s, None
    return rest, m.group(1)


def _peel_units(s: str, spaced: bool, known: frozenset[str]) -> tuple[str, str | None]:
    """(the rest, the 责任单位 list ending `s`): the longest run of unit names at the end, stopping at the 。
    that ends the requirement (or, spaced, at the space before the cell)."""
    items: list[tuple[int, int]] = []  # the unit names, from the last one back
    base = max(s.rfind("。"), len(s) - 400, 0)  # a units list never holds a 。 nor runs longer
    for a, b in reversed([(base + a, base + b) for a, b in _spans(s[base:], spaced)]):
        token = s[a:b]
        cut = token.rfind("。")
        if cut >= 0:
            if token[cut + 1:] and _unitish(token[cut + 1:]):
                items.append((a + cut + 1, b))
            break
        if _unitish(token):
            items.append((a, b))
            continue
        if not spaced and (k := _glued_unit_start(token, known)) is not None:
            items.append((a + k, b))
        break
    if not items:
        return s, None
    if spaced:  # the cell starts after a space (or right after the requirement's 。)
        at_cell = [a for a, _ in items if a > 0 and (s[a - 1].isspace() or s[a - 1] in "。；")]
        start = min(at_cell) if at_cell else items[-1][0]
        if not at_cell:  # a first name that reads as none ("各镇（街道）、县直各部门"): back to the space
            ws = max(s.rfind(" ", 0, start), s.rfind("\n", 0, start))
            head = s[ws + 1:start]
            if ws > 0 and not re.search(r"[。；;]", head) and all(len(x) <= 15 for x in re.split(r"[、，,]", head)):
                start = ws + 1
    else:
        start, end = items[-1]
        token = s[start:end]  # the first name may still carry the end of an unpunctuated requirement
        if token not in known and (re.search(r"[\dA-Za-z]", token) or len(token) > 20):
            start += _glued_unit_start(token, known) or 0
    units = s[start:].strip()
    text = s[:start].rstrip(_LIST_TAIL)
    names = [units[a:b] for a, b in _spans(units, spaced)]
    if not text or not names or sum(map(_unitish, names)) * 2 < len(names) + 1 and not looks_like_units(units):
        return s, None
    return text, units


def _heading_like(chunk: str) -> bool:
    body = chunk.rstrip("。") if match_marker(chunk) else chunk
    return (2 <= len(body) <= 45 and not re.search(r"[。；;！!？?]", body) and not body.endswith(tuple("，,、：:"))
            and not looks_like_deadline(body))


def _split_headings(s: str) -> tuple[list[str], str]:
    """Spaced cells: the short task headings before the requirement ("聚焦重点领域 紧扣… 抓好…。")."""
    s = s.strip()
    cuts = [m for m in re.finditer(r"\s+", s)
            if not (s[m.start() - 1].isascii() and s[m.start() - 1].isalnum())
            and not (s[m.end()].isascii() and s[m.end()].isalnum())]
    chunks: list[tuple[int, int]] = []
    start = 0
    for m in cuts:
        chunks.append((start, m.start()))
        start = m.end()
    chunks.append((start, len(s)))
    merged: list[tuple[int, int]] = []
    for a, b in chunks:  # "(一)" alone is the number of the heading after it
        if merged and (m := re.fullmatch(r"[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]?", s[merged[-1][0]:merged[-1][1]])) \
                and m.group(0):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    headings: list[str] = []
    for k, (a, b) in enumerate(merged[:-1]):
        if not _heading_like(s[a:b]):
            return headings, s[a:].strip()
        headings.append(s[a:b].strip())
        if k == len(merged) - 2:
            return headings, s[merged[-1][0]:].strip()
    return headings, s.strip()


_MARKER = r"(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|\d{1,2}\s*[.．、](?!\d))"
_MARKER_AT = re.compile(_MARKER)
_WIDE = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；"})
_VARIANTS = {"，": "[，,]", "（": "[（(]", "）": "[）)]", "：": "[：:]", "；": "[；;]", "“": "[“\"]", "”": "[”\"]"}


def heading_patterns(lines: list[str]) -> list[tuple[re.Pattern[str], int]]:
    """Patterns of the document's numbered titles ("一、聚焦重点领域，深化信息公开", "（一）紧扣…") with their depth
    (0 for the numbering style met first), to find the task headings a table row starts with when its cells
    are joined by nothing."""
    titles: dict[str, int] = {}
    styles: list[str] = []
    for line in lines:
        if "\t" in line:
            continue
        marks = list(_MARKER_AT.finditer(line))
        for k, m in enumerate(marks):
            stop = marks[k + 1].start() if k + 1 < len(marks) else len(line)
            title = re.split(r"[。；;！？]", line[m.end():stop], maxsplit=1)[0]
            title = re.sub(r"\s+", "", title).translate(_WIDE)
            marker = match_marker(m.group(0) + "x")
            style = marker[0] if marker else ""
            if style not in styles:
                styles.append(style)
            if 4 <= len(title) <= 45:
                titles.setdefault(title, styles.index(style))
    out = []
    for title in sorted(titles, key=len, reverse=True):
        body = r"\s*".join(_VARIANTS.get(ch, re.escape(ch)) for ch in title)
        out.append((re.compile(rf"\s*(?:{_MARKER}\s*)?{body}\s*[。.]?"), titles[title]))
    return out


def _glued_headings(s: str, patterns: list[tuple[re.Pattern[str], int]]) -> tuple[list[str], list[int], str]:
    """Cells joined by nothing: the headings a row opens with, known from the document's own titles (or a
    numbered heading ended by the next number: "一、聚焦重点领域（一）…"), their depths (-1: unknown), the rest."""
    headings: list[str] = []
    depths: list[int] = []
    pos = 0
    while len(headings) < 3:
        rest = s[pos:]
        found = next(((m, d) for p, d in patterns if (m := p.match(rest)) and rest[m.end():].strip()), None)
        if found is None and (start := _MARKER_AT.match(rest)):
            nxt = _MARKER_AT.search(rest, start.end())
            if nxt and nxt.start() <= 45 and not re.search(r"[。；;]", rest[:nxt.start()]):
                headings.append(rest[:nxt.start()].strip())  # the heading is everything before the next number
                depths.append(-1)
                pos += nxt.start()
                continue
        if found is None:
            break
        headings.append(rest[:found[0].end()].strip())
        depths.append(found[1])
        pos += found[0].end()
    return headings, depths, s[pos:].strip()


def _peel(segment: str, layout: _Layout, known: frozenset[str]) -> _Row:
    s = segment.strip()
    units = deadline = None
    for role in layout.peel_order:
        if role == "deadline" and deadline is None:
            s, deadline = _peel_deadline(s, layout.spaced)
            if deadline is None and layout.spaced and "units" in layout.peel_order:
                s, deadline = _positional_deadline(s, known)
        elif role == "units" and units is None:
            s, units = _peel_units(s, layout.spaced, known)
    depths: list[int] = []
    if layout.spaced:
        headings, text = _split_headings(s)
    elif layout.headings:
        headings, depths, text = _glued_headings(s, layout.headings)
    else:
        headings, text = [], s.strip()
    return _Row("", headings, text, units, deadline, depths)


_SECTION_MARK = re.compile(r"[一二三四五六七八九十]{1,3}\s*、|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]")


def _section_tail(segment: str, layout: _Layout) -> tuple[str, str | None]:
    """A numbered section row spanning the table ("… 全年 二、加强平台建设 5 …") ends the row before it: (the
    row, the section heading), the heading when what precedes it ends like a row (a deadline, units, a 。)."""
    s = segment.rstrip()
    for m in _SECTION_MARK.finditer(s, max(0, len(s) - 46)):
        before, tail = s[: m.start()], s[m.start():].strip()
        if not before.strip() or len(tail) > 45 or re.search(r"[。；;！？]", tail):
            continue
        if (before[-1] in "一二三四五六七八九十第" or layout.spaced and not before[-1].isspace()
                or not _heading_like(tail)):
            continue
        row = _peel(before, layout, frozenset())
        if row.text and (row.deadline or row.units or before.rstrip().endswith("。")):
            return before, tail
    return segment, None


def _score(row: _Row) -> float:
    score = 0.0
    if row.deadline:
        score += 2
    if row.units:
        score += 2
    if row.text.endswith(_TERMINAL):
        score += 1
    elif not row.units and not row.deadline:
        score -= 4  # a row cut in the middle of its sentence
    if not row.text:
        score -= 6
    elif len(row.text) < 4:
        score -= 2
    return score


# ---------------------------------------------------------------------------------------------- the rows


def _candidates(stream: str, spaced: bool) -> dict[int, list[_Candidate]]:
    found: dict[int, list[_Candidate]] = {}
    for m in _NUMBER.finditer(stream):
        a, b = m.span()
        before = stream[a - 1] if a else "\n"
        if before in _NOT_BEFORE or before.isascii() and before.isalpha():
            continue
        if b >= len(stream) or stream[b] in _NOT_AFTER:
            continue
        j = b
        while j < len(stream) and stream[j] in " \n":
            j += 1
        if j >= len(stream):
            continue
        nxt = stream[j]
        if nxt in "年月日" or not (re.match(rf"[{_CJK}]", nxt) or nxt in _OPENERS or j > b and spaced and nxt.isdigit()):
            continue
        bonus = 3.0 if before == "\n" else 1.5 if before.isspace() else 0.0
        bonus += 0.5 if j > b else 0.0
        if nxt in _MEASURE:  # most likely counts something; a row may still start so ("项目…")
            bonus -= 4
        found.setdefault(int(m.group(0)), []).append(_Candidate(a, b, bonus))
    return found


def _split_rows(stream: str, layout: _Layout) -> list[tuple[str, str]] | None:
    """(序号, cell text) of each row: the chain of consecutive numbers that reads best as table rows."""
    cands = _candidates(stream, layout.spaced)
    lead = len(stream) - len(stream.lstrip())
    firsts = [(v, c) for v, cs in cands.items() for c in cs if c.start == lead]
    if not firsts:  # a section row before the first numbered row ("一、聚焦重点领域 1 …")
        firsts = sorted(((v, c) for v, cs in cands.items() for c in cs
                         if c.start <= 60 and _SECTION_MARK.match(stream, lead) and _heading_like(stream[:c.start].strip())),
                        key=lambda vc: vc[1].start)[:1]
    if not firsts:
        return None
    first_value, first = firsts[0]
    none: frozenset[str] = frozenset()
    cache: dict[tuple[int, int], float] = {}

    def seg(a: int, b: int) -> float:
        if (a, b) not in cache:  # a very long "row" most likely runs over rows whose numbers were passed by
            cache[(a, b)] = _score(_peel(_section_tail(stream[a:b], layout)[0], layout, none)) - max(0, b - a - 600) / 600
        return cache[(a, b)]

    # layer: candidate -> (score so far, previous candidate index in the layer before)
    layers: list[list[tuple[_Candidate, float, int]]] = [[(first, first.bonus, -1)]]
    value = first_value
    while value + 1 in cands:
        layer: list[tuple[_Candidate, float, int]] = []
        for c in cands[value + 1]:
            best, back = None, -1
            for k, (p, score, _) in enumerate(layers[-1]):
                if not (p.end + 1 < c.start <= p.end + _MAX_ROW):
                    continue
                total = score + seg(p.end, c.start) + 1 + c.bonus
                if best is None or total > best:
                    best, back = total, k
            if best is not None:
                layer.append((c, best, back))
        if not layer:
            break
        if len(layer) > _BEAM:
            keep = sorted(range(len(layer)), key=lambda k: -layer[k][1])[:_BEAM]
            layer = [layer[k] for k in sorted(keep)]
        layers.append(layer)
        value += 1
    best_total, where = None, (0, 0)
    ends = [(d, k) for d, layer in enumerate(layers) for k, (c, _, _) in enumerate(layer)
            if len(stream) - c.end <= _MAX_ROW] or [(len(layers) - 1, k) for k in range(len(layers[-1]))]
    for depth, k in ends:
        c, score, _ = layers[depth][k]
        total = score + seg(c.end, len(stream))
        if best_total is None or total > best_total:
            best_total, where = total, (depth, k)
    if best_total is None:
        return None
    chain: list[_Candidate] = []
    depth, k = where
    while depth >= 0:
        c, _, back = layers[depth][k]
        chain.append(c)
        depth, k = depth - 1, back
    chain.reverse()
    bounds = [c.start for c in chain[1:]] + [len(stream)]
    parts = [(stream[c.start:c.end], stream[c.end:b]) for c, b in zip(chain, bounds, strict=True)]
    if chain[0].start > lead:
        parts.insert(0, ("", stream[:chain[0].start]))
    return parts


def _unit_cells(units: str | None, layout: _Layout) -> list[str]:
    """The units text spread over the header's unit columns (牵头单位 / 配合单位 when cells are spaced)."""
    if not units:
        return [""] * layout.unit_columns
    if not layout.spaced:
        units = _GLUED_UNITS.sub("、", units)
    if layout.unit_columns == 1:
        return [units]
    groups = units.split() if layout.spaced else [units]
    if len(groups) < 2:
        return [units] + [""] * (layout.unit_columns - 1)
    head = groups[: layout.unit_columns - 1]
    return [*head, " ".join(groups[layout.unit_columns - 1:])]


def _level_cells(row: _Row, levels: int) -> list[str]:
    """The row's headings in `levels` cells: the last ones when their depth is unknown (a row that names a
    heading repeats the deepest ones), else at their depth in the document's numbering."""
    cells = [""] * levels
    if not levels or not row.headings:
        return cells
    if len(row.depths) == len(row.headings) and all(d >= 0 for d in row.depths):
        at = [min(d, levels - 1) for d in row.depths]
        if all(a < b for a, b in zip(at, at[1:], strict=False)):
            for a, h in zip(at, row.headings, strict=True):
                cells[a] = h
            return cells
    headings = row.headings[len(row.headings) - levels:]
    cells[levels - len(headings):] = headings
    return cells


def recover_rows(words: list[str], stream: str, spaced: bool, context: list[str] | None = None) -> list[str] | None:
    """TAB lines (header, then rows) for a flattened table: its header words and the text after them.
    `context` is the document's other lines, whose numbered titles help find headings in unspaced rows."""
    layout = _layout(words, spaced)
    if layout is None:
        return None
    if not spaced and context:
        layout.headings = heading_patterns(context)
    for header in reversed(_headers(stream)):  # a header repeated on every page of the table
        stream = f"{stream[:header.start]}\n{stream[header.end:]}"
    parts = _split_rows(stream, layout)
    if not parts:
        return None
    number, last = parts[-1]
    last, after = _after_table(last, layout)
    parts[-1] = (number, last)
    cells: list[tuple[str, str, str | None]] = []  # (序号, row text, section row after it)
    for number, text in parts:
        if not number:  # a section row before the first row
            cells.append(("", "", text.strip()))
            continue
        text, section = _section_tail(text, layout)
        cells.append((number, text, section))
    first = [_peel(text, layout, frozenset()) for number, text, _ in cells if number]
    known = frozenset(u for r in first if r.units for u in split_units(r.units))
    rows = [_peel(text, layout, known) if number else None for number, text, _ in cells]
    if not any(r and (r.units or r.deadline) for r in rows):
        return None
    levels = max(len(layout.body_words) - 1, max(len(r.headings) for r in rows if r))
    header = [layout.number_word, *layout.body_words[:-1], *[""] * (levels - len(layout.body_words) + 1),
              layout.body_words[-1], *[w for _, w in layout.tail]]
    out = ["\t".join(header)]
    for (number, _, section), r in zip(cells, rows, strict=True):
        if r:
            unit_cells = iter(_unit_cells(r.units, layout))
            tail = [(r.deadline or "") if role == "deadline" else next(unit_cells) for role, _ in layout.tail]
            out.append("\t".join([number, *_level_cells(r, levels), r.text, *tail]))
        if section:
            out.append(f"{section}\t")  # a section row: its heading alone, as a TAB table has it
    return out + ([after] if after else [])


def _after_table(segment: str, layout: _Layout) -> tuple[str, str]:
    """The last row and the text after the table on the same line (spaced cells): when the whole segment does
    not end like a row, it ends at the first space after which it would (a deadline or units before it)."""
    if not layout.spaced:
        return segment, ""
    row = _peel(segment, layout, frozenset())
    if row.units or row.deadline:
        return segment, ""
    for m in re.finditer(r"\s+", segment.strip()):
        if m.start() > 1500:
            break
        head = _peel(segment.strip()[: m.start()], layout, frozenset())
        if head.text and head.deadline and head.units:
            return segment.strip()[: m.start()], segment.strip()[m.end():]
    return segment, ""


def _row_lines(lines: list[str], j: int) -> tuple[list[str], int]:
    """Rows on lines of their own after a header line, each opening with its 序号. Lines without one belong to
    the table when a row follows them: a section row ("二、加强平台建设") stays a line of its own, other lines
    continue the row above (a row hard-wrapped by a PDF or a fixed-width export). Returns the lines and the
    index after them."""
    parts: list[str] = []
    while j < len(lines) and "\t" not in lines[j]:
        nxt = _plain(lines[j])
        if _ROW_LINE.match(nxt) or _header_at(nxt, 0):
            parts.append(nxt)
            j += 1
            continue
        k = j  # the next line that opens a row, past blank and wrapped lines
        while k < min(len(lines), j + 30) and "\t" not in lines[k] and not _ROW_LINE.match(_plain(lines[k])):
            if _TABLE_END.match(_plain(lines[k])):
                break
            k += 1
        if not (k < len(lines) and "\t" not in lines[k] and _ROW_LINE.match(_plain(lines[k]))):
            break
        for line in (_plain(x) for x in lines[j:k]):
            if not line or _PAGE_NUMBER.match(line):
                continue
            if parts and not (_SECTION_MARK.match(line) and _heading_like(line)):
                parts[-1] += line
            else:
                parts.append(line)
        j = k
    return parts, j


def _cell_lines(lines: list[str], j: int, width: int) -> tuple[list[str], int]:
    """A table written one cell per line with no TABs ("1" / "聚焦重点领域…" / … / "全年" / "2" / …): its lines up
    to where more lines follow a row than it has cells."""
    parts: list[str] = []
    since = 0
    while j < len(lines) and "\t" not in lines[j]:
        nxt = _plain(lines[j])
        if nxt:
            if re.fullmatch(r"\d{1,3}", nxt):
                since = 0
            elif since > width + 1 or _TABLE_END.match(nxt):
                break
            else:
                since += 1
            parts.append(nxt)
        j += 1
    while parts and not re.fullmatch(r"\d{1,3}", parts[-1]) and j > 0 and not _plain(lines[j - 1]):
        j -= 1  # blank lines after the table stay outside it
    return parts, j


def _header_on_lines(lines: list[str], i: int) -> tuple[_Header, int] | None:
    """A header written one word per line ("序号" / "工作任务" / …), and the index after it."""
    words = [_plain(lines[i])]
    j = i + 1
    while j < len(lines) and "\t" not in lines[j] and len(_plain(lines[j])) <= 10 and cell_role(_plain(lines[j])):
        words.append(_plain(lines[j]))
        j += 1
    if len(words) >= 3 and header_roles(words):
        return _Header(0, 0, [re.sub(r"\s+", "", w) for w in words], True), j
    return None


def unflatten_tables(lines: list[str]) -> list[str]:
    """The lines with every flattened task table replaced by its TAB rows (text around it kept)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        header, plain, by_lines = None, "", None
        if "\t" not in line and _HEADER_HINT.search(line):
            plain = _plain(line)
            header = next(iter(_headers(plain)), None)
            by_lines = _header_on_lines(lines, i) if header is None and _HEADER_HINT.fullmatch(plain) else None
        if header is None and not by_lines:
            out.append(line)
            i += 1
            continue
        if header is not None:
            parts, j = _row_lines(lines, i + 1)
            parts.insert(0, plain[header.end:])
            prefix = plain[: header.start].strip()
        else:
            assert by_lines is not None
            header, k = by_lines
            parts, j = _cell_lines(lines, k, len(header.words))
            prefix = ""
        stream = "\n".join(parts)
        end = _TABLE_END.search(stream)
        rest = stream[end.start():].strip() if end else ""
        stream = stream[: end.start()] if end else stream
        table = recover_rows(header.words, stream, header.spaced, context=[*lines[:i], prefix, *lines[j:]])
        if table is None:
            out.append(line)
            i += 1
            continue
        out.extend([prefix] if prefix else [])
        out.extend(table)
        out.extend([rest] if rest else [])
        i = j
    return out
