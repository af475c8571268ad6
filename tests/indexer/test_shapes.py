"""Plans as offices publish them, built from the seed plans: a 主要任务分解表 with 牵头单位/配合单位 and no
序号 in every text shape (TAB rows, a `|` line between cells, one cell per line, one row per line, one line),
a unit line after each task, and a whole document flattened onto one line."""
from __future__ import annotations

import re
from functools import cache

import pytest

from indexer.entries import build_document
from indexer.fields import split_units
from indexer.model import Document, Entry
from tests.indexer.fixtures_formats import PLANS_DIR, split_seed

HEADER = ["工作任务", "工作要求", "牵头单位", "配合单位"]
HEAD = "2022年某区政务公开工作要点\n一、深化重点领域公开\n（一）做好信息公开。按规定公开政府信息。\n附件\n主要任务分解表"


@cache
def decomposition_rows(limit: int = 14) -> list[tuple[str, str, list[str], list[str]]]:
    """(task, requirement, lead, support) of the seed 槐荫 plan's task rows: the first unit of each row
    leads, the others co-operate; the task is the row's own heading (empty where the seed merged it).
    Rows whose units cell the seed merged get the units above, as the table means."""
    out = []
    units: list[str] = []
    for row in split_seed().rows[:limit]:
        units = split_units(row[4]) or units
        out.append((row[2], row[3], units[:1], units[1:]))
    return out


def task_rows(doc: Document) -> list[Entry]:
    return [e for e in doc.entries if e.kind == "task"]


def assert_rows(doc: Document) -> None:
    """Every seed row became one task entry with its text, lead and support, read from the table."""
    expected = decomposition_rows()
    got = task_rows(doc)
    assert [e.text for e in got] == [text for _, text, _, _ in expected]
    for e, (_, _, lead, support) in zip(got, expected, strict=True):
        assert (e.lead, e.support, e.unit_source) == (lead, support, "table"), e.text
        assert e.responsible == [*lead, *support]


def _cells(task: str, text: str, lead: list[str], support: list[str]) -> list[str]:
    return [c for c in (task, text, "、".join(lead), "、".join(support)) if c]


def test_decomposition_rows_have_leads_and_support() -> None:
    assert all(lead for _, _, lead, _ in decomposition_rows())
    assert sum(1 for *_, support in decomposition_rows() if support) >= 5


def test_tab_rows_without_serial_or_deadline_columns() -> None:
    rows = ["\t".join([task, text, "、".join(lead), "、".join(support)])
            for task, text, lead, support in decomposition_rows()]
    assert_rows(build_document("\n".join([HEAD, "\t".join(HEADER), *rows]), file="plan.txt"))


def test_one_cell_per_line_with_a_pipe_line_between_cells() -> None:
    """Cells of a row are joined by `|` lines; a merged (empty) cell is simply absent."""
    lines = ["\n|\n".join(HEADER)]
    lines += ["\n|\n".join(_cells(*row)) for row in decomposition_rows()]
    assert_rows(build_document(HEAD + "\n" + "\n".join(lines), file="plan.txt"))


def test_one_cell_per_line_rows_found_by_what_the_cells_say() -> None:
    lines = [*HEADER, *(c for row in decomposition_rows() for c in _cells(*row))]
    assert_rows(build_document(HEAD + "\n" + "\n".join(lines), file="plan.txt"))


@pytest.mark.parametrize("separator", ["\n", " "])
def test_spaced_cells_one_row_per_line_or_the_whole_table_on_one_line(separator: str) -> None:
    lines = [" ".join(HEADER), *(" ".join(_cells(*row)) for row in decomposition_rows())]
    assert_rows(build_document(HEAD + "\n" + separator.join(lines), file="plan.txt"))


@pytest.mark.parametrize("wording", ["{}牵头落实", "{}分别牵头落实", "{}负责"])
def test_a_unit_line_after_each_task_belongs_to_the_task_it_follows(wording: str) -> None:
    """Task text, then a line such as "县教育局牵头落实": never glued to the next task."""
    rows = decomposition_rows()
    body = [HEAD.split("\n附件")[0]]
    for k, (_, text, lead, support) in enumerate(rows, 1):
        body += [f"{k}. {text}", wording.format("、".join([*lead, *support]))]
    doc = build_document("\n".join(body), file="plan.txt")
    got = [e for e in doc.entries if re.fullmatch(r"一\.\(一\)\.\d+", e.number)]
    assert len(got) == len(rows)
    for e, (_, text, lead, support) in zip(got, rows, strict=True):
        assert e.text.startswith(text)
        assert e.responsible == [*lead, *support] and e.unit_source == "sentence"


@pytest.mark.parametrize("wording", ["{}牵头落实", "{}分别牵头落实"])
def test_a_unit_cell_after_each_requirement_in_a_table(wording: str) -> None:
    rows = decomposition_rows()
    lines = ["工作要求", "责任单位"]
    for _, text, lead, support in rows:
        lines += [text, wording.format("、".join([*lead, *support]))]
    doc = build_document(HEAD + "\n" + "\n".join(lines), file="plan.txt")
    got = task_rows(doc)
    assert [e.text for e in got] == [text for _, text, _, _ in rows]
    assert [e.responsible for e in got] == [[*lead, *support] for _, _, lead, support in rows]


