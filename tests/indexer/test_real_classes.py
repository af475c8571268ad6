"""The general classes found failing on held-out real plans (issue 19), each on a small text written for it:
pinyin glosses, a carried-forward note that ends in "不再逐一列出", a unit name whose 、-parts are no units,
markup debris, a role rule written once ("逗号前为牵头单位…,下同"), pipe streams with empty cells and with no
header, continuation rows, a cut-off last row, and a division read from a title-less table's place names."""
from __future__ import annotations

from pathlib import Path

from indexer import parse_file
from indexer.fields import split_units
from indexer.normalize import without_glosses


def _doc(tmp_path: Path, text: str, name: str = "plan.txt"):  # noqa: ANN202
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


def test_pinyin_glosses_are_debris() -> None:
    assert without_glosses("責(zé)任單位:市發(fā)改委、各縣市區(qū)") == "責任單位:市發改委、各縣市區"
    assert without_glosses("推广政府和社会资本合作(ppp)模式") == "推广政府和社会资本合作(ppp)模式"


def test_joined_unit_names_stay_whole() -> None:
    assert split_units("省直有关部门,各州、市人民政府") == ["省直有关部门", "各州、市人民政府"]
    assert split_units("市直有关单位,各县(市、区)人民政府") == ["市直有关单位", "各县(市、区)人民政府"]
    assert split_units("区财政局按职能分工落实,各镇(街)") == ["区财政局", "各镇(街)"]


def test_notes_carry_forward_rules_and_units(tmp_path: Path) -> None:
    doc = _doc(tmp_path, (
        "2022年某市政务公开工作要点\n一、加强公开\n"
        "1.做好政策文件公开工作。(牵头单位:市审批局;责任单位:市直各部门,各县市区,以下均需各县市区落实,不再逐一列出)\n"
        "2.做好行业帮扶政策公开工作。(牵头单位:市商务局;责任单位:市直各部门)\n"
        "3.加强稳增长信息公开工作。(责任单位:市发展改革委、市商务局,各区县政府。逗号前为牵头单位,下同)\n"
        "4.加强调结构信息公开工作。(责任单位:市经济和信息化局,高新区管委会)\n"
        "5.按旬公开财政收支情况。(市财政局牵头(/div>\n"
        "6.系统集成、智能推送减税降费政策,帮助基层执行机关了解政策,"))
    by_start = {e.text[:4]: e for e in doc.entries}
    assert by_start["做好政策"].responsible == ["市审批局", "市直各部门", "各县市区"]
    assert by_start["做好行业"].responsible == ["市商务局", "市直各部门", "各县市区"]
    third, fourth = by_start["加强稳增"], by_start["加强调结"]
    assert third.lead == ["市发展改革委", "市商务局"] and third.support == ["各区县政府"]
    assert fourth.lead == ["市经济和信息化局"] and fourth.support == ["高新区管委会"]
    assert by_start["按旬公开"].responsible == ["市财政局", "各县市区"]
    assert by_start["系统集成"].responsible == []  # cut off before its note: nothing carried onto it


def test_pipe_stream_with_empty_cells(tmp_path: Path) -> None:
    cells = ["工作任务", "工作要求", "牵头单位", "责任单位", "一、深化政务公开", "", "", "",
             "1.主动公开规划纲要", "通过门户网站设立专题", "市发展改革委", "市直有关单位,各县(市、区)人民政府",
             "(二)做好重大建设项目信息公开", "", "", "",
             "2.公开重大建设项目批准信息", "在政府网站设立专栏", "市发展改革委", "市直有关单位"]
    lines = []
    for cell in cells:
        lines += [cell, "|"] if cell else []
        if not cell:
            lines[-1] += "|"
    doc = _doc(tmp_path, "2021年某市政务公开工作任务分解方案\n" + "\n".join(lines) + "\n")
    rows = [e for e in doc.entries if e.kind == "task"]
    assert [r.text.split("：")[0] for r in rows] == ["1.主动公开规划纲要", "2.公开重大建设项目批准信息"]
    assert rows[0].lead == ["市发展改革委"] and rows[0].support == ["市直有关单位", "各县(市、区)人民政府"]
    assert rows[1].section.endswith("(二)做好重大建设项目信息公开")


