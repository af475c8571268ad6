"""indexer/tables.py: task tables (TAB rows, merged cells empty) -> one TaskRow per row."""
from __future__ import annotations

import pytest

from indexer.entries import build_document
from indexer.tables import TableParser, TaskRow, header_roles


def parse(*lines: str) -> list[TaskRow]:
    parser = TableParser()
    for line in lines:
        if not parser.feed(line):
            parser.end_table()
    return parser.rows


def facts(rows: list[TaskRow]) -> list[tuple[str, str, list[str], str | None]]:
    return [(r.number, r.text, r.units, r.deadline) for r in rows]


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        ("序号\t工作任务\t具体要求\t责任单位\t完成时限", ["number", "task", "text", "units", "deadline"]),
        ("序号\t重点任务\t工作要求\t牵头单位\t配合单位\t时间节点", ["number", "task", "text", "units", "units", "deadline"]),
        ("编号\t工作事项\t主要内容\t责任部门\t完成时间\t备注", ["number", "task", "text", "units", "deadline", "note"]),
        ("序 号\t工 作 任 务\t\t具体要求\t责任单位\t时限要求", ["number", "task", "", "text", "units", "deadline"]),
        ("工作任务\t\t具体要求\t责任单位\t", ["task", "", "text", "units", ""]),
    ],
)
def test_header_variants(header: str, roles: list[str]) -> None:
    assert header_roles(header.split("\t")) == roles


@pytest.mark.parametrize("line", ["1\t做好政策解读\t区政府办公室", "姓名\t电话\t地址", "序号\t备注"])
def test_rows_that_are_not_headers(line: str) -> None:
    assert header_roles(line.split("\t")) is None


HEADER = "序号\t工作任务\t具体要求\t责任单位\t完成时限"


def test_merged_cells_inherit_within_a_table() -> None:
    rows = parse(
        HEADER,
        "1\t聚焦重点领域\t切实增强疫情防控信息发布的及时性针对性。\t区卫生健康局等有关部门，各街道办事处\t全年",
        "2\t\t扎实做好疫苗接种信息公开和舆论引导工作。\t\t",
        "3\t推进政策解读\t提高信息发布规范化水平，加强统筹协调。\t区政府办公室\t",
    )
    assert facts(rows) == [
        ("1", "切实增强疫情防控信息发布的及时性针对性。", ["区卫生健康局", "各街道办事处"], "全年"),
        ("2", "扎实做好疫苗接种信息公开和舆论引导工作。", ["区卫生健康局", "各街道办事处"], "全年"),
        ("3", "提高信息发布规范化水平，加强统筹协调。", ["区政府办公室"], "全年"),
    ]
    assert [r.levels for r in rows] == [["聚焦重点领域"], ["聚焦重点领域"], ["推进政策解读"]]
    assert rows[0].units_text == "区卫生健康局等有关部门，各街道办事处"


def test_nothing_is_inherited_across_prose_between_tables() -> None:
    rows = parse(
        HEADER,
        "1\t加强网站建设\t推进政府网站集约化平台功能完善。\t区大数据中心\t2022年年底前",
        "说明：以上任务由各单位按要求落实。",
        HEADER,
        "1\t做好新媒体管理\t规范政务新媒体开设变更注销流程。\t\t",
    )
    assert facts(rows) == [
        ("1", "推进政府网站集约化平台功能完善。", ["区大数据中心"], "2022年年底前"),
        ("1", "规范政务新媒体开设变更注销流程。", [], None),
    ]
    assert [r.table for r in rows] == [0, 1] and rows[1].levels == ["做好新媒体管理"]


def test_tables_get_their_own_numbers_in_entry_ids() -> None:
    doc = build_document("\n".join([
        "2022年某区政务公开工作要点", "（一）做好公开。主动公开政府信息，接受社会监督。", "附件1", HEADER,
        "1\t加强网站建设\t推进政府网站集约化平台功能完善。\t区大数据中心\t2022年年底前", "附件2", HEADER,
        "1\t做好新媒体管理\t规范政务新媒体开设变更注销流程。\t区委网信办\t全年",
    ]), file="plan.txt")
    assert [e.number for e in doc.entries if e.kind == "task"] == ["表1.1", "表2.1"]


def test_repeated_header_rows_continue_the_table() -> None:
    """Headers repeated on every page of a long table: merged cells still run on across them."""
    rows = parse(
        HEADER,
        "1\t一、聚焦重点领域\t按要求公开国有企业创新驱动高质量发展政策落实情况。\t区财政局\t2023年12月底前",
        HEADER,
        "2\t\t强化政策集成供给，加强惠企系列政策包的权威发布和解读。\t\t",
    )
    assert facts(rows)[1] == ("2", "强化政策集成供给，加强惠企系列政策包的权威发布和解读。", ["区财政局"], "2023年12月底前")
    assert rows[1].levels == ["一、聚焦重点领域"] and rows[1].table == 0


def test_a_stray_deadline_line_fills_the_rows_of_its_page() -> None:
    """A merged 完成时限 cell printed once after the rows it spans (PDF/Word-to-text exports)."""
    rows = parse(
        HEADER,
        "1\t一、聚焦重点领域\t按要求公开国有企业创新驱动高质量发展政策落实情况。\t区财政局\t",
        "2\t\t强化政策集成供给，加强惠企系列政策包的权威发布和解读。\t区政府各部门\t",
        "2023年12月底前",
        HEADER,
        "3\t\t做好社会救助信息公开，动态调整公开信息。\t区民政局\t2023年6月底前",
    )
    assert [r.deadline for r in rows] == ["2023年12月底前", "2023年12月底前", "2023年6月底前"]
    assert [r.table for r in rows] == [0, 0, 0]


