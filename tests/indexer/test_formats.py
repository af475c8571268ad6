"""The same plan in every format parses to the same entries as its .txt/.md seed.

Copies are generated inside the tests (tmp_path) from the seeds: other encodings, an article page with site
chrome and a real <table> with rowspans, a Word file with vertically merged cells (and one whose clause
numbers are Word list numbers), a hard-wrapped PDF with page numbers and a running header, and a "flattened"
copy of a web page whose body is one line. Copies keep the seed's file stem, so entry ids must match too.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from indexer import parse_file
from indexer.model import Document
from tests.indexer.fixtures_formats import (
    CHROME_PHRASES,
    HUAIYIN,
    LICHENG,
    PLANS_DIR,
    QIXIA,
    XUECHENG,
    ZHOUCUN_MD,
    flatten_body,
    make_docx,
    make_html,
    make_numbered_docx,
    make_pdf,
    merged_table,
    paginate,
    seed_text,
    split_seed,
    tab_table_blocks,
    wrap,
)

SEEDS = (HUAIYIN, ZHOUCUN_MD, QIXIA, LICHENG, XUECHENG)


@cache
def seed(name: str) -> Document:
    return parse_file(PLANS_DIR / name)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def comparable(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as JSON with its text compared without whitespace (line breaks differ between formats)."""
    return {**entry, "text": squash(entry["text"])}


def entries(doc: Document, kind: str | None = None) -> list[dict[str, Any]]:
    return [comparable(e.to_dict()) for e in doc.entries if kind is None or e.kind == kind]


def same_stem(tmp_path: Path, name: str, suffix: str) -> Path:
    return tmp_path / f"{Path(name).stem}{suffix}"


def assert_same_document(got: Document, expected: Document, *, kind: str | None = None) -> None:
    assert (got.title, got.region, got.year) == (expected.title, expected.region, expected.year)
    mine, theirs = entries(got, kind), entries(expected, kind)
    assert [e["id"] for e in mine] == [e["id"] for e in theirs]
    for a, b in zip(mine, theirs, strict=True):
        assert a == b, a["number"]


def paragraphs(name: str) -> list[str]:
    return [line.strip() for line in seed_text(name).split("\n") if line.strip()]


# --- encodings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEEDS)
@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-16-le"])
def test_other_encodings_parse_to_the_same_document(tmp_path: Path, name: str, encoding: str) -> None:
    copy = tmp_path / name
    copy.write_bytes(seed_text(name).encode(encoding))
    got = parse_file(copy)
    expected = seed(name)
    assert {**got.to_json(), "file": ""} == {**expected.to_json(), "file": ""}


# --- HTML -----------------------------------------------------------------------------------------------


def test_html_page_with_chrome_and_rowspans(tmp_path: Path) -> None:
    plan = split_seed(HUAIYIN)
    page = make_html(*plan.preamble, *plan.body, *plan.appendix, merged_table(plan), title=plan.title)
    assert 'rowspan="6"' in page and 'rowspan="3"' in page  # 工作任务 and 责任单位 cells really are merged
    path = same_stem(tmp_path, HUAIYIN, ".html")
    path.write_text(page, encoding="utf-8")
    got = parse_file(path)
    assert_same_document(got, seed(HUAIYIN))
    for e in got.entries:
        for phrase in CHROME_PHRASES:
            assert phrase not in e.text and phrase not in e.section


def test_html_gbk_page_of_inline_unit_plan(tmp_path: Path) -> None:
    lines = paragraphs(XUECHENG)
    title = lines.pop(lines.index("2024年薛城区政务公开工作要点"))
    path = same_stem(tmp_path, XUECHENG, ".htm")
    path.write_bytes(make_html(*lines, title=title, charset="gbk").encode("gbk"))
    assert_same_document(parse_file(path), seed(XUECHENG))


def test_html_tables_with_paragraphs_in_cells_repeated_headers_and_a_stray_deadline(tmp_path: Path) -> None:
    """历城 as a web page: one <table> per printed page (each with its header row), "<p>(三) 积极回应群众关切</p>
    <p>出台…</p>" as real paragraphs of a cell, the lone "2023年12月底前" as a paragraph between two tables."""
    prose, blocks = tab_table_blocks(LICHENG)
    assert sum(isinstance(b, str) and b == "2023年12月底前" for b in blocks) == 1
    path = same_stem(tmp_path, LICHENG, ".html")  # the notice letter comes first, so the title is a <p> in place
    path.write_text(make_html(*prose, *blocks, title=""), encoding="utf-8")
    assert "<p>(三) 积极回应群众关切</p><p>出台重大政策" in path.read_text(encoding="utf-8")
    assert_same_document(parse_file(path), seed(LICHENG))


