"""Plan layouts the five seeds don't show, written from the seeds or by hand.

Task tables flattened into text (a web page copied as text: the whole table on one line, one row per line,
or one cell per line, cells joined by spaces or by nothing), 牵头单位/配合单位 columns, enumerations inside
clauses (一是…二是…, 第一条…第二条…), "1、" clauses under "一、" sections, a county plan, a notice title over two
lines, Windows line endings with full-width indentation, and a date only in the closing signature.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from indexer import parse_file
from indexer.entries import build_document
from indexer.entries import document_lines as clean_lines
from indexer.model import Document, Entry
from tests.indexer.fixtures_formats import (
    HUAIYIN,
    LICHENG,
    PLANS_DIR,
    flat_table_text,
    make_pdf,
    paginate,
    wrap,
)

HEADER = ["序号", "工作任务", "具体要求", "责任单位", "完成时限"]


@cache
def seed(name: str) -> Document:
    return parse_file(PLANS_DIR / name)


def rows(doc: Document) -> list[Entry]:
    return [e for e in doc.entries if e.kind == "task"]


def clauses(doc: Document) -> list[Entry]:
    return [e for e in doc.entries if e.kind == "clause"]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def comparable(e: Entry) -> dict[str, object]:
    return {**e.to_dict(), "text": squash(e.text), "section": squash(e.section)}


def parse_text(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


def share(mine: list[Entry], theirs: list[Entry], field: str) -> float:
    same = sum(1 for a, b in zip(mine, theirs, strict=True) if squash(str(getattr(a, field))) == squash(str(getattr(b, field))))
    return same / len(theirs)


# --- task tables flattened into text ----------------------------------------------------------------------

SPACED = [  # (cell separator, whole table on one line, header repeated every n rows)
    pytest.param(" ", True, 0, id="one-line"),
    pytest.param(" ", False, 0, id="row-per-line"),
    pytest.param(" ", True, 7, id="one-line-repeated-headers"),
    pytest.param("\n", True, 0, id="cell-per-line"),
]
GLUED = [pytest.param("", True, 0, id="glued-one-line"), pytest.param("", False, 0, id="glued-row-per-line")]


@pytest.mark.parametrize("name", [HUAIYIN, LICHENG])
@pytest.mark.parametrize(("sep", "one_line", "repeat"), SPACED)
def test_a_spaced_flattened_table_parses_to_the_same_document(tmp_path: Path, name: str, sep: str, one_line: bool,
                                                               repeat: int) -> None:
    """Cells joined by spaces (or line breaks): every row, and so every link to the body, as from the real table."""
    text = flat_table_text(name, sep, one_line, repeat)
    assert "\t" not in text.split("序号", 1)[1]
    got, expected = parse_text(tmp_path, name, text), seed(name)
    assert len(rows(got)) == len(rows(expected)) > 40
    assert [comparable(e) for e in got.entries] == [comparable(e) for e in expected.entries]


@pytest.mark.parametrize("name", [HUAIYIN, LICHENG])
@pytest.mark.parametrize(("sep", "one_line", "repeat"), GLUED)
def test_a_glued_flattened_table_keeps_every_row_unit_and_deadline(tmp_path: Path, name: str, sep: str,
                                                                    one_line: bool, repeat: int) -> None:
    """Cells joined by nothing: rows, units and deadlines are still unambiguous; a task heading is found where
    the body names it (the seeds' tables misspell a few, which then stay in the row's text)."""
    got, expected = rows(parse_text(tmp_path, name, flat_table_text(name, sep, one_line, repeat))), rows(seed(name))
    assert [e.number for e in got] == [e.number for e in expected]
    for field in ("responsible", "roles", "deadline", "due"):
        assert [getattr(e, field) for e in got] == [getattr(e, field) for e in expected], field
    assert share(got, expected, "text") >= 0.95
    assert share(got, expected, "section") >= 0.9


@pytest.mark.parametrize(("sep", "one_line"), [(" ", True), (" ", False), ("\n", True), ("", True)])
def test_section_rows_without_a_number(tmp_path: Path, sep: str, one_line: bool) -> None:
    """"一、…" headings on rows of their own spanning the table (no 序号): they head the rows after them."""
    text = flat_table_text(LICHENG, sep, one_line, sections=True)
    assert text.split("序号", 1)[1].count("一、聚焦重点领域,推动高质量政务公开") == 1  # seed: on 3 rows
    got, expected = rows(parse_text(tmp_path, LICHENG, text)), rows(seed(LICHENG))
    assert [e.number for e in got] == [e.number for e in expected]
    for field in ("responsible", "deadline"):
        assert [getattr(e, field) for e in got] == [getattr(e, field) for e in expected], field
    assert share(got, expected, "section") >= (1.0 if sep else 0.9)
    assert share(got, expected, "text") >= (1.0 if sep else 0.95)


@pytest.mark.parametrize("name", [HUAIYIN, LICHENG])
def test_a_row_per_line_table_printed_to_a_hard_wrapped_pdf(tmp_path: Path, name: str) -> None:
    """Rows wrapped every 34 characters and broken by page numbers: every row is still found; a space between
    cells that falls on a wrap is lost (and a date split over two lines), so some units and deadlines are not."""
    lines = [part for line in flat_table_text(name, " ", False).split("\n") if line.strip()
             for part in wrap(line.strip(), 34)]
    got, expected = rows(parse_file(make_pdf(tmp_path / "plan.pdf", paginate(lines, 40)))), rows(seed(name))
    assert [e.number for e in got] == [e.number for e in expected]
    assert share(got, expected, "responsible") >= 0.9 and share(got, expected, "deadline") >= 0.75


def table_text(rows: list[list[str]], sep: str, one_line: bool, header: list[str] = HEADER) -> str:
    lines = [sep.join(header), *(sep.join(c for c in row if c) for row in rows)]
    return sep.join(lines) if one_line else "\n".join(lines)


def parse_table(text: str) -> list[Entry]:
    doc = build_document("2024年某区政务公开工作要点\n一、总体要求\n（一）做好公开。主动公开政府信息。\n附件：重点任务分解表\n" + text,
                         file="plan.txt")
    return rows(doc)


NUMBERS_IN_TEXT = [
    ["1", "一、深化重点领域公开", "（一）加强经济政策公开", "围绕“26+1+n”产业体系，公开20件惠企政策，按季度更新3次。", "区发展改革局、区工业和信息化局",
     "2024年6月底前"],
    ["2", "", "", "做好以下工作：1.公开规划；2.公开进展情况；3.公开取得成效。", "区财政局", ""],
    ["3", "", "（二）做好民生信息公开", "每年至少召开 4 次新闻发布会，重点做好3大领域信息公开，其中第3项为教育信息。",
     "区教育和体育局、区民政局等有关部门，各街道办事处", "全年"],
    ["4", "", "", "项目建设信息公开，对12345热线诉求在3个工作日内答复，公开4个重点项目进展情况", "", "2024年年底前完成，长期坚持"],
    ["5", "二、加强平台建设", "", "推进5G应用场景信息公开，确保5 项功能上线。", "区政府办公室（区大数据局）", "持续推进"],
]


@pytest.mark.parametrize(("sep", "one_line"), [(" ", True), (" ", False), ("", True), ("", False)])
def test_numbers_inside_the_text_never_open_a_row(sep: str, one_line: bool) -> None:
    got = parse_table(table_text(NUMBERS_IN_TEXT, sep, one_line))
    assert [e.number for e in got] == ["表.1", "表.2", "表.3", "表.4", "表.5"]
    assert [squash(e.text)[-8:] for e in got] == [squash(row[3])[-8:] for row in NUMBERS_IN_TEXT]
    assert [e.responsible for e in got] == [
        ["区发展改革局", "区工业和信息化局"], ["区财政局"], ["区教育和体育局", "区民政局", "各街道办事处"],
        ["区教育和体育局", "区民政局", "各街道办事处"], ["区政府办公室（区大数据局）"],
    ]
    assert [e.deadline for e in got] == ["2024年6月底前", "2024年6月底前", "全年", "2024年年底前完成，长期坚持", "持续推进"]
    if sep:  # spaced cells: headings are cells of their own
        assert [e.section for e in got] == [
            "一、深化重点领域公开 > （一）加强经济政策公开", "一、深化重点领域公开 > （一）加强经济政策公开",
            "一、深化重点领域公开 > （二）做好民生信息公开", "一、深化重点领域公开 > （二）做好民生信息公开", "二、加强平台建设",
        ]
        assert [e.text for e in got] == [row[3] for row in NUMBERS_IN_TEXT]


@pytest.mark.parametrize("sep", [" ", ""])
def test_a_long_table_with_numbers_all_through_its_text(sep: str) -> None:
    """120 rows whose text is full of small numbers ("做好3大领域27号文件…"), some equal to the next 序号."""
    rows_ = [[str(k), f"推进第{k}项任务",
              "".join(f"做好{(k * j) % 9 + 1}大领域{(k + j * 7) % 130 + 1}号文件，" for j in range(8)) + "及时公开。",
              "区财政局、区民政局", "2024年6月底前" if k % 3 else ""] for k in range(1, 121)]
    got = parse_table(table_text(rows_, sep, True))
    assert [e.number for e in got] == [f"表.{k}" for k in range(1, 121)]
    assert all(e.responsible == ["区财政局", "区民政局"] and e.deadline == "2024年6月底前" for e in got)
    assert all(e.text.endswith(row[2]) for e, row in zip(got, rows_, strict=True))  # glued: the heading too
    if sep:
        assert [(e.text, e.section) for e in got] == [(row[2], row[1]) for row in rows_]


def test_a_row_wrapped_onto_a_second_line() -> None:
    text = table_text(NUMBERS_IN_TEXT, " ", False).replace("其中第3项为教育信息。", "其中第3项\n为教育信息。")
    got = parse_table(text)
    assert len(got) == 5 and got[2].text.endswith("其中第3项为教育信息。") and got[2].deadline == "全年"


LEAD_COOP = ["序号", "重点任务", "牵头单位", "配合单位", "完成时间"]
LEAD_COOP_ROWS = [
    ["1", "做好重大行政决策事项目录编制和公开，在政府网站设立专栏集中公开。", "区司法局", "区政府各部门", "2024年6月底前"],
    ["2", "推进基层政务公开标准化规范化建设，动态更新标准目录。", "区政务服务中心", "各街道办事处", "2024年12月底前"],
    ["3", "做好政府信息公开年度报告编制发布工作。", "区政府办公室", "区政府各部门、各街道办事处", "2025年1月31日前"],
]


@pytest.mark.parametrize("layout", ["tab", "spaced"])
def test_lead_and_supporting_unit_columns(layout: str) -> None:
    """序号 / 重点任务 / 牵头单位 / 配合单位 / 完成时间: units are both columns, the roles say which is which."""
    if layout == "tab":
        text = "\n".join("\t".join(row) for row in [LEAD_COOP, *LEAD_COOP_ROWS])
    else:
        text = table_text(LEAD_COOP_ROWS, " ", True, LEAD_COOP)
    got = parse_table(text)
    assert [(e.text, e.responsible, e.deadline) for e in got] == [
        (LEAD_COOP_ROWS[0][1], ["区司法局", "区政府各部门"], "2024年6月底前"),
        (LEAD_COOP_ROWS[1][1], ["区政务服务中心", "各街道办事处"], "2024年12月底前"),
        (LEAD_COOP_ROWS[2][1], ["区政府办公室", "区政府各部门", "各街道办事处"], "2025年1月31日前"),
    ]
    assert [e.roles for e in got] == [
        "牵头单位：区司法局；配合单位：区政府各部门", "牵头单位：区政务服务中心；配合单位：各街道办事处",
        "牵头单位：区政府办公室；配合单位：区政府各部门、各街道办事处",
    ]
    assert [e.due for e in got] == ["2024-06-30", "2024-12-31", "2025-01-31"]


def test_header_words_read_by_containment_when_spaced() -> None:
    got = parse_table(table_text(NUMBERS_IN_TEXT[:2], " ", True, ["序号", "主要任务", "具体措施", "责任部门", "时间节点"]))
    assert [(e.responsible, e.deadline) for e in got] == [
        (["区发展改革局", "区工业和信息化局"], "2024年6月底前"), (["区财政局"], "2024年6月底前"),
    ]


def test_short_cells_read_by_their_position_when_spaced() -> None:
    """"按上级要求" names no time, "各镇（街道）" no unit ending: spaced cells still place them (as TableParser
    reads a short cell in the 完成时限 / 责任单位 column)."""
    got = parse_table(table_text([
        ["1", "做好公开", "主动公开政府信息，接受社会监督。", "各镇（街道）、县直各部门", "按上级要求"],
        ["2", "推进解读", "做好政策解读工作。", "县政府办公室", "全年"],
    ], " ", True))
    assert [(e.text, e.responsible, e.deadline, e.section) for e in got] == [
        ("主动公开政府信息，接受社会监督。", ["各镇（街道）", "县直各部门"], "按上级要求", "做好公开"),
        ("做好政策解读工作。", ["县政府办公室"], "全年", "推进解读"),
    ]


def test_a_whole_web_page_on_one_line() -> None:
    """Body, flattened table and signature all on one line: the body's clauses, the rows, the signature."""
    body = ("2024年某县政务公开工作要点 为深入推进政务公开，制定本要点。一、深化重点领域公开（一）做好预决算公开。按规定公开部门预决算信息，"
            + "细化公开到功能分类项级科目，" * 8 + "接受社会监督。（二）做好重大项目公开。及时公开项目进展情况。附件：重点任务分工表 ")
    text = body + table_text(LEAD_COOP_ROWS, " ", True, LEAD_COOP) + " 某县人民政府办公室 2024年3月1日印发"
    doc = build_document(text, file="plan.txt")
    assert (doc.title, doc.region, doc.issuer) == ("2024年某县政务公开工作要点", "某县", "某县人民政府办公室")
    assert [e.number for e in clauses(doc)] == ["一.(一)", "一.(二)"]
    assert [e.responsible for e in rows(doc)][2] == ["区政府办公室", "区政府各部门", "各街道办事处"]
    assert rows(doc)[2].text == LEAD_COOP_ROWS[2][1] and doc.date == "2024-03-01"


