"""Plan text -> `Document` with clause-level `Entry`s: metadata, body clauses, task-table rows, and links.

Data flow: read.read_document -> flat_tables.recover_tables -> normalize.clean_lines ->
(outline.parse_outline + tables.TableParser) -> here -> list[Entry] for the bot's index. Ids are `<file stem>#<clause path>` (e.g. `…#一.(五)`) or
`<file stem>#表.<序号>` for table rows, so they survive a rebuild.
"""
from __future__ import annotations

import re
from pathlib import Path

from indexer import fields, metadata
from indexer.actors import sentence_actors, split_roles, trailing_actors
from indexer.annotations import Note, apply_rule, notes_in, pieces
from indexer.checks import document_warnings
from indexer.chrome import strip_chrome
from indexer.divisions import Division
from indexer.flat_tables import recover_tables
from indexer.hanzi import Verbatim, looks_traditional, simplify
from indexer.model import Document, Entry
from indexer.normalize import clean_lines, split_lines, without_glosses
from indexer.outline import Clause, parse_outline
from indexer.tables import TableParser, TaskRow, header_roles

_BODY_END = re.compile(r"^\s*(?:附件|附表|抄送|主送)")
_SIGNATURE = re.compile(
    r"^\s*(?:[\u4e00-\u9fff]{2,30}(?:人民政府办公室|人民政府办公厅|人民政府|办公室))?\s*"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:印发|发布)?\s*$"
)
_OFFICE_ONLY = re.compile(r"^\s*[\u4e00-\u9fff]{2,30}(?:人民政府办公室|人民政府办公厅|人民政府)\s*(?:文件)?\s*$")
_PUBLISH_NOTE = re.compile(r"^\s*[（(]此件(?:公开发布|主动公开|不公开)[）)]\s*$")

_DISPLAY = {"cn": "{}、", "pcn": "（{}）", "num": "{}.", "pnum": "（{}）", "circ": "{}", "art": "第{}条"}


def _display(node: Clause) -> str:
    raw = node.label.strip("()")
    return _DISPLAY.get(node.style, "{}").format(raw)


def _squash(s: str) -> str:
    return re.sub(r"[\s\u3000]+", "", s)


def _find_title(lines: list[str]) -> int | None:
    for i, line in enumerate(lines[:80]):
        if metadata.is_plan_title(line):
            return i
    return None


def _body_range(lines: list[str], title_index: int | None) -> tuple[int, int]:
    start = (title_index + 1) if title_index is not None else 0
    if title_index is None:
        # No recognisable title: the body starts after the letterhead/notice, at the first numbered clause.
        from indexer.outline import match_marker

        for i, line in enumerate(lines):
            if "\t" in line and header_roles(line.split("\t")):
                break  # a task table before any clause: the lines above it are the preamble, the table the plan
            if match_marker(line):
                start = i
                break
    end = len(lines)
    for i in range(start, len(lines)):
        if _BODY_END.match(lines[i]) or "\t" in lines[i]:
            end = i
            break
    return start, end


def _is_noise(line: str) -> bool:
    return bool(_SIGNATURE.match(fields.arabic_dates(line)) or _OFFICE_ONLY.match(line) or _PUBLISH_NOTE.match(line))


