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
