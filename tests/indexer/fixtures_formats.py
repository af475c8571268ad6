"""Builders of .html, .docx and .pdf plan files for tests, made on the fly from the seed plans.

Plain functions (no pytest fixtures) so any test can import them: `from tests.indexer.fixtures_formats import
make_docx`. Tables are described once (`Table` of `Cell`, HTML-style spans) and rendered to HTML or Word.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PLANS_DIR = Path(__file__).resolve().parents[2] / "knowledge" / "plans"
HUAIYIN = "2022-济南市槐荫区-政务公开工作要点.txt"
LICHENG = "2023-济南市历城区-政务公开工作要点.txt"
ZHOUCUN_MD = "2020-淄博市周村区-政务公开工作要点.md"

# Text of the site chrome that make_html(chrome=True) wraps around the content; none of it may survive.
CHROME_PHRASES = (
    "网站首页", "政务服务", "当前位置", "分享到", "相关链接", "版权所有", "网站标识码", "站内搜索",
    "统计脚本", "脚本输出", "color", "请启用", "_济南市槐荫区人民政府",
)

_CLAUSE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def seed_text(name: str = HUAIYIN) -> str:
    """A seed plan as its UTF-8 text."""
    return (PLANS_DIR / name).read_text(encoding="utf-8")


def seed_clauses(name: str = HUAIYIN, limit: int | None = None) -> list[str]:
    """Numbered headings and clauses (“一、…”, “（一）…”) of a seed plan, in order."""
    found = [line.strip() for line in seed_text(name).splitlines() if _CLAUSE.match(line)]
    return found[:limit]


def wrap(text: str, width: int = 32) -> list[str]:
    """Hard-wrap a line every `width` characters, as a printed plan is."""
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def paginate(lines: list[str], per_page: int) -> list[list[str]]:
    return [lines[i:i + per_page] for i in range(0, len(lines), per_page)]


@dataclass
class Cell:
    """A table cell; "\\n" in `text` separates paragraphs inside the cell."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    """Rows as in HTML: a cell covered by a span from above or the left is simply left out of its row."""

    rows: list[list[str | Cell]]
    header_rows: int = 0  # rendered as <th> in HTML
    cells: list[tuple[int, int, Cell]] = field(init=False)  # (row, column, cell) on the grid
    width: int = field(init=False)

    def __post_init__(self) -> None:
        taken: set[tuple[int, int]] = set()
        self.cells = []
        for r, row in enumerate(self.rows):
            c = 0
            for item in row:
                cell = item if isinstance(item, Cell) else Cell(item)
                while (r, c) in taken:
                    c += 1
                self.cells.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        self.width = max((c + 1 for r, c in taken), default=0)


def html_table(table: Table, attrs: str = 'class="task-table" border="1"') -> str:
    parts = [f"<table {attrs}>"]
    for r, row in enumerate(table.rows):
        tag = "th" if r < table.header_rows else "td"
        parts.append("  <tr>")
        for item in row:
            cell = item if isinstance(item, Cell) else Cell(item)
            spans = "".join(
                f' {name}="{value}"' for name, value in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if value > 1
            )
            body = "".join(f"<p>{html.escape(p)}</p>" for p in cell.text.split("\n")) if "\n" in cell.text \
                else html.escape(cell.text)
            parts.append(f"    <{tag}{spans}>\n      {body}\n    </{tag}>")
        parts.append("  </tr>")
    parts.append("</table>")
    return "\n".join(parts)


def make_html(*blocks: str | Table, title: str = "2022年槐荫区政务公开工作要点", charset: str | None = "utf-8",
              chrome: bool = True) -> str:
    """A government-site article page. A str block starting with "<" is raw HTML, any other str a <p>
    (escaped, so “&”, “<” and quotes arrive as entities); a Table becomes a <table>. With `chrome`, the
    article sits inside header, nav, breadcrumb, share bar, sidebar, footer, script and style."""
    content = [f"<h1>{html.escape(title)}</h1>"]
    for block in blocks:
        if isinstance(block, Table):
            content.append(html_table(block))
        elif block.startswith("<"):
            content.append(block)
        else:
            content.append(f"<p>{html.escape(block)}</p>")
    article = "\n".join(content)
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    if not chrome:
        return f"<!DOCTYPE html>\n<html><head>{meta}<title>{html.escape(title)}</title></head>\n<body>\n{article}\n</body></html>\n"
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{meta}
<title>{html.escape(title)}_济南市槐荫区人民政府</title>
<style>body {{ color: #333; }} .main-nav li {{ float: left; }}</style>
<script>var tracker = "统计脚本"; document.write("<p>脚本输出</p>");</script>
</head>
<body>
<header class="site-header"><div class="logo">济南市槐荫区人民政府</div>
  <form class="search-form"><input name="q"><button type="submit">搜索</button><span>站内搜索</span></form>
</header>
<nav class="main-nav"><ul><li><a href="/">网站首页</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/zwfw/">政务服务</a></li></ul></nav>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 工作要点</div>
<div class="container">
<div class="article-content">
{article}
</div>
<div class="share-bar">分享到：微信 微博</div>
<aside class="sidebar"><h3>相关链接</h3><ul><li>山东省人民政府</li><li>济南市人民政府</li></ul></aside>
</div>
<footer class="footer"><p>版权所有：济南市槐荫区人民政府办公室</p><p>网站标识码：3701040001</p></footer>
<noscript>请启用JavaScript</noscript>
</body>
</html>
"""