class _Builder:
    """Accumulates entries for one document, keeping ids unique and stable."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[str] = set()
        self.forward: list[str] = []  # units a note gave every item after it ("以下责任单位均包含…")
        self.carried: dict[str, list[str]] = {}  # entry id -> those units, kept apart from lead/support
        self.rule: str | None = None  # a note's role rule that holds onward ("逗号前为牵头单位…,下同")

    def add(self, kind: str, number: str, section: str, text: str, **extra: object) -> Entry:
        base = f"{self.doc.doc_id}#{number}"
        eid, k = base, 2
        while eid in self.seen:
            eid, k = f"{base}-{k}", k + 1
        self.seen.add(eid)
        entry = Entry(
            id=eid, kind=kind, number=number, section=section, text=text,
            doc=self.doc.doc_id, region=self.doc.region, year=self.doc.year, title=self.doc.title,
            **extra,  # type: ignore[arg-type]
        )
        self.doc.entries.append(entry)
        return entry


def _clause_entries(b: _Builder, text: str, number: str, section: str, heading: str = "") -> None:
    """A clause as one entry, or as one per piece when notes naming units stand inside it with more text
    after them (each note names the units of the text before it). Units and deadline come from the notes
    ("（责任单位：…；完成时限：…）" in any bracket and wording, indexer/annotations.py), else from a
    "责任单位：…" sentence; the deadline else from the sentence ("2023年6月底前完成"). Units a note
    carries forward ("以下责任单位均包含…") are given to every later clause."""
    notes = notes_in(text)
    for note in notes:  # "逗号前为牵头单位…,下同": a role rule read once holds for the later notes
        if note.rule and note.rule_onward:
            b.rule = note.rule
        elif note.rule is None and b.rule and note.units:
            apply_rule(note, b.rule)
    for k, (piece, own) in enumerate(pieces(text, notes)):
        units = _union([n.units for n in own])
        roles = "；".join(n.wording for n in own if n.wording) or None
        if not units:
            units, roles = fields.inline_units(piece)
        deadline = next((n.deadline for n in own if n.deadline), None)
        if deadline is None:
            deadline = fields.deadline_in_text(_without_notes(piece, own, text))
        entry = b.add(
            "clause", number if k == 0 else f"{number}.s{k + 1}", section, piece,
            responsible=units, roles=roles, deadline=deadline, due=fields.due_date(deadline, b.doc.year),
            heading=heading if k == 0 else "", unit_source="annotation" if units else None,
        )
        if any(n.rule or b.rule for n in own) and units:  # roles a rule gave, not the wording's
            entry.lead = _union([n.lead for n in own])
            entry.support = [u for u in _union([n.support for n in own]) if u not in entry.lead]
        if b.forward:
            b.carried[entry.id] = list(b.forward)
        for n in own:
            b.forward.extend(u for u in n.forward if u not in b.forward)


def _without_notes(piece: str, notes: list[Note], text: str) -> str:
    """The piece with its notes taken out (a date inside a note is the note's, not the sentence's)."""
    for n in notes:
        piece = piece.replace(text[n.start:n.end], "")
    return piece


def _clause_entry(b: _Builder, node: Clause, number: str, section: str) -> None:
    text = node.full_text
    heading = node.title if node.title != text.strip() else ""
    _clause_entries(b, text, number, section, heading)


def _walk(b: _Builder, nodes: list[Clause], prefix: str, path: list[str]) -> None:
    for node in nodes:
        number = f"{prefix}.{node.label}" if prefix else node.label
        shown = f"{_display(node)}{node.title}"
        if not (node.children and node.is_bare_heading):
            _clause_entry(b, node, number, " > ".join(path))
        _walk(b, node.children, number, [*path, shown])
        for k, para in enumerate(node.loose, 1):
            _clause_entries(b, para, f"{number}.p{k}", " > ".join(path))


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


_LINK_MIN = 0.6  # share of a row's character pairs found in a clause for the two to be one task
_LINK_UNDER_TITLE = 0.3  # the same when the row is filed under that clause's own title


def _title_key(title: str) -> str:
    """A clause or task title without numbering, punctuation or spaces, for matching the two."""
    t = re.sub(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])\s*", "", title.strip())
    return re.sub(r"[\s，。、；：,.;:“”\"]", "", t)


def _best_clause(row: Entry, grams: list[tuple[set[str], Entry]], titles: dict[str, Entry]) -> Entry | None:
    """The body clause a table row restates, or None: most of the row's wording appears in it."""
    rg = _bigrams(row.text)
    if len(rg) < 4:
        return None
    best, best_cov = None, 0.0
    for cg, clause in grams:
        cov = len(rg & cg) / len(rg)
        if cov > best_cov:
            best, best_cov = clause, cov
    # The table's own task heading naming a clause title ("紧扣高质量发展加强信息公开") is strong
    # evidence: a row filed under it restates that clause even when the table rewords the sentence.
    under = titles.get(_title_key(row.section.split(" > ")[-1])) if row.section else None
    if under is not None and under is not best:
        cov = len(rg & _bigrams(under.text)) / len(rg)
        if cov >= _LINK_UNDER_TITLE and (best is None or best_cov < _LINK_MIN or cov >= best_cov - 0.1):
            best, best_cov = under, max(cov, _LINK_MIN)
    elif under is not None and best is under:
        best_cov = max(best_cov, _LINK_MIN) if best_cov >= _LINK_UNDER_TITLE else best_cov
    return best if best is not None and best_cov >= _LINK_MIN else None


