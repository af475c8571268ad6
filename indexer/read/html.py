"""Reader for .html/.htm pages: the article's text with the site chrome dropped, data tables as TAB lines.

Decoding is encoding.py's (helped by the page's declared charset), the element tree html_tree.py's, and a
table cell's paragraphs are joined by cells.py exactly as the Word reader (docx.py) joins them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.model import DocumentError
from indexer.read.cells import cell_text, is_wide
from indexer.read.encoding import codec_for_label, decode
from indexer.read.html_tree import Node, parse_html
from indexer.read.raw import RawText, fix_newlines

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_.:\-]+)""", re.I)

_BLOCK = frozenset(
    """address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p pre section summary
    table tbody td tfoot th thead tr ul""".split()
)
# Never text a reader sees on the page.
_ALWAYS_DROP = frozenset(
    "head title script style noscript template iframe object embed svg canvas audio video select button "
    "textarea input".split()
)
_CHROME_TAGS = frozenset({"nav", "aside", "form"})
_STRONG_CHROME = re.compile(r"nav|menu|breadcrumb|sidebar|share|copyright")
_WEAK_CHROME = re.compile(r"header|footer")
_CONTENT_HINT = re.compile(r"article|content|detail|main|title")
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_LAYOUT_CELL_CHARS = 3000


def read_html(data: bytes, fmt: str) -> RawText:
    """The page's visible article text; whitespace-only and markup-only pages are refused with their own
    message, so the user knows which it was."""
    text, encoding = decode(data, _declared_charset(data))
    text = fix_newlines(text)
    if not text.strip():
        raise DocumentError("empty file (only whitespace)")
    body = _html_to_text(text)
    if not body.strip():
        raise DocumentError("HTML page has no text (only markup)")
    return RawText(text=body, format=fmt, encoding=encoding)


def _declared_charset(data: bytes) -> str | None:
    """The charset an XML declaration or <meta> names in the first 16 KB, as a codec, or None: decode()
    tries it after UTF-8, because declarations are often wrong."""
    head = data[:16384]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return codec_for_label(match.group(1).decode("ascii")) if match else None


def _html_to_text(html: str) -> str:
    """Tree, then chrome detection weighed by text size, then rendering to lines."""
    body = parse_html(html)  # not just <body>: browsers show stray text around it too; <head> is dropped anyway
    sizes: dict[int, int] = {}
    _measure(body, sizes)
    dropped = _chrome(body, sizes)
    if sizes[id(body)] - sum(sizes[n] for n in dropped) < sizes[id(body)] * 0.05:
        dropped = set()  # the chrome heuristic ate the page (content wrapped in a "header" div...): keep it all
    out = _Lines()
    _HtmlRenderer(dropped, sizes).walk(body, out)
    return out.text()


def _contains(node: Node, tag: str) -> bool:
    """Whether a `tag` element occurs anywhere below `node`, outside elements that are never shown."""
    return any(child.tag == tag or (child.tag not in _ALWAYS_DROP and _contains(child, tag)) for child in node.elements())


def _measure(node: Node, sizes: dict[int, int]) -> int:
    """Visible non-space characters under each element, so chrome can be weighed against the page."""
    total = 0
    for child in node.children:
        if isinstance(child, str):
            total += len("".join(child.split()))
        elif child.tag not in _ALWAYS_DROP:
            total += _measure(child, sizes)
    sizes[id(node)] = total
    return total


def _chrome(body: Node, sizes: dict[int, int]) -> set[int]:
    """Elements that look like site chrome (navigation, headers, footers, share bars).

    An element holding half the page's text or more is never chrome: whole pages are sometimes wrapped in a
    <form> or a div called "header-wrap".
    """
    limit = sizes[id(body)] / 2
    dropped: set[int] = set()

    def visit(node: Node, in_article: bool) -> None:
        for child in node.elements():
            if child.tag in _ALWAYS_DROP:
                continue
            if sizes[id(child)] < limit and _looks_like_chrome(child, in_article):
                dropped.add(id(child))
                continue
            visit(child, in_article or child.tag in ("article", "main"))

    visit(body, False)
    return dropped


def _looks_like_chrome(node: Node, in_article: bool) -> bool:
    """Tag, role or id/class of typical government-site chrome; a <header> inside <article> is the
    article's own title block, and a "detail-header" or "article-title" div is content too."""
    if node.tag in _CHROME_TAGS:
        return True
    if node.tag in ("header", "footer") and not in_article:
        return True
    attrs = node.attrs
    if attrs.get("role", "").lower() in _CHROME_ROLES or "hidden" in attrs:
        return True
    if _HIDDEN_STYLE.search(attrs.get("style", "")):
        return True
    names = f"{attrs.get('id', '')} {attrs.get('class', '')}".lower()
    if _STRONG_CHROME.search(names):
        return True
    return bool(_WEAK_CHROME.search(names)) and not in_article and not _CONTENT_HINT.search(names)