def make_docx(path: Path, *blocks: str | Table, title: str | None = None) -> Path:
    """A Word file: optional title (Word's Title style), then paragraphs and tables in the given order.
    Spans become real Word merges (python-docx `merge`: gridSpan across, vMerge down)."""
    import docx

    document = docx.Document()
    if title is not None:
        document.add_heading(title, level=0)
    for block in blocks:
        if isinstance(block, Table):
            _docx_table(document, block)
        else:
            document.add_paragraph(block)
    document.save(str(path))
    return path


def _docx_table(document: Any, table: Table) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    grid = document.add_table(rows=len(table.rows), cols=table.width)
    grid.style = "Table Grid"
    cells = grid._cells  # the grid once: python-docx recomputes it on every grid.cell() call
    for r, c, cell in table.cells:
        first, *rest = cell.text.split("\n")
        target = cells[r * table.width + c]
        target.paragraphs[0].text = first
        for paragraph in rest:
            target.add_paragraph(paragraph)
        if cell.rowspan > 1 and cell.colspan == 1:  # a vertical merge, written as Word writes it
            for k in range(cell.rowspan):
                value = ' w:val="restart"' if k == 0 else ""
                cells[(r + k) * table.width + c]._tc.get_or_add_tcPr().append(
                    parse_xml(f"<w:vMerge {nsdecls('w')}{value}/>"))
    for r, c, cell in table.cells:
        if cell.colspan > 1:
            grid.cell(r, c).merge(grid.cell(r + cell.rowspan - 1, c + cell.colspan - 1))


def make_pdf(path: Path, pages: list[list[str]], *, page_numbers: bool = True, font_size: int = 12,
             user_password: str | None = None, owner_password: str | None = None) -> Path:
    """A PDF with one drawn line per string (hard line breaks, as in a printed plan), set in ReportLab's
    built-in CJK font STSong-Light, and a centred page-number footer “— n —”. Passwords encrypt it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    encrypt = None
    if user_password is not None or owner_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(user_password or "", owner_password or user_password or "")
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    width, height = A4
    leading = font_size * 1.6
    for number, lines in enumerate(pages, 1):
        pdf.setFont("STSong-Light", font_size)
        y = height - 72
        for line in lines:
            pdf.drawString(72, y, line)
            y -= leading
        if page_numbers:
            pdf.drawCentredString(width / 2, 40, f"— {number} —")
        pdf.showPage()
    pdf.save()
    return path


# --- whole seed plans in other formats --------------------------------------------------------------------

XUECHENG = "2024-枣庄市薛城区-政务公开工作要点.txt"
QIXIA = "2022-烟台栖霞市-政务公开工作要点.txt"


@dataclass
class SeedPlan:
    """A one-cell-per-line seed (槐荫) taken apart: title, body paragraphs, the task table's rows.

    `rows` are the table's data rows as in the file (merged cells empty); `header` its header cells."""

    title: str
    preamble: list[str]
    body: list[str]
    appendix: list[str]  # the lines between the body and the table ("附件：…", the table's title)
    header: list[str]
    rows: list[list[str]]


