"""Text repair between reading (indexer/read.py) and structure parsing (indexer/outline.py, indexer/tables.py).

Keeps the source's characters: it only rejoins lines broken by extraction or hard wrapping, drops page
numbers, running headers and markup, and removes spaces that split Chinese words. Table rows stay
TAB-separated lines so the table parser sees their cells.
"""
from __future__ import annotations

import re
from collections import Counter

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〔〕【】—…·「」『』"
_CJK_GAP = re.compile(rf"(?<=[{CJK}{CJK_PUNCT}])[ \t\u3000]+(?=[{CJK}{CJK_PUNCT}])")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—\-－–_·•]+\s*\d{1,4}\s*[—\-－–_·•]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|[-－—]\s*\d{1,4}|\d{1,4}\s*[-－—])\s*$"
)
_HTML_TAG = re.compile(r"</?(?:p|br|span|div|b|strong|em|i|u|font|td|tr|li|ul|ol|h\d)\b[^>]*>", re.I)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# Numbering that opens a clause or heading: 一、 （一） 1. （1） ① 第一条 …
NUMBER_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百]+\s*[）)]|\d{1,3}\s*[.．、](?!\d)"
    r"|[（(]\s*\d{1,3}\s*[）)]|[①-⑳]|第[一二三四五六七八九十百]+[条章节部分])"
)
_TERMINAL = tuple("。！？!?；;：:")
_BLOCK_START = re.compile(r"^\s*(?:附件|附表|抄送|主送|（此件|\(此件)")
_DATE_ONLY = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_OFFICE_LINE = re.compile(r"(?:人民政府办公室|人民政府办公厅|人民政府)\s*(?:文件)?\s*$")
_DOC_NUMBER_LINE = re.compile(r"^\s*[\u4e00-\u9fff]{1,12}\s*[〔［\[【(（]\s*\d{4}\s*[〕］\]】)）]\s*\d{1,4}\s*号\s*$")
_INLINE_MARKER = re.compile(
    r"(?<=[。；;])\s*(?=(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．、](?!\d)))"
)


def squash_cjk_spaces(text: str) -> str:
    """Remove spaces that split Chinese words ("进一步 拓展公 开广 度" -> "进一步拓展公开广度")."""
    return _CJK_GAP.sub("", text)


def _clean_line(line: str) -> str:
    line = line.replace("\u00a0", " ").replace("\u3000", " ").replace("\u200b", "").replace("\ufeff", "")
    if "\t" not in line:
        line = _HTML_TAG.sub("", line)
        line = _MD_HEADING.sub("", line)
        line = re.sub(r"\*\*(.+?)\*\*", r"\1", line).replace("**", "")
        line = squash_cjk_spaces(line)
        line = re.sub(r"[ ]{2,}", " ", line).strip()
    else:
        line = line.rstrip()
    return line


def _markdown_table_row(line: str) -> str | None:
    """`| a | b |` -> "a\tb" (markdown pipe tables become TAB rows like every other table)."""
    s = line.strip()
    if s.count("|") >= 2 and s.startswith("|"):
        cells = s.strip("|").split("|")
        return "\t".join(c.strip() for c in cells)
    return None


