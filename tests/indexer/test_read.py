"""indexer/read/: every supported format becomes the same plain text; every bad file a one-line DocumentError."""
from __future__ import annotations

import codecs
import random
import re
import zipfile
from pathlib import Path

import pytest

from indexer.model import DocumentError
from indexer.read import SUPPORTED_SUFFIXES, RawText, read_document
from tests.indexer.fixtures_formats import (
    CHROME_PHRASES,
    HUAIYIN,
    LICHENG,
    PLANS_DIR,
    ZHOUCUN_MD,
    Cell,
    Table,
    make_docx,
    make_html,
    make_numbered_docx,
    make_pdf,
    paginate,
    seed_clauses,
    seed_text,
    wrap,
)


def squash(text: str) -> str:
    """Text without any whitespace, to find phrases across hard line breaks."""
    return re.sub(r"\s+", "", text)


def table_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if "\t" in line]


# A task table in the shape of the plans' 任务分解表: a two-level header (序号/责任单位/完成时限 span two rows,
# 工作任务 spans two columns), 责任单位 merged down three rows and 完成时限 down two.
TASKS = Table(
    [
        [Cell("序号", rowspan=2), Cell("工作任务", colspan=2), Cell("责任单位", rowspan=2), Cell("完成时限", rowspan=2)],
        ["任务", "具体要求"],
        ["1", "紧扣高质量发展加强信息公开", "抓好新旧动能转换领域信息公开\n加大政策支持力度和解读回应。",
         Cell("区发改局", rowspan=3), Cell("2022年12月底前", rowspan=2)],
        ["2", "紧扣重大战略实施加强信息公开", "认真落实黄河流域生态保护和高质量发展规划纲要"],
        ["3", "紧扣疫情防控加强信息公开", "做好疫苗接种信息公开 & “舆论引导”\nQ&A <FAQ>", "持续推进"],
    ],
    header_rows=2,
)
TASK_LINES = [
    "序号\t工作任务\t\t责任单位\t完成时限",
    "\t任务\t具体要求\t\t",
    "1\t紧扣高质量发展加强信息公开\t抓好新旧动能转换领域信息公开加大政策支持力度和解读回应。\t区发改局\t2022年12月底前",
    "2\t紧扣重大战略实施加强信息公开\t认真落实黄河流域生态保护和高质量发展规划纲要\t\t",
    "3\t紧扣疫情防控加强信息公开\t做好疫苗接种信息公开 & “舆论引导” Q&A <FAQ>\t\t持续推进",
]


# --- plain text and encodings -------------------------------------------------------------------------


@pytest.mark.parametrize("name", [HUAIYIN, LICHENG])
def test_utf8_seed_is_read_verbatim(name: str) -> None:
    raw = read_document(PLANS_DIR / name)
    assert raw == RawText(text=seed_text(name), format="txt", encoding="utf-8")