def test_headerless_pipe_stream_of_a_department(tmp_path: Path) -> None:
    text = "".join(f"{c} |\n" for c in (
        "一、推进主动公开", "1.持续推动主动公开目录的动态更新调整。", "法规科牵头,相关科(室)配合。", "长期",
        "二、规范依申请公开", "2.规范使用依申请公开系统,实现全流程电子化管理。", "办公室", "长期",
        "3.规范编制发布政府信息公开工作年度报告。", "办公室", "长期",
        "4.在门户网站开设营商环境专栏。", "法规科统筹,各职能科(室)落实。", "长期"))
    rows = [e for e in _doc(tmp_path, text).entries if e.kind == "task"]
    assert [r.responsible for r in rows] == [["法规科", "相关科(室)"], ["办公室"], ["办公室"],
                                             ["法规科", "各职能科(室)"]]
    assert {r.deadline for r in rows} == {"长期"} and rows[0].support == ["相关科(室)"]


def test_continuation_rows_and_a_cut_off_last_row(tmp_path: Path) -> None:
    text = "\n\n".join(["目标", "序号", "任务", "有关要求", "责任单位", "1", "加强预期引导",
                        "加强政策解读信息公开,及时准确传递政策意图。", "发展改革委、财政厅",
                        "召开季度国民经济运行情况新闻发布会。", "发展改革委、统计局、新闻办",
                        "做好重大政策措施落实情况跟踪审计、财政预决"])
    rows = [e for e in _doc(tmp_path, "2017年某区政务公开重点工作任务分工\n" + text).entries if e.kind == "task"]
    assert [r.responsible for r in rows] == [["发展改革委", "财政厅"], ["发展改革委", "统计局", "新闻办"], []]
    assert all(r.section == "加强预期引导" for r in rows)


def test_division_of_a_table_without_title(tmp_path: Path) -> None:
    text = ("工作任务 | 具体要求 | 责任单位 |\n一、以公开助力经济发展 |\n"
            "(一)加强涉及市场主体的信息公开。 | 1.加大行业帮扶政策的公开力度。 | 广州市花都区税务局、各镇(街) |\n"
            "(二)加强涉及减税降费的信息公开。 | 2.推送减税降费政策。 | 市规划和自然资源局花都区分局、区财政局 |\n")
    doc = _doc(tmp_path, text)
    assert doc.region_full == "广东省广州市花都区"


# -- classes found failing on the c share (fresh held-out pages from 15 provinces) --------------------------


def test_unit_notes_of_older_and_mirror_pages(tmp_path: Path) -> None:
    """Role words after a list ("按照工作职能落实", "等负责落实"), a group tail of any length ("等…成员单位"),
    a closer lost after a clause number ("(二加强…"), and 负责同志 (people, not the verb 负责)."""
    doc = _doc(tmp_path, (
        "2020年某新区政务公开工作要点\n一、加强用权公开\n"
        "(一)加强权力配置信息公开。更新完善权责清单并按要求公开。(各开发区,新区各委办局,各市直派驻机构按照工作职能落实)\n"
        "(二加强营商环境信息公开。公开市场规则标准。(区发展改革委、区商务局等负责落实)\n"
        "(三)开设数字经济专题。集中公开政策规划。(责任单位:区政府办公室、区商务局等数字经济工作领导小组成员单位,各乡、街办)\n"
        "(四)加强财政政策信息公开。区政府有关部门负责同志通过新闻发布会及时解读。\n"))
    by_start = {e.text[:6]: e for e in doc.entries}
    assert by_start["加强权力配置"].responsible == ["各开发区", "新区各委办局", "各市直派驻机构"]
    assert by_start["加强营商环境"].responsible == ["区发展改革委", "区商务局"]
    assert by_start["开设数字经济"].responsible == ["区政府办公室", "区商务局", "各乡", "街办"]
    assert by_start["加强财政政策"].responsible == []


def test_bare_unit_lines_close_their_paragraphs(tmp_path: Path) -> None:
    """"…。X、Y负责落实" without brackets ends a paragraph: the next one (unnumbered) keeps its own units."""
    doc = _doc(tmp_path, (
        "关于印发2016年政务公开工作要点的通知\n某政办〔2016〕9号\n一、推进权力运行全流程公开\n"
        "(一)推进政策执行公开。通过政府网站公开执行措施、落实结果等。市政府办公室、市政府各部门负责落实\n"
        "进一步推进审计结果公开,及时发布可公开的审计公告。市审计局牵头落实\n"))
    first, second = (e for e in doc.entries if "公开执行措施" in e.text or "审计公告" in e.text)
    assert first.responsible == ["市政府办公室", "市政府各部门"] and second.responsible == ["市审计局"]