# --- Word -----------------------------------------------------------------------------------------------


def test_docx_with_vertically_merged_cells(tmp_path: Path) -> None:
    plan = split_seed(HUAIYIN)
    path = make_docx(same_stem(tmp_path, HUAIYIN, ".docx"), *plan.preamble, *plan.body, *plan.appendix,
                     merged_table(plan), title=plan.title)
    assert "w:vMerge" in _document_xml(path)
    assert_same_document(parse_file(path), seed(HUAIYIN))


def test_docx_of_inline_unit_plan(tmp_path: Path) -> None:
    lines = paragraphs(XUECHENG)
    title = lines.pop(lines.index("2024年薛城区政务公开工作要点"))
    path = make_docx(same_stem(tmp_path, XUECHENG, ".docx"), *lines, title=title)
    assert_same_document(parse_file(path), seed(XUECHENG))


def test_docx_tables_with_paragraphs_in_cells(tmp_path: Path) -> None:
    prose, blocks = tab_table_blocks(LICHENG)
    path = make_docx(same_stem(tmp_path, LICHENG, ".docx"), *prose, *blocks)
    got = parse_file(path)
    assert_same_document(got, seed(LICHENG))
    assert (got.doc_number, got.issuer, got.date) == ("济历城政办发〔2023〕3号", "济南市历城区人民政府办公室", "2023-07-25")


_LEVEL = (re.compile(r"^[一二三四五六七八九十]+、"), re.compile(r"^（[一二三四五六七八九十]+）"), re.compile(r"^\d+\."))


def _numbered_items(lines: list[str]) -> list[tuple[int | None, str]]:
    """Body lines with their typed numbers taken off and turned into list levels."""
    items: list[tuple[int | None, str]] = []
    for line in lines:
        for level, pattern in enumerate(_LEVEL):
            m = pattern.match(line)
            if m:
                items.append((level, line[m.end():]))
                break
        else:
            items.append((None, line))
    return items


def test_docx_whose_clause_numbers_are_word_list_numbers(tmp_path: Path) -> None:
    """一、 / （一） come from numbering.xml (chineseCounting, "%1、" and "（%2）"), restarting under each 一、."""
    plan = split_seed(HUAIYIN)
    items = _numbered_items(plan.body)
    assert sum(level is not None for level, _ in items) == 25 and not any("（一）" in text for _, text in items)
    path = make_numbered_docx(same_stem(tmp_path, HUAIYIN, ".docx"),
                              [(None, line) for line in plan.preamble] + items + [(None, line) for line in plan.appendix]
                              + [merged_table(plan)], title=plan.title)
    assert "w:numPr" in _document_xml(path)
    assert_same_document(parse_file(path), seed(HUAIYIN))


def test_docx_with_three_levels_of_list_numbers(tmp_path: Path) -> None:
    lines = paragraphs(XUECHENG)
    title = lines.pop(lines.index("2024年薛城区政务公开工作要点"))
    items = _numbered_items(lines)
    assert [level for level, _ in items].count(2) > 40
    # 薛城 numbers （一）…（十三） straight through its five sections: a level that does not restart.
    path = make_numbered_docx(same_stem(tmp_path, XUECHENG, ".docx"), items, title=title,
                              levels=(("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")))
    got = parse_file(path)
    numbers = [e.number for e in got.entries]
    assert "一.(一).1" in numbers and "二.(一).1" in numbers  # Word restarts （%2） under each 一、...
    assert "二.(五).1" not in numbers  # ...so this layout is only reproduced with a non-restarting level:
    path = make_numbered_docx(tmp_path / "continued.docx", items, title=title, levels=(
        ("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")), no_restart={1})
    continued = parse_file(path)
    assert [e.number for e in continued.entries] == [e.number for e in seed(XUECHENG).entries]
    assert [e.responsible for e in continued.entries] == [e.responsible for e in seed(XUECHENG).entries]


def _document_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


# --- PDF ------------------------------------------------------------------------------------------------


def _pdf_pages(lines: list[str], per_page: int, header: str | None) -> list[list[str]]:
    pages = paginate(lines, per_page)
    return [([header] if header else []) + page for page in pages]