def test_a_flattened_table_becomes_tab_rows_with_empty_merged_cells() -> None:
    text = ("附件 序号 工作任务 具体要求 责任单位 完成时限 1 聚焦重点领域 紧扣疫情防控加强信息公开 切实增强疫情防控信息发布的及时性。"
            " 区卫生健康局等有关部门，各街道办事处 全年 2 扎实做好疫苗接种信息公开工作。 3 紧扣优化营商环境加强信息公开 增强政策透明度。"
            " 区政府各部门 2022年年底前")
    assert clean_lines(text) == [
        "附件",
        "序号\t工作任务\t\t具体要求\t责任单位\t完成时限",
        "1\t聚焦重点领域\t紧扣疫情防控加强信息公开\t切实增强疫情防控信息发布的及时性。\t区卫生健康局等有关部门，各街道办事处\t全年",
        "2\t\t\t扎实做好疫苗接种信息公开工作。\t\t",
        "3\t\t紧扣优化营商环境加强信息公开\t增强政策透明度。\t区政府各部门\t2022年年底前",
    ]


def test_page_text_after_a_flattened_table_is_not_its_last_row() -> None:
    text = ("序号 工作任务 具体要求 责任单位 完成时限 1 做好公开 主动公开政府信息，接受社会监督。 县政府办公室 全年"
            " 2 推进解读 做好政策解读工作。 县政府办公室 全年 【打印本页】 【关闭窗口】 扫一扫在手机打开当前页")
    chrome: list[str] = []
    assert clean_lines(text, chrome)[-1] == "2\t推进解读\t做好政策解读工作。\t县政府办公室\t全年"
    assert chrome == ["【打印本页】", "【关闭窗口】", "扫一扫在手机打开当前页"]  # page chrome, removed


