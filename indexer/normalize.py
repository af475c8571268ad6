"""Text repair between reading (indexer/read/) and structure parsing (indexer/outline.py, indexer/tables.py).

Keeps the source's characters: it only rejoins lines broken by extraction or hard wrapping, splits a body
flattened onto one line before its clause numbers, drops page numbers, running headers and markup, and
removes spaces that split Chinese words. Table rows stay TAB-separated lines so the table parser sees their
cells; a task table flattened into text without TABs was turned back into such rows before this step
(indexer/flat_tables/, called by indexer/entries.py). Shared patterns come from indexer/patterns.py.
"""
from __future__ import annotations

import re
from collections import Counter

from indexer.actors import unit_line
from indexer.fields import arabic_dates
from indexer.flat_text import split_head, split_tail
from indexer.metadata import is_plan_title
from indexer.outline import match_marker
from indexer.patterns import NUMBER_START, PAGE_NUMBER, STYLE_RANK, squash_cjk_spaces

_HTML_TAG = re.compile(r"</?(?:p|br|span|div|b|strong|em|i|u|font|td|tr|li|ul|ol|h\d)\b[^>]*>", re.I)
# A closing tag whose "<" a wrong decoding ate ("牵头(/div>", "稳增镾/div>"): markup debris. An opening
# bracket right before it is the garbled closer of a note, never the start of one.
_BROKEN_TAG = re.compile(r"[（(]?/(?:p|span|div|td|tr|li|font|b|strong|em|h\d)>", re.I)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_TERMINAL = tuple("。！？!?；;：:")
_BLOCK_START = re.compile(r"^\s*(?:附件|附表|抄送|主送|（此件|\(此件)")
_DATE_ONLY = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_OFFICE_LINE = re.compile(r"(?:人民政府办公室|人民政府办公厅|人民政府)\s*(?:文件)?\s*$")
_DOC_NUMBER_LINE = re.compile(r"^\s*[\u4e00-\u9fff]{1,12}\s*[〔［\[【(（]\s*\d{4}\s*[〕］\]】)）]\s*\d{1,4}\s*号\s*$")
# A clause number inside a line (a web page copied as one line): 一、 （一） 1. （1） ①, not followed by a digit
# ("1.5") or by the words of a cross-reference ("本要点（一）项").
_INLINE_CANDIDATE = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}\s*[、．.]|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]|\d{1,2}\s*[.．、]"
    r"|[（(]\s*\d{1,2}\s*[）)]|[①-⑳])(?![\d项条款])"
)
# What may stand right before an inline clause number: the end of a sentence, a colon, a closing bracket/quote.
_INLINE_BOUNDARY = frozenset("。；;：:！!？?）)”\"")


# A pinyin gloss a mirror page puts after a character ("责(zé)任单位", "区(qū)"): one syllable in brackets,
# with a tone mark, right after a Han character. Debris of the rendering, never the plan's words.
_PINYIN_GLOSS = re.compile(
    r"(?<=[\u4e00-\u9fff])[（(](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ])"
    r"(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,5}[）)]"
)


def without_glosses(text: str) -> str:
    """The text without pinyin glosses after characters ("發(fā)改委" -> "發改委")."""
    return _PINYIN_GLOSS.sub("", text)


def _clean_line(line: str) -> str:
    line = line.replace("\u00a0", " ").replace("\u3000", " ").replace("\u200b", "").replace("\ufeff", "")
    if "\t" not in line:
        line = _BROKEN_TAG.sub("", _HTML_TAG.sub("", line))
        line = _MD_HEADING.sub("", line)
        line = re.sub(r"\*\*(.+?)\*\*", r"\1", line).replace("**", "")
        line = squash_cjk_spaces(line)
        line = re.sub(r"[ ]{2,}", " ", line).strip()
    else:
        line = line.rstrip(" \r\f\v")  # trailing TABs are empty cells: they keep the row as wide as the table
    return line