def split_seed(name: str = HUAIYIN) -> SeedPlan:
    """Split a seed whose task table is written one cell per line (TAB-led lines, rows between blank lines)."""
    lines = seed_text(name).split("\n")
    first_cell = next(i for i, line in enumerate(lines) if line.startswith("\t"))
    prose = [line.strip() for line in lines[:first_cell] if line.strip()]
    title_at = next(i for i, line in enumerate(prose) if line.endswith("工作要点"))
    body_end = next(i for i, line in enumerate(prose) if line.startswith("附件"))
    groups: list[list[str]] = [[]]
    for line in lines[first_cell:]:
        if line.startswith("\t"):
            groups[-1].append(line[1:].strip())
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    return SeedPlan(
        title=prose[title_at], preamble=prose[:title_at], body=prose[title_at + 1:body_end],
        appendix=prose[body_end:], header=groups[0], rows=groups[1:],
    )


def merged_table(plan: SeedPlan, merge_columns: tuple[int, ...] = (1, 2, 4, 5)) -> Table:
    """The task table with its empty cells turned back into vertical merges: in each of `merge_columns` a
    filled cell spans down over the empty cells below it. The header's 工作任务 spans the two task columns."""
    width = len(plan.rows[0])
    grid = [list(row) + [""] * (width - len(row)) for row in plan.rows]
    spans: dict[tuple[int, int], int] = {}
    covered: set[tuple[int, int]] = set()
    for column in merge_columns:
        r = 0
        while r < len(grid):
            if grid[r][column]:
                end = r + 1
                while end < len(grid) and not grid[end][column]:
                    end += 1
                spans[(r, column)] = end - r
                covered.update((k, column) for k in range(r + 1, end))
                r = end
            else:
                r += 1
    header: list[str | Cell] = [plan.header[0], Cell(plan.header[1], colspan=2), *plan.header[2:]]
    rows: list[list[str | Cell]] = [header]
    for r, row in enumerate(grid):
        out: list[str | Cell] = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            out.append(Cell(text, rowspan=spans.get((r, c), 1)))
        rows.append(out)
    return Table(rows, header_rows=1)


def flatten_body(text: str) -> str:
    """A web page copied as text: the body after the title becomes one line with no breaks; the title and
    everything from the first attachment/抄送/"…印发" line on stay as they are."""
    lines = text.split("\n")
    title_at = next(i for i, line in enumerate(lines) if line.strip().endswith("工作要点") and len(line.strip()) < 40
                    and not line.strip().startswith(("关于", "《")))
    end = next((i for i, line in enumerate(lines) if i > title_at and (line.strip().startswith(("附件", "抄送"))
                                                                       or line.strip().endswith("印发"))), len(lines))
    body = "".join(line.strip() for line in lines[title_at + 1:end])
    return "\n".join([*lines[:title_at + 1], body, *lines[end:]])


# --- Word automatic numbering ------------------------------------------------------------------------------