@pytest.mark.parametrize("header", [None, "济南市槐荫区人民政府办公室", "2022年槐荫区政务公开工作要点"])
def test_pdf_keeps_clauses_across_wraps_page_numbers_and_running_headers(tmp_path: Path, header: str | None) -> None:
    """PDF text comes back one printed line per line, with the "— n —" footers and any running header (here
    the plan's title itself, in the last case). A PDF's task table does not come back as a table (pypdf
    gives its cells as loose lines), so only the title and the body are printed and compared: clause numbers,
    sections, texts and headings. Their units and deadlines come from the table, so those are not compared."""
    plan = split_seed(HUAIYIN)
    lines = [plan.title] + [part for paragraph in plan.body for part in wrap(paragraph, 32)]
    per_page = 36
    split_clause = next(i for i in range(per_page - 1, len(lines), per_page)
                        if not lines[i + 1].startswith(("（", "一", "二", "三", "四", "五")))
    broken = lines[split_clause] + lines[split_clause + 1]  # the last line of a page + the first of the next
    path = make_pdf(same_stem(tmp_path, HUAIYIN, ".pdf"), _pdf_pages(lines, per_page, header))
    got = parse_file(path)
    expected = seed(HUAIYIN)
    assert (got.title, got.region, got.year) == (expected.title, expected.region, expected.year)

    def body(doc: Document) -> list[tuple[str, str, str, str]]:
        return [(e.number, e.section, squash(e.text), e.heading) for e in doc.entries
                if e.kind == "clause" and not e.number.startswith("前言")]

    assert body(got) == body(expected)
    assert any(broken in squash(e.text) for e in got.entries)
    assert not any(e.kind == "task" for e in got.entries)
    for e in got.entries:
        assert "—" not in e.text and (header is None or header not in e.text)


def test_pdf_of_inline_unit_plan_keeps_units_and_deadlines(tmp_path: Path) -> None:
    lines = [part for paragraph in paragraphs(XUECHENG) for part in wrap(paragraph, 34)]
    path = make_pdf(same_stem(tmp_path, XUECHENG, ".pdf"), paginate(lines, 40))
    assert_same_document(parse_file(path), seed(XUECHENG))


# --- a web page copied as text: the body on one line ----------------------------------------------------


@pytest.mark.parametrize("name", [HUAIYIN, LICHENG])
def test_flattened_body_gives_the_same_entries(tmp_path: Path, name: str) -> None:
    flat = flatten_body(seed_text(name))
    body = max(flat.split("\n"), key=len)
    assert len(body) > 5000 and "。一、" in body and "（二）" in body
    path = tmp_path / name
    path.write_text(flat, encoding="utf-8")
    assert_same_document(parse_file(path), seed(name))


def test_flattened_hard_wrapped_plan(tmp_path: Path) -> None:
    """栖霞: "…如下：一、…基础（四）…": a number after a colon, and one right after a heading.

    Lost, legitimately: its two unnumbered preamble paragraphs become one (nothing marks the break)."""
    path = tmp_path / QIXIA
    path.write_text(flatten_body(seed_text(QIXIA)), encoding="utf-8")
    got = parse_file(path)
    numbered = [e for e in seed(QIXIA).entries if not e.number.startswith("前言")]
    assert [comparable(e.to_dict()) for e in got.entries if not e.number.startswith("前言")] == \
        [comparable(e.to_dict()) for e in numbered]
    assert [e.number for e in got.entries if e.number.startswith("前言")] == ["前言1"]


def test_flattened_inline_unit_plan(tmp_path: Path) -> None:
    """薛城: "…转型突围（一）…信息公开1.锚定…（责任单位：…）2.围绕…": numbers after headings and after ）.

    The closing unnumbered paragraph runs on from the last clause (no number starts it); the clause's
    "（责任单位：…）" note ends the clause there, so the paragraph becomes a piece of its own (".s2"), as the
    seed's own loose paragraph (".p1") is."""
    path = tmp_path / XUECHENG
    path.write_text(flatten_body(seed_text(XUECHENG)), encoding="utf-8")
    got = parse_file(path)
    expected = [comparable(e.to_dict()) for e in seed(XUECHENG).entries if ".p" not in e.number]
    mine = [comparable(e.to_dict()) for e in got.entries if ".s" not in e.number]
    assert [e["number"] for e in mine] == [e["number"] for e in expected]
    assert mine == expected
    closing = [e for e in got.entries if ".s" in e.number]
    assert len(closing) == 1 and closing[0].text == seed(XUECHENG).entries[-1].text
