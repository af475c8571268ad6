"""Builders of .xlsx, .xls, .doc, ruled-table PDF and scanned-PDF plan files, made on the fly from the seeds.

Every file is written by a real writer: openpyxl (.xlsx), xlwt (.xls), LibreOffice headless (.doc, from a
.docx made by fixtures_formats.make_docx), ReportLab (a PDF with a drawn table), Pillow with Debian's Noto
CJK font (page images of a scan, saved as PDF). Plain functions, as in fixtures_formats.py.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def merged_grid(header: list[str], rows: list[list[str]]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The table as a grid with its empty cells (merged in the seed) as vertical merges of the cell above:
    (grid, merges as (first row, last row, first column, last column), 0-based)."""
    grid = [header, *[list(r) + [""] * (len(header) - len(r)) for r in rows]]
    merges = []
    for col in range(1, len(header)):
        r = 1
        while r < len(grid):
            end = r
            while end + 1 < len(grid) and not grid[end + 1][col] and grid[r][col]:
                end += 1
            if end > r:
                merges.append((r, end, col, col))
            r = end + 1
    return grid, merges


def make_xlsx(path: Path, title: str, header: list[str], rows: list[list[str]]) -> Path:
    """A workbook: the title merged across the table, then the header and rows with vertical merges."""
    import openpyxl

    grid, merges = merged_grid(header, rows)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for row in grid:
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    for r0, r1, c0, c1 in merges:
        sheet.merge_cells(start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1)
    book.save(path)
    return path


def make_xls(path: Path, title: str, header: list[str], rows: list[list[str]]) -> Path:
    """The same workbook as make_xlsx in the Excel 97 format (xlwt), merged cells written as merges."""
    import xlwt

    grid, merges = merged_grid(header, rows)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("任务分解")
    sheet.write_merge(0, 0, 0, len(header) - 1, title)
    covered = {(r, c) for r0, r1, c0, _ in merges for r in range(r0 + 1, r1 + 1) for c in [c0]}
    starts = {(r0, c0): r1 for r0, r1, c0, _ in merges}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            if (r, c) in starts:
                sheet.write_merge(r + 1, starts[(r, c)] + 1, c, c, value)
            else:
                sheet.write(r + 1, c, int(value) if value.isdigit() else value)
    book.save(str(path))
    return path


def soffice() -> str | None:
    return shutil.which("soffice")


def make_doc(path: Path, docx: Path) -> Path:
    """A Word 97 .doc converted by LibreOffice headless from a .docx (its own profile in a temp folder)."""
    profile = path.parent / "lo-profile"
    done = subprocess.run(
        [soffice() or "soffice", "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to",
         "doc:MS Word 97", "--outdir", str(path.parent), str(docx)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    made = path.parent / (docx.stem + ".doc")
    assert made.is_file(), done.stderr
    if made != path:
        made.rename(path)
    return path


def make_table_pdf(path: Path, before: list[str], header: list[str], rows: list[list[str]]) -> Path:
    """A PDF whose task table is drawn with ruled cells (ReportLab platypus), wrapped text in each cell."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cjk", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    widths = [30, 90, 90, 270, 140, 80][: len(header)]
    data = [[Paragraph(c, style) for c in header]] + [[Paragraph(c, style) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4))
    doc.build([Paragraph(line, style) for line in before] + [table])
    return path


def make_scanned_pdf(path: Path, lines: list[str], *, per_page: int = 22) -> Path:
    """A scan: each page an image of black CJK text on white (no text layer), saved as a PDF."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(NOTO_CJK), 34, index=2)  # the face covering Simplified Chinese
    pages = []
    for start in range(0, len(lines), per_page):
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        y = 120
        for line in lines[start:start + per_page]:
            draw.text((100, y), line, font=font, fill=0)
            y += 62
        pages.append(image)
    pages[0].save(path, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return path