def make_numbered_docx(path: Path, items: list[tuple[int | None, str] | Table], *, title: str | None = None,
                       levels: tuple[tuple[str, str], ...] = (("chineseCounting", "%1、"),
                                                               ("chineseCounting", "（%2）"), ("decimal", "%3.")),
                       restart_at: set[int] | None = None, heading_style: str | None = None,
                       no_restart: set[int] | None = None) -> Path:
    """A Word file whose clause numbers are Word list numbers (w:numPr), not text.

    `items` are (level, text) pairs: level 0/1/2 is a numbered paragraph at that list level, None a plain
    paragraph; a Table is a table. The list is written to numbering.xml as one w:abstractNum with `levels`
    ((numFmt, lvlText) per level); the paragraphs at the indices in `restart_at` use a second w:num instance
    with a w:startOverride, so the numbering starts again there. With `heading_style`, numbered paragraphs get
    that style, and the style (not the paragraph) carries numId, as in documents whose headings are numbered
    through their styles. Levels in `no_restart` carry w:lvlRestart 0: they run on across their parent level."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    if title is not None:
        document.add_heading(title, level=0)
    numbering = document.part.numbering_part.element
    abstract_id = 90
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + ('<w:lvlRestart w:val="0"/>' if no_restart and i in no_restart else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                         f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:  # abstractNum elements must come before every w:num
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    main_id, restart_id = 91, 92
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{main_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{restart_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    ))
    if heading_style is not None:
        style = document.styles.add_style(heading_style, 1)  # WD_STYLE_TYPE.PARAGRAPH
        style.base_style = document.styles["Normal"]
        style.element.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{main_id}"/></w:numPr>')
        )
    for index, item in enumerate(items):
        if isinstance(item, Table):
            _docx_table(document, item)
            continue
        level, text = item
        paragraph = document.add_paragraph(text)
        if level is None:
            continue
        num_id = restart_id if restart_at and index in restart_at else main_id
        if heading_style is not None and num_id == main_id:
            paragraph.style = document.styles[heading_style]
            if level:
                paragraph._p.get_or_add_pPr().append(
                    parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/></w:numPr>')
                )
            continue
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        ))
    document.save(str(path))
    return path


def tab_table_blocks(name: str = LICHENG) -> tuple[list[str], list[str | Table]]:
    """A seed whose tables are TAB rows, taken apart: its prose paragraphs before the first table, then the
    rest as blocks in order: each run of TAB rows a Table (its header row as <th>), other lines paragraphs.
    "<p>a</p> <p>b</p>" in a cell becomes a cell of two paragraphs."""
    lines = seed_text(name).split("\n")
    first = next(i for i, line in enumerate(lines) if "\t" in line)
    prose = [line.strip() for line in lines[:first] if line.strip()]
    blocks: list[str | Table] = []
    run: list[list[str | Cell]] = []
    for line in [*lines[first:], ""]:
        if "\t" in line:
            cells = [re.sub(r"</p>\s*<p>", "\n", cell).replace("<p>", "").replace("</p>", "").strip()
                     for cell in line.split("\t")]
            run.append([Cell(cell) for cell in cells])
            continue
        if run:
            blocks.append(Table(run, header_rows=1))
            run = []
        if line.strip():
            blocks.append(line.strip())
    return prose, blocks


# --- task tables flattened into text (a web page copied as text) -----------------------------------------


@dataclass
class SeedTable:
    """A seed's task table as written: the lines before and after it, its header cells and its data rows
    (merged cells empty, HTML paragraph tags in cells dropped; repeated headers and stray lines left out)."""

    before: list[str]
    header: list[str]
    rows: list[list[str]]
    after: list[str]


def seed_table(name: str) -> SeedTable:
    if name == HUAIYIN:  # one cell per line
        plan = split_seed(name)
        lines = seed_text(name).split("\n")
        first = next(i for i, line in enumerate(lines) if line.startswith("\t"))
        return SeedTable(lines[:first], plan.header, plan.rows, [])
    lines = seed_text(name).split("\n")
    at = [i for i, line in enumerate(lines) if line.count("\t") >= 2]
    header = lines[at[0]].split("\t")
    rows = [line.split("\t") for line in (lines[i] for i in at) if not line.startswith(("序号", "编号"))]
    rows = [[re.sub(r"</?p>", "", c).strip() for c in row] for row in rows]
    return SeedTable(lines[:at[0]], [c.strip() for c in header if c.strip()], rows, lines[at[-1] + 1:])


def section_rows(rows: list[list[str]]) -> list[list[str]]:
    """The rows with each change of their "一、…" heading moved to a row of its own, without a 序号 (a section
    row spanning the table); the heading is left out of the rows that follow it."""
    out: list[list[str]] = []
    current = ""
    for row in rows:
        cell = row[1]
        if re.match(r"[一二三四五六七八九十]+、", cell):
            heading, _, rest = cell.partition(" (")
            if heading != current:
                out.append([heading])
                current = heading
            row = [row[0], f"({rest}" if rest else "", *row[2:]]
        out.append(row)
    return out


def flat_table_text(name: str, sep: str = " ", one_line: bool = True, repeat_header_every: int = 0,
                    sections: bool = False) -> str:
    """The seed with its task table flattened: cells (empty ones, i.e. merged cells, left out) joined by `sep`,
    and rows joined by `sep` too (the whole table one line, header first) or one row per line. With
    `sections`, "一、…" headings become section rows of their own (see section_rows)."""
    table = seed_table(name)
    header = sep.join(table.header)
    rows = [sep.join(c for c in row if c.strip()) for row in (section_rows(table.rows) if sections else table.rows)]
    if repeat_header_every:
        rows = [f"{header}{sep}{row}" if k and k % repeat_header_every == 0 else row for k, row in enumerate(rows)]
    body = sep.join([header, *rows]) if one_line else "\n".join([header, *rows])
    return "\n".join([*table.before, body, *table.after])
