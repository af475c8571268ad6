"""Find flattened task tables among a document's raw lines and replace each by its TAB rows.

A table arrives as one long line, one line per row, or one cell per line (header words one per line too),
its cells joined by single spaces or by nothing; indexer/flat_tables/rows.py rebuilds its rows.
"""
from __future__ import annotations

import re

from indexer.flat_tables.header import HEADER_HINT, Header, find_headers, header_at, plain_text
from indexer.flat_tables.peel import SECTION_MARK, heading_like
from indexer.flat_tables.rows import recover_rows
from indexer.patterns import CJK, PAGE_NUMBER
from indexer.tables import cell_role, header_roles

# Where a flattened table stops although the line goes on: the 抄送 block or the "…印发" signature.
_TABLE_END = re.compile(
    rf"(?:抄送|主送)\s*[：:]|[{CJK}]{{2,30}}(?:人民政府办公室|人民政府办公厅)\s*\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*印发"
)
_ROW_LINE = re.compile(r"^\d{1,3}(?![\d.．、%])")


def _row_lines(lines: list[str], j: int) -> tuple[list[str], int]:
    """Rows on lines of their own after a header line, each opening with its 序号. Lines without one belong to
    the table when a row follows them: a section row ("二、加强平台建设") stays a line of its own, other lines
    continue the row above (a row hard-wrapped by a PDF or a fixed-width export). Returns the lines and the
    index after them."""
    parts: list[str] = []
    while j < len(lines) and "\t" not in lines[j]:
        nxt = plain_text(lines[j])
        if _ROW_LINE.match(nxt) or header_at(nxt, 0):
            parts.append(nxt)
            j += 1
            continue
        k = j  # the next line that opens a row, past blank and wrapped lines
        while k < min(len(lines), j + 30) and "\t" not in lines[k] and not _ROW_LINE.match(plain_text(lines[k])):
            if _TABLE_END.match(plain_text(lines[k])):
                break
            k += 1
        if not (k < len(lines) and "\t" not in lines[k] and _ROW_LINE.match(plain_text(lines[k]))):
            break
        for line in (plain_text(x) for x in lines[j:k]):
            if not line or PAGE_NUMBER.match(line):
                continue
            if parts and not (SECTION_MARK.match(line) and heading_like(line)):
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
        nxt = plain_text(lines[j])
        if nxt:
            if re.fullmatch(r"\d{1,3}", nxt):
                since = 0
            elif since > width + 1 or _TABLE_END.match(nxt):
                break
            else:
                since += 1
            parts.append(nxt)
        j += 1
    while parts and not re.fullmatch(r"\d{1,3}", parts[-1]) and j > 0 and not plain_text(lines[j - 1]):
        j -= 1  # blank lines after the table stay outside it
    return parts, j


def _header_on_lines(lines: list[str], i: int) -> tuple[Header, int] | None:
    """A header written one word per line ("序号" / "工作任务" / …), and the index after it."""
    words = [plain_text(lines[i])]
    j = i + 1
    while j < len(lines) and "\t" not in lines[j] and len(plain_text(lines[j])) <= 10 and cell_role(plain_text(lines[j])):
        words.append(plain_text(lines[j]))
        j += 1
    if len(words) >= 3 and header_roles(words):
        return Header(0, 0, [re.sub(r"\s+", "", w) for w in words], True), j
    return None


def unflatten_tables(lines: list[str]) -> list[str]:
    """The lines with every flattened task table replaced by its TAB rows (text around it kept)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        header, plain, by_lines = None, "", None
        if "\t" not in line and HEADER_HINT.search(line):
            plain = plain_text(line)
            header = next(iter(find_headers(plain)), None)
            by_lines = _header_on_lines(lines, i) if header is None and HEADER_HINT.fullmatch(plain) else None
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