def _union(values: list[list[str]]) -> list[str]:
    out: list[str] = []
    for group in values:
        out.extend(v for v in group if v not in out)
    return out


def _take_from_rows(clause: Entry, linked: list[Entry]) -> None:
    """A clause restated by table rows gets their units (when it names none) and their deadlines."""
    if not clause.responsible:
        clause.responsible = _union([r.responsible for r in linked])
        clause.roles = "；".join(_union([[r.roles] for r in linked if r.roles])) or None
        clause.unit_source = next((r.unit_source for r in linked if r.unit_source), None)
    deadlines = _union([[r.deadline] for r in linked if r.deadline])
    if deadlines:
        clause.deadline = "；".join(deadlines)
        dues = [r.due for r in linked if r.due]
        clause.due = max(dues) if dues else None


def _take_from_clause(row: Entry, clause: Entry) -> None:
    """A table row without units (a table with no such column) gets its clause's units and deadline."""
    row.responsible = list(clause.responsible)
    row.roles = row.roles or clause.roles
    row.unit_source = clause.unit_source
    if not row.deadline:
        row.deadline, row.due = clause.deadline, clause.due


def _link(rows: list[Entry], clauses: list[Entry]) -> None:
    """Link each table row to the body clause it restates (most of its wording appears there).

    Either then carries the other's units and deadline: the clause gets the table's 责任单位/完成时限,
    a row without them (a table with no such column) gets the clause's.
    """
    grams = [(_bigrams(c.text), c) for c in clauses]
    titles = {_title_key(c.heading or c.text.split("。", 1)[0]): c for c in clauses}
    for row in rows:
        best = _best_clause(row, grams, titles)
        if best is not None:
            row.linked.append(best.id)
            best.linked.append(row.id)
    by_id = {e.id: e for e in rows}
    for clause in clauses:
        linked = [by_id[i] for i in clause.linked if i in by_id]
        if linked:
            _take_from_rows(clause, linked)
    clause_by_id = {c.id: c for c in clauses}
    for row in rows:
        if row.linked and not row.responsible and row.linked[0] in clause_by_id:
            _take_from_clause(row, clause_by_id[row.linked[0]])


def document_lines(text: str, chrome: list[str] | None = None) -> list[str]:
    """The text's paragraphs, one per line, tables as TAB rows: page chrome removed (added to `chrome`),
    flattened tables recovered, then lines cleaned."""
    lines, removed = strip_chrome(split_lines(text))
    if chrome is not None:
        chrome.extend(removed)
    return clean_lines(recover_tables(lines))


def _read_metadata(doc: Document, lines: list[str], title_index: int | None) -> tuple[Division, ...]:
    """Title, issuer, 文号, date, region, division and year from the text; region, division and year from
    the file name (`2025-某某区-…`) only when the text names none. Returns the divisions the plan may
    belong to when several stay possible (for the warning)."""
    head = lines[: title_index if title_index is not None else 20]
    doc.title = _squash(lines[title_index]) if title_index is not None else metadata.notice_title(lines)
    doc.issuer = metadata.issuer(lines, title_index)
    doc.doc_number = metadata.doc_number(head)
    doc.date = metadata.issue_date(lines, title_index)
    doc.region = metadata.region_of(doc.title, doc.issuer)
    notice = next((ln for ln in head if "关于印发" in ln), None)  # "…关于印发2021年全区…的通知"
    doc.year = metadata.year_of(doc.title, notice, doc.date)
    if doc.region is None or doc.year is None:
        year, region = metadata.from_file_name(doc.file)
        if doc.year is None and year:
            doc.year = year
            doc.warnings.append(f"year {year} taken from the file name")
        if doc.region is None and region:
            doc.region = region
            doc.warnings.append(f"region {region} taken from the file name")
    division = metadata.division_of(lines, [doc.issuer, doc.title, notice], doc.doc_number, doc.file)
    if division.division is not None:
        doc.division_code, doc.region_full = division.division.code, division.division.full_name
    return division.candidates if division.ambiguous else ()


