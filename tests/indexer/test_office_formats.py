"""Formats offices publish in, each file made by a real writer from the seed plans: .xlsx and .xls task
tables with merged cells, Word 97 .doc, a PDF with a drawn table (pdfplumber), and a scanned PDF (OCR)."""
from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from indexer import parse_file
from indexer.entries import build_document
from indexer.model import Document, Entry
from tests.indexer.fixtures_formats import (
    LICHENG,
    PLANS_DIR,
    QIXIA,
    make_docx,
    tab_table_blocks,
    wrap,
)
from tests.indexer.fixtures_office import (
    NOTO_CJK,
    make_doc,
    make_scanned_pdf,
    make_table_pdf,
    make_xls,
    make_xlsx,
    soffice,
)

TITLE = "2023年济南市历城区政务公开工作要点任务分解表"


def task_rows(doc: Document) -> list[Entry]:
    return [e for e in doc.entries if e.kind == "task"]


def plain(text: str) -> str:
    return re.sub(r"[\s,，、。;；:：()（）]", "", text)


@cache
def seed_rows() -> tuple[list[str], list[list[str]]]:
    """历城's task table as a regular grid: 序号, two task levels, requirement, 责任单位, 完成时限; a cell equal
    to the one above is left empty (the fixtures merge it with the cell above, as offices do)."""
    header = ["序号", "工作任务", "", "具体要求", "责任单位", "完成时限"]
    rows: list[list[str]] = []
    previous = [""] * 6
    for e in task_rows(published()):
        levels = (e.section.split(" > ") + ["", ""])[:2]
        row = [e.number.split(".")[-1], *levels, e.text, e.roles or "", e.deadline or ""]
        rows.append([c if k in (0, 3) or c != previous[k] else "" for k, c in enumerate(row)])
        previous = row
    return header, rows


@cache
def published() -> Document:
    return build_document((PLANS_DIR / LICHENG).read_text(encoding="utf-8"), file=LICHENG)


def assert_same_rows(doc: Document, limit: int | None = None) -> None:
    """The task rows carry the published plan's units and deadlines (merged cells resolved)."""
    want = task_rows(published())[:limit]
    got = task_rows(doc)[:limit]
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert plain(w.text).startswith(plain(g.text)[:20]) or plain(g.text).startswith(plain(w.text)[:20]), g.text
        assert (g.responsible, g.deadline, g.due) == (w.responsible, w.deadline, w.due), g.text


@pytest.mark.parametrize("maker", [make_xlsx, make_xls], ids=["xlsx", "xls"])
def test_spreadsheet_task_tables_with_merged_cells(tmp_path: Path, maker) -> None:  # noqa: ANN001
    header, rows = seed_rows()
    path = maker(tmp_path / f"2023-历城区-任务分解表.{maker.__name__[-4:].strip('_')}", TITLE, header, rows)
    doc = parse_file(path)
    assert (doc.title, doc.region, doc.year) == (TITLE, "历城区", 2023)
    assert_same_rows(doc)


@pytest.fixture(scope="module")
def word97(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if soffice() is None or shutil.which("antiword") is None:
        pytest.skip("LibreOffice and antiword are installed by `make system-deps`")
    folder = tmp_path_factory.mktemp("doc")
    prose, blocks = tab_table_blocks(LICHENG)
    docx = make_docx(folder / "plan.docx", *prose, *blocks)
    return make_doc(folder / "2023-历城区-政务公开工作要点.doc", docx)


def test_word_97_doc(word97: Path) -> None:
    doc = parse_file(word97)
    ref = published()
    assert (doc.title, doc.region, doc.year, doc.doc_number, doc.issuer, doc.date) == (
        ref.title, ref.region, ref.year, ref.doc_number, ref.issuer, ref.date)
    assert [e.number for e in doc.entries if e.kind == "clause"] == [e.number for e in ref.entries if e.kind == "clause"]
    assert_same_rows(doc)


def test_a_docx_that_is_really_a_doc(word97: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "plan.docx"
    shutil.copy(word97, renamed)
    with pytest.raises(Exception, match="old Word .doc file"):
        parse_file(renamed)


def test_pdf_table_rebuilt_from_its_drawn_cells(tmp_path: Path) -> None:
    header, rows = seed_rows()
    before = ["2023年济南市历城区政务公开工作要点", "一、聚焦重点领域，推动高质量政务公开", "（一）围绕促进经济高质量发展做好政府信息公开。",
              "附件", "2023年济南市历城区政务公开工作任务分解表"]
    path = make_table_pdf(tmp_path / "plan.pdf", before, header, rows[:14])
    doc = parse_file(path)
    assert (doc.region, doc.year) == ("历城区", 2023)
    assert_same_rows(doc, limit=14)


@pytest.mark.skipif(shutil.which("tesseract") is None or not NOTO_CJK.is_file(),
                    reason="tesseract-ocr-chi-sim and fonts-noto-cjk are installed by `make system-deps`")
def test_a_scanned_pdf_is_read_by_ocr_and_marked(tmp_path: Path) -> None:
    text = (PLANS_DIR / QIXIA).read_text(encoding="utf-8")
    clauses = [ln.strip() for ln in text.split("\n") if re.match(r"\s*（[一二三]）", ln)][:3]
    lines = ["2022年栖霞市政务公开工作要点", "一、进一步推进重要决策部署信息公开"]
    for clause in clauses:
        lines += wrap(clause[:150], 28)
    doc = parse_file(make_scanned_pdf(tmp_path / "2022-栖霞市-政务公开工作要点.pdf", lines))
    assert doc.ocr and all(e.ocr for e in doc.entries)
    assert any("OCR" in w for w in doc.warnings)
    assert (doc.region, doc.year) == ("栖霞市", 2022)
    numbers = [e.number for e in doc.entries if e.kind == "clause"]
    assert numbers[:3] == ["一.(一)", "一.(二)", "一.(三)"]
    for e, clause in zip(doc.entries, clauses, strict=False):
        want, got = plain(clause[4:150]), plain(e.text)
        pairs = {want[i:i + 2] for i in range(len(want) - 1)}
        assert len(pairs & {got[i:i + 2] for i in range(len(got) - 1)}) >= 0.85 * len(pairs)