def test_a_prose_line_after_a_table_is_not_a_deadline() -> None:
    rows = parse(HEADER, "1\t加强网站建设\t推进政府网站集约化平台功能完善。\t区大数据中心\t", "各单位要高度重视，认真抓好落实。")
    assert rows[0].deadline is None


def test_lead_and_supporting_unit_columns() -> None:
    rows = parse(
        "序号\t重点任务\t工作要求\t牵头单位\t配合单位\t时间节点\t备注",
        "1\t深化决策公开\t制定发布年度重大行政决策事项目录并动态更新。\t区司法局\t区政府各部门\t2022年6月底前\t",
        "2\t\t做好决策草案公开征求意见工作，公开意见采纳情况。\t\t\t常年坚持\t需报送材料",
        "3\t推进政策解读\t落实政策解读三同步要求，提升解读质量。\t区政府办公室\t\t",
    )
    assert facts(rows) == [
        ("1", "制定发布年度重大行政决策事项目录并动态更新。", ["区司法局", "区政府各部门"], "2022年6月底前"),
        ("2", "做好决策草案公开征求意见工作，公开意见采纳情况。", ["区司法局", "区政府各部门"], "常年坚持"),
        ("3", "落实政策解读三同步要求，提升解读质量。", ["区政府办公室", "区政府各部门"], "常年坚持"),
    ]
    assert rows[0].units_text == "牵头单位：区司法局；配合单位：区政府各部门"
    assert [r.levels for r in rows] == [["深化决策公开"], ["深化决策公开"], ["推进政策解读"]]


def test_short_deadline_and_unit_cells_are_read_by_their_column() -> None:
    rows = parse(HEADER, "1\t做好公开\t主动公开政府信息，接受社会监督。\t各相关责任主体\t按需更新")
    assert (rows[0].text, rows[0].units_text, rows[0].deadline) == ("主动公开政府信息，接受社会监督。", "各相关责任主体", "按需更新")


def test_two_level_task_columns_and_headings_inside_cells() -> None:
    rows = parse(
        "序号\t工作任务\t\t具体要求\t责任单位\t完成时限",
        "1\t三、围绕政策解读\t\t<p>(三) 积极回应群众关切</p> <p>出台重大政策，要加强社会效果和舆情风险评估。</p>\t各街道办事处\t全年",
        "2\t\t\t<p>(四) 开展政府开放活动</p> <p>各级各部门要结合年度重点工作开展政府开放活动。</p>\t\t",
        "3\t四、严格规范标准 (一) 提升数字化管理水平\t\t加强政务公开平台建设，依托政府网站开设专题页面。\t区政府办公室\t",
        "4\t\t(二)推进网站规范发展\t严格落实政府网站“三审三校”制度。\t\t",
    )
    assert [r.levels for r in rows] == [
        ["三、围绕政策解读", "(三) 积极回应群众关切"],
        ["三、围绕政策解读", "(四) 开展政府开放活动"],
        ["四、严格规范标准", "(一) 提升数字化管理水平"],
        ["四、严格规范标准", "(二)推进网站规范发展"],
    ]
    assert [r.text[:6] for r in rows] == ["出台重大政策", "各级各部门要", "加强政务公开", "严格落实政府"]


def test_rows_without_a_header_are_read_when_they_look_like_task_rows() -> None:
    rows = parse("1\t做好政务公开\t围绕重点领域做好信息公开，接受社会监督。\t区政府办公室\t2022年12月底前", "姓名\t电话")
    assert facts(rows) == [("1", "围绕重点领域做好信息公开，接受社会监督。", ["区政府办公室"], "2022年12月底前")]
    assert parse("姓名\t电话\t地址", "张三\t123\t某区") == []


def test_rows_without_serial_numbers_are_numbered_in_order() -> None:
    rows = parse("工作任务\t具体要求\t责任单位", "做好公开\t主动公开政府信息，接受社会监督。\t区政府办公室",
                 "\t加强政策解读，提升解读质量。\t区司法局")
    assert [(r.number, r.levels) for r in rows] == [("1", ["做好公开"]), ("2", ["做好公开"])]


def test_word_auto_numbered_serial_cells() -> None:
    rows = parse(HEADER, "1.\t做好公开\t主动公开政府信息，接受社会监督。\t区政府办公室\t全年")
    assert (rows[0].number, rows[0].levels) == ("1", ["做好公开"])


def test_sub_labelled_units_cell() -> None:
    rows = parse("工作任务\t\t具体要求\t责任单位",
                 "加强应急预案公开\t\t加强各级各类应急预案公开，增强风险防范意识。\t区总体预案:区应急局 专项预案:区应急局、区水利局")
    assert rows[0].units == ["区应急局", "区水利局"]
    assert rows[0].units_text == "区总体预案:区应急局；专项预案:区应急局、区水利局"


def test_a_row_whose_sentence_names_an_office_holds_it_beside_the_table_units() -> None:
    """"区政府办公室定期检查…" in a row given to the streets and departments: the office acts too; a collective
    actor ("各单位要…") adds no one."""
    text = "\n".join([
        "某某区2023年政务公开工作要点",
        HEADER,
        "1\t严格督查\t区政府办公室定期检查各部门政务公开工作，下发问题清单。\t各街道办事处、区政府各部门\t2023年12月底前",
        "2\t强化保障\t各单位要明确责任人员。\t区政府办公室\t全年",
    ])
    rows = [e for e in build_document(text, file="plan.txt").entries if e.kind == "task"]
    assert rows[0].responsible == ["各街道办事处", "区政府各部门", "区政府办公室"]
    assert rows[1].responsible == ["区政府办公室"]