def test_deadline_column_before_the_unit_column(tmp_path: Path) -> None:
    text = ("主要工作任务 | 任务内容 | 完成时限 | 责任单位 |\n"
            "一、提升重点领域信息公开质量 | 1.做好共同富裕行动计划执行情况信息公开。 | 全年 | 区发改局、各街道办事处 |\n"
            "2.开展项目预算公开试点,探索建立民生项目预算公示制度。 | 12月底前 | 区财政局,各街道办事处 |\n")
    rows = [e for e in _doc(tmp_path, text).entries if e.kind == "task"]
    assert [(r.responsible, r.deadline) for r in rows] == [
        (["区发改局", "各街道办事处"], "全年"), (["区财政局", "各街道办事处"], "12月底前")]


def test_pipe_rows_with_merged_cells_and_spaced_header(tmp_path: Path) -> None:
    """Every cell closed by a `|`, merged cells as "| ||": a numbered task with empty cells is a row that
    keeps the cells above (not a heading), a bare "(三)" cut off at the end is no task."""
    text = ("任务分解表\n工 作 任 务 |\n牵头单位 |\n责 任 单 位 |\n一、推进重点领域信息公开 | ||\n(一)推进权力清单公开 | ||\n"
            "1.行政审批项目取消、下放信息公开 |\n省编办 |\n省直各部门,各设区市 |\n2.权力清单信息公开 | ||\n"
            "(二)推进财政资金信息公开 | ||\n3.财政预算、决算公开 |\n省财政厅 |\n省直各部门 |\n(三)")
    rows = [e for e in _doc(tmp_path, text).entries if e.kind == "task"]
    assert [r.text for r in rows] == ["1.行政审批项目取消、下放信息公开", "2.权力清单信息公开", "3.财政预算、决算公开"]
    assert rows[1].lead == ["省编办"] and rows[1].support == ["省直各部门", "各设区市"]
    assert rows[2].responsible == ["省财政厅", "省直各部门"]


def test_review_table_without_numbers_and_section_offices(tmp_path: Path) -> None:
    """A "回头看" table (一级指标/二级指标/存在问题及建议/责任单位/完成期限/落实情况) whose rows carry no number: a row
    opens at the text before its unit cell; 负责科室 is a unit column; a cut-off last row inherits no deadline."""
    cells = ["一级指标", "二级指标", "存在问题及建议", "责任单位", "完成期限", "落实情况",
             "深化重点领域政务公开", "落实市场监管领域信息公开", "切实做好市场监管领域全过程信息公开。",
             "区市场监督管理局、区司法局分别牵头落实", "持续推进", "阶段性完成",
             "落实财政资金领域信息公开", "进一步扩大预决算公开范围,推进部门所属单位预", "区财政局牵头"]
    rows = [e for e in _doc(tmp_path, "某区2021年政务公开工作要点落实情况\n\n" + "\n\n".join(cells)).entries
            if e.kind == "task"]
    assert [(r.responsible, r.deadline) for r in rows] == [
        (["区市场监督管理局", "区司法局"], "持续推进"), (["区财政局"], None)]
    text = "重点任务 | 工作内容 | 负责科室 |\n政策解读 | 对我局起草的政策文件进行全面解读。 | 各责任科室 |\n" \
           "财政资金 | 及时发布财政预决算信息。 | 综合科 |\n"
    rows = [e for e in _doc(tmp_path, text).entries if e.kind == "task"]
    assert [r.responsible for r in rows] == [["各责任科室"], ["综合科"]] and rows[1].section == "财政资金"


def test_division_from_the_number_prefix_under_the_cited_province(tmp_path: Path) -> None:
    """A notice naming itself only by 文号 ("营政办…") in a text citing its province: the city the prefix
    abbreviates there; "…贯彻落实省政府…" is no region name."""
    doc = _doc(tmp_path, (
        "关于印发贯彻落实省政府办公厅2016年政务公开工作要点的通知\n营政办〔2016〕95号\n"
        "为贯彻落实《辽宁省人民政府办公厅关于2016年政务公开工作要点的实施方案》精神,现提出如下要求。\n"
        "一、推进行政决策公开。市政府各部门负责落实\n"))
    assert doc.region_full == "辽宁省营口市" and doc.region != "贯彻落实省"