def build_document(text: str, file: str, doc_id: str | None = None, *, ocr: bool = False) -> Document:
    """Parse a plan's text (already read and decoded) into a Document with its entries.

    A plan in traditional characters is parsed in simplified ones (metadata and units stay so, and each
    entry's `search_text`); entry texts are quoted as written. `ocr` marks text recognised from scans."""
    doc_id = doc_id or Path(file).stem
    text = without_glosses(text)
    original = text
    traditional = looks_traditional(text)
    if traditional:
        text = simplify(text)
    chrome: list[str] = []
    lines = document_lines(text, chrome)
    title_index = _find_title(lines)
    doc = Document(file=file, doc_id=doc_id, ocr=ocr)
    possible = _read_metadata(doc, lines, title_index)

    start, end = _body_range(lines, title_index)
    body = [ln for ln in lines[start:end] if not _is_noise(ln)]
    outline = parse_outline(body)
    b = _Builder(doc)
    for k, para in enumerate(outline.preamble, 1):
        if len(para) >= 20:
            b.add("clause", f"前言{k}", "前言", para)
    _walk(b, outline.clauses, "", [])
    clauses = list(doc.entries)

    parser = TableParser()
    for line in lines[end:]:
        if not parser.feed(line):
            parser.end_table()
    rows = _row_entries(b, parser.rows)
    _link(rows, clauses)
    _split_roles(doc.entries)
    for e in doc.entries:
        if not _cut_off(e.text):  # a clause the page cut off mid-sentence lost its own note: no guess
            e.responsible.extend(u for u in b.carried.get(e.id, []) if u not in e.responsible)
    for e in doc.entries:
        e.ocr = ocr
    if traditional:
        verbatim = Verbatim(original, text)
        for e in doc.entries:
            e.search_text, e.text = e.text, verbatim.of(e.text)
    doc.warnings.extend(document_warnings(doc, chrome, possible))
    doc.warnings.extend(parser.problems())
    return doc


def _cut_off(text: str) -> bool:
    """A text that stops mid-sentence ("…第一时间全面准确了解政策，"): a page or table cut off there."""
    return text.rstrip().endswith(("，", ",", "、", "：", ":"))


def _collective(unit: str) -> bool:
    """A collective actor ("各单位", "有关部门", "区政府各部门"): it names no one unit beside a table's."""
    return unit.startswith(("各", "有关", "相关", "其他", "全")) or "各" in unit[1:]


def _split_roles(entries: list[Entry]) -> None:
    """Lead and support of every entry: from its table or note wording, else from its sentences' actors
    (a clause that names no unit in a table or note; in the preamble only a closing unit line)."""
    for e in entries:
        if e.responsible and e.lead:  # set by a note's role rule
            continue
        if e.responsible:
            e.lead, e.support = split_roles(e.roles, e.responsible)
            e.responsible = [*e.lead, *e.support]
            named = [u for u in sentence_actors(e.text).lead if u not in e.responsible and not _collective(u)]
            if named:  # "区政府办公室定期检查…" in a row given to 各街道办事处: the office its sentence names acts too
                e.responsible, e.lead = [*e.responsible, *named], [*e.lead, *named]
            continue
        found = trailing_actors(e.text) if e.number.startswith("前言") else sentence_actors(e.text)
        if found.units:
            e.responsible, e.lead, e.support = found.units, found.lead, found.support
            e.roles = "；".join(found.wording)
            e.unit_source = "sentence"


def _row_entries(b: _Builder, rows: list[TaskRow]) -> list[Entry]:
    """One entry per task row. A table without a 完成时限 column (or a row with the cell empty) still
    gets the time requirement its own text states ("2020年底前建立…")."""
    tables = {r.table for r in rows}
    last = {r.table: r for r in rows}
    out = []
    for r in rows:
        if last[r.table] is r and not r.text.rstrip().endswith(("。", "；", ";", "！", "？", "）", ")")):
            # a last row the page cut off: its own unit and deadline cells are lost, not merged with those above
            if getattr(r, "_units_inherited", False):
                r.units, r.units_text = [], None
            if getattr(r, "_deadline_inherited", False):
                r.deadline = None
        prefix = "表" if len(tables) <= 1 else f"表{r.table + 1}"
        deadline = r.deadline or fields.deadline_in_text(r.text)
        out.append(b.add(
            "task", f"{prefix}.{r.number}", " > ".join(r.levels), r.text,
            responsible=list(r.units), roles=r.units_text, deadline=deadline,
            due=fields.due_date(deadline, b.doc.year), unit_source="table" if r.units else None,
        ))
    return out