def _cells_per_line_tables(lines: list[str]) -> list[str]:
    """Tables written one cell per line (each line starting with a TAB, rows split by blank lines) -> TAB rows.

    Word-to-text exports often look like this; a row is the run of TAB-led lines between blank lines.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t") and line.count("\t") == 1:
            group: list[str] = []
            j = i
            while j < len(lines) and lines[j].startswith("\t") and lines[j].count("\t") == 1:
                group.append(lines[j][1:].strip())
                j += 1
            if len(group) >= 3:
                out.append("\t".join(group))
                i = j
                continue
        out.append(line)
        i += 1
    return out


def _is_heading_line(line: str) -> bool:
    """A numbered title without a sentence after it, e.g. "（一）聚焦中心工作和重点领域，拓展公开广度和深度"."""
    return bool(NUMBER_START.match(line)) and "。" not in line and len(line) <= 45


def wrap_width(lines: list[str]) -> int | None:
    """The line width of hard-wrapped text (PDF extraction, fixed-width exports), or None.

    A document is hard-wrapped when a good share of its prose lines have (nearly) the same length.
    """
    lengths = [len(s) for s in lines if s and "\t" not in s and len(s) >= 12]
    if len(lengths) < 20:
        return None
    common = Counter(lengths).most_common()
    for width, _ in common[:3]:
        near = sum(1 for n in lengths if abs(n - width) <= 2)
        if near >= 0.3 * len(lengths) and width >= 15:
            return width
    return None


def _can_join(prev: str, cur: str, width: int | None = None, prev_raw_len: int = 0) -> bool:
    """Whether `cur` continues the paragraph `prev` that a line break (wrap, page break) cut in two.

    In hard-wrapped text a full-width line continues even after a 。, since the wrap fell there by chance.
    """
    if "\t" in prev or "\t" in cur or not prev or not cur:
        return False
    full_width = width is not None and prev_raw_len >= width - 2
    if prev.endswith(_TERMINAL) and not (full_width and prev.endswith("。") and not NUMBER_START.match(cur)
                                         and not _BLOCK_START.match(cur)):
        return False
    if prev.endswith(("）", ")")) and re.search(r"责任单位|牵头单位|责任部门", prev[-80:]):
        return False
    if NUMBER_START.match(cur) or _BLOCK_START.match(cur) or _BLOCK_START.match(prev):
        return False
    if _is_heading_line(prev) or _DATE_ONLY.match(cur) or _DATE_ONLY.match(prev):
        return False
    if _OFFICE_LINE.search(prev) or _OFFICE_LINE.search(cur) and len(cur) < 30:
        return False
    if re.search(r"(工作要点|实施方案|工作方案|通知|决定|意见)$", prev) and len(prev) < 60:
        return False
    if _DOC_NUMBER_LINE.match(prev) or _DOC_NUMBER_LINE.match(cur) or cur.startswith("关于"):
        return False
    return len(prev) >= 8 or bool(re.search(r"[，、（“《]$", prev))


def _running_headers(lines: list[str]) -> set[str]:
    """Short unnumbered lines repeated on many pages (running headers/footers of a PDF)."""
    counts = Counter(s for s in lines if s and "\t" not in s and len(s) <= 30 and not NUMBER_START.match(s))
    return {s for s, n in counts.items() if n >= 3 and not _DATE_ONLY.match(s)}


def _split_flattened(line: str) -> list[str]:
    """Split a long flattened line (a web page copied as one line) before clause numbers that follow 。/；."""
    if len(line) < 200 or "\t" in line:
        return [line]
    parts = _INLINE_MARKER.split(line)
    return [p.strip() for p in parts if p.strip()]


def clean_lines(text: str) -> list[str]:
    """Normalised paragraphs: one per line, table rows as TAB-separated cells, no blank lines."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    raw = _cells_per_line_tables(raw)
    lines: list[str] = []
    for line in raw:
        if _MD_RULE.match(line) or _MD_TABLE_SEP.match(line):
            lines.append("")
            continue
        md_row = _markdown_table_row(line)
        if md_row is not None:
            line = md_row
        line = _clean_line(line)
        if not line.strip() or _PAGE_NUMBER.match(line):
            lines.append("")
            continue
        if "\t" in line and not line.replace("\t", "").strip():
            lines.append("")
            continue
        lines.extend(_split_flattened(line))
    headers = _running_headers(lines)
    width = wrap_width(lines)
    paragraphs: list[str] = []
    last_len = 0
    for line in lines:
        if not line or line in headers:
            continue
        if paragraphs and _can_join(paragraphs[-1], line, width, last_len):
            paragraphs[-1] = paragraphs[-1] + line
        else:
            paragraphs.append(line)
        last_len = len(line)
    return paragraphs
