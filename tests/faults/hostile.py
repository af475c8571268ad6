"""Hostile and just-too-large plan files, generated small on disk (issue 23): each one made a reader
allocate gigabytes before the limits of indexer/read/limits.py and indexer/sandbox.py."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PLAN_HEAD = "<w:p><w:r><w:t>一、总体要求</w:t></w:r></w:p><w:p><w:r><w:t>（一）推进政务公开。</w:t></w:r></w:p>"


def docx(body: str, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>'
                                        f"{PLAN_HEAD}{body}</w:body></w:document>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _row(cells: str, props: str = "") -> str:
    return f"<w:tr>{props}{cells}</w:tr>"


def docx_grid_span() -> bytes:
    """One cell spanning fifty million columns (1.1 KB: 48 s and 1.2 GB before)."""
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="50000000"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>'
    return docx(f"<w:tbl>{_row(cell)}</w:tbl>")


def docx_grid_before() -> bytes:
    """A hundred rows each starting after five million empty grid columns (2.8 GB, MemoryError before)."""
    row = _row('<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>',
               '<w:trPr><w:gridBefore w:val="5000000"/></w:trPr>')
    return docx(f"<w:tbl>{row * 100}</w:tbl>")


def docx_zip_bomb() -> bytes:
    """A part that unpacks to 160 MB from 160 KB."""
    buf = io.BytesIO(docx(""))
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("word/media/pad.xml", "w", force_zip64=True) as part:
            block = b"\0" * 2**20
            for _ in range(160):
                part.write(block)
    return buf.getvalue()


def _xlsx(sheet_xml: str) -> bytes:
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
          'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/></Types>')
    rels = _RELS.replace("word/document.xml", "xl/workbook.xml")
    book = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="任务表" sheetId="1" r:id="rId1"/></sheets></workbook>')
    book_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", book_rels)
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                   f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_xml}</worksheet>')
    return buf.getvalue()


def xlsx_far_cell() -> bytes:
    """One cell at XFD3000 (5 KB: 3.2 GB before)."""
    return _xlsx('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c></row>'
                 '<row r="3000"><c r="XFD3000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')


def xlsx_merged_ranges() -> bytes:
    """Thousands of merged ranges, each 2 columns × 1000 rows (15 KB: 2.6 GB before)."""
    merges = "".join(f'<mergeCell ref="A{k * 1000 + 1}:B{k * 1000 + 1000}"/>' for k in range(1500))
    return _xlsx('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c></row></sheetData>'
                 f'<mergeCells count="1500">{merges}</mergeCells>')


def pdf_big_page(inches: int = 50) -> bytes:
    """A one-page scan-like PDF (no text) whose page is `inches` square (1.7 GB during OCR before)."""
    side = inches * 72
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {side} {side}] /Contents 4 0 R >>",
               "<< /Length 0 >>\nstream\n\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{k} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


HOSTILE = {  # file name -> (maker, the limit it must be refused by)
    "gridspan.docx": (docx_grid_span, "table_columns"),
    "gridbefore.docx": (docx_grid_before, "table_columns"),
    "bomb.docx": (docx_zip_bomb, "zip_member_mb"),
    "far-cell.xlsx": (xlsx_far_cell, "table_columns"),
    "merged.xlsx": (xlsx_merged_ranges, "table_cells"),
    "poster.pdf": (pdf_big_page, "render_megapixels"),
}


def write_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (make, _) in HOSTILE.items():
        out[name] = folder / name
        out[name].write_bytes(make())
    return out