def test_prose_that_names_header_words_is_no_table() -> None:
    text = "（一）规范报送。各单位按表头 序号 工作任务 责任单位 完成时限，按 1 2 3 编排 2 个附件。"
    assert clean_lines(text) == ["（一）规范报送。各单位按表头序号工作任务责任单位完成时限，按 1 2 3 编排 2 个附件。"]


# --- enumerations inside clauses -------------------------------------------------------------------------

ENUMERATED = """2024年某某区政务公开工作要点
一、推进决策公开
（一）深化决策过程公开。重点做好以下工作：
一是严格落实重大行政决策目录管理制度；
二是做好决策草案公开征求意见；
三是推动利益相关方列席会议。（责任单位：区司法局）
（二）做好政策解读。坚持以下规定：
第一条 政策文件与解读材料同步起草；
第二条 解读材料同步审签、同步发布。
（三）做好依申请公开。一是依法依规答复；二是规范办理流程；三是加强案例研判。
二、加强平台建设
（一）优化政府网站。持续优化网站栏目设置，按第一条要求同步发布。
"""


def test_enumerations_stay_inside_their_clause() -> None:
    doc = build_document(ENUMERATED, file="plan.txt")
    got = {e.number: e for e in doc.entries}
    assert list(got) == ["一.(一)", "一.(二)", "一.(三)", "二.(一)"]
    assert got["一.(一)"].text.endswith("三是推动利益相关方列席会议。（责任单位：区司法局）")
    assert got["一.(一)"].responsible == ["区司法局"]
    assert got["一.(二)"].text.endswith("第二条解读材料同步审签、同步发布。")
    assert "二是规范办理流程" in got["一.(三)"].text