# --- a whole document on one line ----------------------------------------------------------------------

def _one_line(text: str, sep: str) -> str:
    lines = [re.sub(r"^#+\s*|^-{3,}$|\*\*", "", line.replace("\t", " ").strip()) for line in text.split("\n")]
    return sep.join(line for line in lines if line.strip())


@pytest.mark.parametrize("name", sorted(p.name for p in PLANS_DIR.iterdir()))
@pytest.mark.parametrize("sep", ["", " "])
def test_a_whole_plan_flattened_onto_one_line(name: str, sep: str) -> None:
    """Letterhead, 文号, notice, title and body on one line: the same metadata and body clauses as the
    plan as published, and no clause swallowing the document."""
    text = (PLANS_DIR / name).read_text(encoding="utf-8")
    published = build_document(text, file=name)
    flat = build_document(_one_line(text, sep), file=name)
    for key in ("title", "region", "year", "doc_number"):
        assert getattr(flat, key) == getattr(published, key), key
    want = {e.number for e in published.entries if e.kind == "clause" and not e.number.startswith("前言")}
    got = {e.number for e in flat.entries if e.kind == "clause" and not e.number.startswith("前言")}
    assert len(want & got) >= 0.9 * len(want)
    assert max(len(e.text) for e in flat.entries) <= 1500
    assert not any("warning" in w and "1500" in w for w in flat.warnings)


@pytest.mark.parametrize("between_rows", ["\n", "\n|\n"])
def test_numbered_rows_with_a_pipe_line_between_cells(between_rows: str) -> None:
    """序号 / 工作任务 / 具体要求 / 责任单位 / 完成时限, a `|` line between cells (and maybe between rows too)."""
    seed = split_seed()
    rows = [[c for c in (row[0], row[2], row[3], row[4], row[5] if len(row) > 5 else "") if c]
            for row in seed.rows[:14]]
    header = ["序号", "工作任务", "具体要求", "责任单位", "完成时限"]
    table = between_rows.join("\n|\n".join(cells) for cells in [header, *rows])
    doc = build_document(HEAD + "\n" + table, file="plan.txt")
    reference = build_document(HEAD + "\n" + "\n".join("\t".join(r) for r in [header, *(
        [row[0], row[2], row[3], row[4], row[5] if len(row) > 5 else ""] for row in seed.rows[:14])]), file="plan.txt")
    assert [(e.number, e.text, e.responsible, e.deadline) for e in task_rows(doc)] == [
        (e.number, e.text, e.responsible, e.deadline) for e in task_rows(reference)]
    assert len(task_rows(doc)) == 14


def test_a_whole_page_with_a_decomposition_table_on_one_line() -> None:
    """Body, 主要任务分解表 without 序号 and the signature, all on one spaced line."""
    rows = decomposition_rows()
    body = ("2024年某县政务公开工作要点 为深入推进政务公开，制定本要点。一、深化重点领域公开（一）做好预决算公开。按规定公开部门"
            "预决算信息，" + "细化公开到功能分类项级科目，" * 8 + "接受社会监督。（二）做好重大项目公开。及时公开项目进展情况。附件 主要任务分解表")
    cells = " ".join(" ".join(_cells(*row)) for row in rows)
    doc = build_document(f"{body} {' '.join(HEADER)} {cells} 某县人民政府办公室 2024年3月1日印发", file="plan.txt")
    assert (doc.title, doc.date) == ("2024年某县政务公开工作要点", "2024-03-01")
    assert [e.number for e in doc.entries if e.kind == "clause"] == ["一.(一)", "一.(二)"]
    assert_rows(doc)


def test_unnumbered_tasks_each_followed_by_its_unit_line() -> None:
    rows = decomposition_rows()
    lines = ["2022年某区政务公开工作要点"]
    for _, text, lead, support in rows:
        lines += [text, "、".join([*lead, *support]) + "分别牵头落实"]
    doc = build_document("\n".join(lines), file="plan.txt")
    assert [e.responsible for e in doc.entries] == [[*lead, *support] for _, _, lead, support in rows]


def test_a_unit_row_under_each_task_row_of_a_tab_table() -> None:
    """A Word/HTML table whose unit line sits in its own row under the task: the row above gets it."""
    rows = decomposition_rows()
    lines = ["序号\t工作要求\t责任单位"]
    for k, (_, text, lead, support) in enumerate(rows, 1):
        lines += [f"{k}\t{text}\t", "\t" + "、".join([*lead, *support]) + "牵头落实\t"]
    doc = build_document(HEAD + "\n" + "\n".join(lines), file="plan.txt")
    assert [(e.text, e.responsible) for e in task_rows(doc)] == [
        (text, [*lead, *support]) for _, text, lead, support in rows]
