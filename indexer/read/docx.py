"""Reader for .docx files: body paragraphs and tables in document order, merged cells kept in their columns.

A paragraph's Word list number comes from numbering.py, a cell's paragraphs are joined by cells.py (as the
HTML reader joins them), and the XML names from wordml.py. Next step: indexer/normalize.py.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from indexer.model import DocumentError
from indexer.read import limits
from indexer.read.cells import cell_text
from indexer.read.numbering import DocxNumbering
from indexer.read.raw import RawText, reason
from indexer.read.wordml import W

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees of a paragraph that are not its text: properties (whose <w:tab> are tab stops), drawings and
# text boxes (placed elsewhere on the page), deleted revisions.
_DOCX_SKIP = frozenset(
    f"{W}{t}" for t in ("pPr", "rPr", "sdtPr", "drawing", "pict", "object", "txbxContent", "del", "moveFrom",
                        "delText", "instrText")
) | {f"{_MC}AlternateContent"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(data: bytes, fmt: str) -> RawText:
    """The document body as lines: paragraphs (list numbers in front) and tables as TAB rows, set off by
    blank lines so the table parser sees where a table starts and ends."""
    document = _open_docx(data)
    numbering = DocxNumbering.of(document)
    lines: list[str] = []
    _docx_blocks(document.element.body, lines, numbering)
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise DocumentError("Word document has no text")
    return RawText(text=text, format=fmt, encoding=None)


def _open_docx(data: bytes) -> Any:
    """Open with python-docx after checking the ZIP ourselves, so each failure gets its own message."""
    import docx  # local: only .docx files need it

    if data.startswith(_OLE_MAGIC):  # an OLE container: a password-protected .docx, or an old .doc renamed
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DocumentError("password-protected Word file")
        raise DocumentError("old Word .doc file with a .docx name; save it as .docx first")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            limits.check_zip(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise DocumentError("truncated or damaged Word file") from None
    if not any(name.startswith("word/") for name in names):
        raise DocumentError("not a Word document (a ZIP archive without Word content)")
    try:
        document = docx.Document(io.BytesIO(data))
        document.element.body  # noqa: B018 -- a document without a body fails here, inside this guard
        return document
    except ValueError as exc:
        if "not a Word file" in str(exc):  # python-docx on a .docm, .dotx or other Office package
            raise DocumentError("not a Word document (another Office file type)") from exc
        raise DocumentError("truncated or damaged Word file") from exc
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # a damaged ZIP member
        raise DocumentError("truncated or damaged Word file") from exc
    except Exception as exc:  # broken XML and the like: the parser's words help whoever repairs the file
        raise DocumentError(f"truncated or damaged Word file ({reason(exc)})") from exc


def _docx_blocks(container: Any, lines: list[str], numbering: DocxNumbering | None = None) -> None:
    """Body content in document order: paragraphs and tables interleaved, content controls unwrapped."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{W}p":
            lines.extend(_docx_paragraph(child, numbering).split("\n"))
        elif tag == f"{W}tbl":
            _blank(lines)
            lines.extend(_docx_table(child, numbering))
            _blank(lines)
        elif tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                _docx_blocks(content, lines, numbering)
        elif tag == f"{W}customXml":
            _docx_blocks(child, lines, numbering)


def _blank(lines: list[str]) -> None:
    """One blank line before and after a table, never two in a row."""
    if lines and lines[-1].strip():
        lines.append("")


def _docx_paragraph(paragraph: Any, numbering: DocxNumbering | None = None) -> str:
    """Text of a w:p read from the XML (python-docx's Paragraph.text misses runs inside insertions, smart
    tags and fields). TABs become spaces: in this module's output a TAB only ever separates table cells.
    Word's automatic list number (numPr, "一、" / "（一）" / "1.") is put in front, as Word shows it."""
    parts: list[str] = [numbering.label(paragraph)] if numbering is not None else []

    def collect(element: Any) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _DOCX_SKIP:
                continue
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                parts.append(" ")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            else:
                collect(child)

    collect(paragraph)
    return "".join(parts)