def test_a_plan_numbered_by_articles() -> None:
    text = """某某县2024年政务公开工作要点
第一条 围绕中心工作加强信息公开。及时公开重大决策部署落实情况。一是公开重点项目进展；二是公开民生实事办理情况。
第二条 加强政策解读。坚持“谁起草、谁解读”原则，第一条所列事项须同步解读。
第三条 强化保障。各单位要明确责任人员。（责任单位：县政府办公室）
"""
    doc = build_document(text, file="plan.txt")
    assert [(e.number, e.heading) for e in doc.entries] == [("一", "围绕中心工作加强信息公开"), ("二", "加强政策解读"),
                                                            ("三", "强化保障")]
    assert doc.entries[2].responsible == ["县政府办公室"] and (doc.region, doc.year) == ("某某县", 2024)


def test_enumerations_in_a_flattened_body_do_not_split() -> None:
    body = ("（一）深化决策过程公开。一是严格落实重大行政决策目录管理制度，二是做好决策草案公开征求意见，三是推动利益相关方列席会议。"
            * 3 + "（二）做好政策解读。第一条所列事项须同步解读。")
    doc = build_document("2024年某区政务公开工作要点\n一、推进决策公开" + body, file="plan.txt")
    assert [e.number for e in doc.entries] == ["一.(一)", "一.(二)"]