def _markdown_table_row(line: str) -> str | None:
    """`| a | b |` -> "a\tb" (markdown pipe tables become TAB rows like every other table)."""
    s = line.strip()
    if s.count("|") >= 2 and s.startswith("|"):
        cells = s.strip("|").split("|")
        return "\t".join(c.strip() for c in cells)
    return None


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
    if unit_line(prev) or unit_line(cur):  # a task's unit line belongs to the task above, never to the next
        return False
    if "。" in prev and unit_line(prev.rsplit("。", 1)[1]):  # "…结果等。市审计局牵头落实": the paragraph ends there
        return False
    full_width = width is not None and prev_raw_len >= width - 2
    if prev.endswith(_TERMINAL) and not (full_width and prev.endswith("。") and not NUMBER_START.match(cur)
                                         and not _BLOCK_START.match(cur)):
        return False
    if prev.endswith(("）", ")")) and re.search(r"责任单位|牵头单位|责任部门", prev[-80:]):
        return False
    if NUMBER_START.match(cur) or _BLOCK_START.match(cur) or _BLOCK_START.match(prev):
        return False
    if _is_heading_line(prev) and not full_width:  # a full line that opens with a number is a wrapped clause
        return False
    if _letter_parts(prev, cur):
        return False
    if not full_width and not re.search(r"[，,、（(“《]$", prev) and any(
            is_plan_title(x) and re.search(r"\d{4}\s*年", x) and not re.search(r"[，,、：:]", x) for x in (prev, cur)):
        return False  # the plan's own title line ("西湖区2021年政务公开工作要点…") stands apart from the page around it
    return len(prev) >= 8 or bool(re.search(r"[，、（“《]$", prev))


def _letter_parts(prev: str, cur: str) -> bool:
    """Whether either line is a part of the covering letter that stands alone: a date, the office, the
    notice's title, the 文号, "关于…"."""
    if _DATE_ONLY.match(arabic_dates(cur)) or _DATE_ONLY.match(arabic_dates(prev)):
        return True
    if _OFFICE_LINE.search(prev) or _OFFICE_LINE.search(cur) and len(cur) < 30:
        return True
    if re.search(r"(工作要点|实施方案|工作方案|通知|决定|意见)$", prev) and len(prev) < 60:
        return True
    return bool(_DOC_NUMBER_LINE.match(prev) or _DOC_NUMBER_LINE.match(cur) or cur.startswith("关于"))


def _running_headers(lines: list[str]) -> set[str]:
    """Short unnumbered lines repeated on many pages (running headers/footers of a PDF)."""
    counts = Counter(s for s in lines if s and "\t" not in s and len(s) <= 30 and not NUMBER_START.match(s)
                     and not unit_line(s))  # "县教育局牵头落实" after many tasks is no running header
    # The issuing office signs above a date (the notice's and the plan's signatures): its name is met three
    # times with the letterhead, and is no running header.
    nonblank = [s for s in lines if s]
    signed = {s for s, after in zip(nonblank, nonblank[1:], strict=False)
              if _OFFICE_LINE.search(s) and _DATE_ONLY.match(arabic_dates(after))}
    return {s for s, n in counts.items() if n >= 3 and not _DATE_ONLY.match(arabic_dates(s)) and s not in signed}


_INLINE_MIN = 120  # characters: shorter lines are one clause as written, whatever numbers they hold


class _InlineNumbers:
    """Splits flattened lines (a web page copied as one long line) before the clause numbers in them.

    A number inside a line starts a new clause only when it continues the document's numbering (the next
    value of a level in use, or the first item of a deeper level) and stands after a sentence end, a colon
    or a closing bracket, or right after a short heading ("一、聚焦重点领域（一）紧扣…"). That keeps "第1.5",
    "统一、规范" and cross-references such as "按照本要点（一）项要求" in their sentences. The numbering
    state runs through the whole document: lines that open with a number update it too.
    """

    def __init__(self) -> None:
        self.stack: list[tuple[str, int]] = []
        self.last: dict[str, int] = {}

    def _plausible(self, style: str, value: int) -> bool:
        for s, v in reversed(self.stack):
            if s == style:
                return value == v + 1
        if self.stack and STYLE_RANK.get(style, 9) <= STYLE_RANK.get(self.stack[-1][0], 9):
            return False
        return value == 1 or value == self.last.get(style, -9) + 1

    def _accept(self, style: str, value: int) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == style:
                del self.stack[i:]
                break
        self.stack.append((style, value))
        self.last[style] = value

    def observe(self, line: str) -> None:
        """A line that opens with a number (its own line break says it is one) sets the numbering state."""
        marker = match_marker(line)
        if marker:
            self._accept(marker[0], marker[2])

    def split(self, line: str) -> list[str]:
        """The line, or its parts when numbers inside it open new clauses."""
        if "\t" in line:
            return [line]
        self.observe(line)
        if len(line) < _INLINE_MIN:
            return [line]
        cuts: list[int] = []
        opened = 0 if match_marker(line) else -1  # where the last accepted number starts
        for m in _INLINE_CANDIDATE.finditer(line):
            start = m.start()
            if start == 0 or not _stands_apart(line, m, opened):
                continue
            marker = match_marker(line[start:])
            if marker is None or not self._plausible(marker[0], marker[2]):
                continue
            self._accept(marker[0], marker[2])
            cuts.append(start)
            opened = start
        if not cuts:
            return [line]
        parts = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
        return [p.strip() for p in parts if p.strip()]