def _docx_int(element: Any, default: int) -> int:
    """The leading number of an element's w:val (spans, gridBefore/gridAfter); `default` when absent or not a
    number, because Word files from other tools write such values loosely."""
    if element is None:
        return default
    match = re.match(r"\s*(\d+)", element.get(f"{W}val") or "")
    return int(match.group(1)) if match else default


def _docx_children(element: Any, tag: str) -> Iterator[Any]:
    """Rows of a table or cells of a row, including those wrapped in content controls."""
    for child in element.iterchildren():
        if child.tag == f"{W}{tag}":
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _docx_children(content, tag)
        elif child.tag == f"{W}customXml":
            yield from _docx_children(child, tag)


def _docx_rows(table: Any, numbering: DocxNumbering | None = None) -> list[list[str]]:
    """Cells per row from the XML, not python-docx's row.cells (which repeats a merged cell): a vMerge
    continuation is an empty cell, gridSpan=N is the text plus N-1 empty cells, gridBefore/gridAfter empty
    cells; every row is padded to the grid's column count."""
    trs = list(_docx_children(table, "tr"))
    grid = len(table.findall(f"{W}tblGrid/{W}gridCol"))
    limits.check_table(len(trs), max([grid] + [_docx_width(tr) for tr in trs]), "a Word table")
    rows: list[list[str]] = []
    for tr in trs:
        row: list[str] = [""] * _docx_int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in _docx_children(tr, "tc"):
            props = tc.find(f"{W}tcPr")
            span, continued = 1, False
            if props is not None:
                span = max(1, _docx_int(props.find(f"{W}gridSpan"), 1))
                for merge in (props.find(f"{W}vMerge"), props.find(f"{W}hMerge")):
                    if merge is not None and merge.get(f"{W}val") in (None, "continue"):
                        continued = True
            row.append("" if continued else _docx_cell(tc, numbering))
            row.extend([""] * (span - 1))
        row.extend([""] * _docx_int(tr.find(f"{W}trPr/{W}gridAfter"), 0))
        rows.append(row)
    width = max([len(table.findall(f"{W}tblGrid/{W}gridCol"))] + [len(row) for row in rows])
    return [row + [""] * (width - len(row)) for row in rows]


def _docx_width(tr: Any) -> int:
    """The columns a row declares (gridBefore + spans + gridAfter), read before any cell is built."""
    width = _docx_int(tr.find(f"{W}trPr/{W}gridBefore"), 0) + _docx_int(tr.find(f"{W}trPr/{W}gridAfter"), 0)
    for tc in _docx_children(tr, "tc"):
        props = tc.find(f"{W}tcPr")
        width += max(1, _docx_int(props.find(f"{W}gridSpan"), 1)) if props is not None else 1
    return width


def _docx_table(table: Any, numbering: DocxNumbering | None = None) -> list[str]:
    """A table as TAB-separated lines; a row whose cells are all empty is dropped (it carries no task)."""
    return ["\t".join(row) for row in _docx_rows(table, numbering) if any(row)]


_CELL_SPACE = re.compile(r"[ \t\r\f\v\xa0]+")


def _docx_cell(cell: Any, numbering: DocxNumbering | None = None) -> str:
    """One line for a cell: its paragraphs (and any nested table, row by row) joined CJK-aware."""
    parts: list[str] = []

    def collect(container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == f"{W}p":
                parts.extend(_docx_paragraph(child, numbering).split("\n"))
            elif child.tag == f"{W}tbl":
                parts.extend(" ".join(c for c in row if c) for row in _docx_rows(child, numbering))
            elif child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    collect(content)
            elif child.tag == f"{W}customXml":
                collect(child)

    collect(cell)
    return cell_text([_CELL_SPACE.sub(" ", part).strip() for part in parts])