# --- numbering and metadata --------------------------------------------------------------------------------

COUNTY = """临朐县人民政府办公室
临政办字〔2024〕5号
临朐县人民政府办公室
关于印发临朐县2024年政务公开工作要点的通知
各镇人民政府、街道办事处，县政府有关部门：
现将《临朐县2024年政务公开工作要点》印发给你们，请认真贯彻落实。
临朐县人民政府办公室
2024年3月1日
临朐县2024年政务公开工作要点
为深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，结合我县实际，制定本要点。
一、围绕稳经济促发展加强政策发布解读
1、加强经济政策公开。围绕扩大有效投资、促进消费等重点工作，及时发布相关政策措施。（责任单位：县发展改革局、县商务局）
2、做好惠企政策解读。2024年6月底前，梳理惠企政策清单并集中公开。（责任单位：县工业和信息化局）
二、围绕保障和改善民生加强信息公开
3、做好就业信息公开。持续公开就业创业政策。（责任单位：县人力资源社会保障局）
4、推进教育信息公开。做好义务教育招生信息公开。（责任单位：县教育和体育局）
三、强化工作保障
1、抓好工作落实。各镇街、各部门要对照本要点抓好落实。（责任单位：县政府办公室）
"""


def test_a_county_plan_with_numbered_clauses_under_sections() -> None:
    """"1、" clauses under "一、" sections (numbering running on across sections, or starting again)."""
    doc = build_document(COUNTY, file="plan.txt")
    assert (doc.title, doc.region, doc.year, doc.issuer, doc.doc_number, doc.date) == (
        "临朐县2024年政务公开工作要点", "临朐县", 2024, "临朐县人民政府办公室", "临政办字〔2024〕5号", "2024-03-01")
    numbered = [e for e in doc.entries if not e.number.startswith("前言")]
    assert [e.number for e in numbered] == ["一.1", "一.2", "二.3", "二.4", "三.1"]
    assert [e.section for e in numbered][2] == "二、围绕保障和改善民生加强信息公开"
    assert numbered[1].responsible == ["县工业和信息化局"] and numbered[1].due == "2024-06-30"