def _stands_apart(line: str, m: re.Match[str], opened: int) -> bool:
    """Whether the number at `m` may open a clause by what stands before it: a sentence end, a colon or a
    closing bracket, or a short heading opened at `opened` ("一、聚焦重点领域（一）…"); never a digit run or
    a numeral continuing a word ("第1.5", "十一")."""
    start = m.start()
    before = line[:start].rstrip()
    if not before:
        return False
    prev = before[-1]
    if m.group(0)[0].isdigit() and (prev.isdigit() or prev.isascii() and prev.isalpha() or prev in "第.．-/~～"):
        return False
    if m.group(0)[0] in "一二三四五六七八九十" and prev in "一二三四五六七八九十第":
        return False
    if prev in _INLINE_BOUNDARY:
        return True
    if opened < 0:
        return False
    heading = line[opened:start]
    marker = match_marker(heading)
    title = heading[len(heading) - len(marker[3]):] if marker else heading
    return 2 <= len(title) <= 45 and not re.search(r"[。；;！!？?]", title)


def split_lines(text: str) -> list[str]:
    """The text's raw lines, whatever line ends it uses."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _cleaned(line: str) -> str:
    """One raw line cleaned ("" for a line that carries nothing: a rule, a page number, empty cells)."""
    if _MD_RULE.match(line) or _MD_TABLE_SEP.match(line):
        return ""
    md_row = _markdown_table_row(line)
    line = _clean_line(md_row if md_row is not None else line)
    if not line.strip() or PAGE_NUMBER.match(line) or "\t" in line and not line.replace("\t", "").strip():
        return ""
    return line


def _join_paragraphs(lines: list[str]) -> list[str]:
    """Cleaned lines -> paragraphs: running headers dropped, lines broken by wrapping or pages rejoined."""
    headers = _running_headers(lines)
    width = wrap_width(lines)
    paragraphs: list[str] = []
    last_len = 0
    kept_titles: set[str] = set()
    for line in lines:
        if not line:
            continue
        if line in headers:
            # A running header that repeats the plan's title: the first one is the title itself.
            if line in kept_titles or not is_plan_title(line):
                continue
            kept_titles.add(line)
        if paragraphs and _can_join(paragraphs[-1], line, width, last_len):
            paragraphs[-1] = paragraphs[-1] + line
        else:
            paragraphs.append(line)
        last_len = len(line)
    return paragraphs


def clean_lines(text: str | list[str]) -> list[str]:
    """Normalised paragraphs: one per line, table rows as TAB-separated cells, no blank lines.

    Takes the text or its raw lines; tables written without TABs are recovered before this step
    (indexer.flat_tables.recover_tables, called by indexer/entries.py)."""
    raw = split_lines(text) if isinstance(text, str) else text
    inline = _InlineNumbers()
    lines: list[str] = []
    in_head = True  # before the plan's title or first clause: a line may hold the whole head (flat_text)
    for line in map(_cleaned, raw):
        if not line:
            lines.append("")
            continue
        parts = split_head(line) if in_head else [line]
        for part in (piece for p in parts for piece in split_tail(p)):
            in_head = in_head and not (is_plan_title(part) or NUMBER_START.match(part))
            lines.extend(inline.split(part))
    return _join_paragraphs(lines)
