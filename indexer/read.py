"""File -> text: a plan file (.txt .md .html .docx .pdf) as plain text, table rows as TAB-separated lines.

Next step: indexer/normalize.py repairs that text (page numbers, broken lines) before the plan is parsed.
"""
from __future__ import annotations

import codecs
import io
import logging
import re
import stat
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from indexer.model import DocumentError

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")

MAX_BYTES = 50 * 1024 * 1024

_FORMATS = {
    ".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf",
}
_SUFFIX_LIST = ".txt .md .html .htm .docx .pdf"
_BINARY = "not a text file (binary content)"


@dataclass
class RawText:
    """A document as plain text, before normalisation."""

    text: str  # the document as plain text
    format: str  # "txt" | "md" | "html" | "docx" | "pdf"
    encoding: str | None  # detected text encoding for txt/md/html, None for docx/pdf


def read_document(path: str | Path) -> RawText:
    """Read one plan file as text; any problem becomes a DocumentError whose message is one plain line.

    The message never names the path: the caller prefixes it.
    """
    path = Path(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise DocumentError("file not found") from None
    except OSError as exc:
        raise DocumentError(f"cannot open file ({_os_reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError("is a directory")
    suffix = path.suffix.lower()
    fmt = _FORMATS.get(suffix)
    if fmt is None:
        raise DocumentError(_unsupported(suffix))
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError("not a regular file")
    if info.st_size > MAX_BYTES:
        size = -(-info.st_size // 2**20)  # MB, rounded up: 50 MB and one byte is not "50 MB"
        raise DocumentError(f"file too large ({size} MB; the limit is {MAX_BYTES // 2**20} MB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file ({_os_reason(exc)})") from None
    if not data:
        raise DocumentError("empty file")
    readers: dict[str, Callable[[bytes, str], RawText]] = {
        "txt": _read_plain, "md": _read_plain, "html": _read_html, "docx": _read_docx, "pdf": _read_pdf,
    }
    try:
        return readers[fmt](data, fmt)
    except DocumentError:
        raise
    except Exception as exc:  # last guard: a library surprise must still reach the user as one line
        raise DocumentError(f"cannot read {fmt} file ({type(exc).__name__}: {_reason(exc)})") from exc


def _unsupported(suffix: str) -> str:
    """Name the suffix and the accepted ones; old Office formats get the obvious remedy."""
    shown = suffix or "without a suffix"
    message = f"unsupported file type {shown} (supported: {_SUFFIX_LIST})"
    if suffix in (".doc", ".wps", ".rtf"):
        message += "; save it as .docx first"
    return message


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _reason(exc: BaseException) -> str:
    """First line of an exception message, short enough for a one-line report."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


# ---------------------------------------------------------------------------------------------------------
# Text files and encoding detection


def _read_plain(data: bytes, fmt: str) -> RawText:
    """.txt and .md: decode and fix line endings only; the normaliser and the markdown parser do the rest."""
    text, encoding = _decode(data)
    text = _fix_newlines(text)
    if not text.strip():
        raise DocumentError("empty file (only whitespace)")
    return RawText(text=text, format=fmt, encoding=encoding)


def _fix_newlines(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts with the UTF-16 LE mark
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0/C1 controls that never occur in real text (TAB, LF, VT, FF, CR and the DOS end-of-file mark do).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")
# Characters of ordinary Chinese or English text; a wrong UTF-16 byte order or a binary file scores low.
_COMMON = re.compile(r"[\t\n\r\x20-\x7e\xa0-\xff\u2000-\u206f\u2460-\u24ff\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_GB_LABELS = {
    "gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "ms936", "windows-936", "csgb2312",
    "chinese", "iso-ir-58", "euc-cn", "gb18030",
}


def _decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of unknown encoding; returns (text, codec name).

    Order matters: a byte-order mark is certain; NUL bytes mean UTF-16 or binary (UTF-8 and GB18030 would
    accept them silently); valid UTF-8 is almost never an accident, so it beats a (often wrong) declared
    charset; GB18030 covers GB2312 and GBK.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoded = _decode_tolerantly(data[len(bom):], [encoding.removesuffix("-sig")])
            if decoded is None:
                raise DocumentError(f"damaged text file (invalid {encoding} after the byte-order mark)")
            return _not_binary(decoded[0]), encoding
    if b"\x00" in data:
        guessed = _guess_utf16(data)
        if guessed is None:
            raise DocumentError(_BINARY)
        return _not_binary(guessed[0]), guessed[1]
    decoded = _decode_tolerantly(data, list(dict.fromkeys(c for c in ("utf-8", declared, "gb18030") if c)))
    if decoded is not None:
        return _not_binary(decoded[0]), decoded[1]
    if len(_CONTROL.findall(data.decode("latin-1"))) > len(data) * 0.01:
        raise DocumentError(_BINARY)
    raise DocumentError("unknown text encoding (not UTF-8, UTF-16 or GB18030/GBK)")


def _decode_tolerantly(data: bytes, codecs_to_try: list[str]) -> tuple[str, str] | None:
    """The first codec that decodes strictly; failing that, two kinds of damage are tolerated rather than
    rejected: a file cut inside its last character (the partial character is dropped), and a long text with
    a few stray bytes (at most one per 1000 bytes, each shown as U+FFFD)."""
    for cut in range(min(4, len(data))):  # 0: the whole file; 1-3: without a character cut off at the end
        for encoding in codecs_to_try:
            try:
                return data[:len(data) - cut].decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    errors, encoding = min((_count_errors(data, c), c) for c in codecs_to_try)
    if errors <= len(data) // 1000:
        return data.decode(encoding, errors="replace"), encoding
    return None


def _guess_utf16(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16: ASCII characters put NUL bytes on one side of each pair; choose the byte order whose
    decoding looks like ordinary text."""
    best: tuple[float, str, str] | None = None
    data = data[:len(data) - len(data) % 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        share = 1 - len(_COMMON.sub("", text)) / len(text)
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, text, encoding)
    return None if best is None else (best[1], best[2])


def _count_errors(data: bytes, encoding: str) -> int:
    """Invalid sequences met when decoding (each becomes one U+FFFD under errors="replace")."""
    return data.decode(encoding, errors="replace").count("\ufffd")


def _not_binary(text: str) -> str:
    """Refuse decoded text that is mostly control characters: it was a binary file with a text suffix."""
    if len(_CONTROL.findall(text)) > len(text) * 0.01:
        raise DocumentError(_BINARY)
    return text


def _codec_for_label(label: str) -> str | None:
    """A declared HTML charset as a Python codec: GB labels widen to GB18030 (what browsers do), Latin-1 to
    cp1252, and UTF-16 declarations are ignored (the bytes were already read as ASCII to find them)."""
    label = label.strip().lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None
    if name == "utf-8-sig":
        return "utf-8"
    if name in ("latin-1", "iso8859-1"):
        return "cp1252"
    return name


# ---------------------------------------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_.:\-]+)""", re.I)

_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
_BLOCK = frozenset(
    """address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p pre section summary
    table tbody td tfoot th thead tr ul""".split()
)
_CLOSES_P = frozenset(
    """address article aside blockquote center details dialog dir div dl dd dt fieldset figcaption figure footer
    form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary table ul""".split()
)
_HEAD_CONTENT = frozenset("base link meta noscript script style template title".split())
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
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot"})
_MAX_DEPTH = 256  # unclosed inline tags in a sloppy page must not nest deep enough to exhaust recursion
_LAYOUT_CELL_CHARS = 3000


def _read_html(data: bytes, fmt: str) -> RawText:
    text, encoding = _decode(data, _declared_charset(data))
    text = _fix_newlines(text)
    if not text.strip():
        raise DocumentError("empty file (only whitespace)")
    body = _html_to_text(text)
    if not body.strip():
        raise DocumentError("HTML page has no text (only markup)")
    return RawText(text=body, format=fmt, encoding=encoding)


def _declared_charset(data: bytes) -> str | None:
    head = data[:16384]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return _codec_for_label(match.group(1).decode("ascii")) if match else None


class _Node:
    """An element of the tolerant HTML tree: children are _Node or text."""

    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []

    def elements(self) -> Iterator[_Node]:
        return (c for c in self.children if isinstance(c, _Node))


class _TreeBuilder(HTMLParser):
    """html.parser only tokenises; this adds the implied end tags real government pages rely on
    (unclosed <p>, <li>, <td>, <tr>) so tables and paragraphs come out with the right shape."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack: list[_Node] = [self.root]

    def _close(self, targets: set[str] | frozenset[str], boundaries: set[str] | frozenset[str]) -> bool:
        """Pop up to and including the nearest open element in `targets`, unless a boundary comes first."""
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in targets:
                del self.stack[i:]
                return True
            if tag in boundaries:
                return False
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HEAD_CONTENT and any(node.tag == "head" for node in self.stack):
            self._close({"head"}, set())  # an unclosed <head> ends where body content starts
        if tag in _CLOSES_P:
            self._close({"p"}, {"table", "td", "th", "caption", "button"})
        if tag == "li":
            self._close({"li"}, {"ul", "ol", "table", "td", "th"})
        elif tag in ("dt", "dd"):
            self._close({"dt", "dd"}, {"dl", "table", "td", "th"})
        elif tag == "tr":
            self._close({"tr"}, {"table"})
        elif tag in ("td", "th"):
            self._close({"td", "th"}, {"tr", "table"})
        elif tag in _TABLE_PARTS:
            self._close(_TABLE_PARTS, {"table"})
        elif tag == "option":
            self._close({"option"}, {"select"})
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # browsers ignore the slash of <div/>: it opens the element

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # </br> is a line break in every browser
            self.stack[-1].children.append(_Node("br", {}))
        elif tag in ("body", "html"):
            return  # text after </body> is still shown
        elif tag == "p" and not self._close({"p"}, {"table", "td", "th", "caption", "button"}):
            self.stack[-1].children.append(_Node("p", {}))  # a stray </p> is an empty paragraph: a line break
        elif tag == "table":
            self._close({"table"}, set())
        elif tag in ("td", "th", "tr", "caption") or tag in _TABLE_PARTS:
            self._close({tag}, {"table"})
        else:
            self._close({tag}, {"table", "td", "th", "caption"})

    def handle_data(self, data: str) -> None:
        if self.stack[-1].tag == "head" and data.strip():
            self._close({"head"}, set())  # text cannot live in <head>: the body has begun
        self.stack[-1].children.append(data)


def _html_to_text(html: str) -> str:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    body = builder.root  # not just <body>: browsers show stray text around it too; <head> is dropped anyway
    sizes: dict[int, int] = {}
    _measure(body, sizes)
    dropped = _chrome(body, sizes)
    if sizes[id(body)] - sum(sizes[n] for n in dropped) < sizes[id(body)] * 0.05:
        dropped = set()  # the chrome heuristic ate the page (content wrapped in a "header" div...): keep it all
    out = _Lines()
    _HtmlRenderer(dropped, sizes).walk(body, out)
    return out.text()


def _contains(node: _Node, tag: str) -> bool:
    return any(child.tag == tag or (child.tag not in _ALWAYS_DROP and _contains(child, tag)) for child in node.elements())


def _measure(node: _Node, sizes: dict[int, int]) -> int:
    """Visible non-space characters under each element, so chrome can be weighed against the page."""
    total = 0
    for child in node.children:
        if isinstance(child, str):
            total += len("".join(child.split()))
        elif child.tag not in _ALWAYS_DROP:
            total += _measure(child, sizes)
    sizes[id(node)] = total
    return total


def _chrome(body: _Node, sizes: dict[int, int]) -> set[int]:
    """Elements that look like site chrome (navigation, headers, footers, share bars).

    An element holding half the page's text or more is never chrome: whole pages are sometimes wrapped in a
    <form> or a div called "header-wrap".
    """
    limit = sizes[id(body)] / 2
    dropped: set[int] = set()

    def visit(node: _Node, in_article: bool) -> None:
        for child in node.elements():
            if child.tag in _ALWAYS_DROP:
                continue
            if sizes[id(child)] < limit and _looks_like_chrome(child, in_article):
                dropped.add(id(child))
                continue
            visit(child, in_article or child.tag in ("article", "main"))

    visit(body, False)
    return dropped


def _looks_like_chrome(node: _Node, in_article: bool) -> bool:
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
            if _is_wide(text[start - 1]) and _is_wide(text[end]):
                return ""
        return " "

    return _HTML_SPACE.sub(space, text).strip(" ")


def _is_wide(char: str) -> bool:
    """CJK ideographs and full-width punctuation; Hangul is wide but Korean separates words with spaces."""
    if "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff":
        return False
    return unicodedata.east_asian_width(char) in ("W", "F")


def _join_cjk(parts: list[str]) -> str:
    """Join the lines of one table cell: nothing between two CJK characters, a space otherwise."""
    joined = ""
    for part in parts:
        if not part:
            continue
        if joined:
            joined += "" if _is_wide(joined[-1]) and _is_wide(part[0]) else " "
        joined += part
    return joined


# A cell paragraph that is a numbered heading ("(三) 积极回应群众关切") rather than text.
_CELL_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,3}\s*[.．、](?!\d))")
CELL_BREAK = "\u2028"  # LINE SEPARATOR: ends a numbered heading paragraph inside a table cell


def _cell_text(parts: list[str]) -> str:
    """One table cell's paragraphs as one line. A numbered heading paragraph followed by text ("(三) 积极回应群众
    关切" then "出台重大政策…") keeps its break as CELL_BREAK, so the task-table parser can tell the heading
    (a level of the row) from the requirement text; other paragraphs are joined."""
    parts = [part for part in parts if part]
    if len(parts) > 1 and _CELL_HEADING.match(parts[0]) and "。" not in parts[0] and len(parts[0]) <= 40:
        return parts[0] + CELL_BREAK + _join_cjk(parts[1:])
    return _join_cjk(parts)


class _HtmlRenderer:
    """Tree -> lines: block elements break lines, inline ones do not, data tables become TAB lines."""

    def __init__(self, dropped: set[int], sizes: dict[int, int]) -> None:
        self.dropped = dropped
        self.sizes = sizes

    def _skip(self, node: _Node) -> bool:
        return node.tag in _ALWAYS_DROP or id(node) in self.dropped

    def walk(self, node: _Node, out: _Lines) -> None:
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

    def _pre_text(self, node: _Node) -> str:
        parts: list[str] = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            elif not self._skip(child):
                parts.append(self._pre_text(child))
        return "".join(parts)

    def _is_layout(self, table: _Node) -> bool:
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

    def _rows(self, node: _Node) -> Iterator[_Node]:
        for child in node.elements():
            if child.tag == "tr":
                yield child
            elif child.tag not in ("table", "td", "th", "caption") and not self._skip(child):
                yield from self._rows(child)  # tbody/thead/tfoot, or a stray <form> between table and rows

    def _cells(self, node: _Node) -> list[_Node]:
        cells: list[_Node] = []
        for child in node.elements():
            if child.tag in ("td", "th"):
                cells.append(child)
            elif child.tag not in ("table", "tr") and not self._skip(child):
                cells.extend(self._cells(child))
        return cells

    def _table(self, table: _Node, out: _Lines) -> None:
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
                text = _cell_text([line.strip() for line in lines.lines])
                rowspan = _span(cell.attrs.get("rowspan"), 65534) or 65534  # rowspan=0: to the end of the table
                colspan = max(1, _span(cell.attrs.get("colspan"), 1000))
                row.append((text, rowspan, colspan))
            rows.append(row)
        for line in _grid_lines(rows):
            out.raw(line)
        out.blank()


def _span(value: str | None, cap: int) -> int:
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


# ---------------------------------------------------------------------------------------------------------
# Word (.docx)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees of a paragraph that are not its text: properties (whose <w:tab> are tab stops), drawings and
# text boxes (placed elsewhere on the page), deleted revisions.
_DOCX_SKIP = frozenset(
    f"{_W}{t}" for t in ("pPr", "rPr", "sdtPr", "drawing", "pict", "object", "txbxContent", "del", "moveFrom",
                         "delText", "instrText")
) | {f"{_MC}AlternateContent"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_docx(data: bytes, fmt: str) -> RawText:
    document = _open_docx(data)
    numbering = _DocxNumbering.of(document)
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
        raise DocumentError(f"truncated or damaged Word file ({_reason(exc)})") from exc


def _docx_blocks(container: Any, lines: list[str], numbering: _DocxNumbering | None = None) -> None:
    """Body content in document order: paragraphs and tables interleaved, content controls unwrapped."""
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            lines.extend(_docx_paragraph(child, numbering).split("\n"))
        elif tag == f"{_W}tbl":
            _blank(lines)
            lines.extend(_docx_table(child, numbering))
            _blank(lines)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _docx_blocks(content, lines, numbering)
        elif tag == f"{_W}customXml":
            _docx_blocks(child, lines, numbering)


def _blank(lines: list[str]) -> None:
    if lines and lines[-1].strip():
        lines.append("")


def _docx_paragraph(paragraph: Any, numbering: _DocxNumbering | None = None) -> str:
    """Text of a w:p read from the XML (python-docx's Paragraph.text misses runs inside insertions, smart
    tags and fields). TABs become spaces: in this module's output a TAB only ever separates table cells.
    Word's automatic list number (numPr, "一、" / "（一）" / "1.") is put in front, as Word shows it."""
    parts: list[str] = [numbering.label(paragraph)] if numbering is not None else []

    def collect(element: Any) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _DOCX_SKIP:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                parts.append(" ")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            else:
                collect(child)

    collect(paragraph)
    return "".join(parts)


def _docx_int(element: Any, default: int) -> int:
    if element is None:
        return default
    match = re.match(r"\s*(\d+)", element.get(f"{_W}val") or "")
    return int(match.group(1)) if match else default


def _docx_children(element: Any, tag: str) -> Iterator[Any]:
    """Rows of a table or cells of a row, including those wrapped in content controls."""
    for child in element.iterchildren():
        if child.tag == f"{_W}{tag}":
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _docx_children(content, tag)
        elif child.tag == f"{_W}customXml":
            yield from _docx_children(child, tag)


def _docx_rows(table: Any, numbering: _DocxNumbering | None = None) -> list[list[str]]:
    """Cells per row from the XML, not python-docx's row.cells (which repeats a merged cell): a vMerge
    continuation is an empty cell, gridSpan=N is the text plus N-1 empty cells, gridBefore/gridAfter empty
    cells; every row is padded to the grid's column count."""
    rows: list[list[str]] = []
    for tr in _docx_children(table, "tr"):
        row: list[str] = [""] * _docx_int(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
        for tc in _docx_children(tr, "tc"):
            props = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if props is not None:
                span = max(1, _docx_int(props.find(f"{_W}gridSpan"), 1))
                for merge in (props.find(f"{_W}vMerge"), props.find(f"{_W}hMerge")):
                    if merge is not None and merge.get(f"{_W}val") in (None, "continue"):
                        continued = True
            row.append("" if continued else _docx_cell(tc, numbering))
            row.extend([""] * (span - 1))
        row.extend([""] * _docx_int(tr.find(f"{_W}trPr/{_W}gridAfter"), 0))
        rows.append(row)
    width = max([len(table.findall(f"{_W}tblGrid/{_W}gridCol"))] + [len(row) for row in rows])
    return [row + [""] * (width - len(row)) for row in rows]


def _docx_table(table: Any, numbering: _DocxNumbering | None = None) -> list[str]:
    return ["\t".join(row) for row in _docx_rows(table, numbering) if any(row)]


_CELL_SPACE = re.compile(r"[ \t\r\f\v\xa0]+")


def _docx_cell(cell: Any, numbering: _DocxNumbering | None = None) -> str:
    """One line for a cell: its paragraphs (and any nested table, row by row) joined CJK-aware."""
    parts: list[str] = []

    def collect(container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == f"{_W}p":
                parts.extend(_docx_paragraph(child, numbering).split("\n"))
            elif child.tag == f"{_W}tbl":
                parts.extend(" ".join(c for c in row if c) for row in _docx_rows(child, numbering))
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    collect(content)
            elif child.tag == f"{_W}customXml":
                collect(child)

    collect(cell)
    return _cell_text([_CELL_SPACE.sub(" ", part).strip() for part in parts])


# Word list numbering (numbering.xml) ---------------------------------------------------------------------

_CN_NUMERALS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_CJK_CLOSERS = tuple("、，。；：）】〕」』．")


def _chinese_count(n: int, digits: str = _CN_NUMERALS, ten: str = "十", hundred: str = "百") -> str:
    """Counting numerals as Word's chineseCounting shows them: 1 一, 10 十, 11 十一, 20 二十, 105 一百零五."""
    if n <= 0 or n >= 1000:
        return str(n)
    h, rest = divmod(n, 100)
    t, o = divmod(rest, 10)
    out = f"{digits[h]}{hundred}" if h else ""
    if t:
        out += ("" if t == 1 and not h else digits[t]) + ten
    elif h and o:
        out += "零"
    if o:
        out += digits[o]
    return out


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    out = ""
    for value, symbol in _ROMAN:
        while 0 < n and n >= value:
            out, n = out + symbol, n - value
    return out


def _format_number(n: int, fmt: str) -> str:
    """One level's value in a w:numFmt (the formats Chinese government documents use, and the common rest)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return _chinese_count(n)
    if fmt == "chineseLegalSimplified":
        return _chinese_count(n, _CN_LEGAL, "拾", "佰")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join(_CN_NUMERALS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional", "ideographZodiac"):
        cycle = _TIANGAN if fmt == "ideographTraditional" else _DIZHI
        return cycle[(n - 1) % len(cycle)] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt in ("upperLetter", "lowerLetter"):
        return _letters(n) if fmt == "upperLetter" else _letters(n).lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


def _w_val(element: Any, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return None if found is None else found.get(f"{_W}val")


class _DocxNumbering:
    """Word's automatic list numbers (w:numPr on a paragraph or its style) rendered as text.

    numbering.xml defines abstract lists (w:abstractNum: per level a start value, w:numFmt, w:lvlText such as
    "%1、" or "（%1）", w:lvlRestart) and list instances (w:num -> abstractNum, with w:lvlOverride). Counters are
    kept per list: instances of one abstract list continue each other's numbering, as in Word, unless an
    instance overrides a start value, which starts it afresh. Using a level restarts the levels below it.
    Bullets are not rendered: they are not clause numbers.
    """

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.abstract: dict[str, dict[int, Any]] = {}
        self.abstract_links: dict[str, str] = {}  # abstractNumId -> style its definition lives in (numStyleLink)
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, Any]]] = {}
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_based: dict[str, str] = {}
        self.level_styles: dict[tuple[str, str], int] = {}  # (abstractNumId, styleId) -> ilvl
        self.default_style: str | None = None
        self.counters: dict[str, dict[int, int]] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    @classmethod
    def of(cls, document: Any) -> _DocxNumbering | None:
        """The numbering of a python-docx Document, or None when it has no numbering part."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        part = document.part
        try:
            numbering = part.part_related_by(RT.NUMBERING).element
        except KeyError:
            return None
        try:
            styles = part.part_related_by(RT.STYLES).element
        except KeyError:
            styles = None
        try:
            return cls(numbering, styles)
        except (ValueError, TypeError, AttributeError):  # a malformed numbering part costs the numbers, not the text
            return None

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.iterchildren(f"{_W}abstractNum"):
            aid = abstract.get(f"{_W}abstractNumId") or ""
            levels: dict[int, Any] = {}
            for lvl in abstract.iterchildren(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl") or 0)
                levels[ilvl] = lvl
                style = _w_val(lvl, f"{_W}pStyle")
                if style:
                    self.level_styles[(aid, style)] = ilvl
            self.abstract[aid] = levels
            link = _w_val(abstract, f"{_W}numStyleLink")
            if link:
                self.abstract_links[aid] = link
        for num in root.iterchildren(f"{_W}num"):
            nid = num.get(f"{_W}numId") or ""
            aid = _w_val(num, f"{_W}abstractNumId") or ""
            starts: dict[int, int] = {}
            levels = {}
            for override in num.iterchildren(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl") or 0)
                start = _w_val(override, f"{_W}startOverride")
                if start is not None and start.strip().lstrip("-").isdigit():
                    starts[ilvl] = int(start)
                lvl = override.find(f"{_W}lvl")
                if lvl is not None:
                    levels[ilvl] = lvl
            self.nums[nid] = (aid, starts, levels)

    def _read_styles(self, root: Any) -> None:
        for style in root.iterchildren(f"{_W}style"):
            if style.get(f"{_W}type") != "paragraph":
                continue
            sid = style.get(f"{_W}styleId") or ""
            if style.get(f"{_W}default") in ("1", "true", "on"):
                self.default_style = sid
            based = _w_val(style, f"{_W}basedOn")
            if based:
                self.style_based[sid] = based
            numpr = style.find(f"{_W}pPr/{_W}numPr")
            if numpr is not None:
                ilvl = _w_val(numpr, f"{_W}ilvl")
                self.style_numpr[sid] = (_w_val(numpr, f"{_W}numId"), int(ilvl) if ilvl and ilvl.isdigit() else None)

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, style that carries it) inherited through w:basedOn."""
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            if style in self.style_numpr:
                num_id, ilvl = self.style_numpr[style]
                return num_id, ilvl, style
            style = self.style_based.get(style)
        return None, None, None

    def _levels(self, aid: str, seen: frozenset[str] = frozenset()) -> dict[int, Any]:
        levels = self.abstract.get(aid, {})
        link = self.abstract_links.get(aid)
        if not levels and link and aid not in seen:  # the definition lives in the list style's own list
            num_id, _, _ = self._style_numbering(link)
            if num_id in self.nums:
                return self._levels(self.nums[num_id][0], seen | {aid})
        return levels

    def label(self, paragraph: Any) -> str:
        """The paragraph's list number as Word shows it ("一、", "（二）", "3. "), or "" when it has none."""
        try:
            return self._label(paragraph)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):  # malformed numbering: no number
            return ""

    def _label(self, paragraph: Any) -> str:
        ppr = paragraph.find(f"{_W}pPr")
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id = _w_val(numpr, f"{_W}numId")
        ilvl_text = _w_val(numpr, f"{_W}ilvl")
        ilvl = int(ilvl_text) if ilvl_text and ilvl_text.isdigit() else None
        style = _w_val(ppr, f"{_W}pStyle") or self.default_style
        style_num, style_ilvl, carrier = self._style_numbering(style)
        if num_id is None:
            num_id = style_num
            if ilvl is None:
                ilvl = style_ilvl
        if not num_id or num_id not in self.nums:
            return ""  # numId 0 switches numbering off
        aid, starts, overrides = self.nums[num_id]
        levels = {**self._levels(aid), **overrides}
        if ilvl is None:
            ilvl = self.level_styles.get((aid, carrier or ""), 0)
        lvl = levels.get(ilvl)
        if lvl is None or _w_val(lvl, f"{_W}numFmt") == "bullet":
            return ""
        counters = self.counters.setdefault(num_id if starts else aid, {})

        def start_of(level: int) -> int:
            if level in starts:
                return starts[level]
            text = _w_val(levels.get(level), f"{_W}start")
            return int(text) if text and text.lstrip("-").isdigit() else 1

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start_of(ilvl)
        for deeper in [k for k in counters if k > ilvl]:
            restart = _w_val(levels.get(deeper), f"{_W}lvlRestart")
            if restart is None or (restart.isdigit() and int(restart) != 0 and ilvl < int(restart)):
                del counters[deeper]
        legal = lvl.find(f"{_W}isLgl") is not None and _w_val(lvl, f"{_W}isLgl") not in ("0", "false", "off")

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            value = counters.get(level, start_of(level))
            fmt = _w_val(levels.get(level), f"{_W}numFmt") or "decimal"
            return str(value) if legal else _format_number(value, fmt)

        text = re.sub(r"%([1-9])", render, _w_val(lvl, f"{_W}lvlText") or "")
        if not text:
            return ""
        suffix = _w_val(lvl, f"{_W}suff") or "tab"
        return text if suffix == "nothing" or text.endswith(_CJK_CLOSERS) else text + " "


# ---------------------------------------------------------------------------------------------------------
# PDF


def _read_pdf(data: bytes, fmt: str) -> RawText:
    if b"%PDF-" not in data[:1024]:
        raise DocumentError("not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-4096:]:
        raise DocumentError("damaged PDF (truncated: no end-of-file marker)")
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf logs every repaired cross-reference table as a warning
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages = _pdf_pages(data)
    finally:
        logger.setLevel(level)
    text = _fix_newlines("\n".join(page.rstrip("\n") for page in pages))
    if not text.strip():
        raise DocumentError("PDF has no extractable text (scanned image?)")
    return RawText(text=text, format=fmt, encoding=None)


def _pdf_pages(data: bytes) -> list[str]:
    """Plain-mode text of each page: hard line breaks and page-number lines are kept for the normaliser."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise DocumentError(f"damaged PDF ({_reason(exc)})") from exc
    if encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError:
            raise DocumentError("encrypted PDF (decrypting it needs the 'cryptography' package)") from None
        except Exception as exc:
            raise DocumentError(f"encrypted PDF (cannot decrypt: {_reason(exc)})") from exc
        if not opened:
            raise DocumentError("encrypted PDF (password required)")
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise DocumentError(f"damaged PDF ({_reason(exc)})") from exc
    texts: list[str] = []
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text(extraction_mode="plain") or "")
        except Exception as exc:
            raise DocumentError(f"damaged PDF (page {number}: {_reason(exc)})") from exc
    return texts