TWO_LINE_NOTICE = """济南市天桥区人民政府办公室关于印发
2024年政务公开工作要点的通知
天政办字〔2024〕8号
各街道办事处，区政府各部门：
现将《2024年政务公开工作要点》印发给你们，请结合实际认真抓好落实。
济南市天桥区人民政府办公室
2024年4月2日
（此件公开发布）
2024年政务公开工作要点
为深入贯彻落实国家、省、市关于政务公开工作的部署要求，现制定本要点。
一、深化重点领域信息公开
（一）加强政策解读。做好重要政策文件解读工作，解读材料与文件同步起草、同步审签、同步发布。
（二）做好民生信息公开。及时公开教育、医疗、养老等领域信息。
"""


@pytest.mark.parametrize("plan_title_line", [True, False])
def test_a_notice_title_over_two_lines(plan_title_line: bool) -> None:
    text = TWO_LINE_NOTICE if plan_title_line else TWO_LINE_NOTICE.replace("\n2024年政务公开工作要点\n", "\n")
    doc = build_document(text, file="plan.txt")
    assert (doc.title, doc.region, doc.year, doc.issuer, doc.date) == (
        "2024年政务公开工作要点", "天桥区", 2024, "济南市天桥区人民政府办公室", "2024-04-02")
    assert [e.number for e in doc.entries if not e.number.startswith("前言")] == ["一.(一)", "一.(二)"]
    assert all("通知" not in e.text for e in doc.entries)


PLAIN = """某某区2024年政务公开工作要点
为进一步推进政务公开工作，制定本要点。
一、聚焦重点领域公开
（一）做好预决算公开。按规定公开部门预决算信息。
（二）做好重大项目公开。2024年底前完成项目信息集中公开。
二、加强平台建设
（一）优化政府网站。持续优化网站栏目设置。
某某区人民政府办公室
2024年3月1日"""


def test_windows_line_endings_and_full_width_indentation(tmp_path: Path) -> None:
    windows = "\r\n".join(f"\u3000\u3000{line}" for line in PLAIN.split("\n")) + "\r\n"
    got = parse_text(tmp_path, "plan.txt", windows)
    (tmp_path / "lf").mkdir()
    expected = parse_text(tmp_path / "lf", "plan.txt", PLAIN)
    assert [e.to_dict() for e in got.entries] == [e.to_dict() for e in expected.entries]
    assert [e.number for e in got.entries] == ["一.(一)", "一.(二)", "二.(一)"]


def test_a_date_only_in_the_closing_signature() -> None:
    doc = build_document(PLAIN, file="plan.txt")
    assert (doc.date, doc.issuer, doc.region, doc.year) == ("2024-03-01", "某某区人民政府办公室", "某某区", 2024)
    assert doc.entries[-1].text == "优化政府网站。持续优化网站栏目设置。"
    assert doc.entries[1].due == "2024-12-31"