@pytest.mark.parametrize("name", [HUAIYIN, LICHENG])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_chinese_legacy_encodings_give_the_utf8_text(tmp_path: Path, name: str, encoding: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(seed_text(name).encode(encoding))
    raw = read_document(path)
    assert raw.text == seed_text(name)
    assert raw.encoding == "gb18030"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_byte_order_marks_are_honoured_and_stripped(tmp_path: Path, bom: bytes, codec: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(bom + seed_text().encode(codec))
    raw = read_document(path)
    assert raw.text == seed_text()
    assert not raw.text.startswith("\ufeff")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_bytes(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(seed_text(LICHENG).encode(codec))
    raw = read_document(path)
    assert raw.text == seed_text(LICHENG)
    assert raw.encoding == codec


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_become_newlines(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(seed_text().replace("\n", newline).encode("gbk"))
    assert read_document(path).text == seed_text()


def test_file_cut_inside_its_last_character_keeps_the_rest(tmp_path: Path) -> None:
    data = seed_text().encode("utf-8")
    cut = next(n for n in range(3000, 3010) if data[n] >= 0xC0) + 1  # one byte into a 3-byte character
    path = tmp_path / "plan.txt"
    path.write_bytes(data[:cut])
    raw = read_document(path)
    assert raw.encoding == "utf-8"
    assert raw.text == data[:cut - 1].decode("utf-8")


def test_markdown_is_kept_as_markdown(tmp_path: Path) -> None:
    raw = read_document(PLANS_DIR / ZHOUCUN_MD)
    assert raw.format == "md"
    assert raw.text == seed_text(ZHOUCUN_MD)
    copy = tmp_path / "plan.markdown"
    copy.write_bytes(b"\xef\xbb\xbf# \xe6\xa0\x87\xe9\xa2\x98\r\n\r\n| a | b |\r\n|---|---|\r\n")
    assert read_document(copy) == RawText(text="# 标题\n\n| a | b |\n|---|---|\n", format="md", encoding="utf-8-sig")


# --- HTML ---------------------------------------------------------------------------------------------


def test_html_page_keeps_the_article_and_drops_the_site_chrome(tmp_path: Path) -> None:
    clauses = seed_clauses(limit=6)
    path = tmp_path / "plan.html"
    path.write_text(make_html(*clauses[:4], TASKS, *clauses[4:]), encoding="utf-8")
    raw = read_document(path)
    assert raw.format == "html" and raw.encoding == "utf-8"
    lines = raw.text.split("\n")
    for phrase in CHROME_PHRASES:
        assert phrase not in raw.text
    assert lines[0] == "2022年槐荫区政务公开工作要点"
    assert raw.text.count("2022年槐荫区政务公开工作要点") == 1  # <title> is not text
    for clause in clauses:
        assert clause in lines
    start = lines.index(TASK_LINES[0])
    assert lines[start - 1:start + len(TASK_LINES) + 1] == ["", *TASK_LINES, ""]
    assert lines.index(clauses[3]) < start < lines.index(clauses[4])


def test_html_rowspans_and_colspans_keep_columns_aligned(tmp_path: Path) -> None:
    path = tmp_path / "table.htm"
    path.write_text(make_html(TASKS, chrome=False), encoding="utf-8")
    rows = table_lines(read_document(path).text)
    assert rows == TASK_LINES
    assert {row.count("\t") for row in rows} == {4}


def test_html_entities_are_unescaped(tmp_path: Path) -> None:
    path = tmp_path / "entities.html"
    path.write_text(
        make_html("<p>&ldquo;齐鲁门户&rdquo;&nbsp;&amp;&nbsp;&lt;医养之都&gt; &#x4E2D;&#25991; &mdash; &quot;ok&quot;</p>",
                  chrome=False),
        encoding="utf-8",
    )
    assert "“齐鲁门户” & <医养之都> 中文 — \"ok\"" in read_document(path).text.split("\n")


def test_html_declared_gbk_charset_is_used(tmp_path: Path) -> None:
    clauses = seed_clauses(LICHENG, limit=5)
    path = tmp_path / "gbk.html"
    path.write_bytes(make_html(*clauses, TASKS, charset="gbk").encode("gbk"))
    raw = read_document(path)
    assert raw.encoding == "gb18030"
    for clause in clauses:
        assert clause in raw.text.split("\n")
    assert table_lines(raw.text) == TASK_LINES


def test_html_block_and_inline_elements(tmp_path: Path) -> None:
    path = tmp_path / "blocks.html"
    path.write_text(
        "<html><body><div><h2>一、聚焦重点领域</h2><p>（一）紧扣<b>高质量</b>发展<a href='#'>加强</a>信息公开。<p>第二段\n"
        "    接续<br>换行后 text</div><ul><li>条目一<li>条目二</ul></body></html>",
        encoding="utf-8",
    )
    assert read_document(path).text.split("\n") == [
        "一、聚焦重点领域", "（一）紧扣高质量发展加强信息公开。", "第二段接续", "换行后 text", "条目一", "条目二",
    ]


def test_html_page_wrapped_in_a_chrome_class_is_not_emptied(tmp_path: Path) -> None:
    clauses = seed_clauses(limit=4)
    body = "".join(f"<p>{clause}</p>" for clause in clauses)
    path = tmp_path / "wrapped.html"
    path.write_text(
        f'<html><body><form id="form1"><div class="header-wrap"><div class="nav">网站首页</div>{body}</div></form>'
        f'<div class="menu"><div class="share">{body}</div></div></body></html>',
        encoding="utf-8",
    )
    text = read_document(path).text
    assert "网站首页" not in text
    assert text.split("\n")[:4] == clauses


def test_html_header_inside_article_is_content(tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(
        "<html><body><header>济南市槐荫区人民政府</header><article><header><h1>2022年槐荫区政务公开工作要点</h1>"
        "</header><p>一、聚焦重点领域，深化信息公开</p><div class='share'>分享到</div></article>"
        "<div id='footer'>版权所有</div></body></html>",
        encoding="utf-8",
    )
    assert read_document(path).text.split("\n") == ["2022年槐荫区政务公开工作要点", "一、聚焦重点领域，深化信息公开"]


def test_html_layout_tables_read_as_paragraphs(tmp_path: Path) -> None:
    clauses = seed_clauses(limit=4)
    article = "".join(f"<p>{clause}</p>" for clause in clauses)
    path = tmp_path / "layout.html"
    path.write_text(
        f'<html><body><table width="100%"><tr><td class="topnav">网站首页</td></tr><tr><td>'
        f'<table><tr><td>{article}</td></tr></table>'
        f'<table border="1"><tr><td>1</td><td>区政府办公室</td></tr></table></td></tr></table></body></html>',
        encoding="utf-8",
    )
    lines = read_document(path).text.split("\n")
    assert lines == [*clauses, "", "1\t区政府办公室"]


# --- Word -----------------------------------------------------------------------------------------------


def test_docx_paragraphs_and_merged_table_in_document_order(tmp_path: Path) -> None:
    clauses = seed_clauses(limit=4)
    title_row = [Cell("2022年槐荫区政务公开重点工作任务分解表", colspan=5)]
    tasks = Table(
        [
            title_row,
            ["序号", "工作任务", "具体要求", "责任单位", "完成时限"],
            ["1", "紧扣高质量发展加强信息公开", "抓好新旧动能转换领域信息公开", Cell("区发改局\n区科技局", rowspan=3),
             "2022年12月底前"],
            ["2", "紧扣重大战略实施加强信息公开", "认真落实黄河流域生态保护和高质量发展规划纲要", "长期坚持"],
            ["3", "紧扣疫情防控加强信息公开", "做好疫苗接种信息公开\nand risk notes", "2022年6月底前"],
        ]
    )
    path = make_docx(tmp_path / "plan.docx", *clauses[:2], tasks, *clauses[2:], title="2022年槐荫区政务公开工作要点")
    raw = read_document(path)
    assert raw.format == "docx" and raw.encoding is None
    assert raw.text.split("\n") == [
        "2022年槐荫区政务公开工作要点",
        *clauses[:2],
        "",
        "2022年槐荫区政务公开重点工作任务分解表\t\t\t\t",
        "序号\t工作任务\t具体要求\t责任单位\t完成时限",
        "1\t紧扣高质量发展加强信息公开\t抓好新旧动能转换领域信息公开\t区发改局区科技局\t2022年12月底前",
        "2\t紧扣重大战略实施加强信息公开\t认真落实黄河流域生态保护和高质量发展规划纲要\t\t长期坚持",
        "3\t紧扣疫情防控加强信息公开\t做好疫苗接种信息公开 and risk notes\t\t2022年6月底前",
        "",
        *clauses[2:],
    ]


def test_docx_task_table_shared_with_html_gives_the_same_lines(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "tasks.docx", "附件：重点工作任务分解表", TASKS)
    assert table_lines(read_document(path).text) == TASK_LINES


def test_docx_tabs_in_paragraphs_do_not_look_like_table_rows(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、\t聚焦重点领域")
    path = tmp_path / "tabs.docx"
    document.save(str(path))
    assert read_document(path).text == "一、 聚焦重点领域"


def test_a_numbered_heading_paragraph_in_a_cell_keeps_its_break(tmp_path: Path) -> None:
    """"(三) 积极回应群众关切" + "出台重大政策…" in one cell: the break after the heading survives as U+2028 (for
    the task-table parser); other paragraphs of a cell are joined."""
    table = Table([["序号", "具体要求", "责任单位"], ["24", "(三) 积极回应群众关切\n出台重大政策，要加强评估。", "区政府办公室"],
                   ["25", "协同宣传\n网信等部门。", "区委网信办"]], header_rows=1)
    expected = ["序号\t具体要求\t责任单位", "24\t(三) 积极回应群众关切\u2028出台重大政策，要加强评估。\t区政府办公室",
                "25\t协同宣传网信等部门。\t区委网信办"]
    page = tmp_path / "cells.html"
    page.write_text(make_html(table, chrome=False), encoding="utf-8")
    assert table_lines(read_document(page).text) == expected
    assert table_lines(read_document(make_docx(tmp_path / "cells.docx", table)).text) == expected


# --- Word automatic numbering (numbering.xml) ----------------------------------------------------------

NUMBERED = [(0, "聚焦重点领域"), (1, "紧扣高质量发展。抓好信息公开。"), (2, "公开产业政策。"), (2, "公开重点项目。"),
            (1, "紧扣疫情防控。"), (None, "不编号的段落。"), (0, "聚焦政策解读"), (1, "抓好政策解读。"), (2, "重新从1开始。")]


def test_docx_list_numbers_are_rendered_as_word_shows_them(tmp_path: Path) -> None:
    path = make_numbered_docx(tmp_path / "numbered.docx", NUMBERED, title="2022年某区政务公开工作要点")
    assert read_document(path).text.split("\n") == [
        "2022年某区政务公开工作要点", "一、聚焦重点领域", "（一）紧扣高质量发展。抓好信息公开。", "1. 公开产业政策。", "2. 公开重点项目。",
        "（二）紧扣疫情防控。", "不编号的段落。", "二、聚焦政策解读", "（一）抓好政策解读。", "1. 重新从1开始。",
    ]


def test_docx_list_numbers_past_ten(tmp_path: Path) -> None:
    items = [(0, "总体要求")] + [(1, f"第{n}项工作。") for n in range(1, 23)]
    lines = read_document(make_numbered_docx(tmp_path / "long.docx", items)).text.split("\n")
    assert [line.split("第")[0] for line in lines[10:13]] == ["（十）", "（十一）", "（十二）"]
    assert lines[20].startswith("（二十）") and lines[22].startswith("（二十二）")


@pytest.mark.parametrize(
    ("fmt", "text", "first", "eleventh"),
    [
        ("chineseCountingThousand", "%1、", "一、", "十一、"),
        ("ideographDigital", "%1、", "一、", "一一、"),
        ("decimal", "%1.", "1. ", "11. "),
        ("decimal", "（%1）", "（1）", "（11）"),
        ("decimalEnclosedCircle", "%1", "① ", "⑪ "),
        ("chineseLegalSimplified", "%1、", "壹、", "拾壹、"),
        ("upperRoman", "%1.", "I. ", "XI. "),
        ("lowerLetter", "%1)", "a) ", "k) "),
    ],
)
def test_docx_number_formats(tmp_path: Path, fmt: str, text: str, first: str, eleventh: str) -> None:
    items: list = [(0, f"第{n}段。") for n in range(1, 12)]
    lines = read_document(make_numbered_docx(tmp_path / "formats.docx", items, levels=((fmt, text),))).text.split("\n")
    assert lines[0] == f"{first}第1段。" and lines[10] == f"{eleventh}第11段。"


def test_docx_list_instance_with_a_start_override_starts_again(tmp_path: Path) -> None:
    items = [(0, "第一份清单"), (0, "第二项"), (0, "另一份清单"), (0, "它的第二项")]
    path = make_numbered_docx(tmp_path / "restart.docx", items, restart_at={2, 3})
    assert read_document(path).text.split("\n") == ["一、第一份清单", "二、第二项", "一、另一份清单", "二、它的第二项"]


def test_docx_level_without_restart_runs_on(tmp_path: Path) -> None:
    path = make_numbered_docx(tmp_path / "runon.docx", [(0, "甲"), (1, "子一"), (1, "子二"), (0, "乙"), (1, "子三")],
                              no_restart={1})
    assert read_document(path).text.split("\n") == ["一、甲", "（一）子一", "（二）子二", "二、乙", "（三）子三"]


def test_docx_numbering_carried_by_a_paragraph_style(tmp_path: Path) -> None:
    path = make_numbered_docx(tmp_path / "styled.docx", NUMBERED[:5], heading_style="Plan Heading")
    assert read_document(path).text.split("\n") == [
        "一、聚焦重点领域", "（一）紧扣高质量发展。抓好信息公开。", "1. 公开产业政策。", "2. 公开重点项目。", "（二）紧扣疫情防控。",
    ]


def test_docx_builtin_list_styles(tmp_path: Path) -> None:
    """python-docx's own template: "List Number" is numbered through its style, "List Bullet" is a bullet
    (bullets are not clause numbers and are not rendered)."""
    import docx

    document = docx.Document()
    for text in ("第一项。", "第二项。"):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("要点。", style="List Bullet")
    path = tmp_path / "styles.docx"
    document.save(str(path))
    assert read_document(path).text.split("\n") == ["1. 第一项。", "2. 第二项。", "要点。"]


def test_docx_with_malformed_numbering_keeps_its_text(tmp_path: Path) -> None:
    whole = make_numbered_docx(tmp_path / "whole.docx", NUMBERED[:3])
    path = tmp_path / "bad-numbering.docx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/numbering.xml":
                data = data.replace(b'w:ilvl="1"', b'w:ilvl="one"', 1)
            target.writestr(item, data)
    assert read_document(path).text.split("\n") == ["聚焦重点领域", "紧扣高质量发展。抓好信息公开。", "公开产业政策。"]


def test_docx_auto_numbered_serial_cells(tmp_path: Path) -> None:
    items: list = [Table([["序号", "工作任务", "责任单位"], ["", "做好政策解读", "区政府办公室"], ["", "做好信息公开", "区司法局"]])]
    path = make_numbered_docx(tmp_path / "cells.docx", items, levels=(("decimal", "%1."),))
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document(str(path))
    for row in document.tables[0].rows[1:]:
        row.cells[0].paragraphs[0]._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="91"/></w:numPr>'))
    document.save(str(path))
    assert table_lines(read_document(path).text) == ["序号\t工作任务\t责任单位", "1.\t做好政策解读\t区政府办公室",
                                                     "2.\t做好信息公开\t区司法局"]


# --- PDF ------------------------------------------------------------------------------------------------


def test_pdf_text_keeps_clauses_line_breaks_and_page_numbers(tmp_path: Path) -> None:
    clauses = seed_clauses(limit=9)
    lines = [line for clause in clauses for line in wrap(clause, 32)]
    pages = paginate(lines, 40)[:2]
    path = make_pdf(tmp_path / "plan.pdf", pages)
    raw = read_document(path)
    assert raw.format == "pdf" and raw.encoding is None
    # ReportLab's STSong-Light text comes back exactly, one drawn line per text line, footer included.
    assert raw.text.split("\n") == [*pages[0], "— 1 —", *pages[1], "— 2 —"]
    flat = squash(raw.text)
    for phrase in ("紧扣高质量发展加强信息公开", "实现“一企一策”精准帮扶", "“双随机、一公开”监管", "确保执行环节不遗漏、不走样"):
        assert phrase in flat
    assert flat.index("— 1 —".replace(" ", "")) < flat.index(squash(pages[1][0])) < flat.index("—2—")


def test_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "owner.pdf", [wrap(seed_clauses(limit=2)[1])], owner_password="owner")
    assert "紧扣高质量发展加强信息公开" in read_document(path).text


# --- bad input ------------------------------------------------------------------------------------------


def expect_error(path: Path, *fragments: str) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message and message
    assert str(path) not in message and path.name not in message
    for fragment in fragments:
        assert fragment in message
    return message


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
def test_empty_file_of_any_type(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert expect_error(path) == "empty file"


@pytest.mark.parametrize(
    ("name", "data"),
    [("blank.txt", b" \r\n\t\n  "), ("blank.md", codecs.BOM_UTF16_LE + " \n ".encode("utf-16-le")),
     ("blank.html", b"\n\n  \n")],
)
def test_whitespace_only_file(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    expect_error(path, "empty file")


def test_html_with_only_markup(tmp_path: Path) -> None:
    path = tmp_path / "markup.html"
    path.write_text("<html><head><title>标题</title></head><body><script>var a = 1;</script></body></html>")
    expect_error(path, "no text")


@pytest.mark.parametrize("with_nul", [True, False])
def test_random_bytes_are_binary(tmp_path: Path, with_nul: bool) -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(0 if with_nul else 1, 256) for _ in range(4096))
    path = tmp_path / "random.txt"
    path.write_bytes(data)
    assert expect_error(path) == "not a text file (binary content)"


def test_text_with_nul_bytes_is_binary(tmp_path: Path) -> None:
    data = seed_text().encode("utf-8")
    path = tmp_path / "nul.txt"
    path.write_bytes(data[:3000] + b"\x00\x00\x00" + data[3000:6000] + b"\x00")
    assert expect_error(path) == "not a text file (binary content)"


def test_unknown_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café crème brûlée, déjà vu".encode("latin-1"))
    expect_error(path, "unknown text encoding")


def test_truncated_docx(tmp_path: Path) -> None:
    whole = make_docx(tmp_path / "whole.docx", *seed_clauses(limit=3), TASKS)
    path = tmp_path / "cut.docx"
    path.write_bytes(whole.read_bytes()[:500])
    assert expect_error(path).startswith("truncated or damaged Word file")


def test_docx_with_a_damaged_part(tmp_path: Path) -> None:
    whole = make_docx(tmp_path / "whole.docx", *seed_clauses(limit=3))
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    assert expect_error(path).startswith("truncated or damaged Word file")


def test_zip_that_is_not_a_word_file(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("plan.txt", seed_text())
    expect_error(path, "not a Word document")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024), "old Word .doc"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "EncryptedPackage".encode("utf-16-le"), "password-protected"),
        (b"%PDF-1.4\n", "damaged Word file"),
    ],
)
def test_other_files_named_docx(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(data)
    expect_error(path, fragment)


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = make_pdf(tmp_path / "whole.pdf", [wrap(clause) for clause in seed_clauses(limit=3)])
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    expect_error(path, "damaged PDF")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(b"%PDF-1.4\n1 0 obj\ngarbage\n%%EOF\n", "damaged PDF ("), ("这不是PDF文件".encode() * 50, "not a PDF file")],
)
def test_broken_or_fake_pdf(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(data)
    expect_error(path, fragment)


def test_password_protected_pdf(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "locked.pdf", [wrap(seed_clauses(limit=1)[0])], user_password="secret")
    expect_error(path, "encrypted PDF")


def test_pdf_without_text(tmp_path: Path) -> None:
    """Blank pages: no text layer, and OCR recognises nothing in the page images."""
    path = make_pdf(tmp_path / "scan.pdf", [[], []], page_numbers=False)
    assert expect_error(path) == "PDF has no text, and OCR recognised none in its page images"


@pytest.mark.parametrize("suffix", [".wps", ".key", ""])
def test_unsupported_file_type(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"plan{suffix}"
    path.write_text(seed_text())
    message = expect_error(path, "unsupported file type", ".txt .md .html .htm .docx .doc .xlsx .xls .pdf")
    if suffix == ".wps":
        assert message == ("unsupported file type .wps (supported: .txt .md .html .htm .docx .doc .xlsx .xls .pdf)"
                           "; save it as .docx first")


def test_directory(tmp_path: Path) -> None:
    path = tmp_path / "plans.txt"
    path.mkdir()
    assert expect_error(path) == "is a directory"


def test_missing_file(tmp_path: Path) -> None:
    assert expect_error(tmp_path / "missing.txt") == "file not found"
    assert expect_error(tmp_path / "missing.txt" / "inner.txt") == "file not found"


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)  # sparse: costs no disk
    expect_error(path, "too large", "50 MB")


def test_accepts_str_paths_and_upper_case_suffixes(tmp_path: Path) -> None:
    path = tmp_path / "PLAN.TXT"
    path.write_text(seed_text(), encoding="utf-8")
    assert read_document(str(path)).text == seed_text()