class _Lines:
    """Rendered output: finished lines plus the inline text of the line being built."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._parts: list[str] = []

    def add(self, text: str) -> None:
        self._parts.append(text)

    def end_line(self, keep_empty: bool = False) -> None:
        line = _collapse("".join(self._parts))
        self._parts.clear()
        if line or keep_empty:
            self.lines.append(line)

    def raw(self, line: str) -> None:
        self.end_line()
        self.lines.append(line)

    def blank(self) -> None:
        self.end_line()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def text(self) -> str:
        self.end_line()
        text = "\n".join(self.lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _collapse(text: str) -> str:
    """HTML whitespace rules: runs become one space; a source line break between two CJK characters
    disappears (CSS segment-break rule), so a clause wrapped in the page source is not split by a space."""
    text = text.replace("\xa0", " ")

    def space(match: re.Match[str]) -> str:
        run, start, end = match.group(), match.start(), match.end()
        if ("\n" in run or "\r" in run) and 0 < start and end < len(text):
            if is_wide(text[start - 1]) and is_wide(text[end]):
                return ""
        return " "

    return _HTML_SPACE.sub(space, text).strip(" ")


class _HtmlRenderer:
    """Tree -> lines: block elements break lines, inline ones do not, data tables become TAB lines."""

    def __init__(self, dropped: set[int], sizes: dict[int, int]) -> None:
        self.dropped = dropped
        self.sizes = sizes

    def _skip(self, node: Node) -> bool:
        return node.tag in _ALWAYS_DROP or id(node) in self.dropped

    def walk(self, node: Node, out: _Lines) -> None:
        for child in node.children:
            if isinstance(child, str):
                out.add(child)
            elif self._skip(child):
                continue
            elif child.tag == "br":
                out.end_line(keep_empty=True)
            elif child.tag == "pre":
                out.end_line()
                for line in self._pre_text(child).split("\n"):
                    out.raw(line.replace("\t", " ").rstrip())
                out.end_line()
            elif child.tag == "table" and not self._is_layout(child):
                self._table(child, out)
            else:
                block = child.tag in _BLOCK
                if block:
                    out.end_line()
                self.walk(child, out)
                if block:
                    out.end_line()

    def _pre_text(self, node: Node) -> str:
        parts: list[str] = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            elif not self._skip(child):
                parts.append(self._pre_text(child))
        return "".join(parts)

    def _is_layout(self, table: Node) -> bool:
        """Old government sites lay whole pages out with tables. Such a table is read as ordinary blocks:
        it holds another table, says role=presentation, has a single column, or has a cell the size of an
        article. What remains is a data table and becomes TAB lines."""
        if table.attrs.get("role", "").lower() in ("presentation", "none"):
            return True
        if _contains(table, "table"):
            return True
        rows = [self._cells(tr) for tr in self._rows(table)]
        if all(len(cells) <= 1 for cells in rows):
            return True
        return any(self.sizes.get(id(cell), 0) > _LAYOUT_CELL_CHARS for cells in rows for cell in cells)

    def _rows(self, node: Node) -> Iterator[Node]:
        for child in node.elements():
            if child.tag == "tr":
                yield child
            elif child.tag not in ("table", "td", "th", "caption") and not self._skip(child):
                yield from self._rows(child)  # tbody/thead/tfoot, or a stray <form> between table and rows

    def _cells(self, node: Node) -> list[Node]:
        cells: list[Node] = []
        for child in node.elements():
            if child.tag in ("td", "th"):
                cells.append(child)
            elif child.tag not in ("table", "tr") and not self._skip(child):
                cells.extend(self._cells(child))
        return cells

    def _table(self, table: Node, out: _Lines) -> None:
        out.blank()
        for child in table.elements():
            if child.tag == "caption" and not self._skip(child):
                self.walk(child, out)
                out.end_line()
        rows: list[list[tuple[str, int, int]]] = []
        for tr in self._rows(table):
            row = []
            for cell in self._cells(tr):
                lines = _Lines()
                self.walk(cell, lines)
                lines.end_line()
                text = cell_text([line.strip() for line in lines.lines])
                rowspan = _span(cell.attrs.get("rowspan"), 65534) or 65534  # rowspan=0: to the end of the table
                colspan = max(1, _span(cell.attrs.get("colspan"), 1000))
                row.append((text, rowspan, colspan))
            rows.append(row)
        for line in _grid_lines(rows):
            out.raw(line)
        out.blank()


def _span(value: str | None, cap: int) -> int:
    """A rowspan/colspan attribute as browsers read it (leading digits; "2x" is 2, junk is 1), capped so
    a typo like colspan=99999 cannot blow up the grid."""
    match = re.match(r"\s*(\d+)", value or "")
    return min(int(match.group(1)), cap) if match else 1


def _grid_lines(rows: list[list[tuple[str, int, int]]]) -> list[str]:
    """Lay cells on a grid. A rowspan leaves an empty cell in each row below it and a colspan empty cells to
    its right, so every line has the same number of TABs and a column's values stay in that column."""
    covered: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    grid: list[list[str]] = []
    for row in rows:
        line: list[str] = []
        for text, rowspan, colspan in row:
            _skip_covered(line, covered)
            start = len(line)
            line.append(text)
            line.extend([""] * (colspan - 1))
            if rowspan > 1:
                for column in range(start, start + colspan):
                    covered[column] = rowspan - 1
        while any(count > 0 for column, count in covered.items() if column >= len(line)):
            if covered.get(len(line), 0) > 0:
                _skip_covered(line, covered)
            else:
                line.append("")
        grid.append(line)
    width = max((len(line) for line in grid), default=0)
    return ["\t".join(line + [""] * (width - len(line))) for line in grid if any(line)]


def _skip_covered(line: list[str], covered: dict[int, int]) -> None:
    """Emit an empty cell for each column at the end of `line` that a rowspan from above still covers."""
    while covered.get(len(line), 0) > 0:
        covered[len(line)] -= 1
        line.append("")
